"""The ticket endpoints: the contract tools and integrations rely on."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.escalation import escalate_ticket
from tierdesk.tickets.models import Ticket

NEW_TICKET = {"subject": "Email tidak bisa kirim", "description": "Outbox tertahan sejak pagi."}


@pytest.mark.django_db
def test_customer_creates_a_ticket_for_themselves(api_as, customer):
    response = api_as(customer).post(
        "/tickets", {**NEW_TICKET, "impact": "medium", "urgency": "high"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["requester"] == "customer"
    assert body["organization"] == "contoh"
    assert body["channel"] == "api"
    assert body["priority"] == "P2"
    assert body["tier"] == 1
    assert body["tier_name"]
    assert body["allowed_statuses"] == ["open", "pending", "on_hold", "resolved"]
    assert Ticket.objects.get(pk=body["id"]).subject == NEW_TICKET["subject"]


@pytest.mark.django_db
def test_agent_creates_on_behalf_of_a_requester(api_as, l1_agent, customer):
    response = api_as(l1_agent).post(
        "/tickets", {**NEW_TICKET, "requester": "customer", "channel": "phone", "priority": "P1"}
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["requester"], response.json()["channel"]) == ("customer", "phone")


@pytest.mark.django_db
def test_customer_cannot_name_another_requester(api_as, customer, colleague):
    response = api_as(customer).post("/tickets", {**NEW_TICKET, "requester": "colleague"})
    assert response.status_code == 403
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_idempotency_key_returns_the_first_ticket_on_retry(api_as, customer):
    client = api_as(customer)
    first = client.post("/tickets", NEW_TICKET, **{"Idempotency-Key": "retry-1"})
    again = client.post("/tickets", NEW_TICKET, **{"Idempotency-Key": "retry-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Ticket.objects.count() == 1
    other = client.post("/tickets", NEW_TICKET, **{"Idempotency-Key": "retry-2"})
    assert other.json()["id"] != first.json()["id"]


@pytest.mark.django_db
def test_idempotency_key_reused_for_a_different_ticket_is_refused(api_as, customer):
    client = api_as(customer)
    client.post("/tickets", NEW_TICKET, **{"Idempotency-Key": "k"})
    response = client.post(
        "/tickets", {**NEW_TICKET, "subject": "Something else"}, **{"Idempotency-Key": "k"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_idempotency_keys_belong_to_their_caller(api_as, customer, colleague):
    first = api_as(customer).post("/tickets", NEW_TICKET, **{"Idempotency-Key": "same"})
    second = api_as(colleague).post("/tickets", NEW_TICKET, **{"Idempotency-Key": "same"})
    assert first.json()["id"] != second.json()["id"]


@pytest.fixture
def spread(make_ticket, customer, other_org_customer, l1_agent, supervisor, teams):
    """Tickets in different tiers, teams, statuses and organizations."""
    handoff = {"reason": "r", "tried": ["t"], "findings": "f"}
    made = {
        "vpn": make_ticket(
            subject="VPN putus-putus", description="Sejak update Windows", priority="P2"
        ),
        "printer": make_ticket(subject="Printer offline", description="Lantai 2", channel="web"),
        "foreign": make_ticket(other_org_customer, subject="Invoice question", description="Q3"),
        "network": make_ticket(subject="Switch mati", description="Ruang server", priority="P1"),
    }
    escalate_ticket(
        actor=supervisor, ticket_id=made["network"].pk, to_tier=2, team="l2-network", **handoff
    )
    assign_ticket(actor=l1_agent, ticket_id=made["vpn"].pk, assignee="me")
    return made


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.django_db
def test_list_filters(api_as, supervisor, spread):
    client = api_as(supervisor)
    assert set(ids(client.get("/tickets", {"tier": 2}))) == {spread["network"].pk}
    assert ids(client.get("/tickets", {"team": "l2-network"})) == [spread["network"].pk]
    assert ids(client.get("/tickets", {"assignee": "agent1"})) == [spread["vpn"].pk]
    assert set(ids(client.get("/tickets", {"assignee": "none"}))) == {
        spread["printer"].pk,
        spread["foreign"].pk,
        spread["network"].pk,
    }
    assert ids(client.get("/tickets", {"organization": "sample"})) == [spread["foreign"].pk]
    assert ids(client.get("/tickets", {"priority": "P1"})) == [spread["network"].pk]
    assert ids(client.get("/tickets", {"channel": "web"})) == [spread["printer"].pk]
    assert ids(client.get("/tickets", {"status": "open"})) == [spread["vpn"].pk]
    index_tickets_now()
    assert ids(client.get("/tickets", {"q": "windows"})) == [spread["vpn"].pk]
    assert ids(client.get("/tickets", {"q": spread["printer"].number})) == [spread["printer"].pk]


def index_tickets_now() -> None:
    """What the worker's periodic ticket indexing would have done by now."""
    from tierdesk.kb.indexing import TICKET, reindex

    reindex(kinds=[TICKET])


