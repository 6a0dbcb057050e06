"""Measures built on the summed roll-ups: time to first response and to resolution per
priority, SLA compliance, and the breakdowns per category, team and organization."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tierdesk.accounts.models import Organization, Team
from tierdesk.reports import histogram, sums
from tierdesk.reports.periods import ReportFilter
from tierdesk.tickets.models import Category, Priority


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Compliance:
    """SLA targets that applied and how many were met."""

    targets: int = 0
    met: int = 0

    @property
    def rate(self) -> float | None:
        return ratio(self.met, self.targets)

    @property
    def missed(self) -> int:
        return self.targets - self.met

    def as_api(self) -> dict[str, Any]:
        return {"targets": self.targets, "met": self.met, "rate": self.rate}


@dataclass
class Durations:
    """A histogram of whole minutes (``reports/histogram.py``)."""

    buckets: dict[int, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(self.buckets.values())

    @property
    def median(self) -> int | None:
        return histogram.percentile(self.buckets, 0.5)

    @property
    def p90(self) -> int | None:
        return histogram.percentile(self.buckets, 0.9)

    def add(self, bucket: int, count: int) -> None:
        self.buckets[bucket] = self.buckets.get(bucket, 0) + count


@dataclass
class PriorityLine:
    """One priority: time to first response and to resolution (wall-clock and business
    time), and SLA compliance."""

    priority: str
    label: str
    first_response: Durations = field(default_factory=Durations)
    first_response_business: Durations = field(default_factory=Durations)
    resolution: Durations = field(default_factory=Durations)
    resolution_business: Durations = field(default_factory=Durations)
    first_response_sla: Compliance = field(default_factory=Compliance)
    resolution_sla: Compliance = field(default_factory=Compliance)

    def as_api(self) -> dict[str, Any]:
        def times(wall: Durations, business: Durations) -> dict[str, Any]:
            return {
                "count": wall.count,
                "median_minutes": wall.median,
                "p90_minutes": wall.p90,
                "business_median_minutes": business.median,
                "business_p90_minutes": business.p90,
            }

        return {
            "first_response": times(self.first_response, self.first_response_business),
            "resolution": times(self.resolution, self.resolution_business),
            "sla": {
                "first_response": self.first_response_sla.as_api(),
                "resolution": self.resolution_sla.as_api(),
            },
        }


DURATION_MEASURES = {
    "fr": "first_response",
    "frb": "first_response_business",
    "res": "resolution",
    "resb": "resolution_business",
}


def priority_lines(
    priority_minutes: Iterable[dict[str, int]], sla_priority: Iterable[dict[str, int]]
) -> list[PriorityLine]:
    """Every priority, from the ``priority_minutes`` and ``sla_priority`` maps of the tiers
    (keys ``<measure>:<priority>:<bucket>`` and ``<fr|res>_<target|met>:<priority>``)."""
    lines = {value: PriorityLine(value, str(label)) for value, label in Priority.choices}
    for counts in priority_minutes:
        for key, count in counts.items():
            measure, priority, bucket = key.split(":")
            line = lines.get(priority)
            if line is not None and measure in DURATION_MEASURES:
                getattr(line, DURATION_MEASURES[measure]).add(int(bucket), count)
    for counts in sla_priority:
        for key, count in counts.items():
            name, priority = key.split(":")
            clock, kind = name.split("_")
            line = lines.get(priority)
            if line is None:
                continue
            compliance = line.first_response_sla if clock == "fr" else line.resolution_sla
            if kind == "target":
                compliance.targets += count
            else:
                compliance.met += count
    return list(lines.values())


# -- breakdowns ----------------------------------------------------------------------------


class EscalationRates:
    """The rates of a tier's escalations, for a line that counts ``stints``, ``escalated``
    and ``came_back``."""

    @property
    def escalation_rate(self) -> float | None:
        """Share of the tier's stints that it passed up."""
        return ratio(self.escalated, self.stints)

    @property
    def came_back_rate(self) -> float | None:
        """Share of the tier's escalations that came back down to it."""
        return ratio(self.came_back, self.escalated)


