"""Tickets and events as the API shows them. Every read path selects the related rows
these functions touch, so a page of tickets is one query."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tierdesk.tickets.actions.clocks import RUNNING
from tierdesk.tickets.lifecycle import Status, allowed_moves
from tierdesk.tickets.models import Event, Ticket


def ticket_out(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "subject": ticket.subject,
        "description": ticket.description,
        "status": ticket.status,
        "status_label": str(Status(ticket.status).label),
        "allowed_statuses": allowed_moves(ticket.status),
        "priority": ticket.priority,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "channel": ticket.channel,
        "category": ticket.category.slug if ticket.category_id else None,
        "tier": ticket.tier.level,
        "tier_name": ticket.tier.name,
        "team": ticket.team.slug if ticket.team_id else None,
        "team_name": ticket.team.name if ticket.team_id else None,
        "assignee": ticket.assignee.username if ticket.assignee_id else None,
        "organization": ticket.organization.slug,
        "organization_name": ticket.organization.name,
        "requester": ticket.requester.username,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "first_responded_at": ticket.first_responded_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "resolved_tier": ticket.resolved_tier.level if ticket.resolved_tier_id else None,
        "escalation_count": ticket.escalation_count,
        "sla": sla_out(ticket),
    }


def sla_out(ticket: Ticket) -> dict[str, Any]:
    """The ticket's SLA clocks; a breach counts once recorded by the sweep or as soon as a
    running clock is past its due time."""
    now = timezone.now()
    running = ticket.status in RUNNING
    first_response_breached = ticket.first_response_breached_at is not None or (
        ticket.first_response_due is not None
        and ticket.first_responded_at is None
        and running
        and now > ticket.first_response_due
    )
    resolution_breached = ticket.resolution_breached_at is not None or (
        ticket.resolution_due is not None and running and now > ticket.resolution_due
    )
    return {
        "policy": ticket.sla_policy.name if ticket.sla_policy_id else None,
        "policy_reason": ticket.sla_policy_reason or None,
        "first_response_due": ticket.first_response_due,
        "resolution_due": ticket.resolution_due,
        "tier_due": ticket.tier_due,
        "paused": ticket.paused_since is not None,
        "first_response_breached": first_response_breached,
        "resolution_breached": resolution_breached,
        "tier_breached": ticket.tier_breached_at is not None
        or (ticket.tier_due is not None and running and now > ticket.tier_due),
    }


def handoff_out(event: Event) -> dict[str, Any]:
    data = event.data
    return {
        "kind": event.kind,
        "from_tier": data.get("from_tier"),
        "to_tier": data.get("to_tier"),
        "from_team": data.get("from_team"),
        "to_team": data.get("to_team"),
        "reason": data.get("reason"),
        "tried": data.get("tried", []),
        "findings": data.get("findings"),
        "instructions": data.get("instructions"),
        "note": data.get("note"),
        "by": event.actor.username if event.actor_id else None,
        "at": event.created_at,
    }


def event_out(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "type": event.kind,
        "actor": event.actor.username if event.actor_id else None,
        "at": event.created_at,
        "body": event.body,
        "internal": event.is_internal,
        "data": event.data,
    }
