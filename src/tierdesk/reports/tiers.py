"""The tier report: the support pyramid, L1 share against its target band, first-contact
resolution, escalations, time in tier, reopens and CSAT — and the same per week and per
agent. Read from the daily roll-ups (``reports/rollup.py``), a few hundred rows a year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Tier, User
from tierdesk.errors import NotAllowed
from tierdesk.reports import histogram, sums
from tierdesk.reports.deflections import count_deflections, deflections_available
from tierdesk.reports.measures import (
    BreakdownLine,
    Compliance,
    EscalationRates,
    PriorityLine,
    breakdown,
    priority_lines,
    ratio,
)
from tierdesk.reports.models import AgentDay
from tierdesk.reports.periods import ReportFilter
from tierdesk.reports.rollup import refreshed_at
from tierdesk.tickets.models import Category

TIER_COUNTERS = sums.COUNTERS
MAX_WEEKS = 156  # the longest weekly trend: three years


# -- who may read what ---------------------------------------------------------------------


def require_report_reader(user: User) -> None:
    """Supervisors and admins read every report; everyone else is refused (403)."""
    if not (user.is_authenticated and user.is_active and user.is_supervisor):
        raise NotAllowed(
            _("Only supervisors and administrators can see the tier reports."),
            code="reports_supervisors_only",
        )


def require_agent_report_reader(user: User) -> None:
    """Staff read agent numbers (agents only their own); customers are refused (403)."""
    if not (user.is_authenticated and user.is_active and user.is_staff_member):
        raise NotAllowed(
            _("Only service desk staff can see agent numbers."), code="reports_staff_only"
        )


# -- the numbers ---------------------------------------------------------------------------


def average(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


def l1_target() -> tuple[float, float]:
    return (settings.TIERDESK_L1_TARGET_LOW / 100, settings.TIERDESK_L1_TARGET_HIGH / 100)


def band(share: float | None, target: tuple[float, float]) -> str | None:
    """``below``, ``in`` or ``above`` the target band; None without resolutions."""
    if share is None:
        return None
    if share < target[0]:
        return "below"
    if share > target[1]:
        return "above"
    return "in"


@dataclass
class TierLine(EscalationRates):
    """One tier's numbers over the period."""

    level: int
    code: str
    name: str
    resolved: int = 0
    first_contact: int = 0
    reopened: int = 0
    stints: int = 0
    escalated: int = 0
    deescalated: int = 0
    came_back: int = 0  # escalations by this tier that came back down to it
    moves: dict[int, int] = field(default_factory=dict)  # to level -> stints moved there
    minutes: dict[int, int] = field(default_factory=dict)  # histogram buckets
    business_minutes: dict[int, int] = field(default_factory=dict)  # histogram buckets
    csat_count: int = 0
    csat_sum: int = 0
    csat_scores: dict[int, int] = field(default_factory=dict)  # score -> ratings
    priority_minutes: dict[str, int] = field(default_factory=dict)
    sla_priority: dict[str, int] = field(default_factory=dict)
    first_response_targets: int = 0
    first_response_met: int = 0
    resolution_targets: int = 0
    resolution_met: int = 0

    @property
    def business_median_minutes(self) -> int | None:
        return histogram.percentile(self.business_minutes, 0.5)

    @property
    def business_p90_minutes(self) -> int | None:
        return histogram.percentile(self.business_minutes, 0.9)

    @property
    def first_response_sla(self) -> Compliance:
        return Compliance(self.first_response_targets, self.first_response_met)

    @property
    def resolution_sla(self) -> Compliance:
        return Compliance(self.resolution_targets, self.resolution_met)

    @property
    def deescalation_rate(self) -> float | None:
        return ratio(self.deescalated, self.stints)

    @property
    def median_minutes(self) -> int | None:
        return histogram.percentile(self.minutes, 0.5)

    @property
    def p90_minutes(self) -> int | None:
        return histogram.percentile(self.minutes, 0.9)

    @property
    def csat_average(self) -> float | None:
        return average(self.csat_sum, self.csat_count)

    def add(self, row: dict[str, Any]) -> None:
        """Add summed counters (``TIER_COUNTERS``) and, when present, summed maps."""
        for name in TIER_COUNTERS:
            setattr(self, name, getattr(self, name) + (row.get(name) or 0))
        for name in sums.MAPS:
            target = getattr(self, name)
            number_keyed = name in sums.NUMBER_KEYED
            for key, count in (row.get(name) or {}).items():
                key = int(key) if number_keyed else key
                target[key] = target.get(key, 0) + int(count)


