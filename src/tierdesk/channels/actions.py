"""Changes to the channels' own rows: the quarantine, the default mailbox from the
environment, and the timeline entry for a mail that could not be sent."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tierdesk.channels.inbound import Received
from tierdesk.channels.models import ChannelMessage, Direction, Mailbox, Outcome, QuarantinedMessage
from tierdesk.tickets.actions.common import record_event
from tierdesk.tickets.models import EventKind, Ticket

DEFAULT_MAILBOX = "default"


def quarantine(
    raw: bytes, *, reason: str, mailbox_id: int | None, channel: str = "email"
) -> Received:
    """Keep a message we cannot read, raw, with the reason, once (by its content hash)."""
    external_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    try:
        with transaction.atomic():
            ChannelMessage.objects.create(
                channel=channel,
                external_id=external_id,
                direction=Direction.INBOUND,
                outcome=Outcome.QUARANTINED,
                reason="unparseable",
                mailbox_id=mailbox_id,
            )
            QuarantinedMessage.objects.create(
                channel=channel,
                mailbox_id=mailbox_id,
                external_id=external_id,
                raw=raw,
                reason=reason[:2000],
            )
    except IntegrityError:
        return Received(Outcome.QUARANTINED, "duplicate", duplicate=True)
    return Received(Outcome.QUARANTINED, reason[:60])


def sync_default_mailbox() -> Mailbox | None:
    """The mailbox configured by TIERDESK_EMAIL_IMAP_* (named "default"), kept in step with
    the environment; None when no IMAP host is set.

    The routing variables (organization, tier, team, category) are applied when set; unset,
    whatever an administrator chose for the mailbox stays. A name that does not exist, or a
    team of another tier, is refused with :class:`ImproperlyConfigured`."""
    if not settings.TIERDESK_EMAIL_IMAP_HOST:
        return None
    defaults = {
        "host": settings.TIERDESK_EMAIL_IMAP_HOST,
        "port": settings.TIERDESK_EMAIL_IMAP_PORT,
        "security": settings.TIERDESK_EMAIL_IMAP_SECURITY,
        "verify_certificate": settings.TIERDESK_EMAIL_IMAP_VERIFY_CERTIFICATE,
        "ca_file": settings.TIERDESK_EMAIL_IMAP_CA_FILE or "",
        "username": settings.TIERDESK_EMAIL_IMAP_USER or "",
        "password": settings.TIERDESK_EMAIL_IMAP_PASSWORD or "",
        "folder": settings.TIERDESK_EMAIL_IMAP_FOLDER or "INBOX",
        "poll_imap": True,
    }
    defaults.update(_default_routing())
    mailbox = Mailbox(name=DEFAULT_MAILBOX, **defaults)
    existing = Mailbox.objects.filter(name=DEFAULT_MAILBOX).first()
    if existing is not None:
        for name, value in defaults.items():
            setattr(existing, name, value)
        mailbox = existing
    try:
        mailbox.clean()
    except ValidationError as error:
        raise ImproperlyConfigured(
            "TIERDESK_EMAIL_IMAP_*: "
            + "; ".join(
                f"{field}: {' '.join(map(str, messages))}"
                for field, messages in error.message_dict.items()
            )
        ) from error
    mailbox.save()
    return mailbox


def _default_routing() -> dict:
    from tierdesk.accounts.models import Organization, Team, Tier
    from tierdesk.tickets.models import Category

    routing: dict = {}
    lookups = [
        ("organization", Organization, "slug", settings.TIERDESK_EMAIL_IMAP_ORGANIZATION),
        ("tier", Tier, "level", settings.TIERDESK_EMAIL_IMAP_TIER),
        ("team", Team, "slug", settings.TIERDESK_EMAIL_IMAP_TEAM),
        ("category", Category, "slug", settings.TIERDESK_EMAIL_IMAP_CATEGORY),
    ]
    for field, model, key, value in lookups:
        if not value:
            continue
        row = model.objects.filter(**{key: value}).first()
        if row is None:
            variable = f"TIERDESK_EMAIL_IMAP_{field.upper()}"
            raise ImproperlyConfigured(f"{variable}: there is no {field} {value!r}.")
        routing[field] = row
    return routing


def note_poll(mailbox_id: int, error: str = "") -> None:
    Mailbox.objects.filter(pk=mailbox_id).update(last_polled_at=timezone.now(), last_error=error)


def record_sent(sent: Iterable[tuple[int, str, int | None]]) -> None:
    """Remember the Message-IDs we send, each as (ticket id, Message-ID, event id), so replies
    to them find the ticket and they never return as new tickets. One insert for a batch;
    an id already remembered is left as it is."""
    ChannelMessage.objects.bulk_create(
        [
            ChannelMessage(
                channel="email",
                external_id=message_id[:255],
                direction=Direction.OUTBOUND,
                outcome=Outcome.SENT,
                ticket_id=ticket_id,
                event_id=event_id,
            )
            for ticket_id, message_id, event_id in sent
        ],
        ignore_conflicts=True,
    )


def record_send_failure(*, ticket_id: int, address: str, kind: str, error: str) -> None:
    """A mail that could not be sent after all retries: an internal entry on the ticket's
    timeline, so the agents see that the customer was not told."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None:
            return
        record_event(
            ticket,
            EventKind.NOTE,
            None,
            timezone.now(),
            body=error[:2000],
            is_internal=True,
            data={"email_failed": True, "to": address, "notification": kind},
        )


def skip_notifications_so_far() -> int:
    """Mark every timeline event written so far as already notified (e.g. after loading demo
    history that is dated in the past): notifications continue with the next event."""
    from django.db.models import Max

    from tierdesk.channels.models import OutboxCursor
    from tierdesk.tickets.models import Event

    newest = Event.objects.aggregate(newest=Max("id"))["newest"] or 0
    OutboxCursor.objects.update_or_create(name="email", defaults={"last_event_id": newest})
    return newest
