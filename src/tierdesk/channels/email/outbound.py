"""Notifications by mail. The timeline is the outbox: a worker job reads the events after a
cursor kept in the database, makes one Notification row per (event, recipient) — the unique
row is what makes each mail go out once — and sends the due rows with retries.

Events are read only once committed, so nothing is sent for a change that rolled back."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from tierdesk.accounts.models import Membership, User
from tierdesk.accounts.queries import time_zone_of
from tierdesk.channels.actions import record_send_failure, record_sent
from tierdesk.channels.email.threading import (
    new_message_id,
    tagged_subject,
    thread_headers,
    thread_message_ids,
)
from tierdesk.channels.models import MailWindow, Notification, OutboxCursor
from tierdesk.kb.queries import suggest_articles
from tierdesk.tickets.actions.clocks import CLOCK_LABELS
from tierdesk.tickets.actions.satisfaction import RATING_LINK_MAX_AGE, rating_token
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import Event, EventKind, Ticket

logger = logging.getLogger(__name__)

CURSOR = "email"
BATCH = 500
# Events committed late (a transaction took an id below the cursor and committed after the
# cursor passed it) are looked for this long; the unique row keeps them from going twice.
LOOKBACK = timedelta(minutes=2)
# More ids than this missing from one read are a jump of the sequence (a big transaction
# rolled back, a restored database), not transactions still open.
MAX_NEW_HOLES = 200
MAX_ATTEMPTS = 5
STUCK_AFTER = timedelta(minutes=10)
# Mails sent per batch (one connection to the mail server).
SEND_BATCH = 200
# Sent mails are marked in groups of this many (see send_due).
MARK_EVERY = 20
# News of a ticket reaching an agent's queue. The first in a while goes out at once and
# opens a window (settings.TIERDESK_EMAIL_DIGEST_MINUTES); what else reaches the queue within
# it waits, and goes out as one digest when the window ends. A tier of forty agents at a
# ticket a minute got 2,400 mails an hour; each now gets at most one every few minutes.
QUEUE_KINDS = {"new_ticket", "escalated"}
DIGEST = "queue_digest"
# A digest lists at most this many tickets, then says how many more there are.
DIGEST_LISTED = 30

# Status changes a customer hears about (resolving has its own mail).
CUSTOMER_STATUSES = {Status.PENDING, Status.ON_HOLD, Status.CLOSED}
# Kinds a machine writes: they carry Auto-Submitted (RFC 3834).
AUTOMATIC_KINDS = {
    "received",
    "status",
    "resolved",
    "new_ticket",
    "escalated",
    "customer_replied",
    "sla_warning",
    "sla_breached",
    DIGEST,
}
# SLA events name who hears of them (the holder, then the tier's supervisor: data.notify).
SLA_KINDS = {EventKind.SLA_WARNING: "sla_warning", EventKind.SLA_BREACHED: "sla_breached"}


@dataclass(frozen=True)
class Planned:
    recipient: User
    kind: str


class TierMembers:
    """The active agents with an address of a tier (whole-tier members and those of the
    team), each tier and team read once: a batch of events asks for the same ones again and
    again."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, int | None], list[User]] = {}

    def __call__(self, tier_id: int, team_id: int | None, exclude: int | None) -> list[User]:
        key = (tier_id, team_id)
        if key not in self._known:
            memberships = Membership.objects.filter(tier_id=tier_id).filter(
                Q(team__isnull=True) | Q(team_id=team_id)
            )
            self._known[key] = list(
                User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)
                .exclude(email="")
                .order_by("pk")
            )
        return [user for user in self._known[key] if user.pk != exclude]


