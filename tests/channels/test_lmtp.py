"""`tierdesk mail lmtp`: a mail server delivers over LMTP (RFC 2033) to a long-running
listener, which stores each message through the pipe's code and answers per recipient."""

from __future__ import annotations

import os
import re
import smtplib
import subprocess
import sys
import time

import pytest

from tierdesk.channels.models import ChannelMessage, Mailbox, QuarantinedMessage
from tierdesk.tickets.models import Ticket

from .conftest import MAIL_DATA, free_port


def mail(name: str) -> bytes:
    return (MAIL_DATA / name).read_bytes()


@pytest.fixture
def listener(settings):
    """`tierdesk mail lmtp` in its own process on a free loopback port, on the test database
    (committed data only: the tests use transaction=True)."""
    from .test_imap import _database_url

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tierdesk.cli", "mail", "lmtp", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={
            **os.environ,
            "TIERDESK_DATABASE_URL": _database_url(),
            "TIERDESK_MEDIA_DIR": str(settings.MEDIA_ROOT),
        },
    )
    line = process.stdout.readline().decode()  # printed once the socket listens
    if f"127.0.0.1:{port}" not in line:  # the line is translated: look for the address only
        process.kill()
        pytest.fail(f"the listener did not start: {line} {process.stderr.read().decode()}")
    yield port
    process.terminate()
    assert process.wait(timeout=30) == 0, process.stderr.read().decode()


def connect(port: int) -> smtplib.LMTP:
    for _attempt in range(50):
        try:
            return smtplib.LMTP("127.0.0.1", port)
        except ConnectionRefusedError:
            time.sleep(0.1)
    return smtplib.LMTP("127.0.0.1", port)


def deliver(client: smtplib.LMTP, raw: bytes, *recipients: str) -> list[tuple[int, bytes]]:
    """One LMTP transaction; the reply for each recipient (smtplib reads only the first)."""
    client.ehlo_or_helo_if_needed()
    code, message = client.mail("sender@contoh.test")
    assert code == 250, message
    for recipient in recipients:
        code, message = client.rcpt(recipient)
        assert code == 250, message
    code, message = client.docmd("DATA")
    assert code == 354, message
    body = re.sub(rb"(?m)^\.", b"..", re.sub(rb"\r\n|\n|\r(?!\n)", b"\r\n", raw))
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    client.send(body + b".\r\n")
    return [client.getreply() for _recipient in recipients]


@pytest.mark.django_db(transaction=True)
def test_lmtp_stores_threads_ignores_and_quarantines_with_per_recipient_replies(customer, listener):
    client = connect(listener)
    try:
        [(code, opened)] = deliver(client, mail("01-plain.eml"), "support@tierdesk.test")
        assert code == 250
        assert b"opened ticket" in opened
        [(code, threaded)] = deliver(
            client, mail("22-reply-in-reply-to.eml"), "support@tierdesk.test"
        )
        assert code == 250
        assert b"threaded ticket" in threaded
        [(code, ignored)] = deliver(client, mail("27-auto-submitted.eml"), "support@tierdesk.test")
        assert code == 250
        assert b"ignored" in ignored
        # The same message again, and for two recipients at once: one reply each, stored once.
        replies = deliver(client, mail("01-plain.eml"), "a@tierdesk.test", "b@tierdesk.test")
        assert [code for code, _text in replies] == [250, 250]
        assert all(b"duplicate" in text for _code, text in replies)
        [(code, kept)] = deliver(client, mail("42-garbage.eml"), "support@tierdesk.test")
        assert code == 250
        assert b"quarantined" in kept
        [(code, _empty)] = deliver(client, b"\r\n", "support@tierdesk.test")
        assert code == 554
    finally:
        client.close()

    ticket = Ticket.objects.get()
    assert ticket.requester == customer
    assert ticket.subject == "Printer lantai 2 rusak"
    bodies = list(ticket.events.exclude(body="").values_list("body", flat=True))
    assert any("tidak bisa mencetak" in body for body in bodies)
    assert any("tetap rusak" in body for body in bodies)
    assert ChannelMessage.objects.filter(external_id="own1@contoh.test").count() == 1
    assert QuarantinedMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_recipient_address_picks_the_mailbox_and_its_rules(customer, category, listener):
    Mailbox.objects.create(name="hardware", address="hardware@tierdesk.test", category=category)
    client = connect(listener)
    try:
        [(code, text)] = deliver(client, mail("01-plain.eml"), "Hardware@tierdesk.test")
    finally:
        client.close()
    assert code == 250, text
    ticket = Ticket.objects.get()
    assert ticket.category == category
    assert ChannelMessage.objects.get(external_id="own1@contoh.test").mailbox.name == "hardware"


@pytest.mark.django_db(transaction=True)
def test_an_unknown_mailbox_stops_the_listener_with_the_pipes_exit_code(tmp_path):
    from .test_imap import _database_url

    result = subprocess.run(
        [sys.executable, "-m", "tierdesk.cli", "mail", "lmtp", "--port", str(free_port()),
         "--mailbox", "nope"],
        capture_output=True, timeout=120,
        env={**os.environ, "TIERDESK_DATABASE_URL": _database_url()},
    )  # fmt: skip
    assert result.returncode == 64
    assert b"no mailbox named" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_a_database_failure_answers_451_so_the_mail_server_keeps_the_message(monkeypatch):
    from django.db import OperationalError

    from tierdesk.channels.email import ingest as ingest_module
    from tierdesk.channels.email.lmtp import deliver as deliver_one

    def locked(*_args, **_kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ingest_module, "ingest", locked)
    reply = deliver_one(mail("01-plain.eml"), "support@tierdesk.test")
    assert reply.startswith("451 4.3.0 <support@tierdesk.test>")
    assert not Ticket.objects.exists()
