"""The tier report from the hand-built history in conftest.py, number by number."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Max

from tests.reports.conftest import PERIOD, build_rest, build_until_reopen, wib
from tierdesk.reports.models import AgentDay, RollupState, TierDay
from tierdesk.reports.periods import ReportFilter
from tierdesk.reports.rollup import refresh_rollups
from tierdesk.reports.tiers import agent_report, tier_report, weekly_trend
from tierdesk.tickets.models import Event

pytestmark = pytest.mark.django_db


def tier_rows() -> list[tuple]:
    return sorted(
        (day, organization or 0, level, resolved, stints, minutes)
        for day, organization, level, resolved, stints, minutes in TierDay.objects.values_list(
            "day", "organization_id", "tier_level", "resolved", "stints", "minutes"
        )
    )


def report(organization=None):
    return tier_report(ReportFilter(*PERIOD, organization))


ISSUE_KEYS = {
    "pyramid",
    "l1_share",
    "l1_target",
    "fcr_rate",
    "escalation_rate",
    "time_in_tier",
    "reopen_rate",
    "csat",
}


def test_the_whole_desk_number_by_number(history):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    numbers = {key: value for key, value in report().as_api().items() if key in ISSUE_KEYS}
    assert numbers == {
        # Nobody was helped by the knowledge base: L0 counts 0.
        "pyramid": {"0": 0, "1": 5, "2": 1, "3": 0},
        "l1_share": round(5 / 6, 4),
        "l1_target": [0.7, 0.8],
        # T1 and T5 (its reopen came after the 7-day window).
        "fcr_rate": round(2 / 6, 4),
        # L1 ended 7 stints, 2 by escalation; L2 ended 2, 1 by escalation.
        "escalation_rate": {"1": round(2 / 7, 4), "2": 0.5},
        "time_in_tier": {
            "1": {"median_minutes": 45, "p90_minutes": 60},  # 15 20 30 45 50 60 60
            "2": {"median_minutes": 40, "p90_minutes": 90},  # 40 90
            "3": {"median_minutes": 60, "p90_minutes": 60},  # 60
        },
        # T4's first resolution was reopened within the window.
        "reopen_rate": round(1 / 6, 4),
        "csat": {
            "average": 3.5,  # 5, 3, 2, 4
            "count": 4,
            "by_tier": {
                "1": {"average": round(11 / 3, 2), "count": 3},
                "2": {"average": 3.0, "count": 1},
                "3": {"average": None, "count": 0},
            },
        },
    }


def test_the_rest_of_the_report(history):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    whole = report()
    assert whole.l1_band == "above"
    l1, l2, l3 = (whole.line(level) for level in (1, 2, 3))
    assert (l1.resolved, l1.first_contact, l1.reopened) == (5, 2, 1)
    assert (l1.stints, l1.escalated, l1.deescalated, l1.moves) == (7, 2, 0, {2: 2})
    assert (l2.stints, l2.escalated, l2.moves) == (2, 1, {3: 1})
    # The escalation that came back down: L3 sent T3 back to L1.
    assert (l3.stints, l3.deescalated, l3.deescalation_rate, l3.moves) == (1, 1, 1.0, {1: 1})
    assert l1.csat_scores == {5: 1, 2: 1, 4: 1}
    assert whole.as_of == wib(2026, 3, 21, 9, 0)


def test_one_organization(history, other_organization, organization):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    sample = report(other_organization).as_api()
    assert sample["pyramid"] == {"0": 0, "1": 0, "2": 1, "3": 0}
    assert sample["l1_share"] == 0.0
    assert sample["fcr_rate"] == 0.0
    assert sample["escalation_rate"] == {"1": 1.0, "2": 0.0}
    assert sample["time_in_tier"]["1"] == {"median_minutes": 60, "p90_minutes": 60}
    assert sample["time_in_tier"]["2"] == {"median_minutes": 90, "p90_minutes": 90}
    assert sample["csat"]["count"] == 1
    assert sample["csat"]["average"] == 3.0
    contoh = report(organization).as_api()
    assert contoh["pyramid"] == {"0": 0, "1": 5, "2": 0, "3": 0}
    assert contoh["fcr_rate"] == round(2 / 5, 4)
    assert contoh["reopen_rate"] == round(1 / 5, 4)
    assert contoh["csat"]["count"] == 3


def test_a_period_without_tickets_has_no_rates(history):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    empty = tier_report(ReportFilter(PERIOD[0].replace(year=2025), PERIOD[1].replace(year=2025)))
    numbers = empty.as_api()
    assert numbers["pyramid"] == {"0": 0, "1": 0, "2": 0, "3": 0}
    assert numbers["l1_share"] is None
    assert numbers["fcr_rate"] is None
    assert numbers["escalation_rate"] == {"1": None, "2": None}
    assert numbers["time_in_tier"]["1"] == {"median_minutes": None, "p90_minutes": None}
    assert numbers["csat"] == {
        "average": None,
        "count": 0,
        "by_tier": {str(level): {"average": None, "count": 0} for level in (1, 2, 3)},
    }
    assert empty.l1_band is None


def test_the_days_are_the_desks_days(history):
    """Everything happened on 2–4 March (Jakarta): a period of 3–4 March sees only T4's
    second resolution and the 3 and 4 March ratings."""
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    numbers = tier_report(ReportFilter(PERIOD[0].replace(day=3), PERIOD[0].replace(day=4)))
    assert numbers.pyramid == {0: 0, 1: 1, 2: 0, 3: 0}
    assert numbers.csat_count == 2
    assert numbers.fcr_rate == 0.0


def test_a_later_reopen_updates_the_day_it_reopens(
    desk, customer, other_org_customer, l1_agent, l2_agent, l3_agent
):
    """The job recomputes the day of a resolution when a reopen within the window comes in
    later, and running it twice changes nothing."""
    tickets = build_until_reopen(desk, customer, other_org_customer, l1_agent, l2_agent, l3_agent)
    refresh_rollups(now=wib(2026, 3, 3, 9, 0))
    before = report()
    assert before.reopen_rate == 0.0
    assert before.fcr_rate == round(3 / 5, 4)  # T1, T4 and T5 so far
    build_rest(desk, tickets, customer, l1_agent)
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    after = report()
    assert after.reopen_rate == round(1 / 6, 4)
    assert after.fcr_rate == round(2 / 6, 4)
    rows = tier_rows()
    agents = sorted(AgentDay.objects.values_list("day", "agent_id", "tier_level", "resolved"))
    refresh_rollups(now=wib(2026, 3, 21, 9, 5))
    refresh_rollups(full=True, now=wib(2026, 3, 21, 9, 10))
    assert rows == tier_rows()
    assert agents == sorted(
        AgentDay.objects.values_list("day", "agent_id", "tier_level", "resolved")
    )
    assert report().as_api() == after.as_api()


def test_a_refresh_while_another_runs_skips(history):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    RollupState.objects.filter(pk=1).update(lease_until=wib(2026, 3, 21, 9, 10))
    assert refresh_rollups(now=wib(2026, 3, 21, 9, 5))["skipped"] is True
    assert refresh_rollups(now=wib(2026, 3, 21, 9, 11))["skipped"] is False


def resolved_at_l1(day: date) -> int:
    return tier_report(ReportFilter(day, day)).pyramid[1]


def test_a_quiet_minute_rebuilds_nothing_and_the_sweep_comes_back(desk, history):
    """Tickets opened change no report: the next minute's run recomputes no day. Today and
    yesterday are still recomputed every half hour."""
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    desk.open(history.customer, (2026, 3, 21, 9, 0, 30))
    assert refresh_rollups(now=wib(2026, 3, 21, 9, 1))["days"] == 0
    assert refresh_rollups(now=wib(2026, 3, 21, 9, 30))["days"] == 2


def resolve_while_a_run_reads_past_it(desk, history, *, run_at: tuple) -> None:
    """A resolution at 9:03 on 21 March whose transaction was still open when the run at
    ``run_at`` read past its id (the run's watermark covers it; its day was not rebuilt)."""
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    ticket = desk.open(history.customer, (2026, 3, 21, 9, 1))
    desk.resolve(history.l1_agent, ticket, (2026, 3, 21, 9, 3))
    RollupState.objects.filter(pk=1).update(
        last_event_id=Event.objects.aggregate(last=Max("id"))["last"], refreshed_at=wib(*run_at)
    )


def test_a_resolution_committed_after_a_run_read_past_its_id_is_counted(desk, history):
    """A run can read the newest event id while an older id's transaction is still open; the
    next run finds that event by its time."""
    resolve_while_a_run_reads_past_it(desk, history, run_at=(2026, 3, 21, 9, 4))
    refresh_rollups(now=wib(2026, 3, 21, 9, 5))
    assert resolved_at_l1(date(2026, 3, 21)) == 1


def test_a_resolution_committed_very_late_is_counted_by_the_sweep(desk, history):
    resolve_while_a_run_reads_past_it(desk, history, run_at=(2026, 3, 21, 9, 20))
    refresh_rollups(now=wib(2026, 3, 21, 9, 21))
    assert resolved_at_l1(date(2026, 3, 21)) == 0
    refresh_rollups(now=wib(2026, 3, 21, 9, 30))
    assert resolved_at_l1(date(2026, 3, 21)) == 1


def test_weekly_trend(history):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    weeks = weekly_trend(ReportFilter(*PERIOD))
    # 1 March 2026 is a Sunday: weeks from 23 Feb, 2 Mar and 9 Mar.
    assert [week.week_start.isoformat() for week in weeks] == [
        "2026-02-23",
        "2026-03-02",
        "2026-03-09",
    ]
    assert [week.report.pyramid for week in weeks] == [
        {0: 0, 1: 0, 2: 0, 3: 0},
        {0: 0, 1: 5, 2: 1, 3: 0},
        {0: 0, 1: 0, 2: 0, 3: 0},
    ]
    assert weeks[0].report.filter.start == PERIOD[0]


def test_agents_numbers(history, supervisor):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    lines = {line.username: line for line in agent_report(supervisor, ReportFilter(*PERIOD))}
    assert set(lines) == {"agent1", "agent2", "agent3"}
    l1 = lines["agent1"]
    assert (l1.resolved, l1.total("first_contact"), l1.escalated) == (5, 2, 2)
    assert (l1.csat_count, l1.csat_average) == (3, round(11 / 3, 2))
    assert (lines["agent2"].resolved, lines["agent2"].escalated) == (1, 1)
    assert lines["agent2"].csat_average == 3.0
    assert lines["agent3"].total("deescalated") == 1
    # An agent sees only their own line.
    own = agent_report(history.l2_agent, ReportFilter(*PERIOD))
    assert [line.username for line in own] == ["agent2"]


def test_the_refresh_command(history):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("reports", "refresh", "--full", stdout=out)
    assert "Recomputed" in out.getvalue()
    assert TierDay.objects.filter(tier_level=1, organization__isnull=True).exists()
