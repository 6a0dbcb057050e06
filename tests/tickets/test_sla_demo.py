"""The demo's SLA clocks follow its back-dated history: due times count from each ticket's
creation in the past, so the open tickets show a mix of on-time, warned and late clocks."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tierdesk.sla.services import deadline, terms_for_policy
from tierdesk.tickets.models import Ticket
from tierdesk.tickets.queries import sla_state

WEDNESDAY_AFTERNOON = datetime(2026, 3, 11, 14, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def demo(db, settings):
    settings.TIERDESK_DEMO_PASSWORD = "demo-test"
    with time_machine.travel(WEDNESDAY_AFTERNOON, tick=True):
        call_command("demo", stdout=StringIO())


@pytest.mark.django_db
def test_due_times_count_from_the_back_dated_creation(demo):
    for ticket in Ticket.objects.all():
        terms = terms_for_policy(ticket.sla_policy_id, ticket.priority, ticket.sla_policy_reason)
        _warn, due = deadline(
            terms.schedule,
            ticket.created_at,
            terms.first_response_minutes,
            timedelta(0),
            terms.warning_fraction,
        )
        assert ticket.first_response_due == due, ticket.number
        opened = ticket.events.get(kind="ticket.opened")
        assert opened.data["sla"]["first_response_due"] == due.isoformat()
        if ticket.first_responded_at is not None and ticket.first_responded_at > due:
            assert ticket.first_response_breached_at == ticket.first_responded_at
        assert ticket.resolution_due is None or ticket.resolution_due > ticket.created_at


@pytest.mark.django_db
def test_open_tickets_show_a_mix_of_clock_states(demo):
    now = WEDNESDAY_AFTERNOON + timedelta(minutes=5)
    running = Ticket.objects.filter(status__in=["new", "open"])
    states = {
        state: running.filter(sla_state(state, now)).count()
        for state in ("ok", "warning", "breached")
    }
    assert all(states.values()), states
    late = 0
    for ticket in Ticket.objects.filter(status__in=["resolved", "closed"]):
        if ticket.resolution_due is not None and ticket.resolved_at > ticket.resolution_due:
            assert ticket.resolution_breached_at == ticket.resolved_at, ticket.number
            late += 1
        else:
            assert ticket.resolution_breached_at is None, ticket.number
    assert 0 < late < Ticket.objects.filter(status__in=["resolved", "closed"]).count()
