"""Notifications through a real SMTP server: once each, threaded, tagged, in the recipient's
language, never about internal notes to customers; a failed send shows on the timeline."""

from __future__ import annotations

import pytest
import time_machine

from tests.tickets.test_sla_sweep import open_at, wib
from tierdesk.channels.email import outbound
from tierdesk.channels.email.ingest import ingest
from tierdesk.channels.models import MailWindow, Notification
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.status import resolve_ticket
from tierdesk.tickets.models import Event, EventKind
from tierdesk.tickets.sweeps import sweep

from .conftest import MAIL_DATA


def deliver() -> None:
    outbound.collect()
    outbound.send_due()


def by_recipient(sink) -> dict[str, list]:
    found: dict[str, list] = {}
    for message in sink.messages:
        found.setdefault(str(message["To"]), []).append(message)
    return found


@pytest.mark.django_db
def test_a_mailed_ticket_is_acknowledged_and_the_agents_are_told(customer, l1_agent, smtp_server):
    received = ingest((MAIL_DATA / "01-plain.eml").read_bytes())
    deliver()
    mails = by_recipient(smtp_server)
    (receipt,) = mails["customer@contoh.test"]
    number = f"TD-{received.ticket_id:06d}"
    assert f"[{number}]" in receipt["Subject"]
    assert number in receipt.get_content()
    assert receipt["Auto-Submitted"] == "auto-replied"
    assert receipt["In-Reply-To"] == "<own1@contoh.test>"
    (alert,) = mails["agent1@tierdesk.test"]
    assert alert["Auto-Submitted"] == "auto-generated"
    # Running the job again sends nothing more.
    deliver()
    assert len(smtp_server.messages) == 2


@pytest.mark.django_db
def test_agent_replies_go_out_threaded_and_the_customer_answer_threads_back(
    customer, l1_agent, smtp_server
):
    received = ingest((MAIL_DATA / "01-plain.eml").read_bytes())
    deliver()
    smtp_server.messages.clear()
    add_message(actor=l1_agent, ticket_id=received.ticket_id, body="Sudah dicoba restart?")
    add_message(
        actor=l1_agent, ticket_id=received.ticket_id, body="Catatan rahasia", is_internal=True
    )
    deliver()
    (reply,) = smtp_server.messages
    assert str(reply["To"]) == "customer@contoh.test"
    assert "Sudah dicoba restart?" in reply.get_content()
    assert "Catatan rahasia" not in reply.get_content()
    assert reply["Auto-Submitted"] is None  # a person wrote it
    assert "<own1@contoh.test>" in reply["References"]
    answer = (
        f"From: customer@contoh.test\nSubject: Re: {reply['Subject']}\n"
        f"In-Reply-To: {reply['Message-ID']}\nMessage-ID: <answer@contoh.test>\n\n"
        "Sudah, tetap tidak bisa.\n"
    ).encode()
    threaded = ingest(answer)
    assert threaded.outcome == "threaded"
    assert threaded.ticket_id == received.ticket_id
    # Our own mail coming back is never a ticket.
    assert ingest(reply.as_bytes()).outcome == "ignored"


@pytest.mark.django_db
def test_customer_mail_comes_in_their_language(customer, l1_agent, smtp_server):
    customer.language = "id"
    customer.save()
    received = ingest((MAIL_DATA / "01-plain.eml").read_bytes())
    resolve_ticket(actor=l1_agent, ticket_id=received.ticket_id, resolution="Toner diganti.")
    deliver()
    mails = by_recipient(smtp_server)["customer@contoh.test"]
    assert len(mails) == 2  # received, resolved
    assert any("Toner diganti." in mail.get_content() for mail in mails)


