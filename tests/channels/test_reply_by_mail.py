"""An agent's public reply from the desk or the API goes out through a real SMTP server,
threaded and tagged, with its Message-ID stored; the customer's answer, delivered into a real
Dovecot mailbox and polled, lands on the same ticket. Internal notes are never mailed."""

from __future__ import annotations

import pytest

from tierdesk.channels.email import outbound
from tierdesk.channels.email.imap import poll
from tierdesk.channels.models import ChannelMessage, Direction
from tierdesk.tickets.models import Event, EventKind, Ticket


def deliver() -> None:
    outbound.collect()
    outbound.send_due()


FIRST = (
    b"From: Customer <customer@contoh.test>\r\nTo: support@tierdesk.test\r\n"
    b"Subject: VPN tidak tersambung\r\nMessage-ID: <vpn-1@contoh.test>\r\n\r\n"
    b"Sejak pagi VPN kantor tidak tersambung.\r\n"
)


@pytest.mark.django_db
def test_desk_and_api_replies_go_out_by_mail_and_the_answer_threads_back(
    dovecot, imap_mailbox, customer, l1_agent, smtp_server, client, api_as
):
    dovecot.append(FIRST)
    poll(imap_mailbox)
    ticket = Ticket.objects.get()
    deliver()
    smtp_server.messages.clear()

    client.force_login(l1_agent)
    desk = client.post(f"/desk/tickets/{ticket.pk}/reply/", {"body": "Coba sambungkan ulang."})
    assert desk.status_code == 302
    note = client.post(f"/desk/tickets/{ticket.pk}/note/", {"body": "Catatan: cek firewall."})
    assert note.status_code == 302
    api = api_as(l1_agent)
    assert (
        api.post(f"/tickets/{ticket.pk}/messages", {"body": "Sudah kami reset."}).status_code == 201
    )
    assert (
        api.post(
            f"/tickets/{ticket.pk}/messages", {"body": "Internal: VPN gateway", "internal": True}
        ).status_code
        == 201
    )
    deliver()

    sent = [mail for mail in smtp_server.messages if str(mail["To"]) == "customer@contoh.test"]
    assert [mail.get_content().count("Coba sambungkan ulang.") for mail in sent] == [1, 0]
    assert "Sudah kami reset." in sent[1].get_content()
    for mail in smtp_server.messages:
        assert "cek firewall" not in mail.get_content()
        assert "VPN gateway" not in mail.get_content()
    for mail in sent:
        assert f"[TD-{ticket.pk:06d}]" in mail["Subject"]
        assert mail["In-Reply-To"]
        assert "<vpn-1@contoh.test>" in mail["References"]
        assert mail["Auto-Submitted"] is None  # a person wrote it
        stored = ChannelMessage.objects.get(external_id=mail["Message-ID"].strip("<>"))
        assert (stored.direction, stored.ticket_id) == (Direction.OUTBOUND, ticket.pk)
    # The second reply answers the first one the customer already has.
    assert sent[0]["Message-ID"] in sent[1]["References"]

    answer = (
        f"From: Customer <customer@contoh.test>\r\nTo: support@tierdesk.test\r\n"
        f"Subject: Re: VPN tidak tersambung\r\n"  # no tag: In-Reply-To alone must thread it
        f"In-Reply-To: {sent[1]['Message-ID']}\r\nReferences: {sent[1]['References']} "
        f"{sent[1]['Message-ID']}\r\nMessage-ID: <vpn-2@contoh.test>\r\n\r\n"
        "Sudah bisa, terima kasih.\r\n\r\n"
        "On Mon, 5 Jan 2026 Support wrote:\r\n> Sudah kami reset.\r\n"
    ).encode()
    dovecot.append(answer)
    result = poll(imap_mailbox)

    assert result.outcomes == {"threaded": 1}
    assert Ticket.objects.count() == 1
    last = Event.objects.filter(ticket=ticket, kind=EventKind.REPLY).order_by("-id").first()
    assert last.actor == customer
    assert last.body == "Sudah bisa, terima kasih."
    assert dovecot.unseen() == 0
