"""One raw e-mail in: parsed, checked for loops, turned into an inbound message and received;
quarantined, never dropped, when it cannot be read."""

from __future__ import annotations

import logging

from django.conf import settings

from tierdesk.channels.actions import quarantine
from tierdesk.channels.email.parsing import ParsedMail, Unparseable, parse_message, trim_reply
from tierdesk.channels.email.parsing import trim_signature as cut_signature
from tierdesk.channels.email.threading import ticket_number_in_subject
from tierdesk.channels.inbound import (
    InboundAttachment,
    InboundMessage,
    IntakeRules,
    Received,
    receive,
)
from tierdesk.channels.models import Mailbox, Outcome

logger = logging.getLogger(__name__)


def rules_for(mailbox: Mailbox | None) -> IntakeRules:
    own = {settings.TIERDESK_EMAIL_FROM.lower()}
    own.update(
        address.lower()
        for address in Mailbox.objects.exclude(address="").values_list("address", flat=True)
    )
    if mailbox is None:
        return IntakeRules(own_addresses=frozenset(own))
    return IntakeRules(
        mailbox_id=mailbox.pk,
        organization_id=mailbox.organization_id,
        category=mailbox.category.slug if mailbox.category_id else None,
        reopen_resolved=mailbox.resolved_replies == Mailbox.ResolvedReplies.REOPEN,
        own_addresses=frozenset(own),
    )


def inbound_message(parsed: ParsedMail) -> InboundMessage:
    return InboundMessage(
        channel="email",
        external_id=parsed.external_id,
        sender_address=parsed.sender_address,
        sender_name=parsed.sender_name,
        subject=parsed.subject,
        body=cut_signature(parsed.text),
        reply_body=trim_reply(parsed.text),
        full_text=parsed.text,
        html=parsed.html,
        thread_ids=tuple(parsed.thread_ids),
        ticket_number=ticket_number_in_subject(parsed.subject),
        automatic=parsed.automatic,
        attachments=tuple(
            InboundAttachment(
                filename=item.filename,
                content_type=item.content_type,
                content=item.content,
                is_inline=item.is_inline,
                content_id=item.content_id,
            )
            for item in parsed.attachments
        ),
    )


def ingest(
    raw: bytes, *, mailbox: Mailbox | None = None, rules: IntakeRules | None = None
) -> Received:
    """Store one raw message (or recognise it as stored already). Database errors propagate
    (the caller retries later); anything else wrong with the message quarantines it."""
    rules = rules or rules_for(mailbox)
    try:
        parsed = parse_message(raw)
    except Unparseable as error:
        return quarantine(raw, reason=str(error), mailbox_id=rules.mailbox_id)
    message = inbound_message(parsed)
    try:
        return receive(message, rules)
    except (ValueError, TypeError, UnicodeError, LookupError) as error:
        logger.exception("mail %s could not be stored; quarantined", parsed.external_id)
        return quarantine(
            raw, reason=f"{type(error).__name__}: {error}", mailbox_id=rules.mailbox_id
        )


__all__ = ["Outcome", "ingest", "rules_for"]
