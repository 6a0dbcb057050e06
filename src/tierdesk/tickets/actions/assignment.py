"""Who holds a ticket."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import User
from tierdesk.accounts.queries import find_staff, is_member_of
from tierdesk.errors import InvalidInput
from tierdesk.tickets.actions.common import (
    locked_ticket,
    move_status,
    record_event,
    require_active,
    require_staff,
    require_works_on,
    save_ticket,
)
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import (
    EventKind,
    Ticket,
)


def assign_ticket(*, actor: User, ticket_id: int, assignee: str | None) -> Ticket:
    """Give the ticket to an agent of its tier (``"me"`` takes it), or ``None`` to release it."""
    at = timezone.now()
    require_staff(actor)
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        require_active(ticket)
        require_works_on(actor, ticket)
        new_assignee = None
        if assignee:
            new_assignee = actor if assignee == "me" else find_staff(assignee)
            if new_assignee is None:
                raise InvalidInput(
                    format_lazy(_("There is no agent “{username}”."), username=assignee),
                    code="unknown_assignee",
                    field="assignee",
                )
            if not new_assignee.is_supervisor and not is_member_of(
                new_assignee, ticket.tier, ticket.team
            ):
                raise InvalidInput(
                    format_lazy(
                        _("{username} does not work in {tier}."),
                        username=new_assignee.username,
                        tier=ticket.team or ticket.tier,
                    ),
                    code="assignee_not_in_tier",
                    field="assignee",
                )
        if ticket.assignee_id == (new_assignee.pk if new_assignee else None):
            return ticket
        previous = ticket.assignee.username if ticket.assignee_id else None
        ticket.assignee = new_assignee
        changed = ["assignee"]
        record_event(
            ticket,
            EventKind.ASSIGNED,
            actor,
            at,
            is_internal=True,
            data={"from": previous, "to": new_assignee.username if new_assignee else None},
        )
        if new_assignee is not None and ticket.status == Status.NEW:
            move_status(ticket, Status.OPEN, actor, at)
            changed.append("status")
        save_ticket(ticket, at, changed)
    return ticket
