"""The "resolved" e-mail carries a link to rate the resolution 1–5 without signing in: signed,
single use, expiring; every unusable link gets a clear page, never a 500."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tierdesk.channels.email import outbound
from tierdesk.channels.email.ingest import ingest
from tierdesk.tickets.actions.satisfaction import rating_token
from tierdesk.tickets.actions.status import reopen_ticket, resolve_ticket
from tierdesk.tickets.models import Event, EventKind, SatisfactionRating

from .conftest import MAIL_DATA

LINK = re.compile(r"https://desk\.example\.test(/portal/rate/[^/\s]+/)")


@pytest.fixture
def resolved_mail(customer, l1_agent, smtp_server, settings):
    settings.TIERDESK_PUBLIC_URL = "https://desk.example.test"
    customer.language = "id"
    customer.save()
    received = ingest((MAIL_DATA / "01-plain.eml").read_bytes())
    outbound.collect()
    outbound.send_due()
    smtp_server.messages.clear()
    resolve_ticket(actor=l1_agent, ticket_id=received.ticket_id, resolution="Toner diganti.")
    outbound.collect()
    outbound.send_due()
    (mail,) = [m for m in smtp_server.messages if str(m["To"]) == "customer@contoh.test"]
    return received.ticket_id, mail


def link_of(mail) -> str:
    match = LINK.search(mail.get_content())
    assert match, mail.get_content()
    return match.group(1)


@pytest.mark.django_db
def test_the_link_in_the_resolved_mail_rates_once_without_signing_in(resolved_mail, client):
    ticket_id, mail = resolved_mail
    path = link_of(mail)
    page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Printer" in text  # the ticket's subject
    assert "Seberapa puas Anda dengan bantuan kami?" in text  # the requester's language
    assert page["Content-Language"] == "id"

    done = client.post(path, {"score": "4", "comment": "Cepat, terima kasih"})
    assert done.status_code == 200
    rating = SatisfactionRating.objects.get()
    assert (rating.ticket_id, rating.score, rating.comment) == (ticket_id, 4, "Cepat, terima kasih")
    assert rating.rated_by.username == "customer"
    assert Event.objects.filter(ticket_id=ticket_id, kind=EventKind.RATED).count() == 1

    again = client.post(path, {"score": "1"})
    assert again.status_code == 409
    assert "sudah" in again.content.decode().lower() or "already" in again.content.decode()
    assert SatisfactionRating.objects.get().score == 4
    assert client.get(path).status_code == 409


@pytest.mark.django_db
def test_an_expired_link_is_refused_clearly(resolved_mail, client):
    _ticket_id, mail = resolved_mail
    path = link_of(mail)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        page = client.get(path)
        posted = client.post(path, {"score": "5"})
    assert page.status_code == posted.status_code == 409
    assert not SatisfactionRating.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "x" + token,
        lambda token: "not-a-token",
        lambda token: "%00%FF",
    ],
)
def test_a_tampered_link_is_refused_clearly(resolved_mail, client, mangle):
    _ticket_id, mail = resolved_mail
    token = link_of(mail).split("/")[-2]
    for method in (client.get, client.post):
        page = method(
            f"/portal/rate/{mangle(token)}/",
            {"score": "5"} if method == client.post else None,
            HTTP_ACCEPT_LANGUAGE="en",  # nobody is known from a broken link: the browser's
        )
        assert page.status_code == 404
        assert "not valid" in page.content.decode()
    assert not SatisfactionRating.objects.exists()


@pytest.mark.django_db
def test_a_link_signed_for_another_requester_is_refused(resolved_mail, client, colleague):
    ticket_id, _mail = resolved_mail
    resolution = Event.objects.get(ticket_id=ticket_id, kind=EventKind.RESOLVED)
    token = rating_token(
        ticket_id=ticket_id, resolution_id=resolution.pk, requester_id=colleague.pk
    )
    assert client.post(f"/portal/rate/{token}/", {"score": "5"}).status_code == 404
    assert not SatisfactionRating.objects.exists()


@pytest.mark.django_db
def test_a_link_from_before_a_reopen_is_refused(resolved_mail, client, customer, l1_agent):
    ticket_id, mail = resolved_mail
    path = link_of(mail)
    reopen_ticket(actor=customer, ticket_id=ticket_id, reason="Masih bermasalah")
    assert client.get(path).status_code == 409
    resolve_ticket(actor=l1_agent, ticket_id=ticket_id, resolution="Drum diganti.")
    refused = client.post(path, {"score": "5"})
    assert refused.status_code == 409
    assert "reopened" in refused.content.decode() or "dibuka" in refused.content.decode()
    assert not SatisfactionRating.objects.exists()


@pytest.mark.django_db
def test_a_bad_score_keeps_the_form_with_a_message(resolved_mail, client):
    _ticket_id, mail = resolved_mail
    path = link_of(mail)
    for score in ("9", "abc", ""):
        page = client.post(path, {"score": score, "comment": "hmm"})
        assert page.status_code == 422
        assert 'name="score"' in page.content.decode()
    assert not SatisfactionRating.objects.exists()


@pytest.mark.django_db
def test_agents_get_no_rating_link(
    l1_agent, second_l1_agent, smtp_server, settings, tiers, organization
):
    from tierdesk.tickets.actions.opening import open_ticket

    settings.TIERDESK_PUBLIC_URL = "https://desk.example.test"
    opened = open_ticket(
        actor=l1_agent, subject="Laptop", description="Baterai", organization="contoh"
    )
    resolve_ticket(actor=second_l1_agent, ticket_id=opened.ticket.pk, resolution="Diganti.")
    outbound.collect()
    outbound.send_due()
    resolved = [m for m in smtp_server.messages if m["X-Tierdesk-Notification"] == "resolved"]
    assert [str(m["To"]) for m in resolved] == ["agent1@tierdesk.test"]
    assert "Diganti." in resolved[0].get_content()
    assert "/portal/rate/" not in resolved[0].get_content()
