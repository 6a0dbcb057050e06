"""The status state machine: one table, enforced by every action."""

from __future__ import annotations

import pytest

from tierdesk.errors import InvalidInput
from tierdesk.tickets.actions.status import reopen_ticket, resolve_ticket, set_status
from tierdesk.tickets.errors import TransitionNotAllowed
from tierdesk.tickets.lifecycle import ALLOWED_MOVES, Status, allowed_moves, can_move
from tierdesk.tickets.models import Event


def test_every_status_has_a_row_in_the_table():
    assert set(ALLOWED_MOVES) == set(Status.values)


def test_closed_is_final_and_resolved_can_only_reopen_or_close():
    assert allowed_moves(Status.CLOSED) == []
    assert allowed_moves(Status.RESOLVED) == [Status.OPEN, Status.CLOSED]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.NEW, Status.CLOSED),
        (Status.OPEN, Status.NEW),
        (Status.OPEN, Status.CLOSED),
        (Status.CLOSED, Status.OPEN),
        (Status.RESOLVED, Status.PENDING),
    ],
)
def test_moves_outside_the_table_are_not_allowed(current, target):
    assert not can_move(current, target)


@pytest.mark.django_db
def test_refused_transition_names_current_and_allowed_states(held_ticket, l1_agent):
    before = Event.objects.count()
    with pytest.raises(TransitionNotAllowed) as refusal:
        set_status(actor=l1_agent, ticket_id=held_ticket.pk, status="closed")
    message = str(refusal.value)
    assert "Open" in message
    assert "Closed" in message
    for allowed in ("Waiting on customer", "On hold (vendor or third party)", "Resolved"):
        assert allowed in message
    assert refusal.value.code == "transition_not_allowed"
    held_ticket.refresh_from_db()
    assert held_ticket.status == Status.OPEN
    assert Event.objects.count() == before


@pytest.mark.django_db
def test_pending_and_on_hold_round_trip(held_ticket, l1_agent):
    set_status(actor=l1_agent, ticket_id=held_ticket.pk, status="pending", note="asked for logs")
    held_ticket.refresh_from_db()
    assert held_ticket.status == Status.PENDING
    note = held_ticket.events.filter(kind="message.note").get()
    assert note.is_internal
    assert note.body == "asked for logs"
    set_status(actor=l1_agent, ticket_id=held_ticket.pk, status="on_hold")
    set_status(actor=l1_agent, ticket_id=held_ticket.pk, status="open")
    held_ticket.refresh_from_db()
    assert held_ticket.status == Status.OPEN
    changes = [
        (e.data["from"], e.data["to"])
        for e in held_ticket.events.filter(kind="ticket.status_changed")
    ]
    assert changes[-3:] == [("open", "pending"), ("pending", "on_hold"), ("on_hold", "open")]


@pytest.mark.django_db
def test_resolving_through_status_needs_a_resolution(held_ticket, l1_agent):
    before = Event.objects.count()
    with pytest.raises(InvalidInput) as refusal:
        set_status(actor=l1_agent, ticket_id=held_ticket.pk, status="resolved")
    assert refusal.value.code == "resolution_required"
    assert Event.objects.count() == before
    set_status(actor=l1_agent, ticket_id=held_ticket.pk, status="resolved", note="Reset the token")
    held_ticket.refresh_from_db()
    assert held_ticket.status == Status.RESOLVED
    assert held_ticket.resolved_tier.level == 1
    assert held_ticket.events.get(kind="ticket.resolved").body == "Reset the token"


@pytest.mark.django_db
def test_reopen_clears_resolution_and_starts_a_new_tier_period(held_ticket, l1_agent, customer):
    resolve_ticket(actor=l1_agent, ticket_id=held_ticket.pk, resolution="Password reset")
    reopen_ticket(actor=customer, ticket_id=held_ticket.pk, reason="Still cannot log in")
    held_ticket.refresh_from_db()
    assert held_ticket.status == Status.OPEN
    assert held_ticket.resolved_at is None
    assert held_ticket.resolved_tier is None
    periods = list(held_ticket.tier_periods.all())
    assert len(periods) == 2
    assert periods[0].end_reason == "resolved"
    assert periods[1].ended_at is None


@pytest.mark.django_db
def test_closing_records_the_time_and_ends_the_conversation(held_ticket, l1_agent, customer):
    from tierdesk.errors import Conflict
    from tierdesk.tickets.actions.conversation import add_message

    resolve_ticket(actor=l1_agent, ticket_id=held_ticket.pk, resolution="done")
    set_status(actor=l1_agent, ticket_id=held_ticket.pk, status="closed")
    held_ticket.refresh_from_db()
    assert held_ticket.closed_at is not None
    before = Event.objects.count()
    with pytest.raises(Conflict) as refusal:
        add_message(actor=customer, ticket_id=held_ticket.pk, body="one more thing")
    assert refusal.value.code == "ticket_closed"
    assert Event.objects.count() == before
