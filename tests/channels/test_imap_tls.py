"""Polling over IMAPS and STARTTLS from a real Dovecot with a throw-away self-signed
certificate: verified against the mailbox's CA bundle, refused without it, and accepted
unverified only when the mailbox says so explicitly."""

from __future__ import annotations

import ssl

import pytest
from django.core.exceptions import ValidationError

from tierdesk.channels.email.imap import poll
from tierdesk.channels.models import Mailbox
from tierdesk.tickets.models import Ticket


def mail(index: int, tag: str) -> bytes:
    return (
        f"From: customer@contoh.test\r\nTo: support@tierdesk.test\r\n"
        f"Subject: Over TLS {tag} {index}\r\nMessage-ID: <{tag}{index}@contoh.test>\r\n\r\n"
        f"Body {index}.\r\n"
    ).encode()


def tls_mailbox(server, security: str, **fields) -> Mailbox:
    port = server.imaps_port if security == Mailbox.Security.TLS else server.port
    return Mailbox.objects.create(
        name=f"secure-{security}",
        host="127.0.0.1",
        port=port,
        security=security,
        username=server.user,
        password=server.password,
        **fields,
    )


@pytest.fixture
def tls_server(dovecot_tls, organization):
    dovecot_tls.reset()
    return dovecot_tls


@pytest.mark.django_db
@pytest.mark.parametrize("security", [Mailbox.Security.TLS, Mailbox.Security.STARTTLS])
def test_polling_over_tls_with_the_mailbox_ca_bundle_makes_tickets(tls_server, customer, security):
    tls_server.append(mail(1, security), mail(2, security))
    mailbox = tls_mailbox(tls_server, security, ca_file=str(tls_server.certificate))
    mailbox.full_clean()

    result = poll(mailbox)

    assert result.fetched == 2
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        f"Over TLS {security} 1",
        f"Over TLS {security} 2",
    ]
    assert set(Ticket.objects.values_list("channel", flat=True)) == {"email"}
    assert tls_server.unseen() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("security", [Mailbox.Security.TLS, Mailbox.Security.STARTTLS])
def test_an_untrusted_certificate_is_refused_and_nothing_is_taken(tls_server, customer, security):
    tls_server.append(mail(1, "untrusted"))
    mailbox = tls_mailbox(tls_server, security)  # verify on, system CAs only

    with pytest.raises(ssl.SSLCertVerificationError):
        poll(mailbox)

    assert not Ticket.objects.exists()
    assert tls_server.unseen() == 1


@pytest.mark.django_db
def test_verification_can_be_turned_off_explicitly(tls_server, customer):
    tls_server.append(mail(1, "unverified"))
    mailbox = tls_mailbox(tls_server, Mailbox.Security.TLS, verify_certificate=False)

    assert poll(mailbox).fetched == 1
    assert Ticket.objects.get().subject == "Over TLS unverified 1"


@pytest.mark.django_db
def test_a_ca_bundle_that_does_not_exist_is_refused_by_the_admin_form(organization):
    mailbox = Mailbox(
        name="broken", host="imap.example.test", security=Mailbox.Security.TLS,
        ca_file="/nonexistent/ca.pem",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        mailbox.full_clean()
    assert "ca_file" in refused.value.message_dict
