"""Bad SLA settings are refused when saved, in the API and the admin, with a message that
says what to fix, and nothing changes: a calendar without working hours, overlapping hours,
a target of zero or fewer minutes, an unknown time zone. The database refuses a zero target
too, so no sweep ever meets one."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, transaction

from tierdesk.accounts.actions import create_person
from tierdesk.accounts.models import Role
from tierdesk.sla.models import Calendar, Policy, PolicyTarget, Recalculation, Revision

HOURS = [{"weekday": day, "start": "08:00", "end": "17:00"} for day in range(5)]


@pytest.fixture
def admin(db):
    return create_person(username="root", password="pw-for-tests", role=Role.ADMIN, language="en")


def put(api, path: str, body: dict):
    return api.client.put(
        "/api/v1" + path,
        data=json.dumps(body),
        content_type="application/json",
        headers=api.headers,
    )


def state() -> tuple:
    office = Calendar.objects.get(name="Office hours (Jakarta)")
    return (
        office.time_zone,
        sorted(office.intervals.values_list("weekday", "start", "end")),
        sorted(PolicyTarget.objects.values_list("priority", "resolution_minutes")),
        Revision.objects.get().token,
        Recalculation.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"hours": []}, "hours", "needs working hours"),
        (
            {"hours": [*HOURS, {"weekday": 2, "start": "12:00", "end": "13:00"}]},
            "hours",
            "overlap",
        ),
        ({"time_zone": "Europe/Atlantis"}, "time_zone", "not a known time zone"),
    ],
)
def test_a_bad_edit_of_a_calendar_in_use_changes_nothing(api_as, admin, change, field, words):
    office = Calendar.objects.get(name="Office hours (Jakarta)")
    before = state()
    response = put(
        api_as(admin),
        f"/sla/calendars/{office.pk}",
        {"name": office.name, "time_zone": "Asia/Jakarta", "hours": HOURS, **change},
    )
    assert response.status_code == 422, response.json()
    assert response.json()["field"] == field
    assert words in response.json()["detail"]
    assert state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "tier_minutes", "field"),
    [
        ({"first_response_minutes": 30, "resolution_minutes": -1}, 10, "resolution_minutes"),
        ({"first_response_minutes": 30, "resolution_minutes": 60}, 0, "tier_targets.0.minutes"),
        ({"first_response_minutes": 0, "resolution_minutes": 60}, 10, "first_response_minutes"),
    ],
)
def test_a_bad_edit_of_a_policy_in_use_changes_nothing(api_as, admin, target, tier_minutes, field):
    standard = Policy.objects.get(name="Standard")
    before = state()
    response = put(
        api_as(admin),
        f"/sla/policies/{standard.pk}",
        {
            "name": "Standard",
            "calendar": standard.calendar.name,
            "is_default": True,
            "targets": [{"priority": "P1", **target}],
            "tier_targets": [{"priority": "P1", "tier": 1, "minutes": tier_minutes}],
        },
    )
    assert response.status_code == 422, response.json()
    assert field in json.dumps(response.json())
    assert state() == before


@pytest.mark.django_db
def test_the_database_refuses_a_zero_target():
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyTarget.objects.filter(priority="P1").update(resolution_minutes=0)


def _policy_form(calendar: Calendar, **targets: str) -> dict:
    return {
        "name": "Admin policy",
        "calendar": str(calendar.pk),
        "warning_fraction": "0.75",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-0-priority": "P1",
        "targets-0-first_response_minutes": "30",
        "targets-0-resolution_minutes": "60",
        "targets-0-escalation_trigger": "none",
        "targets-0-escalation_kind": "hierarchical",
        "tier_targets-TOTAL_FORMS": "1",
        "tier_targets-INITIAL_FORMS": "0",
        "tier_targets-0-priority": "P1",
        "tier_targets-0-tier": "",
        "tier_targets-0-minutes": "10",
        "organizations-TOTAL_FORMS": "0",
        "organizations-INITIAL_FORMS": "0",
        **targets,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"targets-0-resolution_minutes": "-5"}, b"greater than or equal to 0"),
        ({"tier_targets-0-minutes": "0"}, b"at least one minute"),
        ({"warning_fraction": "1.5"}, b"less than or equal to 0.99"),
    ],
)
def test_the_admin_refuses_bad_policy_targets(client, admin, tiers, extra, words):
    client.force_login(admin)
    form = _policy_form(Calendar.objects.get(name="24x7"), **extra)
    form["tier_targets-0-tier"] = str(tiers[1].pk)
    before = state()
    response = client.post("/admin/sla/policy/add/", form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert words in response.content
    assert not Policy.objects.filter(name="Admin policy").exists()
    assert state() == before
