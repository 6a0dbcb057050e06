"""Read paths for tickets. ``visible_tickets`` is the only way any list, detail,
search or export gets tickets, so what a person may see is decided here once."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from tierdesk.accounts.models import Membership, User
from tierdesk.tickets.errors import TicketNotFound
from tierdesk.tickets.models import HANDOFF_KINDS, MAX_TICKET_ID, Event, Ticket


def visible_tickets(user: User) -> QuerySet[Ticket]:
    """The tickets ``user`` may see.

    - A customer: their organization's tickets, or only their own when the organization
      says so.
    - An agent: tickets in the tiers and teams they belong to (a team member also sees the
      tier's tickets not yet given to any team), tickets assigned to them, and tickets they
      have worked on (their entries are on its timeline), so L1 can still tell the customer
      where an escalated ticket stands; every ticket when their profile says
      ``sees_all_tickets``.
    - Supervisors and admins: every ticket.
    """
    tickets = Ticket.objects.all()
    if not user.is_authenticated or not user.is_active:
        return tickets.none()
    if user.is_customer:
        organization = user.organization
        if organization is None:
            return tickets.none()
        tickets = tickets.filter(organization_id=organization.pk)
        if not organization.customers_see_all_tickets:
            tickets = tickets.filter(requester_id=user.pk)
        return tickets
    if user.is_supervisor or user.sees_all_tickets:
        return tickets
    if not user.is_staff_member:
        return tickets.none()
    # A correlated EXISTS on the (actor, ticket) index: checked per candidate row, instead of
    # building the list of every ticket the agent ever touched on each request.
    worked_on = Exists(Event.objects.filter(ticket_id=OuterRef("pk"), actor_id=user.pk))
    scope = Q(assignee_id=user.pk) | Q(worked_on)
    for tier_id, team_id in Membership.objects.filter(user=user).values_list("tier_id", "team_id"):
        if team_id is None:
            scope |= Q(tier_id=tier_id)
        else:
            scope |= Q(tier_id=tier_id, team_id=team_id) | Q(tier_id=tier_id, team__isnull=True)
    return tickets.filter(scope)


def get_visible_ticket(user: User, ticket_id: int) -> Ticket:
    """One ticket ``user`` may see, with what its page shows; TicketNotFound otherwise
    (also when it exists but is not theirs to see, so existence does not leak)."""
    if not 0 < ticket_id <= MAX_TICKET_ID:
        raise TicketNotFound()
    ticket = (
        visible_tickets(user)
        .select_related(
            "requester", "organization", "category", "tier", "team", "assignee", "resolved_tier"
        )
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise TicketNotFound()
    return ticket


def visible_events(user: User, ticket: Ticket) -> QuerySet[Event]:
    """The timeline of a ticket the caller already may see; customers never get internal events."""
    events = ticket.events.select_related("actor").order_by("created_at", "id")
    if user.is_customer:
        events = events.filter(is_internal=False)
    return events


def handoff_events(user: User, ticket: Ticket) -> QuerySet[Event]:
    """Escalations, de-escalations and team moves with their handoff notes, newest first.
    Handoffs are internal working notes: customers get none."""
    if user.is_customer:
        return Event.objects.none()
    return (
        ticket.events.filter(kind__in=HANDOFF_KINDS)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def sla_state(state: str, now: datetime) -> Q:
    """Tickets whose contract clocks (first response, resolution) are ``breached`` (recorded
    by the sweep, or a running clock past its due time), in ``warning`` (past the warning
    moment, not breached) or ``ok``."""
    running = Q(status__in=["new", "open"])
    waiting_for_response = running & Q(first_responded_at__isnull=True)
    breached = (
        Q(first_response_breached_at__isnull=False)
        | Q(resolution_breached_at__isnull=False)
        | (waiting_for_response & Q(first_response_due__lt=now))
        | (running & Q(resolution_due__lt=now))
    )
    warning = ~breached & (
        (waiting_for_response & Q(first_response_warn_at__lte=now))
        | (running & Q(resolution_warn_at__lte=now))
    )
    if state == "breached":
        return breached
    if state == "warning":
        return warning
    return ~breached & ~warning
