"""Changing a ticket's classification: priority, organization and category."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Organization, User
from tierdesk.accounts.queries import organization_by_slug
from tierdesk.cleaning import clean_choice
from tierdesk.errors import InvalidInput
from tierdesk.tickets.actions import clocks
from tierdesk.tickets.actions.common import (
    category_by_slug,
    locked_ticket,
    record_event,
    require_active,
    require_staff,
    require_works_on,
    save_ticket,
)
from tierdesk.tickets.models import (
    EventKind,
    Priority,
    Ticket,
)


def change_priority(*, actor: User, ticket_id: int, priority: Any) -> Ticket:
    at = timezone.now()
    require_staff(actor)
    priority = clean_choice(priority, Priority, field="priority", label=_("Priority"))
    if priority is None:
        raise InvalidInput(_("Priority is required."), field="priority")
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        require_active(ticket)
        require_works_on(actor, ticket)
        if ticket.priority == priority:
            return ticket
        record_event(
            ticket,
            EventKind.FIELD_CHANGED,
            actor,
            at,
            data={"field": "priority", "from": ticket.priority, "to": priority},
        )
        ticket.priority = priority
        _recalculate_sla(ticket, actor, at, because="priority")
        save_ticket(ticket, at, ["priority"])
    return ticket


def change_organization(
    *, actor: User, ticket_id: int, organization: str, requester: str | None = None
) -> Ticket:
    """Move the ticket to another organization (its contract), optionally with a new
    requester of that organization. A requester who is a customer of another organization
    cannot stay on the ticket: name one of the new organization then. The SLA policy is
    chosen again as on a priority change: time spent and time paused are kept."""
    at = timezone.now()
    require_staff(actor)
    organization_row = _organization_by_slug(organization)
    requester_user = _requester_by_username(requester) if requester else None
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        require_active(ticket)
        require_works_on(actor, ticket)
        if requester_user is None:
            requester_user = User.objects.select_related("organization").get(pk=ticket.requester_id)
        if (
            requester_user.organization_id is not None
            and requester_user.organization_id != organization_row.pk
        ):
            raise InvalidInput(
                format_lazy(
                    _(
                        "{username} belongs to {organization}, not {other}; name a requester "
                        "of {other}."
                    ),
                    username=requester_user.username,
                    organization=requester_user.organization.name,
                    other=organization_row.name,
                ),
                code="requester_not_in_organization",
                field="requester",
            )
        if (
            ticket.organization_id == organization_row.pk
            and ticket.requester_id == requester_user.pk
        ):
            return ticket
        fields = []
        if ticket.organization_id != organization_row.pk:
            previous = Organization.objects.only("slug").get(pk=ticket.organization_id)
            record_event(
                ticket,
                EventKind.FIELD_CHANGED,
                actor,
                at,
                data={"field": "organization", "from": previous.slug, "to": organization_row.slug},
            )
            ticket.organization = organization_row
            fields.append("organization")
        if ticket.requester_id != requester_user.pk:
            previous_requester = User.objects.only("username").get(pk=ticket.requester_id)
            record_event(
                ticket,
                EventKind.FIELD_CHANGED,
                actor,
                at,
                data={
                    "field": "requester",
                    "from": previous_requester.username,
                    "to": requester_user.username,
                },
            )
            ticket.requester = requester_user
            fields.append("requester")
        if "organization" in fields:
            _recalculate_sla(ticket, actor, at, because="organization")
        save_ticket(ticket, at, fields)
    return ticket


def _organization_by_slug(slug: Any) -> Organization:
    if not isinstance(slug, str) or not slug.strip():
        raise InvalidInput(
            _("Name the organization by its short name."),
            code="organization_required",
            field="organization",
        )
    return organization_by_slug(slug.strip())


def _requester_by_username(username: Any) -> User:
    person = (
        User.objects.filter(username=username, is_active=True)
        .select_related("organization")
        .first()
        if isinstance(username, str)
        else None
    )
    if person is None:
        raise InvalidInput(
            format_lazy(_("There is no person “{username}”."), username=username),
            code="unknown_requester",
            field="requester",
        )
    return person


def change_category(*, actor: User, ticket_id: int, category: str | None) -> Ticket:
    at = timezone.now()
    require_staff(actor)
    category_row = category_by_slug(category)
    with transaction.atomic():
        ticket = locked_ticket(actor, ticket_id)
        require_active(ticket)
        require_works_on(actor, ticket)
        previous = ticket.category.slug if ticket.category_id else None
        if previous == (category_row.slug if category_row else None):
            return ticket
        record_event(
            ticket,
            EventKind.FIELD_CHANGED,
            actor,
            at,
            data={
                "field": "category",
                "from": previous,
                "to": category_row.slug if category_row else None,
            },
        )
        ticket.category = category_row
        save_ticket(ticket, at, ["category"])
    return ticket


def _recalculate_sla(ticket: Ticket, actor: User, at, *, because: str) -> None:
    """The SLA due times again after a change they depend on, with an internal entry
    saying why and what they are now."""
    clocks.reevaluate(ticket, at)
    record_event(
        ticket,
        EventKind.SLA_RECALCULATED,
        actor,
        at,
        is_internal=True,
        data={"because": because, **clocks.summary(ticket)},
    )