@pytest.mark.django_db
def test_text_filter_uses_the_search_index_words_and_stems(api_as, supervisor, spread):
    index_tickets_now()
    client = api_as(supervisor)
    # Words in any order and form, in subject or description; not a substring match.
    assert ids(client.get("/tickets", {"q": "windows update"})) == [spread["vpn"].pk]
    assert ids(client.get("/tickets", {"q": "switch"})) == [spread["network"].pk]
    assert ids(client.get("/tickets", {"q": "zzzqqq"})) == []
    # Combined with the other filters.
    assert ids(client.get("/tickets", {"q": "switch", "tier": 1})) == []


@pytest.mark.django_db
def test_text_filter_keeps_visibility(api_as, customer, other_org_customer, l1_agent, spread):
    index_tickets_now()
    assert ids(api_as(customer).get("/tickets", {"q": "invoice"})) == []
    assert ids(api_as(other_org_customer).get("/tickets", {"q": "invoice"})) == [
        spread["foreign"].pk
    ]
    # The L1 agent never worked on the ticket escalated to L2 network.
    assert ids(api_as(l1_agent).get("/tickets", {"q": "switch"})) == []


@pytest.mark.django_db
def test_count_is_exact_up_to_the_limit_then_says_at_least(api_as, supervisor, spread, monkeypatch):
    client = api_as(supervisor)
    page = client.get("/tickets", {"page_size": 1}).json()
    assert (page["count"], page["count_is_exact"]) == (4, True)

    monkeypatch.setattr("tierdesk.tickets.queues.COUNT_LIMIT", 3)
    page = client.get("/tickets", {"page_size": 1}).json()
    assert (page["count"], page["count_is_exact"]) == (3, False)
    assert len(page["items"]) == 1
    # The pages past the counted ones still come.
    assert len(client.get("/tickets", {"page_size": 1, "page": 4}).json()["items"]) == 1


@pytest.mark.django_db
def test_list_is_newest_first_paginated_and_counts_everything(api_as, supervisor, spread):
    client = api_as(supervisor)
    everything = sorted((t.pk for t in spread.values()), reverse=True)
    first = client.get("/tickets", {"page_size": 3})
    assert ids(first) == everything[:3]
    assert first.json()["count"] == 4
    assert ids(client.get("/tickets", {"page_size": 3, "page": 2})) == everything[3:]
    assert ids(client.get("/tickets", {"ordering": "created_at"})) == sorted(everything)
    assert ids(client.get("/tickets", {"ordering": "priority"}))[0] == spread["network"].pk


@pytest.mark.django_db
def test_list_only_shows_what_the_caller_may_see(api_as, customer, other_org_customer, spread):
    assert spread["foreign"].pk not in ids(api_as(customer).get("/tickets"))
    assert ids(api_as(other_org_customer).get("/tickets")) == [spread["foreign"].pk]


@pytest.mark.django_db
def test_list_page_costs_the_same_queries_whatever_its_length(api_as, supervisor, make_ticket):
    client = api_as(supervisor)
    client.get("/tickets")  # the token's first use is recorded once; leave it out of the count

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/tickets", {"page_size": 50}).status_code == 200
        return len(captured)

    make_ticket()
    few = queries_for_page()
    for _ in range(10):
        make_ticket()
    assert queries_for_page() == few
    assert few <= 4  # token lookup, count, page


@pytest.mark.django_db
def test_detail_includes_the_handoffs_newest_first(api_as, held_ticket, l1_agent, l2_agent):
    escalate_ticket(
        actor=l1_agent,
        ticket_id=held_ticket.pk,
        to_tier=2,
        reason="Needs L2",
        tried=["Restarted the client"],
        findings="Server refuses the certificate",
    )
    body = api_as(l2_agent).get(f"/tickets/{held_ticket.pk}").json()
    assert body["escalation_count"] == 1
    assert body["handoffs"] == [
        {
            "kind": "ticket.escalated",
            "from_tier": 1,
            "to_tier": 2,
            "from_team": None,
            "to_team": None,
            "reason": "Needs L2",
            "tried": ["Restarted the client"],
            "findings": "Server refuses the certificate",
            "instructions": None,
            "note": None,
            "by": "agent1",
            "at": body["handoffs"][0]["at"],
        }
    ]


