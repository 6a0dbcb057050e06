"""SLA clocks kept by the ticket actions, on the default policy (office hours in Jakarta,
Indonesian holidays): due times, pauses, priority changes, first response."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tierdesk.accounts.actions import create_organization
from tierdesk.sla.models import Calendar, OrganizationPolicy, Policy, PolicyTarget
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.escalation import escalate_ticket
from tierdesk.tickets.actions.fields import change_priority
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.actions.status import resolve_ticket, set_status
from tierdesk.tickets.models import Ticket

JAKARTA = ZoneInfo("Asia/Jakarta")


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=JAKARTA)


def reload(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


@pytest.fixture
def opened_monday(customer, tiers):
    """A P3 ticket opened Monday 2 March 2026, 09:00 in Jakarta."""
    with time_machine.travel(wib(2026, 3, 2, 9, 0), tick=False):
        return open_ticket(actor=customer, subject="VPN", description="down").ticket


@pytest.mark.django_db
def test_a_new_ticket_gets_the_default_policy_and_business_time_due_dates(opened_monday):
    ticket = reload(opened_monday)
    assert ticket.sla_policy.name == "Standard"
    assert ticket.sla_policy_reason == "default"
    assert ticket.first_response_due == wib(2026, 3, 2, 13, 0)  # 240 minutes
    assert ticket.first_response_warn_at == wib(2026, 3, 2, 12, 0)  # 75 %
    assert ticket.tier_due == wib(2026, 3, 2, 11, 0)  # L1 holds a P3 for 120 minutes
    # 1620 minutes: Monday 8 h, Tuesday 9 h, Wednesday 9 h, one hour on Thursday.
    assert ticket.resolution_due == wib(2026, 3, 5, 9, 0)
    opened = ticket.events.get()
    assert opened.data["sla"]["resolution_due"] == ticket.resolution_due.isoformat()


@pytest.mark.django_db
def test_the_organizations_contract_policy_wins(customer, organization, tiers):
    always = Calendar.objects.get(name="24x7")
    gold = Policy.objects.create(name="Gold", calendar=always)
    PolicyTarget.objects.create(
        policy=gold, priority="P3", first_response_minutes=15, resolution_minutes=120
    )
    OrganizationPolicy.objects.create(organization=organization, policy=gold)
    with time_machine.travel(wib(2026, 3, 7, 22, 0), tick=False):  # Saturday night
        ticket = open_ticket(actor=customer, subject="s", description="d").ticket
    ticket = reload(ticket)
    assert (ticket.sla_policy, ticket.sla_policy_reason) == (gold, "organization")
    assert ticket.first_response_due == wib(2026, 3, 7, 22, 15)
    assert ticket.resolution_due == wib(2026, 3, 8, 0, 0)
    assert ticket.tier_due is None  # Gold sets no tier targets
    other = create_organization(name="Other", slug="other")
    assert not OrganizationPolicy.objects.filter(organization=other).exists()


@pytest.mark.django_db
def test_waiting_on_the_customer_pauses_the_resolution_clock(opened_monday, l1_agent, customer):
    with time_machine.travel(wib(2026, 3, 2, 10, 0), tick=False):
        assign_ticket(actor=l1_agent, ticket_id=opened_monday.pk, assignee="me")
        set_status(actor=l1_agent, ticket_id=opened_monday.pk, status="pending")
    paused = reload(opened_monday)
    assert paused.paused_since == wib(2026, 3, 2, 10, 0)
    assert (paused.resolution_due, paused.tier_due) == (None, None)
    assert paused.business_seconds == 3600
    assert paused.first_response_due == wib(2026, 3, 2, 13, 0)  # first response never pauses
    with time_machine.travel(wib(2026, 3, 3, 10, 0), tick=False):
        add_message(actor=customer, ticket_id=opened_monday.pk, body="here are the logs")
    resumed = reload(opened_monday)
    assert resumed.status == "open"
    assert resumed.paused_since is None
    assert resumed.paused_seconds == 24 * 3600
    # 1560 minutes left from Tuesday 10:00: 420 + 540 + 540 + 60.
    assert resumed.resolution_due == wib(2026, 3, 6, 9, 0)
    kinds = list(resumed.events.values_list("kind", flat=True))
    assert kinds.count("sla.paused") == 1
    assert kinds.count("sla.resumed") == 1


@pytest.mark.django_db
def test_on_hold_across_lebaran_does_not_eat_the_target(customer, l1_agent, tiers):
    with time_machine.travel(wib(2026, 3, 17, 8, 0), tick=False):  # Tuesday before Nyepi
        ticket = open_ticket(actor=customer, subject="s", description="d").ticket
    with time_machine.travel(wib(2026, 3, 17, 12, 0), tick=False):
        assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="me")
        set_status(actor=l1_agent, ticket_id=ticket.pk, status="on_hold")
    with time_machine.travel(wib(2026, 3, 25, 10, 0), tick=False):
        set_status(actor=l1_agent, ticket_id=ticket.pk, status="open")
    ticket = reload(ticket)
    assert ticket.business_seconds == 4 * 3600
    # 1380 minutes left from Wednesday 25 March 10:00: 420 + 540 + 420 (Friday, 15:00).
    assert ticket.resolution_due == wib(2026, 3, 27, 15, 0)


@pytest.mark.django_db
def test_a_priority_change_keeps_the_time_spent_and_changes_the_targets(opened_monday, l1_agent):
    with time_machine.travel(wib(2026, 3, 2, 11, 0), tick=False):
        change_priority(actor=l1_agent, ticket_id=opened_monday.pk, priority="P1")
    ticket = reload(opened_monday)
    assert ticket.business_seconds == 2 * 3600
    assert ticket.resolution_due == wib(2026, 3, 2, 13, 0)  # 240 - 120 minutes from 11:00
    assert ticket.first_response_due == wib(2026, 3, 2, 9, 30)  # already passed
    event = ticket.events.get(kind="sla.recalculated")
    assert event.data["because"] == "priority"
    assert event.data["resolution_due"] == ticket.resolution_due.isoformat()


@pytest.mark.django_db
def test_first_response_is_the_first_public_agent_reply_not_a_note(opened_monday, l1_agent):
    with time_machine.travel(wib(2026, 3, 2, 12, 0), tick=False):
        add_message(actor=l1_agent, ticket_id=opened_monday.pk, body="note", is_internal=True)
    assert reload(opened_monday).first_responded_at is None
    with time_machine.travel(wib(2026, 3, 2, 14, 0), tick=False):
        add_message(actor=l1_agent, ticket_id=opened_monday.pk, body="Hello, checking now")
    ticket = reload(opened_monday)
    assert ticket.first_responded_at == wib(2026, 3, 2, 14, 0)
    assert ticket.first_response_breached_at == wib(2026, 3, 2, 14, 0)  # due 13:00


@pytest.mark.django_db
def test_escalation_starts_the_next_tiers_clock(opened_monday, l1_agent):
    with time_machine.travel(wib(2026, 3, 2, 10, 0), tick=False):
        assign_ticket(actor=l1_agent, ticket_id=opened_monday.pk, assignee="me")
        escalate_ticket(
            actor=l1_agent,
            ticket_id=opened_monday.pk,
            to_tier=2,
            reason="network",
            tried=["restart"],
            findings="f",
        )
    ticket = reload(opened_monday)
    assert ticket.tier.level == 2
    assert ticket.tier_due is None  # the default policy sets no L2 target
    assert ticket.tier_entry_business_seconds == 3600
    assert ticket.resolution_due == wib(2026, 3, 5, 9, 0)  # unchanged
    assert ticket.events.get(kind="ticket.escalated").data["sla"]["tier_due"] is None


@pytest.mark.django_db
def test_resolving_late_records_the_breach(opened_monday, l1_agent):
    with time_machine.travel(wib(2026, 3, 5, 10, 0), tick=False):
        assign_ticket(actor=l1_agent, ticket_id=opened_monday.pk, assignee="me")
        resolve_ticket(actor=l1_agent, ticket_id=opened_monday.pk, resolution="fixed")
    ticket = reload(opened_monday)
    assert ticket.resolution_breached_at == wib(2026, 3, 5, 10, 0)
    resolved = ticket.events.get(kind="ticket.resolved")
    assert resolved.data["sla"]["resolution_met"] is False
    assert resolved.data["sla"]["business_minutes"] == 1680
