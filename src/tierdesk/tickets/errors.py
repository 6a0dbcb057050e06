"""Ticket-specific refusals. The shared kinds (NotFound, NotAllowed, InvalidInput,
Conflict) live in ``tierdesk.errors``; these add the message a person needs."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.errors import Conflict, NotFound
from tierdesk.tickets.lifecycle import Status, allowed_moves


def _status_label(value: str) -> str:
    return str(Status(value).label)


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"

    def __init__(self, current: str, target: str) -> None:
        allowed = allowed_moves(current)
        self.current = current
        self.target = target
        self.allowed = allowed
        if allowed:
            message = format_lazy(
                _("A ticket that is “{current}” cannot become “{target}”. Allowed: {allowed}."),
                current=_status_label(current),
                target=_status_label(target),
                allowed=", ".join(_status_label(status) for status in allowed),
            )
        else:
            message = format_lazy(
                _("A ticket that is “{current}” cannot change status any more."),
                current=_status_label(current),
            )
        super().__init__(message)


class TicketNotFound(NotFound):
    code = "ticket_not_found"

    def __init__(self) -> None:
        super().__init__(_("Ticket not found."))
