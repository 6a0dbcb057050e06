"""/desk/reports/: the tier report for supervisors (agents see their own numbers), and
/desk/reports/monthly/: one organization's month, print-friendly, for a service provider's
client. Every chart is drawn from the same rows as the table beside it, and every table has
a CSV export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tierdesk.accounts.models import Team
from tierdesk.errors import DomainError, NotAllowed
from tierdesk.reports import export, shiftleft
from tierdesk.reports.backlog import backlog_by_age
from tierdesk.reports.measures import sla_by_organization
from tierdesk.reports.periods import ReportFilter, parse_filter, parse_month
from tierdesk.reports.tiers import agent_report, require_report_reader, tier_report, weekly_trend
from tierdesk.tickets.models import Category
from tierdesk.web.views.desk import staff_required

FILTER_FIELDS = ("start", "end", "organization", "category", "team")


def _tables(user, report_filter) -> list[export.Table]:
    agents = agent_report(user, report_filter)
    if not user.is_supervisor:
        return [export.agent_table(agents), export.agent_category_table(agents)]
    report = tier_report(report_filter)
    return [
        export.summary_table(report),
        export.pyramid_table(report),
        export.escalation_table(report),
        export.time_in_tier_table(report),
        export.priority_table(report),
        export.sla_tier_table(report),
        export.sla_priority_table(report),
        export.sla_organization_table(sla_by_organization(report_filter)),
        export.category_table(report),
        export.team_table(report),
        export.csat_table(report),
        export.trend_table(weekly_trend(report_filter)),
        export.agent_table(agents),
        export.agent_category_table(agents),
        export.backlog_table(
            backlog_by_age(
                report_filter.organization,
                category=report_filter.category,
                team=report_filter.team,
            )
        ),
        export.shift_left_category_table(shiftleft.categories_resolved_above_l1(report_filter)),
        export.shift_left_article_table(shiftleft.resolutions_matching_articles(report_filter)),
    ]


# Which tables get a chart, and how (the script reads the table's own rows).
CHARTS = {
    "pyramid": "bar",
    "time_in_tier": "bar",
    "escalations": "bar",
    "trend": "line",
    "priorities": "bar",
    "sla_tiers": "bar",
}


def _csv_response(table: export.Table, filename: str) -> HttpResponse:
    response = HttpResponse(export.table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _choices() -> dict:
    return {
        "categories": Category.objects.order_by("slug"),
        "teams": Team.objects.select_related("tier").order_by("tier__level", "slug"),
    }


def _charts(tables: list[export.Table]) -> list[dict]:
    return [
        {"id": f"chart-{t.name}", "kind": CHARTS[t.name], "headers": t.headers, "rows": t.rows}
        for t in tables
        if t.name in CHARTS
    ]


@staff_required
def reports(request):
    params = request.GET
    values = {name: params.get(name, "")[:60] for name in FILTER_FIELDS}
    try:
        if request.user.is_supervisor:
            report_filter = parse_filter(*(params.get(name) or None for name in FILTER_FIELDS))
        else:  # agents: their own numbers, desk-wide
            report_filter = parse_filter(params.get("start") or None, params.get("end") or None)
    except DomainError as error:
        return render(
            request,
            "web/reports/page.html",
            {
                "error": str(error.message),
                "error_field": error.field,
                "params": params,
                "values": values,
                "start_value": values["start"][:10],
                "end_value": values["end"][:10],
                **_choices(),
            },
            status=error.status,
        )
    tables = _tables(request.user, report_filter)
    wanted = params.get("csv")
    if wanted:
        table = next((t for t in tables if t.name == wanted), None)
        if table is not None:
            return _csv_response(table, export.csv_filename(table, report_filter))
    charts = _charts(tables)
    return render(
        request,
        "web/reports/page.html",
        {
            "tables": tables,
            "charts": {chart["id"]: chart for chart in charts},
            "chart_data": charts,
            "params": params,
            "values": values,
            "start_value": report_filter.start.isoformat(),
            "end_value": report_filter.end.isoformat(),
            "query": request.GET.urlencode(),
            **_choices(),
        },
    )


def _monthly_tables(report_filter: ReportFilter) -> list[export.Table]:
    report = tier_report(report_filter)
    return [
        export.summary_table(report),
        export.pyramid_table(report),
        export.escalation_table(report),
        export.time_in_tier_table(report),
        export.priority_table(report),
        export.sla_tier_table(report),
        export.sla_priority_table(report),
        export.category_table(report),
        export.csat_table(report),
        export.trend_table(weekly_trend(report_filter)),
    ]


@login_required
def monthly(request):
    """One organization's month: supervisors and administrators only (403 for others)."""
    try:
        require_report_reader(request.user)
    except NotAllowed as error:
        raise PermissionDenied(str(error.message)) from None
    params = request.GET
    month_value = params.get("month", "")[:7]
    organization_value = params.get("organization", "")[:60]
    context = {
        "month_value": month_value,
        "organization_value": organization_value,
        "generated_at": timezone.now(),
    }
    if not organization_value:
        return render(request, "web/reports/monthly.html", context)
    try:
        first, last = parse_month(params.get("month"))
        report_filter = parse_filter(first.isoformat(), last.isoformat(), organization_value)
    except DomainError as error:
        context.update(error=str(error.message), error_field=error.field)
        return render(request, "web/reports/monthly.html", context, status=error.status)
    tables = _monthly_tables(report_filter)
    wanted = params.get("csv")
    if wanted:
        table = next((t for t in tables if t.name == wanted), None)
        if table is not None:
            filename = export.csv_filename(table, report_filter, prefix="monthly-report")
            return _csv_response(table, filename)
    context.update(
        tables=tables,
        organization=report_filter.organization,
        month_value=first.strftime("%Y-%m"),
        first=first,
        last=last,
        query=request.GET.urlencode(),
    )
    return render(request, "web/reports/monthly.html", context)
