"""The ticket status state machine: the statuses and one table of allowed moves.

Actions enforce it; pages and API clients ask it which moves to offer.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING = "pending", _("Waiting on customer")
    ON_HOLD = "on_hold", _("On hold (vendor or third party)")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


ALLOWED_MOVES: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.OPEN, Status.PENDING, Status.ON_HOLD, Status.RESOLVED}),
    Status.OPEN: frozenset({Status.PENDING, Status.ON_HOLD, Status.RESOLVED}),
    Status.PENDING: frozenset({Status.OPEN, Status.ON_HOLD, Status.RESOLVED}),
    Status.ON_HOLD: frozenset({Status.OPEN, Status.PENDING, Status.RESOLVED}),
    # Back to open from resolved is a reopen; closed is final (a new ticket follows up).
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

# Statuses in which someone is still working the ticket.
ACTIVE_STATUSES: frozenset[str] = frozenset(
    {Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD}
)


def allowed_moves(current: str) -> list[str]:
    """The statuses reachable from ``current``, in the order they are declared."""
    targets = ALLOWED_MOVES[current]
    return [status for status in Status.values if status in targets]


def can_move(current: str, target: str) -> bool:
    return target in ALLOWED_MOVES.get(current, frozenset())


def is_active(status: str) -> bool:
    return status in ACTIVE_STATUSES