def plan(
    event: Event, staff: dict[str, User] | None = None, members: TierMembers | None = None
) -> list[Planned]:
    """Who hears about ``event``, and how. Customers never hear of internal events.
    ``staff``: the people SLA events name, by username, and ``members``: the tiers' agents,
    both read once for a batch of events."""
    tier_members = members or TierMembers()
    ticket: Ticket = event.ticket
    requester = ticket.requester
    actor_id = event.actor_id
    staff_actor = event.actor is not None and event.actor.is_staff_member
    planned: list[Planned] = []

    def customer(kind: str) -> None:
        if event.is_internal or not requester.is_active or not requester.email:
            return
        if kind == "received" and not requester.is_customer:
            return  # staff opening a ticket for themselves need no receipt
        if kind != "received" and requester.pk == actor_id:
            return  # nobody is told what they did themselves
        planned.append(Planned(requester, kind))

    if event.kind == EventKind.OPENED:
        customer("received")
        for agent in tier_members(ticket.tier_id, ticket.team_id, actor_id):
            planned.append(Planned(agent, "new_ticket"))
    elif event.kind == EventKind.REPLY and not event.is_internal:
        if staff_actor:
            customer("reply")
        else:
            agents = (
                [ticket.assignee]
                if ticket.assignee_id and ticket.assignee.email
                else tier_members(ticket.tier_id, ticket.team_id, actor_id)
            )
            planned.extend(Planned(agent, "customer_replied") for agent in agents)
    elif event.kind == EventKind.STATUS_CHANGED:
        if event.data.get("to") in CUSTOMER_STATUSES:
            customer("status")
    elif event.kind == EventKind.RESOLVED:
        customer("resolved")
    elif event.kind == EventKind.ESCALATED:
        tier_level = event.data.get("to_tier")
        tier_id = ticket.tier_id
        if tier_level is not None and ticket.tier.level != tier_level:
            from tierdesk.accounts.models import Tier

            tier_id = Tier.objects.filter(level=tier_level).values_list("pk", flat=True).first()
        if tier_id is not None:
            team_slug = event.data.get("to_team")
            team_id = ticket.team_id if team_slug else None
            for agent in tier_members(tier_id, team_id, actor_id):
                planned.append(Planned(agent, "escalated"))
    elif event.kind in SLA_KINDS:
        named = event.data.get("notify") or []
        if staff is None:
            staff = notified_staff([event])
        people = sorted((staff[name] for name in named if name in staff), key=lambda u: u.pk)
        planned.extend(Planned(person, SLA_KINDS[event.kind]) for person in people)
    seen: set[int] = set()
    unique = []
    for item in planned:
        if item.recipient.pk not in seen:
            seen.add(item.recipient.pk)
            unique.append(item)
    return unique


def notified_staff(events: list[Event]) -> dict[str, User]:
    """The active people with an address that the SLA events among ``events`` name, in one
    query (a sweep can record thousands of warnings at once)."""
    names = {
        name
        for event in events
        if event.kind in SLA_KINDS
        for name in event.data.get("notify") or []
    }
    if not names:
        return {}
    people = User.objects.filter(username__in=names, is_active=True).exclude(email="")
    return {person.username: person for person in people}


def collect(batch: int = BATCH) -> int:
    """Turn the timeline events after the cursor, and those that committed late below it,
    into notification rows; returns how many rows were made. Safe to run on several workers
    at once (the cursor row is locked).

    Each event is read once. Reading the last two minutes again on every run (as a first
    version did) filled the batch with events already read whenever more than a batch's worth
    had come in that time, and the new ones waited until the old ones were two minutes old."""
    made = 0
    with transaction.atomic():
        OutboxCursor.objects.get_or_create(name=CURSOR)
        cursor = OutboxCursor.objects.select_for_update().get(name=CURSOR)
        now = timezone.now()
        related = ("ticket__requester", "ticket__assignee", "ticket__tier", "actor")
        events = list(
            Event.objects.filter(pk__gt=cursor.last_event_id)
            .select_related(*related)
            .order_by("pk")[:batch]
        )
        holes = {pk: missed_at for pk, missed_at in cursor.holes}
        late = (
            list(Event.objects.filter(pk__in=sorted(holes)).select_related(*related))
            if holes
            else []
        )
        read = [*late, *events]
        staff = notified_staff(read)
        members = TierMembers()
        planned = [(event, item) for event in read for item in plan(event, staff, members)]
        # Rows only for what goes out: most queue news is held (a new ticket plans a mail
        # to every agent of its tier, and building forty model instances to drop them was
        # 14% of the worker's time while tickets were created, by py-spy).
        rows = [
            Notification(
                event=event,
                recipient=item.recipient,
                kind=item.kind,
                address=item.recipient.email,
                message_id=new_message_id(),
            )
            for event, item in _hold_queue_news(planned)
        ]
        if rows:
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
            made = len(rows)
        # Fixed-width ISO times (microseconds always written): they compare as text.
        oldest_kept = (now - LOOKBACK).isoformat(timespec="microseconds")
        found = {event.pk for event in late}
        still = {pk: at for pk, at in holes.items() if pk not in found and at >= oldest_kept}
        if events:
            newest = events[-1].pk
            if newest - cursor.last_event_id - len(events) <= MAX_NEW_HOLES:
                present = {event.pk for event in events}
                still |= {
                    pk: now.isoformat(timespec="microseconds")
                    for pk in range(cursor.last_event_id + 1, newest)
                    if pk not in present
                }
            cursor.last_event_id = newest
        if events or still != holes:
            cursor.holes = [[pk, at] for pk, at in sorted(still.items())]
            cursor.save(update_fields=["last_event_id", "holes"])
    return made