@pytest.mark.django_db
def test_a_send_that_keeps_failing_is_visible_on_the_timeline(customer, l1_agent, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens: connection refused
    settings.EMAIL_TIMEOUT = 2
    received = ingest((MAIL_DATA / "01-plain.eml").read_bytes())
    outbound.collect()
    for _attempt in range(outbound.MAX_ATTEMPTS):
        Notification.objects.update(
            next_attempt_at=Notification._meta.get_field("created_at").default()
        )
        outbound.send_due()
    assert set(Notification.objects.values_list("state", flat=True)) == {"failed"}
    failure = received_ticket_events(received.ticket_id).filter(kind=EventKind.NOTE).first()
    assert failure is not None
    assert failure.is_internal
    assert failure.data["email_failed"] is True


def received_ticket_events(ticket_id: int):
    from tierdesk.tickets.models import Event

    return Event.objects.filter(ticket_id=ticket_id)


@pytest.mark.django_db
def test_the_receipt_suggests_matching_help_articles(customer, l1_agent, smtp_server, settings):
    from tierdesk.kb.actions import create_article, publish_article

    settings.TIERDESK_PUBLIC_URL = "https://desk.example.test"
    article = create_article(
        actor=l1_agent,
        title="Printer tidak bisa mencetak",
        body="Matikan printer, tunggu 30 detik, nyalakan lagi, lalu hapus antrean cetak.",
        language="id",
    )
    publish_article(actor=l1_agent, article_id=article.pk)
    ingest((MAIL_DATA / "01-plain.eml").read_bytes())
    deliver()
    (receipt,) = by_recipient(smtp_server)["customer@contoh.test"]
    body = receipt.get_content()
    assert f"https://desk.example.test/kb/{article.pk}/?from=email" in body
    assert "Printer tidak bisa mencetak" in body


@pytest.mark.django_db
def test_the_holder_and_the_tiers_supervisor_hear_of_an_sla_warning_and_breach(
    customer, l1_agent, supervisor, smtp_server
):
    ticket = open_at(customer, wib(2026, 3, 2, 9, 0))  # P3: tier target 11:00, warning 10:30
    with time_machine.travel(wib(2026, 3, 2, 9, 10), tick=False):
        assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="me")
    deliver()  # the receipt and the new-ticket alert
    smtp_server.messages.clear()
    sweep(now=wib(2026, 3, 2, 10, 31))
    deliver()
    mails = by_recipient(smtp_server)
    assert set(mails) == {"agent1@tierdesk.test", "lead@tierdesk.test"}
    (warning,) = mails["agent1@tierdesk.test"]
    assert warning["Subject"] == f"SLA warning: s [TD-{ticket.pk:06d}]"
    assert warning["Auto-Submitted"] == "auto-generated"
    assert f"Tier target for ticket TD-{ticket.pk:06d} (P3) is due at" in warning.get_content()
    assert "2026-03-02 11:00 (Asia/Jakarta)" in warning.get_content()
    smtp_server.messages.clear()
    sweep(now=wib(2026, 3, 2, 11, 5))
    deliver()
    subjects = {str(mail["To"]): mail["Subject"] for mail in smtp_server.messages}
    assert subjects == {
        "agent1@tierdesk.test": f"SLA target missed: s [TD-{ticket.pk:06d}]",
        "lead@tierdesk.test": f"SLA target missed: s [TD-{ticket.pk:06d}]",
    }
    assert customer.email not in subjects  # the customer never hears of internal clocks


@pytest.mark.django_db
def test_many_sla_events_name_their_people_in_one_query(
    customer, l1_agent, supervisor, django_assert_max_num_queries
):
    tickets = [open_at(customer, wib(2026, 3, 2, 9, 0)) for _ in range(5)]
    with time_machine.travel(wib(2026, 3, 2, 9, 10), tick=False):
        for ticket in tickets:
            assign_ticket(actor=l1_agent, ticket_id=ticket.pk, assignee="me")
    outbound.collect()  # the opening mails
    sweep(now=wib(2026, 3, 2, 10, 31))  # five tier warnings
    events = list(Event.objects.filter(kind=EventKind.SLA_WARNING))
    assert len(events) == 5
    with django_assert_max_num_queries(1):
        staff = outbound.notified_staff(events)
    assert set(staff) == {"agent1", "lead"}
    assert {item.recipient.username for item in outbound.plan(events[0], staff)} == {
        "agent1",
        "lead",
    }


