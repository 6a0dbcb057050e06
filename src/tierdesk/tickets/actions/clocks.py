"""The SLA clocks of a ticket, kept by the actions (never called from adapters).

Three clocks, each with a due time and a warning instant, computed in business time on the
policy's calendar through :mod:`tierdesk.sla`:

- first response: from creation, met by the first public reply of an agent; never paused;
- resolution: runs while the ticket is new or open, stops while it waits (pending, on hold)
  and when it is resolved; ``business_seconds`` is what it spent up to ``clock_checkpoint_at``;
- tier: the current tier's operating target, from the moment the ticket entered the tier,
  paused like the resolution clock.

A change of priority or policy keeps the business time already spent and the time already
paused; only the targets change. Functions here change the ticket in memory and mark it, so
``save_ticket`` writes the clock fields with the rest; the caller records the event.
"""

from __future__ import annotations

import contextlib
import copy
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from tierdesk.sla.businesstime import NoWorkingTime, business_time_between
from tierdesk.sla.services import Terms, deadline, terms_for_organization, terms_for_policy
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import Ticket

RUNNING = frozenset({Status.NEW, Status.OPEN})
WAITING = frozenset({Status.PENDING, Status.ON_HOLD})

CLOCK_FIELDS = [
    "sla_policy",
    "sla_policy_reason",
    "first_response_due",
    "first_response_warn_at",
    "first_response_warned_at",
    "first_response_breached_at",
    "resolution_due",
    "resolution_warn_at",
    "resolution_warned_at",
    "resolution_breached_at",
    "tier_due",
    "tier_warn_at",
    "tier_warned_at",
    "tier_breached_at",
    "paused_since",
    "paused_seconds",
    "business_seconds",
    "clock_checkpoint_at",
    "tier_entry_business_seconds",
]

CLOCKS = ("first_response", "resolution", "tier")
CLOCK_LABELS = {
    "first_response": _("First response"),
    "resolution": _("Resolution"),
    "tier": _("Tier target"),
}


def _mark(ticket: Ticket) -> None:
    ticket._clock_changed = True  # type: ignore[attr-defined]


def clock_changed(ticket: Ticket) -> bool:
    return getattr(ticket, "_clock_changed", False)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def summary(ticket: Ticket) -> dict[str, Any]:
    """The clock state as structured event data (no translated text)."""
    return {
        "policy": ticket.sla_policy_id,
        "reason": ticket.sla_policy_reason,
        "first_response_due": _iso(ticket.first_response_due),
        "resolution_due": _iso(ticket.resolution_due),
        "tier_due": _iso(ticket.tier_due),
        "paused": ticket.paused_since is not None,
        "business_minutes": round(ticket.business_seconds / 60, 2),
        "paused_minutes": round(ticket.paused_seconds / 60, 2),
    }


def _terms(ticket: Ticket) -> Terms | None:
    return terms_for_policy(ticket.sla_policy_id, ticket.priority, ticket.sla_policy_reason)


def _spent_until(ticket: Ticket, terms: Terms | None, at: datetime) -> float:
    """Business seconds on the resolution clock at ``at``."""
    spent = ticket.business_seconds
    if (
        terms is not None
        and ticket.status in RUNNING
        and ticket.clock_checkpoint_at is not None
        and at > ticket.clock_checkpoint_at
    ):
        with contextlib.suppress(NoWorkingTime):
            spent += business_time_between(
                terms.schedule, ticket.clock_checkpoint_at, at
            ).total_seconds()
    return spent


def _checkpoint(ticket: Ticket, terms: Terms | None, at: datetime) -> None:
    ticket.business_seconds = _spent_until(ticket, terms, at)
    ticket.clock_checkpoint_at = at
    _mark(ticket)


def _set_clock(ticket: Ticket, clock: str, warn: datetime | None, due: datetime | None, at):
    """Store a clock's instants; a warning or breach already recorded stays recorded unless
    the new instant lies ahead (then the sweep watches for it again)."""
    setattr(ticket, f"{clock}_warn_at", warn)
    setattr(ticket, f"{clock}_due", due)
    if warn is not None and warn > at:
        setattr(ticket, f"{clock}_warned_at", None)
    if due is not None and due > at:
        setattr(ticket, f"{clock}_breached_at", None)


