"""The SLA sweep: each warning and breach recorded once, even with workers racing, and the
policy's escalation rule applied."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.tickets.test_concurrency import run_together
from tierdesk.accounts.actions import add_membership
from tierdesk.sla.models import Policy, PolicyTarget
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.actions.status import set_status
from tierdesk.tickets.models import Event, Ticket
from tierdesk.tickets.sweeps import sweep

JAKARTA = ZoneInfo("Asia/Jakarta")


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=JAKARTA)


def open_at(customer, moment: datetime, **fields) -> Ticket:
    with time_machine.travel(moment, tick=False):
        return open_ticket(actor=customer, subject="s", description="d", **fields).ticket


def kinds(ticket: Ticket) -> list[tuple[str, str]]:
    return [
        (event.kind, event.data.get("clock"))
        for event in ticket.events.filter(kind__startswith="sla.").order_by("id")
    ]


@pytest.mark.django_db
def test_warning_then_breach_each_recorded_once(customer, l1_agent, supervisor):
    ticket = open_at(customer, wib(2026, 3, 2, 9, 0))  # P3: tier due 11:00, warn 10:30
    with time_machine.travel(wib(2026, 3, 2, 9, 10), tick=False):
        assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="me")
    assert sweep(now=wib(2026, 3, 2, 10, 0))["tier.warning"] == 0
    counts = sweep(now=wib(2026, 3, 2, 10, 31))
    assert counts["tier.warning"] == 1
    assert sweep(now=wib(2026, 3, 2, 10, 45))["tier.warning"] == 0
    counts = sweep(now=wib(2026, 3, 2, 12, 5))  # first response warning (12:00) too
    assert (counts["tier.breach"], counts["first_response.warning"]) == (1, 1)
    assert kinds(ticket) == [
        ("sla.warning", "tier"),
        ("sla.warning", "first_response"),
        ("sla.breached", "tier"),
    ]
    breach = ticket.events.get(kind="sla.breached")
    assert breach.is_internal
    assert breach.data["notify"] == ["agent1", "lead"]  # the holder and a supervisor
    ticket.refresh_from_db()
    assert ticket.tier_breached_at == wib(2026, 3, 2, 12, 5)
    assert breach.data["at"] == ticket.tier_due.isoformat() == "2026-03-02T04:00:00+00:00"
    assert (breach.data["policy"], breach.data["priority"]) == (ticket.sla_policy_id, "P3")
    assert breach.created_at == wib(2026, 3, 2, 12, 5)


@pytest.mark.django_db
def test_paused_answered_and_resolved_tickets_are_left_alone(customer, l1_agent):
    waiting = open_at(customer, wib(2026, 3, 2, 9, 0))
    answered = open_at(customer, wib(2026, 3, 2, 9, 0))
    with time_machine.travel(wib(2026, 3, 2, 9, 5), tick=False):
        assign_ticket(actor=l1_agent, ticket_id=waiting.pk, assignee="me")
        set_status(actor=l1_agent, ticket_id=waiting.pk, status="pending")
        add_message(actor=l1_agent, ticket_id=answered.pk, body="On it")
    before = Event.objects.count()
    counts = sweep(now=wib(2026, 3, 2, 16, 0))
    assert counts["first_response.breach"] == 0
    assert counts["resolution.warning"] == 0
    # Only the answered ticket's tier clock (running) can fire.
    assert Event.objects.count() - before == counts["tier.warning"] + counts["tier.breach"]
    assert not waiting.events.filter(kind__startswith="sla.w").exists()


@pytest.mark.django_db
def test_hierarchical_rule_assigns_the_tiers_supervisor(customer, l1_agent, supervisor, tiers):
    add_membership(user=supervisor, tier=tiers[1])
    PolicyTarget.objects.filter(policy__name="Standard", priority="P2").update(
        escalation_trigger="breach", escalation_kind="hierarchical"
    )
    ticket = open_at(customer, wib(2026, 3, 2, 9, 0), priority="P2")  # first response 60 min
    with time_machine.travel(wib(2026, 3, 2, 9, 1), tick=False):
        assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="me")
    with time_machine.travel(wib(2026, 3, 2, 10, 1), tick=False):
        counts = sweep()
    assert counts["escalation.assigned"] == 1
    ticket.refresh_from_db()
    assert ticket.assignee == supervisor
    assigned = ticket.events.filter(kind="ticket.assigned").last()
    assert assigned.data["automatic"]
    assert assigned.actor is None
    assert assigned.data["from"] == "agent1"


@pytest.mark.django_db
def test_functional_rule_moves_up_with_a_handoff_from_the_timeline(customer, l1_agent, tiers):
    PolicyTarget.objects.filter(policy__name="Standard", priority="P3").update(
        escalation_trigger="breach", escalation_kind="functional"
    )
    ticket = open_at(customer, wib(2026, 3, 2, 9, 0))
    with time_machine.travel(wib(2026, 3, 2, 9, 5), tick=False):
        assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="me")
        add_message(
            actor=l1_agent,
            ticket_id=ticket.pk,
            body="Reset the VPN profile\nno luck",
            is_internal=True,
        )
    with time_machine.travel(wib(2026, 3, 2, 11, 1), tick=False):  # L1 target 120 min
        counts = sweep()
    assert counts["escalation.escalated"] == 1
    ticket.refresh_from_db()
    assert (ticket.tier.level, ticket.assignee, ticket.escalation_count) == (2, None, 1)
    handoff = ticket.events.get(kind="ticket.escalated")
    assert handoff.data["automatic"] is True
    assert handoff.data["missed"] == {
        "clock": "tier",
        "stage": "breach",
        "due": wib(2026, 3, 2, 11, 0).astimezone(ZoneInfo("UTC")).isoformat(),
    }
    assert handoff.data["tried"] == ["Reset the VPN profile"]


@pytest.mark.django_db
def test_functional_rule_at_the_top_tier_is_recorded_as_not_possible(customer, tiers):
    policy = Policy.objects.get(name="Standard")
    PolicyTarget.objects.filter(policy=policy, priority="P3").update(
        escalation_trigger="warning", escalation_kind="functional"
    )
    ticket = open_at(customer, wib(2026, 3, 2, 9, 0))
    Ticket.objects.filter(pk=ticket.pk).update(tier=tiers[3])
    sweep(now=wib(2026, 3, 2, 12, 1))
    skipped = ticket.events.get(kind="sla.escalation_skipped")
    assert skipped.data["why"] == "no_higher_tier"


@pytest.fixture
def migration_defaults(transactional_db):
    """Transactional tests flush the database between them: bring back the default tiers and
    the default policy the migrations create (both steps are idempotent)."""
    import importlib

    from django.apps import apps

    importlib.import_module("tierdesk.accounts.migrations.0002_default_tiers").create_default_tiers(
        apps, None
    )
    importlib.import_module("tierdesk.sla.migrations.0002_default_policy").create_defaults(
        apps, None
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_record_each_event_exactly_once(migration_defaults, customer):
    assert Policy.objects.filter(is_default=True).exists()
    tickets = [open_at(customer, wib(2026, 3, 2, 9, 0)) for _ in range(12)]
    moment = wib(2026, 3, 9, 9, 0)  # every clock of every ticket has run out
    results = run_together(lambda _: sweep(now=moment, batch_size=5))
    assert all(isinstance(result, dict) for result in results), results
    totals: dict[str, int] = {}
    for result in results:
        for key, value in result.items():
            totals[key] = totals.get(key, 0) + value
    for key in ("first_response", "resolution", "tier"):
        assert totals[f"{key}.warning"] == len(tickets), (totals, results)
        assert totals[f"{key}.warning"] == len(tickets)
        assert totals[f"{key}.breach"] == len(tickets), (totals, results)
    assert Event.objects.filter(kind="sla.warning").count() == 3 * len(tickets)
    assert Event.objects.filter(kind="sla.breached").count() == 3 * len(tickets)