@pytest.mark.django_db
def test_a_batch_goes_out_over_one_connection_with_a_fixed_number_of_writes(
    customer, l1_agent, smtp_server, settings
):
    from django.db import connection

    settings.TIERDESK_EMAIL_DIGEST_MINUTES = 0  # a mail per ticket to the agent as well
    from django.test.utils import CaptureQueriesContext

    from tierdesk.tickets.actions.opening import open_ticket

    def writes_to_send(tickets: int) -> tuple[int, int]:
        for n in range(tickets):
            open_ticket(actor=customer, subject=f"Printer {n} macet", description="Kertas.")
        outbound.collect()
        already = len(smtp_server.messages)
        with CaptureQueriesContext(connection) as captured:
            sent = outbound.send_due()
        writes = [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]
        assert sent == len(smtp_server.messages) - already == 2 * tickets  # receipt + agent
        assert len(set(smtp_server.connections[already:])) == 1  # one SMTP session
        return sent, len(writes)

    few = writes_to_send(1)[1]
    many = writes_to_send(6)[1]
    assert many == few
    assert Notification.objects.exclude(state="sent").count() == 0


def digest_of(mail) -> tuple[str, str]:
    return mail["X-Tierdesk-Notification"], mail["Subject"]


@pytest.mark.django_db
def test_an_agent_hears_of_a_new_ticket_at_once_and_of_the_rest_in_one_digest(
    customer, l1_agent, smtp_server, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from tierdesk.tickets.actions.opening import open_ticket

    settings.TIERDESK_EMAIL_DIGEST_MINUTES = 10
    start = timezone.now()

    def open_one(subject: str) -> int:
        return open_ticket(actor=customer, subject=subject, description="Mohon dibantu.").ticket.pk

    def agent_mails() -> list:
        return by_recipient(smtp_server).get("agent1@tierdesk.test", [])

    with time_machine.travel(start, tick=False):
        first = open_one("Printer macet")
        deliver()
        deliver()  # running again: neither mailed nor held twice
    (alert,) = agent_mails()
    assert alert["Subject"] == f"New ticket in your queue: Printer macet [TD-{first:06d}]"
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        later = [open_one(subject) for subject in ("VPN putus", "Akun terkunci", "Email spam")]
        deliver()
        deliver()
    assert len(agent_mails()) == 1  # the rest waits for the window's end
    assert len(by_recipient(smtp_server)["customer@contoh.test"]) == 4  # receipts go at once
    with time_machine.travel(start + timedelta(minutes=10, seconds=1), tick=False):
        deliver()
        deliver()  # running again sends nothing more
    digest = agent_mails()[1]
    assert len(agent_mails()) == 2
    assert digest_of(digest) == ("queue_digest", "3 tickets reached your queue")
    assert digest["Auto-Submitted"] == "auto-generated"
    assert digest["In-Reply-To"] is None  # about several tickets: no thread, no ticket tag
    body = digest.get_content()
    for number, subject in zip(later, ("VPN putus", "Akun terkunci", "Email spam"), strict=True):
        assert f"TD-{number:06d} · {subject}" in body
        assert f"/desk/tickets/{number}/" in body
    # Two rows for the agent: the alert, and the digest naming the three events it told of.
    alert_row, digest_row = Notification.objects.filter(recipient=l1_agent).order_by("pk")
    assert (alert_row.kind, digest_row.kind) == ("new_ticket", "queue_digest")
    assert [Event.objects.get(pk=pk).ticket_id for pk in digest_row.events] == later
    # The digest opened a new window: one more ticket in it waits, and goes out on its own.
    with time_machine.travel(start + timedelta(minutes=12), tick=False):
        last = open_one("Internet lambat")
        deliver()
    assert len(agent_mails()) == 2
    with time_machine.travel(start + timedelta(minutes=20, seconds=2), tick=False):
        deliver()
    alone = agent_mails()[2]
    assert alone["Subject"] == f"New ticket in your queue: Internet lambat [TD-{last:06d}]"


@pytest.mark.django_db
def test_the_digest_comes_in_the_agents_language(customer, l1_agent, smtp_server, settings):
    from datetime import timedelta

    from django.utils import timezone

    from tierdesk.tickets.actions.opening import open_ticket

    l1_agent.language = "id"
    l1_agent.save(update_fields=["language"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for subject in ("Printer macet", "VPN putus", "Akun terkunci"):
            open_ticket(actor=customer, subject=subject, description="Mohon dibantu.")
        deliver()
    with time_machine.travel(
        start + timedelta(minutes=settings.TIERDESK_EMAIL_DIGEST_MINUTES, seconds=1), tick=False
    ):
        deliver()
    alert, digest = by_recipient(smtp_server)["agent1@tierdesk.test"]
    assert alert["Subject"].startswith("Tiket baru di antrean Anda: Printer macet")
    assert digest_of(digest) == ("queue_digest", "2 tiket masuk ke antrean Anda")
    assert "baru di L1" in digest.get_content()


@pytest.mark.django_db
def test_one_run_of_the_job_sends_batch_after_batch_while_mail_is_due(
    customer, l1_agent, smtp_server, monkeypatch, settings
):
    from tierdesk.channels.email import tasks
    from tierdesk.tickets.actions.opening import open_ticket

    settings.TIERDESK_EMAIL_DIGEST_MINUTES = 0
    monkeypatch.setattr(outbound, "SEND_BATCH", 3)
    monkeypatch.setattr(tasks, "PAUSE_BETWEEN_BATCHES", 0)
    for n in range(4):
        open_ticket(actor=customer, subject=f"Printer {n} macet", description="Kertas.")
    # Eight mails (a receipt and an agent's alert per ticket) in batches of three.
    assert tasks.send_notifications.call() == 8
    assert len(smtp_server.messages) == 8
    assert len(set(smtp_server.connections)) == 3  # one SMTP session per batch


@pytest.mark.django_db
def test_collecting_new_tickets_reads_each_tiers_agents_once(customer, l1_agent, second_l1_agent):
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tierdesk.tickets.actions.opening import open_ticket

    start = timezone.now()

    def queries_to_collect(tickets: int, minutes: int) -> int:
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            for n in range(tickets):
                open_ticket(actor=customer, subject=f"Printer {n} macet", description="Kertas.")
            with CaptureQueriesContext(connection) as captured:
                assert outbound.collect() > 0
        return len(captured.captured_queries)

    queries_to_collect(1, 0)  # the agents' windows open
    with time_machine.travel(start + outbound.LOOKBACK + timedelta(seconds=1), tick=False):
        outbound.collect()  # gaps other tests left in the ids are forgotten
    assert queries_to_collect(6, 3) == queries_to_collect(2, 6)


@pytest.mark.django_db
def test_a_long_digest_lists_the_newest_and_counts_the_rest(
    customer, l1_agent, smtp_server, settings, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from tierdesk.tickets.actions.opening import open_ticket

    monkeypatch.setattr(outbound, "DIGEST_LISTED", 2)
    start = timezone.now()
    subjects = ["Printer macet", "VPN putus", "Akun terkunci", "Email spam", "Internet lambat"]
    with time_machine.travel(start, tick=False):
        for subject in subjects:
            open_ticket(actor=customer, subject=subject, description="Mohon dibantu.")
        deliver()
    # The window keeps only what the digest will list, and counts the rest: a busy queue
    # does not grow every agent's window by an entry per ticket.
    window = MailWindow.objects.get(recipient=l1_agent)
    assert (len(window.held), window.held_count) == (2, 4)
    later = start + timedelta(minutes=settings.TIERDESK_EMAIL_DIGEST_MINUTES, seconds=1)
    with time_machine.travel(later, tick=False):
        deliver()
    _alert, digest = by_recipient(smtp_server)["agent1@tierdesk.test"]
    body = digest.get_content()
    assert digest["Subject"] == "4 tickets reached your queue"
    for listed in ("Email spam", "Internet lambat"):
        assert listed in body
    for counted in ("VPN putus", "Akun terkunci"):
        assert counted not in body
    assert "…and 2 more." in body


@pytest.mark.django_db
def test_a_busy_desk_is_read_batch_after_batch_without_waiting(customer, monkeypatch):
    """More events than a batch within two minutes: each run reads the next batch. (Reading
    the last two minutes again on every run once kept the new events waiting.)"""
    from tierdesk.channels.models import OutboxCursor
    from tierdesk.tickets.actions.opening import open_ticket

    outbound.collect()
    monkeypatch.setattr(outbound, "BATCH", 4)
    opened = [
        open_ticket(actor=customer, subject=f"VPN putus {n}", description="d").ticket.pk
        for n in range(10)
    ]
    for _ in range(3):
        outbound.collect(batch=outbound.BATCH)
    receipts = Notification.objects.filter(kind="received", recipient=customer)
    assert sorted(receipts.values_list("event__ticket_id", flat=True)) == opened
    newest = Event.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert OutboxCursor.objects.get(name=outbound.CURSOR).last_event_id == newest


def settle_cursor(customer) -> None:
    """Bring the cursor up to the newest id (other tests' rolled-back ids lie below it)."""
    from tierdesk.tickets.actions.opening import open_ticket

    open_ticket(actor=customer, subject="Mulai", description="d")
    outbound.collect()


@pytest.mark.django_db
def test_an_event_committed_after_the_cursor_passed_its_id_is_mailed_once(customer):
    """PostgreSQL hands out ids before commit: a long transaction's event can become visible
    after later ones were read. The gap is remembered and looked for on the next runs."""
    from tierdesk.channels.models import OutboxCursor
    from tierdesk.tickets.actions.opening import open_ticket

    settle_cursor(customer)
    first = open_ticket(actor=customer, subject="Printer macet", description="d").ticket
    opened = Event.objects.get(ticket=first, kind=EventKind.OPENED)
    late_id = opened.pk
    opened.delete()  # not visible yet, as if its transaction were still open
    second = open_ticket(actor=customer, subject="VPN putus", description="d").ticket
    outbound.collect()
    assert late_id in [pk for pk, _at in OutboxCursor.objects.get(name=outbound.CURSOR).holes]
    opened.pk = late_id  # the transaction commits
    opened.save(force_insert=True)
    outbound.collect()
    outbound.collect()
    receipts = Notification.objects.filter(kind="received", recipient=customer)
    assert sorted(
        receipts.filter(event__ticket__in=[first, second]).values_list(
            "event__ticket_id", flat=True
        )
    ) == [first.pk, second.pk]
    assert late_id not in [pk for pk, _at in OutboxCursor.objects.get(name=outbound.CURSOR).holes]


@pytest.mark.django_db
def test_a_gap_that_never_fills_is_forgotten_after_the_lookback(customer):
    from datetime import timedelta

    from django.utils import timezone

    from tierdesk.channels.models import OutboxCursor
    from tierdesk.tickets.actions.opening import open_ticket

    settle_cursor(customer)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ticket = open_ticket(actor=customer, subject="Printer macet", description="d").ticket
        lost = list(Event.objects.filter(ticket=ticket).values_list("pk", flat=True))
        Event.objects.filter(ticket=ticket).delete()  # rolled back
        open_ticket(actor=customer, subject="VPN putus", description="d")
        outbound.collect()
    holes = [pk for pk, _at in OutboxCursor.objects.get(name=outbound.CURSOR).holes]
    assert set(lost) <= set(holes)
    with time_machine.travel(start + outbound.LOOKBACK + timedelta(seconds=1), tick=False):
        outbound.collect()
    assert OutboxCursor.objects.get(name=outbound.CURSOR).holes == []
