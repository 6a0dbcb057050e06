"""Escalation, de-escalation and team moves: always with a handoff, never sideways by accident."""

from __future__ import annotations

import pytest

from tierdesk.errors import InvalidInput, NotAllowed
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.escalation import deescalate_ticket, escalate_ticket, transfer_ticket
from tierdesk.tickets.models import Event, Ticket, TierPeriod

HANDOFF = {
    "reason": "Needs access to the mail server",
    "tried": ["Reset the password", "Checked the account is not locked"],
    "findings": "IMAP login fails for every user since 08:00",
}


def snapshot(ticket: Ticket) -> tuple:
    ticket.refresh_from_db()
    return (
        ticket.tier_id,
        ticket.team_id,
        ticket.assignee_id,
        ticket.escalation_count,
        Event.objects.filter(ticket=ticket).count(),
        TierPeriod.objects.filter(ticket=ticket).count(),
    )


@pytest.mark.django_db
def test_escalation_moves_up_unassigned_with_the_handoff(held_ticket, l1_agent, teams):
    escalate_ticket(
        actor=l1_agent, ticket_id=held_ticket.pk, to_tier=2, team="l2-network", **HANDOFF
    )
    held_ticket.refresh_from_db()
    assert held_ticket.tier.level == 2
    assert held_ticket.team.slug == "l2-network"
    assert held_ticket.assignee is None
    assert held_ticket.escalation_count == 1
    event = held_ticket.events.get(kind="ticket.escalated")
    assert event.is_internal
    assert event.actor == l1_agent
    assert event.data["tried"] == HANDOFF["tried"]
    assert event.data["findings"] == HANDOFF["findings"]
    assert event.data["previous_assignee"] == "agent1"
    assert (event.data["from_tier"], event.data["to_tier"]) == (1, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "broken",
    [
        {"tried": []},
        {"tried": ["   "]},
        {"reason": ""},
        {"reason": "   "},
        {"findings": ""},
    ],
)
def test_escalation_without_a_complete_handoff_is_refused(held_ticket, l1_agent, broken):
    before = snapshot(held_ticket)
    with pytest.raises(InvalidInput) as refusal:
        escalate_ticket(
            actor=l1_agent, ticket_id=held_ticket.pk, to_tier=2, **{**HANDOFF, **broken}
        )
    assert refusal.value.code == "handoff_incomplete"
    assert snapshot(held_ticket) == before


@pytest.mark.django_db
@pytest.mark.parametrize("level", [0, 1])
def test_escalation_to_the_same_or_a_lower_tier_is_refused(held_ticket, l1_agent, level):
    before = snapshot(held_ticket)
    with pytest.raises(InvalidInput) as refusal:
        escalate_ticket(actor=l1_agent, ticket_id=held_ticket.pk, to_tier=level, **HANDOFF)
    # L0 takes no tickets at all; L1 is where the ticket already is.
    assert refusal.value.code in {"not_a_higher_tier", "unknown_tier"}
    assert snapshot(held_ticket) == before


@pytest.mark.django_db
def test_escalation_by_an_agent_who_does_not_hold_the_ticket_is_refused(
    held_ticket, second_l1_agent
):
    before = snapshot(held_ticket)
    with pytest.raises(NotAllowed) as refusal:
        escalate_ticket(actor=second_l1_agent, ticket_id=held_ticket.pk, to_tier=2, **HANDOFF)
    assert refusal.value.code == "not_ticket_holder"
    assert snapshot(held_ticket) == before


@pytest.mark.django_db
def test_unassigned_ticket_must_be_taken_before_escalating(ticket, l1_agent):
    with pytest.raises(NotAllowed):
        escalate_ticket(actor=l1_agent, ticket_id=ticket.pk, to_tier=2, **HANDOFF)


@pytest.mark.django_db
def test_a_supervisor_may_escalate_a_ticket_someone_else_holds(held_ticket, supervisor):
    escalate_ticket(actor=supervisor, ticket_id=held_ticket.pk, to_tier=3, **HANDOFF)
    held_ticket.refresh_from_db()
    assert held_ticket.tier.level == 3


