"""`tierdesk mail ingest < message.eml`: exit 0 when stored or deliberately ignored."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tierdesk.tickets.models import Ticket

from .conftest import MAIL_DATA


def run(
    arguments: list[str], stdin: bytes, database_url: str, tmp_path
) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "tierdesk.cli", "mail", *arguments],
        input=stdin,
        capture_output=True,
        timeout=120,
        env={
            **os.environ,
            "TIERDESK_DATABASE_URL": database_url,
            "TIERDESK_MEDIA_DIR": str(tmp_path),
        },
    )


@pytest.mark.django_db(transaction=True)
def test_the_pipe_stores_ignores_and_refuses_with_the_right_exit_codes(customer, tmp_path):
    from .test_imap import _database_url

    url = _database_url()
    stored = run(["ingest"], (MAIL_DATA / "01-plain.eml").read_bytes(), url, tmp_path)
    assert stored.returncode == 0, stored.stderr
    assert stored.stdout.decode().startswith("opened ticket")
    again = run(["ingest"], (MAIL_DATA / "01-plain.eml").read_bytes(), url, tmp_path)
    assert again.returncode == 0
    assert "duplicate" in again.stdout.decode()
    ignored = run(["ingest"], (MAIL_DATA / "27-auto-submitted.eml").read_bytes(), url, tmp_path)
    assert ignored.returncode == 0
    assert "ignored" in ignored.stdout.decode()
    empty = run(["ingest"], b"", url, tmp_path)
    assert empty.returncode == 65
    assert b"no message" in empty.stderr
    unknown = run(["ingest", "--mailbox", "nope"], b"Subject: x\n\nx", url, tmp_path)
    assert unknown.returncode == 64
    assert b"no mailbox named" in unknown.stderr
    assert Ticket.objects.count() == 1
