"""Ticket endpoints: a schema in, one action or query, a schema out."""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field as QueryField
from ninja import Query, Router, Schema, Status

from tierdesk.accounts.models import Tier
from tierdesk.api.schemas import (
    AssignIn,
    CategoryIn,
    ChannelValue,
    DeescalateIn,
    ErrorOut,
    EscalateIn,
    EventOut,
    MessageIn,
    OrganizationIn,
    PriorityIn,
    PriorityValue,
    ReopenIn,
    ResolveIn,
    StatusIn,
    StatusValue,
    TicketDetailOut,
    TicketIn,
    TicketOut,
    TicketPageOut,
    TransferIn,
)
from tierdesk.api.serializers import event_out, handoff_out, ticket_out, ticket_rows_out
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.escalation import deescalate_ticket, escalate_ticket, transfer_ticket
from tierdesk.tickets.actions.fields import (
    change_category,
    change_organization,
    change_priority,
)
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.actions.status import reopen_ticket, resolve_ticket, set_status
from tierdesk.tickets.queries import (
    get_visible_ticket,
    handoff_events,
    matching_text,
    sla_state,
    visible_events,
    visible_tickets,
)
from tierdesk.tickets.queues import capped_count

router = Router(tags=["tickets"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}

ORDERINGS = {
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "updated_at": ("updated_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
    "priority": ("priority", "-created_at", "-id"),
    "-priority": ("-priority", "-created_at", "-id"),
    "resolution_due": (F("resolution_due").asc(nulls_last=True), "id"),
    "-resolution_due": (F("resolution_due").desc(nulls_last=True), "-id"),
}


class TicketFilters(Schema):
    tier: int | None = QueryField(None, ge=0, le=32767, description="Tier level, e.g. 1.")
    team: str | None = QueryField(None, max_length=60, description="Team short name.")
    status: StatusValue | None = None
    assignee: str | None = QueryField(
        None, max_length=150, description='Username, "me", or "none" for unassigned.'
    )
    organization: str | None = QueryField(None, max_length=60)
    priority: PriorityValue | None = None
    channel: ChannelValue | None = None
    q: str | None = QueryField(
        None,
        max_length=200,
        description="Ticket number, or words in subject or description (the best 100 "
        "full-text matches).",
    )
    sla: Literal["breached", "warning", "ok"] | None = QueryField(
        None, description="SLA state of the first-response and resolution clocks."
    )
    ordering: Literal[tuple(ORDERINGS)] = "-created_at"  # type: ignore[valid-type]
    page: int = QueryField(1, ge=1, le=100_000)
    page_size: int = QueryField(25, ge=1, le=settings.TIERDESK_API_PAGE_SIZE_MAX)


def _detail(request: HttpRequest, ticket_id: int) -> dict:
    ticket = get_visible_ticket(request.user, ticket_id)
    out = ticket_out(ticket)
    out["handoffs"] = [handoff_out(event) for event in handoff_events(request.user, ticket)]
    return out


@router.post("/tickets", response={201: TicketOut, **ERRORS}, summary="Open a ticket")
def create_ticket(request: HttpRequest, payload: TicketIn):
    opened = open_ticket(
        actor=request.user,
        idempotency_key=request.headers.get("Idempotency-Key"),
        **payload.dict(),
    )
    # The caller may see the ticket they opened (their own, or one they worked on: the opened
    # event is theirs), and the action hands back its related rows: no second read.
    return Status(201, ticket_out(opened.ticket))


@router.get("/tickets", response={200: TicketPageOut, **ERRORS}, summary="List tickets")
def list_tickets(request: HttpRequest, filters: Query[TicketFilters]):
    tickets = visible_tickets(request.user)
    if filters.tier is not None:
        # By id as a constant, not a join on the level or a subquery: the (tier, created_at,
        # id) index then serves the page, and PostgreSQL can see that the agent's visibility
        # holds for every ticket of a tier they work in.
        tier_id = Tier.objects.filter(level=filters.tier).values_list("pk", flat=True).first()
        tickets = tickets.filter(tier_id=tier_id) if tier_id is not None else tickets.none()
    if filters.team:
        tickets = tickets.filter(team__slug=filters.team)
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee == "me":
        tickets = tickets.filter(assignee_id=request.user.pk)
    elif filters.assignee:
        tickets = tickets.filter(assignee__username=filters.assignee)
    if filters.organization:
        tickets = tickets.filter(organization__slug=filters.organization)
    if filters.priority:
        tickets = tickets.filter(priority=filters.priority)
    if filters.channel:
        tickets = tickets.filter(channel=filters.channel)
    if filters.q and filters.q.strip():
        tickets = matching_text(request.user, tickets, filters.q.strip())
    if filters.sla:
        tickets = tickets.filter(sla_state(filters.sla, timezone.now()))
    # Counted exactly up to COUNT_LIMIT only: past it, ``count`` is COUNT_LIMIT and
    # ``count_is_exact`` is false; an exact count of a tier with hundreds of thousands of
    # tickets would cost more than the page itself.
    count = capped_count(tickets)
    start = (filters.page - 1) * filters.page_size
    page = tickets.order_by(*ORDERINGS[filters.ordering])[start : start + filters.page_size]
    return {
        "items": ticket_rows_out(page),
        "count": count.value,
        "count_is_exact": count.is_exact,
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.get("/tickets/{ticket_id}", response={200: TicketDetailOut, **ERRORS}, summary="A ticket")
def ticket_detail(request: HttpRequest, ticket_id: int):
    return _detail(request, ticket_id)


@router.get(
    "/tickets/{ticket_id}/timeline", response={200: list[EventOut], **ERRORS}, summary="Timeline"
)
def ticket_timeline(request: HttpRequest, ticket_id: int):
    ticket = get_visible_ticket(request.user, ticket_id, related=False)
    return [event_out(event) for event in visible_events(request.user, ticket)]


@router.post(
    "/tickets/{ticket_id}/messages",
    response={201: EventOut, **ERRORS},
    summary="Reply publicly or add an internal note",
)
def post_message(request: HttpRequest, ticket_id: int, payload: MessageIn):
    event = add_message(
        actor=request.user, ticket_id=ticket_id, body=payload.body, is_internal=payload.internal
    )
    return Status(201, event_out(event))


@router.post("/tickets/{ticket_id}/assign", response={200: TicketDetailOut, **ERRORS})
def assign(request: HttpRequest, ticket_id: int, payload: AssignIn):
    assign_ticket(actor=request.user, ticket_id=ticket_id, assignee=payload.assignee)
    return _detail(request, ticket_id)


@router.post(
    "/tickets/{ticket_id}/escalate",
    response={200: TicketDetailOut, **ERRORS},
    summary="Escalate to a higher tier with a handoff",
)
def escalate(request: HttpRequest, ticket_id: int, payload: EscalateIn):
    escalate_ticket(actor=request.user, ticket_id=ticket_id, **payload.dict())
    return _detail(request, ticket_id)


@router.post(
    "/tickets/{ticket_id}/deescalate",
    response={200: TicketDetailOut, **ERRORS},
    summary="Send back to a lower tier with instructions",
)
def deescalate(request: HttpRequest, ticket_id: int, payload: DeescalateIn):
    deescalate_ticket(actor=request.user, ticket_id=ticket_id, **payload.dict())
    return _detail(request, ticket_id)


@router.post(
    "/tickets/{ticket_id}/transfer",
    response={200: TicketDetailOut, **ERRORS},
    summary="Move to another team of the same tier",
)
def transfer(request: HttpRequest, ticket_id: int, payload: TransferIn):
    transfer_ticket(actor=request.user, ticket_id=ticket_id, **payload.dict())
    return _detail(request, ticket_id)


@router.post("/tickets/{ticket_id}/status", response={200: TicketDetailOut, **ERRORS})
def change_status(request: HttpRequest, ticket_id: int, payload: StatusIn):
    set_status(actor=request.user, ticket_id=ticket_id, status=payload.status, note=payload.note)
    return _detail(request, ticket_id)


@router.post("/tickets/{ticket_id}/resolve", response={200: TicketDetailOut, **ERRORS})
def resolve(request: HttpRequest, ticket_id: int, payload: ResolveIn):
    resolve_ticket(actor=request.user, ticket_id=ticket_id, resolution=payload.resolution)
    return _detail(request, ticket_id)


@router.post("/tickets/{ticket_id}/reopen", response={200: TicketDetailOut, **ERRORS})
def reopen(request: HttpRequest, ticket_id: int, payload: ReopenIn):
    reopen_ticket(actor=request.user, ticket_id=ticket_id, reason=payload.reason)
    return _detail(request, ticket_id)


@router.post("/tickets/{ticket_id}/priority", response={200: TicketDetailOut, **ERRORS})
def priority(request: HttpRequest, ticket_id: int, payload: PriorityIn):
    change_priority(actor=request.user, ticket_id=ticket_id, priority=payload.priority)
    return _detail(request, ticket_id)


@router.post("/tickets/{ticket_id}/category", response={200: TicketDetailOut, **ERRORS})
def category(request: HttpRequest, ticket_id: int, payload: CategoryIn):
    change_category(actor=request.user, ticket_id=ticket_id, category=payload.category)
    return _detail(request, ticket_id)


@router.post(
    "/tickets/{ticket_id}/organization",
    response={200: TicketDetailOut, **ERRORS},
    summary="Move to another organization (its SLA policy applies)",
)
def organization(request: HttpRequest, ticket_id: int, payload: OrganizationIn):
    change_organization(actor=request.user, ticket_id=ticket_id, **payload.dict())
    return _detail(request, ticket_id)
