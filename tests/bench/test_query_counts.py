"""Ticket detail and timeline cost the same number of queries however much data there is:
more tickets in the database, more events and handoffs on the ticket."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tierdesk.operations.bench.seed import Seeder
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.escalation import deescalate_ticket, escalate_ticket

HANDOFF = {"reason": "Needs L2", "tried": ["Restarted"], "findings": "Certificate refused"}


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200, response.json()
    return len(captured)


def grow(ticket_id: int, supervisor, rounds: int) -> None:
    """More timeline: notes, replies and escalations up and down with their handoffs."""
    for number in range(rounds):
        add_message(actor=supervisor, ticket_id=ticket_id, body=f"note {number}", is_internal=True)
        add_message(actor=supervisor, ticket_id=ticket_id, body=f"reply {number}")
        escalate_ticket(actor=supervisor, ticket_id=ticket_id, to_tier=2, **HANDOFF)
        deescalate_ticket(actor=supervisor, ticket_id=ticket_id, to_tier=1, instructions="retry")


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "/timeline"])
@pytest.mark.parametrize("persona", ["l1_agent", "supervisor", "customer"])
def test_detail_and_timeline_queries_stay_constant_as_data_grows(
    request, api_as, held_ticket, supervisor, suffix, persona
):
    client = api_as(request.getfixturevalue(persona))
    path = f"/tickets/{held_ticket.pk}{suffix}"
    client.get(path)  # the token's first use is recorded once; leave it out of the count
    grow(held_ticket.pk, supervisor, 1)
    small = count_queries(client, path)
    Seeder(tickets=300, seed=5).run(progress=lambda line: None)
    grow(held_ticket.pk, supervisor, 6)
    assert count_queries(client, path) == small
    # token, memberships (agents), ticket, SLA policy and handoffs (detail) or events (timeline)
    assert small <= 5


@pytest.mark.django_db
def test_agent_queue_queries_stay_constant_as_data_grows(api_as, l1_agent):
    """The list test in tests/api covers a supervisor; an agent's visibility adds subqueries,
    not queries."""
    client = api_as(l1_agent)
    client.get("/tickets")
    Seeder(tickets=50, seed=5).run(progress=lambda line: None)
    few = count_queries(client, "/tickets?tier=1&page_size=50")
    Seeder(tickets=400, seed=6).run(progress=lambda line: None)
    assert count_queries(client, "/tickets?tier=1&page_size=50") == few
