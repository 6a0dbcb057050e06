"""Polling an IMAP mailbox. A message is marked read (or moved) only after its ticket change
is committed; a worker killed at any moment leaves it unmarked, and the next poll finds it
stored already (by its Message-ID) and only marks it."""

from __future__ import annotations

import logging
import ssl
import time
from dataclasses import dataclass, field

from imapclient import IMAPClient

from tierdesk.channels.email.ingest import ingest, ingest_batch, rules_for
from tierdesk.channels.models import Mailbox

logger = logging.getLogger(__name__)

FETCH_BATCH = 50


@dataclass
class PollResult:
    fetched: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0


def tls_context(mailbox: Mailbox) -> ssl.SSLContext:
    """Certificates are verified (against the mailbox's CA bundle, else the system's) unless
    the mailbox explicitly turns verification off."""
    context = ssl.create_default_context(cafile=mailbox.ca_file or None)
    if not mailbox.verify_certificate:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def connect(mailbox: Mailbox, timeout: float = 60) -> IMAPClient:
    use_tls = mailbox.security == Mailbox.Security.TLS
    context = tls_context(mailbox) if mailbox.security != Mailbox.Security.NONE else None
    client = IMAPClient(
        mailbox.host,
        port=mailbox.port,
        ssl=use_tls,
        ssl_context=context if use_tls else None,
        timeout=timeout,
    )
    if mailbox.security == Mailbox.Security.STARTTLS:
        client.starttls(context)
    client.login(mailbox.username, mailbox.password)
    return client


def poll(mailbox: Mailbox, *, limit: int | None = None, pause: float = 0.0) -> PollResult:
    """Fetch the unprocessed messages of ``mailbox``, store each, then mark it processed."""
    result = PollResult()
    rules = rules_for(mailbox)
    client = connect(mailbox)
    try:
        client.select_folder(mailbox.folder)
        if mailbox.processed_folder:
            uids = client.search(["NOT", "DELETED"])
        else:
            uids = client.search(["UNSEEN", "NOT", "DELETED"])
        uids = sorted(uids)[:limit] if limit else sorted(uids)
        for start in range(0, len(uids), FETCH_BATCH):
            chunk = uids[start : start + FETCH_BATCH]
            fetched = client.fetch(chunk, ["BODY.PEEK[]"])
            present = [uid for uid in chunk if fetched.get(uid, {}).get(b"BODY[]") is not None]
            raws = [bytes(fetched[uid][b"BODY[]"]) for uid in present]
            stored = []
            if pause:  # one at a time, each marked at once (a gentle poll; the crash test)
                for uid, raw in zip(present, raws, strict=True):
                    _count(result, ingest(raw, mailbox=mailbox, rules=rules))  # committed
                    _mark_processed(client, mailbox, [uid])
                    time.sleep(pause)
            else:
                for received in ingest_batch(raws, mailbox=mailbox, rules=rules):
                    _count(result, received)  # each committed in its own transaction
                stored = present
            # Marked once their ticket changes are committed: a crash before this line leaves
            # them unread, and the next poll finds them stored and only marks them.
            if stored:
                _mark_processed(client, mailbox, stored)
        if mailbox.processed_folder:
            client.expunge()
    finally:
        try:
            client.logout()
        except Exception:  # the connection may already be gone
            logger.debug("IMAP logout failed", exc_info=True)
    return result


def _count(result: PollResult, received) -> None:
    result.fetched += 1
    result.outcomes[received.outcome] = result.outcomes.get(received.outcome, 0) + 1
    result.duplicates += int(received.duplicate)


def _mark_processed(client: IMAPClient, mailbox: Mailbox, uids: list[int]) -> None:
    if mailbox.processed_folder:
        if client.has_capability("MOVE"):
            client.move(uids, mailbox.processed_folder)
        else:
            client.copy(uids, mailbox.processed_folder)
            client.add_flags(uids, [b"\\Deleted"])
    else:
        client.add_flags(uids, [b"\\Seen"])
