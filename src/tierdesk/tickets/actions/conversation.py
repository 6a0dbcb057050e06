"""Public replies and internal notes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import User
from tierdesk.cleaning import clean_text
from tierdesk.errors import Conflict, NotAllowed
from tierdesk.tickets.actions import clocks
from tierdesk.tickets.actions.common import (
    MAX_TEXT_LENGTH,
    locked_ticket,
    move_status,
    record_event,
    save_ticket,
)
from tierdesk.tickets.actions.status import apply_reopen
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import (
    Event,
    EventKind,
)


def add_message(*, actor: User, ticket_id: int, body: Any, is_internal: bool = False) -> Event:
    """A public reply or an internal note.

    A customer's reply reopens a resolved ticket and brings a pending one back to open; an
    agent's first public reply is the ticket's first response and opens a new ticket.
    """
    at = timezone.now()
    body = clean_text(body, field="body", label=_("Message"), max_length=MAX_TEXT_LENGTH)
    if is_internal and not actor.is_staff_member:
        raise NotAllowed(_("Customers cannot write internal notes."), code="internal_not_allowed")
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        if ticket.status == Status.CLOSED:
            raise Conflict(
                _("This ticket is closed. Please open a new ticket and mention its number."),
                code="ticket_closed",
            )
        changed = []
        if actor.is_customer:
            if ticket.status == Status.RESOLVED:
                apply_reopen(ticket, actor, at, reason="")
                changed += ["status", "resolved_at", "resolved_tier"]
            elif ticket.status == Status.PENDING:
                move_status(ticket, Status.OPEN, actor, at)
                changed.append("status")
        elif not is_internal:
            if ticket.first_responded_at is None:
                ticket.first_responded_at = at
                changed.append("first_responded_at")
                clocks.first_response(ticket, at)
            if ticket.status == Status.NEW:
                move_status(ticket, Status.OPEN, actor, at)
                changed.append("status")
        kind = EventKind.NOTE if is_internal else EventKind.REPLY
        event = record_event(ticket, kind, actor, at, body=body, is_internal=is_internal)
        save_ticket(ticket, at, changed)
    return event
