"""Attachments are served to those who may see the ticket, never internal ones to customers."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from tierdesk.channels.email.ingest import ingest
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.models import Attachment

from .conftest import MAIL_DATA


@pytest.mark.django_db
def test_attachment_download_follows_ticket_visibility(
    customer, other_org_customer, l1_agent, api_as
):
    received = ingest((MAIL_DATA / "17-attachment-pdf.eml").read_bytes())
    attachment = Attachment.objects.get(ticket_id=received.ticket_id)
    path = f"/tickets/{received.ticket_id}/attachments/{attachment.pk}"
    response = api_as(customer).get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 fake"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert api_as(l1_agent).get(path).status_code == 200
    assert api_as(other_org_customer).get(path).status_code == 404
    assert api_as(None).get(path).status_code == 401

    note = add_message(actor=l1_agent, ticket_id=received.ticket_id, body="log", is_internal=True)
    internal = Attachment(
        ticket_id=received.ticket_id, event=note, filename="secret.txt",
        content_type="text/plain", size=3,
    )  # fmt: skip
    internal.file.save("secret.txt", ContentFile(b"abc"), save=True)
    internal_path = f"/tickets/{received.ticket_id}/attachments/{internal.pk}"
    assert api_as(customer).get(internal_path).status_code == 404
    assert api_as(l1_agent).get(internal_path).status_code == 200
    listed = api_as(customer).get(f"/tickets/{received.ticket_id}/attachments").json()
    assert [item["filename"] for item in listed] == ["invoice.pdf"]
