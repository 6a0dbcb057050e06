"""Mailboxes, the messages a channel received or sent, the quarantine, notifications and the
counters behind the per-sender rate limit."""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Organization, Team, Tier, User
from tierdesk.tickets.models import Category, Event, Ticket


class Mailbox(models.Model):
    """An IMAP mailbox the worker polls, or a name that ``tierdesk mail ingest`` delivers to."""

    class Security(models.TextChoices):
        TLS = "tls", _("TLS (IMAPS, usually port 993)")
        STARTTLS = "starttls", _("STARTTLS (usually port 143)")
        NONE = "none", _("None (only on a trusted local network)")

    class ResolvedReplies(models.TextChoices):
        REOPEN = "reopen", _("Reopen the ticket")
        FOLLOW_UP = "follow_up", _("Open a follow-up ticket")

    name = models.SlugField(_("name"), max_length=60, unique=True)
    address = models.EmailField(
        _("e-mail address"),
        blank=True,
        help_text=_("The address customers write to; mail from it is never made a ticket."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    poll_imap = models.BooleanField(
        _("poll over IMAP"),
        default=True,
        help_text=_("Off for a mailbox the mail server delivers to with “tierdesk mail ingest”."),
    )
    host = models.CharField(_("IMAP server"), max_length=253, blank=True)
    port = models.PositiveIntegerField(_("IMAP port"), default=993)
    security = models.CharField(
        _("connection security"), max_length=10, choices=Security.choices, default=Security.TLS
    )
    verify_certificate = models.BooleanField(
        _("verify the server's certificate"),
        default=True,
        help_text=_(
            "Off only for a test server: without it anyone on the network path can read the "
            "mail and the password."
        ),
    )
    ca_file = models.CharField(
        _("trusted CA bundle"),
        max_length=500,
        blank=True,
        help_text=_(
            "Path of a PEM file with the certificate authorities to trust for this server (e.g. "
            "a company CA or a self-signed certificate), on the machines running the worker. "
            "Empty: the system's trusted authorities."
        ),
    )
    username = models.CharField(_("user name"), max_length=255, blank=True)
    password = models.CharField(_("password"), max_length=255, blank=True)
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    processed_folder = models.CharField(
        _("move processed mail to"),
        max_length=255,
        blank=True,
        help_text=_("Empty: processed mail stays in the folder and is marked as read."),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization for unknown senders"),
        help_text=_(
            "A sender nobody knows becomes a customer of the organization owning their e-mail "
            "domain, else of this one. Empty: such mail is refused."
        ),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category of new tickets"),
    )
    tier = models.ForeignKey(
        Tier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"handles_tickets": True},
        verbose_name=_("tier of new tickets"),
        help_text=_("Empty: the entry tier (L1), or the team's tier when a team is set."),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"is_active": True},
        verbose_name=_("team of new tickets"),
        help_text=_("Must belong to the tier above when both are set."),
    )
    resolved_replies = models.CharField(
        _("a reply to a resolved ticket"),
        max_length=10,
        choices=ResolvedReplies.choices,
        default=ResolvedReplies.REOPEN,
        help_text=_("A reply to a closed ticket always opens a follow-up."),
    )
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.tier_id is not None and not self.tier.handles_tickets:
            errors["tier"] = _("Tickets cannot wait in this tier; choose one that handles them.")
        if self.team_id is not None:
            if self.tier_id is not None and self.team.tier_id != self.tier_id:
                errors["team"] = _("This team belongs to another tier.")
            elif not self.team.tier.handles_tickets:
                errors["team"] = _("This team's tier does not handle tickets.")
        if self.ca_file and not os.path.isfile(self.ca_file):
            errors["ca_file"] = _("There is no file at this path.")
        if self.ca_file and self.security == self.Security.NONE:
            errors["ca_file"] = _("A CA bundle needs TLS or STARTTLS.")
        if self.poll_imap and self.is_active and not self.host:
            errors["host"] = _("Name the IMAP server, or turn off polling over IMAP.")
        if errors:
            raise ValidationError(errors)


