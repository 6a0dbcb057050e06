"""Moving a ticket to another organization: the new organization's contract (SLA policy)
applies from then on, keeping the business time spent and the time paused; a requester of
another organization cannot stay on the ticket."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tierdesk.errors import Conflict, InvalidInput, NotAllowed
from tierdesk.sla.models import Calendar, OrganizationPolicy, Policy, PolicyTarget
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.fields import change_organization
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.actions.status import resolve_ticket, set_status
from tierdesk.tickets.models import Event, Ticket

JAKARTA = ZoneInfo("Asia/Jakarta")


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=JAKARTA)


def reload(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


@pytest.fixture
def gold_contract(other_organization) -> Policy:
    """The other organization's contract: around the clock, P3 answered in 15 minutes and
    resolved in 4 hours."""
    gold = Policy.objects.create(name="Gold", calendar=Calendar.objects.get(name="24x7"))
    PolicyTarget.objects.create(
        policy=gold, priority="P3", first_response_minutes=15, resolution_minutes=240
    )
    OrganizationPolicy.objects.create(organization=other_organization, policy=gold)
    return gold


@pytest.fixture
def opened_monday(customer, tiers):
    """A P3 ticket of PT Contoh (default policy, office hours), Monday 2 March 2026 09:00."""
    with time_machine.travel(wib(2026, 3, 2, 9, 0), tick=False):
        return open_ticket(actor=customer, subject="VPN", description="down").ticket


def snapshot(ticket: Ticket) -> tuple:
    row = reload(ticket)
    return (
        row.organization_id,
        row.requester_id,
        row.sla_policy_id,
        row.resolution_due,
        row.first_response_due,
        Event.objects.filter(ticket=row).count(),
    )


@pytest.mark.django_db
def test_moving_to_an_organization_applies_its_contract_and_keeps_the_time_spent(
    opened_monday, l1_agent, other_org_customer, other_organization, gold_contract
):
    with time_machine.travel(wib(2026, 3, 2, 11, 0), tick=False):
        change_organization(
            actor=l1_agent,
            ticket_id=opened_monday.pk,
            organization="sample",
            requester="customer2",
        )
    ticket = reload(opened_monday)
    assert ticket.organization == other_organization
    assert ticket.requester == other_org_customer
    assert (ticket.sla_policy, ticket.sla_policy_reason) == (gold_contract, "organization")
    assert ticket.business_seconds == 2 * 3600  # Monday 09:00-11:00 on office hours
    # 240 minutes, 120 already spent, from 11:00 around the clock.
    assert ticket.resolution_due == wib(2026, 3, 2, 13, 0)
    assert ticket.first_response_due == wib(2026, 3, 2, 9, 15)  # 15 minutes after opening
    assert ticket.tier_due is None  # Gold sets no tier targets
    changes = {
        event.data["field"]: (event.data["from"], event.data["to"])
        for event in ticket.events.filter(kind="ticket.field_changed")
    }
    assert changes == {
        "organization": ("contoh", "sample"),
        "requester": ("customer", "customer2"),
    }
    recalculated = ticket.events.get(kind="sla.recalculated")
    assert recalculated.is_internal
    assert recalculated.data["because"] == "organization"
    assert recalculated.data["resolution_due"] == ticket.resolution_due.isoformat()
    assert recalculated.data["reason"] == "organization"


@pytest.mark.django_db
def test_the_time_paused_is_kept_and_the_default_policy_applies_without_a_contract(
    customer, l1_agent, other_org_customer, gold_contract, tiers
):
    with time_machine.travel(wib(2026, 3, 2, 9, 0), tick=False):
        ticket = open_ticket(actor=other_org_customer, subject="Mail", description="bounces").ticket
    assert reload(ticket).sla_policy == gold_contract
    with time_machine.travel(wib(2026, 3, 2, 10, 0), tick=False):
        assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="me")
        set_status(actor=l1_agent, ticket_id=ticket.pk, status="pending")
    with time_machine.travel(wib(2026, 3, 3, 10, 0), tick=False):
        set_status(actor=l1_agent, ticket_id=ticket.pk, status="open")
    with time_machine.travel(wib(2026, 3, 3, 11, 0), tick=False):
        change_organization(
            actor=l1_agent, ticket_id=ticket.pk, organization="contoh", requester="customer"
        )
    ticket = reload(ticket)
    assert ticket.sla_policy.name == "Standard"
    assert ticket.sla_policy_reason == "default"
    assert ticket.paused_seconds == 24 * 3600
    # Two hours on Gold's 24x7 clock (Monday 09-10, Tuesday 10-11), kept as they are.
    assert ticket.business_seconds == 2 * 3600
    # 1620 - 120 = 1500 minutes of office hours from Tuesday 11:00: 360 + 540 + 540 + 60.
    assert ticket.resolution_due == wib(2026, 3, 6, 9, 0)


@pytest.mark.django_db
def test_a_staff_requester_stays_when_only_the_organization_changes(
    l1_agent, organization, other_organization, gold_contract
):
    with time_machine.travel(wib(2026, 3, 2, 9, 0), tick=False):
        ticket = open_ticket(
            actor=l1_agent, subject="Printer", description="jammed", organization="contoh"
        ).ticket
    with time_machine.travel(wib(2026, 3, 2, 9, 30), tick=False):
        change_organization(actor=l1_agent, ticket_id=ticket.pk, organization="sample")
    ticket = reload(ticket)
    assert (ticket.organization, ticket.requester) == (other_organization, l1_agent)
    assert ticket.sla_policy == gold_contract
    assert not ticket.events.filter(kind="ticket.field_changed", data__field="requester").exists()


@pytest.mark.django_db
def test_the_same_organization_and_requester_change_nothing(opened_monday, l1_agent):
    before = snapshot(opened_monday)
    change_organization(actor=l1_agent, ticket_id=opened_monday.pk, organization="contoh")
    assert snapshot(opened_monday) == before


@pytest.mark.django_db
def test_a_customer_of_another_organization_cannot_stay_the_requester(
    opened_monday, l1_agent, other_organization, gold_contract
):
    before = snapshot(opened_monday)
    with pytest.raises(InvalidInput) as refused:
        change_organization(actor=l1_agent, ticket_id=opened_monday.pk, organization="sample")
    assert refused.value.code == "requester_not_in_organization"
    assert "name a requester of Sample Trading Ltd" in str(refused.value)
    assert snapshot(opened_monday) == before


@pytest.mark.django_db
def test_a_requester_of_a_third_organization_is_refused(
    opened_monday, l1_agent, colleague, other_organization
):
    before = snapshot(opened_monday)
    with pytest.raises(InvalidInput) as refused:
        change_organization(
            actor=l1_agent,
            ticket_id=opened_monday.pk,
            organization="sample",
            requester="colleague",
        )
    assert refused.value.code == "requester_not_in_organization"
    assert snapshot(opened_monday) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("short_name", "requester", "code"),
    [
        ("nowhere", None, "unknown_organization"),
        ("", None, "organization_required"),
        ("sample", "nobody", "unknown_requester"),
    ],
)
def test_unknown_names_are_refused(
    opened_monday, l1_agent, other_organization, short_name, requester, code
):
    before = snapshot(opened_monday)
    with pytest.raises(InvalidInput) as refused:
        change_organization(
            actor=l1_agent,
            ticket_id=opened_monday.pk,
            organization=short_name,
            requester=requester,
        )
    assert refused.value.code == code
    assert snapshot(opened_monday) == before


@pytest.mark.django_db
def test_customers_and_agents_outside_the_tier_may_not_move_a_ticket(
    opened_monday, customer, l2_agent, other_organization, other_org_customer
):
    l2_agent.sees_all_tickets = True  # sees the L1 ticket, but does not work there
    l2_agent.save(update_fields=["sees_all_tickets"])
    before = snapshot(opened_monday)
    with pytest.raises(NotAllowed):
        change_organization(
            actor=customer, ticket_id=opened_monday.pk, organization="sample", requester="customer2"
        )
    with pytest.raises(NotAllowed) as refused:
        change_organization(
            actor=l2_agent, ticket_id=opened_monday.pk, organization="sample", requester="customer2"
        )
    assert refused.value.code == "not_in_ticket_tier"
    assert snapshot(opened_monday) == before


@pytest.mark.django_db
def test_a_resolved_ticket_is_not_moved(
    opened_monday, l1_agent, other_organization, other_org_customer
):
    assign_ticket(actor=l1_agent, ticket_id=opened_monday.pk, assignee="me")
    resolve_ticket(actor=l1_agent, ticket_id=opened_monday.pk, resolution="fixed")
    before = snapshot(opened_monday)
    with pytest.raises(Conflict):
        change_organization(
            actor=l1_agent, ticket_id=opened_monday.pk, organization="sample", requester="customer2"
        )
    assert snapshot(opened_monday) == before


@pytest.mark.django_db
def test_the_api_moves_the_ticket_and_shows_the_new_policy(
    api_as, opened_monday, l1_agent, other_org_customer, gold_contract
):
    client = api_as(l1_agent)
    with time_machine.travel(wib(2026, 3, 2, 11, 0), tick=False):
        response = client.post(
            f"/tickets/{opened_monday.pk}/organization",
            {"organization": "sample", "requester": "customer2"},
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["organization"], body["requester"]) == ("sample", "customer2")
    assert body["sla"]["policy"] == "Gold"
    assert datetime.fromisoformat(body["sla"]["resolution_due"]) == wib(2026, 3, 2, 13, 0)


@pytest.mark.django_db
def test_the_api_refuses_with_a_reason(
    api_as, opened_monday, l1_agent, customer, other_organization
):
    before = snapshot(opened_monday)
    client = api_as(l1_agent)
    refused = client.post(f"/tickets/{opened_monday.pk}/organization", {"organization": "sample"})
    assert refused.status_code == 422
    assert refused.json()["code"] == "requester_not_in_organization"
    unknown = client.post(f"/tickets/{opened_monday.pk}/organization", {"organization": "zzz"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_organization")
    extra = client.post(
        f"/tickets/{opened_monday.pk}/organization", {"organization": "sample", "status": "x"}
    )
    assert extra.status_code == 422
    as_customer = api_as(customer).post(
        f"/tickets/{opened_monday.pk}/organization", {"organization": "sample"}
    )
    assert as_customer.status_code == 403
    assert snapshot(opened_monday) == before


@pytest.mark.django_db
def test_the_desk_ticket_page_moves_the_ticket_and_shows_refusals(
    client, opened_monday, l1_agent, other_org_customer, gold_contract
):
    client.force_login(l1_agent)
    page = client.get(f"/desk/tickets/{opened_monday.pk}/")
    assert b"Change organization" in page.content
    url = f"/desk/tickets/{opened_monday.pk}/organization/"
    refused = client.post(url, {"organization": "sample", "requester": ""})
    assert refused.status_code == 422
    assert "name a requester of Sample Trading Ltd" in refused.content.decode()
    assert reload(opened_monday).organization.slug == "contoh"
    moved = client.post(url, {"organization": "sample", "requester": "customer2"})
    assert moved.status_code == 302
    ticket = reload(opened_monday)
    assert (ticket.organization.slug, ticket.sla_policy) == ("sample", gold_contract)