@pytest.mark.django_db
def test_messages_and_notes_through_the_api(api_as, held_ticket, l1_agent, customer):
    agent = api_as(l1_agent)
    note = agent.post(f"/tickets/{held_ticket.pk}/messages", {"body": "check AD", "internal": True})
    reply = agent.post(f"/tickets/{held_ticket.pk}/messages", {"body": "Sudah kami reset."})
    assert note.status_code == reply.status_code == 201
    assert (note.json()["type"], note.json()["internal"]) == ("message.note", True)
    assert (reply.json()["type"], reply.json()["internal"]) == ("message.reply", False)
    customer_timeline = api_as(customer).get(f"/tickets/{held_ticket.pk}/timeline").json()
    bodies = [event["body"] for event in customer_timeline]
    assert "Sudah kami reset." in bodies
    assert "check AD" not in bodies


@pytest.mark.django_db
def test_assign_take_and_release(api_as, ticket, l1_agent):
    client = api_as(l1_agent)
    taken = client.post(f"/tickets/{ticket.pk}/assign", {"assignee": "me"})
    assert (taken.json()["assignee"], taken.json()["status"]) == ("agent1", "open")
    released = client.post(f"/tickets/{ticket.pk}/assign", {"assignee": None})
    assert released.json()["assignee"] is None


@pytest.mark.django_db
def test_deescalate_transfer_status_resolve_reopen_priority_and_category(
    api_as, held_ticket, l1_agent, l2_agent, customer, teams, category
):
    l1, l2 = api_as(l1_agent), api_as(l2_agent)
    path = f"/tickets/{held_ticket.pk}"
    assert (
        l1.post(
            path + "/escalate",
            {"to_tier": 2, "team": "l2-network", "reason": "r", "tried": ["a"], "findings": "f"},
        ).status_code
        == 200
    )
    assert l2.post(path + "/assign", {"assignee": "me"}).status_code == 200
    moved = l2.post(path + "/transfer", {"team": "l2-hosting", "note": "web server issue"})
    assert moved.json()["team"] == "l2-hosting"
    assert l2.post(path + "/assign", {"assignee": "me"}).status_code == 200
    down = l2.post(path + "/deescalate", {"to_tier": 1, "instructions": "Ask for a screenshot"})
    assert (down.json()["tier"], down.json()["handoffs"][0]["instructions"]) == (
        1,
        "Ask for a screenshot",
    )
    assert l1.post(path + "/status", {"status": "pending", "note": "asked"}).json()["status"] == (
        "pending"
    )
    assert l1.post(path + "/priority", {"priority": "P1"}).json()["priority"] == "P1"
    assert l1.post(path + "/category", {"category": "akun"}).json()["category"] == "akun"
    resolved = l1.post(path + "/resolve", {"resolution": "Cleared the cache"})
    assert (resolved.json()["status"], resolved.json()["resolved_tier"]) == ("resolved", 1)
    reopened = api_as(customer).post(path + "/reopen", {"reason": "Not fixed"})
    assert (reopened.json()["status"], reopened.json()["resolved_tier"]) == ("open", None)
    kinds = [event["type"] for event in l1.get(path + "/timeline").json()]
    assert kinds.count("ticket.field_changed") == 2
    assert "ticket.transferred" in kinds
    assert "ticket.deescalated" in kinds


@pytest.mark.django_db
def test_customers_cannot_work_tickets(api_as, ticket, customer):
    client = api_as(customer)
    for verb, body in [
        ("assign", {"assignee": "me"}),
        ("status", {"status": "open"}),
        ("resolve", {"resolution": "self-service"}),
        ("priority", {"priority": "P1"}),
    ]:
        response = client.post(f"/tickets/{ticket.pk}/{verb}", body)
        assert response.status_code == 403, verb
        assert response.json()["code"] == "staff_only"
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee, ticket.priority) == ("new", None, "P3")


@pytest.mark.django_db
@pytest.mark.parametrize("to_tier", [True, "2", 2.0])
def test_tier_numbers_must_be_numbers(api_as, held_ticket, l1_agent, to_tier):
    response = api_as(l1_agent).post(
        f"/tickets/{held_ticket.pk}/escalate",
        {"to_tier": to_tier, "reason": "r", "tried": ["t"], "findings": "f"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "to_tier"
    held_ticket.refresh_from_db()
    assert held_ticket.tier.level == 1
