"""Category and team filters, breakdowns, escalations that came back down, business time,
time to first response / resolution per priority and SLA compliance — from the hand-built
histories in conftest.py (T1-T7), number by number."""

from __future__ import annotations

import pytest

from tests.reports.conftest import PERIOD, wib
from tierdesk.reports import histogram
from tierdesk.reports.export import agent_category_table
from tierdesk.reports.measures import sla_by_organization
from tierdesk.reports.periods import ReportFilter, parse_filter
from tierdesk.reports.rollup import refresh_rollups
from tierdesk.reports.tiers import agent_report, tier_report, weekly_trend

pytestmark = pytest.mark.django_db


def floor(minutes: int) -> int:
    """What a percentile reports for ``minutes`` (exact below 2 hours, 2 % buckets above)."""
    return histogram.bucket_floor(histogram.bucket_of(minutes))


def report(**names):
    return tier_report(parse_filter(*(day.isoformat() for day in PERIOD), **names))


@pytest.fixture
def built(extended_history):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    return extended_history


def test_the_base_history_escalation_that_came_back_down(history):
    """T3 went L1 -> L2 -> L3 and L3 sent it back to L1: one of L1's two escalations came
    back down. L2 escalated T3 too, but it went down to L1, not to L2."""
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    numbers = tier_report(ReportFilter(*PERIOD)).as_api()["escalations"]
    assert numbers["1"] == {
        "stints": 7,
        "escalated": 2,
        "deescalated": 0,
        "came_back": 1,
        "came_back_rate": 0.5,
    }
    assert (numbers["2"]["came_back"], numbers["2"]["came_back_rate"]) == (0, 0.0)
    assert (numbers["3"]["came_back"], numbers["3"]["came_back_rate"]) == (0, None)


def test_the_whole_desk_with_the_new_tickets(built):
    numbers = tier_report(ReportFilter(*PERIOD)).as_api()
    assert numbers["pyramid"] == {"0": 0, "1": 6, "2": 2, "3": 0}
    # L1: 15 20 30 30 30 45 50 60 60 240 (T6 30, T7 30 and 240); all in office hours.
    assert numbers["time_in_tier"]["1"] == {"median_minutes": 30, "p90_minutes": 60}
    assert numbers["time_in_tier_business"]["1"] == {"median_minutes": 30, "p90_minutes": 60}
    # L2: 30 40 90 3,900 wall-clock; T6's weekend stint is 120 business minutes.
    assert numbers["time_in_tier"]["2"] == {"median_minutes": 40, "p90_minutes": floor(3900)}
    assert numbers["time_in_tier_business"]["2"] == {"median_minutes": 40, "p90_minutes": 120}
    # T7 came back down to L1 too: 2 of L1's 4 escalations.
    assert numbers["escalations"]["1"]["escalated"] == 4
    assert numbers["escalations"]["1"]["came_back"] == 2
    assert numbers["escalations"]["1"]["came_back_rate"] == 0.5
    assert numbers["escalations"]["2"]["deescalated"] == 1


def test_time_to_first_response_and_resolution_per_priority(built):
    priorities = tier_report(ReportFilter(*PERIOD)).as_api()["priorities"]
    # P1 (T7): first response = resolution at 13:00, 300 minutes, all in office hours.
    assert priorities["P1"]["first_response"] == {
        "count": 1,
        "median_minutes": floor(300),
        "p90_minutes": floor(300),
        "business_median_minutes": floor(300),
        "business_p90_minutes": floor(300),
    }
    # P2 (T6): replied after 20 minutes; resolved 3,930 minutes (150 business) after opening.
    assert priorities["P2"]["first_response"]["median_minutes"] == 20
    assert priorities["P2"]["first_response"]["business_median_minutes"] == 20
    assert priorities["P2"]["resolution"] == {
        "count": 1,
        "median_minutes": floor(3930),
        "p90_minutes": floor(3930),
        "business_median_minutes": floor(150),
        "business_p90_minutes": floor(150),
    }
    # P3 (T1-T5): first responses 30 50 60 150 165; resolutions 30 50 60 150 165 and T4's
    # second, 2,955 minutes after opening (65 business minutes: 50 + 15 after the reopen).
    assert priorities["P3"]["first_response"] == {
        "count": 5,
        "median_minutes": 60,
        "p90_minutes": floor(165),
        "business_median_minutes": 60,
        "business_p90_minutes": floor(165),
    }
    assert priorities["P3"]["resolution"] == {
        "count": 6,
        "median_minutes": 60,
        "p90_minutes": floor(2955),
        "business_median_minutes": 60,
        "business_p90_minutes": floor(165),
    }
    assert priorities["P4"]["resolution"]["count"] == 0
    assert priorities["P4"]["resolution"]["median_minutes"] is None