@dataclass
class TierReport:
    """Everything ``/desk/reports/`` and ``GET /api/v1/reports/tiers`` show for a period."""

    filter: ReportFilter
    tiers: list[TierLine]  # every tier from L0 up, in level order
    deflections: int
    deflections_available: bool
    l1_target: tuple[float, float]
    as_of: datetime | None  # when the roll-ups last caught up with the timeline
    by_category: list[BreakdownLine] = field(default_factory=list)
    by_team: list[BreakdownLine] = field(default_factory=list)

    def line(self, level: int) -> TierLine | None:
        return next((line for line in self.tiers if line.level == level), None)

    @property
    def ticket_lines(self) -> list[TierLine]:
        return [line for line in self.tiers if line.level > 0]

    @property
    def resolved(self) -> int:
        return sum(line.resolved for line in self.ticket_lines)

    @property
    def pyramid(self) -> dict[int, int]:
        """Problems solved per level: L0 deflections, then ticket resolutions per tier."""
        counts = {line.level: line.resolved for line in self.ticket_lines}
        counts[0] = self.deflections
        return dict(sorted(counts.items()))

    @property
    def l1_share(self) -> float | None:
        """L1's share of the tickets resolved (L0 deflections are not tickets)."""
        first = self.line(1)
        return ratio(first.resolved if first else 0, self.resolved)

    @property
    def l1_band(self) -> str | None:
        return band(self.l1_share, self.l1_target)

    @property
    def fcr_rate(self) -> float | None:
        return ratio(sum(line.first_contact for line in self.ticket_lines), self.resolved)

    @property
    def reopen_rate(self) -> float | None:
        return ratio(sum(line.reopened for line in self.ticket_lines), self.resolved)

    @property
    def escalating_lines(self) -> list[TierLine]:
        """The tiers a ticket can be escalated from: every ticket tier but the top one."""
        lines = self.ticket_lines
        return lines[:-1]

    @property
    def csat_count(self) -> int:
        return sum(line.csat_count for line in self.ticket_lines)

    @property
    def csat_average(self) -> float | None:
        return average(sum(line.csat_sum for line in self.ticket_lines), self.csat_count)

    @property
    def priorities(self) -> list[PriorityLine]:
        """Time to first response and to resolution, and SLA compliance, per priority."""
        lines = self.ticket_lines
        return priority_lines(
            [line.priority_minutes for line in lines], [line.sla_priority for line in lines]
        )

    @property
    def first_response_sla(self) -> Compliance:
        return Compliance(
            sum(line.first_response_targets for line in self.ticket_lines),
            sum(line.first_response_met for line in self.ticket_lines),
        )

    @property
    def resolution_sla(self) -> Compliance:
        return Compliance(
            sum(line.resolution_targets for line in self.ticket_lines),
            sum(line.resolution_met for line in self.ticket_lines),
        )

    def filters_api(self) -> dict[str, Any]:
        report_filter = self.filter
        return {
            "start": report_filter.start.isoformat(),
            "end": report_filter.end.isoformat(),
            "organization": report_filter.organization.slug if report_filter.organization else None,
            "category": report_filter.category.slug if report_filter.category else None,
            "team": report_filter.team.slug if report_filter.team else None,
        }

    def as_api(self) -> dict[str, Any]:
        """The response of ``GET /api/v1/reports/tiers``: the keys fixed by issue 8, then
        the ones added since (filters, escalations, business time, priorities, SLA,
        breakdowns)."""
        levels = [line.level for line in self.escalating_lines]
        return {
            **self._issue_api(),
            "filters": self.filters_api(),
            "deflections_available": self.deflections_available,
            "escalations": {
                str(line.level): {
                    "stints": line.stints,
                    "escalated": line.escalated,
                    "deescalated": line.deescalated,
                    "came_back": line.came_back,
                    "came_back_rate": line.came_back_rate,
                }
                for line in self.ticket_lines
            },
            "time_in_tier_business": {
                str(line.level): {
                    "median_minutes": line.business_median_minutes,
                    "p90_minutes": line.business_p90_minutes,
                }
                for line in self.ticket_lines
            },
            "priorities": {line.priority: line.as_api() for line in self.priorities},
            "sla": {
                "first_response": self.first_response_sla.as_api(),
                "resolution": self.resolution_sla.as_api(),
                "by_tier": {
                    str(line.level): {
                        "first_response": line.first_response_sla.as_api(),
                        "resolution": line.resolution_sla.as_api(),
                    }
                    for line in self.ticket_lines
                },
            },
            "by_category": {line.key: line.as_api(levels) for line in self.by_category},
            "by_team": {line.key: line.as_api(levels) for line in self.by_team},
        }

    def _issue_api(self) -> dict[str, Any]:
        return {
            "pyramid": {str(level): count for level, count in self.pyramid.items()},
            "l1_share": self.l1_share,
            "l1_target": list(self.l1_target),
            "fcr_rate": self.fcr_rate,
            "escalation_rate": {
                str(line.level): line.escalation_rate for line in self.escalating_lines
            },
            "time_in_tier": {
                str(line.level): {
                    "median_minutes": line.median_minutes,
                    "p90_minutes": line.p90_minutes,
                }
                for line in self.ticket_lines
            },
            "reopen_rate": self.reopen_rate,
            "csat": {
                "average": self.csat_average,
                "count": self.csat_count,
                "by_tier": {
                    str(line.level): {"average": line.csat_average, "count": line.csat_count}
                    for line in self.ticket_lines
                },
            },
        }


