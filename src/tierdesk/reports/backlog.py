"""The backlog now: tickets still being worked, per tier, by age (since they were opened).

Live, not rolled up: it is the present state, and the active tickets are a small slice of
the table, counted in one grouped query over the queue index (tier, status, created_at).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Organization, Team
from tierdesk.accounts.queries import ticket_tiers
from tierdesk.tickets.lifecycle import ACTIVE_STATUSES
from tierdesk.tickets.models import Category, Ticket

# (key, label, younger than): the last bucket has no upper bound.
AGE_BUCKETS = [
    ("under_1_day", _("under 1 day"), timedelta(days=1)),
    ("1_to_3_days", _("1–3 days"), timedelta(days=3)),
    ("3_to_7_days", _("3–7 days"), timedelta(days=7)),
    ("7_to_30_days", _("7–30 days"), timedelta(days=30)),
    ("over_30_days", _("over 30 days"), None),
]


@dataclass
class BacklogLine:
    level: int
    code: str
    counts: dict[str, int] = field(default_factory=dict)  # bucket key -> tickets

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def backlog_by_age(
    organization: Organization | None = None,
    now: datetime | None = None,
    *,
    category: Category | None = None,
    team: Team | None = None,
) -> list[BacklogLine]:
    """Active tickets (new, open, pending, on hold) per tier that holds them, by age;
    optionally only one organization's, category's or team's."""
    now = now or timezone.now()
    tickets = Ticket.objects.filter(status__in=ACTIVE_STATUSES)
    if organization is not None:
        tickets = tickets.filter(organization=organization)
    if category is not None:
        tickets = tickets.filter(category=category)
    if team is not None:
        tickets = tickets.filter(team=team)
    aggregates = {}
    younger_than_previous = None
    for key, _label, limit in AGE_BUCKETS:
        condition = Q()
        if limit is not None:
            condition &= Q(created_at__gt=now - limit)
        if younger_than_previous is not None:
            condition &= Q(created_at__lte=now - younger_than_previous)
        aggregates[key] = Count("id", filter=condition)
        younger_than_previous = limit
    counted = {
        row["tier__level"]: row
        for row in tickets.order_by().values("tier__level").annotate(**aggregates)
    }
    lines = []
    for tier in ticket_tiers().order_by("level"):
        row = counted.get(tier.level, {})
        lines.append(
            BacklogLine(
                tier.level, tier.code, {key: row.get(key, 0) for key, _l, _t in AGE_BUCKETS}
            )
        )
    return lines
