"""Moving a ticket between tiers and teams, always with a handoff."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Team, Tier, User
from tierdesk.cleaning import clean_text
from tierdesk.errors import InvalidInput
from tierdesk.tickets.actions import clocks
from tierdesk.tickets.actions.common import (
    MAX_HANDOFF_TEXT_LENGTH,
    MAX_STEP_LENGTH,
    MAX_STEPS_TRIED,
    end_period,
    locked_ticket,
    record_event,
    require_active,
    require_holder,
    require_staff,
    save_ticket,
    start_period,
    team_in_tier,
    ticket_tier_at_level,
)
from tierdesk.tickets.models import (
    Event,
    EventKind,
    Ticket,
    TierPeriod,
)


def _steps(tried: Any) -> list[str]:
    if tried is None:
        tried = []
    if not isinstance(tried, list | tuple):
        raise InvalidInput(_("Steps tried must be a list of texts."), field="tried")
    steps = [
        clean_text(
            step,
            field="tried",
            label=_("Each step tried"),
            max_length=MAX_STEP_LENGTH,
            required=False,
        )
        for step in tried
    ]
    steps = [step for step in steps if step]
    if not steps:
        raise InvalidInput(
            _("List at least one step already tried, so the next tier does not repeat it."),
            code="handoff_incomplete",
            field="tried",
        )
    if len(steps) > MAX_STEPS_TRIED:
        raise InvalidInput(
            format_lazy(_("List at most {limit} steps tried."), limit=MAX_STEPS_TRIED),
            field="tried",
        )
    return steps


def _handoff_text(value: Any, *, field: str, label: Any) -> str:
    """A required part of a handoff: empty is an incomplete handoff, not just a blank field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidInput(
            format_lazy(_("{field} is required for the handoff."), field=label),
            code="handoff_incomplete",
            field=field,
        )
    return clean_text(value, field=field, label=label, max_length=MAX_HANDOFF_TEXT_LENGTH)


def relocate(
    ticket: Ticket,
    *,
    actor: User | None,
    at: datetime,
    tier: Tier,
    team: Team | None,
    kind: str,
    end_reason: str,
    handoff: dict[str, Any],
    body: str,
) -> Event:
    """Move the ticket to ``tier``/``team``, unassigned, closing one tier period and starting
    the next, and record the handoff. A building block for the escalation actions here and the
    SLA sweep's automatic escalations: the caller has locked the ticket and checked the move."""
    data = {
        "from_tier": ticket.tier.level,
        "to_tier": tier.level,
        "from_team": ticket.team.slug if ticket.team_id else None,
        "to_team": team.slug if team else None,
        "previous_assignee": ticket.assignee.username if ticket.assignee_id else None,
        **handoff,
    }
    end_period(ticket, at, end_reason)
    tier_moved = ticket.tier_id != tier.pk
    ticket.tier = tier
    ticket.team = team
    ticket.assignee = None
    start_period(ticket, at)
    if tier_moved:
        clocks.tier_changed(ticket, at)
        data["sla"] = clocks.summary(ticket)
    return record_event(ticket, kind, actor, at, body=body, is_internal=True, data=data)


def escalate_ticket(
    *,
    actor: User,
    ticket_id: int,
    to_tier: Any,
    team: str | None = None,
    reason: Any,
    tried: Any,
    findings: Any,
) -> Ticket:
    """Move the ticket up to a higher tier with a handoff: why, what was tried, what was found.
    It then waits unassigned in the receiving tier's (or team's) queue."""
    at = timezone.now()
    require_staff(actor)
    reason = _handoff_text(reason, field="reason", label=_("Reason"))
    steps = _steps(tried)
    findings = _handoff_text(findings, field="findings", label=_("Findings"))
    target = ticket_tier_at_level(to_tier, field="to_tier")
    target_team = team_in_tier(target, team)
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        require_active(ticket)
        require_holder(actor, ticket)
        if target.level <= ticket.tier.level:
            raise InvalidInput(
                format_lazy(
                    _("Escalation goes up: the ticket is at {current}, so choose a tier above it."),
                    current=ticket.tier.code,
                ),
                code="not_a_higher_tier",
                field="to_tier",
            )
        relocate(
            ticket,
            actor=actor,
            at=at,
            tier=target,
            team=target_team,
            kind=EventKind.ESCALATED,
            end_reason=TierPeriod.EndReason.ESCALATED,
            handoff={"reason": reason, "tried": steps, "findings": findings},
            body=reason,
        )
        ticket.escalation_count = F("escalation_count") + 1
        save_ticket(ticket, at, ["tier", "team", "assignee", "escalation_count"])
    ticket.refresh_from_db(fields=["escalation_count"])
    return ticket


def deescalate_ticket(
    *, actor: User, ticket_id: int, to_tier: Any, team: str | None = None, instructions: Any
) -> Ticket:
    """Send the ticket back down to a lower tier with instructions for it."""
    at = timezone.now()
    require_staff(actor)
    instructions = _handoff_text(instructions, field="instructions", label=_("Instructions"))
    target = ticket_tier_at_level(to_tier, field="to_tier")
    target_team = team_in_tier(target, team)
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        require_active(ticket)
        require_holder(actor, ticket)
        if target.level >= ticket.tier.level:
            raise InvalidInput(
                format_lazy(
                    _(
                        "De-escalation goes down: the ticket is at {current}, "
                        "so choose a tier below it."
                    ),
                    current=ticket.tier.code,
                ),
                code="not_a_lower_tier",
                field="to_tier",
            )
        relocate(
            ticket,
            actor=actor,
            at=at,
            tier=target,
            team=target_team,
            kind=EventKind.DEESCALATED,
            end_reason=TierPeriod.EndReason.DEESCALATED,
            handoff={"instructions": instructions},
            body=instructions,
        )
        save_ticket(ticket, at, ["tier", "team", "assignee"])
    return ticket


def transfer_ticket(*, actor: User, ticket_id: int, team: str, note: Any) -> Ticket:
    """Move the ticket to another team of the same tier (a functional move), with a note."""
    at = timezone.now()
    require_staff(actor)
    note = _handoff_text(note, field="note", label=_("Note"))
    if not team:
        raise InvalidInput(_("Choose the team to move the ticket to."), field="team")
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        require_active(ticket)
        require_holder(actor, ticket)
        target_team = team_in_tier(ticket.tier, team)
        if target_team.pk == ticket.team_id:
            raise InvalidInput(_("The ticket is already with that team."), field="team")
        relocate(
            ticket,
            actor=actor,
            at=at,
            tier=ticket.tier,
            team=target_team,
            kind=EventKind.TRANSFERRED,
            end_reason=TierPeriod.EndReason.TRANSFERRED,
            handoff={"note": note},
            body=note,
        )
        save_ticket(ticket, at, ["team", "assignee"])
    return ticket
