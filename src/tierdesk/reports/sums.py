"""Reading the roll-ups: counters and JSON maps summed over a report filter.

The unfiltered and per-organization reports read ``TierDay`` (a few rows per day); a filter
by category or team reads ``SliceDay`` (the same numbers split by category and team). Whole
months of the period that are over are read from their month rows (``is_month``), the rest
from day rows. The JSON maps are summed key by key in the database (``json_each`` on
SQLite, ``jsonb_each_text`` on PostgreSQL): a year of histograms is far too many entries to
decode and add up in Python per request.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from tierdesk.reports.models import SliceDay, TierDay
from tierdesk.reports.periods import ReportFilter

COUNTERS = (
    "resolved",
    "first_contact",
    "reopened",
    "stints",
    "escalated",
    "deescalated",
    "came_back",
    "csat_count",
    "csat_sum",
    "first_response_targets",
    "first_response_met",
    "resolution_targets",
    "resolution_met",
)
# JSON columns holding {"<key>": count}; the first four have whole-number keys.
MAPS = (
    "minutes",
    "business_minutes",
    "moves",
    "csat_scores",
    "priority_minutes",
    "sla_priority",
)
NUMBER_KEYED = ("minutes", "business_minutes", "moves", "csat_scores")


def model_for(report_filter: ReportFilter):
    return SliceDay if report_filter.is_sliced else TierDay


def _next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def _whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first days of the first and the last calendar month lying wholly within
    ``start``–``end`` (every month between them is whole too); None if there is none."""
    first = start if start.day == 1 else _next_month(start.replace(day=1))
    end_month = end.replace(day=1)
    if _next_month(end_month) - timedelta(days=1) == end:
        last = end_month
    else:
        last = (end_month - timedelta(days=1)).replace(day=1)
    return (first, last) if first <= last else None


def period_parts(report_filter: ReportFilter, model=None) -> tuple[list[tuple], list[date]]:
    """``(day ranges, months)``: the whole months of the period that have month rows, and
    the ranges of days left around them."""
    source = model or model_for(report_filter)
    bounds = _whole_months(report_filter.start, report_filter.end)
    months: list[date] = []
    if bounds is not None:
        # Only months that have month rows (a range query: a period may span centuries).
        # The whole desk's rows are few, and a month is built for every row at once.
        months = sorted(
            set(
                source.objects.filter(
                    is_month=True,
                    organization__isnull=True,
                    day__gte=bounds[0],
                    day__lte=bounds[1],
                )
                .order_by()
                .values_list("day", flat=True)
                .distinct()
            )
        )
    ranges, cursor = [], report_filter.start
    for first in months:
        if cursor < first:
            ranges.append((cursor, first - timedelta(days=1)))
        cursor = _next_month(first)
    if cursor <= report_filter.end:
        ranges.append((cursor, report_filter.end))
    return ranges, months


def _conditions(report_filter: ReportFilter, *, per_organization: bool = False, model=None):
    """``(Q, sql, params)`` selecting the filter's rows. ``per_organization``: the rows of
    every organization (not the whole-desk rows), for a breakdown by organization."""
    adapt = connection.ops.adapt_datefield_value
    ranges, months = period_parts(report_filter, model)
    q = Q(pk__in=[])
    parts: list[str] = []
    params: list[Any] = []
    if ranges:
        day_q = Q()
        day_sql = []
        for low, high in ranges:
            day_q |= Q(day__gte=low, day__lte=high)
            day_sql.append("(t.day >= %s AND t.day <= %s)")
        q = Q(is_month=False) & day_q
        parts.append(f"(t.is_month = %s AND ({' OR '.join(day_sql)}))")
        params.append(False)
        for low, high in ranges:
            params += [adapt(low), adapt(high)]
    if months:
        q |= Q(is_month=True, day__in=months)
        parts.append(f"(t.is_month = %s AND t.day IN ({', '.join(['%s'] * len(months))}))")
        params += [True, *[adapt(month) for month in months]]
    # Every row lies within the period (a month row's day is its first day): an index on
    # the day can narrow the scan before the OR above is tested.
    q &= Q(day__gte=report_filter.start, day__lte=report_filter.end)
    sql = [f"({' OR '.join(parts)})", "t.day >= %s", "t.day <= %s"]
    params += [adapt(report_filter.start), adapt(report_filter.end)]
    if report_filter.organization is not None:
        q &= Q(organization=report_filter.organization)
        sql.append("t.organization_id = %s")
        params.append(report_filter.organization.pk)
    elif per_organization:
        q &= Q(organization__isnull=False)
        sql.append("t.organization_id IS NOT NULL")
    else:
        q &= Q(organization__isnull=True)
        sql.append("t.organization_id IS NULL")
    for name, row in (("category", report_filter.category), ("team", report_filter.team)):
        if row is not None:
            q &= Q(**{name: row})
            sql.append(f"t.{name}_id = %s")
            params.append(row.pk)
    return q, " AND ".join(sql), params


def day_rows(report_filter: ReportFilter) -> QuerySet:
    """The day rows of the filter (never month rows): for numbers by day or week."""
    rows = model_for(report_filter).objects.filter(
        is_month=False, day__gte=report_filter.start, day__lte=report_filter.end
    )
    if report_filter.organization is not None:
        rows = rows.filter(organization=report_filter.organization)
    else:
        rows = rows.filter(organization__isnull=True)
    if report_filter.category is not None:
        rows = rows.filter(category=report_filter.category)
    if report_filter.team is not None:
        rows = rows.filter(team=report_filter.team)
    return rows.order_by()


def summed_counters(
    report_filter: ReportFilter,
    group_by: tuple[str, ...] = ("tier_level",),
    counters: tuple[str, ...] = COUNTERS,
    *,
    model=None,
    per_organization: bool = False,
) -> list[dict[str, Any]]:
    source = model or model_for(report_filter)
    q, _sql, _params = _conditions(report_filter, per_organization=per_organization, model=source)
    return list(
        source.objects.filter(q)
        .order_by()
        .values(*group_by)
        .annotate(**{name: Sum(name) for name in counters})
    )


def summed_maps(
    report_filter: ReportFilter, columns: tuple[str, ...] = MAPS
) -> dict[int, dict[str, dict[str, int]]]:
    """``{level: {column: {key: count}}}`` of the JSON map columns over the filter, in one
    statement."""
    _q, where, params = _conditions(report_filter)
    table = model_for(report_filter)._meta.db_table
    postgres = connection.vendor == "postgresql"
    selects = []
    all_params: list[Any] = []
    for column in columns:
        assert column in MAPS
        expand = f"jsonb_each_text(t.{column}) j" if postgres else f"json_each(t.{column}) j"
        value = "j.value::bigint" if postgres else "j.value"
        selects.append(
            f"SELECT t.tier_level, '{column}', j.key, SUM({value}) FROM {table} t, {expand} "
            f"WHERE {where} GROUP BY t.tier_level, j.key"
        )
        all_params.extend(params)
    sums: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), all_params)
        for level, column, key, count in cursor.fetchall():
            sums[level][column][key] = int(count)
    return sums
