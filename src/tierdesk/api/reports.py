"""Report endpoints: filters in, a report function out. Supervisors and admins only, except
the agent numbers, where an agent sees their own line."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tierdesk.api.schemas import ErrorOut
from tierdesk.reports.periods import parse_filter
from tierdesk.reports.tiers import (
    agent_report,
    require_agent_report_reader,
    require_report_reader,
    tier_report,
)

router = Router(tags=["reports"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


class ReportFilters(Schema):
    start: str | None = Field(
        None, max_length=10, description="First day, YYYY-MM-DD (default: 29 days before end)."
    )
    end: str | None = Field(
        None, max_length=10, description="Last day, YYYY-MM-DD (default: today)."
    )
    organization: str | None = Field(None, max_length=60, description="Organization short name.")


class AgentFilters(Schema):
    start: str | None = Field(None, max_length=10)
    end: str | None = Field(None, max_length=10)


class TimeInTierOut(Schema):
    median_minutes: int | None
    p90_minutes: int | None


class CsatTierOut(Schema):
    average: float | None
    count: int


class CsatOut(Schema):
    average: float | None
    count: int
    by_tier: dict[str, CsatTierOut]


class TierReportOut(Schema):
    pyramid: dict[str, int] = Field(
        ..., description='Problems solved per level: "0" = knowledge-base deflections.'
    )
    l1_share: float | None = Field(..., description="L1's share of ticket resolutions, 0–1.")
    l1_target: list[float] = Field(..., description="The target band [low, high], 0–1.")
    fcr_rate: float | None
    escalation_rate: dict[str, float | None]
    time_in_tier: dict[str, TimeInTierOut]
    reopen_rate: float | None
    csat: CsatOut


class AgentTierOut(Schema):
    tier: int
    resolved: int
    first_contact: int
    reopened: int
    escalated: int
    deescalated: int
    csat_count: int
    csat_average: float | None


class AgentOut(Schema):
    username: str
    display_name: str
    resolved: int
    escalated: int
    fcr_rate: float | None
    csat_count: int
    csat_average: float | None
    tiers: list[AgentTierOut]


@router.get(
    "/reports/tiers",
    response={200: TierReportOut, **ERRORS},
    summary="Tier report: pyramid, L1 share, FCR, escalations, time in tier, reopens, CSAT",
)
def tiers(request: HttpRequest, filters: Query[ReportFilters]):
    require_report_reader(request.user)
    report_filter = parse_filter(filters.start, filters.end, filters.organization)
    return tier_report(report_filter).as_api()


@router.get(
    "/reports/agents",
    response={200: list[AgentOut], **ERRORS},
    summary="Per-agent numbers (supervisors: every agent; agents: their own)",
)
def agents(request: HttpRequest, filters: Query[AgentFilters]):
    require_agent_report_reader(request.user)
    report_filter = parse_filter(filters.start, filters.end)
    return [
        {
            "username": line.username,
            "display_name": line.display_name,
            "resolved": line.resolved,
            "escalated": line.escalated,
            "fcr_rate": line.fcr_rate,
            "csat_count": line.csat_count,
            "csat_average": line.csat_average,
            "tiers": [
                {
                    "tier": tier.level,
                    "resolved": tier.resolved,
                    "first_contact": tier.first_contact,
                    "reopened": tier.reopened,
                    "escalated": tier.escalated,
                    "deescalated": tier.deescalated,
                    "csat_count": tier.csat_count,
                    "csat_average": tier.csat_average,
                }
                for tier in line.tiers
            ],
        }
        for line in agent_report(request.user, report_filter)
    ]
