"""Tickets, their append-only timeline, the periods they spend in each tier, and
the keys that make a retried create safe."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Organization, Team, Tier, User, in_language
from tierdesk.tickets.lifecycle import Status


class Priority(models.TextChoices):
    P1 = "P1", _("P1 – Critical")
    P2 = "P2", _("P2 – High")
    P3 = "P3", _("P3 – Medium")
    P4 = "P4", _("P4 – Low")


class Level(models.TextChoices):
    """Impact and urgency, in the words a customer uses."""

    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Channel(models.TextChoices):
    WEB = "web", _("Web portal")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    SMS = "sms", _("SMS")
    API = "api", _("API")
    MONITORING = "monitoring", _("Monitoring alert")


class Category(models.Model):
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_en, self.name_id)


class SlaReason(models.TextChoices):
    ORGANIZATION = "organization", _("the organization's contract")
    DEFAULT = "default", _("the default policy")


class Ticket(models.Model):
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    requester = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="requested_tickets",
        verbose_name=_("requester"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("organization"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("category"),
    )
    priority = models.CharField(
        _("priority"), max_length=2, choices=Priority.choices, default=Priority.P3
    )
    impact = models.CharField(_("impact"), max_length=10, choices=Level.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Level.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("tier")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("team"),
    )
    assignee = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    resolved_tier = models.ForeignKey(
        Tier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved at tier"),
    )
    escalation_count = models.PositiveIntegerField(_("escalations"), default=0)

    # SLA clocks, kept by the actions through tickets/actions/clocks.py. Each clock has its
    # due time, the instant its warning falls due, and when the sweep recorded the warning and
    # the breach (each exactly once). Resolution and tier clocks stop while the ticket waits
    # (pending, on hold): their due times are then empty and ``paused_since`` is set.
    sla_policy = models.ForeignKey(
        "sla.Policy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SLA policy"),
    )
    sla_policy_reason = models.CharField(
        _("SLA policy applies because"), max_length=20, choices=SlaReason.choices, blank=True
    )
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_response_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_response_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_response_breached_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolution_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_breached_at = models.DateTimeField(null=True, blank=True, editable=False)
    tier_due = models.DateTimeField(_("tier target due"), null=True, blank=True)
    tier_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    tier_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    tier_breached_at = models.DateTimeField(null=True, blank=True, editable=False)
    paused_since = models.DateTimeField(_("SLA paused since"), null=True, blank=True)
    paused_seconds = models.FloatField(_("time paused (seconds)"), default=0)
    # Business time spent on the resolution clock up to ``clock_checkpoint_at``; the tier
    # clock counts from the value it had when the ticket entered its current tier.
    business_seconds = models.FloatField(_("business time spent (seconds)"), default=0)
    clock_checkpoint_at = models.DateTimeField(null=True, blank=True, editable=False)
    tier_entry_business_seconds = models.FloatField(default=0, editable=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # The SLA sweep: one range scan per clock and stage, only over tickets whose
            # clock runs and whose event is not yet recorded.
            models.Index(
                fields=["first_response_warn_at"],
                condition=Q(
                    first_response_warned_at__isnull=True,
                    first_responded_at__isnull=True,
                    status__in=["new", "open"],
                ),
                name="ticket_sla_fr_warn",
            ),
            models.Index(
                fields=["first_response_due"],
                condition=Q(
                    first_response_breached_at__isnull=True,
                    first_responded_at__isnull=True,
                    status__in=["new", "open"],
                ),
                name="ticket_sla_fr_due",
            ),
            models.Index(
                fields=["resolution_warn_at"],
                condition=Q(resolution_warned_at__isnull=True, status__in=["new", "open"]),
                name="ticket_sla_res_warn",
            ),
            models.Index(
                fields=["resolution_due"],
                condition=Q(resolution_breached_at__isnull=True, status__in=["new", "open"]),
                name="ticket_sla_res_due",
            ),
            models.Index(
                fields=["tier_warn_at"],
                condition=Q(tier_warned_at__isnull=True, status__in=["new", "open"]),
                name="ticket_sla_tier_warn",
            ),
            models.Index(
                fields=["tier_due"],
                condition=Q(tier_breached_at__isnull=True, status__in=["new", "open"]),
                name="ticket_sla_tier_due",
            ),
            # Queues sorted by the resolution deadline.
            models.Index(fields=["resolution_due", "id"], name="ticket_resolution_due"),
            # Queues: a tier's (or team's) tickets in a status, newest first.
            models.Index(fields=["tier", "status", "-created_at"], name="ticket_tier_queue"),
            models.Index(fields=["team", "status", "-created_at"], name="ticket_team_queue"),
            # The first page of a tier's tickets, newest first (the API's list), and of its
            # active tickets (the desk's queue): an index range read, stopping after a page.
            # The condition lists the statuses in the order the queue query writes them
            # (sorted), so SQLite recognises the query as covered by the partial index.
            models.Index(fields=["tier", "-created_at", "-id"], name="ticket_tier_newest"),
            models.Index(
                fields=["tier", "-created_at", "-id"],
                condition=Q(status__in=["new", "on_hold", "open", "pending"]),
                name="ticket_tier_active",
            ),
            models.Index(
                fields=["assignee", "status", "-created_at"], name="ticket_assignee_queue"
            ),
            models.Index(fields=["organization", "-created_at"], name="ticket_org_recent"),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester_recent"),
            models.Index(fields=["-created_at"], name="ticket_recent"),
            models.Index(fields=["status", "-updated_at"], name="ticket_status_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def number(self) -> str:
        return format_ticket_number(self.pk)


# Ids beyond this do not fit the database's integer and can name no ticket.
MAX_TICKET_ID = 2**63 - 1


def format_ticket_number(pk: int | None) -> str:
    return f"{settings.TIERDESK_TICKET_PREFIX}-{pk or 0:06d}"


def parse_ticket_number(text: str) -> int | None:
    """The id in ``TD-000123``, ``td-123`` or ``123``; None if ``text`` is no ticket number."""
    candidate = text.strip()
    prefix = settings.TIERDESK_TICKET_PREFIX + "-"
    if candidate.upper().startswith(prefix.upper()):
        candidate = candidate[len(prefix) :]
    if (
        candidate.isascii() and candidate.isdigit() and 0 < len(candidate) <= 18
    ):  # 18 digits stay below MAX_TICKET_ID
        return int(candidate)
    return None


class EventKind(models.TextChoices):
    OPENED = "ticket.opened", _("Ticket opened")
    REPLY = "message.reply", _("Public reply")
    NOTE = "message.note", _("Internal note")
    STATUS_CHANGED = "ticket.status_changed", _("Status changed")
    ASSIGNED = "ticket.assigned", _("Assigned")
    ESCALATED = "ticket.escalated", _("Escalated")
    DEESCALATED = "ticket.deescalated", _("De-escalated")
    TRANSFERRED = "ticket.transferred", _("Moved to another team")
    FIELD_CHANGED = "ticket.field_changed", _("Field changed")
    RESOLVED = "ticket.resolved", _("Resolved")
    REOPENED = "ticket.reopened", _("Reopened")
    SLA_PAUSED = "sla.paused", _("SLA clock paused")
    SLA_RESUMED = "sla.resumed", _("SLA clock resumed")
    SLA_RECALCULATED = "sla.recalculated", _("SLA due times recalculated")
    SLA_WARNING = "sla.warning", _("SLA warning")
    SLA_BREACHED = "sla.breached", _("SLA target missed")
    SLA_ESCALATION_SKIPPED = "sla.escalation_skipped", _("SLA escalation not possible")
    RATED = "ticket.rated", _("Rated by the customer")


# Events that carry a handoff between tiers or teams, newest on top of the ticket.
HANDOFF_KINDS = (EventKind.ESCALATED, EventKind.DEESCALATED, EventKind.TRANSFERRED)


class Event(models.Model):
    """One entry of a ticket's append-only timeline.

    ``data`` holds structured facts (ids, levels, lists); the sentence a person reads is
    rendered from ``kind`` and ``data`` in their language when shown. ``is_internal`` events
    are never shown to customers.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    body = models.TextField(_("text"), blank=True)
    is_internal = models.BooleanField(_("internal"), default=False)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at", "id"], name="event_ticket_timeline"),
            models.Index(fields=["kind", "created_at"], name="event_kind_time"),
            # Visibility: the tickets an agent has worked on.
            models.Index(fields=["actor", "ticket"], name="event_actor_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.created_at:%Y-%m-%d %H:%M}"


class TierPeriod(models.Model):
    """A stretch of time a ticket spent in one tier (and team): the basis of time-per-tier."""

    class EndReason(models.TextChoices):
        ESCALATED = "escalated", _("Escalated")
        DEESCALATED = "deescalated", _("De-escalated")
        TRANSFERRED = "transferred", _("Moved to another team")
        RESOLVED = "resolved", _("Resolved")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="tier_periods")
    tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, related_name="+", verbose_name=_("tier")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    end_reason = models.CharField(
        _("ended by"), max_length=20, choices=EndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("tier period")
        verbose_name_plural = _("tier periods")
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["ticket", "started_at"], name="tierperiod_ticket")]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(ended_at__isnull=True), name="one_open_tier_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tier.code} {self.started_at:%Y-%m-%d %H:%M}"


