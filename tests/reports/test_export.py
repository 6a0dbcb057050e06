"""The tables beside the charts, and their CSV."""

from __future__ import annotations

import csv
import io

import pytest

from tests.reports.conftest import PERIOD, wib
from tierdesk.reports import histogram
from tierdesk.reports.export import (
    REPORT_TABLES,
    Table,
    agent_table,
    csv_filename,
    table_csv,
    trend_table,
)
from tierdesk.reports.periods import ReportFilter
from tierdesk.reports.rollup import refresh_rollups
from tierdesk.reports.tiers import agent_report, tier_report, weekly_trend


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.django_db
def test_every_table_exports_its_numbers(history, supervisor):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    report = tier_report(ReportFilter(*PERIOD))
    tables = {name: build(report) for name, build in REPORT_TABLES.items()}
    assert rows_of(table_csv(tables["pyramid"]))[1:] == [
        ["L0", report.line(0).name, "0", "0.0"],
        ["L1", report.line(1).name, "5", str(round(5 / 6, 4))],
        ["L2", report.line(2).name, "1", str(round(1 / 6, 4))],
        ["L3", report.line(3).name, "0", "0.0"],
    ]
    assert rows_of(table_csv(tables["escalations"]))[1:] == [
        # T3 went L1 -> L2 -> L3 and came back down to L1: one of L1's two escalations.
        ["L1", "7", "2", str(round(2 / 7, 4)), "0", "0.0", "1", "0.5", "0", "2", "0"],
        ["L2", "2", "1", "0.5", "0", "0.0", "0", "0.0", "0", "0", "1"],
        ["L3", "1", "0", "0.0", "1", "1.0", "0", "", "1", "0", "0"],
    ]
    # Everything happened within office hours (Mon 2 and Wed 4 March, 08:00-17:00 Jakarta,
    # the default policy's calendar): business time equals wall-clock time here.
    assert rows_of(table_csv(tables["time_in_tier"]))[1:] == [
        ["L1", "7", "45", "60", "45", "60"],
        ["L2", "2", "40", "90", "40", "90"],
        ["L3", "1", "60", "60", "60", "60"],
    ]
    assert rows_of(table_csv(tables["csat"]))[1:] == [
        ["L1", "3", str(round(11 / 3, 2)), "0", "1", "0", "1", "1"],
        ["L2", "1", "3.0", "0", "0", "1", "0", "0"],
        ["L3", "0", "", "0", "0", "0", "0", "0"],
    ]
    summary = dict(rows_of(table_csv(tables["summary"]))[1:])
    assert summary["Tickets resolved"] == "6"
    assert summary["L1 share against the band"] == "above the target band"
    trend = rows_of(table_csv(trend_table(weekly_trend(ReportFilter(*PERIOD)))))
    assert [row[0] for row in trend[1:]] == ["2026-02-23", "2026-03-02", "2026-03-09"]
    agents = rows_of(table_csv(agent_table(agent_report(supervisor, ReportFilter(*PERIOD)))))
    assert agents[1][:8] == ["agent1", "agent1", "L1", "5", "2", "1", "2", "0"]
    name = csv_filename(tables["csat"], ReportFilter(*PERIOD, history.customer.organization))
    assert name == "tier-report-csat-2026-03-01-2026-03-10-contoh.csv"


def test_text_that_a_spreadsheet_would_run_is_quoted():
    table = Table("x", "x", ["=SUM(A1)"], [["=cmd|' /C calc'!A0", "+1", "-2", "@x", "plain", 3]])
    assert rows_of(table_csv(table)) == [
        ["'=SUM(A1)"],
        ["'=cmd|' /C calc'!A0", "'+1", "'-2", "'@x", "plain", "3"],
    ]


def test_histogram_buckets_are_exact_below_two_hours_and_within_2_percent_above():
    for minutes in range(0, 120):
        assert histogram.bucket_floor(histogram.bucket_of(minutes)) == minutes
    for minutes in range(120, 60 * 24 * 60, 7):
        floor = histogram.bucket_floor(histogram.bucket_of(minutes))
        assert floor <= minutes <= floor * 1.02 + 1
        assert histogram.bucket_of(floor) == histogram.bucket_of(minutes)
    assert histogram.percentile({}, 0.5) is None
    merged = histogram.merge([{"10": 1, "20": 1}, {"20": 1, "30": 2}])
    assert histogram.percentile(merged, 0.5) == 20
    assert histogram.percentile(merged, 0.9) == 30


@pytest.mark.django_db
def test_backlog_by_age(history, organization, other_organization):
    from tierdesk.reports.backlog import backlog_by_age
    from tierdesk.reports.export import backlog_table

    # Only T5 is active (reopened 20 March 09:00 at L1), opened 2 March.
    lines = backlog_by_age(now=wib(2026, 3, 21, 9, 0))
    assert [(line.code, line.total) for line in lines] == [("L1", 1), ("L2", 0), ("L3", 0)]
    assert lines[0].counts["7_to_30_days"] == 1
    assert backlog_by_age(other_organization, now=wib(2026, 3, 21, 9, 0))[0].total == 0
    assert rows_of(table_csv(backlog_table(lines)))[1] == ["L1", "0", "0", "0", "1", "0", "1"]
