"""Per-mailbox routing: what a new message becomes (organization, tier, team, category),
from a real Dovecot and through the pipe; the admin refuses a team of another tier."""

from __future__ import annotations

import pytest

from tierdesk.accounts.actions import create_person
from tierdesk.accounts.models import Role
from tierdesk.channels.actions import sync_default_mailbox
from tierdesk.channels.email.imap import poll
from tierdesk.channels.models import Mailbox
from tierdesk.tickets.models import Event, EventKind, Ticket

from .test_command import run


def message(index: int, sender: str = "customer@contoh.test") -> bytes:
    return (
        f"From: {sender}\r\nTo: network@tierdesk.test\r\n"
        f"Subject: Router mati {index}\r\nMessage-ID: <route{index}@contoh.test>\r\n\r\n"
        "Semua lampu merah.\r\n"
    ).encode()


@pytest.mark.django_db
def test_a_polled_mailbox_opens_tickets_in_its_tier_team_and_category(
    dovecot, imap_mailbox, customer, teams, tiers, category
):
    imap_mailbox.tier = tiers[2]
    imap_mailbox.team = teams["l2-network"]
    imap_mailbox.category = category
    imap_mailbox.save()
    dovecot.append(message(1))

    assert poll(imap_mailbox).fetched == 1

    ticket = Ticket.objects.get()
    assert (ticket.tier.level, ticket.team.slug, ticket.category.slug) == (2, "l2-network", "akun")
    opened = Event.objects.get(ticket=ticket, kind=EventKind.OPENED)
    assert (opened.data["tier"], opened.data["team"]) == (2, "l2-network")


@pytest.mark.django_db
def test_a_team_alone_routes_to_its_own_tier(dovecot, imap_mailbox, customer, teams):
    imap_mailbox.team = teams["l3-engineering"]
    imap_mailbox.save()
    dovecot.append(message(2))
    poll(imap_mailbox)
    ticket = Ticket.objects.get()
    assert (ticket.tier.level, ticket.team.slug) == (3, "l3-engineering")


@pytest.mark.django_db
def test_unknown_senders_join_the_domain_owner_else_the_mailbox_organization(
    dovecot, imap_mailbox, organization, other_organization, tiers
):
    imap_mailbox.tier = tiers[2]
    imap_mailbox.save()
    dovecot.append(message(3, "new.person@sample.test"), message(4, "walk.in@elsewhere.test"))
    poll(imap_mailbox)
    by_subject = {
        ticket.subject: (ticket.organization.slug, ticket.tier.level)
        for ticket in Ticket.objects.all()
    }
    # sample.test belongs to the other organization; elsewhere.test to nobody: the mailbox's.
    assert by_subject == {"Router mati 3": ("sample", 2), "Router mati 4": ("contoh", 2)}


@pytest.mark.django_db(transaction=True)
def test_the_pipe_applies_the_named_mailbox_routing(customer, teams, tiers, category, tmp_path):
    from .test_imap import _database_url

    Mailbox.objects.create(
        name="network", poll_imap=False, tier=tiers[2], team=teams["l2-hosting"],
        category=category, organization=customer.organization,
    )  # fmt: skip
    piped = run(["ingest", "--mailbox", "network"], message(5), _database_url(), tmp_path)
    assert piped.returncode == 0, piped.stderr
    ticket = Ticket.objects.get()
    assert (ticket.tier.level, ticket.team.slug, ticket.category.slug) == (2, "l2-hosting", "akun")
    # Without --mailbox the ticket starts in the entry tier, no team, no category.
    plain = run(["ingest"], message(6), _database_url(), tmp_path)
    assert plain.returncode == 0, plain.stderr
    other = Ticket.objects.exclude(pk=ticket.pk).get()
    assert (other.tier.level, other.team, other.category) == (1, None, None)


@pytest.fixture
def admin_client_for(client, db):
    admin = create_person(username="root", password="pw-for-tests", role=Role.ADMIN, language="en")
    client.force_login(admin)
    return client


def mailbox_form(**fields) -> dict:
    return {
        "name": "network",
        "address": "",
        "is_active": "on",
        "host": "imap.example.test",
        "port": "993",
        "security": "tls",
        "verify_certificate": "on",
        "ca_file": "",
        "username": "desk",
        "password": "x",
        "folder": "INBOX",
        "processed_folder": "",
        "poll_imap": "on",
        "organization": "",
        "category": "",
        "tier": "",
        "team": "",
        "resolved_replies": "reopen",
        **fields,
    }


@pytest.mark.django_db
def test_the_admin_refuses_a_team_of_another_tier(admin_client_for, teams, tiers):
    response = admin_client_for.post(
        "/admin/channels/mailbox/add/",
        mailbox_form(tier=str(tiers[2].pk), team=str(teams["l3-engineering"].pk)),
    )
    assert response.status_code == 200
    assert "This team belongs to another tier." in response.content.decode()
    assert not Mailbox.objects.exists()


@pytest.mark.django_db
def test_the_admin_saves_a_tier_and_its_team(admin_client_for, teams, tiers):
    response = admin_client_for.post(
        "/admin/channels/mailbox/add/",
        mailbox_form(tier=str(tiers[2].pk), team=str(teams["l2-network"].pk)),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Mailbox.objects.get()
    assert (saved.tier.level, saved.team.slug) == (2, "l2-network")


@pytest.mark.django_db
def test_the_admin_offers_no_tier_that_does_not_handle_tickets(admin_client_for, tiers):
    response = admin_client_for.post(
        "/admin/channels/mailbox/add/", mailbox_form(tier=str(tiers[0].pk))
    )
    assert response.status_code == 200
    assert not Mailbox.objects.exists()


@pytest.mark.django_db
def test_the_default_mailbox_takes_its_routing_from_the_environment(
    settings, teams, tiers, category, organization
):
    settings.TIERDESK_EMAIL_IMAP_HOST = "imap.example.test"
    settings.TIERDESK_EMAIL_IMAP_TIER = 2
    settings.TIERDESK_EMAIL_IMAP_TEAM = "l2-network"
    settings.TIERDESK_EMAIL_IMAP_CATEGORY = "akun"
    settings.TIERDESK_EMAIL_IMAP_ORGANIZATION = "contoh"
    mailbox = sync_default_mailbox()
    assert (mailbox.tier.level, mailbox.team.slug, mailbox.category.slug) == (
        2,
        "l2-network",
        "akun",
    )
    assert mailbox.organization == organization
    settings.TIERDESK_EMAIL_IMAP_TEAM = "l3-engineering"
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="another tier"):
        sync_default_mailbox()
    settings.TIERDESK_EMAIL_IMAP_TEAM = "no-such-team"
    with pytest.raises(ImproperlyConfigured, match="no-such-team"):
        sync_default_mailbox()
    assert Mailbox.objects.get().team.slug == "l2-network"
