"""GET /api/v1/reports/tiers with category and team, and GET /api/v1/reports/shift-left:
permissions, the new numbers, bad input as 422."""

from __future__ import annotations

import pytest

from tests.conftest import _staff
from tests.reports.conftest import wib
from tierdesk.accounts.models import Role
from tierdesk.kb.actions import create_article, publish_article
from tierdesk.reports.rollup import refresh_rollups

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-03-01", "end": "2026-03-10"}


@pytest.fixture
def admin(tiers):
    return _staff("boss", role=Role.ADMIN)


@pytest.fixture
def built(extended_history):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    return extended_history


def test_the_tier_report_by_category_and_team(api_as, built, supervisor, admin):
    for person in (supervisor, admin):
        body = api_as(person).get("/reports/tiers", {**PERIOD, "category": "jaringan"}).json()
        assert body["filters"] == {
            "start": "2026-03-01",
            "end": "2026-03-10",
            "organization": None,
            "category": "jaringan",
            "team": None,
        }
        assert body["pyramid"] == {"0": 0, "1": 1, "2": 0, "3": 0}
        assert body["escalations"]["1"]["came_back"] == 1
        assert body["sla"]["resolution"] == {"targets": 1, "met": 0, "rate": 0.0}
        assert body["priorities"]["P1"]["resolution"]["business_median_minutes"] is not None
    team = api_as(supervisor).get(
        "/reports/tiers", {**PERIOD, "team": "l2-network", "organization": "contoh"}
    )
    assert team.status_code == 200
    assert team.json()["pyramid"] == {"0": 0, "1": 0, "2": 1, "3": 0}
    assert team.json()["time_in_tier_business"]["2"] == {
        "median_minutes": 120,
        "p90_minutes": 120,
    }
    whole = api_as(supervisor).get("/reports/tiers", PERIOD).json()
    assert whole["by_category"]["akun"]["tiers"]["1"]["escalation_rate"] == 1.0
    assert whole["by_team"]["l2-hosting"]["tiers"]["2"]["stints"] == 1


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"category": "nope"}, "unknown_category", "category"),
        ({"team": "nope"}, "unknown_team", "team"),
        ({"category": "akun ; drop"}, "unknown_category", "category"),
        ({"team": "l2-network", "start": "2026-02-30"}, "invalid_date", "start"),
    ],
)
def test_unknown_category_or_team_is_422(api_as, built, supervisor, params, code, field):
    answer = api_as(supervisor).get("/reports/tiers", params)
    assert answer.status_code == 422, answer.content
    assert (answer.json()["code"], answer.json()["field"]) == (code, field)


def test_a_too_long_category_or_team_is_422(api_as, supervisor):
    for name in ("category", "team"):
        answer = api_as(supervisor).get("/reports/tiers", {name: "x" * 61})
        assert answer.status_code == 422


def test_the_new_filters_do_not_open_the_report_to_others(api_as, built, l1_agent, customer):
    for person in (l1_agent, customer):
        for path in ("/reports/tiers", "/reports/shift-left"):
            answer = api_as(person).get(path, {**PERIOD, "category": "akun"})
            assert answer.status_code == 403
            assert answer.json()["code"] == "reports_supervisors_only"
    assert api_as(None).get("/reports/shift-left", PERIOD).status_code == 401


def test_shift_left_candidates(api_as, built, supervisor, l1_agent):
    article = create_article(
        actor=l1_agent,
        title="VPN login fails: reset the VPN password",
        body="When the VPN refuses the password, reset it in the account portal.",
        language="en",
    )
    publish_article(actor=l1_agent, article_id=article.pk)
    body = api_as(supervisor).get("/reports/shift-left", PERIOD).json()
    # Resolved above L1: T2 (no category) and T6 (akun), one each.
    assert body["categories"] == [
        {
            "category": "",
            "name": "",
            "resolved": 6,
            "resolved_above_l1": 1,
            "share_above_l1": round(1 / 6, 4),
        },
        {
            "category": "akun",
            "name": "Accounts",
            "resolved": 1,
            "resolved_above_l1": 1,
            "share_above_l1": 1.0,
        },
    ]
    # T6 ("VPN login fails", resolved at L2) matches the article; T2 ("Email down") not.
    matches = body["article_matches"]
    assert [(m["ticket"], m["tier"], m["article"]) for m in matches] == [
        (built.tickets["T6"], 2, article.pk)
    ]
    assert matches[0]["category"] == "akun"
    only_akun = api_as(supervisor).get("/reports/shift-left", {**PERIOD, "category": "akun"})
    assert [row["category"] for row in only_akun.json()["categories"]] == ["akun"]
    none = api_as(supervisor).get("/reports/shift-left", {**PERIOD, "organization": "sample"})
    assert none.json()["article_matches"] == []


@pytest.mark.parametrize("limit", [0, 101, "many"])
def test_a_bad_shift_left_limit_is_422(api_as, supervisor, limit):
    answer = api_as(supervisor).get("/reports/shift-left", {**PERIOD, "limit": limit})
    assert answer.status_code == 422


def test_agent_numbers_per_category_and_filtered_by_one(api_as, built, supervisor):
    client = api_as(supervisor)
    agents = {line["username"]: line for line in client.get("/reports/agents", PERIOD).json()}
    (l2,) = agents["netagent"]["tiers"]
    assert l2["resolved_by_category"] == [{"category": "akun", "resolved": 1}]
    network = client.get("/reports/agents", {**PERIOD, "category": "jaringan"}).json()
    agent1 = next(line for line in network if line["username"] == "agent1")
    l1 = next(tier for tier in agent1["tiers"] if tier["tier"] == 1)
    assert l1["resolved_by_category"] == [{"category": "jaringan", "resolved": 1}]
    unknown = client.get("/reports/agents", {**PERIOD, "category": "nope"})
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "unknown_category"
