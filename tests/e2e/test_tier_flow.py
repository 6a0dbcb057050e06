"""The everyday flow in a real browser: a customer reports, L1 escalates, L2 resolves,
the customer reopens — in English and in Indonesian."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot, sign_in
from tierdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_customer_to_l1_to_l2_and_back(
    open_page, live_server, customer, l1_agent, l2_agent, teams, category
):
    # (1) The customer signs in, reports a problem and sees it handled by L1.
    portal = open_page()
    sign_in(portal, live_server, "customer", PASSWORD)
    expect(portal).to_have_url(re.compile(r"/portal/$"))
    portal.click("text=Report a problem")
    portal.fill("input[name=subject]", "Cannot reach the file server")
    portal.fill("textarea[name=description]", "Since 8:00 \\\\files01 asks for a password again.")
    portal.check("input[name=impact][value=medium]")
    portal.check("input[name=urgency][value=high]")
    screenshot(portal, "en-portal-new-ticket")
    portal.click("button:has-text('Send')")
    expect(portal.locator(".handled-by")).to_contain_text("Handled by: Level 1 – Service Desk")
    expect(portal.locator(".ticket-head .status")).to_have_text("Received")
    screenshot(portal, "en-portal-ticket")
    ticket = Ticket.objects.get(subject="Cannot reach the file server")
    assert ticket.priority == "P2"

    # (2) agent1 finds it in the L1 queue, takes it, and the empty handoff is refused.
    desk = open_page()
    sign_in(desk, live_server, "agent1", PASSWORD)
    expect(desk).to_have_url(re.compile(r"/desk/queues/tier-1/$"))
    screenshot(desk, "en-desk-queue")
    desk.click(f"text={ticket.number}")
    desk.click("button:has-text('Take it')")
    expect(desk.locator(".facts")).to_contain_text("agent1")
    escalate = desk.locator("form.escalate")
    escalate.locator("select[name=to_tier]").select_option("2")
    escalate.locator("textarea[name=reason]").fill("Needs the file server team")
    escalate.locator("textarea[name=findings]").fill("Kerberos ticket expired for every user")
    escalate.locator("button[type=submit]").click()
    expect(desk.locator("form.escalate .error")).to_contain_text(
        "List at least one step already tried"
    )
    screenshot(desk, "en-desk-escalation-refused")
    ticket.refresh_from_db()
    assert ticket.tier.level == 1
    escalate = desk.locator("form.escalate")
    escalate.locator("select[name=to_tier]").select_option("2")
    escalate.locator("textarea[name=tried]").fill(
        "Restarted the client\nCleared cached credentials"
    )
    escalate.locator("button[type=submit]").click()
    expect(desk.locator(".flash")).to_contain_text("escalated")
    ticket.refresh_from_db()
    assert (ticket.tier.level, ticket.escalation_count) == (2, 1)

    # (3) agent2 sees L1's handoff on top and resolves the ticket.
    level2 = open_page()
    sign_in(level2, live_server, "agent2", PASSWORD)
    level2.goto(f"{live_server.url}/desk/tickets/{ticket.pk}/")
    handoff = level2.locator(".handoff")
    expect(handoff).to_contain_text("Escalated from L1 to L2")
    expect(handoff).to_contain_text("agent1")
    expect(handoff).to_contain_text("Cleared cached credentials")
    expect(handoff).to_contain_text("Kerberos ticket expired")
    screenshot(level2, "en-desk-ticket-handoff")
    level2.click("button:has-text('Take it')")
    level2.fill("textarea[name=resolution]", "Renewed the server's keytab; please sign in again.")
    level2.click("form:has(textarea[name=resolution]) button[type=submit]")
    expect(level2.locator(".ticket-head .status")).to_have_text("Resolved")

    # (4) The customer sees it resolved and reopens it.
    portal.reload()
    expect(portal.locator(".ticket-head .status")).to_have_text("Resolved")
    expect(portal.locator(".timeline")).to_contain_text("Renewed the server's keytab")
    expect(portal.locator(".timeline")).not_to_contain_text("Kerberos ticket expired")
    portal.fill("textarea[name=reason]", "It asks for the password again.")
    portal.click("button:has-text('Reopen the ticket')")
    expect(portal.locator(".ticket-head .status")).to_have_text("Being worked on")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolved_tier) == ("open", None)


def test_the_same_pages_speak_indonesian_to_an_indonesian_browser(
    open_page, live_server, colleague, l1_agent, category
):
    # colleague has no language on the profile: the browser's Accept-Language decides.
    portal = open_page(locale="id-ID")
    sign_in(portal, live_server, "colleague", PASSWORD)
    expect(portal.locator("html")).to_have_attribute("lang", "id")
    portal.goto(f"{live_server.url}/portal/new/")
    expect(portal.locator("h1")).to_have_text("Laporkan masalah")
    portal.fill("input[name=subject]", "Printer lantai 3 tidak bisa mencetak")
    portal.fill("textarea[name=description]", "Muncul pesan 'offline' sejak pagi.")
    portal.click("main button.primary")
    expect(portal.locator(".handled-by")).to_contain_text(
        "Ditangani oleh: Level 1 – Layanan Bantuan"
    )
    expect(portal.locator(".ticket-head .status")).to_have_text("Diterima")
    screenshot(portal, "id-portal-ticket")

    desk = open_page(locale="id-ID")
    l1_agent.language = ""
    l1_agent.save()
    sign_in(desk, live_server, "agent1", PASSWORD)
    expect(desk.locator("nav.sidebar")).to_contain_text("Tiket saya")
    desk.click("text=Printer lantai 3")
    expect(desk.locator("form.escalate h3")).to_have_text("Eskalasi")
    screenshot(desk, "id-desk-ticket")

    # The switcher changes the language and remembers it on the profile.
    desk.select_option("#language-choice", "en")
    expect(desk.locator("html")).to_have_attribute("lang", "en")
    l1_agent.refresh_from_db()
    assert l1_agent.language == "en"


def test_a_customer_cannot_open_another_organizations_ticket_by_url(
    open_page, live_server, make_ticket, customer, other_org_customer
):
    foreign = make_ticket(other_org_customer, subject="Sample's private problem")
    page = open_page()
    sign_in(page, live_server, "customer", PASSWORD)
    response = page.goto(f"{live_server.url}/portal/tickets/{foreign.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Not found")
    expect(page.locator("body")).not_to_contain_text("Sample's private problem")
