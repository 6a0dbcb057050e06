"""The agent's queues: named, filtered views over the tickets they may see.

Each queue is a filter on ``visible_tickets(user)`` restricted to active tickets; the desk's
left bar counts them all in one aggregate query.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Count, Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import User
from tierdesk.accounts.queries import memberships_of
from tierdesk.tickets.lifecycle import ACTIVE_STATUSES
from tierdesk.tickets.models import Ticket
from tierdesk.tickets.queries import visible_tickets

# The active statuses in a fixed order, the order of the partial index ``ticket_tier_active``:
# SQLite uses a partial index only when the query repeats its condition as written.
ACTIVE_IN_INDEX_ORDER = sorted(ACTIVE_STATUSES)


@dataclass(frozen=True)
class Queue:
    key: str  # stable, used in URLs: "mine", "tier-2", "team-l2-network", "unassigned", "all"
    label: str
    condition: Q


def queues_for(user: User) -> list[Queue]:
    """The queues shown in the agent's left bar, in order."""
    queues = [Queue("mine", _("My tickets"), Q(assignee_id=user.pk))]
    memberships = memberships_of(user)
    tiers = {m.tier_id: m.tier for m in memberships}
    for tier in sorted(tiers.values(), key=lambda tier: tier.level):
        queues.append(Queue(f"tier-{tier.level}", f"{tier.code} {tier.name}", Q(tier_id=tier.pk)))
    for membership in memberships:
        if membership.team is not None:
            team = membership.team
            queues.append(
                Queue(f"team-{team.slug}", f"{team.tier.code} {team.name}", Q(team_id=team.pk))
            )
    if tiers:
        queues.append(
            Queue(
                "unassigned",
                format_lazy(
                    _("Unassigned in {tiers}"), tiers=", ".join(t.code for t in tiers.values())
                ),
                Q(assignee__isnull=True, tier_id__in=list(tiers)),
            )
        )
    if user.is_supervisor or user.sees_all_tickets:
        queues.append(Queue("all", _("All tickets"), Q()))
    return queues


def active_tickets(user: User) -> QuerySet[Ticket]:
    return visible_tickets(user).filter(status__in=ACTIVE_IN_INDEX_ORDER)


def queue_counts(user: User, queues: list[Queue]) -> dict[str, int]:
    """Active tickets per queue, all counted in one query."""
    if not queues:
        return {}
    tickets = active_tickets(user)
    if all(queue.condition for queue in queues):
        # Only the rows some queue counts: the tier (and team, assignee) conditions let the
        # database read those tickets by index instead of checking every active ticket's
        # visibility. A queue without a condition ("all") counts everything anyway.
        tickets = tickets.filter(reduce(operator.or_, (queue.condition for queue in queues)))
    totals = tickets.aggregate(
        **{queue.key: Count("pk", filter=queue.condition) for queue in queues}
    )
    return {key: value or 0 for key, value in totals.items()}