def _tier_lines(tiers: list[Tier] | None = None) -> list[TierLine]:
    return [
        TierLine(level=tier.level, code=tier.code, name=tier.name)
        for tier in (tiers if tiers is not None else Tier.objects.order_by("level"))
    ]


def _tier_sums(report_filter: ReportFilter) -> list[dict[str, Any]]:
    """One row per tier level: the counters and maps summed over the filter."""
    rows = {row["tier_level"]: row for row in sums.summed_counters(report_filter)}
    for level, maps in sums.summed_maps(report_filter).items():
        rows.setdefault(level, {"tier_level": level}).update(maps)
    return list(rows.values())


def _deflections(report_filter: ReportFilter, available: bool) -> int:
    """L0 deflections are not tickets: they have no category or team to filter by."""
    if not available or report_filter.is_sliced:
        return 0
    return count_deflections(
        report_filter.starts_at, report_filter.ends_before, report_filter.organization
    )


def _lines_from(rows: Iterable[dict[str, Any]], lines: list[TierLine]) -> list[TierLine]:
    by_level = {line.level: line for line in lines}
    for row in rows:
        line = by_level.get(row["tier_level"])
        if line is None:  # a tier since deleted: keep its numbers under its level
            line = by_level[row["tier_level"]] = TierLine(
                level=row["tier_level"], code=f"L{row['tier_level']}", name=""
            )
        line.add(row)
    return sorted(by_level.values(), key=lambda line: line.level)


def tier_report(report_filter: ReportFilter) -> TierReport:
    """The tier report for a period and (optionally) one organization.

    The caller checks permission first (``require_report_reader``)."""
    lines = _lines_from(_tier_sums(report_filter), _tier_lines())
    available = deflections_available() and not report_filter.is_sliced
    return TierReport(
        filter=report_filter,
        tiers=lines,
        deflections=_deflections(report_filter, available),
        deflections_available=available,
        l1_target=l1_target(),
        as_of=refreshed_at(),
        by_category=breakdown(report_filter, "category"),
        by_team=breakdown(report_filter, "team"),
    )


# -- per week ------------------------------------------------------------------------------


@dataclass
class WeekLine:
    week_start: date  # a Monday (the first week may start before the period)
    report: TierReport  # that week's numbers, within the period


def weekly_trend(report_filter: ReportFilter) -> list[WeekLine]:
    """The tier report week by week (Monday to Sunday) over the period (its last
    ``MAX_WEEKS`` weeks at most), in one query: the
    counts and rates of each week (resolutions, FCR, reopens, escalations, CSAT averages),
    without time-in-tier percentiles, flows or score distributions (those are in the
    period's ``tier_report``)."""
    by_week: dict[date, list[dict[str, Any]]] = defaultdict(list)
    days = sums.day_rows(report_filter).values("day", "tier_level", *TIER_COUNTERS)
    for row in days:
        by_week[row["day"] - timedelta(days=row["day"].weekday())].append(row)
    first_monday = report_filter.start - timedelta(days=report_filter.start.weekday())
    last_monday = report_filter.end - timedelta(days=report_filter.end.weekday())
    # A trend of more than three years is unreadable: keep the last MAX_WEEKS weeks.
    first_monday = max(first_monday, last_monday - timedelta(weeks=MAX_WEEKS - 1))
    target, as_of = l1_target(), refreshed_at()
    available = deflections_available() and not report_filter.is_sliced
    tiers = list(Tier.objects.order_by("level"))
    weeks = []
    monday = first_monday
    while monday <= report_filter.end:
        week_filter = ReportFilter(
            max(monday, report_filter.start),
            min(monday + timedelta(days=6), report_filter.end),
            report_filter.organization,
            report_filter.category,
            report_filter.team,
        )
        weeks.append(
            WeekLine(
                week_start=monday,
                report=TierReport(
                    filter=week_filter,
                    tiers=_lines_from(by_week.get(monday, []), _tier_lines(tiers)),
                    deflections=_deflections(week_filter, available),
                    deflections_available=available,
                    l1_target=target,
                    as_of=as_of,
                ),
            )
        )
        monday += timedelta(days=7)
    return weeks


