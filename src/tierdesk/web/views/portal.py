"""The customer portal: my organization's tickets, a new ticket, the public history."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tierdesk.errors import DomainError
from tierdesk.tickets.actions.conversation import add_message
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.actions.satisfaction import (
    RATEABLE_STATUSES,
    latest_resolution,
    rate_by_link,
    rate_ticket,
    read_rating_link,
)
from tierdesk.tickets.actions.status import reopen_ticket
from tierdesk.tickets.models import Category, Channel, SatisfactionRating
from tierdesk.tickets.queries import get_visible_ticket, visible_events, visible_tickets
from tierdesk.web import forms

PAGE_SIZE = 20


def customer_required(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_customer:
            return redirect("web:desk")
        return view(request, *args, **kwargs)

    return wrapper


def _categories():
    return Category.objects.filter(is_active=True).order_by("slug")


@customer_required
def portal(request):
    tickets = (
        visible_tickets(request.user)
        .select_related("tier", "requester")
        .order_by("-updated_at", "-id")
    )
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/portal/home.html", {"page": page})


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


@customer_required
def new_ticket(request):
    form = forms.NewTicketForm(request.POST or None, categories=_categories())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                opened = open_ticket(
                    actor=request.user,
                    subject=data["subject"],
                    description=data["description"],
                    category=data["category"] or None,
                    impact=data["impact"],
                    urgency=data["urgency"],
                    channel=Channel.WEB,
                )
            except DomainError as error:
                _form_error(form, error)
                status = error.status
            else:
                messages.success(
                    request,
                    _("Thank you. Your ticket %(number)s has been received.")
                    % {"number": opened.ticket.number},
                )
                return redirect("web:portal_ticket", ticket_id=opened.ticket.pk)
        else:
            status = 422
    token = request.POST.get("form_token") or uuid.uuid4().hex
    return render(
        request, "web/portal/new.html", {"form": form, "form_token": token[:40]}, status=status
    )


def _rating_context(ticket) -> dict:
    """Whether the customer may rate the current resolution, or how they rated it."""
    if ticket.status not in RATEABLE_STATUSES:
        return {}
    resolution = latest_resolution(ticket.pk)
    if resolution is None:
        return {}
    rating = SatisfactionRating.objects.filter(resolution=resolution).first()
    return {"rating": rating, "may_rate": rating is None}


def _ticket_page(
    request, ticket_id: int, *, reply=None, reopen=None, rating_error=None, status: int = 200
):
    ticket = get_visible_ticket(request.user, ticket_id)
    return render(
        request,
        "web/portal/ticket.html",
        {
            "ticket": ticket,
            "events": visible_events(request.user, ticket),
            "reply_form": reply or forms.ReplyForm(),
            "reopen_form": reopen or forms.ReopenForm(),
            "rating_error": rating_error,
            "scores": range(1, 6),
            **_rating_context(ticket),
        },
        status=status,
    )


@customer_required
def ticket(request, ticket_id: int):
    return _ticket_page(request, ticket_id)


@customer_required
@require_POST
def reply(request, ticket_id: int):
    get_visible_ticket(request.user, ticket_id, related=False)  # 404 before anything else
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        return _ticket_page(request, ticket_id, reply=form, status=422)
    try:
        add_message(actor=request.user, ticket_id=ticket_id, body=form.cleaned_data["body"])
    except DomainError as error:
        _form_error(form, error)
        return _ticket_page(request, ticket_id, reply=form, status=error.status)
    messages.success(request, _("Your reply was sent."))
    return redirect("web:portal_ticket", ticket_id=ticket_id)


@customer_required
@require_POST
def reopen(request, ticket_id: int):
    get_visible_ticket(request.user, ticket_id, related=False)
    form = forms.ReopenForm(request.POST)
    if not form.is_valid():
        return _ticket_page(request, ticket_id, reopen=form, status=422)
    try:
        reopen_ticket(actor=request.user, ticket_id=ticket_id, reason=form.cleaned_data["reason"])
    except DomainError as error:
        _form_error(form, error)
        return _ticket_page(request, ticket_id, reopen=form, status=error.status)
    messages.success(request, _("The ticket is open again."))
    return redirect("web:portal_ticket", ticket_id=ticket_id)


def _score(raw: str) -> int | None:
    """The posted score as a number; anything else (letters, "²", a thousand digits) is None,
    which the rating action refuses with its own message."""
    raw = raw.strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else None


@customer_required
@require_POST
def rate(request, ticket_id: int):
    get_visible_ticket(request.user, ticket_id, related=False)
    try:
        rate_ticket(
            actor=request.user,
            ticket_id=ticket_id,
            score=_score(request.POST.get("score", "")),
            comment=request.POST.get("comment", "")[:5000],
        )
    except DomainError as error:
        return _ticket_page(
            request, ticket_id, rating_error=str(error.message), status=error.status
        )
    messages.success(request, _("Thank you for rating our help."))
    return redirect("web:portal_ticket", ticket_id=ticket_id)


@require_http_methods(["GET", "POST"])
def rate_link(request, token: str):
    """The rating link of the "resolved" e-mail: no sign-in, the requester's language; an
    expired, altered, used or outdated link gets a page saying so."""
    try:
        link = read_rating_link(token)
    except DomainError as error:
        return render(
            request,
            "web/portal/rate_link.html",
            {"link_error": str(error.message), "error_code": error.code},
            status=error.status,
        )
    language = link.requester.language or request.LANGUAGE_CODE
    with translation.override(language):
        context = {"ticket": link.ticket, "token": token, "scores": range(1, 6)}
        status = 200
        if request.method == "POST":
            try:
                rate_by_link(
                    token=token,
                    score=_score(request.POST.get("score", "")),
                    comment=request.POST.get("comment", "")[:5000],
                )
            except DomainError as error:
                context.update(
                    rating_error=str(error.message), comment=request.POST.get("comment", "")[:5000]
                )
                status = error.status
            else:
                context["thanked"] = True
        response = render(request, "web/portal/rate_link.html", context, status=status)
        response.headers["Content-Language"] = language
    response.headers["Referrer-Policy"] = "no-referrer"  # the token stays off other sites' logs
    return response
