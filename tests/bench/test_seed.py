"""The bench data set is what the ticket actions would have written, only written in bulk."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from tierdesk.operations.bench.seed import Seeder, bench_data_present
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.escalation import (
    deescalate_ticket,
    escalate_ticket,
    transfer_ticket,
)
from tierdesk.tickets.actions.status import resolve_ticket, set_status
from tierdesk.tickets.lifecycle import ACTIVE_STATUSES
from tierdesk.tickets.models import Event, EventKind, Ticket, TierPeriod

SEEDED = 1200


def shapes(events) -> dict[str, set[tuple]]:
    """Per event kind: the (data keys, internal) combinations that occur."""
    found: dict[str, set[tuple]] = defaultdict(set)
    for kind, data, internal in events:
        found[kind].add((tuple(sorted(data)), internal))
    return found


@pytest.fixture
def seeded(db):
    totals = Seeder(tickets=SEEDED, seed=3).run(progress=lambda line: None)
    return totals


@pytest.mark.django_db
def test_seed_writes_tickets_events_and_periods(seeded):
    assert bench_data_present()
    assert seeded["tickets"] == Ticket.objects.count() == SEEDED
    assert seeded["events"] == Event.objects.count()
    assert seeded["tier_periods"] == TierPeriod.objects.count()
    assert seeded["rows_per_second"] > 0


@pytest.mark.django_db
def test_the_seeded_history_is_not_mailed_but_what_follows_is(seeded, customer):
    from tierdesk.channels.email import outbound
    from tierdesk.channels.models import Notification
    from tierdesk.tickets.actions.opening import open_ticket

    assert outbound.collect() == 0
    open_ticket(actor=customer, subject="Printer macet", description="Kertas tersangkut.")
    assert outbound.collect() > 0
    assert Notification.objects.filter(kind="received", recipient=customer).count() == 1


@pytest.mark.django_db
def test_seeded_events_have_the_shapes_the_actions_write(
    teams, make_ticket, customer, l1_agent, l2_agent, l3_agent, supervisor, seeded
):
    ticket = make_ticket()
    pk = ticket.pk
    assign_ticket(actor=l1_agent, ticket_id=pk, assignee="me")
    add_message(actor=l1_agent, ticket_id=pk, body="checked", is_internal=True)
    add_message(actor=l1_agent, ticket_id=pk, body="please try again")
    set_status(actor=l1_agent, ticket_id=pk, status="pending")
    add_message(actor=customer, ticket_id=pk, body="still broken")
    handoff = {"reason": "r", "tried": ["t"], "findings": "f"}
    escalate_ticket(actor=l1_agent, ticket_id=pk, to_tier=2, team="l2-network", **handoff)
    transfer_ticket(actor=supervisor, ticket_id=pk, team="l2-hosting", note="hosting")
    deescalate_ticket(actor=supervisor, ticket_id=pk, to_tier=1, instructions="ask again")
    escalate_ticket(actor=supervisor, ticket_id=pk, to_tier=3, team="l3-engineering", **handoff)
    assign_ticket(actor=l3_agent, ticket_id=pk, assignee="me")
    set_status(actor=l3_agent, ticket_id=pk, status="on_hold", note="vendor")
    set_status(actor=l3_agent, ticket_id=pk, status="open")
    resolve_ticket(actor=l3_agent, ticket_id=pk, resolution="patched")
    add_message(actor=customer, ticket_id=pk, body="back again")  # reopens
    resolve_ticket(actor=l3_agent, ticket_id=pk, resolution="patched again")
    set_status(actor=l3_agent, ticket_id=pk, status="closed")

    real = shapes(Event.objects.filter(ticket_id=pk).values_list("kind", "data", "is_internal"))
    bulk = shapes(Event.objects.exclude(ticket_id=pk).values_list("kind", "data", "is_internal"))
    assert set(bulk) == set(real)
    for kind, combinations in bulk.items():
        assert combinations <= real[kind], kind


@pytest.mark.django_db
def test_seeded_tickets_are_consistent_with_their_timelines(seeded):
    events = defaultdict(list)
    for event in Event.objects.order_by("created_at", "id").values(
        "ticket_id", "kind", "data", "created_at"
    ):
        events[event["ticket_id"]].append(event)
    periods = defaultdict(list)
    for period in TierPeriod.objects.select_related("tier", "team").order_by("started_at", "id"):
        periods[period.ticket_id].append(period)
    for ticket in Ticket.objects.select_related("tier", "team", "resolved_tier"):
        timeline = events[ticket.pk]
        kinds = Counter(event["kind"] for event in timeline)
        assert timeline[0]["kind"] == EventKind.OPENED
        assert timeline[0]["created_at"] == ticket.created_at
        assert timeline[-1]["created_at"] == ticket.updated_at
        assert ticket.escalation_count == kinds[EventKind.ESCALATED]
        moves = kinds[EventKind.ESCALATED] + kinds[EventKind.DEESCALATED]
        moves += kinds[EventKind.TRANSFERRED] + kinds[EventKind.REOPENED]
        assert len(periods[ticket.pk]) == 1 + moves
        open_periods = [p for p in periods[ticket.pk] if p.ended_at is None]
        if ticket.status in ACTIVE_STATUSES:
            assert [(p.tier, p.team) for p in open_periods] == [(ticket.tier, ticket.team)]
            assert ticket.resolved_tier is None
        else:
            assert open_periods == []
            resolved = [e for e in timeline if e["kind"] == EventKind.RESOLVED][-1]
            assert resolved["data"]["tier"] == ticket.resolved_tier.level == ticket.tier.level
            assert ticket.resolved_at == resolved["created_at"]
        if ticket.status == "closed":
            assert ticket.closed_at == ticket.updated_at
        statuses = [e["data"]["to"] for e in timeline if e["kind"] == EventKind.STATUS_CHANGED]
        assert (statuses[-1] if statuses else "new") == ticket.status


@pytest.mark.django_db
def test_most_tickets_are_resolved_at_l1_and_some_at_every_tier(seeded):
    resolved = Counter(
        Ticket.objects.filter(resolved_tier__isnull=False).values_list(
            "resolved_tier__level", flat=True
        )
    )
    total = sum(resolved.values())
    assert 0.65 < resolved[1] / total < 0.85
    assert resolved[2] > 0
    assert resolved[3] > 0
    languages = Counter(Ticket.objects.values_list("requester__language", flat=True))
    assert languages["id"] > 0
    assert languages["en"] > 0


@pytest.mark.django_db
def test_seeded_articles_are_published_translated_and_found_by_the_right_people(seeded):
    from tierdesk.accounts.models import User
    from tierdesk.kb.models import Article, ArticleStatus, ArticleVersion, Visibility
    from tierdesk.kb.queries import search_articles
    from tierdesk.operations.bench.articles import bench_articles_present, seed_articles

    assert not bench_articles_present()
    totals = seed_articles(count=60, seed=3, progress=lambda line: None)

    assert totals["articles"] == Article.objects.count() == 60
    assert bench_articles_present()
    assert set(Article.objects.values_list("status", flat=True)) == {ArticleStatus.PUBLISHED}
    assert set(Article.objects.values_list("language", flat=True)) == {"id", "en"}
    visibilities = Counter(Article.objects.values_list("visibility", flat=True))
    assert visibilities[Visibility.PUBLIC] > visibilities[Visibility.INTERNAL] > 0
    groups = Counter(Article.objects.values_list("translation_group", flat=True))
    assert set(groups.values()) == {2}  # every article has its translation
    assert ArticleVersion.objects.count() == 60
    customer = User.objects.filter(username__startswith="bench-c").first()
    agent = User.objects.get(username="bench-l1-01")
    found_by_customer = search_articles(customer, "password", limit=50).items
    found_by_agent = search_articles(agent, "password", limit=50).items
    assert found_by_customer, "public articles are in the search index"
    public = set(Article.objects.filter(visibility=Visibility.PUBLIC).values_list("pk", flat=True))
    assert {hit.id for hit in found_by_customer} <= public
    assert len(found_by_agent) >= len(found_by_customer)
