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
from tierdesk.accounts.models import Organization, OrganizationDomain, Team, Tier, User
from tierdesk.channels.models import ChannelMessage, Direction, Outcome, SenderCounter
from tierdesk.errors import Conflict, DomainError, NotFound
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
REMEMBER_AT_MOST = 5_000


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
    """What a new message becomes: the mailbox's (or another source's) settings.

    One value serves one poll or one pipe delivery; it remembers, for that run only, what it
    looked up (the senders and e-mail domains it met), so a batch of mail from the same
    people does not ask the database the same questions again."""

    mailbox_id: int | None = None
    organization_id: int | None = None  # for unknown senders whose domain matches no one
    category: str | None = None
    tier: Tier | None = None  # where new tickets start (else the entry tier)
    team: Team | None = None
    reopen_resolved: bool = True  # else a reply to a resolved ticket opens a follow-up
    own_addresses: frozenset[str] = frozenset()
    remembered: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def recall(self, key: tuple, lookup):
        """``lookup()``, asked once per run (a few thousand answers at most)."""
        if key in self.remembered:
            return self.remembered[key]
        value = lookup()
        if len(self.remembered) < REMEMBER_AT_MOST:
            self.remembered[key] = value
        return value

    def forget(self, key: tuple) -> None:
        self.remembered.pop(key, None)


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


def receive(message: InboundMessage, rules: IntakeRules, *, looked_up: bool = False) -> Received:
    """Thread ``message`` onto its ticket or open one; store it once by its channel id.

    Everything happens in one transaction: the ticket change, the attachments and the row
    that remembers the message id (written last, its unique index deciding) commit together
    or not at all, so a message fetched again after a crash is either already stored (and
    skipped) or stored now. Two workers racing on one message both do the work, and the
    second one's transaction rolls back on that unique row. ``looked_up``: the caller
    already asked whether the id is stored (for a whole batch at once, :func:`stored_before`).
    """
    external_id = message.external_id[:255]
    earlier = None if looked_up else _earlier(message.channel, external_id)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            result = _decide(message, rules)
            ChannelMessage.objects.create(
                channel=message.channel,
                external_id=external_id,
                direction=Direction.INBOUND,
                outcome=result.outcome,
                reason=result.reason[:60],
                ticket_id=result.ticket_id,
                event_id=result.event_id,
                mailbox_id=rules.mailbox_id,
                sender=message.sender_address[:320],
                subject=message.subject[:255],
                full_text=message.full_text.replace("\x00", ""),
                html=message.html.replace("\x00", ""),
            )
    except IntegrityError:
        rules.remembered.clear()  # what this run remembered may have rolled back with it
        earlier = _earlier(message.channel, external_id)
        if earlier is None:  # another constraint: let the caller retry later
            raise
        return earlier
    except Exception:
        rules.remembered.clear()
        raise
    return result


def stored_before(channel: str, external_ids: list[str]) -> dict[str, Received]:
    """For a batch of message ids, one query: the outcome of those stored before."""
    rows = ChannelMessage.objects.filter(
        channel=channel, external_id__in=[item[:255] for item in external_ids]
    ).values_list("external_id", "direction", "outcome", "ticket_id", "event_id")
    return {row[0]: _as_earlier(*row[1:]) for row in rows}


def _earlier(channel: str, external_id: str) -> Received | None:
    """The outcome of the message stored before under this id, if any."""
    return stored_before(channel, [external_id]).get(external_id[:255])


def _as_earlier(direction: str, outcome: str, ticket_id: int | None, event_id: int | None):
    if direction == Direction.OUTBOUND:
        return Received(Outcome.IGNORED, "own_message", ticket_id, event_id, duplicate=True)
    return Received(outcome, "duplicate", ticket_id, event_id, duplicate=True)


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
    key = dict(
        channel=message.channel, sender=message.sender_address.lower()[:320], window_start=window
    )
    counters = SenderCounter.objects.filter(**key)
    if not counters.update(count=F("count") + 1):  # the sender's first message this hour
        try:
            with transaction.atomic():
                SenderCounter.objects.create(**key, count=1)
            return False  # the first this hour; the limit is at least 1
        except IntegrityError:  # another worker made it just now
            counters.update(count=F("count") + 1)
    return (counters.values_list("count", flat=True).first() or 0) > limit


def _sender(message: InboundMessage, rules: IntakeRules) -> User | None:
    """The person who wrote, matched by address; an unknown sender becomes a customer of the
    organization owning their domain, else of the mailbox's organization, else nobody."""
    address = message.sender_address.strip().lower()
    if "@" not in address:
        return None
    known = rules.recall(("sender", address), lambda: _known_sender(address))
    if known is not None:
        return known
    domain = address.rsplit("@", 1)[1]
    organization = rules.recall(("domain", domain), lambda: _domain_owner(domain))
    if organization is None and rules.organization_id is not None:
        organization = rules.recall(
            ("organization", rules.organization_id),
            lambda: Organization.objects.filter(pk=rules.organization_id).first(),
        )
    if organization is None:
        return None
    first, _space, last = message.sender_name.strip().partition(" ")
    person = dict(
        email=address,
        password=None,
        organization=organization,
        first_name=first[:150],
        last_name=last[:150],
    )
    try:
        created = create_person(username=_username_base(address), **person)
    except Conflict:  # the address is someone's user name already (checked before writing)
        created = create_person(username=_free_username(address), **person)
    rules.remembered[("sender", address)] = created
    return created


def _known_sender(address: str) -> User | None:
    return (
        User.objects.filter(email__iexact=address, is_active=True)
        .select_related("organization")
        .order_by("pk")
        .first()
    )


def _domain_owner(domain: str) -> Organization | None:
    owner = OrganizationDomain.objects.filter(domain=domain).select_related("organization").first()
    return owner.organization if owner is not None else None


def _username_base(address: str) -> str:
    return re.sub(r"[^\w.@+-]", "", address)[:140] or "customer"


def _free_username(address: str) -> str:
    base = _username_base(address)
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
        route_tier=rules.tier,
        route_team=rules.team,
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
