"""Which ticket a mail continues, and the headers that let replies to our mail find it."""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection

from django.conf import settings

from tierdesk.channels.models import ChannelMessage
from tierdesk.tickets.models import format_ticket_number, parse_ticket_number


def subject_tag(ticket_id: int) -> str:
    return f"[{format_ticket_number(ticket_id)}]"


def ticket_number_in_subject(subject: str) -> int | None:
    """The ticket named by a ``[TD-000123]`` tag in the subject, if any."""
    prefix = re.escape(settings.TIERDESK_TICKET_PREFIX)
    match = re.search(rf"\[\s*({prefix}-\d{{1,18}})\s*\]", subject or "", re.IGNORECASE)
    return parse_ticket_number(match.group(1)) if match else None


def tagged_subject(ticket_id: int, subject: str) -> str:
    tag = subject_tag(ticket_id)
    clean = re.sub(r"\s+", " ", subject or "").strip()
    return clean if tag.lower() in clean.lower() else f"{clean} {tag}".strip()


def mail_domain() -> str:
    address = settings.TIERDESK_EMAIL_FROM or "tierdesk@localhost"
    return address.rsplit("@", 1)[-1].strip("> ") or "localhost"


def new_message_id(kind: str = "n") -> str:
    """A Message-ID of ours, without angle brackets."""
    return f"tierdesk.{kind}.{secrets.token_hex(10)}@{mail_domain()}"


def thread_message_ids(ticket_ids: Collection[int]) -> dict[int, list[str]]:
    """The Message-IDs of each ticket's mail, oldest first: one read for a batch of mails."""
    threads: dict[int, list[str]] = {ticket_id: [] for ticket_id in ticket_ids}
    rows = (
        ChannelMessage.objects.filter(channel="email", ticket_id__in=list(threads))
        .order_by("id")
        .values_list("ticket_id", "external_id")
    )
    for ticket_id, external_id in rows:
        if not external_id.startswith("sha256:"):  # a message that came without an id
            threads[ticket_id].append(external_id)
    return threads


def thread_headers(
    ticket_id: int,
    exclude: Collection[str] = (),
    limit: int = 10,
    message_ids: list[str] | None = None,
) -> dict[str, str]:
    """In-Reply-To and References for a mail about a ticket: the ticket's first message and
    its latest ones, so any mail client threads it with what the customer already has.
    ``exclude``: Message-IDs not to refer to (the mail itself and those sent beside it).
    ``message_ids``: the ticket's, when already read (:func:`thread_message_ids`)."""
    if message_ids is None:
        message_ids = thread_message_ids([ticket_id])[ticket_id]
    ids = [item for item in message_ids if item not in exclude]
    if not ids:
        return {}
    chosen = ids[:1] + ids[1:][-(limit - 1) :]
    return {
        "In-Reply-To": f"<{chosen[-1]}>",
        "References": " ".join(f"<{item}>" for item in chosen),
    }
