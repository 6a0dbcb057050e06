"""One raw e-mail in: parsed, checked for loops, turned into an inbound message and received;
quarantined, never dropped, when it cannot be read."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tierdesk.accounts.queries import entry_tier
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
    stored_before,
)
from tierdesk.channels.models import ChannelMessage, Mailbox, Outcome, QuarantinedMessage

logger = logging.getLogger(__name__)


def rules_for(mailbox: Mailbox | None) -> IntakeRules:
    """The intake rules of ``mailbox`` (None: the pipe without ``--mailbox``), read once per
    poll or delivery. Without a configured tier or team, new tickets start in the entry tier,
    looked up here once rather than for every message."""
    own = {settings.TIERDESK_EMAIL_FROM.lower()}
    own.update(
        address.lower()
        for address in Mailbox.objects.exclude(address="").values_list("address", flat=True)
    )
    if mailbox is None:
        return IntakeRules(own_addresses=frozenset(own), tier=entry_tier())
    tier = mailbox.tier if mailbox.tier_id is not None else None
    if tier is None and mailbox.team_id is None:
        tier = entry_tier()
    return IntakeRules(
        mailbox_id=mailbox.pk,
        organization_id=mailbox.organization_id,
        category=mailbox.category.slug if mailbox.category_id else None,
        tier=tier,
        team=mailbox.team,
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
    return _receive(raw, inbound_message(parsed), rules)


def _receive(
    raw: bytes, message: InboundMessage, rules: IntakeRules, looked_up: bool = False
) -> Received:
    try:
        return receive(message, rules, looked_up=looked_up)
    except (ValueError, TypeError, UnicodeError, LookupError) as error:
        logger.exception("mail %s could not be stored; quarantined", message.external_id)
        return quarantine(
            raw, reason=f"{type(error).__name__}: {error}", mailbox_id=rules.mailbox_id
        )


def ingest_batch(
    raws: list[bytes], *, mailbox: Mailbox | None = None, rules: IntakeRules | None = None
) -> list[Received]:
    """Store a batch of raw messages (an IMAP fetch), each in its own transaction, as
    :func:`ingest` would one by one; which of them are stored already is asked once for
    the whole batch."""
    rules = rules or rules_for(mailbox)
    parsed: list[InboundMessage | Received] = []
    for raw in raws:
        try:
            parsed.append(inbound_message(parse_message(raw)))
        except Unparseable as error:
            parsed.append(quarantine(raw, reason=str(error), mailbox_id=rules.mailbox_id))
    earlier = stored_before(
        "email", [item.external_id for item in parsed if isinstance(item, InboundMessage)]
    )
    results = []
    for raw, item in zip(raws, parsed, strict=True):
        if isinstance(item, Received):
            results.append(item)
        elif item.external_id[:255] in earlier:
            results.append(earlier[item.external_id[:255]])
        else:
            results.append(_receive(raw, item, rules, looked_up=True))
    return results


def reprocess_quarantined(quarantined_id: int) -> Received | None:
    """Try a quarantined message again (after a fix to the parser or the data).

    A message that now reads is received like a new one and the quarantine row keeps the
    outcome and ticket; a row already reprocessed returns its outcome without doing anything
    again (idempotent, also when two administrators click at once: the row is locked). One
    that still fails stays in the quarantine with the new reason. None: no such row."""
    with transaction.atomic():
        row = (
            QuarantinedMessage.objects.select_for_update(of=("self",))
            .select_related("mailbox__category", "mailbox__tier", "mailbox__team")
            .filter(pk=quarantined_id)
            .first()
        )
        if row is None:
            return None
        if row.outcome:
            return Received(row.outcome, "already_reprocessed", row.ticket_id, duplicate=True)
        raw = bytes(row.raw)
        rules = rules_for(row.mailbox)
        now = timezone.now()
        try:
            message = inbound_message(parse_message(raw))
            with transaction.atomic():
                # The quarantine's marker (by content hash) must not pass for the message.
                ChannelMessage.objects.filter(
                    channel=row.channel, external_id=row.external_id, outcome=Outcome.QUARANTINED
                ).delete()
                received = receive(message, rules)
        except Unparseable as error:
            return _still_failing(row, str(error), now)
        except (ValueError, TypeError, UnicodeError, LookupError) as error:
            return _still_failing(row, f"{type(error).__name__}: {error}", now)
        row.outcome = received.outcome
        row.ticket_id = received.ticket_id
        row.reprocessed_at = now
        row.save(update_fields=["outcome", "ticket", "reprocessed_at"])
    return received


def _still_failing(row: QuarantinedMessage, reason: str, now) -> Received:
    row.reason = reason[:2000]
    row.reprocessed_at = now
    row.save(update_fields=["reason", "reprocessed_at"])
    return Received(Outcome.QUARANTINED, reason[:60])


__all__ = ["Outcome", "ingest", "ingest_batch", "reprocess_quarantined", "rules_for"]
