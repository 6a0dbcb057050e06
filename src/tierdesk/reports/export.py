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
            [_("L0 deflections"), report.deflections],
            [_("L1 share of resolutions"), report.l1_share],
            [_("L1 target band, low"), low],
            [_("L1 target band, high"), high],
            [_("L1 share against the band"), _band_label(report.l1_band)],
            [_("First-contact resolution rate"), report.fcr_rate],
            [_("Reopen rate"), report.reopen_rate],
            [_("Ratings"), report.csat_count],
            [_("Average rating"), report.csat_average],
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
                *[line.moves.get(level, 0) for level in levels],
            ]
            for line in report.ticket_lines
        ],
    )


def time_in_tier_table(report: TierReport) -> Table:
    return Table(
        "time_in_tier",
        _("Time in tier (minutes)"),
        [_("Tier"), _("Stints ended"), _("Median"), _("90th percentile")],
        [
            [line.code, line.stints, line.median_minutes, line.p90_minutes]
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


# Every table of the tier report, by name: what the page's CSV links ask for.
REPORT_TABLES: dict[str, Callable[[TierReport], Table]] = {
    "summary": summary_table,
    "pyramid": pyramid_table,
    "escalations": escalation_table,
    "time_in_tier": time_in_tier_table,
    "csat": csat_table,
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


def csv_filename(table: Table, report_filter) -> str:
    """E.g. ``tier-report-pyramid-2026-01-01-2026-01-31-contoh.csv``."""
    parts = [
        "tier-report",
        table.name,
        report_filter.start.isoformat(),
        report_filter.end.isoformat(),
    ]
    if report_filter.organization is not None:
        parts.append(report_filter.organization.slug)
    return "-".join(parts) + ".csv"
