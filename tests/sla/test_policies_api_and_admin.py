"""Policies and calendars through the API (admins only) and the admin: bad input refused
with a clear message, nothing saved."""

from __future__ import annotations

import pytest

from tierdesk.accounts.actions import create_person
from tierdesk.accounts.models import Role
from tierdesk.sla.models import Calendar, Policy

HOURS = [{"weekday": day, "start": "08:00", "end": "17:00"} for day in range(5)]


@pytest.fixture
def admin(db):
    return create_person(username="root", password="pw-for-tests", role=Role.ADMIN, language="en")


@pytest.mark.django_db
def test_only_admins_see_policies(api_as, l1_agent, supervisor, admin):
    assert api_as(l1_agent).get("/sla/policies").status_code == 403
    assert api_as(supervisor).get("/sla/calendars").status_code == 403
    policies = api_as(admin).get("/sla/policies").json()
    assert [policy["name"] for policy in policies] == ["Standard"]
    assert policies[0]["targets"][0]["priority"] == "P1"


@pytest.mark.django_db
def test_admin_creates_a_calendar_and_a_policy_for_an_organization(api_as, admin, organization):
    client = api_as(admin)
    created = client.post(
        "/sla/calendars",
        {
            "name": "Amsterdam",
            "time_zone": "Europe/Amsterdam",
            "holiday_country": "NL",
            "hours": [*HOURS, {"weekday": 5, "start": "22:00", "end": "02:00"}],
            "closed_dates": [{"date": "2026-12-31", "name": "Year end"}],
        },
    )
    assert created.status_code == 201, created.json()
    assert created.json()["hours"][-1] == {"weekday": 5, "start": "22:00", "end": "02:00"}
    policy = client.post(
        "/sla/policies",
        {
            "name": "Gold",
            "calendar": "Amsterdam",
            "targets": [
                {
                    "priority": "P1",
                    "first_response_minutes": 15,
                    "resolution_minutes": 120,
                    "escalation_trigger": "breach",
                    "escalation_kind": "functional",
                }
            ],
            "tier_targets": [{"priority": "P1", "tier": 1, "minutes": 10}],
            "organizations": ["contoh"],
        },
    )
    assert policy.status_code == 201, policy.json()
    assert policy.json()["organizations"] == ["contoh"]
    assert organization.sla_policy.policy.name == "Gold"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"hours": []}, "hours", "needs working hours"),
        (
            {"hours": [*HOURS, {"weekday": 0, "start": "16:00", "end": "18:00"}]},
            "hours",
            "overlap",
        ),
        (
            {
                "hours": [
                    {"weekday": 6, "start": "22:00", "end": "06:00"},
                    {"weekday": 0, "start": "05:00", "end": "09:00"},
                ]
            },
            "hours",
            "overlap",
        ),
        ({"time_zone": "Asia/Atlantis", "hours": HOURS}, "time_zone", "not a known time zone"),
        ({"holiday_country": "XX", "hours": HOURS}, "holiday_country", "no public holidays"),
    ],
)
def test_bad_calendars_are_refused(api_as, admin, payload, field, words):
    response = api_as(admin).post("/sla/calendars", {"name": "Bad", **payload})
    assert response.status_code == 422, response.json()
    assert response.json()["field"] == field
    assert words in response.json()["detail"]
    assert not Calendar.objects.filter(name="Bad").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("minutes", [0, -5])
def test_zero_or_negative_targets_are_refused(api_as, admin, minutes):
    response = api_as(admin).post(
        "/sla/policies",
        {
            "name": "Bad",
            "calendar": "24x7",
            "targets": [
                {"priority": "P1", "first_response_minutes": minutes, "resolution_minutes": 60}
            ],
        },
    )
    assert response.status_code == 422
    assert response.json()["field"] == "targets.0.first_response_minutes"
    assert not Policy.objects.filter(name="Bad").exists()


def _calendar_form(**extra) -> dict:
    form = {
        "name": "Admin calendar",
        "time_zone": "Asia/Jakarta",
        "holiday_country": "ID",
        "holiday_subdivision": "",
        "include_joint_leave": "on",
        "intervals-TOTAL_FORMS": "0",
        "intervals-INITIAL_FORMS": "0",
        "closed_dates-TOTAL_FORMS": "0",
        "closed_dates-INITIAL_FORMS": "0",
    }
    form.update(extra)
    return form


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({}, b"needs working hours"),
        ({"time_zone": "Mars/Olympus"}, b"not a known time zone"),
        (
            {
                "intervals-TOTAL_FORMS": "2",
                "intervals-0-weekday": "0",
                "intervals-0-start": "08:00",
                "intervals-0-end": "12:00",
                "intervals-1-weekday": "0",
                "intervals-1-start": "11:00",
                "intervals-1-end": "13:00",
            },
            b"overlap",
        ),
    ],
)
def test_the_admin_refuses_bad_calendars(client, admin, extra, words):
    client.force_login(admin)
    response = client.post(
        "/admin/sla/calendar/add/", _calendar_form(**extra), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert words in response.content
    assert not Calendar.objects.filter(name="Admin calendar").exists()


@pytest.mark.django_db
def test_the_admin_saves_a_good_calendar_and_refuses_a_zero_target(client, admin):
    client.force_login(admin)
    response = client.post(
        "/admin/sla/calendar/add/",
        _calendar_form(
            **{
                "intervals-TOTAL_FORMS": "1",
                "intervals-0-weekday": "0",
                "intervals-0-start": "08:00",
                "intervals-0-end": "17:00",
            }
        ),
    )
    assert response.status_code == 302
    assert Calendar.objects.get(name="Admin calendar").intervals.count() == 1
    calendar = Calendar.objects.get(name="Admin calendar")
    response = client.post(
        "/admin/sla/policy/add/",
        {
            "name": "Zero",
            "calendar": str(calendar.pk),
            "warning_fraction": "0.75",
            "targets-TOTAL_FORMS": "1",
            "targets-INITIAL_FORMS": "0",
            "targets-0-priority": "P1",
            "targets-0-first_response_minutes": "0",
            "targets-0-resolution_minutes": "60",
            "targets-0-escalation_trigger": "none",
            "targets-0-escalation_kind": "hierarchical",
            "tier_targets-TOTAL_FORMS": "0",
            "tier_targets-INITIAL_FORMS": "0",
            "organizations-TOTAL_FORMS": "0",
            "organizations-INITIAL_FORMS": "0",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert b"at least one minute" in response.content
    assert not Policy.objects.filter(name="Zero").exists()
