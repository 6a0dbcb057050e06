"""Read paths about people and their places in the tiers."""

from __future__ import annotations

import functools
import zoneinfo

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Membership, Organization, Role, Team, Tier, User
from tierdesk.errors import InvalidInput


def ticket_tiers() -> QuerySet[Tier]:
    """The tiers in which a ticket may wait (L0 self-service holds none)."""
    return Tier.objects.filter(handles_tickets=True)


@functools.cache
def _entry_tier_sql(vendor: str) -> str:
    """The entry tier's statement, quoted for the database ``vendor`` (the cache key)."""
    quote = connection.ops.quote_name
    meta = Tier._meta
    return "SELECT {columns} FROM {table} WHERE {handles} = %s ORDER BY {level} LIMIT 1".format(
        columns=", ".join(quote(field.column) for field in meta.concrete_fields),
        table=quote(meta.db_table),
        handles=quote(meta.get_field("handles_tickets").column),
        level=quote(meta.get_field("level").column),
    )


def entry_tier() -> Tier | None:
    """The lowest tier that handles tickets: where every new ticket starts (L1 by default)."""
    # The statement ``ticket_tiers().order_by("level").first()`` would send, written once:
    # every new ticket asks, and building that queryset cost more than running it.
    return next(iter(Tier.objects.raw(_entry_tier_sql(connection.vendor), [True])), None)


def organization_by_slug(slug: str, *, field: str = "organization") -> Organization:
    """The organization with this short name; a refusal naming ``field`` otherwise."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise InvalidInput(
            format_lazy(_("There is no organization “{organization}”."), organization=slug),
            code="unknown_organization",
            field=field,
        )
    return organization


def memberships_of(user: User) -> list[Membership]:
    """``user``'s places in the tiers (with tier and team), lowest tier first. Read once per
    user object: a desk page asks for them to scope the tickets and again to name the queues,
    and a user object lives for one request or one task (membership edits apply from the
    next)."""
    cached = getattr(user, "_tierdesk_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user)
            .select_related("tier", "team__tier")  # a team's queue is named with its tier
            .order_by("tier__level", "pk")
        )
        user._tierdesk_memberships = cached
    return cached


def is_member_of(user: User, tier: Tier, team: Team | None = None) -> bool:
    """Whether ``user`` works in ``tier`` (and, given a team, in that team or the whole tier)."""
    memberships = Membership.objects.filter(user=user, tier=tier)
    if team is not None:
        return (
            memberships.filter(team__isnull=True).exists() or memberships.filter(team=team).exists()
        )
    return memberships.exists()


def find_staff(username: str) -> User | None:
    return (
        User.objects.filter(username=username, is_active=True).exclude(role=Role.CUSTOMER).first()
    )


def time_zone_of(user: User) -> zoneinfo.ZoneInfo:
    """Where ``user``'s clock is: their organization's time zone, else the site's."""
    name = settings.TIME_ZONE
    if user.organization_id and user.organization.time_zone:
        name = user.organization.time_zone
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)
