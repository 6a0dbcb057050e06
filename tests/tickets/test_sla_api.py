"""Ticket JSON carries its SLA clocks; lists filter by SLA state and sort by resolution due;
`tierdesk sla explain` tells why a ticket is overdue."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.actions.status import set_status

JAKARTA = ZoneInfo("Asia/Jakarta")


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=JAKARTA)


@pytest.mark.django_db
def test_ticket_json_lists_every_deadline_and_lists_filter_by_state(api_as, customer, l1_agent):
    with time_machine.travel(wib(2026, 3, 2, 9, 0), tick=False):
        late = open_ticket(actor=customer, subject="late", description="d", priority="P1").ticket
    with time_machine.travel(wib(2026, 3, 2, 9, 50), tick=False):
        fresh = open_ticket(actor=customer, subject="fresh", description="d").ticket
    with time_machine.travel(wib(2026, 3, 2, 10, 0), tick=False):
        client = api_as(l1_agent)
        sla = client.get(f"/tickets/{late.pk}").json()["sla"]
        assert sla["policy"] == "Standard"
        assert sla["first_response_breached"] is True  # 30 minutes for P1
        assert sla["resolution_breached"] is False
        assert sla["paused"] is False
        assert {"first_response_due", "resolution_due", "tier_due"} <= set(sla)

        def numbers(**params):
            return [item["id"] for item in client.get("/tickets", params).json()["items"]]

        assert numbers(sla="breached") == [late.pk]
        assert numbers(sla="ok") == [fresh.pk]
        assert numbers(ordering="resolution_due") == [late.pk, fresh.pk]
        assert numbers(ordering="-resolution_due") == [fresh.pk, late.pk]
        assert client.get("/tickets", {"sla": "late"}).status_code == 422


@pytest.mark.django_db
def test_explain_prints_policy_calendar_pauses_and_due_times(customer, l1_agent):
    with time_machine.travel(wib(2026, 3, 2, 9, 0), tick=False):
        ticket = open_ticket(actor=customer, subject="VPN", description="d").ticket
    with time_machine.travel(wib(2026, 3, 2, 10, 0), tick=False):
        assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="me")
        set_status(actor=l1_agent, ticket_id=ticket.pk, status="pending")
    with time_machine.travel(wib(2026, 3, 3, 10, 0), tick=False):
        set_status(actor=l1_agent, ticket_id=ticket.pk, status="open")
        out = StringIO()
        call_command("sla", "explain", ticket.number, stdout=out)
    text = out.getvalue()
    assert "Standard" in text
    assert "Office hours (Jakarta), Asia/Jakarta" in text
    assert "2026-03-02 10:00 WIB" in text  # the pause
    assert "2026-03-05 09:00 WIB" not in text  # the due time moved with the pause
    assert "2026-03-06 09:00 WIB" in text


@pytest.mark.django_db
def test_a_new_ticket_answers_with_its_policy_read_once_and_a_rename_shows_at_once(
    api_as, customer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tierdesk.sla.models import Policy

    client = api_as(customer)
    new = {"subject": "VPN putus", "description": "Sejak pagi."}
    assert client.post("/tickets", new).json()["sla"]["policy"] == "Standard"
    with CaptureQueriesContext(connection) as queries:
        answer = client.post("/tickets", new)
    assert answer.status_code == 201
    assert answer.json()["sla"]["policy"] == "Standard"
    # The policy came with the cached terms: the answer did not read it again.
    assert not [q for q in queries if 'FROM "sla_policy"' in q["sql"]]
    policy = Policy.objects.get(name="Standard")
    policy.name = "Standard 2027"
    policy.save()
    assert client.post("/tickets", new).json()["sla"]["policy"] == "Standard 2027"
