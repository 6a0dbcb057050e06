"""The agent desk: queues, the ticket page and its actions. Each POST calls one ticket action;
a refusal re-renders the page with the reason next to the form that caused it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tierdesk.accounts.models import Team, User
from tierdesk.accounts.queries import ticket_tiers
from tierdesk.errors import DomainError
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.escalation import deescalate_ticket, escalate_ticket, transfer_ticket
from tierdesk.tickets.actions.fields import change_organization
from tierdesk.tickets.actions.status import reopen_ticket, resolve_ticket, set_status
from tierdesk.tickets.errors import TicketNotFound
from tierdesk.tickets.lifecycle import ACTIVE_STATUSES, Status, allowed_moves
from tierdesk.tickets.models import Priority, parse_ticket_number
from tierdesk.tickets.queries import get_visible_ticket, latest_handoff, visible_events
from tierdesk.tickets.queues import Count, active_tickets, capped_count, queue_counts, queues_for
from tierdesk.web import forms
from tierdesk.web.presenters import QUEUE_ROW_FIELDS, queue_rows
from tierdesk.web.templatetags.desk import queue_bar_context

PAGE_SIZE = 25
# The highest page a queue past its counting limit may be asked for (an offset the databases'
# integers hold; nobody pages that far).
MAX_PAGE = 100_000
SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "priority": ("priority", "-created_at", "-id"),
    "updated": ("-updated_at", "-id"),
    "due": (F("resolution_due").asc(nulls_last=True), "-id"),
}
REFRESH_SECONDS = 30


def staff_required(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff_member:
            return redirect("web:portal")
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def desk(request):
    queues = queues_for(request.user)
    first = next((q for q in queues if q.key.startswith("tier-")), queues[0])
    return redirect("web:queue", key=first.key)


class _QueuePaginator(Paginator):
    """Pages of a queue whose count is known already (``capped_count``; for a queue without
    filters, the one just counted for the queue bar). Past the counting limit the total is
    unknown: every page can still be asked for, and a page reads one row more than it shows
    to know whether another follows."""

    def __init__(self, object_list, per_page, *, count: Count) -> None:
        super().__init__(object_list, per_page)
        self.exact = count.is_exact
        self.__dict__["count"] = count.value  # Paginator.count is a cached property

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            if self.exact or not 1 <= int(number) <= MAX_PAGE:
                raise
            return int(number)  # a page past the counted ones

    def page(self, number):
        if self.exact:
            return super().page(number)
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        return _OpenPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class _OpenPage(Page):
    """A page of a list whose total is unknown: it knows only whether another follows."""

    def __init__(self, object_list, number, paginator, *, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


@staff_required
def queue(request, key: str):
    queues = queues_for(request.user)
    current = next((queue for queue in queues if queue.key == key), None)
    if current is None:
        raise Http404
    params = request.GET
    status = params.get("status", "")
    priority = params.get("priority", "")
    text = params.get("q", "").strip()[:200]
    sort = params.get("sort", "newest")
    tickets = active_tickets(request.user).filter(current.condition)
    filtered = False
    if status in ACTIVE_STATUSES:
        tickets = tickets.filter(status=status)
        filtered = True
    if priority in Priority.values:
        tickets = tickets.filter(priority=priority)
        filtered = True
    if text:
        matches = Q(subject__icontains=text) | Q(description__icontains=text)
        number = parse_ticket_number(text)
        if number is not None:
            matches |= Q(pk=number)
        tickets = tickets.filter(matches)
        filtered = True
    tickets = tickets.values(*QUEUE_ROW_FIELDS).order_by(*SORTS.get(sort, SORTS["newest"]))
    partial = bool(request.headers.get("HX-Request"))
    # The full page shows the queue bar: its counts also give this page's count. Counts stop
    # at COUNT_LIMIT ("more than 1,000"); the pages past it can still be reached.
    counts = None if partial else queue_counts(request.user, queues)
    count = counts[current.key] if counts and not filtered else capped_count(tickets)
    page = _QueuePaginator(tickets, PAGE_SIZE, count=count).get_page(params.get("page"))
    context = {
        "queue": current,
        "queue_bar": None if counts is None else (queues, counts),
        "count": count,
        "page": page,
        "rows": queue_rows(page.object_list),
        "filters": {"status": status, "priority": priority, "q": text, "sort": sort},
        "statuses": [(s, Status(s).label) for s in Status.values if s in ACTIVE_STATUSES],
        "priorities": Priority.choices,
        "sorts": [
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("priority", _("Priority")),
            ("updated", _("Recently updated")),
            ("due", _("Resolution due soonest")),
        ],
        "refresh_seconds": REFRESH_SECONDS,
    }
    if partial:
        return render(request, "web/desk/_queue_table.html", context)
    return render(request, "web/desk/queue.html", context)


@staff_required
def queue_bar(request):
    """The queue bar with its counts, fetched by desk pages that do not count the queues."""
    queues = queues_for(request.user)
    counts = queue_counts(request.user, queues)
    current = request.GET.get("current", "")[:100] or None
    return render(request, "web/desk/_queues.html", queue_bar_context(queues, counts, current))


def _ticket_page(request, ticket, *, forms_with_errors: dict | None = None, status: int = 200):
    user = request.user
    tiers = list(ticket_tiers().order_by("level"))
    teams = list(
        Team.objects.filter(is_active=True, tier__handles_tickets=True).select_related("tier")
    )
    members = (
        User.objects.filter(memberships__tier=ticket.tier, is_active=True)
        .distinct()
        .order_by("username")
    )
    events = list(visible_events(user, ticket))
    context = {
        "ticket": ticket,
        "events": events,
        "latest_handoff": latest_handoff(events),
        # Only a refused form comes back (bound, with its errors and what was typed); every
        # other form on the page starts empty, which the template writes without a form object.
        "forms": forms_with_errors or {},
        "status_moves": [
            (s, Status(s).label) for s in allowed_moves(ticket.status) if s != Status.RESOLVED
        ],
        "higher_tiers": [t for t in tiers if t.level > ticket.tier.level],
        "lower_tiers": [t for t in tiers if t.level < ticket.tier.level],
        "teams": teams,
        "same_tier_teams": [
            team for team in teams if team.tier_id == ticket.tier_id and team.pk != ticket.team_id
        ],
        "members": members,
        "is_active": ticket.status in ACTIVE_STATUSES,
    }
    return render(request, "web/desk/ticket.html", context, status=status)


@staff_required
def ticket(request, ticket_id: int):
    return _ticket_page(request, get_visible_ticket(request.user, ticket_id))


def get_visible_ticket_or_none(user: User, ticket_id: int):
    try:
        return get_visible_ticket(user, ticket_id)
    except TicketNotFound:
        return None


def _ticket_action(form_key: str, form_class, perform, success):
    """A POST view that validates ``form_class``, calls ``perform(request, ticket_id, data,
    form)`` and redirects; on a refusal the ticket page comes back with the reason inline."""

    @staff_required
    @require_POST
    def view(request, ticket_id: int):
        try:
            ticket = get_visible_ticket(request.user, ticket_id)
        except TicketNotFound:
            raise Http404 from None
        form = form_class(request.POST)
        if form.is_valid():
            try:
                perform(request, ticket_id, form.cleaned_data, form)
            except TicketNotFound:
                raise Http404 from None
            except DomainError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, str(error.message))
                return _ticket_page(
                    request, ticket, forms_with_errors={form_key: form}, status=error.status
                )
            messages.success(request, success)
            if get_visible_ticket_or_none(request.user, ticket_id) is None:
                return redirect("web:desk")
            return redirect("web:ticket", ticket_id=ticket_id)
        return _ticket_page(request, ticket, forms_with_errors={form_key: form}, status=422)

    return view


reply = _ticket_action(
    "reply",
    forms.ReplyForm,
    lambda request, pk, data, form: add_message(
        actor=request.user, ticket_id=pk, body=data["body"]
    ),
    gettext_lazy("Reply sent."),
)
note = _ticket_action(
    "note",
    forms.ReplyForm,
    lambda request, pk, data, form: add_message(
        actor=request.user, ticket_id=pk, body=data["body"], is_internal=True
    ),
    gettext_lazy("Internal note added."),
)
assign = _ticket_action(
    "assign",
    forms.AssignForm,
    lambda request, pk, data, form: assign_ticket(
        actor=request.user, ticket_id=pk, assignee=data["assignee"] or None
    ),
    gettext_lazy("Assignment saved."),
)
change_status = _ticket_action(
    "status",
    forms.StatusForm,
    lambda request, pk, data, form: set_status(
        actor=request.user, ticket_id=pk, status=data["status"], note=data["note"]
    ),
    gettext_lazy("Status changed."),
)
escalate = _ticket_action(
    "escalate",
    forms.EscalateForm,
    lambda request, pk, data, form: escalate_ticket(
        actor=request.user,
        ticket_id=pk,
        to_tier=data["to_tier"],
        team=data["team"] or None,
        reason=data["reason"],
        tried=form.steps(),
        findings=data["findings"],
    ),
    gettext_lazy("Ticket escalated with your handoff."),
)
deescalate = _ticket_action(
    "deescalate",
    forms.DeescalateForm,
    lambda request, pk, data, form: deescalate_ticket(
        actor=request.user,
        ticket_id=pk,
        to_tier=data["to_tier"],
        team=data["team"] or None,
        instructions=data["instructions"],
    ),
    gettext_lazy("Ticket sent back with your instructions."),
)
transfer = _ticket_action(
    "transfer",
    forms.TransferForm,
    lambda request, pk, data, form: transfer_ticket(
        actor=request.user, ticket_id=pk, team=data["team"], note=data["note"]
    ),
    gettext_lazy("Ticket moved to the other team."),
)
resolve = _ticket_action(
    "resolve",
    forms.ResolveForm,
    lambda request, pk, data, form: resolve_ticket(
        actor=request.user, ticket_id=pk, resolution=data["resolution"]
    ),
    gettext_lazy("Ticket resolved."),
)
reopen = _ticket_action(
    "reopen",
    forms.ReopenForm,
    lambda request, pk, data, form: reopen_ticket(
        actor=request.user, ticket_id=pk, reason=data["reason"]
    ),
    gettext_lazy("Ticket reopened."),
)


change_organization_view = _ticket_action(
    "organization",
    forms.OrganizationForm,
    lambda request, pk, data, form: change_organization(
        actor=request.user,
        ticket_id=pk,
        organization=data["organization"],
        requester=data["requester"] or None,
    ),
    gettext_lazy("Organization changed; SLA due times recalculated."),
)
