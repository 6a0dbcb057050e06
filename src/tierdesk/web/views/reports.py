"""/desk/reports/: the tier report for supervisors (agents see their own numbers). Every chart
is drawn from the same rows as the table beside it, and every table has a CSV export."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from tierdesk.errors import DomainError
from tierdesk.reports import export
from tierdesk.reports.backlog import backlog_by_age
from tierdesk.reports.periods import parse_filter
from tierdesk.reports.tiers import agent_report, tier_report, weekly_trend
from tierdesk.web.views.desk import staff_required


def _tables(user, report_filter) -> list[export.Table]:
    if not user.is_supervisor:
        return [export.agent_table(agent_report(user, report_filter))]
    report = tier_report(report_filter)
    return [
        export.summary_table(report),
        export.pyramid_table(report),
        export.escalation_table(report),
        export.time_in_tier_table(report),
        export.csat_table(report),
        export.trend_table(weekly_trend(report_filter)),
        export.agent_table(agent_report(user, report_filter)),
        export.backlog_table(backlog_by_age(report_filter.organization)),
    ]


# Which tables get a chart, and how (the script reads the table's own rows).
CHARTS = {"pyramid": "bar", "time_in_tier": "bar", "escalations": "bar", "trend": "line"}


@staff_required
def reports(request):
    params = request.GET
    try:
        report_filter = parse_filter(
            params.get("start") or None,
            params.get("end") or None,
            params.get("organization") or None,
        )
    except DomainError as error:
        return render(
            request,
            "web/reports/page.html",
            {
                "error": str(error.message),
                "params": params,
                "start_value": params.get("start", "")[:10],
                "end_value": params.get("end", "")[:10],
            },
            status=error.status,
        )
    tables = _tables(request.user, report_filter)
    wanted = params.get("csv")
    if wanted:
        table = next((t for t in tables if t.name == wanted), None)
        if table is not None:
            response = HttpResponse(export.table_csv(table), content_type="text/csv; charset=utf-8")
            filename = export.csv_filename(table, report_filter)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    charts = [
        {"id": f"chart-{t.name}", "kind": CHARTS[t.name], "headers": t.headers, "rows": t.rows}
        for t in tables
        if t.name in CHARTS
    ]
    return render(
        request,
        "web/reports/page.html",
        {
            "tables": tables,
            "charts": {chart["id"]: chart for chart in charts},
            "chart_data": charts,
            "params": params,
            "start_value": report_filter.start.isoformat(),
            "end_value": report_filter.end.isoformat(),
            "query": request.GET.urlencode(),
        },
    )
