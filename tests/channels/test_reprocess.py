"""Quarantined messages are tried again after a fix: by the admin action and by
`tierdesk mail reprocess [ID...]`; a message that now reads becomes its ticket once, one that
still fails stays with the new reason."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tierdesk.accounts.actions import create_person
from tierdesk.accounts.models import Role
from tierdesk.channels.email import ingest as ingest_module
from tierdesk.channels.email.ingest import ingest, reprocess_quarantined
from tierdesk.channels.email.parsing import Unparseable
from tierdesk.channels.models import ChannelMessage, QuarantinedMessage
from tierdesk.tickets.models import Ticket

GOOD = (
    b"From: customer@contoh.test\r\nTo: support@tierdesk.test\r\n"
    b"Subject: Printer macet\r\n\r\nKertas tersangkut.\r\n"  # no Message-ID: hashed
)
BROKEN = b"\x00\x01 this is not mail at all"


@pytest.fixture
def quarantined(customer, monkeypatch):
    """GOOD quarantined by a (simulated) parser bug, BROKEN quarantined for good."""
    real = ingest_module.parse_message

    def buggy(raw: bytes):
        if raw == GOOD:
            raise Unparseable("parser bug: header folding")
        return real(raw)

    monkeypatch.setattr(ingest_module, "parse_message", buggy)
    assert ingest(GOOD).outcome == "quarantined"
    assert ingest(BROKEN).outcome == "quarantined"
    monkeypatch.setattr(ingest_module, "parse_message", real)  # the fix is deployed
    good = QuarantinedMessage.objects.get(reason__startswith="parser bug")
    broken = QuarantinedMessage.objects.exclude(pk=good.pk).get()
    assert not Ticket.objects.exists()
    return good, broken


@pytest.mark.django_db
def test_a_message_that_now_parses_becomes_its_ticket_once(quarantined):
    good, _broken = quarantined
    first = reprocess_quarantined(good.pk)
    assert first.outcome == "opened"
    ticket = Ticket.objects.get()
    assert ticket.subject == "Printer macet"
    good.refresh_from_db()
    assert (good.outcome, good.ticket_id) == ("opened", ticket.pk)
    assert good.reprocessed_at is not None

    again = reprocess_quarantined(good.pk)
    assert (again.outcome, again.ticket_id, again.duplicate) == ("opened", ticket.pk, True)
    # Piped once more, the same bytes are recognised as stored.
    assert ingest(GOOD).duplicate
    assert Ticket.objects.count() == 1
    assert ChannelMessage.objects.filter(ticket=ticket).count() == 1


@pytest.mark.django_db
def test_a_message_that_still_fails_stays_with_the_new_reason(quarantined):
    _good, broken = quarantined
    QuarantinedMessage.objects.filter(pk=broken.pk).update(reason="old reason")
    result = reprocess_quarantined(broken.pk)
    assert result.outcome == "quarantined"
    broken.refresh_from_db()
    assert broken.outcome == ""
    assert broken.reason != "old reason"
    assert broken.reprocessed_at is not None
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_the_command_reprocesses_the_waiting_messages_or_the_ids_given(quarantined, capsys):
    good, broken = quarantined
    call_command("mail", "reprocess")
    output = capsys.readouterr().out
    assert f"{good.pk}: opened ticket" in output
    assert f"{broken.pk}: quarantined" in output
    call_command("mail", "reprocess", str(good.pk))
    assert "already_reprocessed" in capsys.readouterr().out
    assert Ticket.objects.count() == 1
    with pytest.raises(SystemExit) as exited:
        call_command("mail", "reprocess", "999999")
    assert exited.value.code == 65
    assert "no quarantined message 999999" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_admin_action_reprocesses_the_selection(quarantined, client):
    good, broken = quarantined
    admin = create_person(username="root", password="pw-for-tests", role=Role.ADMIN, language="en")
    client.force_login(admin)
    page = client.get("/admin/channels/quarantinedmessage/")
    assert page.status_code == 200
    assert "Reprocess the selected messages" in page.content.decode()
    response = client.post(
        "/admin/channels/quarantinedmessage/",
        {"action": "reprocess", "_selected_action": [good.pk, broken.pk]},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 message was reprocessed." in text
    assert "1 message still cannot be read" in text
    assert Ticket.objects.get().subject == "Printer macet"
    detail = client.get(f"/admin/channels/quarantinedmessage/{good.pk}/change/")
    assert detail.status_code == 200
