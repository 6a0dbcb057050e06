"""An LMTP listener (RFC 2033) for mail servers delivering at volume: Postfix's
``lmtp:inet:host:port`` / ``lmtp:unix:path`` transport or Exim's ``lmtp`` transport hand every
message to one long-running process instead of starting ``tierdesk mail ingest`` per message.

Each accepted message goes, once per recipient, through :func:`ingest` — the very code the
pipe runs — in a worker thread (the ORM is synchronous), with stale database connections
closed around it as around a web request. Replies, one per recipient, mirror the pipe's exit
codes: 250 when the message was stored, quarantined or deliberately ignored (exit 0), 451 when
the database failed (exit 75: the mail server keeps the message and retries), 554 for an empty
message (exit 65). Ingestion is idempotent (one row per Message-ID), so a retried delivery or
several listeners behind one mail server store each message once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.lmtp import LMTP
from django.db import DatabaseError, close_old_connections

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2424


def size_limit() -> int:
    """The largest message accepted (advertised as SIZE): twice the attachment limit, so a
    message whose attachment is just too big still arrives (the ticket is opened, the
    attachment skipped) rather than bouncing at the mail server."""
    from django.conf import settings

    return 2 * settings.TIERDESK_EMAIL_MAX_ATTACHMENT_BYTES


# What a poll run remembers (the mailbox's rules, the senders and domains it met) a listener
# remembers for RENEW_AFTER seconds, per worker thread: a listener is a series of short runs.
RENEW_AFTER = 30.0
_runs = threading.local()


def _run(recipient: str, mailbox_name: str | None):
    """The mailbox and its intake rules for this recipient, renewed every RENEW_AFTER s."""
    from tierdesk.channels.email.ingest import rules_for
    from tierdesk.channels.models import Mailbox

    now = time.monotonic()
    cache = getattr(_runs, "cache", None)
    if cache is None or now - _runs.started > RENEW_AFTER:
        cache = _runs.cache = {}
        _runs.started = now
    key = mailbox_name or recipient.lower()
    if key not in cache:
        mailboxes = Mailbox.objects.select_related("category", "tier", "team")
        if mailbox_name:
            mailbox = mailboxes.filter(name=mailbox_name).first()
        else:
            mailbox = mailboxes.filter(address__iexact=recipient, is_active=True).first()
        rules = rules_for(mailbox)
        # Recipients without a mailbox of their own share the default rules (one cache).
        cache[key] = cache.setdefault(("mailbox", getattr(mailbox, "pk", None)), (mailbox, rules))
    return cache[key]


def forget() -> None:
    """Drop what this thread remembered (after a database error: it may have rolled back)."""
    _runs.cache = None


def deliver(raw: bytes, recipient: str, mailbox_name: str | None = None) -> str:
    """Store ``raw`` for one recipient; the LMTP reply line for it. Runs in a worker thread."""
    from tierdesk.channels.email.ingest import ingest

    close_old_connections()
    try:
        if not raw.strip():
            return f"554 5.6.0 <{recipient}> no message"
        mailbox, rules = _run(recipient, mailbox_name)
        received = ingest(raw, mailbox=mailbox, rules=rules)
    except DatabaseError as error:
        forget()
        logger.warning("lmtp: database unavailable for <%s>: %s", recipient, error)
        return f"451 4.3.0 <{recipient}> database unavailable, try again later"
    except Exception:  # the mail server keeps the message and retries; we log why
        forget()
        logger.exception("lmtp: delivery to <%s> failed", recipient)
        return f"451 4.3.0 <{recipient}> temporary failure, try again later"
    finally:
        close_old_connections()
    ticket = f" ticket {received.ticket_id}" if received.ticket_id else ""
    note = f" ({received.reason})" if received.reason else ""
    return f"250 2.0.0 <{recipient}> {received.outcome}{ticket}{note}"


class Handler:
    """aiosmtpd handler: every recipient is accepted (the mail server already decided to
    deliver here); each gets its own reply after DATA, as LMTP requires."""

    def __init__(self, mailbox_name: str | None = None, threads: int = 1) -> None:
        self.mailbox_name = mailbox_name
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lmtp")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or b""
        loop = asyncio.get_running_loop()
        replies = []
        for recipient in envelope.rcpt_tos:
            replies.append(
                await loop.run_in_executor(
                    self.executor, deliver, raw, recipient, self.mailbox_name
                )
            )
        return "\r\n".join(replies)

    def close(self) -> None:
        self.executor.shutdown(wait=True)


async def start(
    handler: Handler,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    socket_path: str | None = None,
    hostname: str | None = None,
    data_size_limit: int | None = None,
) -> asyncio.AbstractServer:
    """Listen on ``host:port`` (or the Unix socket ``socket_path``); the asyncio server."""
    limit = size_limit() if data_size_limit is None else data_size_limit
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command

    def factory() -> LMTP:
        return LMTP(handler, data_size_limit=limit, hostname=hostname, ident="tierdesk LMTP")

    loop = asyncio.get_running_loop()
    if socket_path:
        return await loop.create_unix_server(factory, path=socket_path)
    return await loop.create_server(factory, host=host, port=port)