@dataclass
class BreakdownTier(EscalationRates):
    level: int
    stints: int = 0
    escalated: int = 0
    came_back: int = 0
    resolved: int = 0


@dataclass
class BreakdownLine:
    """One category or team: its numbers per tier."""

    key: str  # short name ("" for tickets without one)
    label: str
    tiers: dict[int, BreakdownTier] = field(default_factory=dict)

    def tier(self, level: int) -> BreakdownTier:
        return self.tiers.setdefault(level, BreakdownTier(level))

    @property
    def resolved(self) -> int:
        return sum(line.resolved for line in self.tiers.values())

    @property
    def resolved_above_l1(self) -> int:
        return sum(line.resolved for line in self.tiers.values() if line.level >= 2)

    @property
    def above_l1_share(self) -> float | None:
        return ratio(self.resolved_above_l1, self.resolved)

    def as_api(self, levels: list[int]) -> dict[str, Any]:
        return {
            "resolved": self.resolved,
            "resolved_above_l1": self.resolved_above_l1,
            "tiers": {
                str(level): {
                    "stints": self.tier(level).stints,
                    "escalated": self.tier(level).escalated,
                    "escalation_rate": self.tier(level).escalation_rate,
                    "came_back": self.tier(level).came_back,
                    "came_back_rate": self.tier(level).came_back_rate,
                    "resolved": self.tier(level).resolved,
                }
                for level in levels
            },
        }


BREAKDOWN_COUNTERS = ("stints", "escalated", "came_back", "resolved")


def breakdown(report_filter: ReportFilter, by: str) -> list[BreakdownLine]:
    """Per category (``by="category"``) or per team (``by="team"``), from ``SliceDay``,
    within the filter; busiest first."""
    assert by in ("category", "team")
    from tierdesk.reports.models import SliceDay

    rows = sums.summed_counters(
        report_filter, (f"{by}_id", "tier_level"), BREAKDOWN_COUNTERS, model=SliceDay
    )
    model = Category if by == "category" else Team
    names = {row.pk: row for row in model.objects.filter(pk__in={r[f"{by}_id"] for r in rows})}
    lines: dict[int | None, BreakdownLine] = {}
    for row in rows:
        key = row[f"{by}_id"]
        if key not in lines:
            named = names.get(key)
            lines[key] = BreakdownLine(
                key=named.slug if named else "",
                label=str(named.name) if named else "",
            )
        tier = lines[key].tier(row["tier_level"])
        for name in BREAKDOWN_COUNTERS:
            setattr(tier, name, getattr(tier, name) + (row[name] or 0))
    return sorted(lines.values(), key=lambda line: (-line.resolved, line.key))


@dataclass
class OrganizationCompliance:
    slug: str
    name: str
    resolved: int
    first_response: Compliance
    resolution: Compliance


def sla_by_organization(report_filter: ReportFilter) -> list[OrganizationCompliance]:
    """SLA compliance of every organization with a target in the period (most targets
    first). With an organization filter, only that organization."""
    counters = (
        "resolved",
        "first_response_targets",
        "first_response_met",
        "resolution_targets",
        "resolution_met",
    )
    per: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(counters, 0))
    for row in sums.summed_counters(
        report_filter, ("organization_id",), counters, per_organization=True
    ):
        for name in counters:
            per[row["organization_id"]][name] += row[name] or 0
    wanted = [
        pk for pk, row in per.items() if row["first_response_targets"] or row["resolution_targets"]
    ]
    organizations = {org.pk: org for org in Organization.objects.filter(pk__in=wanted)}
    lines = [
        OrganizationCompliance(
            slug=organizations[pk].slug,
            name=organizations[pk].name,
            resolved=per[pk]["resolved"],
            first_response=Compliance(
                per[pk]["first_response_targets"], per[pk]["first_response_met"]
            ),
            resolution=Compliance(per[pk]["resolution_targets"], per[pk]["resolution_met"]),
        )
        for pk in wanted
        if pk in organizations
    ]
    return sorted(lines, key=lambda line: (-line.resolution.targets, line.slug))
