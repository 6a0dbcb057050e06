"""From rows to plain values: which policy an organization's tickets follow, its targets for
a priority, and the calendar as a :class:`Schedule`. Callers (the ticket actions) get plain
values and the business-time functions; nothing here knows about tickets."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tierdesk.sla.businesstime import NoWorkingTime, Schedule, add_business_time
from tierdesk.sla.models import (
    Calendar,
    EscalationKind,
    EscalationTrigger,
    OrganizationPolicy,
    Policy,
    PolicyTarget,
    TierTarget,
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


_schedule_cache: dict[int, tuple[datetime, Schedule]] = {}
_schedule_lock = threading.Lock()


def schedule_of(calendar: Calendar) -> Schedule:
    """The calendar as plain values, cached per process until the calendar row changes
    (saving a calendar, its hours or closed dates through the admin or API bumps it)."""
    with _schedule_lock:
        cached = _schedule_cache.get(calendar.pk)
    if cached is not None and cached[0] == calendar.updated_at:
        return cached[1]
    per_day: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for interval in calendar.intervals.all():
        per_day[interval.weekday].append((interval.start_minute, interval.length_minutes))
    schedule = Schedule(
        time_zone=calendar.time_zone,
        intervals=tuple(tuple(sorted(day)) for day in per_day),
        always_open=calendar.is_24x7,
        closed_dates=frozenset(calendar.closed_dates.values_list("date", flat=True)),
        holiday_country=calendar.holiday_country,
        holiday_subdivision=calendar.holiday_subdivision,
        include_joint_leave=calendar.include_joint_leave,
    )
    with _schedule_lock:
        _schedule_cache[calendar.pk] = (calendar.updated_at, schedule)
    return schedule


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


def terms_for(policy: Policy | None, priority: str, reason: str = "") -> Terms | None:
    """The targets of ``policy`` for ``priority``; None without a policy."""
    if policy is None:
        return None
    target = PolicyTarget.objects.filter(policy=policy, priority=priority).first()
    tiers = dict(
        TierTarget.objects.filter(policy=policy, priority=priority).values_list(
            "tier_id", "minutes"
        )
    )
    return Terms(
        policy_id=policy.pk,
        policy_name=policy.name,
        reason=reason,
        calendar_name=policy.calendar.name,
        schedule=schedule_of(policy.calendar),
        priority=priority,
        first_response_minutes=target.first_response_minutes if target else None,
        resolution_minutes=target.resolution_minutes if target else None,
        tier_minutes=tiers,
        warning_fraction=policy.warning_fraction,
        escalation_trigger=target.escalation_trigger if target else EscalationTrigger.NONE,
        escalation_kind=target.escalation_kind if target else EscalationKind.HIERARCHICAL,
    )


def terms_for_organization(organization_id: int | None, priority: str) -> Terms | None:
    policy, reason = policy_for_organization(organization_id)
    return terms_for(policy, priority, reason)


def terms_for_policy(policy_id: int | None, priority: str, reason: str = "") -> Terms | None:
    if policy_id is None:
        return None
    policy = Policy.objects.select_related("calendar").filter(pk=policy_id).first()
    return terms_for(policy, priority, reason)


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
