"""Polling a real Dovecot: stored once, marked only after commit, nothing lost when the
worker is killed mid-batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from tierdesk.channels.email.imap import poll
from tierdesk.channels.models import ChannelMessage
from tierdesk.tickets.models import Ticket

from .conftest import MAIL_DATA


def numbered(count: int) -> list[bytes]:
    return [
        (
            f"From: customer@contoh.test\r\nTo: support@tierdesk.test\r\n"
            f"Subject: Batch message {index}\r\nMessage-ID: <batch{index}@contoh.test>\r\n\r\n"
            f"Body {index}.\r\n"
        ).encode()
        for index in range(count)
    ]


@pytest.mark.django_db
def test_polling_stores_each_message_once_and_marks_it_read(dovecot, imap_mailbox, customer):
    dovecot.append(*numbered(3), (MAIL_DATA / "27-auto-submitted.eml").read_bytes())
    result = poll(imap_mailbox)
    assert result.fetched == 4
    assert Ticket.objects.count() == 3
    assert dovecot.unseen() == 0
    # The same messages delivered again (a second copy in the folder) are not stored twice.
    dovecot.append(*numbered(3))
    again = poll(imap_mailbox)
    assert again.fetched == 3
    assert again.duplicates == 3
    assert Ticket.objects.count() == 3


def _database_url() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_batch_loses_nothing_and_duplicates_nothing(
    dovecot, imap_mailbox, customer, settings
):
    total = 40
    dovecot.append(*numbered(total))
    environment = {
        **os.environ,
        "TIERDESK_DATABASE_URL": _database_url(),
        "TIERDESK_MEDIA_DIR": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "tierdesk.settings",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "tierdesk.cli", "mail", "poll", "--mailbox", "support",
         "--pause", "0.05"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and ChannelMessage.objects.count() < 10:
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    stored_at_kill = ChannelMessage.objects.count()
    assert 10 <= stored_at_kill < total, "the kill must land mid-batch"
    assert dovecot.unseen() > 0

    poll(imap_mailbox)

    assert ChannelMessage.objects.count() == total
    assert Ticket.objects.count() == total
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == sorted(
        f"Batch message {index}" for index in range(total)
    )
    assert dovecot.unseen() == 0


@pytest.mark.django_db
def test_a_batch_mixing_stored_unreadable_and_repeated_messages(dovecot, imap_mailbox, customer):
    from tierdesk.channels.email.ingest import ingest
    from tierdesk.channels.models import QuarantinedMessage

    first, second, third = numbered(3)
    ingest(first)  # delivered by the pipe before the poll
    dovecot.append(first, second, second, b"\x00\x01 not mail at all\r\n", third)

    result = poll(imap_mailbox)

    assert result.fetched == 5
    assert result.duplicates == 2
    assert result.outcomes == {"opened": 4, "quarantined": 1}
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        "Batch message 0",
        "Batch message 1",
        "Batch message 2",
    ]
    assert QuarantinedMessage.objects.count() == 1
    assert dovecot.unseen() == 0
