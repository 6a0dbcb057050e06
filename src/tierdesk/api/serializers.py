"""Tickets and events as the API shows them. Every read path selects the related rows
these functions touch, so a page of tickets is one query (of plain rows, no models)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from tierdesk.accounts.models import in_language
from tierdesk.tickets.actions.clocks import RUNNING
from tierdesk.tickets.lifecycle import Status, allowed_moves
from tierdesk.tickets.models import Event, Ticket, format_ticket_number
from tierdesk.tickets.queries import in_written_join_order

# What a ticket shows of itself and of its related rows, by name as ``QuerySet.values``
# spells it. A page of tickets reads these as plain rows (``ticket_rows_out``): building 25
# tickets with their eight related models cost more than reading and printing them.
TICKET_OUT_FIELDS = (
    *[
        "id",
        "subject",
        "description",
        "status",
        "priority",
        "impact",
        "urgency",
        "channel",
        "created_at",
        "updated_at",
        "first_responded_at",
        "resolved_at",
        "closed_at",
        "escalation_count",
        "sla_policy_reason",
        "first_response_due",
        "first_response_breached_at",
        "resolution_due",
        "resolution_breached_at",
        "tier_due",
        "tier_breached_at",
        "paused_since",
    ],
    "requester__username",
    "organization__slug",
    "organization__name",
    "category__slug",
    "tier__level",
    "tier__name_id",
    "tier__name_en",
    "team__slug",
    "team__name_id",
    "team__name_en",
    "assignee__username",
    "resolved_tier__level",
    "sla_policy__name",
)


def _follow(ticket: Ticket, name: str) -> Any:
    """``name`` of ``TICKET_OUT_FIELDS`` read off a ticket model (None past an empty link)."""
    value: Any = ticket
    for part in name.split("__"):
        value = getattr(value, part)
        if value is None:
            return None
    return value


def ticket_out(ticket: Ticket) -> dict[str, Any]:
    """One ticket (a model with its related rows selected)."""
    return ticket_row_out({name: _follow(ticket, name) for name in TICKET_OUT_FIELDS})


def ticket_rows_out(tickets: QuerySet[Ticket]) -> list[dict[str, Any]]:
    """A page of tickets (a query of them, filtered, ordered and sliced), as rows."""
    return [
        ticket_row_out(row) for row in in_written_join_order(tickets.values(*TICKET_OUT_FIELDS))
    ]


def ticket_row_out(row: dict[str, Any]) -> dict[str, Any]:
    status = row["status"]
    team_slug = row["team__slug"]
    return {
        "id": row["id"],
        "number": format_ticket_number(row["id"]),
        "subject": row["subject"],
        "description": row["description"],
        "status": status,
        "status_label": str(Status(status).label),
        "allowed_statuses": allowed_moves(status),
        "priority": row["priority"],
        "impact": row["impact"],
        "urgency": row["urgency"],
        "channel": row["channel"],
        "category": row["category__slug"],
        "tier": row["tier__level"],
        "tier_name": in_language(row["tier__name_en"], row["tier__name_id"]),
        "team": team_slug,
        "team_name": (
            in_language(row["team__name_en"], row["team__name_id"]) if team_slug else None
        ),
        "assignee": row["assignee__username"],
        "organization": row["organization__slug"],
        "organization_name": row["organization__name"],
        "requester": row["requester__username"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "first_responded_at": row["first_responded_at"],
        "resolved_at": row["resolved_at"],
        "closed_at": row["closed_at"],
        "resolved_tier": row["resolved_tier__level"],
        "escalation_count": row["escalation_count"],
        "sla": _sla_out(row),
    }


def _sla_out(row: dict[str, Any]) -> dict[str, Any]:
    """The ticket's SLA clocks; a breach counts once recorded by the sweep or as soon as a
    running clock is past its due time."""
    now = timezone.now()
    running = row["status"] in RUNNING
    first_response_due, resolution_due, tier_due = (
        row["first_response_due"],
        row["resolution_due"],
        row["tier_due"],
    )
    first_response_breached = row["first_response_breached_at"] is not None or (
        first_response_due is not None
        and row["first_responded_at"] is None
        and running
        and now > first_response_due
    )
    resolution_breached = row["resolution_breached_at"] is not None or (
        resolution_due is not None and running and now > resolution_due
    )
    return {
        "policy": row["sla_policy__name"],
        "policy_reason": row["sla_policy_reason"] or None,
        "first_response_due": first_response_due,
        "resolution_due": resolution_due,
        "tier_due": tier_due,
        "paused": row["paused_since"] is not None,
        "first_response_breached": first_response_breached,
        "resolution_breached": resolution_breached,
        "tier_breached": row["tier_breached_at"] is not None
        or (tier_due is not None and running and now > tier_due),
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
