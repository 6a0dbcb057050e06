"""What the ticket actions share: input cleaning, locking, permission checks, timeline
and tier-period bookkeeping."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Team, Tier, User
from tierdesk.accounts.queries import is_member_of, ticket_tiers
from tierdesk.errors import Conflict, InvalidInput, NotAllowed
from tierdesk.search import index as search_index
from tierdesk.tickets.actions import clocks
from tierdesk.tickets.errors import TicketNotFound, TransitionNotAllowed
from tierdesk.tickets.lifecycle import Status, can_move, is_active
from tierdesk.tickets.models import (
    MAX_TICKET_ID,
    Category,
    Channel,
    Event,
    EventKind,
    Level,
    Priority,
    Ticket,
    TierPeriod,
)
from tierdesk.tickets.queries import TICKET_DOCUMENTS, visible_tickets

MAX_SUBJECT_LENGTH = 200
MAX_TEXT_LENGTH = 65_536
MAX_HANDOFF_TEXT_LENGTH = 10_000
MAX_STEPS_TRIED = 50
MAX_STEP_LENGTH = 1_000
MAX_IDEMPOTENCY_KEY_LENGTH = 255

# ITIL-style matrix: impact x urgency -> priority.
PRIORITY_MATRIX: dict[tuple[str, str], str] = {
    (Level.HIGH, Level.HIGH): Priority.P1,
    (Level.HIGH, Level.MEDIUM): Priority.P2,
    (Level.MEDIUM, Level.HIGH): Priority.P2,
    (Level.HIGH, Level.LOW): Priority.P3,
    (Level.MEDIUM, Level.MEDIUM): Priority.P3,
    (Level.LOW, Level.HIGH): Priority.P3,
    (Level.MEDIUM, Level.LOW): Priority.P4,
    (Level.LOW, Level.MEDIUM): Priority.P4,
    (Level.LOW, Level.LOW): Priority.P4,
}

# Channels a customer may claim for a ticket they open themselves.
CUSTOMER_CHANNELS = frozenset({Channel.WEB, Channel.API})


def derive_priority(impact: str, urgency: str) -> str:
    return PRIORITY_MATRIX[(impact, urgency)]


def require_staff(actor: User) -> None:
    if not actor.is_staff_member:
        raise NotAllowed(_("Only service desk staff can do this."), code="staff_only")


def locked_ticket(actor: User, ticket_id: int) -> Ticket:
    """The ticket, locked for this transaction, if ``actor`` may see it."""
    if (
        not 0 < ticket_id <= MAX_TICKET_ID
        or not visible_tickets(actor).filter(pk=ticket_id).exists()
    ):
        raise TicketNotFound()
    # Lock the ticket row alone: with joins, PostgreSQL re-checks a row updated while we waited
    # against the joined rows it read before, and a ticket that just changed tier would vanish.
    return Ticket.objects.select_for_update().get(pk=ticket_id)


def works_on(actor: User, ticket: Ticket) -> bool:
    """Whether ``actor`` may work the ticket where it is: its holder, a member of its current
    tier (or team), or a supervisor."""
    return (
        actor.is_supervisor
        or ticket.assignee_id == actor.pk
        or is_member_of(actor, ticket.tier, ticket.team)
    )


def require_works_on(actor: User, ticket: Ticket) -> None:
    require_staff(actor)
    if not works_on(actor, ticket):
        raise NotAllowed(
            format_lazy(
                _(
                    "Only the agent holding the ticket, members of {tier} or a supervisor "
                    "can do this."
                ),
                tier=ticket.tier.code,
            ),
            code="not_in_ticket_tier",
        )


def require_holder(actor: User, ticket: Ticket) -> None:
    require_staff(actor)
    if not (actor.is_supervisor or ticket.assignee_id == actor.pk):
        raise NotAllowed(
            _("Only the agent holding this ticket, or a supervisor, can move it. Take it first."),
            code="not_ticket_holder",
        )


def require_active(ticket: Ticket) -> None:
    if not is_active(ticket.status):
        raise Conflict(
            format_lazy(
                _("The ticket is “{status}”; reopen it first."),
                status=Status(ticket.status).label,
            ),
            code="ticket_not_active",
        )


def record_event(
    ticket: Ticket,
    kind: str,
    actor: User | None,
    at: datetime,
    *,
    body: str = "",
    is_internal: bool = False,
    data: dict[str, Any] | None = None,
) -> Event:
    return Event.objects.create(
        ticket=ticket,
        kind=kind,
        actor=actor,
        created_at=at,
        body=body,
        is_internal=is_internal,
        data=data or {},
    )


def start_period(ticket: Ticket, at: datetime) -> None:
    TierPeriod.objects.create(ticket=ticket, tier=ticket.tier, team=ticket.team, started_at=at)


def end_period(ticket: Ticket, at: datetime, reason: str) -> None:
    TierPeriod.objects.filter(ticket=ticket, ended_at__isnull=True).update(
        ended_at=at, end_reason=reason
    )


# Ticket fields the search index holds (text, and the facets searches filter on).
SEARCHED_FIELDS = frozenset({"subject", "description", "status", "category"})


def save_ticket(ticket: Ticket, at: datetime, fields: list[str]) -> None:
    """Save the named fields, and the SLA clock fields when the clocks changed; a change the
    search index holds is queued for it once the transaction commits."""
    ticket.updated_at = at
    if clocks.clock_changed(ticket):
        fields = [*fields, *clocks.CLOCK_FIELDS]
    ticket.save(update_fields=list(dict.fromkeys([*fields, "updated_at"])))
    if SEARCHED_FIELDS.intersection(fields):
        search_index.changed(TICKET_DOCUMENTS, [ticket.pk])


def move_status(ticket: Ticket, target: str, actor: User | None, at: datetime) -> Event:
    """Change status along the lifecycle table and record it (caller saves the ticket).
    The SLA clocks pause while the ticket waits and run again when it is worked."""
    if not can_move(ticket.status, target):
        raise TransitionNotAllowed(ticket.status, target)
    previous = ticket.status
    ticket.status = target
    event = record_event(
        ticket, EventKind.STATUS_CHANGED, actor, at, data={"from": previous, "to": target}
    )
    change = clocks.status_changed(ticket, previous, at)
    if change is not None:
        kind = EventKind.SLA_PAUSED if change == "paused" else EventKind.SLA_RESUMED
        record_event(ticket, kind, actor, at, is_internal=True, data=clocks.summary(ticket))
    return event


def ticket_tier_at_level(level: Any, *, field: str) -> Tier:
    if isinstance(level, bool) or not isinstance(level, int):
        raise InvalidInput(_("The tier is given by its level number, e.g. 2."), field=field)
    tier = ticket_tiers().filter(level=level).first()
    if tier is None:
        raise InvalidInput(
            format_lazy(_("There is no tier L{level} that takes tickets."), level=level),
            code="unknown_tier",
            field=field,
        )
    return tier


def team_in_tier(tier: Tier, slug: str | None, *, field: str = "team") -> Team | None:
    if not slug:
        return None
    team = Team.objects.filter(slug=slug, is_active=True).select_related("tier").first()
    if team is None:
        raise InvalidInput(
            format_lazy(_("There is no team “{team}”."), team=slug),
            code="unknown_team",
            field=field,
        )
    if team.tier_id != tier.pk:
        raise InvalidInput(
            format_lazy(
                _("Team “{team}” belongs to {team_tier}, not {tier}."),
                team=team.slug,
                team_tier=team.tier.code,
                tier=tier.code,
            ),
            code="team_not_in_tier",
            field=field,
        )
    return team


def category_by_slug(slug: str | None) -> Category | None:
    if not slug:
        return None
    category = Category.objects.filter(slug=slug, is_active=True).first()
    if category is None:
        raise InvalidInput(
            format_lazy(_("There is no category “{category}”."), category=slug),
            code="unknown_category",
            field="category",
        )
    return category
