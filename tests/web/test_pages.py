"""The desk and portal pages: thin views over actions, refusals shown inline, nothing changed
by a bad or forged request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.models import Event, Ticket


@pytest.fixture
def as_user(db):
    def make(user, **kwargs) -> Client:
        client = Client(**kwargs)
        client.force_login(user)
        return client

    return make


def state(ticket: Ticket) -> tuple:
    ticket.refresh_from_db()
    return (ticket.status, ticket.tier_id, ticket.assignee_id, Event.objects.count())


@pytest.mark.django_db
def test_home_sends_each_person_to_their_place(client, as_user, customer, l1_agent):
    assert client.get("/").url == "/login/"
    assert as_user(customer).get("/").url == "/portal/"
    assert as_user(l1_agent).get("/").url == "/desk/"
    assert as_user(customer).get("/desk/").url == "/portal/"
    assert as_user(l1_agent).get("/portal/").url == "/desk/"


@pytest.mark.django_db
def test_empty_handoff_is_refused_inline_and_changes_nothing(as_user, held_ticket, l1_agent):
    before = state(held_ticket)
    response = as_user(l1_agent).post(
        f"/desk/tickets/{held_ticket.pk}/escalate/",
        {"to_tier": "2", "reason": "Needs L2", "tried": "  \n ", "findings": "Nothing works"},
    )
    assert response.status_code == 422
    assert "List at least one step already tried" in response.content.decode()
    assert state(held_ticket) == before


@pytest.mark.django_db
def test_escalation_by_a_non_holder_shows_the_reason(as_user, held_ticket, second_l1_agent):
    before = state(held_ticket)
    response = as_user(second_l1_agent).post(
        f"/desk/tickets/{held_ticket.pk}/escalate/",
        {"to_tier": "2", "reason": "r", "tried": "a", "findings": "f"},
    )
    assert response.status_code == 403
    assert "Take it first" in response.content.decode()
    assert state(held_ticket) == before


@pytest.mark.django_db
def test_over_long_and_empty_fields_are_refused(as_user, customer):
    client = as_user(customer)
    too_long = client.post(
        "/portal/new/",
        {"subject": "x" * 201, "description": "d", "impact": "low", "urgency": "low"},
    )
    empty = client.post("/portal/new/", {"subject": "", "description": "", "impact": "low"})
    assert too_long.status_code == empty.status_code == 422
    assert "at most 200 characters" in too_long.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_html_in_text_is_shown_as_text(as_user, customer, l1_agent):
    response = as_user(customer).post(
        "/portal/new/",
        {
            "subject": "<img src=x onerror=alert(1)>",
            "description": "<script>alert('x')</script>",
            "impact": "low",
            "urgency": "low",
        },
    )
    ticket = Ticket.objects.get()
    for client, url in (
        (as_user(customer), response.url),
        (as_user(l1_agent), f"/desk/tickets/{ticket.pk}/"),
        (as_user(l1_agent), "/desk/queues/tier-1/"),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.django_db
def test_forged_form_posts_are_refused_without_changes(held_ticket, l1_agent, customer):
    agent = Client(enforce_csrf_checks=True)
    agent.force_login(l1_agent)
    before = state(held_ticket)
    response = agent.post(
        f"/desk/tickets/{held_ticket.pk}/resolve/", {"resolution": "forged from another site"}
    )
    assert response.status_code == 403
    assert "Nothing was changed" in response.content.decode()
    assert state(held_ticket) == before


@pytest.mark.django_db
def test_invisible_tickets_are_404_for_pages_and_posts(
    as_user, make_ticket, customer, other_org_customer, l2_agent
):
    foreign = make_ticket(other_org_customer)
    before = state(foreign)
    assert as_user(customer).get(f"/portal/tickets/{foreign.pk}/").status_code == 404
    assert (
        as_user(customer)
        .post(f"/portal/tickets/{foreign.pk}/reply/", {"body": "hello"})
        .status_code
        == 404
    )
    assert as_user(l2_agent).get(f"/desk/tickets/{foreign.pk}/").status_code == 404
    assert (
        as_user(l2_agent)
        .post(f"/desk/tickets/{foreign.pk}/resolve/", {"resolution": "x"})
        .status_code
        == 404
    )
    assert state(foreign) == before


@pytest.mark.django_db
def test_customers_never_see_internal_notes_or_handoffs(as_user, held_ticket, l1_agent, customer):
    from tierdesk.tickets.actions.conversation import add_message
    from tierdesk.tickets.actions.escalation import escalate_ticket

    add_message(actor=l1_agent, ticket_id=held_ticket.pk, body="SECRET-NOTE", is_internal=True)
    escalate_ticket(
        actor=l1_agent,
        ticket_id=held_ticket.pk,
        to_tier=2,
        reason="SECRET-REASON",
        tried=["SECRET-STEP"],
        findings="SECRET-FINDING",
    )
    page = as_user(customer).get(f"/portal/tickets/{held_ticket.pk}/").content.decode()
    assert "SECRET" not in page
    assert "Handled by: Level 2" in page
    desk_page = as_user(l1_agent).get(f"/desk/tickets/{held_ticket.pk}/").content.decode()
    assert "SECRET-NOTE" in desk_page
    assert "SECRET-STEP" in desk_page


@pytest.mark.django_db
def test_queue_page_partial_refresh_keeps_filters(as_user, make_ticket, l1_agent):
    make_ticket(subject="VPN drops", priority="P1")
    make_ticket(subject="Printer jam", priority="P4")
    client = as_user(l1_agent)
    partial = client.get(
        "/desk/queues/tier-1/", {"priority": "P1"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "VPN drops" in partial
    assert "Printer jam" not in partial
    assert "<html" not in partial  # only the table is swapped


@pytest.mark.django_db
def test_queue_rows_show_place_assignee_and_the_nearest_deadline(as_user, make_ticket, l1_agent):
    late = make_ticket(subject="Server down")
    soon = make_ticket(subject="Mouse broken")
    now = timezone.now()
    Ticket.objects.filter(pk=late.pk).update(
        first_responded_at=now,
        resolution_due=now - timedelta(hours=3),
        tier_due=now + timedelta(hours=1),
        assignee=l1_agent,
    )
    Ticket.objects.filter(pk=soon.pk).update(
        first_response_due=now + timedelta(hours=5, minutes=1),
        first_response_warn_at=now - timedelta(minutes=1),
        resolution_due=now + timedelta(days=2),
        # Opening set a tier target in business hours, which at some times of day falls
        # before the first response: put it after, so the first response is the nearest.
        tier_due=now + timedelta(days=3),
    )
    page = as_user(l1_agent).get("/desk/queues/tier-1/").content.decode()
    row = page[page.index("Server down") : page.index("</tr>", page.index("Server down"))]
    assert l1_agent.username in row
    assert "<td>L1</td>" in row
    assert 'class="sla sla-breached"' in row
    assert "3\xa0hours over" in row
    row = page[page.index("Mouse broken") : page.index("</tr>", page.index("Mouse broken"))]
    assert "<td>—</td>" in row  # nobody has it yet
    assert 'class="sla sla-warning"' in row
    assert "5\xa0hours" in row


@pytest.mark.django_db
def test_queue_page_costs_the_same_queries_whatever_its_length(as_user, make_ticket, l1_agent):
    client = as_user(l1_agent)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/desk/queues/tier-1/").status_code == 200
        return len(captured)

    make_ticket()
    few = queries()
    for _ in range(8):
        make_ticket()
    assert queries() == few


def bar_counts(html: str) -> dict[str, str]:
    """Queue key -> the count shown beside it in the queue bar."""
    import re

    pattern = (
        r'href="/desk/queues/([\w-]+)/"[^>]*>\s*<span>[^<]*</span>'
        r'<span class="count">([\d+]*)<'
    )
    return dict(re.findall(pattern, html))


@pytest.mark.django_db
def test_queue_bar_counts_are_in_the_queue_page_and_fetched_by_other_pages(
    as_user, make_ticket, l1_agent, customer
):
    held = make_ticket(subject="VPN drops")
    make_ticket(subject="Printer jam")
    assign_ticket(actor=l1_agent, ticket_id=held.pk, assignee="me")
    client = as_user(l1_agent)
    queue_page = client.get("/desk/queues/tier-1/").content.decode()
    assert bar_counts(queue_page) == {"mine": "1", "tier-1": "2", "unassigned": "1"}
    assert "2 tickets" in queue_page  # the page's own count is the bar's
    assert 'hx-get="/desk/queue-bar/' not in queue_page

    ticket_page = client.get(f"/desk/tickets/{held.pk}/").content.decode()
    assert bar_counts(ticket_page) == {"mine": "", "tier-1": "", "unassigned": ""}
    assert 'hx-get="/desk/queue-bar/"' in ticket_page
    bar = client.get("/desk/queue-bar/", {"current": "tier-1"}).content.decode()
    assert bar_counts(bar) == {"mine": "1", "tier-1": "2", "unassigned": "1"}
    assert 'aria-current="page"' in bar
    assert "hx-get" not in bar  # counted: nothing more to fetch
    assert as_user(customer).get("/desk/queue-bar/").url == "/portal/"


@pytest.mark.django_db
def test_queue_counts_stop_at_the_limit_and_every_page_stays_reachable(
    as_user, make_ticket, l1_agent, monkeypatch
):
    monkeypatch.setattr("tierdesk.tickets.queues.COUNT_LIMIT", 2)
    monkeypatch.setattr("tierdesk.web.views.desk.PAGE_SIZE", 1)
    subjects = [f"Printer {n}" for n in range(4)]
    for subject in subjects:
        make_ticket(subject=subject)
    client = as_user(l1_agent, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get("/desk/queues/tier-1/").content.decode()
    assert bar_counts(page)["tier-1"] == "2+"
    assert "More than 2 tickets" in page
    assert "Page 1</span>" in page  # no total when the count stopped at the limit
    # The count stopped, the queue did not: every page past it can be reached, each knowing
    # only whether another follows.
    third = client.get("/desk/queues/tier-1/", {"page": 3}).content.decode()
    assert "Printer 1" in third
    assert "page=4&amp;" in third  # a "Next" link
    last = client.get("/desk/queues/tier-1/", {"page": 4}).content.decode()
    assert "Printer 0" in last
    assert "page=5&amp;" not in last
    assert "No tickets here" in client.get("/desk/queues/tier-1/", {"page": 9}).content.decode()
    for absurd in ("9" * 30, "-3", "x", "1.5"):  # the last counted page, or the first
        assert client.get("/desk/queues/tier-1/", {"page": absurd}).status_code == 200
    # A filter counts what it keeps, with the same limit.
    filtered = client.get("/desk/queues/tier-1/", {"q": "Printer 3"}).content.decode()
    assert "1 ticket<" in filtered
    assert "Page 1 of 1" not in filtered  # one page: no pager at all


@pytest.mark.django_db
def test_too_many_wrong_passwords_pause_sign_in(client, customer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/login/", {"username": "customer", "password": "wrong"})
    response = client.post(
        "/login/", {"username": "customer", "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    # Nobody is signed in and the browser named no language: Indonesian, the default.
    assert "Terlalu banyak percobaan" in response.content.decode()


@pytest.mark.django_db
def test_take_it_assigns_the_ticket_to_me(as_user, ticket, l1_agent):
    page = as_user(l1_agent).get(f"/desk/tickets/{ticket.pk}/").content.decode()
    take_form = page.split('class="take"')[1].split("</form>")[0]
    assert 'name="assignee" value="me"' in take_form
    assert "<select" not in take_form
    as_user(l1_agent).post(f"/desk/tickets/{ticket.pk}/assign/", {"assignee": "me"})
    ticket.refresh_from_db()
    assert ticket.assignee == l1_agent


@pytest.mark.django_db
def test_customer_rates_a_resolved_ticket_once(as_user, held_ticket, l1_agent, customer):
    from tierdesk.tickets.actions.status import resolve_ticket
    from tierdesk.tickets.models import SatisfactionRating

    client = as_user(customer)
    assert "How satisfied" not in client.get(f"/portal/tickets/{held_ticket.pk}/").content.decode()
    resolve_ticket(actor=l1_agent, ticket_id=held_ticket.pk, resolution="Reset")
    assert "How satisfied" in client.get(f"/portal/tickets/{held_ticket.pk}/").content.decode()
    for bad in ("9", "²", "five", "9" * 5000, ""):
        refused = client.post(f"/portal/tickets/{held_ticket.pk}/rate/", {"score": bad})
        assert refused.status_code == 422, bad
    assert not SatisfactionRating.objects.exists()
    client.post(f"/portal/tickets/{held_ticket.pk}/rate/", {"score": "5", "comment": "Fast!"})
    rating = SatisfactionRating.objects.get()
    assert (rating.score, rating.comment, rating.rated_by) == (5, "Fast!", customer)
    again = client.post(f"/portal/tickets/{held_ticket.pk}/rate/", {"score": "1"})
    assert again.status_code == 409
    assert SatisfactionRating.objects.get().score == 5