class IdempotencyKey(models.Model):
    """Remembers which ticket a client's ``Idempotency-Key`` created, so a retry returns it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_ticket_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return self.key


def attachment_path(attachment: Attachment, filename: str) -> str:
    # Stored under a random name: the original name is kept in the row, never trusted as a path.
    import uuid

    return f"attachments/{attachment.ticket_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file that came with a message (an e-mail attachment, an inline image, a portal
    upload). Seen by exactly those who may see the event it belongs to."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    is_inline = models.BooleanField(_("inline image"), default=False)
    content_id = models.CharField(
        max_length=255, blank=True, help_text="Content-ID of an inline part."
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["ticket", "created_at"], name="attachment_ticket")]

    def __str__(self) -> str:
        return self.filename


class SatisfactionRating(models.Model):
    """A customer's rating (1–5) of one resolution of a ticket: at most one per resolution,
    so a ticket reopened and resolved again can be rated again. Written by
    ``tickets/actions/satisfaction.py`` together with its ``ticket.rated`` timeline event."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("ticket")
    )
    resolution = models.OneToOneField(
        Event,
        on_delete=models.CASCADE,
        related_name="rating",
        verbose_name=_("resolution rated"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("rated by")
    )
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        indexes = [models.Index(fields=["created_at"], name="rating_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}/5"
