"""Customer satisfaction: the requester (or a colleague who sees the organization's tickets)
rates a resolution 1–5, once per resolution — signed in, or through the signed link in the
"resolved" e-mail, which works without signing in, once, for a limited time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import User
from tierdesk.cleaning import clean_text
from tierdesk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tierdesk.tickets.actions.common import locked_ticket, record_event
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import Event, EventKind, SatisfactionRating, Ticket

MIN_SCORE = 1
MAX_SCORE = 5
MAX_COMMENT_LENGTH = 5_000

# A closed ticket was resolved first: its last resolution may still be rated (e.g. from the
# link in the resolution e-mail, clicked after the ticket was closed).
RATEABLE_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})

# The link in the "resolved" e-mail: signed (SECRET_KEY, this salt), valid this long.
RATING_LINK_SALT = "tierdesk.tickets.rating-link"
RATING_LINK_MAX_AGE = timedelta(days=14)


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
    *,
    actor: User,
    ticket_id: int,
    score: Any,
    comment: Any = "",
    resolution_id: int | None = None,
) -> SatisfactionRating:
    """Rate the ticket's current resolution 1–5 with an optional comment.

    Only customers rate: the requester, or another customer of the organization when the
    organization lets its customers see each other's tickets (``visible_tickets`` decides).
    The ticket must be resolved (or closed after its resolution); each resolution is rated
    at most once. The rating shows on the timeline as ``ticket.rated``. With
    ``resolution_id`` (a rating link) only that resolution may be rated: once the ticket was
    reopened and resolved again, the old link is refused.
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
            if resolution_id is not None and resolution.pk != resolution_id:
                raise Conflict(_LINK_SUPERSEDED, code="link_superseded")
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


_LINK_SUPERSEDED = _(
    "The ticket was reopened after this link was sent; the link rates a resolution that no "
    "longer stands."
)
_LINK_INVALID = _("This rating link is not valid. Please copy the whole link from the e-mail.")


def rating_token(*, ticket_id: int, resolution_id: int, requester_id: int) -> str:
    """The signed, URL-safe token of a rating link for one resolution and one requester."""
    return signing.dumps(
        {"t": ticket_id, "r": resolution_id, "u": requester_id}, salt=RATING_LINK_SALT
    )


@dataclass(frozen=True)
class RatingLink:
    ticket: Ticket
    resolution: Event
    requester: User


def read_rating_link(token: Any) -> RatingLink:
    """What a rating link names, or a domain error saying why it cannot be used: tampered
    (``link_invalid``), expired (``link_expired``), already used (``already_rated``) or
    reopened since (``link_superseded``)."""
    if not isinstance(token, str) or not token or len(token) > 500:
        raise NotFound(_LINK_INVALID, code="link_invalid")
    try:
        data = signing.loads(
            token, salt=RATING_LINK_SALT, max_age=RATING_LINK_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired:
        raise Conflict(
            _("This rating link has expired. You can still rate the ticket in the portal."),
            code="link_expired",
        ) from None
    except (signing.BadSignature, ValueError):
        raise NotFound(_LINK_INVALID, code="link_invalid") from None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), int) and not isinstance(data.get(key), bool)
        for key in ("t", "r", "u")
    ):
        raise NotFound(_LINK_INVALID, code="link_invalid")
    resolution = (
        Event.objects.filter(pk=data["r"], ticket_id=data["t"], kind=EventKind.RESOLVED)
        .select_related("ticket__requester")
        .first()
    )
    if resolution is None or resolution.ticket.requester_id != data["u"]:
        raise NotFound(_LINK_INVALID, code="link_invalid")
    ticket = resolution.ticket
    requester = ticket.requester
    if not requester.is_active or not requester.is_customer:
        raise NotFound(_LINK_INVALID, code="link_invalid")
    if SatisfactionRating.objects.filter(resolution=resolution).exists():
        raise Conflict(
            _("This link was already used: the resolution has been rated. Thank you."),
            code="already_rated",
        )
    latest = latest_resolution(ticket.pk)
    if ticket.status not in RATEABLE_STATUSES or latest is None or latest.pk != resolution.pk:
        raise Conflict(_LINK_SUPERSEDED, code="link_superseded")
    return RatingLink(ticket=ticket, resolution=resolution, requester=requester)


def rate_by_link(*, token: Any, score: Any, comment: Any = "") -> SatisfactionRating:
    """Rate through the e-mail's link, as the requester it was sent to, without signing in.
    Single use: it rates one resolution, and each resolution is rated once."""
    link = read_rating_link(token)
    return rate_ticket(
        actor=link.requester,
        ticket_id=link.ticket.pk,
        score=score,
        comment=comment,
        resolution_id=link.resolution.pk,
    )
