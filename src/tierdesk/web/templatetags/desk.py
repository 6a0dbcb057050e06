"""Presentation helpers shared by the desk and the portal templates."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.tickets.actions.clocks import CLOCK_LABELS
from tierdesk.tickets.timeline import describe

register = template.Library()

# Status in the words a customer reads.
CUSTOMER_STATUS = {
    "new": _("Received"),
    "open": _("Being worked on"),
    "pending": _("Waiting for your reply"),
    "on_hold": _("Waiting on a third party"),
    "resolved": _("Resolved"),
    "closed": _("Closed"),
}


@register.filter
def customer_status(status: str) -> str:
    return str(CUSTOMER_STATUS.get(status, status))


@register.filter
def tier_label(tier) -> str:
    """“Level 2 – Technical Support” / “Level 2 – Dukungan Teknis”."""
    if tier is None:
        return "—"
    return str(format_lazy(_("Level {level} – {name}"), level=tier.level, name=tier.name))


@register.filter
def event_sentence(event) -> str:
    return describe(event)


@register.filter
def handoff_steps(event) -> list[str]:
    return list((event.data or {}).get("tried", []))


def running_clocks(ticket) -> list[tuple[str, datetime, datetime | None]]:
    """(name, due, warn at) of each running SLA deadline of a ticket: first response (until
    met), resolution and the current tier's target."""
    clocks = []
    if ticket.first_responded_at is None and ticket.first_response_due is not None:
        clocks.append(("first_response", ticket.first_response_due, ticket.first_response_warn_at))
    if ticket.resolution_due is not None:
        clocks.append(("resolution", ticket.resolution_due, ticket.resolution_warn_at))
    if ticket.tier_due is not None:
        clocks.append(("tier", ticket.tier_due, ticket.tier_warn_at))
    return clocks


def clock_state(due: datetime, warn_at: datetime | None, now: datetime) -> str:
    if due <= now:
        return "breached"
    if warn_at is not None and warn_at <= now:
        return "warning"
    return "ok"


@register.filter
def sla_clocks(ticket) -> list[dict]:
    """Every running SLA deadline of a ticket, shown separately, each with its state."""
    now = timezone.now()
    return [
        {
            "name": name,
            "label": str(CLOCK_LABELS[name]),
            "due": due,
            "state": clock_state(due, warn, now),
        }
        for name, due, warn in running_clocks(ticket)
    ]


@register.inclusion_tag("web/desk/_queues.html", takes_context=True)
def desk_queues(context) -> dict:
    """The left bar of every desk page: the agent's queues. A page that counted them (the
    queue page needs its own count anyway) shows the counts at once; any other page shows
    the queues and fetches the counts after loading (``web:queue_bar``), so a ticket page
    does not wait for an aggregate over every active ticket the agent may see."""
    from tierdesk.tickets.queues import queues_for

    known = context.get("queue_bar")
    queues, counts = known if known else (queues_for(context["request"].user), None)
    current = context.get("queue")
    return queue_bar_context(queues, counts, current.key if current is not None else None)


def queue_bar_context(queues, counts: dict[str, int] | None, current_key: str | None) -> dict:
    return {
        "queues": [
            (queue, None if counts is None else counts.get(queue.key, 0)) for queue in queues
        ],
        "counted": counts is not None,
        "current_key": current_key,
    }
