"""Customer satisfaction: the requester (or a colleague who sees the organization's tickets)
rates a resolution 1–5, once per resolution."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import User
from tierdesk.cleaning import clean_text
from tierdesk.errors import Conflict, InvalidInput, NotAllowed
from tierdesk.tickets.actions.common import locked_ticket, record_event
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import Event, EventKind, SatisfactionRating

MIN_SCORE = 1
MAX_SCORE = 5
MAX_COMMENT_LENGTH = 5_000

# A closed ticket was resolved first: its last resolution may still be rated (e.g. from the
# link in the resolution e-mail, clicked after the ticket was closed).
RATEABLE_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})


def clean_score(score: Any) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
        raise InvalidInput(
            _("The score is a whole number from 1 (very unhappy) to 5 (very happy)."),
            code="score_out_of_range",
            field="score",
        )
    return score


def latest_resolution(ticket_id: int) -> Event | None:
    """The ticket's most recent ``ticket.resolved`` event: the resolution a rating rates."""
    return (
        Event.objects.filter(ticket_id=ticket_id, kind=EventKind.RESOLVED)
        .order_by("-created_at", "-id")
        .first()
    )


def rate_ticket(
    *, actor: User, ticket_id: int, score: Any, comment: Any = ""
) -> SatisfactionRating:
    """Rate the ticket's current resolution 1–5 with an optional comment.

    Only customers rate: the requester, or another customer of the organization when the
    organization lets its customers see each other's tickets (``visible_tickets`` decides).
    The ticket must be resolved (or closed after its resolution); each resolution is rated
    at most once. The rating shows on the timeline as ``ticket.rated``.
    """
    at = timezone.now()
    if not actor.is_customer:
        raise NotAllowed(
            _("Only the customer can rate how a ticket was resolved."), code="customers_only"
        )
    score = clean_score(score)
    comment = clean_text(
        comment,
        field="comment",
        label=_("Comment"),
        max_length=MAX_COMMENT_LENGTH,
        required=False,
    )
    try:
        with transaction.atomic():
            ticket = locked_ticket(actor, ticket_id)
            resolution = latest_resolution(ticket.pk)
            if ticket.status not in RATEABLE_STATUSES or resolution is None:
                raise Conflict(
                    _("Only a resolved ticket can be rated."), code="ticket_not_resolved"
                )
            if SatisfactionRating.objects.filter(resolution=resolution).exists():
                raise Conflict(_("This resolution has already been rated."), code="already_rated")
            rating = SatisfactionRating.objects.create(
                ticket=ticket,
                resolution=resolution,
                score=score,
                comment=comment,
                rated_by=actor,
                created_at=at,
            )
            record_event(
                ticket,
                EventKind.RATED,
                actor,
                at,
                body=comment,
                data={
                    "score": score,
                    "resolution_event": resolution.pk,
                    "tier": (resolution.data or {}).get("tier"),
                },
            )
    except IntegrityError as error:
        # Two ratings of one resolution at the same instant: the unique resolution decides.
        raise Conflict(
            _("This resolution has already been rated."), code="already_rated"
        ) from error
    return rating