def _digest_window() -> timedelta:
    return timedelta(minutes=settings.TIERDESK_EMAIL_DIGEST_MINUTES)


def _hold_queue_news(planned: list[tuple[Event, Planned]]) -> list[tuple[Event, Planned]]:
    """What of ``planned`` (event, who and how) goes out: queue news (QUEUE_KINDS) for a
    person whose window is open is held in the window instead, to go out in their digest;
    news for a person with no open window goes out at once and opens one. Runs inside
    ``collect``'s transaction, which holds the cursor: one at a time, and each event once."""
    window = _digest_window()
    people = sorted({item.recipient.pk for _event, item in planned if item.kind in QUEUE_KINDS})
    if not window or not people:
        return planned
    now = timezone.now()
    windows = {
        mail_window.recipient_id: mail_window
        for mail_window in MailWindow.objects.select_for_update().filter(recipient_id__in=people)
    }
    changed: dict[int, MailWindow] = {}
    kept = []
    for event, item in planned:
        person = item.recipient.pk
        if item.kind not in QUEUE_KINDS:
            kept.append((event, item))
            continue
        current = windows.get(person)
        if current is None:
            windows[person] = MailWindow(recipient_id=person, opened_at=now)
            kept.append((event, item))
        elif current.opened_at + window <= now and not current.held:
            current.opened_at = now
            changed[person] = current
            kept.append((event, item))
        else:
            # Only what the digest will list is kept, and the rest counted: a busy queue
            # (300 new tickets a second) would otherwise grow each agent's list, rewritten on
            # every run, by thousands of entries per window.
            current.held = [*current.held, [event.pk, item.kind]][-DIGEST_LISTED:]
            current.held_count += 1
            current.held_since = current.held_since or now
            changed[person] = current
    MailWindow.objects.bulk_create([w for w in windows.values() if w.pk is None])
    MailWindow.objects.bulk_update(
        changed.values(), ["opened_at", "held", "held_count", "held_since"]
    )
    return kept


