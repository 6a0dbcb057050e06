"""E-mail ingest throughput (messages/s: parse + thread + store) from a mailbox of N messages,
via IMAP (a real Dovecot on loopback) and via the pipe path (`tierdesk mail ingest`'s code,
in one process), on whatever database TIERDESK_DATABASE_URL names (SQLite by default).

    TIERDESK_DATA_DIR=/tmp/bench-mail TIERDESK_SECRET_KEY=x .venv/bin/python bench/mail_ingest.py
    TIERDESK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tierdesk_mail_bench \\
      TIERDESK_DATA_DIR=/tmp/bench-mail TIERDESK_SECRET_KEY=x .venv/bin/python bench/mail_ingest.py

It needs an empty database (it refuses one with tickets): use a throw-away one.
80 % of the messages open tickets (200 senders, a tenth with an attachment), 20 % are
replies found by In-Reply-To.
A few real `tierdesk mail ingest` processes are timed too, to show the per-process cost a
mail server's pipe pays.

`--lmtp` measures instead delivery over LMTP: `tierdesk mail lmtp` runs as a separate process
and the messages are delivered over `--connections` LMTP connections at once (each a series
of one-recipient transactions, as a mail server's lmtp transport sends them):

    TIERDESK_DATA_DIR=/tmp/bench-mail TIERDESK_SECRET_KEY=x .venv/bin/python bench/mail_ingest.py \
      --lmtp --connections 4 --threads 1
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.settings")
os.environ["TIERDESK_EMAIL_SENDER_LIMIT_PER_HOUR"] = "0"


def messages(count: int, tag: str) -> list[bytes]:
    made = []
    for index in range(count):
        sender = f"user{index % 200}@contoh.test"
        headers = (
            f"From: User {index % 200} <{sender}>\r\nTo: support@tierdesk.test\r\n"
            f"Date: Mon, 5 Jan 2026 09:00:00 +0700\r\nMessage-ID: <{tag}-{index}@contoh.test>\r\n"
        )
        if index % 5 == 4:
            headers += f"In-Reply-To: <{tag}-{index - 1}@contoh.test>\r\n"
            headers += f"Subject: Re: Masalah {index - 1}\r\n"
        else:
            headers += f"Subject: Masalah {index}: printer lantai {index % 9}\r\n"
        body = (
            f"Selamat pagi,\r\n\r\nPrinter nomor {index} tidak bisa mencetak sejak pagi. "
            "Sudah dicoba restart tetapi masih muncul pesan error.\r\n\r\nTerima kasih.\r\n"
        )
        if index % 10 == 3:
            made.append(
                (
                    headers
                    + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
                    f"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
                    "--B\r\nContent-Type: text/plain; name=log.txt\r\n"
                    "Content-Disposition: attachment; filename=log.txt\r\n\r\n"
                    "error 42\r\n--B--\r\n"
                ).encode()
            )
        else:
            made.append(
                (headers + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()
            )
    return made


def lmtp(count: int, connections: int, threads: int, media_root) -> None:
    """`tierdesk mail lmtp` in its own process; ``count`` messages over ``connections``
    LMTP connections at once; every reply must be 250."""
    import smtplib
    import socket
    import threading

    from django.db.models import Count

    from tierdesk.channels.models import ChannelMessage

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    listener = subprocess.Popen(
        [sys.executable, "-m", "tierdesk.cli", "mail", "lmtp", "--port", str(port),
         "--threads", str(threads)],
        env={**os.environ, "TIERDESK_MEDIA_DIR": str(media_root)},
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert f":{port}".encode() in listener.stdout.readline()
        batch = messages(count, "lmtp")
        # Replies come after their ticket's first message: deliver each connection's share
        # in order, a message and its reply (index % 5 == 4) on the same connection.
        shares = [[] for _ in range(connections)]
        for index, raw in enumerate(batch):
            shares[(index // 5) % connections].append(raw)
        failures: list[str] = []

        def send(share: list[bytes]) -> None:
            client = smtplib.LMTP("127.0.0.1", port)
            try:
                for raw in share:
                    refused = client.sendmail("user@contoh.test", ["support@tierdesk.test"], raw)
                    if refused:
                        failures.append(str(refused))
            except smtplib.SMTPException as error:
                failures.append(repr(error))
            finally:
                client.quit()

        workers = [threading.Thread(target=send, args=(share,)) for share in shares]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
    finally:
        listener.terminate()
        listener.wait(timeout=60)
    assert not failures, failures[:5]
    outcomes = dict(
        ChannelMessage.objects.filter(external_id__startswith="lmtp-")
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    assert outcomes == {"opened": count * 4 // 5, "threaded": count // 5}, outcomes
    print(
        f"lmtp ({connections} connections, listener --threads {threads}): "
        f"{count / elapsed:.0f} messages/s ({elapsed:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=20, help="real pipe processes to time")
    parser.add_argument("--lmtp", action="store_true", help="measure LMTP delivery only")
    parser.add_argument("--connections", type=int, default=4, help="LMTP connections at once")
    parser.add_argument("--threads", type=int, default=1, help="the listener's --threads")
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from tests.channels.conftest import start_dovecot, stop_dovecot

    from tierdesk.accounts.actions import create_organization
    from tierdesk.channels.email.imap import poll
    from tierdesk.channels.email.ingest import ingest, rules_for
    from tierdesk.channels.models import ChannelMessage, Mailbox

    settings.MEDIA_ROOT = Path(settings.DATA_DIR) / "bench-media"
    call_command("migrate", verbosity=0)
    from tierdesk.tickets.models import Ticket

    if Ticket.objects.exists():
        sys.exit(
            "mail_ingest: point TIERDESK_DATA_DIR / TIERDESK_DATABASE_URL at an empty database"
        )
    create_organization(name="PT Contoh Sejahtera", slug="contoh", domains=["contoh.test"])
    database = connection.vendor
    count = arguments.messages
    load = Path("/proc/loadavg").read_text().strip()
    print(f"database: {database}, messages: {count}, load: {load}")

    if arguments.lmtp:
        lmtp(count, arguments.connections, arguments.threads, settings.MEDIA_ROOT)
        print(f"load at the end: {Path('/proc/loadavg').read_text().strip()}")
        return

    # The pipe path: the code `tierdesk mail ingest` runs, one message after another.
    batch = messages(count, "pipe")
    rules = rules_for(None)
    started = time.perf_counter()
    for raw in batch:
        ingest(raw, rules=rules)
    elapsed = time.perf_counter() - started
    assert ChannelMessage.objects.filter(external_id__startswith="pipe-").count() == count
    outcomes = dict(
        ChannelMessage.objects.values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    assert outcomes == {"opened": count * 4 // 5, "threaded": count // 5}, outcomes
    print(f"pipe (in-process): {count / elapsed:.0f} messages/s ({elapsed:.1f} s)")
    from django.test.utils import CaptureQueriesContext

    for label, raw in [
        ("new ticket, known sender", messages(count + 2, "sample")[-2]),
        ("reply by In-Reply-To", messages(count, "pipe")[-1].replace(b"pipe-", b"again-", 1)),
    ]:
        with CaptureQueriesContext(connection) as queries:
            ingest(raw, rules=rules)
        print(f"  queries for one message ({label}): {len(queries)}")

    # Real processes, as a mail server's pipe runs them: one process per message.
    environment = {**os.environ, "TIERDESK_MEDIA_DIR": str(settings.MEDIA_ROOT)}
    started = time.perf_counter()
    for raw in messages(arguments.processes, "proc"):
        subprocess.run(
            [sys.executable, "-m", "tierdesk.cli", "mail", "ingest"],
            input=raw, env=environment, check=True, capture_output=True,
        )  # fmt: skip
    elapsed = time.perf_counter() - started
    print(f"pipe (one process per message): {arguments.processes / elapsed:.1f} messages/s")

    # IMAP: a real Dovecot holding the whole mailbox, polled once.
    server = start_dovecot()
    try:
        mailbox = Mailbox.objects.create(
            name="bench", host="127.0.0.1", port=server.port, security="none",
            username=server.user, password=server.password,
        )  # fmt: skip
        with server.client() as client:
            for raw in messages(count, "imap"):
                client.append("INBOX", raw)
        started = time.perf_counter()
        result = poll(mailbox)
        elapsed = time.perf_counter() - started
        assert result.fetched == count, result
        print(
            f"imap (fetch + ingest + mark read): {count / elapsed:.0f} messages/s ({elapsed:.1f} s)"
        )
    finally:
        stop_dovecot(server)
    print(f"load at the end: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
