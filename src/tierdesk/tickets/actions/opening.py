"""Opening tickets, from any channel, with safe retries."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Organization, Team, Tier, User
from tierdesk.accounts.queries import entry_tier, organization_by_slug
from tierdesk.cleaning import clean_choice, clean_text
from tierdesk.errors import Conflict, InvalidInput, NotAllowed
from tierdesk.search import index as search_index
from tierdesk.tickets.actions import clocks
from tierdesk.tickets.actions.common import (
    CUSTOMER_CHANNELS,
    MAX_IDEMPOTENCY_KEY_LENGTH,
    MAX_SUBJECT_LENGTH,
    MAX_TEXT_LENGTH,
    category_by_slug,
    derive_priority,
    record_event,
    require_staff,
    start_period,
)
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import (
    Channel,
    EventKind,
    IdempotencyKey,
    Level,
    Priority,
    Ticket,
)
from tierdesk.tickets.queries import TICKET_DOCUMENTS


@dataclass(frozen=True)
class Opened:
    ticket: Ticket
    created: bool  # False when an idempotency key returned an earlier ticket


def open_ticket(
    *,
    actor: User,
    subject: Any,
    description: Any,
    priority: str | None = None,
    impact: str | None = None,
    urgency: str | None = None,
    category: str | None = None,
    channel: str | None = None,
    organization: str | None = None,
    requester: str | None = None,
    idempotency_key: str | None = None,
    at: datetime | None = None,
    trusted_channel: bool = False,
    route_tier: Tier | None = None,
    route_team: Team | None = None,
) -> Opened:
    """Open a ticket in the entry tier's queue (L1).

    Customers open tickets for themselves in their own organization. Staff may name the
    requester (username) and the organization (short name); without them the ticket is the
    agent's own, in the in-house organization.

    ``route_tier`` and ``route_team`` are for intake configured by an administrator (a
    mailbox that feeds one team or tier): the ticket starts there instead of in the entry
    tier. They are not taken from what a requester sends.
    """
    at = at or timezone.now()
    subject = clean_text(
        subject, field="subject", label=_("Subject"), max_length=MAX_SUBJECT_LENGTH
    )
    description = clean_text(
        description, field="description", label=_("Description"), max_length=MAX_TEXT_LENGTH
    )
    priority = clean_choice(priority, Priority, field="priority", label=_("Priority"))
    impact = clean_choice(impact, Level, field="impact", label=_("Impact"))
    urgency = clean_choice(urgency, Level, field="urgency", label=_("Urgency"))
    channel = clean_choice(channel, Channel, field="channel", label=_("Channel")) or Channel.API
    if impact and urgency:
        derived = derive_priority(impact, urgency)
        if priority and priority != derived:
            raise InvalidInput(
                format_lazy(
                    _("Priority {given} contradicts impact and urgency, which give {derived}."),
                    given=priority,
                    derived=derived,
                ),
                code="priority_contradiction",
                field="priority",
            )
        priority = derived
    category_row = category_by_slug(category)
    requester_user, organization_row = _requester_and_organization(actor, requester, organization)
    # A channel adapter (e-mail intake) that verified where the message came from opens the
    # ticket for the customer with its own channel (decision 0001, point 7).
    if actor.is_customer and channel not in CUSTOMER_CHANNELS and not trusted_channel:
        raise InvalidInput(
            _("Customers open tickets through the web portal or the API."), field="channel"
        )
    if route_team is not None and route_tier is not None and route_team.tier_id != route_tier.pk:
        raise InvalidInput(
            _("The team belongs to another tier."), code="team_tier_mismatch", field="team"
        )
    tier = route_tier or (route_team.tier if route_team is not None else None) or entry_tier()
    if tier is not None and not tier.handles_tickets:
        raise InvalidInput(_("Tickets cannot wait in this tier."), code="tier_closed", field="tier")
    if tier is None:
        raise Conflict(_("No tier takes tickets; an administrator must set up the tiers."))
    key = None
    request_hash = ""
    if idempotency_key is not None:
        key = clean_text(
            idempotency_key,
            field="idempotency_key",
            label=_("Idempotency key"),
            max_length=MAX_IDEMPOTENCY_KEY_LENGTH,
        )
        request_hash = hashlib.sha256(
            json.dumps(
                [
                    subject,
                    description,
                    priority,
                    impact,
                    urgency,
                    category,
                    channel,
                    organization_row.pk,
                    requester_user.pk,
                ],
                default=str,
            ).encode()
        ).hexdigest()
        earlier = _replay(actor, key, request_hash)
        if earlier is not None:
            return Opened(earlier, created=False)
    try:
        with transaction.atomic():
            ticket = Ticket(
                subject=subject,
                description=description,
                requester=requester_user,
                organization=organization_row,
                category=category_row,
                priority=priority or Priority.P3,
                impact=impact or "",
                urgency=urgency or "",
                channel=channel,
                status=Status.NEW,
                tier=tier,
                team=route_team,
                created_at=at,
                updated_at=at,
            )
            clocks.start_clocks(ticket, at)
            ticket.save(force_insert=True)
            record_event(
                ticket,
                EventKind.OPENED,
                actor,
                at,
                body=description,
                data={
                    "channel": channel,
                    "priority": ticket.priority,
                    "tier": tier.level,
                    **({"team": route_team.slug} if route_team is not None else {}),
                    "sla": clocks.summary(ticket),
                },
            )
            start_period(ticket, at)
            search_index.changed(TICKET_DOCUMENTS, [ticket.pk])
            if key is not None:
                IdempotencyKey.objects.create(
                    user=actor, key=key, request_hash=request_hash, ticket=ticket, created_at=at
                )
    except IntegrityError:
        # A concurrent request with the same key won the race: return its ticket.
        earlier = _replay(actor, key, request_hash) if key is not None else None
        if earlier is None:
            raise
        return Opened(earlier, created=False)
    return Opened(ticket, created=True)


def _replay(actor: User, key: str, request_hash: str) -> Ticket | None:
    remembered = IdempotencyKey.objects.filter(user=actor, key=key).select_related("ticket").first()
    if remembered is None:
        return None
    if remembered.request_hash != request_hash:
        raise Conflict(
            _("This Idempotency-Key was already used for a different ticket."),
            code="idempotency_key_reused",
        )
    return remembered.ticket


def _requester_and_organization(
    actor: User, requester: str | None, organization: str | None
) -> tuple[User, Organization]:
    if actor.is_customer:
        if requester not in (None, "", actor.username) or (
            organization not in (None, "") and organization != actor.organization.slug
        ):
            raise NotAllowed(
                _("Customers open tickets for themselves and their own organization."),
                code="customer_scope",
            )
        return actor, actor.organization
    require_staff(actor)
    organization_row = None
    if organization:
        organization_row = organization_by_slug(organization)
    requester_user = actor
    if requester:
        requester_user = (
            User.objects.filter(username=requester, is_active=True)
            .select_related("organization")
            .first()
        )
        if requester_user is None:
            raise InvalidInput(
                format_lazy(_("There is no person “{username}”."), username=requester),
                code="unknown_requester",
                field="requester",
            )
        if requester_user.organization is not None:
            if organization_row is None:
                organization_row = requester_user.organization
            elif requester_user.organization_id != organization_row.pk:
                raise InvalidInput(
                    format_lazy(
                        _("{username} belongs to {organization}, not {other}."),
                        username=requester_user.username,
                        organization=requester_user.organization.name,
                        other=organization_row.name,
                    ),
                    code="requester_not_in_organization",
                    field="organization",
                )
    if organization_row is None:
        organization_row = (
            actor.organization or Organization.objects.filter(is_internal=True).first()
        )
    if organization_row is None:
        raise InvalidInput(
            _("Name the organization this ticket is for."),
            code="organization_required",
            field="organization",
        )
    return requester_user, organization_row
