"""Intake asks the database little per message, and what one run remembers never outlives
a rolled-back message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tierdesk.accounts.models import User
from tierdesk.channels import inbound
from tierdesk.channels.email.ingest import ingest, rules_for
from tierdesk.tickets.models import Ticket


def mail(index: int, sender: str = "customer@contoh.test", extra: str = "") -> bytes:
    return (
        f"From: Some One <{sender}>\r\nTo: support@tierdesk.test\r\n{extra}"
        f"Subject: Masalah {index}\r\nMessage-ID: <q{index}@contoh.test>\r\n\r\nIsi {index}.\r\n"
    ).encode()


@pytest.mark.django_db
def test_a_batch_from_known_senders_costs_a_few_queries_per_message(customer, settings):
    settings.TIERDESK_EMAIL_SENDER_LIMIT_PER_HOUR = 0
    rules = rules_for(None)
    ingest(mail(0), rules=rules)  # the first one meets the sender
    with CaptureQueriesContext(connection) as new_ticket:
        ingest(mail(1), rules=rules)
    with CaptureQueriesContext(connection) as reply:
        ingest(mail(2, extra="In-Reply-To: <q1@contoh.test>\r\n"), rules=rules)
    with CaptureQueriesContext(connection) as duplicate:
        ingest(mail(1), rules=rules)
    assert Ticket.objects.count() == 2
    # lookup, ticket (+ its event, tier period, SLA revision), the message row, transaction
    assert len(new_ticket) <= 12, [query["sql"][:80] for query in new_ticket]
    assert len(reply) <= 14, [query["sql"][:80] for query in reply]
    assert len(duplicate) == 1


@pytest.mark.django_db
def test_a_sender_created_by_a_message_that_rolled_back_is_not_remembered(
    organization, monkeypatch, settings
):
    settings.TIERDESK_EMAIL_SENDER_LIMIT_PER_HOUR = 0
    rules = rules_for(None)
    real_open = inbound.open_ticket

    def failing(**kwargs):
        raise ValueError("storage broke")

    monkeypatch.setattr(inbound, "open_ticket", failing)
    assert ingest(mail(1, "new.person@contoh.test"), rules=rules).outcome == "quarantined"
    assert not User.objects.filter(email="new.person@contoh.test").exists()
    monkeypatch.setattr(inbound, "open_ticket", real_open)

    received = ingest(mail(2, "new.person@contoh.test"), rules=rules)

    assert received.outcome == "opened"
    ticket = Ticket.objects.get()
    assert ticket.requester.email == "new.person@contoh.test"
    assert ticket.organization == organization


@pytest.mark.django_db
def test_an_address_that_is_already_a_user_name_gets_a_free_one(organization, l1_agent):
    l1_agent.username = "taken@contoh.test"
    l1_agent.save()
    received = ingest(mail(1, "taken@contoh.test"))
    assert received.outcome == "opened"
    requester = Ticket.objects.get().requester
    assert requester.username == "taken@contoh.test-2"
    assert requester.is_customer


@pytest.mark.django_db
def test_a_sender_past_the_hourly_limit_is_ignored_until_the_next_hour(customer, settings):
    import time_machine
    from django.utils import timezone

    from tierdesk.channels.models import ChannelMessage, SenderCounter

    settings.TIERDESK_EMAIL_SENDER_LIMIT_PER_HOUR = 3
    start = timezone.now().replace(minute=5, second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        outcomes = [ingest(mail(index)).outcome for index in range(5)]
    assert outcomes == ["opened", "opened", "opened", "ignored", "ignored"]
    assert ChannelMessage.objects.filter(reason="rate_limited").count() == 2
    assert SenderCounter.objects.get().count == 5
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert ingest(mail(5)).outcome == "opened"
    assert Ticket.objects.count() == 4
