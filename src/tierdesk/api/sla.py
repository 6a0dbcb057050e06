"""SLA policies and business calendars, for administrators: a schema in, an sla action, a
schema out."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Status

from tierdesk.api.schemas import ErrorOut, OutSchema, StrictSchema
from tierdesk.errors import NotFound
from tierdesk.sla.actions import require_admin, save_calendar, save_policy
from tierdesk.sla.models import Calendar, Policy

router = Router(tags=["sla"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class HoursIn(StrictSchema):
    weekday: int = Field(..., description="0 = Monday … 6 = Sunday.")
    start: str = Field(..., max_length=5, description="Local time, e.g. 08:00.")
    end: str = Field(
        ..., max_length=5, description="At or before start: runs past midnight, e.g. 06:00."
    )


class ClosedDateIn(StrictSchema):
    date: date
    name: str = Field("", max_length=100)


class CalendarIn(StrictSchema):
    name: str = Field(..., max_length=100)
    time_zone: str = Field("Asia/Jakarta", max_length=64)
    is_24x7: bool = False
    holiday_country: str = Field("ID", max_length=8, description="Empty for no holidays.")
    holiday_subdivision: str = Field("", max_length=16)
    include_joint_leave: bool = True
    hours: list[HoursIn] = Field(default_factory=list, max_length=100)
    closed_dates: list[ClosedDateIn] = Field(default_factory=list, max_length=1000)


class HoursOut(OutSchema):
    weekday: int
    start: str
    end: str


class ClosedDateOut(OutSchema):
    date: date
    name: str


class CalendarOut(OutSchema):
    id: int
    name: str
    time_zone: str
    is_24x7: bool
    holiday_country: str
    holiday_subdivision: str
    include_joint_leave: bool
    hours: list[HoursOut]
    closed_dates: list[ClosedDateOut]


class TargetIn(StrictSchema):
    priority: str = Field(..., max_length=2)
    first_response_minutes: int
    resolution_minutes: int
    escalation_trigger: str = Field("none", description="none, warning or breach.")
    escalation_kind: str = Field("hierarchical", description="hierarchical or functional.")


class TierTargetIn(StrictSchema):
    priority: str = Field(..., max_length=2)
    tier: int = Field(..., description="Tier level, e.g. 1.")
    minutes: int


class PolicyIn(StrictSchema):
    name: str = Field(..., max_length=100)
    calendar: str = Field(..., max_length=100, description="The calendar's name.")
    is_default: bool = False
    warning_fraction: float = 0.75
    targets: list[TargetIn] = Field(..., max_length=4)
    tier_targets: list[TierTargetIn] = Field(default_factory=list, max_length=100)
    organizations: list[str] | None = Field(
        None, description="Short names of the organizations under this policy."
    )


class TargetOut(OutSchema):
    priority: str
    first_response_minutes: int
    resolution_minutes: int
    escalation_trigger: str
    escalation_kind: str


class TierTargetOut(OutSchema):
    priority: str
    tier: int
    minutes: int


class PolicyOut(OutSchema):
    id: int
    name: str
    calendar: str
    is_default: bool
    warning_fraction: float
    targets: list[TargetOut]
    tier_targets: list[TierTargetOut]
    organizations: list[str]


def _calendar_out(calendar: Calendar) -> dict:
    return {
        "id": calendar.pk,
        "name": calendar.name,
        "time_zone": calendar.time_zone,
        "is_24x7": calendar.is_24x7,
        "holiday_country": calendar.holiday_country,
        "holiday_subdivision": calendar.holiday_subdivision,
        "include_joint_leave": calendar.include_joint_leave,
        "hours": [
            {"weekday": i.weekday, "start": f"{i.start:%H:%M}", "end": f"{i.end:%H:%M}"}
            for i in calendar.intervals.all()
        ],
        "closed_dates": [{"date": d.date, "name": d.name} for d in calendar.closed_dates.all()],
    }


def _policy_out(policy: Policy) -> dict:
    return {
        "id": policy.pk,
        "name": policy.name,
        "calendar": policy.calendar.name,
        "is_default": policy.is_default,
        "warning_fraction": policy.warning_fraction,
        "targets": [
            {
                "priority": t.priority,
                "first_response_minutes": t.first_response_minutes,
                "resolution_minutes": t.resolution_minutes,
                "escalation_trigger": t.escalation_trigger,
                "escalation_kind": t.escalation_kind,
            }
            for t in policy.targets.all()
        ],
        "tier_targets": [
            {"priority": t.priority, "tier": t.tier.level, "minutes": t.minutes}
            for t in policy.tier_targets.all()
        ],
        "organizations": [link.organization.slug for link in policy.organizations.all()],
    }


def _calendars():
    return Calendar.objects.prefetch_related("intervals", "closed_dates")


def _policies():
    return Policy.objects.select_related("calendar").prefetch_related(
        "targets", "tier_targets__tier", "organizations__organization"
    )


def _calendar_payload(payload: CalendarIn) -> dict:
    data = payload.dict()
    data["closed_dates"] = [
        {"date": item["date"].isoformat(), "name": item["name"]} for item in data["closed_dates"]
    ]
    return data


@router.get("/sla/calendars", response={200: list[CalendarOut], **ERRORS})
def list_calendars(request: HttpRequest):
    require_admin(request.user)
    return [_calendar_out(calendar) for calendar in _calendars()]


@router.post("/sla/calendars", response={201: CalendarOut, **ERRORS})
def create_calendar(request: HttpRequest, payload: CalendarIn):
    calendar = save_calendar(actor=request.user, **_calendar_payload(payload))
    return Status(201, _calendar_out(_calendars().get(pk=calendar.pk)))


@router.put("/sla/calendars/{calendar_id}", response={200: CalendarOut, **ERRORS})
def replace_calendar(request: HttpRequest, calendar_id: int, payload: CalendarIn):
    calendar = save_calendar(
        actor=request.user, calendar_id=calendar_id, **_calendar_payload(payload)
    )
    return _calendar_out(_calendars().get(pk=calendar.pk))


@router.get("/sla/policies", response={200: list[PolicyOut], **ERRORS})
def list_policies(request: HttpRequest):
    require_admin(request.user)
    return [_policy_out(policy) for policy in _policies()]


@router.get("/sla/policies/{policy_id}", response={200: PolicyOut, **ERRORS})
def get_policy(request: HttpRequest, policy_id: int):
    require_admin(request.user)
    policy = _policies().filter(pk=policy_id).first()
    if policy is None:
        raise NotFound(_("There is no such policy."))
    return _policy_out(policy)


@router.post("/sla/policies", response={201: PolicyOut, **ERRORS})
def create_policy(request: HttpRequest, payload: PolicyIn):
    policy = save_policy(actor=request.user, **payload.dict())
    return Status(201, _policy_out(_policies().get(pk=policy.pk)))


@router.put("/sla/policies/{policy_id}", response={200: PolicyOut, **ERRORS})
def replace_policy(request: HttpRequest, policy_id: int, payload: PolicyIn):
    policy = save_policy(actor=request.user, policy_id=policy_id, **payload.dict())
    return _policy_out(_policies().get(pk=policy.pk))
