"""Editing a policy or a calendar (API or admin) recomputes the due times of the open tickets
it applies to, in the background worker: time spent and paused kept, one timeline event per
ticket, safe with two workers."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.tickets.test_concurrency import run_together
from tests.tickets.test_sla_sweep import migration_defaults  # noqa: F401 (fixture)
from tierdesk.accounts.actions import create_person
from tierdesk.accounts.models import Role
from tierdesk.sla.models import Policy, Recalculation
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.actions.status import resolve_ticket
from tierdesk.tickets.models import Event, Ticket
from tierdesk.tickets.sweeps import recalculate_due_times, sweep

JAKARTA = ZoneInfo("Asia/Jakarta")
HOURS = [{"weekday": day, "start": "08:00", "end": "17:00"} for day in range(5)]


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=JAKARTA)


def put(api, path: str, body: dict):
    return api.client.put(
        "/api/v1" + path,
        data=json.dumps(body),
        content_type="application/json",
        headers=api.headers,
    )


def reload(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


@pytest.fixture
def admin(db):
    return create_person(username="root", password="pw-for-tests", role=Role.ADMIN, language="en")


def standard_payload(p3_resolution: int = 1620, **changes) -> dict:
    policy = Policy.objects.get(name="Standard")
    return {
        "name": "Standard",
        "calendar": policy.calendar.name,
        "is_default": True,
        "warning_fraction": 0.75,
        "targets": [
            {
                "priority": target.priority,
                "first_response_minutes": target.first_response_minutes,
                "resolution_minutes": (
                    p3_resolution if target.priority == "P3" else target.resolution_minutes
                ),
            }
            for target in policy.targets.all()
        ],
        "tier_targets": [
            {"priority": tier.priority, "tier": tier.tier.level, "minutes": tier.minutes}
            for tier in policy.tier_targets.select_related("tier")
        ],
        **changes,
    }


def open_at(customer, moment: datetime) -> Ticket:
    with time_machine.travel(moment, tick=False):
        return open_ticket(actor=customer, subject="VPN", description="down").ticket


@pytest.mark.django_db
def test_a_policy_edit_through_the_api_recomputes_open_tickets_once(
    api_as, admin, customer, l1_agent
):
    ticket = open_at(customer, wib(2026, 3, 2, 9, 0))  # P3: resolution due Thu 5 March 09:00
    done = open_at(customer, wib(2026, 3, 2, 9, 0))
    assign_ticket(actor=l1_agent, ticket_id=done.pk, assignee="me")
    resolve_ticket(actor=l1_agent, ticket_id=done.pk, resolution="fixed")
    done_before = Event.objects.filter(ticket=done).count()
    policy = Policy.objects.get(name="Standard")
    with time_machine.travel(wib(2026, 3, 2, 11, 0), tick=False):
        response = put(api_as(admin), f"/sla/policies/{policy.pk}", standard_payload(540))
    assert response.status_code == 200, response.json()
    # Nothing changes on the ticket until the worker runs.
    assert reload(ticket).resolution_due == wib(2026, 3, 5, 9, 0)
    counts = sweep(now=wib(2026, 3, 2, 11, 0))
    assert counts["recalculated"] == 1
    ticket = reload(ticket)
    assert ticket.business_seconds == 2 * 3600  # kept
    # 540 - 120 minutes left from Monday 11:00: six hours on Monday, one on Tuesday.
    assert ticket.resolution_due == wib(2026, 3, 3, 9, 0)
    event = ticket.events.get(kind="sla.recalculated")
    assert event.is_internal
    assert event.actor is None
    assert event.data["because"] == "policy"
    assert event.data["resolution_due"] == ticket.resolution_due.isoformat()
    assert Event.objects.filter(ticket=done).count() == done_before  # resolved: left alone
    assert sweep(now=wib(2026, 3, 2, 11, 5))["recalculated"] == 0
    assert ticket.events.filter(kind="sla.recalculated").count() == 1
    assert not Recalculation.objects.filter(finished_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_calendar_edit_recomputes_the_tickets_of_its_policies(api_as, admin, customer):
    ticket = open_at(customer, wib(2026, 3, 2, 9, 0))
    calendar = Policy.objects.get(name="Standard").calendar
    # Office hours become 08:00-12:00: 1620 minutes are now 6.75 working days.
    hours = [{"weekday": day, "start": "08:00", "end": "12:00"} for day in range(5)]
    with time_machine.travel(wib(2026, 3, 2, 10, 0), tick=False):
        response = put(
            api_as(admin),
            f"/sla/calendars/{calendar.pk}",
            {"name": calendar.name, "time_zone": "Asia/Jakarta", "hours": hours},
        )
    assert response.status_code == 200, response.json()
    assert recalculate_due_times(now=wib(2026, 3, 2, 10, 0)) == 1
    ticket = reload(ticket)
    # 1620 - 60 = 1560 minutes: Monday 120, then 240 a day: Tue-Fri 960, Mon-Tue 480 = 1560.
    assert ticket.resolution_due == wib(2026, 3, 10, 12, 0)
    assert ticket.events.filter(kind="sla.recalculated").count() == 1


@pytest.mark.django_db
def test_moving_an_organization_to_a_policy_recomputes_its_tickets(
    api_as, admin, customer, organization
):
    ticket = open_at(customer, wib(2026, 3, 2, 9, 0))
    with time_machine.travel(wib(2026, 3, 2, 10, 0), tick=False):
        response = api_as(admin).post(
            "/sla/policies",
            {
                "name": "Gold",
                "calendar": "24x7",
                "targets": [
                    {"priority": "P3", "first_response_minutes": 30, "resolution_minutes": 240}
                ],
                "organizations": ["contoh"],
            },
        )
    assert response.status_code == 201, response.json()
    recalculate_due_times(now=wib(2026, 3, 2, 10, 0))
    ticket = reload(ticket)
    assert (ticket.sla_policy.name, ticket.sla_policy_reason) == ("Gold", "organization")
    assert ticket.resolution_due == wib(2026, 3, 2, 13, 0)  # 240 - 60 minutes, 24x7


@pytest.mark.django_db
def test_an_admin_edit_recomputes_too(client, admin, customer):
    ticket = open_at(customer, wib(2026, 3, 2, 9, 0))
    policy = Policy.objects.get(name="Standard")
    client.force_login(admin)
    page = client.get(f"/admin/sla/policy/{policy.pk}/change/")
    form = {
        "name": "Standard",
        "calendar": str(policy.calendar_id),
        "is_default": "on",
        "warning_fraction": "0.5",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
        "tier_targets-TOTAL_FORMS": "0",
        "tier_targets-INITIAL_FORMS": "0",
        "organizations-TOTAL_FORMS": "0",
        "organizations-INITIAL_FORMS": "0",
    }
    targets = list(policy.targets.all())
    form["targets-TOTAL_FORMS"] = form["targets-INITIAL_FORMS"] = str(len(targets))
    for index, target in enumerate(targets):
        form.update(
            {
                f"targets-{index}-id": str(target.pk),
                f"targets-{index}-policy": str(policy.pk),
                f"targets-{index}-priority": target.priority,
                f"targets-{index}-first_response_minutes": str(target.first_response_minutes),
                f"targets-{index}-resolution_minutes": str(target.resolution_minutes),
                f"targets-{index}-escalation_trigger": target.escalation_trigger,
                f"targets-{index}-escalation_kind": target.escalation_kind,
            }
        )
    tier_targets = list(policy.tier_targets.all())
    form["tier_targets-TOTAL_FORMS"] = form["tier_targets-INITIAL_FORMS"] = str(len(tier_targets))
    for index, tier_target in enumerate(tier_targets):
        form.update(
            {
                f"tier_targets-{index}-id": str(tier_target.pk),
                f"tier_targets-{index}-policy": str(policy.pk),
                f"tier_targets-{index}-priority": tier_target.priority,
                f"tier_targets-{index}-tier": str(tier_target.tier_id),
                f"tier_targets-{index}-minutes": str(tier_target.minutes),
            }
        )
    assert page.status_code == 200
    with time_machine.travel(wib(2026, 3, 2, 9, 30), tick=False):
        response = client.post(f"/admin/sla/policy/{policy.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    recalculate_due_times(now=wib(2026, 3, 2, 9, 30))
    ticket = reload(ticket)
    # The warning now comes at half of the 1620 minutes (810): Monday 480, Tuesday 330.
    assert ticket.resolution_warn_at == wib(2026, 3, 3, 13, 30)
    assert ticket.resolution_due == wib(2026, 3, 5, 9, 0)  # unchanged
    assert ticket.events.filter(kind="sla.recalculated").count() == 1


@pytest.mark.django_db
def test_a_refused_edit_asks_for_nothing(api_as, admin, customer):
    open_at(customer, wib(2026, 3, 2, 9, 0))
    policy = Policy.objects.get(name="Standard")
    response = put(api_as(admin), f"/sla/policies/{policy.pk}", standard_payload(0))
    assert response.status_code == 422
    assert not Recalculation.objects.exists()
    assert policy.targets.get(priority="P3").resolution_minutes == 1620


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migration_defaults")
def test_two_workers_recalculate_each_ticket_once(customer, admin):
    from tierdesk.sla.actions import save_policy

    tickets = [open_at(customer, wib(2026, 3, 2, 9, 0)) for _ in range(12)]
    with time_machine.travel(wib(2026, 3, 2, 11, 0), tick=False):
        save_policy(
            actor=admin, policy_id=Policy.objects.get(name="Standard").pk, **standard_payload(540)
        )
    results = run_together(
        lambda _: recalculate_due_times(now=wib(2026, 3, 2, 11, 0), batch_size=5)
    )
    assert all(isinstance(result, int) for result in results), results
    assert sum(results) == len(tickets)
    assert Event.objects.filter(kind="sla.recalculated").count() == len(tickets)
    assert {reload(ticket).resolution_due for ticket in tickets} == {wib(2026, 3, 3, 9, 0)}


@pytest.mark.django_db
def test_a_large_recalculation_continues_over_several_runs(api_as, admin, customer):
    tickets = [open_at(customer, wib(2026, 3, 2, 9, 0)) for _ in range(3)]
    policy = Policy.objects.get(name="Standard")
    with time_machine.travel(wib(2026, 3, 2, 11, 0), tick=False):
        put(api_as(admin), f"/sla/policies/{policy.pk}", standard_payload(540))
    moment = wib(2026, 3, 2, 11, 0)
    # A budget already used up after the first batch: one ticket per run.
    assert recalculate_due_times(now=moment, batch_size=1, budget_seconds=0) == 1
    request = Recalculation.objects.get()
    assert request.finished_at is None
    assert request.next_ticket_id == tickets[0].pk
    assert recalculate_due_times(now=moment, batch_size=1, budget_seconds=0) == 1
    assert recalculate_due_times(now=moment, batch_size=1) == 1
    assert Recalculation.objects.get().finished_at is not None
    assert Event.objects.filter(kind="sla.recalculated").count() == 3
