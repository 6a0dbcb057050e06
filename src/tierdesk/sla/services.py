"""From rows to plain values: which policy an organization's tickets follow, its targets for
a priority, and the calendar as a :class:`Schedule`. Callers (the ticket actions) get plain
values and the business-time functions; nothing here knows about tickets."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from tierdesk.sla.businesstime import NoWorkingTime, Schedule, add_business_time
from tierdesk.sla.models import (
    PRIORITIES,
    Calendar,
    EscalationKind,
    EscalationTrigger,
    OrganizationPolicy,
    Policy,
    Revision,
)


class PolicyReason:
    """Why a ticket follows its policy (stored on the ticket)."""

    ORGANIZATION = "organization"  # the organization's contract names it
    DEFAULT = "default"  # the organization has none: the default policy


@dataclass(frozen=True)
class Terms:
    """What one ticket is measured by: a policy's targets for its priority, on a calendar."""

    policy_id: int
    policy_name: str
    reason: str
    calendar_name: str
    schedule: Schedule
    priority: str
    first_response_minutes: int | None
    resolution_minutes: int | None
    tier_minutes: dict[int, int] = field(default_factory=dict)  # tier id -> minutes
    warning_fraction: float = 0.75
    escalation_trigger: str = EscalationTrigger.NONE
    escalation_kind: str = EscalationKind.HIERARCHICAL
    # The policy row as it was read with the terms (no related rows), so that a new ticket
    # can show its policy's name without reading it again. Copy it before handing it out.
    policy: Policy | None = field(default=None, compare=False, repr=False)


_schedule_cache: dict[int, tuple[datetime, Schedule]] = {}
_schedule_lock = threading.Lock()


def schedule_of(calendar: Calendar) -> Schedule:
    """The calendar as plain values, cached per process until the calendar row changes
    (saving a calendar, its hours or closed dates through the admin or API bumps it)."""
    with _schedule_lock:
        cached = _schedule_cache.get(calendar.pk)
    if cached is not None and cached[0] == calendar.updated_at:
        return cached[1]
    schedule = build_schedule(calendar)
    with _schedule_lock:
        _schedule_cache[calendar.pk] = (calendar.updated_at, schedule)
    return schedule


def build_schedule(calendar: Calendar) -> Schedule:
    """The calendar as plain values, read now (uses prefetched hours and closed dates)."""
    per_day: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for interval in calendar.intervals.all():
        per_day[interval.weekday].append((interval.start_minute, interval.length_minutes))
    return Schedule(
        time_zone=calendar.time_zone,
        intervals=tuple(tuple(sorted(day)) for day in per_day),
        always_open=calendar.is_24x7,
        closed_dates=frozenset(closed.date for closed in calendar.closed_dates.all()),
        holiday_country=calendar.holiday_country,
        holiday_subdivision=calendar.holiday_subdivision,
        include_joint_leave=calendar.include_joint_leave,
    )


# --- The terms cache -------------------------------------------------------------------------
#
# Opening a ticket needs its organization's policy, the targets for its priority and the
# calendar; reading them afresh costs four to six queries per ticket. Each process keeps what
# it read under the current ``Revision.token``, which every change to the SLA settings
# replaces in its own transaction (signals in ``apps.py``; ``bump_revision`` after bulk
# writes). A lookup reads the token (one primary-key query) and uses the cache only while
# the token is unchanged, so an edit takes effect in every process with the next ticket.

_MISSING = object()


@dataclass
class _Generation:
    token: str
    policy_of_organization: dict[int | None, tuple[int | None, str]] = field(default_factory=dict)
    terms: dict[tuple[int, str, str], Terms | None] = field(default_factory=dict)


_generation: _Generation | None = None
_TOKEN_SQL = f"SELECT token FROM {Revision._meta.db_table} ORDER BY id LIMIT 1"
_generation_lock = threading.Lock()


def bump_revision() -> None:
    """Mark the SLA settings as changed (call inside the transaction that changed them)."""
    token = uuid.uuid4().hex
    if not Revision.objects.update(token=token, changed_at=timezone.now()):
        Revision.objects.create(token=token)


def _current_generation() -> _Generation | None:
    """The cache for the committed settings; None (no caching) without a revision row."""
    global _generation
    # Plain SQL: building a queryset costs more than the query itself, on every new ticket.
    with connection.cursor() as cursor:
        cursor.execute(_TOKEN_SQL)
        row = cursor.fetchone()
    token = row[0] if row else None
    if token is None:
        return None
    with _generation_lock:
        if _generation is None or _generation.token != token:
            _generation = _Generation(token=token)
        return _generation


def policy_for_organization(organization_id: int | None) -> tuple[Policy | None, str]:
    """The organization's own policy, else the default one; with the reason."""
    if organization_id is not None:
        link = (
            OrganizationPolicy.objects.filter(organization_id=organization_id)
            .select_related("policy__calendar")
            .first()
        )
        if link is not None:
            return link.policy, PolicyReason.ORGANIZATION
    default = Policy.objects.filter(is_default=True).select_related("calendar").first()
    return default, PolicyReason.DEFAULT


