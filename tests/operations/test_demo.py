"""The demo data: loaded through the real actions, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tierdesk.accounts.models import Membership, User
from tierdesk.operations.demo import DEMO_ACCOUNTS, load_demo
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import Event, Ticket


@pytest.fixture
def demo(db, settings):
    settings.TIERDESK_DEMO_PASSWORD = "demo-test"
    call_command("demo", stdout=StringIO())


@pytest.mark.django_db
def test_demo_accounts_sign_in_with_their_roles(demo, client):
    for username, _role in DEMO_ACCOUNTS:
        assert User.objects.get(username=username).check_password("demo-test")
    customer = User.objects.get(username="customer")
    assert (customer.email, customer.organization.name) == (
        "customer@contoh.test",
        "PT Contoh Sejahtera",
    )
    customer2 = User.objects.get(username="customer2")
    assert customer2.email == "customer2@sample.test"
    assert customer2.organization.domains.get().domain == "sample.test"
    levels = {
        username: sorted(
            Membership.objects.filter(user__username=username).values_list("tier__level", flat=True)
        )
        for username in ("agent1", "agent2", "agent3", "solo")
    }
    assert levels == {"agent1": [1], "agent2": [2], "agent3": [3], "solo": [1, 2, 3]}
    assert User.objects.get(username="lead").role == "supervisor"
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_demo_tickets_spread_across_tiers_statuses_and_languages(demo):
    tickets = Ticket.objects.all()
    assert tickets.count() >= 30
    assert set(tickets.values_list("tier__level", flat=True)) == {1, 2, 3}
    statuses = set(tickets.values_list("status", flat=True))
    assert {Status.NEW, Status.OPEN, Status.PENDING, Status.RESOLVED, Status.CLOSED} <= statuses
    resolved_tiers = list(
        tickets.exclude(resolved_tier=None).values_list("resolved_tier__level", flat=True)
    )
    assert resolved_tiers.count(1) > len(resolved_tiers) / 2  # most are solved at L1
    escalations = Event.objects.filter(kind="ticket.escalated")
    assert escalations.count() >= 8
    assert all(event.data["tried"] and event.data["findings"] for event in escalations)
    assert tickets.filter(organization__slug="sample").exists()
    # Spread over past weeks, never in the future, each timeline in order.
    oldest = tickets.order_by("created_at").first()
    newest_event = Event.objects.order_by("-created_at").first()
    assert (newest_event.created_at - oldest.created_at).days >= 20
    for ticket in tickets:
        times = list(ticket.events.order_by("id").values_list("created_at", flat=True))
        assert times == sorted(times)
        assert times[0] == ticket.created_at


@pytest.mark.django_db
def test_loading_the_demo_again_keeps_the_data(demo):
    before = (Ticket.objects.count(), Event.objects.count(), User.objects.count())
    out = StringIO()
    call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (Ticket.objects.count(), Event.objects.count(), User.objects.count()) == before


@pytest.mark.django_db
def test_demo_load_is_all_or_nothing(monkeypatch):
    import tierdesk.operations.demo as demo_module

    broken = [
        *demo_module.DEMO_TICKETS,
        {**demo_module.DEMO_TICKETS[0], "story": [("fly", "agent1")]},
    ]
    monkeypatch.setattr(demo_module, "DEMO_TICKETS", broken)
    with pytest.raises(ValueError, match="fly"):
        load_demo(password="x")
    assert not Ticket.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_help_articles_are_published_in_both_languages_and_found(demo):
    from tierdesk.kb.models import Article
    from tierdesk.kb.queries import search_articles

    published = Article.objects.filter(status="published")
    assert published.filter(language="id").count() == published.filter(language="en").count() >= 4
    customer = User.objects.get(username="customer")
    hits = search_articles(customer, "lupa kata sandi", language="id").items
    assert hits
    assert hits[0].title == "Mengatur ulang kata sandi akun kantor"