def _compute(ticket: Ticket, terms: Terms | None, at: datetime, *, first_response: bool) -> None:
    """Recompute due times from the checkpoint (``clock_checkpoint_at`` must be ``at``)."""
    _mark(ticket)
    if terms is None:
        for clock in CLOCKS:
            _set_clock(ticket, clock, None, None, at)
        return
    schedule = terms.schedule
    fraction = terms.warning_fraction
    if first_response and ticket.first_responded_at is None:
        warn, due = deadline(
            schedule, ticket.created_at, terms.first_response_minutes, timedelta(0), fraction
        )
        _set_clock(ticket, "first_response", warn, due, at)
    if ticket.status not in RUNNING:
        _set_clock(ticket, "resolution", None, None, at)
        _set_clock(ticket, "tier", None, None, at)
        return
    spent = timedelta(seconds=ticket.business_seconds)
    warn, due = deadline(schedule, at, terms.resolution_minutes, spent, fraction)
    _set_clock(ticket, "resolution", warn, due, at)
    in_tier = timedelta(seconds=ticket.business_seconds - ticket.tier_entry_business_seconds)
    warn, due = deadline(schedule, at, terms.tier_minutes.get(ticket.tier_id), in_tier, fraction)
    _set_clock(ticket, "tier", warn, due, at)


def _follow(ticket: Ticket, terms: Terms | None) -> None:
    """Make ``terms``' policy the ticket's, with the row the terms were read with: whoever
    shows the ticket next (the API's answer to "open a ticket") needs no read for its name."""
    if terms is None:
        ticket.sla_policy = None
    elif terms.policy is not None:
        ticket.sla_policy = copy.copy(terms.policy)
    else:
        ticket.sla_policy_id = terms.policy_id
    ticket.sla_policy_reason = terms.reason if terms else ""


def start_clocks(ticket: Ticket, at: datetime) -> None:
    """A new ticket (not yet saved): choose its policy and set its due times."""
    terms = terms_for_organization(ticket.organization_id, ticket.priority)
    _follow(ticket, terms)
    ticket.business_seconds = 0
    ticket.tier_entry_business_seconds = 0
    ticket.clock_checkpoint_at = at
    _compute(ticket, terms, at, first_response=True)


def reevaluate(ticket: Ticket, at: datetime) -> None:
    """Priority or organization changed: choose the policy again and recompute every due
    time, keeping the business time spent and the time paused."""
    old_terms = _terms(ticket)
    _checkpoint(ticket, old_terms, at)
    terms = terms_for_organization(ticket.organization_id, ticket.priority)
    _follow(ticket, terms)
    _compute(ticket, terms, at, first_response=True)


def status_changed(ticket: Ticket, previous: str, at: datetime) -> str | None:
    """Stop, pause or restart the clocks for a status change already made on ``ticket``.
    Returns ``"paused"`` or ``"resumed"`` when the caller should record that."""
    current = ticket.status
    was_running = previous in RUNNING
    runs = current in RUNNING
    if was_running == runs:
        if previous in WAITING and current not in WAITING:
            leave_waiting(ticket, at)
        return None
    terms = _terms(ticket)
    if was_running:
        # Count up to now with the clock still running, then stop it.
        ticket.status = previous
        _checkpoint(ticket, terms, at)
        ticket.status = current
        if (
            current == Status.RESOLVED
            and ticket.resolution_due is not None
            and at > ticket.resolution_due
            and ticket.resolution_breached_at is None
        ):
            ticket.resolution_breached_at = at
        if current in WAITING:
            ticket.paused_since = at
            _compute(ticket, terms, at, first_response=False)
            return "paused"
        return None
    # The clock starts again: from waiting, or a reopen of a resolved ticket.
    resumed = None
    if ticket.paused_since is not None:
        ticket.paused_seconds += max((at - ticket.paused_since).total_seconds(), 0.0)
        ticket.paused_since = None
        resumed = "resumed"
    ticket.clock_checkpoint_at = at
    _compute(ticket, terms, at, first_response=False)
    return resumed


def leave_waiting(ticket: Ticket, at: datetime) -> None:
    """Resolved straight from pending or on hold: the pause ends without the clock running."""
    if ticket.paused_since is not None:
        ticket.paused_seconds += max((at - ticket.paused_since).total_seconds(), 0.0)
        ticket.paused_since = None
        ticket.clock_checkpoint_at = at
        _mark(ticket)


def tier_changed(ticket: Ticket, at: datetime) -> None:
    """The ticket entered a tier (escalation, de-escalation, reopen): a new tier clock."""
    terms = _terms(ticket)
    _checkpoint(ticket, terms, at)
    ticket.tier_entry_business_seconds = ticket.business_seconds
    ticket.tier_warned_at = None
    ticket.tier_breached_at = None
    _compute(ticket, terms, at, first_response=False)


def first_response(ticket: Ticket, at: datetime) -> None:
    """The first public reply of an agent (just set as ``first_responded_at``)."""
    if (
        ticket.first_response_due is not None
        and at > ticket.first_response_due
        and ticket.first_response_breached_at is None
    ):
        ticket.first_response_breached_at = at
        _mark(ticket)


def business_minutes_spent(ticket: Ticket, at: datetime) -> float:
    return _spent_until(ticket, _terms(ticket), at) / 60
