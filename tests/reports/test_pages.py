"""/desk/reports/ with the new filters and tables, and /desk/reports/monthly/: who sees what,
CSV per table, bad input as a form error (never a 500)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from tests.conftest import _staff
from tests.reports.conftest import wib
from tierdesk.accounts.models import Role
from tierdesk.reports.rollup import refresh_rollups

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-03-01", "end": "2026-03-10"}


@pytest.fixture
def as_user():
    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def admin(tiers):
    return _staff("boss", role=Role.ADMIN)


@pytest.fixture
def built(extended_history):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    return extended_history


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_supervisors_and_admins_see_every_new_table(as_user, built, supervisor, admin):
    for person in (supervisor, admin):
        page = as_user(person).get("/desk/reports/", PERIOD)
        assert page.status_code == 200
        text = page.content.decode()
        for title in (
            "Time to first response and to resolution per priority (minutes)",
            "SLA compliance per tier",
            "SLA compliance per priority",
            "SLA compliance per organization",
            "Escalations per category",
            "Escalations per team",
            "Shift-left: categories most often resolved at L2/L3",
            "Shift-left: resolved above L1, matching a published article",
        ):
            assert title in text, title


def test_the_page_filters_by_category_and_team_and_so_does_its_csv(as_user, built, supervisor):
    client = as_user(supervisor)
    page = client.get("/desk/reports/", {**PERIOD, "category": "jaringan"})
    assert page.status_code == 200
    assert '<option value="jaringan" selected>' in page.content.decode()
    pyramid = client.get("/desk/reports/", {**PERIOD, "category": "jaringan", "csv": "pyramid"})
    assert pyramid["Content-Disposition"] == (
        'attachment; filename="tier-report-pyramid-2026-03-01-2026-03-10-jaringan.csv"'
    )
    assert [row[:3] for row in csv_rows(pyramid)[1:]] == [
        ["L0", pyramid_name(csv_rows(pyramid), 0), "0"],
        ["L1", pyramid_name(csv_rows(pyramid), 1), "1"],
        ["L2", pyramid_name(csv_rows(pyramid), 2), "0"],
        ["L3", pyramid_name(csv_rows(pyramid), 3), "0"],
    ]
    team = client.get("/desk/reports/", {**PERIOD, "team": "l2-network", "csv": "sla_tiers"})
    # T6 only: resolved at L2 within its P2 target; its first response was at L1 (no team).
    assert csv_rows(team)[1:] == [
        ["L1", "0", "0", "", "0", "0", ""],
        ["L2", "0", "0", "", "1", "1", "1.0"],
        ["L3", "0", "0", "", "0", "0", ""],
        ["All", "0", "0", "", "1", "1", "1.0"],
    ]
    organizations = client.get("/desk/reports/", {**PERIOD, "csv": "sla_organizations"})
    assert [row[0] for row in csv_rows(organizations)[1:]] == ["contoh", "sample"]
    categories = client.get("/desk/reports/", {**PERIOD, "csv": "shift_left_categories"})
    assert [row[0] for row in csv_rows(categories)[1:]] == ["", "akun"]


def pyramid_name(rows: list[list[str]], level: int) -> str:
    return rows[level + 1][1]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "nope"}, "There is no category “nope”."),
        ({"team": "nope"}, "There is no team “nope”."),
        ({"organization": "nope"}, "There is no organization “nope”."),
        ({"start": "2026-02-31"}, "start must be a date written as YYYY-MM-DD."),
        ({"team": "x" * 500}, "There is no team"),
    ],
)
def test_bad_filters_are_a_form_error(as_user, supervisor, params, message):
    page = as_user(supervisor).get("/desk/reports/", params)
    assert page.status_code == 422
    assert message in page.content.decode()


def test_agents_see_only_their_own_numbers_whatever_they_ask(as_user, built):
    page = as_user(built.l2_agent).get("/desk/reports/", {**PERIOD, "category": "akun"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "SLA compliance per organization" not in text
    assert "Escalations per category" not in text
    rows = csv_rows(as_user(built.l2_agent).get("/desk/reports/", {**PERIOD, "csv": "agents"}))
    assert {row[0] for row in rows[1:]} == {"agent2"}
    refused = as_user(built.l2_agent).get("/desk/reports/", {**PERIOD, "csv": "sla_tiers"})
    assert refused["Content-Type"].startswith("text/html")  # no such table for an agent


def test_the_monthly_report_of_an_organization(as_user, built, supervisor, admin):
    for person in (supervisor, admin):
        page = as_user(person).get(
            "/desk/reports/monthly/", {"organization": "contoh", "month": "2026-03"}
        )
        assert page.status_code == 200
        text = page.content.decode()
        assert "Service report for PT Contoh Sejahtera" in text
        assert "reports-print.css" in text
    pyramid = as_user(supervisor).get(
        "/desk/reports/monthly/", {"organization": "contoh", "month": "2026-03", "csv": "pyramid"}
    )
    assert pyramid["Content-Disposition"] == (
        'attachment; filename="monthly-report-pyramid-2026-03-01-2026-03-31-contoh.csv"'
    )
    # contoh in March: T1, T3, T4 twice and T5 at L1; T6 at L2.
    assert [row[2] for row in csv_rows(pyramid)[1:]] == ["0", "5", "1", "0"]
    sla = as_user(supervisor).get(
        "/desk/reports/monthly/",
        {"organization": "contoh", "month": "2026-03", "csv": "sla_priorities"},
    )
    assert csv_rows(sla)[1:3] == [
        ["P1", "0", "0", "", "0", "0", ""],
        ["P2", "1", "1", "1.0", "1", "1", "1.0"],
    ]
    empty = as_user(supervisor).get("/desk/reports/monthly/")
    assert empty.status_code == 200


def test_the_monthly_report_in_indonesian(as_user, built, supervisor):
    supervisor.language = "id"
    supervisor.save(update_fields=["language"])
    page = as_user(supervisor).get(
        "/desk/reports/monthly/",
        {"organization": "contoh", "month": "2026-03"},
        headers={"accept-language": "id"},
    )
    assert page.status_code == 200
    assert '<html lang="id"' in page.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"organization": "contoh", "month": "2026-13"}, "The month must be written as YYYY-MM."),
        ({"organization": "contoh", "month": "March"}, "The month must be written as YYYY-MM."),
        ({"organization": "contoh", "month": "0001-01"}, "month must lie between"),
        ({"organization": "nobody", "month": "2026-03"}, "There is no organization “nobody”."),
    ],
)
def test_bad_monthly_input_is_a_form_error(as_user, supervisor, params, message):
    page = as_user(supervisor).get("/desk/reports/monthly/", params)
    assert page.status_code == 422
    assert message in page.content.decode()


def test_the_monthly_report_is_for_supervisors_and_admins_only(as_user, built, l1_agent, customer):
    params = {"organization": "contoh", "month": "2026-03"}
    for person in (l1_agent, customer):
        assert as_user(person).get("/desk/reports/monthly/", params).status_code == 403
        csv_attempt = as_user(person).get("/desk/reports/monthly/", {**params, "csv": "pyramid"})
        assert csv_attempt.status_code == 403
    anonymous = as_user(None).get("/desk/reports/monthly/", params)
    assert anonymous.status_code == 302
    assert "login" in anonymous.url


def test_the_longest_period_allowed_answers(as_user, api_as, built, supervisor):
    wide = {"start": "2000-01-01", "end": "9998-12-31"}
    page = as_user(supervisor).get("/desk/reports/", {**wide, "csv": "trend"})
    assert page.status_code == 200
    weeks = csv_rows(page)[1:]
    assert len(weeks) == 156  # the last three years of the period
    assert weeks[-1][0] == "9998-12-28"
    answer = api_as(supervisor).get("/reports/tiers", wide)
    assert answer.status_code == 200
    assert answer.json()["pyramid"] == {"0": 0, "1": 6, "2": 2, "3": 0}