def release_digests(now=None) -> int:
    """Send on the news held in every window that has ended: one mail per person, their only
    piece of news as it is or a digest of them all; their next window opens now. Safe on
    several workers (``SKIP LOCKED``). Returns how many mails were made ready."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            MailWindow.objects.select_for_update(skip_locked=True)
            .filter(held_since__isnull=False, opened_at__lte=now - _digest_window())
            .select_related("recipient")
            .order_by("held_since")[:200]
        )
        mails = []
        for mail_window in due:
            recipient = mail_window.recipient
            held = mail_window.held
            count = mail_window.held_count
            if held and recipient.is_active and recipient.email:
                event_id, kind = held[-1]
                mails.append(
                    Notification(
                        event_id=event_id,
                        recipient=recipient,
                        kind=kind if count == 1 else DIGEST,
                        events=[] if count == 1 else [item[0] for item in held],
                        event_count=0 if count == 1 else count,
                        address=recipient.email,
                        message_id=new_message_id(),
                        next_attempt_at=now,
                    )
                )
            mail_window.held, mail_window.held_count = [], 0
            mail_window.held_since, mail_window.opened_at = None, now
        Notification.objects.bulk_create(mails, ignore_conflicts=True)
        MailWindow.objects.bulk_update(due, ["held", "held_count", "held_since", "opened_at"])
    return len(mails)


def _digest_items(notification: Notification) -> list[dict]:
    """The tickets a digest lists, oldest news first, with links to the desk."""
    events = (
        Event.objects.filter(pk__in=notification.events[-DIGEST_LISTED:])
        .select_related("ticket__organization", "ticket__tier")
        .order_by("pk")
    )
    base = settings.TIERDESK_PUBLIC_URL.rstrip("/")
    items = []
    for event in events:
        ticket = event.ticket
        items.append(
            {
                "number": ticket.number,
                "subject": ticket.subject,
                "organization": ticket.organization.name,
                "escalated": event.kind == EventKind.ESCALATED,
                "tier": ticket.tier.code,
                "url": base + reverse("web:ticket", args=[ticket.pk]),
            }
        )
    return items


def _suggestions(notification: Notification, language: str) -> list[dict]:
    """For the "received" auto-reply: the help articles that may solve the problem at once
    (the same suggestions the portal's ticket form shows), with absolute links."""
    if notification.kind != "received":
        return []
    ticket = notification.event.ticket
    hits = suggest_articles(
        notification.recipient,
        f"{ticket.subject} {ticket.description}",
        language,
        limit=3,
        snippets=False,
    )
    base = settings.TIERDESK_PUBLIC_URL.rstrip("/")
    return [{"title": hit.title, "url": f"{base}{hit.url}?from=email"} for hit in hits]


def _rating_url(notification: Notification) -> str:
    """For the "resolved" mail to a customer: the link that rates this resolution 1–5
    without signing in (signed, single use, expires)."""
    recipient = notification.recipient
    if notification.kind != "resolved" or not recipient.is_customer:
        return ""
    event = notification.event
    if event.ticket.requester_id != recipient.pk:
        return ""
    token = rating_token(
        ticket_id=event.ticket_id, resolution_id=event.pk, requester_id=recipient.pk
    )
    path = reverse("web:portal_rate_link", kwargs={"token": token})
    return settings.TIERDESK_PUBLIC_URL.rstrip("/") + path


def render(
    notification: Notification,
    unsent: Collection[str] = (),
    threads: dict[int, list[str]] | None = None,
) -> EmailMessage:
    """The mail for one notification, in its recipient's language. ``unsent``: Message-IDs
    already remembered for the ticket but not sent yet, which it must not refer to.
    ``threads``: the Message-IDs of the batch's tickets, read once (thread_message_ids)."""
    event = notification.event
    ticket = event.ticket
    recipient = notification.recipient
    language = recipient.language or settings.LANGUAGE_CODE
    if notification.kind == DIGEST:
        return _render_digest(notification, language)
    with translation.override(language):
        context = {
            "ticket": ticket,
            "number": ticket.number,
            "event": event,
            "recipient": recipient,
            "status": Status(ticket.status).label,
            "new_status": Status(event.data["to"]).label
            if event.data.get("to") in Status.values
            else "",
            "author": event.actor.display_name if event.actor else "",
            "articles": _suggestions(notification, language),
            "rating_url": _rating_url(notification),
            "rating_days": RATING_LINK_MAX_AGE.days,
            "clock": CLOCK_LABELS.get(event.data.get("clock"), ""),
            "due": _due(event, recipient),
        }
        text = render_to_string(f"channels/email/{notification.kind}.txt", context).strip()
    subject, _newline, body = text.partition("\n")
    headers = {
        "Message-ID": f"<{notification.message_id}>",
        "X-Tierdesk-Notification": notification.kind,
        "Reply-To": settings.TIERDESK_EMAIL_FROM,
        **thread_headers(
            ticket.pk,
            exclude={notification.message_id, *unsent},
            message_ids=None if threads is None else threads.get(ticket.pk),
        ),
    }
    if notification.kind in AUTOMATIC_KINDS:
        headers["Auto-Submitted"] = (
            "auto-replied" if notification.kind == "received" else "auto-generated"
        )
        headers["X-Auto-Response-Suppress"] = "All"
    return EmailMessage(
        subject=tagged_subject(ticket.pk, subject.strip()),
        body=body.strip() + "\n",
        from_email=settings.TIERDESK_EMAIL_FROM,
        to=[notification.address],
        headers=headers,
    )


def _render_digest(notification: Notification, language: str) -> EmailMessage:
    """A digest is about several tickets: no ticket tag in its subject, no thread."""
    listed = _digest_items(notification)
    count = notification.event_count  # every digest row has it (channels/0006 counted the old)
    with translation.override(language):
        text = render_to_string(
            f"channels/email/{DIGEST}.txt",
            {
                "count": count,
                "items": listed,
                "more": count - len(listed),
                "desk_url": settings.TIERDESK_PUBLIC_URL.rstrip("/") + reverse("web:desk"),
            },
        ).strip()
    subject, _newline, body = text.partition("\n")
    return EmailMessage(
        subject=subject.strip(),
        body=body.strip() + "\n",
        from_email=settings.TIERDESK_EMAIL_FROM,
        to=[notification.address],
        headers={
            "Message-ID": f"<{notification.message_id}>",
            "X-Tierdesk-Notification": DIGEST,
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )


def _due(event: Event, recipient: User) -> str:
    """When the clock of an SLA event is due, in the recipient's time zone: the ticket's due
    time for that clock (a warning's own moment, ``data.at``, comes before it)."""
    clock = event.data.get("clock")
    moment = getattr(event.ticket, f"{clock}_due", None) if clock in CLOCK_LABELS else None
    if moment is None:
        moment = parse_datetime(str(event.data.get("at") or ""))
    if moment is None:
        return ""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    zone = time_zone_of(recipient)
    return f"{timezone.localtime(moment, zone):%Y-%m-%d %H:%M} ({zone.key})"


def send_due(limit: int | None = None) -> int:
    """Send the notifications that are due, a batch (``limit``, else SEND_BATCH) over one
    connection to the mail server; returns how many went out. Safe on several workers: each
    claims rows of its own.

    A new ticket alone makes a receipt and a mail to each agent of its tier: claiming,
    remembering and marking the mails one at a time took four write transactions each,
    which on SQLite queued behind (and held up) the web workers' writes."""
    now = timezone.now()
    Notification.objects.filter(
        state=Notification.State.SENDING, next_attempt_at__lt=now - STUCK_AFTER
    ).update(state=Notification.State.PENDING)
    release_digests(now)
    claimed = _claim(now, limit or SEND_BATCH)
    if not claimed:
        return 0
    notifications = list(
        Notification.objects.filter(pk__in=claimed)
        .select_related("event__ticket", "event__actor", "recipient")
        .order_by("pk")
    )
    # Remembered before sending: a reply can arrive before this batch is done. A digest is
    # about several tickets: a reply to it belongs to none of them.
    record_sent(
        (n.event.ticket_id, n.message_id, n.event_id) for n in notifications if n.kind != DIGEST
    )
    connection = get_connection()
    # Kept open for the batch. An open that fails is tried again by each send, which then
    # records its own failure and retry.
    with contextlib.suppress(Exception):
        connection.open()
    # Mails of the batch not sent yet: a mail refers to those sent before it, never to these.
    unsent = {notification.message_id for notification in notifications}
    threads = thread_message_ids({n.event.ticket_id for n in notifications if n.kind != DIGEST})
    sent = 0
    try:
        for start in range(0, len(notifications), MARK_EVERY):
            done = []
            for notification in notifications[start : start + MARK_EVERY]:
                try:
                    message = render(notification, unsent=unsent, threads=threads)
                    message.connection = connection
                    message.send()
                except Exception as error:  # SMTP refused, timed out, template broke
                    _failed(notification, error)
                    continue
                unsent.discard(notification.message_id)
                done.append(notification.pk)
            # Marked a few at a time: a worker that dies mid-batch resends at most these.
            Notification.objects.filter(pk__in=done).update(
                state=Notification.State.SENT, sent_at=timezone.now(), last_error=""
            )
            sent += len(done)
    finally:
        connection.close()
    return sent


def _claim(now, limit: int) -> list[int]:
    """The due notifications this worker takes, marked as being sent (PostgreSQL hands
    concurrent workers disjoint rows; SQLite runs one writer at a time)."""
    with transaction.atomic():
        due = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(state=Notification.State.PENDING, next_attempt_at__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if due:
            Notification.objects.filter(pk__in=due).update(
                state=Notification.State.SENDING, attempts=F("attempts") + 1, next_attempt_at=now
            )
    return due


def _failed(notification: Notification, error: Exception) -> None:
    message = f"{type(error).__name__}: {error}"[:2000]
    logger.warning("mail to %s failed: %s", notification.address, message)
    if notification.attempts >= MAX_ATTEMPTS:
        Notification.objects.filter(pk=notification.pk).update(
            state=Notification.State.FAILED, last_error=message
        )
        record_send_failure(
            ticket_id=notification.event.ticket_id,
            address=notification.address,
            kind=notification.kind,
            error=message,
        )
        return
    delay = timedelta(minutes=2 ** (notification.attempts - 1))
    Notification.objects.filter(pk=notification.pk).update(
        state=Notification.State.PENDING,
        last_error=message,
        next_attempt_at=timezone.now() + delay,
    )