@pytest.mark.django_db
def test_team_must_belong_to_the_receiving_tier(held_ticket, l1_agent, teams):
    before = snapshot(held_ticket)
    with pytest.raises(InvalidInput) as refusal:
        escalate_ticket(
            actor=l1_agent, ticket_id=held_ticket.pk, to_tier=2, team="l3-engineering", **HANDOFF
        )
    assert refusal.value.code == "team_not_in_tier"
    assert snapshot(held_ticket) == before


@pytest.mark.django_db
def test_customer_cannot_escalate(held_ticket, customer):
    before = snapshot(held_ticket)
    with pytest.raises(NotAllowed):
        escalate_ticket(actor=customer, ticket_id=held_ticket.pk, to_tier=2, **HANDOFF)
    assert snapshot(held_ticket) == before


@pytest.mark.django_db
def test_deescalation_goes_down_with_instructions(held_ticket, l1_agent, l2_agent):
    escalate_ticket(actor=l1_agent, ticket_id=held_ticket.pk, to_tier=2, **HANDOFF)
    assign_ticket(actor=l2_agent, ticket_id=held_ticket.pk, assignee="me")
    with pytest.raises(InvalidInput) as refusal:
        deescalate_ticket(actor=l2_agent, ticket_id=held_ticket.pk, to_tier=3, instructions="x")
    assert refusal.value.code == "not_a_lower_tier"
    with pytest.raises(InvalidInput):
        deescalate_ticket(actor=l2_agent, ticket_id=held_ticket.pk, to_tier=1, instructions=" ")
    deescalate_ticket(
        actor=l2_agent,
        ticket_id=held_ticket.pk,
        to_tier=1,
        instructions="Mailbox restored; ask the customer to log in again and confirm.",
    )
    held_ticket.refresh_from_db()
    assert held_ticket.tier.level == 1
    assert held_ticket.assignee is None
    assert held_ticket.escalation_count == 1
    event = held_ticket.events.get(kind="ticket.deescalated")
    assert event.data["instructions"].startswith("Mailbox restored")
    assert [p.tier.level for p in held_ticket.tier_periods.all()] == [1, 2, 1]


@pytest.mark.django_db
def test_moving_between_teams_of_a_tier_needs_a_note_and_stays_in_the_tier(
    held_ticket, l1_agent, l2_agent, teams
):
    escalate_ticket(
        actor=l1_agent, ticket_id=held_ticket.pk, to_tier=2, team="l2-network", **HANDOFF
    )
    assign_ticket(actor=l2_agent, ticket_id=held_ticket.pk, assignee="me")
    before = snapshot(held_ticket)
    with pytest.raises(InvalidInput):
        transfer_ticket(actor=l2_agent, ticket_id=held_ticket.pk, team="l2-hosting", note="")
    with pytest.raises(InvalidInput) as other_tier:
        transfer_ticket(actor=l2_agent, ticket_id=held_ticket.pk, team="l3-engineering", note="x")
    assert other_tier.value.code == "team_not_in_tier"
    assert snapshot(held_ticket) == before
    transfer_ticket(
        actor=l2_agent, ticket_id=held_ticket.pk, team="l2-hosting", note="It is the web server"
    )
    held_ticket.refresh_from_db()
    assert (held_ticket.tier.level, held_ticket.team.slug) == (2, "l2-hosting")
    assert held_ticket.escalation_count == 1


@pytest.mark.django_db
def test_resolved_tickets_cannot_be_escalated(held_ticket, l1_agent):
    from tierdesk.errors import Conflict
    from tierdesk.tickets.actions.status import resolve_ticket

    resolve_ticket(actor=l1_agent, ticket_id=held_ticket.pk, resolution="done")
    before = snapshot(held_ticket)
    with pytest.raises(Conflict):
        escalate_ticket(actor=l1_agent, ticket_id=held_ticket.pk, to_tier=2, **HANDOFF)
    assert snapshot(held_ticket) == before
