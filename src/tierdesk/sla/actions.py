"""Saving calendars and policies from plain values (the API; the admin uses the same checks
through the models and its forms). Administrators only; bad input is refused with a
translated message before anything changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Role, Tier, User
from tierdesk.accounts.queries import organization_by_slug
from tierdesk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tierdesk.sla.models import (
    PRIORITIES,
    Calendar,
    ClosedDate,
    EscalationKind,
    EscalationTrigger,
    OrganizationPolicy,
    Policy,
    PolicyTarget,
    Recalculation,
    TierTarget,
    WorkingInterval,
)
from tierdesk.sla.services import bump_revision
from tierdesk.sla.validation import (
    validate_holiday_country,
    validate_holiday_subdivision,
    validate_time_zone,
    validate_working_hours,
)

PRIORITY_VALUES = [value for value, _label in PRIORITIES]
MAX_TARGET_MINUTES = 10 * 366 * 24 * 60


def require_admin(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.role == Role.ADMIN):
        raise NotAllowed(_("Only administrators manage SLA policies and calendars."))


def _check(validator: Callable[..., None], *args: Any, field: str) -> None:
    try:
        validator(*args)
    except ValidationError as error:
        code = getattr(error, "code", None) or "invalid_input"
        if hasattr(error, "error_dict"):
            messages = [m for errors in error.message_dict.values() for m in errors]
        else:
            messages = error.messages
        raise InvalidInput(messages[0], code=code, field=field) from error


def _time(value: Any, field: str) -> time:
    try:
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    except (ValueError, TypeError) as error:
        raise InvalidInput(
            format_lazy(_("“{value}” is not a time of day such as 08:00."), value=value),
            field=field,
        ) from error


def _minutes(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(
            _("A target must be a whole number of minutes, at least one."),
            code="target_not_positive",
            field=field,
        )
    if value > MAX_TARGET_MINUTES:
        raise InvalidInput(_("A target may be at most ten years."), field=field)
    return value


def request_recalculation(
    *, policy_ids: list[int], organization_ids: list[int] | None = None
) -> list[Recalculation]:
    """Ask the background worker to compute the due times of open tickets again: those
    measured by each policy, and (with the first policy) those of ``organization_ids``.
    Call inside the transaction that changed the settings. An unfinished older request for
    the same policy is merged into the new one, so a ticket is recalculated once."""
    made = []
    organization_ids = sorted(set(organization_ids or []))
    if not policy_ids and organization_ids:
        policy_ids = [None]  # type: ignore[list-item]
    for index, policy_id in enumerate(dict.fromkeys(policy_ids)):
        organizations = set(organization_ids if index == 0 else [])
        older = Recalculation.objects.select_for_update().filter(
            policy_id=policy_id, finished_at__isnull=True
        )
        for request in older:
            organizations.update(request.organization_ids or [])
        older.update(finished_at=timezone.now())
        made.append(
            Recalculation.objects.create(
                policy_id=policy_id, organization_ids=sorted(organizations)
            )
        )
    return made


def save_calendar(
    *,
    actor: User,
    calendar_id: int | None = None,
    name: str,
    time_zone: str = "Asia/Jakarta",
    is_24x7: bool = False,
    holiday_country: str = "ID",
    holiday_subdivision: str = "",
    include_joint_leave: bool = True,
    hours: list[dict[str, Any]] | None = None,
    closed_dates: list[dict[str, Any]] | None = None,
) -> Calendar:
    """Create a calendar, or replace one (``calendar_id``) with these values."""
    require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("The calendar needs a name."), field="name")
    _check(validate_time_zone, time_zone, field="time_zone")
    _check(validate_holiday_country, holiday_country, field="holiday_country")
    if holiday_subdivision:
        _check(
            validate_holiday_subdivision,
            holiday_country,
            holiday_subdivision,
            field="holiday_subdivision",
        )
    intervals = []
    for index, item in enumerate(hours or []):
        weekday = item.get("weekday")
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise InvalidInput(
                _("A weekday is a number from 0 (Monday) to 6 (Sunday)."),
                field=f"hours.{index}.weekday",
            )
        intervals.append(
            (
                weekday,
                _time(item.get("start"), f"hours.{index}.start"),
                _time(item.get("end"), f"hours.{index}.end"),
            )
        )
    _check(validate_working_hours, intervals, is_24x7, field="hours")
    closed = []
    for index, item in enumerate(closed_dates or []):
        try:
            day = date.fromisoformat(str(item.get("date")))
        except ValueError as error:
            raise InvalidInput(
                _("A closed date is written as YYYY-MM-DD."), field=f"closed_dates.{index}.date"
            ) from error
        closed.append((day, str(item.get("name") or "")[:100]))
    if len({day for day, _name in closed}) != len(closed):
        raise InvalidInput(_("A closed date is listed twice."), field="closed_dates")
    with transaction.atomic():
        if calendar_id is None:
            calendar = Calendar(name=name)
        else:
            calendar = Calendar.objects.select_for_update().filter(pk=calendar_id).first()
            if calendar is None:
                raise NotFound(_("There is no such calendar."))
        if Calendar.objects.filter(name=name).exclude(pk=calendar.pk).exists():
            raise Conflict(_("A calendar with this name exists already."), field="name")
        calendar.name = name
        calendar.time_zone = time_zone
        calendar.is_24x7 = is_24x7
        calendar.holiday_country = holiday_country
        calendar.holiday_subdivision = holiday_subdivision
        calendar.include_joint_leave = include_joint_leave
        calendar.save()
        calendar.intervals.all().delete()
        calendar.closed_dates.all().delete()
        WorkingInterval.objects.bulk_create(
            WorkingInterval(calendar=calendar, weekday=weekday, start=start, end=end)
            for weekday, start, end in intervals
        )
        ClosedDate.objects.bulk_create(
            ClosedDate(calendar=calendar, date=day, name=why) for day, why in closed
        )
        bump_revision()
        if calendar_id is not None:
            request_recalculation(policy_ids=list(calendar.policies.values_list("pk", flat=True)))
    return calendar


def save_policy(
    *,
    actor: User,
    policy_id: int | None = None,
    name: str,
    calendar: str,
    is_default: bool = False,
    warning_fraction: float = 0.75,
    targets: list[dict[str, Any]],
    tier_targets: list[dict[str, Any]] | None = None,
    organizations: list[str] | None = None,
) -> Policy:
    """Create a policy, or replace one (``policy_id``). ``calendar`` is the calendar's name;
    ``organizations`` are the short names of the organizations whose contract it is."""
    require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("The policy needs a name."), field="name")
    calendar_row = Calendar.objects.filter(name=calendar).first()
    if calendar_row is None:
        raise InvalidInput(
            format_lazy(_("There is no calendar “{calendar}”."), calendar=calendar),
            field="calendar",
        )
    if isinstance(warning_fraction, bool) or not 0 < float(warning_fraction) < 1:
        raise InvalidInput(
            _("The warning fraction must be between 0 and 1."), field="warning_fraction"
        )
    rows = []
    for index, item in enumerate(targets):
        priority = item.get("priority")
        if priority not in PRIORITY_VALUES:
            raise InvalidInput(
                _("The priority must be one of P1, P2, P3, P4."), field=f"targets.{index}.priority"
            )
        trigger = item.get("escalation_trigger") or EscalationTrigger.NONE
        kind = item.get("escalation_kind") or EscalationKind.HIERARCHICAL
        if trigger not in EscalationTrigger.values or kind not in EscalationKind.values:
            raise InvalidInput(
                _("Unknown escalation rule."), field=f"targets.{index}.escalation_trigger"
            )
        rows.append(
            (
                priority,
                _minutes(
                    item.get("first_response_minutes"), f"targets.{index}.first_response_minutes"
                ),
                _minutes(item.get("resolution_minutes"), f"targets.{index}.resolution_minutes"),
                trigger,
                kind,
            )
        )
    if len({row[0] for row in rows}) != len(rows):
        raise InvalidInput(_("Each priority may have one target only."), field="targets")
    tier_rows = []
    for index, item in enumerate(tier_targets or []):
        priority = item.get("priority")
        if priority not in PRIORITY_VALUES:
            raise InvalidInput(
                _("The priority must be one of P1, P2, P3, P4."),
                field=f"tier_targets.{index}.priority",
            )
        tier = Tier.objects.filter(level=item.get("tier")).first()
        if tier is None:
            raise InvalidInput(
                format_lazy(_("There is no tier L{level}."), level=item.get("tier")),
                field=f"tier_targets.{index}.tier",
            )
        tier_rows.append(
            (priority, tier, _minutes(item.get("minutes"), f"tier_targets.{index}.minutes"))
        )
    if len({(p, t.pk) for p, t, _m in tier_rows}) != len(tier_rows):
        raise InvalidInput(_("Each tier may have one target per priority."), field="tier_targets")
    organization_rows = [
        organization_by_slug(slug, field="organizations") for slug in organizations or []
    ]
    try:
        with transaction.atomic():
            if policy_id is None:
                policy = Policy(name=name)
            else:
                policy = Policy.objects.select_for_update().filter(pk=policy_id).first()
                if policy is None:
                    raise NotFound(_("There is no such policy."))
            if Policy.objects.filter(name=name).exclude(pk=policy.pk).exists():
                raise Conflict(_("A policy with this name exists already."), field="name")
            previous_default = list(
                Policy.objects.filter(is_default=True).values_list("pk", flat=True)
            )
            if is_default:
                Policy.objects.filter(is_default=True).exclude(pk=policy.pk).update(
                    is_default=False
                )
            policy.name = name
            policy.calendar = calendar_row
            policy.is_default = is_default
            policy.warning_fraction = float(warning_fraction)
            policy.save()
            policy.targets.all().delete()
            policy.tier_targets.all().delete()
            PolicyTarget.objects.bulk_create(
                PolicyTarget(
                    policy=policy,
                    priority=priority,
                    first_response_minutes=first,
                    resolution_minutes=resolution,
                    escalation_trigger=trigger,
                    escalation_kind=kind,
                )
                for priority, first, resolution, trigger, kind in rows
            )
            TierTarget.objects.bulk_create(
                TierTarget(policy=policy, priority=priority, tier=tier, minutes=minutes)
                for priority, tier, minutes in tier_rows
            )
            if organizations is not None:
                policy.organizations.exclude(
                    organization__in=[organization.pk for organization in organization_rows]
                ).delete()
                for organization in organization_rows:
                    OrganizationPolicy.objects.update_or_create(
                        organization=organization, defaults={"policy": policy}
                    )
            bump_revision()
            # Open tickets follow the edit: those measured by this policy, those of its
            # organizations, and (when the default moved) those of the former default.
            affected = [policy.pk] if policy_id is not None else []
            if is_default:  # the default moved here: tickets on the former default follow
                affected += [pk for pk in previous_default if pk != policy.pk]
            request_recalculation(
                policy_ids=affected,
                organization_ids=list(
                    policy.organizations.values_list("organization_id", flat=True)
                ),
            )
    except IntegrityError as error:  # a concurrent save took the name or the default
        raise Conflict(_("Another change to the policies came first; try again.")) from error
    return policy
