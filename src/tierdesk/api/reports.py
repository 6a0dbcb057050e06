"""Report endpoints: filters in, a report function out. Supervisors and admins only, except
the agent numbers, where an agent sees their own line."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tierdesk.api.schemas import ErrorOut, OutSchema
from tierdesk.reports import shiftleft
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
    category: str | None = Field(None, max_length=60, description="Category short name.")
    team: str | None = Field(None, max_length=60, description="Team short name.")


class ShiftLeftFilters(ReportFilters):
    limit: int = Field(
        shiftleft.DEFAULT_LIMIT,
        ge=1,
        le=shiftleft.MAX_LIMIT,
        description="How many of the latest resolutions above L1 to check against articles.",
    )


class AgentFilters(Schema):
    start: str | None = Field(None, max_length=10)
    end: str | None = Field(None, max_length=10)
    category: str | None = Field(
        None, max_length=60, description="Category short name: count only its resolutions."
    )


class TimeInTierOut(OutSchema):
    median_minutes: int | None
    p90_minutes: int | None


class CsatTierOut(OutSchema):
    average: float | None
    count: int


class CsatOut(OutSchema):
    average: float | None
    count: int
    by_tier: dict[str, CsatTierOut]


class FiltersOut(OutSchema):
    start: str
    end: str
    organization: str | None
    category: str | None
    team: str | None


class EscalationOut(OutSchema):
    stints: int
    escalated: int
    deescalated: int
    came_back: int = Field(
        ..., description="Escalations by this tier that were later de-escalated back to it."
    )
    came_back_rate: float | None


class TimesOut(OutSchema):
    count: int
    median_minutes: int | None
    p90_minutes: int | None
    business_median_minutes: int | None
    business_p90_minutes: int | None


class ComplianceOut(OutSchema):
    targets: int
    met: int
    rate: float | None


class SlaPairOut(OutSchema):
    first_response: ComplianceOut
    resolution: ComplianceOut


class PriorityOut(OutSchema):
    first_response: TimesOut
    resolution: TimesOut
    sla: SlaPairOut


class SlaOut(OutSchema):
    first_response: ComplianceOut
    resolution: ComplianceOut
    by_tier: dict[str, SlaPairOut]


class BreakdownTierOut(OutSchema):
    stints: int
    escalated: int
    escalation_rate: float | None
    came_back: int
    came_back_rate: float | None
    resolved: int


class BreakdownOut(OutSchema):
    resolved: int
    resolved_above_l1: int
    tiers: dict[str, BreakdownTierOut]


class TierReportOut(OutSchema):
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
    filters: FiltersOut
    deflections_available: bool = Field(
        ..., description="False when filtered by category or team (deflections have neither)."
    )
    escalations: dict[str, EscalationOut]
    time_in_tier_business: dict[str, TimeInTierOut] = Field(
        ..., description="Time in tier in business time on the ticket's SLA calendar."
    )
    priorities: dict[str, PriorityOut]
    sla: SlaOut
    by_category: dict[str, BreakdownOut] = Field(
        ..., description='Per category short name ("" = no category).'
    )
    by_team: dict[str, BreakdownOut] = Field(..., description='Per team short name ("" = none).')


class CategoryShiftOut(OutSchema):
    category: str
    name: str
    resolved: int
    resolved_above_l1: int
    share_above_l1: float | None


class ArticleMatchOut(OutSchema):
    ticket: int
    number: str
    subject: str
    tier: int
    category: str
    resolved_at: str
    article: int
    article_title: str
    article_url: str


class ShiftLeftOut(OutSchema):
    categories: list[CategoryShiftOut]
    article_matches: list[ArticleMatchOut]


class CategoryCountOut(OutSchema):
    category: str  # short name; "" for tickets without a category
    resolved: int


class AgentTierOut(OutSchema):
    tier: int
    resolved: int
    first_contact: int
    reopened: int
    escalated: int
    deescalated: int
    csat_count: int
    csat_average: float | None
    resolved_by_category: list[CategoryCountOut]


class AgentOut(OutSchema):
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
    report_filter = parse_filter(
        filters.start, filters.end, filters.organization, filters.category, filters.team
    )
    return tier_report(report_filter).as_api()


@router.get(
    "/reports/shift-left",
    response={200: ShiftLeftOut, **ERRORS},
    summary="Shift-left candidates: categories resolved above L1, resolutions matching articles",
)
def shift_left(request: HttpRequest, filters: Query[ShiftLeftFilters]):
    require_report_reader(request.user)
    report_filter = parse_filter(
        filters.start, filters.end, filters.organization, filters.category, filters.team
    )
    return {
        "categories": [
            {
                "category": line.key,
                "name": line.label,
                "resolved": line.resolved,
                "resolved_above_l1": line.resolved_above_l1,
                "share_above_l1": line.above_l1_share,
            }
            for line in shiftleft.categories_resolved_above_l1(report_filter)
        ],
        "article_matches": [
            {
                "ticket": match.ticket_id,
                "number": match.number,
                "subject": match.subject,
                "tier": match.tier,
                "category": match.category,
                "resolved_at": match.resolved_at.isoformat(),
                "article": match.article_id,
                "article_title": match.article_title,
                "article_url": match.article_url,
            }
            for match in shiftleft.resolutions_matching_articles(report_filter, filters.limit)
        ],
    }


@router.get(
    "/reports/agents",
    response={200: list[AgentOut], **ERRORS},
    summary="Per-agent numbers (supervisors: every agent; agents: their own)",
)
def agents(request: HttpRequest, filters: Query[AgentFilters]):
    require_agent_report_reader(request.user)
    report_filter = parse_filter(filters.start, filters.end, category=filters.category)
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
                    "resolved_by_category": [
                        {"category": counted.slug, "resolved": counted.count}
                        for counted in tier.by_category
                    ],
                }
                for tier in line.tiers
            ],
        }
        for line in agent_report(request.user, report_filter)
    ]
