"""Customer satisfaction: a customer rates a resolved ticket."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Status
from pydantic import StrictInt

from tierdesk.api.schemas import ErrorOut, OutSchema, StrictSchema
from tierdesk.tickets.actions.satisfaction import rate_ticket

router = Router(tags=["tickets"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RatingIn(StrictSchema):
    score: StrictInt = Field(..., description="1 (very unhappy) to 5 (very happy).")
    comment: str = Field("", description="Optional.")


class RatingOut(OutSchema):
    ticket: int
    resolution_event: int
    tier: int | None
    score: int
    comment: str
    rated_by: str
    rated_at: datetime


@router.post(
    "/tickets/{ticket_id}/csat",
    response={201: RatingOut, **ERRORS},
    summary="Rate the ticket's resolution (customers; once per resolution)",
)
def rate(request: HttpRequest, ticket_id: int, payload: RatingIn):
    rating = rate_ticket(
        actor=request.user, ticket_id=ticket_id, score=payload.score, comment=payload.comment
    )
    return Status(
        201,
        {
            "ticket": rating.ticket_id,
            "resolution_event": rating.resolution_id,
            "tier": (rating.resolution.data or {}).get("tier"),
            "score": rating.score,
            "comment": rating.comment,
            "rated_by": request.user.username,
            "rated_at": rating.created_at,
        },
    )
