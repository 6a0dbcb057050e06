"""Changing a ticket's classification: priority and category."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import User
from tierdesk.cleaning import clean_choice
from tierdesk.errors import InvalidInput
from tierdesk.tickets.actions import clocks
from tierdesk.tickets.actions.common import (
    category_by_slug,
    locked_ticket,
    record_event,
    require_active,
    require_staff,
    require_works_on,
    save_ticket,
)
from tierdesk.tickets.models import (
    EventKind,
    Priority,
    Ticket,
)


def change_priority(*, actor: User, ticket_id: int, priority: Any) -> Ticket:
    at = timezone.now()
    require_staff(actor)
    priority = clean_choice(priority, Priority, field="priority", label=_("Priority"))
    if priority is None:
        raise InvalidInput(_("Priority is required."), field="priority")
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        require_active(ticket)
        require_works_on(actor, ticket)
        if ticket.priority == priority:
            return ticket
        record_event(
            ticket,
            EventKind.FIELD_CHANGED,
            actor,
            at,
            data={"field": "priority", "from": ticket.priority, "to": priority},
        )
        ticket.priority = priority
        clocks.reevaluate(ticket, at)
        record_event(
            ticket,
            EventKind.SLA_RECALCULATED,
            actor,
            at,
            is_internal=True,
            data={"because": "priority", **clocks.summary(ticket)},
        )
        save_ticket(ticket, at, ["priority"])
    return ticket


def change_category(*, actor: User, ticket_id: int, category: str | None) -> Ticket:
    at = timezone.now()
    require_staff(actor)
    category_row = category_by_slug(category)
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        require_active(ticket)
        require_works_on(actor, ticket)
        previous = ticket.category.slug if ticket.category_id else None
        if previous == (category_row.slug if category_row else None):
            return ticket
        record_event(
            ticket,
            EventKind.FIELD_CHANGED,
            actor,
            at,
            data={
                "field": "category",
                "from": previous,
                "to": category_row.slug if category_row else None,
            },
        )
        ticket.category = category_row
        save_ticket(ticket, at, ["category"])
    return ticket
