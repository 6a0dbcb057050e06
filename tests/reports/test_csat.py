"""Rating a resolution: who may, when, and what a refusal leaves behind (nothing)."""

from __future__ import annotations

import pytest

from tierdesk.errors import Conflict, InvalidInput, NotAllowed
from tierdesk.tickets.actions.satisfaction import rate_ticket
from tierdesk.tickets.actions.status import reopen_ticket, resolve_ticket
from tierdesk.tickets.errors import TicketNotFound
from tierdesk.tickets.models import Event, EventKind, SatisfactionRating

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(held_ticket, l1_agent):
    resolve_ticket(actor=l1_agent, ticket_id=held_ticket.pk, resolution="Reset the password")
    return held_ticket


def nothing_written(ticket) -> tuple[int, int]:
    return (
        SatisfactionRating.objects.filter(ticket=ticket).count(),
        Event.objects.filter(ticket=ticket, kind=EventKind.RATED).count(),
    )


def test_the_requester_rates_the_resolution_and_it_shows_on_the_timeline(resolved, customer):
    rating = rate_ticket(actor=customer, ticket_id=resolved.pk, score=4, comment=" Quick fix ")
    resolution = Event.objects.get(ticket=resolved, kind=EventKind.RESOLVED)
    assert (rating.score, rating.comment, rating.rated_by, rating.resolution) == (
        4,
        "Quick fix",
        customer,
        resolution,
    )
    event = Event.objects.get(ticket=resolved, kind=EventKind.RATED)
    assert event.actor == customer
    assert event.is_internal is False
    assert event.body == "Quick fix"
    assert event.data == {"score": 4, "resolution_event": resolution.pk, "tier": 1}


def test_a_second_rating_of_the_same_resolution_is_refused(resolved, customer, colleague):
    rate_ticket(actor=customer, ticket_id=resolved.pk, score=4)
    for person in (customer, colleague):
        with pytest.raises(Conflict) as refused:
            rate_ticket(actor=person, ticket_id=resolved.pk, score=1)
        assert refused.value.code == "already_rated"
        assert refused.value.status == 409
    assert nothing_written(resolved) == (1, 1)


def test_a_new_resolution_after_a_reopen_can_be_rated_again(resolved, customer, l1_agent):
    rate_ticket(actor=customer, ticket_id=resolved.pk, score=2)
    reopen_ticket(actor=customer, ticket_id=resolved.pk, reason="Broken again")
    with pytest.raises(Conflict) as refused:
        rate_ticket(actor=customer, ticket_id=resolved.pk, score=3)
    assert refused.value.code == "ticket_not_resolved"
    resolve_ticket(actor=l1_agent, ticket_id=resolved.pk, resolution="Replaced the token")
    second = rate_ticket(actor=customer, ticket_id=resolved.pk, score=5)
    assert second.resolution == (
        Event.objects.filter(ticket=resolved, kind=EventKind.RESOLVED).order_by("-id").first()
    )
    assert nothing_written(resolved) == (2, 2)


@pytest.mark.parametrize("score", [0, 6, -1, 4.5, "5", True, None])
def test_a_score_outside_1_to_5_is_refused(resolved, customer, score):
    with pytest.raises(InvalidInput) as refused:
        rate_ticket(actor=customer, ticket_id=resolved.pk, score=score)
    assert refused.value.status == 422
    assert refused.value.field == "score"
    assert nothing_written(resolved) == (0, 0)


def test_an_agent_cannot_rate(resolved, l1_agent, supervisor):
    for agent in (l1_agent, supervisor):
        with pytest.raises(NotAllowed) as refused:
            rate_ticket(actor=agent, ticket_id=resolved.pk, score=5)
        assert refused.value.status == 403
    assert nothing_written(resolved) == (0, 0)


def test_a_colleague_rates_when_the_organization_shares_its_tickets(resolved, colleague):
    assert rate_ticket(actor=colleague, ticket_id=resolved.pk, score=3).rated_by == colleague


def test_a_colleague_cannot_when_each_customer_sees_only_their_own(
    resolved, colleague, organization
):
    organization.customers_see_all_tickets = False
    organization.save()
    with pytest.raises(TicketNotFound):
        rate_ticket(actor=colleague, ticket_id=resolved.pk, score=3)
    assert nothing_written(resolved) == (0, 0)


def test_another_organizations_customer_cannot_even_see_it(resolved, other_org_customer):
    with pytest.raises(TicketNotFound):
        rate_ticket(actor=other_org_customer, ticket_id=resolved.pk, score=3)
    assert nothing_written(resolved) == (0, 0)


def test_an_unresolved_ticket_cannot_be_rated(held_ticket, customer):
    with pytest.raises(Conflict) as refused:
        rate_ticket(actor=customer, ticket_id=held_ticket.pk, score=5)
    assert refused.value.code == "ticket_not_resolved"
    assert nothing_written(held_ticket) == (0, 0)


def test_a_closed_ticket_keeps_its_resolution_rateable(resolved, customer, l1_agent):
    from tierdesk.tickets.actions.status import set_status

    set_status(actor=l1_agent, ticket_id=resolved.pk, status="closed")
    assert rate_ticket(actor=customer, ticket_id=resolved.pk, score=5).score == 5


def test_a_long_or_binary_comment_is_refused(resolved, customer):
    for comment in ("x" * 5001, "bad\x00byte", 42):
        with pytest.raises(InvalidInput):
            rate_ticket(actor=customer, ticket_id=resolved.pk, score=5, comment=comment)
    assert nothing_written(resolved) == (0, 0)
