"""The report's tables — the numbers beside each chart — and their CSV export.

Each table is a :class:`Table` (title, column headings, rows of plain values) so the page
renders it as HTML and the CSV link serves the very same rows. Headings are translated in
the active language; numbers stay numbers (rates as fractions 0–1, minutes as integers).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tierdesk.reports.backlog import AGE_BUCKETS, BacklogLine
from tierdesk.reports.measures import BreakdownLine, OrganizationCompliance
from tierdesk.reports.shiftleft import ArticleMatch
from tierdesk.reports.tiers import AgentLine, TierReport, WeekLine


@dataclass(frozen=True)
class Table:
    name: str  # stable, used in file names and URLs: "pyramid", "escalations", ...
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _band_label(value: str | None) -> str:
    return {
        "below": _("below the target band"),
        "in": _("within the target band"),
        "above": _("above the target band"),
    }.get(value or "", "")


def pyramid_table(report: TierReport) -> Table:
    total = sum(report.pyramid.values())
    rows = []
    for line in report.tiers:
        count = report.deflections if line.level == 0 else line.resolved
        rows.append([line.code, line.name, count, round(count / total, 4) if total else None])
    return Table(
        "pyramid",
        _("Problems solved per tier"),
        [_("Tier"), _("Name"), _("Solved"), _("Share")],
        rows,
    )


def summary_table(report: TierReport) -> Table:
    low, high = report.l1_target
    return Table(
        "summary",
        _("Summary"),
        [_("Measure"), _("Value")],
        [
            [_("Tickets resolved"), report.resolved],
            [
                _("L0 deflections"),
                report.deflections if report.deflections_available else None,
            ],
            [_("L1 share of resolutions"), report.l1_share],
            [_("L1 target band, low"), low],
            [_("L1 target band, high"), high],
            [_("L1 share against the band"), _band_label(report.l1_band)],
            [_("First-contact resolution rate"), report.fcr_rate],
            [_("Reopen rate"), report.reopen_rate],
            [_("Ratings"), report.csat_count],
            [_("Average rating"), report.csat_average],
            [_("First-response SLA compliance"), report.first_response_sla.rate],
            [_("Resolution SLA compliance"), report.resolution_sla.rate],
        ],
    )


def escalation_table(report: TierReport) -> Table:
    levels = [line.level for line in report.ticket_lines]
    return Table(
        "escalations",
        _("Escalations per tier"),
        [
            _("Tier"),
            _("Stints ended"),
            _("Escalated"),
            _("Escalation rate"),
            _("De-escalated"),
            _("De-escalation rate"),
            _("Came back down"),
            _("Came-back rate"),
        ]
        + [str(_("To L%(level)s") % {"level": level}) for level in levels],
        [
            [
                line.code,
                line.stints,
                line.escalated,
                line.escalation_rate,
                line.deescalated,
                line.deescalation_rate,
                line.came_back,
                line.came_back_rate,
                *[line.moves.get(level, 0) for level in levels],
            ]
            for line in report.ticket_lines
        ],
    )


def time_in_tier_table(report: TierReport) -> Table:
    return Table(
        "time_in_tier",
        _("Time in tier (minutes)"),
        [
            _("Tier"),
            _("Stints ended"),
            _("Median"),
            _("90th percentile"),
            _("Median, business time"),
            _("90th percentile, business time"),
        ],
        [
            [
                line.code,
                line.stints,
                line.median_minutes,
                line.p90_minutes,
                line.business_median_minutes,
                line.business_p90_minutes,
            ]
            for line in report.ticket_lines
        ],
    )


def csat_table(report: TierReport) -> Table:
    return Table(
        "csat",
        _("Customer satisfaction per tier that resolved"),
        [_("Tier"), _("Ratings"), _("Average")] + [f"{score}★" for score in range(1, 6)],
        [
            [
                line.code,
                line.csat_count,
                line.csat_average,
                *[line.csat_scores.get(score, 0) for score in range(1, 6)],
            ]
            for line in report.ticket_lines
        ],
    )


def trend_table(weeks: list[WeekLine]) -> Table:
    levels = [line.level for line in weeks[0].report.ticket_lines] if weeks else []
    return Table(
        "trend",
        _("Week by week"),
        [_("Week from")]
        + [str(_("Resolved at L%(level)s") % {"level": level}) for level in levels]
        + [
            _("L1 share"),
            _("First-contact resolution rate"),
            _("Reopen rate"),
            _("Average rating"),
        ],
        [
            [
                week.week_start.isoformat(),
                *[week.report.pyramid.get(level, 0) for level in levels],
                week.report.l1_share,
                week.report.fcr_rate,
                week.report.reopen_rate,
                week.report.csat_average,
            ]
            for week in weeks
        ],
    )


def agent_table(agents: list[AgentLine]) -> Table:
    rows = []
    for agent in agents:
        for line in agent.tiers:
            rows.append(
                [
                    agent.username,
                    agent.display_name,
                    f"L{line.level}",
                    line.resolved,
                    line.first_contact,
                    line.reopened,
                    line.escalated,
                    line.deescalated,
                    line.csat_count,
                    line.csat_average,
                ]
            )
    return Table(
        "agents",
        _("Per agent"),
        [
            _("Username"),
            _("Name"),
            _("Tier"),
            _("Resolved"),
            _("First-contact resolutions"),
            _("Reopened"),
            _("Escalated"),
            _("De-escalated"),
            _("Ratings"),
            _("Average rating"),
        ],
        rows,
    )


def agent_category_table(agents: list[AgentLine]) -> Table:
    rows = [
        [
            agent.username,
            agent.display_name,
            f"L{line.level}",
            counted.name or _("No category"),
            counted.count,
        ]
        for agent in agents
        for line in agent.tiers
        for counted in line.by_category
    ]
    return Table(
        "agent_categories",
        _("Resolved per agent, tier and category"),
        [_("Username"), _("Name"), _("Tier"), _("Category"), _("Resolved")],
        rows,
    )


def backlog_table(lines: list[BacklogLine]) -> Table:
    return Table(
        "backlog",
        _("Backlog by age"),
        [_("Tier")] + [str(label) for _key, label, _limit in AGE_BUCKETS] + [_("Total")],
        [
            [line.code, *[line.counts[key] for key, _label, _limit in AGE_BUCKETS], line.total]
            for line in lines
        ],
    )


def priority_table(report: TierReport) -> Table:
    return Table(
        "priorities",
        _("Time to first response and to resolution per priority (minutes)"),
        [
            _("Priority"),
            _("First responses"),
            _("Median"),
            _("90th percentile"),
            _("Median, business time"),
            _("90th percentile, business time"),
            _("Resolutions"),
            _("Median"),
            _("90th percentile"),
            _("Median, business time"),
            _("90th percentile, business time"),
        ],
        [
            [
                line.priority,
                line.first_response.count,
                line.first_response.median,
                line.first_response.p90,
                line.first_response_business.median,
                line.first_response_business.p90,
                line.resolution.count,
                line.resolution.median,
                line.resolution.p90,
                line.resolution_business.median,
                line.resolution_business.p90,
            ]
            for line in report.priorities
        ],
    )


SLA_HEADERS = [
    _("First responses with a target"),
    _("Met"),
    _("Compliance"),
    _("Resolutions with a target"),
    _("Met"),
    _("Compliance"),
]


def _compliance_cells(first_response, resolution) -> list[Any]:
    return [
        first_response.targets,
        first_response.met,
        first_response.rate,
        resolution.targets,
        resolution.met,
        resolution.rate,
    ]


def sla_tier_table(report: TierReport) -> Table:
    rows = [
        [line.code, *_compliance_cells(line.first_response_sla, line.resolution_sla)]
        for line in report.ticket_lines
    ]
    rows.append([_("All"), *_compliance_cells(report.first_response_sla, report.resolution_sla)])
    return Table("sla_tiers", _("SLA compliance per tier"), [_("Tier"), *SLA_HEADERS], rows)


def sla_priority_table(report: TierReport) -> Table:
    return Table(
        "sla_priorities",
        _("SLA compliance per priority"),
        [_("Priority"), *SLA_HEADERS],
        [
            [line.priority, *_compliance_cells(line.first_response_sla, line.resolution_sla)]
            for line in report.priorities
        ],
    )


def sla_organization_table(lines: list[OrganizationCompliance]) -> Table:
    return Table(
        "sla_organizations",
        _("SLA compliance per organization"),
        [_("Organization"), _("Name"), _("Resolved"), *SLA_HEADERS],
        [
            [
                line.slug,
                line.name,
                line.resolved,
                *_compliance_cells(line.first_response, line.resolution),
            ]
            for line in lines
        ],
    )


def _breakdown_table(
    name: str, title: str, key_header: str, lines: list[BreakdownLine], levels: list[int]
) -> Table:
    headers = [key_header, _("Name"), _("Resolved"), _("Resolved above L1")]
    for level in levels:
        headers += [
            str(_("L%(level)s stints ended") % {"level": level}),
            str(_("L%(level)s escalated") % {"level": level}),
            str(_("L%(level)s escalation rate") % {"level": level}),
            str(_("L%(level)s came back down") % {"level": level}),
        ]
    rows = []
    for line in lines:
        row: list[Any] = [line.key, line.label, line.resolved, line.resolved_above_l1]
        for level in levels:
            tier = line.tier(level)
            row += [tier.stints, tier.escalated, tier.escalation_rate, tier.came_back]
        rows.append(row)
    return Table(name, title, headers, rows)


def category_table(report: TierReport) -> Table:
    levels = [line.level for line in report.escalating_lines]
    return _breakdown_table(
        "by_category",
        _("Escalations per category"),
        _("Category"),
        report.by_category,
        levels,
    )


def team_table(report: TierReport) -> Table:
    levels = [line.level for line in report.escalating_lines]
    return _breakdown_table("by_team", _("Escalations per team"), _("Team"), report.by_team, levels)


def shift_left_category_table(lines: list[BreakdownLine]) -> Table:
    return Table(
        "shift_left_categories",
        _("Shift-left: categories most often resolved at L2/L3"),
        [_("Category"), _("Name"), _("Resolved"), _("Resolved above L1"), _("Share above L1")],
        [
            [line.key, line.label, line.resolved, line.resolved_above_l1, line.above_l1_share]
            for line in lines
        ],
    )


def shift_left_article_table(matches: list[ArticleMatch]) -> Table:
    return Table(
        "shift_left_articles",
        _("Shift-left: resolved above L1, matching a published article"),
        [_("Ticket"), _("Subject"), _("Tier"), _("Category"), _("Resolved"), _("Article")],
        [
            [
                match.number,
                match.subject,
                f"L{match.tier}",
                match.category,
                match.resolved_at.isoformat(),
                match.article_title,
            ]
            for match in matches
        ],
    )


# Every table of the tier report, by name: what the page's CSV links ask for.
REPORT_TABLES: dict[str, Callable[[TierReport], Table]] = {
    "summary": summary_table,
    "pyramid": pyramid_table,
    "escalations": escalation_table,
    "time_in_tier": time_in_tier_table,
    "csat": csat_table,
    "priorities": priority_table,
    "sla_tiers": sla_tier_table,
    "sla_priorities": sla_priority_table,
    "by_category": category_table,
    "by_team": team_table,
}

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A value as a spreadsheet should get it; text that could run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def table_csv(table: Table) -> str:
    """The table as CSV text (comma-separated, a header row, ``\\r\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(str(header)) for header in table.headers])
    for row in table.rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def csv_filename(table: Table, report_filter, prefix: str = "tier-report") -> str:
    """E.g. ``tier-report-pyramid-2026-01-01-2026-01-31-contoh.csv`` (then the category and
    team short names when filtered by them)."""
    parts = [prefix, table.name, report_filter.start.isoformat(), report_filter.end.isoformat()]
    for row in (report_filter.organization, report_filter.category, report_filter.team):
        if row is not None:
            parts.append(row.slug)
    return "-".join(parts) + ".csv"
