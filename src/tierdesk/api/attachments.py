"""Attachments of a ticket, for those who may see the ticket; customers never get the files
of internal entries."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router

from tierdesk.api.schemas import ErrorOut, OutSchema
from tierdesk.errors import NotFound
from tierdesk.tickets.models import Attachment, Ticket
from tierdesk.tickets.queries import get_visible_ticket

router = Router(tags=["tickets"])

# Types a browser may show inline; anything else is downloaded, never rendered on our origin.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}


class AttachmentOut(OutSchema):
    id: int
    filename: str
    content_type: str
    size: int
    is_inline: bool
    event_id: int | None


def _visible_attachments(request: HttpRequest, ticket: Ticket):
    attachments = Attachment.objects.filter(ticket=ticket)
    if request.user.is_customer:
        attachments = attachments.exclude(event__is_internal=True)
    return attachments


@router.get(
    "/tickets/{ticket_id}/attachments",
    response={200: list[AttachmentOut], 401: ErrorOut, 404: ErrorOut},
)
def list_attachments(request: HttpRequest, ticket_id: int):
    ticket = get_visible_ticket(request.user, ticket_id, related=False)
    return list(_visible_attachments(request, ticket).order_by("created_at", "id"))


@router.get(
    "/tickets/{ticket_id}/attachments/{attachment_id}",
    response={401: ErrorOut, 404: ErrorOut},
)
def download_attachment(request: HttpRequest, ticket_id: int, attachment_id: int):
    ticket = get_visible_ticket(request.user, ticket_id, related=False)
    attachment = _visible_attachments(request, ticket).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("Attachment not found."), code="attachment_not_found")
    inline = attachment.content_type in INLINE_TYPES
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.filename,
        content_type=attachment.content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