# -- per agent -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryCount:
    slug: str
    name: str
    count: int


@dataclass
class AgentTierLine:
    level: int
    resolved: int = 0
    first_contact: int = 0
    reopened: int = 0
    escalated: int = 0
    deescalated: int = 0
    csat_count: int = 0
    csat_sum: int = 0
    # Resolutions per category, most first (slug and name "" for tickets without one).
    by_category: list[CategoryCount] = field(default_factory=list)

    @property
    def csat_average(self) -> float | None:
        return average(self.csat_sum, self.csat_count)

    @property
    def fcr_rate(self) -> float | None:
        return ratio(self.first_contact, self.resolved)


@dataclass
class AgentLine:
    agent_id: int
    username: str
    display_name: str
    tiers: list[AgentTierLine]  # levels the agent resolved or escalated at, in order

    def total(self, name: str) -> int:
        return sum(getattr(line, name) for line in self.tiers)

    @property
    def resolved(self) -> int:
        return self.total("resolved")

    @property
    def escalated(self) -> int:
        return self.total("escalated")

    @property
    def csat_count(self) -> int:
        return self.total("csat_count")

    @property
    def csat_average(self) -> float | None:
        return average(self.total("csat_sum"), self.csat_count)

    @property
    def fcr_rate(self) -> float | None:
        return ratio(self.total("first_contact"), self.resolved)


def _category_names(keys: set[str]) -> dict[str, tuple[str, str]]:
    """Category id (as stored in the roll-up's JSON) -> (slug, name in the reader's language)."""
    ids = [int(key) for key in keys if key.isdecimal()]
    return {
        str(category.pk): (category.slug, category.name)
        for category in Category.objects.filter(pk__in=ids)
    }


AGENT_FIELDS = (
    "resolved",
    "first_contact",
    "reopened",
    "escalated",
    "deescalated",
    "csat_count",
    "csat_sum",
)


def agent_report(viewer: User, report_filter: ReportFilter) -> list[AgentLine]:
    """Resolutions, first-contact resolutions, escalations and CSAT per agent and tier.

    Supervisors and admins get every agent; an agent gets only their own line; customers
    are refused. The organization filter does not apply (agent numbers are desk-wide)."""
    require_agent_report_reader(viewer)
    rows = AgentDay.objects.filter(day__gte=report_filter.start, day__lte=report_filter.end)
    if not viewer.is_supervisor:
        rows = rows.filter(agent_id=viewer.pk)
    per_agent: dict[int, dict[int, AgentTierLine]] = defaultdict(dict)
    categories: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for row in rows.order_by().values(
        "agent_id", "tier_level", "resolved_categories", *AGENT_FIELDS
    ):
        line = per_agent[row["agent_id"]].setdefault(
            row["tier_level"], AgentTierLine(level=row["tier_level"])
        )
        for name in AGENT_FIELDS:
            setattr(line, name, getattr(line, name) + row[name])
        counted = categories[(row["agent_id"], row["tier_level"])]
        for key, count in (row["resolved_categories"] or {}).items():
            counted[key] = counted.get(key, 0) + count
    names = _category_names({key for counted in categories.values() for key in counted})
    only = str(report_filter.category.pk) if report_filter.category is not None else None
    for (agent_id, level), counted in categories.items():
        if only is not None:
            counted = {only: counted.get(only, 0)}
        per_agent[agent_id][level].by_category = sorted(
            (
                CategoryCount(*names.get(key, ("", "")), count)
                for key, count in counted.items()
                if count
            ),
            key=lambda item: (-item.count, item.slug),
        )
    if not viewer.is_supervisor and not per_agent:
        per_agent[viewer.pk] = {}
    people = {
        person.pk: person for person in User.objects.filter(pk__in=list(per_agent)).order_by()
    }
    lines = [
        AgentLine(
            agent_id=agent_id,
            username=people[agent_id].username,
            display_name=people[agent_id].display_name,
            tiers=[tiers[level] for level in sorted(tiers)],
        )
        for agent_id, tiers in per_agent.items()
        if agent_id in people
    ]
    return sorted(lines, key=lambda line: (-line.resolved, line.username))