def test_sla_compliance_per_tier_priority_and_organization(built):
    whole = tier_report(ReportFilter(*PERIOD))
    sla = whole.as_api()["sla"]
    # 7 first responses (T1-T7), T7 missed its 30 minutes; 8 resolutions, T7 missed 240.
    assert sla["first_response"] == {"targets": 7, "met": 6, "rate": round(6 / 7, 4)}
    assert sla["resolution"] == {"targets": 8, "met": 7, "rate": 0.875}
    # T2's first response was its resolution at L2; T6's was L1's reply.
    assert sla["by_tier"]["1"]["first_response"] == {"targets": 6, "met": 5, "rate": 0.8333}
    assert sla["by_tier"]["2"]["first_response"] == {"targets": 1, "met": 1, "rate": 1.0}
    assert sla["by_tier"]["1"]["resolution"] == {"targets": 6, "met": 5, "rate": 0.8333}
    assert sla["by_tier"]["2"]["resolution"] == {"targets": 2, "met": 2, "rate": 1.0}
    assert sla["by_tier"]["3"]["resolution"] == {"targets": 0, "met": 0, "rate": None}
    priorities = whole.as_api()["priorities"]
    assert priorities["P1"]["sla"] == {
        "first_response": {"targets": 1, "met": 0, "rate": 0.0},
        "resolution": {"targets": 1, "met": 0, "rate": 0.0},
    }
    assert priorities["P2"]["sla"]["resolution"] == {"targets": 1, "met": 1, "rate": 1.0}
    assert priorities["P3"]["sla"]["resolution"] == {"targets": 6, "met": 6, "rate": 1.0}
    organizations = {line.slug: line for line in sla_by_organization(ReportFilter(*PERIOD))}
    assert set(organizations) == {"contoh", "sample"}
    contoh, sample = organizations["contoh"], organizations["sample"]
    assert (contoh.resolved, contoh.first_response.targets, contoh.first_response.met) == (6, 5, 5)
    assert (contoh.resolution.targets, contoh.resolution.met) == (6, 6)
    assert (sample.resolved, sample.first_response.targets, sample.first_response.met) == (2, 2, 1)
    assert (sample.resolution.targets, sample.resolution.met, sample.resolution.rate) == (2, 1, 0.5)


def test_filtered_by_category(built):
    akun = report(category="akun").as_api()
    # Only T6: escalated by L1 after 30 minutes, resolved at L2.
    assert akun["filters"]["category"] == "akun"
    assert akun["deflections_available"] is False
    assert akun["pyramid"] == {"0": 0, "1": 0, "2": 1, "3": 0}
    assert akun["escalation_rate"] == {"1": 1.0, "2": 0.0}
    assert akun["time_in_tier"]["1"] == {"median_minutes": 30, "p90_minutes": 30}
    assert akun["time_in_tier_business"]["2"] == {"median_minutes": 120, "p90_minutes": 120}
    assert akun["sla"]["resolution"] == {"targets": 1, "met": 1, "rate": 1.0}
    jaringan = report(category="jaringan").as_api()
    # Only T7: L1 escalated, got it back, resolved it.
    assert jaringan["pyramid"] == {"0": 0, "1": 1, "2": 0, "3": 0}
    assert jaringan["escalation_rate"]["1"] == 0.5
    assert jaringan["escalations"]["1"]["came_back"] == 1
    assert jaringan["escalations"]["1"]["came_back_rate"] == 1.0
    assert jaringan["escalations"]["2"]["deescalated"] == 1
    assert jaringan["sla"]["first_response"] == {"targets": 1, "met": 0, "rate": 0.0}
    assert jaringan["fcr_rate"] == 0.0
    # With an organization too: T7 is sample's, so contoh has nothing in jaringan.
    nothing = report(category="jaringan", organization="contoh").as_api()
    assert nothing["pyramid"] == {"0": 0, "1": 0, "2": 0, "3": 0}
    both = report(category="jaringan", organization="sample").as_api()
    assert both["pyramid"] == jaringan["pyramid"]