class Direction(models.TextChoices):
    INBOUND = "in", _("Received")
    OUTBOUND = "out", _("Sent")


class Outcome(models.TextChoices):
    OPENED = "opened", _("Opened a ticket")
    THREADED = "threaded", _("Added to a ticket")
    IGNORED = "ignored", _("Ignored")
    REFUSED = "refused", _("Refused")
    QUARANTINED = "quarantined", _("Quarantined")
    SENT = "sent", _("Sent")


class ChannelMessage(models.Model):
    """A message a channel received or sent, by the channel's own id (an e-mail's Message-ID).

    The unique (channel, external id) pair is what makes intake idempotent: a message fetched
    or piped twice finds its row and is stored once. Sent mail is here too, so a reply's
    In-Reply-To finds its ticket and our own mail coming back is recognised."""

    channel = models.CharField(_("channel"), max_length=20)
    external_id = models.CharField(_("message id"), max_length=255)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=60, blank=True)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    sender = models.CharField(_("sender"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    full_text = models.TextField(
        _("full text"), blank=True, help_text=_("The body before quotes and signature were cut.")
    )
    html = models.TextField(_("HTML (sanitized)"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("channel message")
        verbose_name_plural = _("channel messages")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="one_row_per_channel_message"
            )
        ]
        indexes = [models.Index(fields=["ticket", "created_at"], name="channelmessage_ticket")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"


class QuarantinedMessage(models.Model):
    """A message that could not be parsed or stored, kept raw with the reason."""

    channel = models.CharField(_("channel"), max_length=20, default="email")
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    external_id = models.CharField(_("message id"), max_length=255, blank=True)
    raw = models.BinaryField(_("raw message"))
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    reprocessed_at = models.DateTimeField(_("last reprocessed"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome of reprocessing"),
        max_length=12,
        choices=Outcome.choices,
        blank=True,
        help_text=_("Empty while the message still waits in the quarantine."),
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticket"),
    )

    class Meta:
        verbose_name = _("quarantined message")
        verbose_name_plural = _("quarantined messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.external_id or self.pk}: {self.reason[:60]}"


class SenderCounter(models.Model):
    """How many messages one sender sent in one window: the per-sender rate limit."""

    channel = models.CharField(max_length=20)
    sender = models.CharField(max_length=320)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "sender", "window_start"], name="one_counter_per_window"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="sendercounter_window")]

    def __str__(self) -> str:
        return f"{self.sender} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class Notification(models.Model):
    """One mail to one person about one timeline event: the row that makes it exactly once."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=40)
    address = models.EmailField(_("address"))
    message_id = models.CharField(_("message id"), max_length=255)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # For a digest (kind "queue_digest"): the ids of the events it lists (the newest),
    # oldest first, ``event`` the newest of them; ``event_count``: how many it tells of.
    events = models.JSONField(_("events"), default=list, blank=True)
    event_count = models.PositiveIntegerField(_("events told of"), default=0)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="one_mail_per_recipient")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.address}"


class MailWindow(models.Model):
    """A person's window for queue news: it opened with the last such mail they got, and
    news of tickets reaching their queue within ``TIERDESK_EMAIL_DIGEST_MINUTES`` of that
    is held here, to go out as one digest when the window ends."""

    recipient = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField()
    # [event id, notification kind] of the newest news held (at most the DIGEST_LISTED a
    # digest lists), oldest first; empty: none. ``held_count``: how many were held in all.
    held = models.JSONField(default=list, blank=True)
    held_count = models.PositiveIntegerField(default=0)
    held_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["held_since", "opened_at"], name="mailwindow_due")]

    def __str__(self) -> str:
        return f"{self.recipient_id} since {self.opened_at:%Y-%m-%d %H:%M}"


class OutboxCursor(models.Model):
    """How far the notification job has read the timeline."""

    name = models.CharField(max_length=60, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    # [event id, ISO time first missed] of ids below the cursor that were not visible when
    # it passed them: a transaction still open then (PostgreSQL hands out ids before commit)
    # or rolled back. Looked for on every read until found or LOOKBACK old.
    holes = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_event_id}"
