"""The report and CSAT endpoints: who may call them, bad input, and the response shape."""

from __future__ import annotations

import pytest

from tests.conftest import _staff
from tests.reports.conftest import wib
from tierdesk.accounts.models import Role
from tierdesk.reports.rollup import refresh_rollups
from tierdesk.tickets.actions.status import resolve_ticket
from tierdesk.tickets.models import Event, EventKind, SatisfactionRating

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-03-01", "end": "2026-03-10"}


@pytest.fixture
def admin(tiers):
    return _staff("boss", role=Role.ADMIN)


def test_supervisors_and_admins_get_the_tier_report(api_as, history, supervisor, admin):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    for person in (supervisor, admin):
        answer = api_as(person).get("/reports/tiers", PERIOD)
        assert answer.status_code == 200, answer.json()
        body = answer.json()
        assert set(body) >= {
            "pyramid",
            "l1_share",
            "l1_target",
            "fcr_rate",
            "escalation_rate",
            "time_in_tier",
            "reopen_rate",
            "csat",
        }
        assert body["pyramid"] == {"0": 0, "1": 5, "2": 1, "3": 0}
        assert body["l1_target"] == [0.7, 0.8]
        assert body["escalation_rate"] == {"1": round(2 / 7, 4), "2": 0.5}
        assert body["time_in_tier"]["1"] == {"median_minutes": 45, "p90_minutes": 60}
        assert body["csat"]["by_tier"]["2"] == {"average": 3.0, "count": 1}


def test_the_organization_filter(api_as, history, supervisor):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    body = api_as(supervisor).get("/reports/tiers", {**PERIOD, "organization": "sample"}).json()
    assert body["pyramid"] == {"0": 0, "1": 0, "2": 1, "3": 0}


def test_everyone_else_is_refused(api_as, customer, l1_agent, solo_agent):
    for person in (customer, l1_agent, solo_agent):
        answer = api_as(person).get("/reports/tiers", PERIOD)
        assert answer.status_code == 403
        assert answer.json()["code"] == "reports_supervisors_only"
    assert api_as(None).get("/reports/tiers", PERIOD).status_code == 401


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"start": "yesterday"}, "invalid_date", "start"),
        ({"start": "2026-02-30"}, "invalid_date", "start"),
        ({"end": "2026-13-01"}, "invalid_date", "end"),
        ({"start": "20260301"}, "invalid_date", "start"),
        ({"start": "2026-03-10", "end": "2026-03-01"}, "end_before_start", "end"),
        ({"start": "0001-01-01", "end": "0001-01-02"}, "date_out_of_range", "start"),
        ({"end": "9999-12-31"}, "date_out_of_range", "end"),
        ({"organization": "nobody"}, "unknown_organization", "organization"),
    ],
)
def test_bad_filters_are_422_never_500(api_as, supervisor, params, code, field):
    answer = api_as(supervisor).get("/reports/tiers", params)
    assert answer.status_code == 422, answer.content
    assert answer.json()["code"] == code
    assert answer.json()["field"] == field


def test_a_too_long_filter_is_422(api_as, supervisor):
    answer = api_as(supervisor).get("/reports/tiers", {"start": "2026-03-01" * 3})
    assert answer.status_code == 422


def test_without_dates_the_last_30_days(api_as, supervisor):
    answer = api_as(supervisor).get("/reports/tiers")
    assert answer.status_code == 200
    assert answer.json()["pyramid"] == {"0": 0, "1": 0, "2": 0, "3": 0}


def test_agent_numbers(api_as, history, supervisor, customer):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    everyone = api_as(supervisor).get("/reports/agents", PERIOD)
    assert everyone.status_code == 200
    assert [line["username"] for line in everyone.json()] == ["agent1", "agent2", "agent3"]
    agent1 = everyone.json()[0]
    assert (agent1["resolved"], agent1["escalated"], agent1["csat_count"]) == (5, 2, 3)
    own = api_as(history.l2_agent).get("/reports/agents", PERIOD)
    assert own.status_code == 200
    assert [line["username"] for line in own.json()] == ["agent2"]
    assert own.json()[0]["tiers"][0]["tier"] == 2
    refused = api_as(customer).get("/reports/agents", PERIOD)
    assert refused.status_code == 403
    assert api_as(None).get("/reports/agents", PERIOD).status_code == 401
    bad = api_as(history.l1_agent).get("/reports/agents", {"start": "soon"})
    assert bad.status_code == 422


# -- POST /tickets/{id}/csat ----------------------------------------------------------------


@pytest.fixture
def resolved(held_ticket, l1_agent):
    resolve_ticket(actor=l1_agent, ticket_id=held_ticket.pk, resolution="Reset the password")
    return held_ticket


def ratings() -> tuple[int, int]:
    return SatisfactionRating.objects.count(), Event.objects.filter(kind=EventKind.RATED).count()


def test_the_customer_rates_through_the_api(api_as, resolved, customer):
    answer = api_as(customer).post(
        f"/tickets/{resolved.pk}/csat", {"score": 5, "comment": "Thanks"}
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["ticket"], body["score"], body["comment"], body["tier"]) == (
        resolved.pk,
        5,
        "Thanks",
        1,
    )
    assert body["rated_by"] == "customer"
    timeline = api_as(customer).get(f"/tickets/{resolved.pk}/timeline").json()
    assert timeline[-1]["type"] == "ticket.rated"
    again = api_as(customer).post(f"/tickets/{resolved.pk}/csat", {"score": 4})
    assert again.status_code == 409
    assert again.json()["code"] == "already_rated"
    assert ratings() == (1, 1)


@pytest.mark.parametrize("score", [0, 6, "5", 4.5, None, True])
def test_a_bad_score_is_422(api_as, resolved, customer, score):
    answer = api_as(customer).post(f"/tickets/{resolved.pk}/csat", {"score": score})
    assert answer.status_code == 422
    assert ratings() == (0, 0)


def test_a_missing_score_or_unknown_field_is_422(api_as, resolved, customer):
    client = api_as(customer)
    assert client.post(f"/tickets/{resolved.pk}/csat", {"comment": "x"}).status_code == 422
    assert client.post(f"/tickets/{resolved.pk}/csat", {"score": 3, "x": 1}).status_code == 422
    assert ratings() == (0, 0)


def test_agents_cannot_rate_and_strangers_get_404(
    api_as, resolved, l1_agent, supervisor, other_org_customer
):
    for agent in (l1_agent, supervisor):
        answer = api_as(agent).post(f"/tickets/{resolved.pk}/csat", {"score": 5})
        assert answer.status_code == 403
        assert answer.json()["code"] == "customers_only"
    stranger = api_as(other_org_customer).post(f"/tickets/{resolved.pk}/csat", {"score": 5})
    assert stranger.status_code == 404
    assert api_as(None).post(f"/tickets/{resolved.pk}/csat", {"score": 5}).status_code == 401
    assert api_as(other_org_customer).post(
        "/tickets/99999999999999999999/csat", {"score": 5}
    ).status_code in (404, 422)
    assert ratings() == (0, 0)


def test_an_open_ticket_is_409(api_as, held_ticket, customer):
    answer = api_as(customer).post(f"/tickets/{held_ticket.pk}/csat", {"score": 5})
    assert answer.status_code == 409
    assert answer.json()["code"] == "ticket_not_resolved"
    assert ratings() == (0, 0)
