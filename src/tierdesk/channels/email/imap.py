"""Polling an IMAP mailbox. A message is marked read (or moved) only after its ticket change
is committed; a worker killed at any moment leaves it unmarked, and the next poll finds it
stored already (by its Message-ID) and only marks it."""

from __future__ import annotations

import logging
import ssl
import time
from dataclasses import dataclass, field

from imapclient import IMAPClient

from tierdesk.channels.email.ingest import ingest, rules_for
from tierdesk.channels.models import Mailbox

logger = logging.getLogger(__name__)

FETCH_BATCH = 50


@dataclass
class PollResult:
    fetched: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0


def connect(mailbox: Mailbox, timeout: float = 60) -> IMAPClient:
    context = ssl.create_default_context()
    use_tls = mailbox.security == Mailbox.Security.TLS
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
            stored = []
            for uid in chunk:
                raw = fetched.get(uid, {}).get(b"BODY[]")
                if raw is None:
                    continue
                result.fetched += 1
                received = ingest(bytes(raw), mailbox=mailbox, rules=rules)  # committed here
                result.outcomes[received.outcome] = result.outcomes.get(received.outcome, 0) + 1
                result.duplicates += int(received.duplicate)
                stored.append(uid)
                if pause:
                    _mark_processed(client, mailbox, stored)
                    stored = []
                    time.sleep(pause)
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


def _mark_processed(client: IMAPClient, mailbox: Mailbox, uids: list[int]) -> None:
    if mailbox.processed_folder:
        if client.has_capability("MOVE"):
            client.move(uids, mailbox.processed_folder)
        else:
            client.copy(uids, mailbox.processed_folder)
            client.add_flags(uids, [b"\\Deleted"])
    else:
        client.add_flags(uids, [b"\\Seen"])
