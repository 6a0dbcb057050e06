"""One ticket's whole journey through the tiers, as the API sees it."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_ticket_climbs_from_l1_to_l3_and_is_resolved_there(
    api_as, customer, l1_agent, l2_agent, l3_agent, teams
):
    as_customer, as_l1, as_l2, as_l3 = (api_as(u) for u in (customer, l1_agent, l2_agent, l3_agent))

    created = as_customer.post(
        "/tickets",
        {
            "subject": "Website kantor error 500 setelah update plugin",
            "description": "Sejak jam 9 pagi halaman depan menampilkan error 500.",
            "impact": "high",
            "urgency": "high",
        },
    )
    assert created.status_code == 201, created.json()
    ticket = created.json()
    ticket_id = ticket["id"]
    assert ticket["tier"] == 1
    assert ticket["status"] == "new"
    assert ticket["priority"] == "P1"
    assert ticket["number"] == f"TD-{ticket_id:06d}"

    # L1 takes it, answers, tries the basics and escalates with a handoff.
    assert as_l1.post(f"/tickets/{ticket_id}/assign", {"assignee": "me"}).status_code == 200
    assert (
        as_l1.post(
            f"/tickets/{ticket_id}/messages", {"body": "Kami sedang memeriksa situs Anda."}
        ).status_code
        == 201
    )
    escalated = as_l1.post(
        f"/tickets/{ticket_id}/escalate",
        {
            "to_tier": 2,
            "team": "l2-hosting",
            "reason": "Error 500 di server hosting, di luar wewenang L1",
            "tried": ["Cek status server", "Clear cache browser"],
            "findings": "Log menunjukkan PHP fatal error di plugin cache",
        },
    )
    assert escalated.status_code == 200, escalated.json()
    assert escalated.json()["tier"] == 2
    assert escalated.json()["team"] == "l2-hosting"
    assert escalated.json()["assignee"] is None

    # L2 sees L1's handoff on top of the ticket before doing anything.
    seen_by_l2 = as_l2.get(f"/tickets/{ticket_id}").json()
    handoff = seen_by_l2["handoffs"][0]
    assert handoff["from_tier"] == 1
    assert handoff["to_tier"] == 2
    assert handoff["tried"] == ["Cek status server", "Clear cache browser"]
    assert handoff["findings"] == "Log menunjukkan PHP fatal error di plugin cache"
    assert handoff["by"] == "agent1"

    assert as_l2.post(f"/tickets/{ticket_id}/assign", {"assignee": "me"}).status_code == 200
    to_l3 = as_l2.post(
        f"/tickets/{ticket_id}/escalate",
        {
            "to_tier": 3,
            "reason": "Bug in the plugin's cache layer; needs the vendor",
            "tried": ["Disabled the plugin", "Restored yesterday's backup on staging"],
            "findings": "Error reproduces with plugin 4.2 on PHP 8.3 only",
        },
    )
    assert to_l3.status_code == 200, to_l3.json()
    assert to_l3.json()["escalation_count"] == 2
    assert [h["to_tier"] for h in to_l3.json()["handoffs"]] == [3, 2]

    assert as_l3.post(f"/tickets/{ticket_id}/assign", {"assignee": "me"}).status_code == 200
    resolved = as_l3.post(
        f"/tickets/{ticket_id}/resolve",
        {"resolution": "Vendor patch 4.2.1 applied; site is back."},
    )
    assert resolved.status_code == 200, resolved.json()
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["resolved_tier"] == 3

    timeline = as_l3.get(f"/tickets/{ticket_id}/timeline").json()
    assert [event["type"] for event in timeline] == [
        "ticket.opened",
        "ticket.assigned",
        "ticket.status_changed",  # new -> open when L1 took it
        "message.reply",
        "ticket.escalated",
        "ticket.assigned",
        "ticket.escalated",
        "ticket.assigned",
        "ticket.status_changed",  # open -> resolved
        "ticket.resolved",
    ]

    # The customer sees the public story only: no handoffs, no assignments.
    customer_view = as_customer.get(f"/tickets/{ticket_id}/timeline").json()
    assert all(not event["internal"] for event in customer_view)
    assert "ticket.escalated" not in [event["type"] for event in customer_view]
    assert as_customer.get(f"/tickets/{ticket_id}").json()["handoffs"] == []


@pytest.mark.django_db
def test_tier_history_records_every_period_and_where_it_was_resolved(
    customer, solo_agent, make_ticket
):
    from tierdesk.tickets.actions.assignment import assign_ticket
    from tierdesk.tickets.actions.escalation import escalate_ticket
    from tierdesk.tickets.actions.status import resolve_ticket

    ticket = make_ticket()
    # A one-person shop escalating to itself still records each step.
    assign_ticket(actor=solo_agent, ticket_id=ticket.pk, assignee="me")
    escalate_ticket(
        actor=solo_agent, ticket_id=ticket.pk, to_tier=2, reason="r", tried=["a"], findings="f"
    )
    assign_ticket(actor=solo_agent, ticket_id=ticket.pk, assignee="me")
    resolve_ticket(actor=solo_agent, ticket_id=ticket.pk, resolution="fixed")

    periods = list(ticket.tier_periods.order_by("started_at", "id"))
    assert [(p.tier.level, p.end_reason) for p in periods] == [(1, "escalated"), (2, "resolved")]
    assert all(p.ended_at is not None for p in periods)
    assert periods[0].ended_at == periods[1].started_at
    ticket.refresh_from_db()
    assert ticket.resolved_tier.level == 2
