"""Moving a ticket along its lifecycle: pending, on hold, resolved, reopened, closed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import User
from tierdesk.cleaning import clean_choice, clean_text
from tierdesk.errors import InvalidInput
from tierdesk.tickets.actions import clocks
from tierdesk.tickets.actions.common import (
    MAX_TEXT_LENGTH,
    end_period,
    locked_ticket,
    move_status,
    record_event,
    require_staff,
    require_works_on,
    save_ticket,
    start_period,
)
from tierdesk.tickets.errors import TransitionNotAllowed
from tierdesk.tickets.lifecycle import Status, can_move
from tierdesk.tickets.models import (
    EventKind,
    Ticket,
    TierPeriod,
)


def apply_resolution(ticket: Ticket, actor: User, at: datetime, resolution: str) -> list[str]:
    move_status(ticket, Status.RESOLVED, actor, at)
    ticket.resolved_at = at
    ticket.resolved_tier = ticket.tier
    changed = ["status", "resolved_at", "resolved_tier"]
    if ticket.first_responded_at is None:
        ticket.first_responded_at = at
        changed.append("first_responded_at")
        clocks.first_response(ticket, at)
    end_period(ticket, at, TierPeriod.EndReason.RESOLVED)
    record_event(
        ticket,
        EventKind.RESOLVED,
        actor,
        at,
        body=resolution,
        data={
            "tier": ticket.tier.level,
            "team": ticket.team.slug if ticket.team_id else None,
            "sla": {
                **clocks.summary(ticket),
                "first_response_met": ticket.first_response_breached_at is None,
                "resolution_met": ticket.resolution_breached_at is None,
            },
        },
    )
    return changed


def apply_reopen(ticket: Ticket, actor: User, at: datetime, reason: str) -> None:
    move_status(ticket, Status.OPEN, actor, at)
    ticket.resolved_at = None
    ticket.resolved_tier = None
    start_period(ticket, at)
    clocks.tier_changed(ticket, at)
    record_event(
        ticket,
        EventKind.REOPENED,
        actor,
        at,
        body=reason,
        data={"tier": ticket.tier.level, "sla": clocks.summary(ticket)},
    )


def resolve_ticket(*, actor: User, ticket_id: int, resolution: Any) -> Ticket:
    """Mark the ticket solved at its current tier, telling the customer how."""
    at = timezone.now()
    require_staff(actor)
    resolution = clean_text(
        resolution, field="resolution", label=_("Resolution"), max_length=MAX_TEXT_LENGTH
    )
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        require_works_on(actor, ticket)
        changed = apply_resolution(ticket, actor, at, resolution)
        save_ticket(ticket, at, changed)
    return ticket


def reopen_ticket(*, actor: User, ticket_id: int, reason: Any = "") -> Ticket:
    """Reopen a resolved ticket (the customer or an agent who works it)."""
    at = timezone.now()
    reason = clean_text(
        reason, field="reason", label=_("Reason"), max_length=MAX_TEXT_LENGTH, required=False
    )
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        if not actor.is_customer:
            require_works_on(actor, ticket)
        apply_reopen(ticket, actor, at, reason)
        save_ticket(ticket, at, ["status", "resolved_at", "resolved_tier"])
    return ticket


def set_status(*, actor: User, ticket_id: int, status: Any, note: Any = "") -> Ticket:
    """Move the ticket along the lifecycle. Resolving needs a resolution (the note); going
    back to open from resolved is a reopen. A note is kept as an internal note."""
    at = timezone.now()
    require_staff(actor)
    target = clean_choice(status, Status, field="status", label=_("Status"))
    if target is None:
        raise InvalidInput(_("Status is required."), field="status")
    note = clean_text(
        note, field="note", label=_("Note"), max_length=MAX_TEXT_LENGTH, required=False
    )
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        require_works_on(actor, ticket)
        if not can_move(ticket.status, target):
            raise TransitionNotAllowed(ticket.status, target)
        if target == Status.RESOLVED:
            if not note:
                raise InvalidInput(
                    _("Say how the ticket was resolved."), code="resolution_required", field="note"
                )
            save_ticket(ticket, at, apply_resolution(ticket, actor, at, note))
            return ticket
        if ticket.status == Status.RESOLVED and target == Status.OPEN:
            apply_reopen(ticket, actor, at, note)
            save_ticket(ticket, at, ["status", "resolved_at", "resolved_tier"])
            return ticket
        move_status(ticket, target, actor, at)
        changed = ["status"]
        if target == Status.CLOSED:
            ticket.closed_at = at
            changed.append("closed_at")
        if note:
            record_event(ticket, EventKind.NOTE, actor, at, body=note, is_internal=True)
        save_ticket(ticket, at, changed)
    return ticket
