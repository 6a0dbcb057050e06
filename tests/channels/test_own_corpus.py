"""Our own corpus (tests/data/mail/): each message ingests to the expected ticket, or is
deliberately ignored or quarantined."""

from __future__ import annotations

import json

import pytest

from tierdesk.accounts.actions import create_organization
from tierdesk.accounts.models import User
from tierdesk.channels.email.ingest import ingest
from tierdesk.channels.models import ChannelMessage, Mailbox, QuarantinedMessage
from tierdesk.tickets.models import Attachment, Event, Ticket

from .conftest import MAIL_DATA

EXPECTED = json.loads((MAIL_DATA / "EXPECTED.json").read_text(encoding="utf-8"))


def test_the_corpus_has_at_least_forty_messages():
    assert len(list(MAIL_DATA.glob("*.eml"))) >= 40
    assert set(EXPECTED) == {path.name for path in MAIL_DATA.glob("*.eml")}


@pytest.mark.django_db
def test_every_message_of_our_corpus_ends_where_expected(customer, other_org_customer, l1_agent):
    walk_in = create_organization(name="Walk-in", slug="walk-in")
    mailbox = Mailbox.objects.create(
        name="support", address="support@tierdesk.test", poll_imap=False, organization=walk_in
    )
    ticket_of: dict[str, int] = {}
    problems = []
    for path in sorted(MAIL_DATA.glob("*.eml")):
        expected = EXPECTED[path.name]
        raw = path.read_bytes()
        if expected.get("template"):
            raw = raw.replace(b"{ticket}", b"%06d" % ticket_of[expected["thread_of"]])
        received = ingest(raw, mailbox=mailbox)
        if received.ticket_id:
            ticket_of[path.name] = received.ticket_id

        def check(condition: bool, what: str, name: str = path.name, got=received) -> None:
            if not condition:
                problems.append(f"{name}: {what} (got {got})")

        check(received.outcome == expected["outcome"], f"outcome {expected['outcome']}")
        if "reason" in expected:
            check(received.reason == expected["reason"], f"reason {expected['reason']}")
        if received.outcome == "quarantined":
            check(QuarantinedMessage.objects.filter(reason__isnull=False).exists(), "kept raw")
            continue
        if received.ticket_id is None:
            continue
        ticket = Ticket.objects.get(pk=received.ticket_id)
        event = Event.objects.get(pk=received.event_id)
        if received.outcome == "opened":
            check(ticket.channel == "email", "channel email")
        if "subject" in expected:
            check(ticket.subject == expected["subject"], f"subject {expected['subject']!r}")
        if "subject_startswith" in expected:
            check(ticket.subject.startswith(expected["subject_startswith"]), "subject start")
            check(len(ticket.subject) <= 200, "subject fits")
        if "body_contains" in expected:
            check(
                expected["body_contains"] in event.body, f"body has {expected['body_contains']!r}"
            )
        if "body_excludes" in expected:
            check(expected["body_excludes"] not in event.body, "body trimmed")
        if "event_body" in expected:
            check(event.body == expected["event_body"], f"reply body {expected['event_body']!r}")
        if "description" in expected:
            check(ticket.description == expected["description"], "description")
        stored = ChannelMessage.objects.get(event=event)
        if "html_contains" in expected:
            check(expected["html_contains"] in stored.html, "html kept")
        if "html_excludes" in expected:
            check(expected["html_excludes"] not in stored.html, "html sanitized")
        if "attachments" in expected:
            names = sorted(
                Attachment.objects.filter(event=event).values_list("filename", flat=True)
            )
            check(names == sorted(expected["attachments"]), f"attachments {names}")
        if "inline" in expected:
            check(Attachment.objects.filter(event=event, is_inline=True).count() == 1, "inline")
        if expected.get("thread_of"):
            original = ticket_of[expected["thread_of"]]
            if expected.get("not_threaded"):
                check(received.ticket_id != original, "not posted into another org's ticket")
            else:
                check(received.ticket_id == original, "threaded onto its ticket")
        if "new_customer" in expected:
            person = User.objects.get(email=expected["new_customer"])
            check(person.is_customer and person.organization.slug == "contoh", "domain customer")
        if expected.get("organization") == "mailbox":
            check(ticket.organization_id == walk_in.pk, "mailbox organization")
    assert not problems, "\n".join(problems)
