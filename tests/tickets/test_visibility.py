"""Who sees which tickets: one function, used by every read path."""

from __future__ import annotations

import pytest
from django.db.models import Exists, OuterRef, Q

from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.escalation import escalate_ticket
from tierdesk.tickets.lifecycle import ACTIVE_STATUSES
from tierdesk.tickets.models import Event, EventKind, Ticket
from tierdesk.tickets.queries import visible_events, visible_tickets
from tierdesk.tickets.queues import ACTIVE_IN_INDEX_ORDER

HANDOFF = {"reason": "r", "tried": ["t"], "findings": "f"}


def visible_ids(user):
    return set(visible_tickets(user).values_list("pk", flat=True))


@pytest.mark.django_db
def test_customer_sees_their_organization_but_never_another(
    make_ticket, customer, colleague, other_org_customer
):
    mine = make_ticket(customer)
    colleagues = make_ticket(colleague)
    foreign = make_ticket(other_org_customer)
    assert visible_ids(customer) == {mine.pk, colleagues.pk}
    assert visible_ids(other_org_customer) == {foreign.pk}


@pytest.mark.django_db
def test_organization_can_restrict_customers_to_their_own_tickets(
    make_ticket, customer, colleague, organization
):
    mine = make_ticket(customer)
    make_ticket(colleague)
    organization.customers_see_all_tickets = False
    organization.save()
    customer.refresh_from_db()
    assert visible_ids(customer) == {mine.pk}


@pytest.mark.django_db
def test_agents_see_their_tiers_and_what_they_worked_on(
    held_ticket, make_ticket, l1_agent, l2_agent, l3_agent
):
    untouched = make_ticket()
    assert visible_ids(l1_agent) == {held_ticket.pk, untouched.pk}
    assert visible_ids(l2_agent) == set()
    escalate_ticket(actor=l1_agent, ticket_id=held_ticket.pk, to_tier=2, **HANDOFF)
    assert visible_ids(l2_agent) == {held_ticket.pk}
    assert visible_ids(l3_agent) == set()
    # L1 keeps sight of the ticket it escalated, to answer the customer.
    assert held_ticket.pk in visible_ids(l1_agent)


@pytest.mark.django_db
def test_worked_on_holds_when_the_visible_tickets_are_nested_in_another_query(
    held_ticket, make_ticket, supervisor, l1_agent
):
    # Search nests the visible tickets in its own query, which renames the ticket table
    # (U0, V0, ...): the timeline probe must follow the renamed ticket.
    worked = held_ticket
    escalate_ticket(actor=l1_agent, ticket_id=worked.pk, to_tier=2, **HANDOFF)
    never_seen = make_ticket()
    escalate_ticket(actor=supervisor, ticket_id=never_seen.pk, to_tier=2, **HANDOFF)
    in_tier = make_ticket()
    Ticket.objects.filter(pk=worked.pk).update(assignee=None)

    openings = Event.objects.filter(kind=EventKind.OPENED)
    nested = openings.filter(ticket_id__in=visible_tickets(l1_agent).values("pk"))
    correlated = openings.filter(Exists(visible_tickets(l1_agent).filter(pk=OuterRef("ticket_id"))))
    for query in (nested, correlated):
        assert set(query.values_list("ticket_id", flat=True)) == {worked.pk, in_tier.pk}


@pytest.mark.django_db
def test_team_member_sees_their_team_and_the_tier_untriaged_but_not_other_teams(
    make_ticket, supervisor, l2_network_agent, teams
):
    network, hosting, untriaged = make_ticket(), make_ticket(), make_ticket()
    for ticket, team in ((network, "l2-network"), (hosting, "l2-hosting"), (untriaged, None)):
        escalate_ticket(actor=supervisor, ticket_id=ticket.pk, to_tier=2, team=team, **HANDOFF)
    assert visible_ids(l2_network_agent) == {network.pk, untriaged.pk}


@pytest.mark.django_db
def test_supervisors_and_see_all_agents_see_everything(
    make_ticket, other_org_customer, supervisor, l3_agent
):
    first, second = make_ticket(), make_ticket(other_org_customer)
    assert visible_ids(supervisor) == {first.pk, second.pk}
    l3_agent.sees_all_tickets = True
    l3_agent.save()
    assert visible_ids(l3_agent) == {first.pk, second.pk}


@pytest.mark.django_db
def test_internal_notes_never_reach_customers(held_ticket, l1_agent, customer):
    add_message(
        actor=l1_agent, ticket_id=held_ticket.pk, body="Customer sounds upset", is_internal=True
    )
    add_message(actor=l1_agent, ticket_id=held_ticket.pk, body="We are on it")
    customer_bodies = [event.body for event in visible_events(customer, held_ticket)]
    agent_bodies = [event.body for event in visible_events(l1_agent, held_ticket)]
    assert "We are on it" in customer_bodies
    assert "Customer sounds upset" not in customer_bodies
    assert "Customer sounds upset" in agent_bodies
    assert all(not event.is_internal for event in visible_events(customer, held_ticket))


@pytest.mark.django_db
def test_inactive_people_see_nothing(ticket, customer, l1_agent):
    for person in (customer, l1_agent):
        person.is_active = False
        person.save()
        assert visible_ids(person) == set()


@pytest.mark.django_db
def test_agent_outside_the_tier_cannot_take_or_reply(ticket, l2_agent):
    from tierdesk.tickets.errors import TicketNotFound

    with pytest.raises(TicketNotFound):
        assign_ticket(actor=l2_agent, ticket_id=ticket.pk, assignee="me")
    with pytest.raises(TicketNotFound):
        add_message(actor=l2_agent, ticket_id=ticket.pk, body="hello")


def test_desk_queues_ask_for_exactly_the_statuses_of_the_partial_queue_index():
    # SQLite uses a partial index only when the query repeats its condition as written: if
    # the active statuses change, the index must change with them (a new migration).
    index = next(index for index in Ticket._meta.indexes if index.name == "ticket_tier_active")
    assert set(ACTIVE_IN_INDEX_ORDER) == set(ACTIVE_STATUSES)
    assert index.condition == Q(status__in=ACTIVE_IN_INDEX_ORDER)