def test_filtered_by_team(built):
    network = report(team="l2-network").as_api()
    # T6's L2 stint and resolution; the stints of L1 have no team.
    assert network["pyramid"] == {"0": 0, "1": 0, "2": 1, "3": 0}
    assert network["escalations"]["2"]["stints"] == 1
    assert network["escalations"]["1"]["stints"] == 0
    assert network["time_in_tier"]["2"] == {
        "median_minutes": floor(3900),
        "p90_minutes": floor(3900),
    }
    hosting = report(team="l2-hosting").as_api()
    assert hosting["pyramid"] == {"0": 0, "1": 0, "2": 0, "3": 0}
    assert hosting["escalations"]["2"] == {
        "stints": 1,
        "escalated": 0,
        "deescalated": 1,
        "came_back": 0,
        "came_back_rate": None,
    }
    assert hosting["time_in_tier"]["2"] == {"median_minutes": 30, "p90_minutes": 30}


def test_escalation_rate_per_category_and_per_team(built):
    numbers = tier_report(ReportFilter(*PERIOD)).as_api()
    by_category = numbers["by_category"]
    assert list(by_category) == ["", "akun", "jaringan"]
    # Without a category: T1-T5 (6 resolutions, T2 at L2).
    assert by_category[""]["resolved"] == 6
    assert by_category[""]["resolved_above_l1"] == 1
    assert by_category[""]["tiers"]["1"] == {
        "stints": 7,
        "escalated": 2,
        "escalation_rate": round(2 / 7, 4),
        "came_back": 1,
        "came_back_rate": 0.5,
        "resolved": 5,
    }
    assert by_category["akun"]["tiers"]["1"]["escalation_rate"] == 1.0
    assert by_category["akun"]["resolved_above_l1"] == 1
    assert by_category["jaringan"]["tiers"]["1"]["escalation_rate"] == 0.5
    assert by_category["jaringan"]["tiers"]["1"]["came_back"] == 1
    by_team = numbers["by_team"]
    assert set(by_team) == {"", "l2-network", "l2-hosting"}
    assert by_team["l2-network"]["tiers"]["2"]["resolved"] == 1
    assert by_team["l2-hosting"]["tiers"]["2"]["stints"] == 1
    assert by_team["l2-hosting"]["tiers"]["2"]["escalation_rate"] == 0.0
    # L1 has no teams: all 10 of its stints are under "".
    assert by_team[""]["tiers"]["1"]["stints"] == 10
    assert by_team[""]["tiers"]["1"]["escalated"] == 4


def test_the_weekly_trend_follows_the_filters(built):
    weeks = weekly_trend(parse_filter("2026-03-01", "2026-03-10", category="akun"))
    assert [week.report.pyramid for week in weeks] == [
        {0: 0, 1: 0, 2: 0, 3: 0},
        {0: 0, 1: 0, 2: 0, 3: 0},
        {0: 0, 1: 0, 2: 1, 3: 0},  # T6 resolved Monday 9 March
    ]


def test_the_backlog_follows_the_filters(built):
    from tierdesk.reports.backlog import backlog_by_age

    at = wib(2026, 3, 21, 9, 0)
    category = parse_filter(category="akun").category
    # Only T5 is active (no category); T6 and T7 are resolved.
    assert sum(line.total for line in backlog_by_age(now=at)) == 1
    assert sum(line.total for line in backlog_by_age(now=at, category=category)) == 0


def test_each_agents_resolutions_per_tier_and_category(built, supervisor):
    lines = {line.username: line for line in agent_report(supervisor, ReportFilter(*PERIOD))}
    agent1_l1 = next(line for line in lines["agent1"].tiers if line.level == 1)
    # T7 (Network) plus the base history's five L1 resolutions, which have no category.
    assert [(c.slug, c.name, c.count) for c in agent1_l1.by_category] == [
        ("", "", 5),
        ("jaringan", "Network", 1),
    ]
    assert sum(counted.count for counted in agent1_l1.by_category) == agent1_l1.resolved
    (netagent_l2,) = lines["netagent"].tiers
    assert [(c.name, c.count) for c in netagent_l2.by_category] == [("Accounts", 1)]  # T6
    only_network = parse_filter(*(day.isoformat() for day in PERIOD), category="jaringan")
    lines = {line.username: line for line in agent_report(supervisor, only_network)}
    agent1_l1 = next(line for line in lines["agent1"].tiers if line.level == 1)
    assert [(c.slug, c.count) for c in agent1_l1.by_category] == [("jaringan", 1)]
    rows = agent_category_table(agent_report(supervisor, ReportFilter(*PERIOD))).rows
    assert ["agent1", lines["agent1"].display_name, "L1", "Network", 1] in rows
    assert ["agent1", lines["agent1"].display_name, "L1", "No category", 5] in rows
