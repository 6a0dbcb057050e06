"""Where every channel converges: one inbound-message value, and one function that threads it
onto its ticket or opens one, stored once per channel message id.

E-mail builds an :class:`InboundMessage` from a parsed mail; SMS, chat or monitoring adapters
will build theirs the same way. :func:`receive` decides who the sender is, which ticket the
message belongs to, and calls the ticket actions (``open_ticket``, ``add_message``) as that
sender, as a trusted intake, so the ticket rules hold for every channel alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tierdesk.accounts.actions import create_person
from tierdesk.accounts.models import Organization, OrganizationDomain, User
from tierdesk.channels.models import ChannelMessage, Direction, Outcome, SenderCounter
from tierdesk.errors import DomainError, NotFound
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import (
    MAX_TICKET_ID,
    Attachment,
    EventKind,
    Ticket,
    format_ticket_number,
)

MAX_SUBJECT = 200
MAX_BODY = 65_000


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content_type: str
    content: bytes
    is_inline: bool = False
    content_id: str = ""


@dataclass(frozen=True)
class InboundMessage:
    """What any channel received, in plain values."""

    channel: str
    external_id: str
    sender_address: str
    sender_name: str = ""
    subject: str = ""
    body: str = ""  # the visible text of a new message (signature cut)
    reply_body: str = ""  # the visible text when it continues a ticket (quotes cut too)
    full_text: str = ""  # everything the sender wrote, kept for the record
    html: str = ""  # sanitized HTML, when the message had any
    thread_ids: tuple[str, ...] = ()  # ids of earlier messages this one answers
    ticket_number: int | None = None  # a ticket named by the sender (a subject tag)
    automatic: str = ""  # why a machine sent it; such messages never make tickets
    attachments: tuple[InboundAttachment, ...] = ()


@dataclass(frozen=True)
class IntakeRules:
    """What a new message becomes: the mailbox's (or another source's) settings."""

    mailbox_id: int | None = None
    organization_id: int | None = None  # for unknown senders whose domain matches no one
    category: str | None = None
    reopen_resolved: bool = True  # else a reply to a resolved ticket opens a follow-up
    own_addresses: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Received:
    outcome: str
    reason: str = ""
    ticket_id: int | None = None
    event_id: int | None = None
    duplicate: bool = False
    skipped_attachments: list[str] = field(default_factory=list)

    @property
    def stored(self) -> bool:
        return self.outcome in (Outcome.OPENED, Outcome.THREADED, Outcome.QUARANTINED)


def receive(message: InboundMessage, rules: IntakeRules) -> Received:
    """Thread ``message`` onto its ticket or open one; store it once by its channel id.

    Everything happens in one transaction: the row that remembers the message id, the ticket
    change and the attachments commit together or not at all, so a message fetched again
    after a crash is either already stored (and skipped) or stored now.
    """
    with transaction.atomic():
        record, earlier = _claim(message, rules)
        if earlier is not None:
            return earlier
        result = _decide(message, rules)
        record.outcome = result.outcome
        record.reason = result.reason[:60]
        record.ticket_id = result.ticket_id
        record.event_id = result.event_id
        record.save(update_fields=["outcome", "reason", "ticket", "event"])
    return result


def _claim(message: InboundMessage, rules: IntakeRules) -> tuple[ChannelMessage, Received | None]:
    try:
        with transaction.atomic():
            record = ChannelMessage.objects.create(
                channel=message.channel,
                external_id=message.external_id[:255],
                direction=Direction.INBOUND,
                outcome=Outcome.IGNORED,
                mailbox_id=rules.mailbox_id,
                sender=message.sender_address[:320],
                subject=message.subject[:255],
                full_text=message.full_text.replace("\x00", ""),
                html=message.html.replace("\x00", ""),
            )
    except IntegrityError:
        earlier = ChannelMessage.objects.filter(
            channel=message.channel, external_id=message.external_id[:255]
        ).first()
        if earlier is None:  # vanished again: let the caller retry
            raise
        reason = "own_message" if earlier.direction == Direction.OUTBOUND else "duplicate"
        outcome = Outcome.IGNORED if reason == "own_message" else earlier.outcome
        return earlier, Received(
            outcome, reason, earlier.ticket_id, earlier.event_id, duplicate=True
        )
    return record, None


def _decide(message: InboundMessage, rules: IntakeRules) -> Received:
    if message.automatic:
        return Received(Outcome.IGNORED, message.automatic)
    if message.sender_address.lower() in rules.own_addresses:
        return Received(Outcome.IGNORED, "own_address")
    if _over_rate_limit(message):
        return Received(Outcome.IGNORED, "rate_limited")
    sender = _sender(message, rules)
    if sender is None:
        return Received(Outcome.REFUSED, "unknown_sender")
    ticket_id = _thread(message)
    try:
        if ticket_id is not None:
            threaded = _add_to_ticket(message, rules, sender, ticket_id)
            if threaded is not None:
                return threaded
            return _open(message, rules, sender, follow_up_of=ticket_id)
        return _open(message, rules, sender)
    except DomainError as error:
        return Received(Outcome.REFUSED, error.code)


def _over_rate_limit(message: InboundMessage) -> bool:
    limit = settings.TIERDESK_EMAIL_SENDER_LIMIT_PER_HOUR
    if not limit:
        return False
    window = timezone.now().replace(minute=0, second=0, microsecond=0)
    sender = message.sender_address.lower()[:320]
    counter, _created = SenderCounter.objects.get_or_create(
        channel=message.channel, sender=sender, window_start=window
    )
    SenderCounter.objects.filter(pk=counter.pk).update(count=F("count") + 1)
    counter.refresh_from_db(fields=["count"])
    return counter.count > limit


def _sender(message: InboundMessage, rules: IntakeRules) -> User | None:
    """The person who wrote, matched by address; an unknown sender becomes a customer of the
    organization owning their domain, else of the mailbox's organization, else nobody."""
    address = message.sender_address.strip().lower()
    if "@" not in address:
        return None
    known = (
        User.objects.filter(email__iexact=address, is_active=True)
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    if known is not None:
        return known
    domain = address.rsplit("@", 1)[1]
    owner = OrganizationDomain.objects.filter(domain=domain).select_related("organization").first()
    organization = owner.organization if owner is not None else None
    if organization is None and rules.organization_id is not None:
        organization = Organization.objects.filter(pk=rules.organization_id).first()
    if organization is None:
        return None
    first, _space, last = message.sender_name.strip().partition(" ")
    username = _free_username(address)
    return create_person(
        username=username,
        email=address,
        password=None,
        organization=organization,
        first_name=first[:150],
        last_name=last[:150],
    )


def _free_username(address: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", address)[:140] or "customer"
    candidate = base
    number = 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _thread(message: InboundMessage) -> int | None:
    """The ticket the message continues: by the ids it answers, else by its subject tag."""
    if message.thread_ids:
        found = (
            ChannelMessage.objects.filter(
                channel=message.channel,
                external_id__in=[item[:255] for item in message.thread_ids],
                ticket__isnull=False,
            )
            .order_by("-id")
            .values_list("ticket_id", flat=True)
            .first()
        )
        if found is not None:
            return found
    number = message.ticket_number
    if (
        number is not None
        and 0 < number <= MAX_TICKET_ID
        and Ticket.objects.filter(pk=number).exists()
    ):
        return number
    return None


def _add_to_ticket(
    message: InboundMessage, rules: IntakeRules, sender: User, ticket_id: int
) -> Received | None:
    """Add the reply to its ticket; None when it must open a follow-up instead (closed, or
    resolved and the rules say so, or the sender may not see that ticket)."""
    status = Ticket.objects.filter(pk=ticket_id).values_list("status", flat=True).first()
    if status == Status.CLOSED or (status == Status.RESOLVED and not rules.reopen_resolved):
        return None
    body = _limit(message.reply_body or message.body or message.subject or "-", MAX_BODY)
    try:
        event = add_message(actor=sender, ticket_id=ticket_id, body=body)
    except NotFound:  # not theirs to see: never post into someone else's ticket
        return None
    skipped = _store_attachments(message, ticket_id, event.pk)
    return Received(Outcome.THREADED, "", ticket_id, event.pk, skipped_attachments=skipped)


def _open(
    message: InboundMessage, rules: IntakeRules, sender: User, follow_up_of: int | None = None
) -> Received:
    subject = _subject(message)
    body = message.body.strip() or subject
    if follow_up_of is not None:
        body = f"↩ {format_ticket_number(follow_up_of)}\n\n{body}"
    opened = open_ticket(
        actor=sender,
        subject=subject,
        description=_limit(body, MAX_BODY),
        channel="email" if message.channel == "email" else message.channel,
        category=rules.category,
        trusted_channel=True,
    )
    ticket = opened.ticket
    event_id = ticket.events.filter(kind=EventKind.OPENED).values_list("pk", flat=True).first()
    skipped = _store_attachments(message, ticket.pk, event_id)
    return Received(Outcome.OPENED, "", ticket.pk, event_id, skipped_attachments=skipped)


def _subject(message: InboundMessage) -> str:
    subject = message.subject.replace("\x00", "").strip()
    if not subject:
        first_line = next((line for line in message.body.splitlines() if line.strip()), "")
        subject = first_line.strip()[:80] or "(—)"
    return _limit(subject, MAX_SUBJECT)


def _limit(text: str, length: int) -> str:
    text = text.replace("\x00", "")
    return text if len(text) <= length else text[: length - 1] + "…"


def _store_attachments(message: InboundMessage, ticket_id: int, event_id: int | None) -> list[str]:
    """Store the message's files on the ticket; files over the size limit are left out and
    named in the result (the full message stays in the mailbox)."""
    limit = settings.TIERDESK_EMAIL_MAX_ATTACHMENT_BYTES
    skipped = []
    for item in message.attachments:
        if len(item.content) > limit:
            skipped.append(item.filename)
            continue
        attachment = Attachment(
            ticket_id=ticket_id,
            event_id=event_id,
            filename=item.filename[:255] or "attachment",
            content_type=item.content_type[:255] or "application/octet-stream",
            size=len(item.content),
            is_inline=item.is_inline,
            content_id=item.content_id[:255],
        )
        attachment.file.save(item.filename or "attachment", ContentFile(item.content), save=False)
        attachment.save()
    return skipped


def forget_old_counters(keep: timedelta = timedelta(days=2)) -> int:
    deleted, _ = SenderCounter.objects.filter(window_start__lt=timezone.now() - keep).delete()
    return deleted
