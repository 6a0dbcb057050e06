"""Read paths for tickets. ``visible_tickets`` is the only way any list, detail,
search or export gets tickets, so what a person may see is decided here once."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import BooleanField, Expression, F, Q, QuerySet

from tierdesk.accounts.models import User
from tierdesk.accounts.queries import memberships_of
from tierdesk.search import index as search_index
from tierdesk.tickets.errors import TicketNotFound
from tierdesk.tickets.models import HANDOFF_KINDS, MAX_TICKET_ID, Event, Ticket, parse_ticket_number

# The kind under which tickets are in the search index (``kb.indexing`` hands them over).
TICKET_DOCUMENTS = "ticket"
# A text filter keeps the best this many full-text matches (the search interface's maximum).
TEXT_MATCH_LIMIT = search_index.MAX_LIMIT

Row = TypeVar("Row")
# What a ticket is read with wherever it is shown whole (page, API detail and list).
TICKET_RELATED = (
    "requester",
    "organization",
    "category",
    "tier",
    "team",
    "assignee",
    "resolved_tier",
    "sla_policy",
)


def in_written_join_order(rows: QuerySet[Row]) -> list[Row]:
    """The rows of ``rows`` (a ticket query with its related rows), joined in the order the
    query names them. A ticket with its eight related rows (requester, organization, tier,
    team, ...) makes PostgreSQL weigh every join order on every request: measured 73 ms of
    planning against 0.3 ms of execution for a queue page, 7.6 ms against 1 ms for one
    ticket; the written order (ticket first, then each row by primary key) is the right one."""
    if connection.vendor != "postgresql":
        return list(rows)
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL join_collapse_limit = 1")
        return list(rows)


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
    # The cheap column tests first, the probe of the timeline last: SQLite evaluates an OR
    # from left to right, and a ticket in the agent's own tier needs no probe. Given a tier
    # as a constant, PostgreSQL folds the whole predicate away for a queue of that tier.
    scope = Q()
    for membership in memberships_of(user):
        tier_id, team_id = membership.tier_id, membership.team_id
        if team_id is None:
            scope |= Q(tier_id=tier_id)
        else:
            scope |= Q(tier_id=tier_id, team_id=team_id) | Q(tier_id=tier_id, team__isnull=True)
    return tickets.filter(scope | Q(assignee_id=user.pk) | Q(WorkedOn(user.pk)))


class WorkedOn(Expression):
    """Whether ``actor_id`` has an entry on the ticket's timeline: ``EXISTS (SELECT 1 FROM
    tickets_event WHERE actor_id = %s AND ticket_id = <the ticket>)``, the probe of the
    (actor, ticket) index.

    The same SQL as ``Exists(Event.objects.filter(...))``, written out: that one builds and
    compiles a whole inner query each time a ticket query is compiled, that is on every read
    of tickets (a desk queue page compiles it four times; it was 7 % of the instructions of
    an API ticket detail). The ticket's column is an expression of the outer query, so
    Django still renames it when the ticket query is nested in another (search's visibility
    restriction).
    """

    conditional = True

    def __init__(self, actor_id: int) -> None:
        super().__init__(output_field=BooleanField())
        self.actor_id = actor_id
        self.ticket = F("pk")  # resolved to the outer query's column, renamed with it

    def get_source_expressions(self) -> list:
        return [self.ticket]

    def set_source_expressions(self, expressions: list) -> None:
        (self.ticket,) = expressions

    def as_sql(self, compiler, connection) -> tuple[str, tuple]:
        ticket_sql, ticket_params = compiler.compile(self.ticket)
        quote = connection.ops.quote_name
        table, entry = quote(Event._meta.db_table), quote("worked_on")
        actor = quote(Event._meta.get_field("actor").column)
        ticket = quote(Event._meta.get_field("ticket").column)
        sql = (
            f"EXISTS (SELECT 1 FROM {table} {entry} "
            f"WHERE {entry}.{actor} = %s AND {entry}.{ticket} = {ticket_sql})"
        )
        return sql, (self.actor_id, *ticket_params)


def matching_text(user: User, tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """``tickets`` narrowed to those matching ``text``: a ticket number (``TD-000123``,
    ``123``) gives that ticket; words give the best TEXT_MATCH_LIMIT full-text matches in
    subject or description among the tickets ``user`` may see (words, stems and synonyms,
    as the search index understands them) — an index look-up instead of a substring scan
    of every ticket."""
    number = parse_ticket_number(text)
    if number is not None:
        return tickets.filter(pk=number)
    sees_all = not user.is_customer and (user.is_supervisor or user.sees_all_tickets)
    visibility = (
        None if sees_all else search_index.Visibility(ids=visible_tickets(user).values("pk"))
    )
    results = search_index.search(
        text, kinds={TICKET_DOCUMENTS: visibility}, limit=TEXT_MATCH_LIMIT, fuzzy=False
    )
    return tickets.filter(pk__in=[hit.object_id for hit in results.hits])


def get_visible_ticket(user: User, ticket_id: int, *, related: bool = True) -> Ticket:
    """One ticket ``user`` may see, with what its page shows; TicketNotFound otherwise
    (also when it exists but is not theirs to see, so existence does not leak).

    ``related=False`` reads the ticket's own row only, for a caller that needs no more than
    its visibility and its timeline or attachments: the eight joined rows (requester,
    organization, tier, ...) cost more to ask for and build than the rest of such a request.
    """
    if not 0 < ticket_id <= MAX_TICKET_ID:
        raise TicketNotFound()
    candidates = visible_tickets(user).filter(pk=ticket_id)
    if related:
        candidates = in_written_join_order(candidates.select_related(*TICKET_RELATED))
    ticket = next(iter(candidates), None)
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


def latest_handoff(events: list[Event]) -> Event | None:
    """The newest escalation, de-escalation or team move among a timeline already read (in
    time order), so a page that shows both needs no second query."""
    return next((event for event in reversed(events) if event.kind in HANDOFF_KINDS), None)


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