def _policy_id_for_organization(organization_id: int | None) -> tuple[int | None, str]:
    """The id of the organization's contract policy, else of the default policy."""
    if organization_id is not None:
        policy_id = (
            OrganizationPolicy.objects.filter(organization_id=organization_id)
            .values_list("policy_id", flat=True)
            .first()
        )
        if policy_id is not None:
            return policy_id, PolicyReason.ORGANIZATION
    default_id = Policy.objects.filter(is_default=True).values_list("pk", flat=True).first()
    return default_id, PolicyReason.DEFAULT


def _load_terms(policy_id: int, reason: str) -> dict[str, Terms]:
    """The terms of every priority of one policy: the policy with its calendar, targets,
    tier targets, working hours and closed dates in one query plus prefetches."""
    policy = (
        Policy.objects.select_related("calendar")
        .prefetch_related(
            "targets", "tier_targets", "calendar__intervals", "calendar__closed_dates"
        )
        .filter(pk=policy_id)
        .first()
    )
    if policy is None:
        return {}
    schedule = build_schedule(policy.calendar)
    row = Policy(**{f.attname: getattr(policy, f.attname) for f in Policy._meta.concrete_fields})
    row._state.adding = False
    row._state.db = policy._state.db
    targets = {target.priority: target for target in policy.targets.all()}
    tiers: dict[str, dict[int, int]] = {}
    for tier_target in policy.tier_targets.all():
        tiers.setdefault(tier_target.priority, {})[tier_target.tier_id] = tier_target.minutes
    terms = {}
    for priority, _label in PRIORITIES:
        target = targets.get(priority)
        terms[priority] = Terms(
            policy_id=policy.pk,
            policy_name=policy.name,
            reason=reason,
            calendar_name=policy.calendar.name,
            schedule=schedule,
            priority=priority,
            first_response_minutes=target.first_response_minutes if target else None,
            resolution_minutes=target.resolution_minutes if target else None,
            tier_minutes=tiers.get(priority, {}),
            warning_fraction=policy.warning_fraction,
            escalation_trigger=target.escalation_trigger if target else EscalationTrigger.NONE,
            escalation_kind=target.escalation_kind if target else EscalationKind.HIERARCHICAL,
            policy=row,
        )
    return terms


def _cached_terms(
    generation: _Generation | None, policy_id: int, priority: str, reason: str
) -> Terms | None:
    if generation is None:
        return _load_terms(policy_id, reason).get(priority)
    key = (policy_id, priority, reason)
    found = generation.terms.get(key, _MISSING)
    if found is _MISSING:
        loaded = _load_terms(policy_id, reason)
        for each in PRIORITIES:
            generation.terms[(policy_id, each[0], reason)] = loaded.get(each[0])
        found = loaded.get(priority)
    return found  # type: ignore[return-value]


def terms_for(policy: Policy | None, priority: str, reason: str = "") -> Terms | None:
    """The targets of ``policy`` for ``priority``; None without a policy."""
    if policy is None:
        return None
    return _cached_terms(_current_generation(), policy.pk, priority, reason)


def terms_for_organization(organization_id: int | None, priority: str) -> Terms | None:
    """What a ticket of the organization and priority is measured by. Usually one query
    (the revision token); the first ticket after a change of the settings reads them."""
    generation = _current_generation()
    if generation is None:
        policy_id, reason = _policy_id_for_organization(organization_id)
    else:
        found = generation.policy_of_organization.get(organization_id, _MISSING)
        if found is _MISSING:
            found = _policy_id_for_organization(organization_id)
            generation.policy_of_organization[organization_id] = found
        policy_id, reason = found  # type: ignore[misc]
    if policy_id is None:
        return None
    return _cached_terms(generation, policy_id, priority, reason)


def terms_for_policy(policy_id: int | None, priority: str, reason: str = "") -> Terms | None:
    if policy_id is None:
        return None
    return _cached_terms(_current_generation(), policy_id, priority, reason)


def deadline(
    schedule: Schedule,
    start: datetime,
    target_minutes: int | None,
    spent: timedelta,
    warning_fraction: float,
) -> tuple[datetime | None, datetime | None]:
    """``(warning at, due)`` of a clock that started before ``start`` and has ``spent`` of
    business time so far; ``(None, None)`` without a target or with a calendar that never
    opens (the clock is then shown as absent rather than breaking the action)."""
    if not target_minutes:
        return None, None
    target = timedelta(minutes=target_minutes)
    try:
        due = add_business_time(schedule, start, target - spent)
        warn = add_business_time(schedule, start, target * warning_fraction - spent)
    except NoWorkingTime:
        return None, None
    return warn, due
