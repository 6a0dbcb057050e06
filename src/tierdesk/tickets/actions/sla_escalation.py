"""What the SLA sweep does to a ticket whose clock warned or ran out, by the policy's rule:

- hierarchical: notify and assign the ticket to the supervisor of its tier;
- functional: move it up one tier with an automatic handoff that names the missed target
  and lists what the timeline shows was already tried.

These run without a person as actor (events have no actor): the sweep is the system.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tierdesk.accounts.models import Membership, Role, User
from tierdesk.accounts.queries import ticket_tiers
from tierdesk.sla.models import EscalationKind
from tierdesk.tickets.actions.clocks import RUNNING
from tierdesk.tickets.actions.common import record_event, save_ticket
from tierdesk.tickets.actions.escalation import relocate
from tierdesk.tickets.models import HANDOFF_KINDS, EventKind, Ticket, TierPeriod

MAX_TRIED_ITEMS = 20
MAX_TRIED_LENGTH = 300


def tier_supervisors() -> dict[int | None, User]:
    """The supervisor of each tier: an active supervisor who is a member of it, else (key
    ``None``) any active supervisor."""
    supervisors: dict[int | None, User] = {}
    memberships = (
        Membership.objects.filter(user__role=Role.SUPERVISOR, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    for membership in memberships:
        supervisors.setdefault(membership.tier_id, membership.user)
    fallback = User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("pk").first()
    if fallback is not None:
        supervisors[None] = fallback
    return supervisors


def supervisor_for(tier_id: int, supervisors: dict[int | None, User] | None = None) -> User | None:
    supervisors = tier_supervisors() if supervisors is None else supervisors
    return supervisors.get(tier_id) or supervisors.get(None)


def what_was_tried(ticket: Ticket) -> list[str]:
    """The steps earlier handoffs listed, then the agents' internal notes, oldest first."""
    steps: list[str] = []
    for event in ticket.events.filter(kind__in=HANDOFF_KINDS).order_by("created_at", "id"):
        steps.extend(str(step) for step in event.data.get("tried", []) or [])
    notes = ticket.events.filter(kind=EventKind.NOTE).order_by("created_at", "id")
    for note in notes.values_list("body", flat=True)[:MAX_TRIED_ITEMS]:
        first_line = note.strip().splitlines()[0] if note.strip() else ""
        if first_line:
            steps.append(first_line[:MAX_TRIED_LENGTH])
    unique = list(dict.fromkeys(step for step in steps if step))
    return unique[-MAX_TRIED_ITEMS:]


def escalate_for_sla(*, ticket_id: int, clock: str, stage: str, kind: str) -> str:
    """Apply the policy's escalation rule to one ticket; returns what happened
    (``assigned``, ``escalated``, ``skipped:<why>`` or ``nothing``)."""
    at = timezone.now()
    missed: dict[str, Any] = {"clock": clock, "stage": stage}
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None or ticket.status not in RUNNING:
            return "nothing"
        due = getattr(ticket, f"{clock}_due")
        missed["due"] = due.isoformat() if due else None
        if kind == EscalationKind.FUNCTIONAL:
            return _move_up(ticket, at, missed)
        return _to_supervisor(ticket, at, missed)


def _skip(ticket: Ticket, at, missed: dict[str, Any], why: str) -> str:
    record_event(
        ticket,
        EventKind.SLA_ESCALATION_SKIPPED,
        None,
        at,
        is_internal=True,
        data={**missed, "why": why},
    )
    save_ticket(ticket, at, [])
    return f"skipped:{why}"


def _to_supervisor(ticket: Ticket, at, missed: dict[str, Any]) -> str:
    supervisor = supervisor_for(ticket.tier_id)
    if supervisor is None:
        return _skip(ticket, at, missed, "no_supervisor")
    if ticket.assignee_id == supervisor.pk:
        return "nothing"
    previous = ticket.assignee.username if ticket.assignee_id else None
    ticket.assignee = supervisor
    record_event(
        ticket,
        EventKind.ASSIGNED,
        None,
        at,
        is_internal=True,
        data={"from": previous, "to": supervisor.username, "automatic": True, "missed": missed},
    )
    save_ticket(ticket, at, ["assignee"])
    return "assigned"


def _move_up(ticket: Ticket, at, missed: dict[str, Any]) -> str:
    current_level = ticket.tier.level
    target = ticket_tiers().filter(level__gt=current_level).order_by("level").first()
    if target is None:
        return _skip(ticket, at, missed, "no_higher_tier")
    relocate(
        ticket,
        actor=None,
        at=at,
        tier=target,
        team=None,
        kind=EventKind.ESCALATED,
        end_reason=TierPeriod.EndReason.ESCALATED,
        handoff={
            "reason": None,
            "tried": what_was_tried(ticket),
            "findings": None,
            "automatic": True,
            "missed": missed,
        },
        body="",
    )
    ticket.escalation_count = F("escalation_count") + 1
    save_ticket(ticket, at, ["tier", "team", "assignee", "escalation_count"])
    return "escalated"
