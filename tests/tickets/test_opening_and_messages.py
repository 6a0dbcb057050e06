"""Opening tickets, talking on them and who holds them."""

from __future__ import annotations

import pytest

from tierdesk.errors import Conflict, InvalidInput, NotAllowed
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.actions.status import resolve_ticket, set_status
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import Event, Ticket


@pytest.mark.django_db
def test_new_ticket_waits_in_l1_with_its_first_tier_period(ticket, customer, organization):
    assert ticket.tier.level == 1
    assert ticket.status == Status.NEW
    assert ticket.assignee is None
    assert ticket.requester == customer
    assert ticket.organization == organization
    assert ticket.priority == "P3"
    assert ticket.events.get().kind == "ticket.opened"
    period = ticket.tier_periods.get()
    assert (period.tier.level, period.ended_at) == (1, None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("impact", "urgency", "priority"),
    [
        ("high", "high", "P1"),
        ("high", "medium", "P2"),
        ("medium", "medium", "P3"),
        ("low", "low", "P4"),
    ],
)
def test_priority_follows_impact_and_urgency(make_ticket, impact, urgency, priority):
    assert make_ticket(impact=impact, urgency=urgency).priority == priority


@pytest.mark.django_db
def test_priority_that_contradicts_impact_and_urgency_is_refused(customer):
    with pytest.raises(InvalidInput) as refusal:
        open_ticket(
            actor=customer, subject="s", description="d", impact="low", urgency="low", priority="P1"
        )
    assert refusal.value.code == "priority_contradiction"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_customer_cannot_open_for_another_organization(customer, other_organization):
    with pytest.raises(NotAllowed):
        open_ticket(actor=customer, subject="s", description="d", organization="sample")
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_agent_opens_on_behalf_of_a_customer(l1_agent, customer, organization, category):
    ticket = open_ticket(
        actor=l1_agent,
        subject="Printer lantai 3 macet",
        description="Telepon dari Bu Citra",
        requester="customer",
        channel="phone",
        category="akun",
    ).ticket
    assert (ticket.requester, ticket.organization, ticket.channel) == (
        customer,
        organization,
        "phone",
    )
    assert ticket.events.get().actor == l1_agent


@pytest.mark.django_db
def test_requester_outside_the_named_organization_is_refused(
    l1_agent, customer, other_organization
):
    with pytest.raises(InvalidInput) as refusal:
        open_ticket(
            actor=l1_agent,
            subject="s",
            description="d",
            requester="customer",
            organization="sample",
        )
    assert refusal.value.code == "requester_not_in_organization"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"subject": ""},
        {"subject": "x" * 201},
        {"description": "  "},
        {"priority": "P9"},
        {"channel": "pigeon"},
        {"category": "nope"},
        {"subject": 12},
    ],
)
def test_invalid_fields_are_refused_and_nothing_is_stored(customer, category, fields):
    with pytest.raises(InvalidInput):
        open_ticket(actor=customer, **{"subject": "s", "description": "d", **fields})
    assert not Ticket.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_first_public_agent_reply_is_the_first_response_and_opens_the_ticket(ticket, l1_agent):
    add_message(actor=l1_agent, ticket_id=ticket.pk, body="Internal check", is_internal=True)
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None
    assert ticket.status == Status.NEW
    reply = add_message(actor=l1_agent, ticket_id=ticket.pk, body="Kami cek ya")
    ticket.refresh_from_db()
    assert ticket.first_responded_at == reply.created_at
    assert ticket.status == Status.OPEN


@pytest.mark.django_db
def test_customer_reply_brings_a_pending_ticket_back_and_reopens_a_resolved_one(
    held_ticket, l1_agent, customer
):
    set_status(actor=l1_agent, ticket_id=held_ticket.pk, status="pending")
    add_message(actor=customer, ticket_id=held_ticket.pk, body="Here are the logs")
    held_ticket.refresh_from_db()
    assert held_ticket.status == Status.OPEN
    resolve_ticket(actor=l1_agent, ticket_id=held_ticket.pk, resolution="Fixed")
    add_message(actor=customer, ticket_id=held_ticket.pk, body="It broke again")
    held_ticket.refresh_from_db()
    assert held_ticket.status == Status.OPEN
    assert held_ticket.events.filter(kind="ticket.reopened").count() == 1


@pytest.mark.django_db
def test_customers_cannot_write_internal_notes(ticket, customer):
    with pytest.raises(NotAllowed):
        add_message(actor=customer, ticket_id=ticket.pk, body="psst", is_internal=True)
    assert ticket.events.count() == 1


@pytest.mark.django_db
def test_assignee_must_work_in_the_ticket_tier(ticket, l1_agent, l2_agent, second_l1_agent):
    with pytest.raises(InvalidInput) as refusal:
        assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="agent2")
    assert refusal.value.code == "assignee_not_in_tier"
    with pytest.raises(InvalidInput):
        assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="customer")
    assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="agent1b")
    ticket.refresh_from_db()
    assert ticket.assignee == second_l1_agent
    assert ticket.status == Status.OPEN
    event = ticket.events.get(kind="ticket.assigned")
    assert event.data == {"from": None, "to": "agent1b"}
    assert event.is_internal


@pytest.mark.django_db
def test_intake_routed_to_a_team_starts_in_that_team_and_its_tier(customer, teams):
    network = teams["l2-network"]
    opened = open_ticket(
        actor=customer, subject="VPN down", description="Since this morning.", route_team=network
    )
    ticket = opened.ticket
    assert (ticket.tier, ticket.team) == (network.tier, network)
    assert ticket.events.get().data["team"] == "l2-network"
    period = ticket.tier_periods.get()
    assert (period.tier, period.team) == (network.tier, network)


@pytest.mark.django_db
def test_routing_to_a_team_of_another_tier_or_to_self_service_is_refused(customer, tiers, teams):
    with pytest.raises(InvalidInput) as mismatch:
        open_ticket(
            actor=customer,
            subject="x",
            description="y",
            route_tier=tiers[1],
            route_team=teams["l2-network"],
        )
    assert mismatch.value.code == "team_tier_mismatch"
    with pytest.raises(InvalidInput) as closed:
        open_ticket(actor=customer, subject="x", description="y", route_tier=tiers[0])
    assert closed.value.code == "tier_closed"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_new_tickets_start_in_the_lowest_tier_that_takes_tickets(customer, tiers):
    # L1 closed to tickets (the desk reorganises) and the old L3 renumbered below the old L2:
    # new tickets start in the lowest level that takes them, whatever order the rows were
    # stored in, never in self-service.
    tiers[1].handles_tickets = False
    tiers[1].save()
    tiers[2].level = 9
    tiers[2].save()
    tiers[3].level = 2
    tiers[3].save()
    opened = open_ticket(actor=customer, subject="VPN", description="Putus terus.").ticket
    assert opened.tier == tiers[3]
    assert opened.tier.handles_tickets is True
    assert Ticket.objects.get(pk=opened.pk).tier_id == tiers[3].pk

    for tier in tiers.values():
        tier.handles_tickets = False
        tier.save()
    with pytest.raises(Conflict):
        open_ticket(actor=customer, subject="VPN", description="Putus terus.")
