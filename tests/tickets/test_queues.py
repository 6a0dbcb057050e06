"""The queue bar: its queues named from one read of the agent's memberships, and every queue
counted in one statement, each up to the limit."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from tierdesk.accounts.actions import add_membership
from tierdesk.accounts.models import User
from tierdesk.accounts.queries import memberships_of
from tierdesk.tickets.queues import (
    Count,
    Queue,
    active_tickets,
    capped_count,
    queue_counts,
    queues_for,
)


@pytest.mark.django_db
def test_all_queues_are_counted_in_one_statement_each_up_to_the_limit(
    make_ticket, l1_agent, monkeypatch
):
    monkeypatch.setattr("tierdesk.tickets.queues.COUNT_LIMIT", 2)
    for subject in ("VPN down", "VPN slow", "VPN again"):
        make_ticket(subject=subject, priority="P2")
    make_ticket(subject="Printer jam", priority="P4")
    queues = [
        Queue("high", "High", Q(priority="P2")),
        Queue("low", "Low", Q(priority="P4")),
        Queue("none", "Nothing", Q(pk__in=[])),  # a condition no ticket can meet
        Queue("critical", "Critical", Q(priority="P1")),
    ]
    memberships_of(l1_agent)  # read once per request: the desk names its queues with them
    with CaptureQueriesContext(connection) as queries:
        counts = queue_counts(l1_agent, queues)
    assert len(queries) == 1
    assert counts == {
        "high": Count(2, is_exact=False),  # "2+": three tickets, counted up to the limit
        "low": Count(1, is_exact=True),
        "none": Count(0, is_exact=True),
        "critical": Count(0, is_exact=True),
    }
    assert str(counts["high"]) == "2+"
    assert queue_counts(l1_agent, []) == {}


@pytest.mark.django_db
def test_a_list_count_stops_one_past_the_limit(make_ticket, l1_agent, monkeypatch):
    monkeypatch.setattr("tierdesk.tickets.queues.COUNT_LIMIT", 2)
    make_ticket(subject="One")
    make_ticket(subject="Two")
    assert capped_count(active_tickets(l1_agent)) == Count(2, is_exact=True)
    make_ticket(subject="Three")
    assert capped_count(active_tickets(l1_agent)) == Count(2, is_exact=False)


@pytest.mark.django_db
def test_a_team_members_queues_are_named_from_one_read_of_their_memberships(
    l2_network_agent, tiers, teams
):
    add_membership(user=l2_network_agent, tier=tiers[2], team=teams["l2-hosting"])
    agent = User.objects.get(pk=l2_network_agent.pk)  # a new request's user: nothing read yet
    with CaptureQueriesContext(connection) as queries:
        labels = [str(queue.label) for queue in queues_for(agent)]
    assert len(queries) == 1  # not one more per team to name the team's tier
    assert "L2 Network" in labels
    assert "L2 Hosting" in labels
