"""Keeping the daily roll-ups (``TierDay``, ``AgentDay``) in step with the timeline.

Choice (docs/reports.md): the tier report over a year of a million tickets must answer in
under a second on SQLite too, which rules out medians and p90s over a million tier periods
per request. So a periodic worker job (``reports.tasks.refresh_report_rollups``) recomputes
*whole days* from the timeline:

- it reads the events written since its last run (an id watermark) and marks the days they
  change: the day of each resolution, escalation, de-escalation and rating, and for a reopen
  the days of the resolutions it may turn into "reopened within the window";
- an event committed late, after a run had read past its id, is caught by its time: each
  run also reads the reported events written since shortly before the previous run
  (``LATE_COMMIT``), and every ``SWEEP`` (and on a day's first run) today and yesterday are
  recomputed whatever the events say, for a transaction that stayed open longer still.
  A minute with nothing new to report (tickets opened, notes written) rebuilds nothing;
- each marked day is deleted and rebuilt from ``Event``, ``TierPeriod`` and
  ``SatisfactionRating`` in one transaction. Rebuilding a day twice gives the same rows, so
  the job is idempotent, and ``refresh_rollups(full=True)`` rebuilds everything.

Only one worker refreshes at a time: it takes a lease on the ``RollupState`` row with a
conditional ``UPDATE … WHERE lease_until < now``.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, JSONField, Max, Min, PositiveIntegerField, Q, Sum
from django.utils import timezone

from tierdesk.accounts.models import Tier
from tierdesk.reports import histogram
from tierdesk.reports.models import AgentDay, RollupState, SliceDay, TierDay
from tierdesk.sla.businesstime import NoWorkingTime, Schedule, business_minutes_between
from tierdesk.sla.models import Policy
from tierdesk.sla.services import schedule_of
from tierdesk.tickets.models import Event, EventKind, SatisfactionRating, Ticket, TierPeriod

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=15)
# How late an event may commit after the run that read past its id and still be found by its
# time on the next run; and how often today and yesterday are recomputed regardless.
LATE_COMMIT = timedelta(minutes=5)
SWEEP = timedelta(minutes=30)
DAYS_PER_TRANSACTION = 7
ID_CHUNK = 5000
STINT_END_KINDS = (EventKind.ESCALATED, EventKind.DEESCALATED, EventKind.RESOLVED)
# The events that change a day's numbers.
REPORTED_KINDS = (*STINT_END_KINDS, EventKind.REOPENED, EventKind.RATED, EventKind.REPLY)
END_REASON = {
    EventKind.ESCALATED: TierPeriod.EndReason.ESCALATED,
    EventKind.DEESCALATED: TierPeriod.EndReason.DEESCALATED,
    EventKind.RESOLVED: TierPeriod.EndReason.RESOLVED,
}


def desk_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def reopen_window() -> timedelta:
    return timedelta(days=settings.TIERDESK_REOPEN_WINDOW_DAYS)


def day_start(day: date, zone: ZoneInfo | None = None) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone or desk_zone())


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


# -- one day's numbers, from the timeline --------------------------------------------------


@dataclass
class TierCounts:
    resolved: int = 0
    first_contact: int = 0
    reopened: int = 0
    stints: int = 0
    escalated: int = 0
    deescalated: int = 0
    came_back: int = 0
    moves: dict[str, int] = field(default_factory=dict)
    minutes: dict[str, int] = field(default_factory=dict)
    business_minutes: dict[str, int] = field(default_factory=dict)
    csat_count: int = 0
    csat_sum: int = 0
    csat_scores: dict[str, int] = field(default_factory=dict)
    priority_minutes: dict[str, int] = field(default_factory=dict)
    first_response_targets: int = 0
    first_response_met: int = 0
    resolution_targets: int = 0
    resolution_met: int = 0
    sla_priority: dict[str, int] = field(default_factory=dict)


@dataclass
class AgentCounts:
    resolved: int = 0
    first_contact: int = 0
    reopened: int = 0
    escalated: int = 0
    deescalated: int = 0
    csat_count: int = 0
    csat_sum: int = 0
    resolved_categories: dict[str, int] = field(default_factory=dict)


@dataclass
class Period:
    tier: int
    started_at: datetime
    ended_at: datetime | None
    end_reason: str
    team: int | None = None


@dataclass(frozen=True)
class TicketFacts:
    organization: int
    category: int | None
    priority: str
    policy: int | None
    created_at: datetime
    first_response_due: datetime | None = None
    first_response_breached_at: datetime | None = None


def _chunks(values: list, size: int = ID_CHUNK) -> Iterator[list]:
    for index in range(0, len(values), size):
        yield values[index : index + size]


def _periods_of(ticket_ids: list[int], levels: dict[int, int]) -> dict[int, list[Period]]:
    periods: dict[int, list[Period]] = defaultdict(list)
    for chunk in _chunks(ticket_ids):
        rows = (
            TierPeriod.objects.filter(ticket_id__in=chunk)
            .order_by("ticket_id", "started_at", "id")
            .values_list("ticket_id", "tier_id", "started_at", "ended_at", "end_reason", "team_id")
        )
        for ticket_id, tier_id, started_at, ended_at, end_reason, team_id in rows:
            periods[ticket_id].append(
                Period(levels[tier_id], started_at, ended_at, end_reason, team_id)
            )
    return periods


def _tickets_of(ticket_ids: list[int]) -> dict[int, TicketFacts]:
    facts: dict[int, TicketFacts] = {}
    for chunk in _chunks(ticket_ids):
        rows = Ticket.objects.filter(pk__in=chunk).values_list(
            "pk",
            "organization_id",
            "category_id",
            "priority",
            "sla_policy_id",
            "created_at",
            "first_response_due",
            "first_response_breached_at",
        )
        for pk, *values in rows:
            facts[pk] = TicketFacts(*values)
    return facts


class Calendars:
    """The business-time schedule of each SLA policy (the ticket's calendar), looked up once
    per roll-up run through the SLA app's own functions."""

    def __init__(self) -> None:
        self._schedules: dict[int, Schedule | None] = {}

    def of(self, policy_id: int | None) -> Schedule | None:
        if policy_id is None:
            return None
        if policy_id not in self._schedules:
            policy = Policy.objects.select_related("calendar").filter(pk=policy_id).first()
            self._schedules[policy_id] = schedule_of(policy.calendar) if policy else None
        return self._schedules[policy_id]

    def minutes(self, policy_id: int | None, start: datetime, end: datetime) -> int | None:
        """Whole business minutes from ``start`` to ``end``; None without a calendar."""
        schedule = self.of(policy_id)
        if schedule is None:
            return None
        try:
            return max(0, math.floor(business_minutes_between(schedule, start, end)))
        except NoWorkingTime:
            return None


def _ending_period(periods: list[Period], at: datetime, reason: str) -> int | None:
    """The index of the period that the event at ``at`` ended."""
    for index in range(len(periods) - 1, -1, -1):
        period = periods[index]
        if period.ended_at == at and period.end_reason == reason:
            return index
    return None


def _holding_period(periods: list[Period], at: datetime) -> Period | None:
    """The period during which ``at`` fell (the one it ended, for an ending instant)."""
    for period in periods:
        if period.started_at <= at and (period.ended_at is None or at <= period.ended_at):
            return period
    return None


def _stint_start(periods: list[Period], index: int) -> datetime:
    """Where the stay in the tier began: back through the team moves inside the tier."""
    start = index
    while (
        start > 0
        and periods[start - 1].tier == periods[index].tier
        and periods[start - 1].end_reason == TierPeriod.EndReason.TRANSFERRED
    ):
        start -= 1
    return periods[start].started_at


def is_first_contact(periods: list[Period], index: int) -> bool:
    """Resolved by the first tier that held the ticket: every earlier period is in the same
    tier and ended only by a move between its teams (no escalation, no earlier resolution).
    The caller also checks that no reopen followed within the window."""
    tier = periods[index].tier
    return all(
        period.tier == tier and period.end_reason == TierPeriod.EndReason.TRANSFERRED
        for period in periods[:index]
    )


def was_reopened(periods: list[Period], index: int, window: timedelta) -> bool:
    """A period starts after a resolution only when the ticket is reopened."""
    resolved_at = periods[index].ended_at
    assert resolved_at is not None
    return any(
        resolved_at <= period.started_at <= resolved_at + window for period in periods[index + 1 :]
    )


def came_back_to(periods: list[Period], index: int) -> Period | None:
    """For a de-escalation ending ``periods[index]``: the earlier period of the tier it goes
    down to that ended by escalating the ticket (that tier escalated it and got it back), or
    None when the tier it goes down to never escalated it."""
    if index + 1 >= len(periods):
        return None
    back_to = periods[index + 1].tier
    for period in reversed(periods[:index]):
        if period.tier == back_to and period.end_reason == TierPeriod.EndReason.ESCALATED:
            return period
    return None


def _bump(counts: dict[str, int], key: str, by: int = 1) -> None:
    counts[key] = counts.get(key, 0) + by


class DayCounts:
    """The counters of the days being rebuilt, keyed for ``TierDay``, ``SliceDay`` and
    ``AgentDay``."""

    def __init__(self) -> None:
        self.tiers: dict[tuple, TierCounts] = defaultdict(TierCounts)
        self.slices: dict[tuple, TierCounts] = defaultdict(TierCounts)
        self.agents: dict[tuple, AgentCounts] = defaultdict(AgentCounts)

    def rows(
        self, day: date, ticket: TicketFacts | None, level: int, team: int | None
    ) -> list[TierCounts]:
        """The whole desk's and the organization's rows, in both tables."""
        organization = ticket.organization if ticket else None
        category = ticket.category if ticket else None
        rows = [self.tiers[(day, None, level)], self.slices[(day, None, level, category, team)]]
        if organization is not None:
            rows.append(self.tiers[(day, organization, level)])
            rows.append(self.slices[(day, organization, level, category, team)])
        return rows


def _sla_of(summary: Any) -> dict[str, Any]:
    """An event's SLA summary (its ``data["sla"]``), or nothing when it has none."""
    return summary if isinstance(summary, dict) else {}


def compute_days(
    days: list[date], levels: dict[int, int]
) -> tuple[dict[tuple, TierCounts], dict[tuple, TierCounts], dict[tuple, AgentCounts]]:
    """The numbers of contiguous ``days``: ``{(day, organization id or None, level): ...}``,
    ``{(day, organization id or None, level, category id, team id): ...}`` and
    ``{(day, agent id, level): ...}``."""
    zone = desk_zone()
    window = reopen_window()
    low, high = day_start(days[0], zone), day_start(days[-1] + timedelta(days=1), zone)
    wanted = set(days)
    counts = DayCounts()
    calendars = Calendars()

    # Stint endings: moves between tiers, and resolutions with their SLA summary (the only
    # part of an event's data counted). Every escalation's whole handoff, read with the rest,
    # took 28 MB at once on a day of 8,000 escalations.
    during = {"created_at__gte": low, "created_at__lt": high}
    moves = (
        Event.objects.filter(kind__in=(EventKind.ESCALATED, EventKind.DEESCALATED), **during)
        .order_by()
        .values_list("ticket_id", "kind", "actor_id", "created_at")
    )
    resolutions = (
        Event.objects.filter(kind=EventKind.RESOLVED, **during)
        .order_by()
        .values_list("ticket_id", "kind", "actor_id", "created_at", "data__sla")
    )
    endings = [(*row, None) for row in moves] + list(resolutions)
    # First responses: the agent's first public reply, or a resolution without one (the
    # ticket's ``first_responded_at`` is that event's instant).
    first_responses = list(
        Event.objects.filter(
            kind__in=(EventKind.REPLY, EventKind.RESOLVED),
            is_internal=False,
            created_at__gte=low,
            created_at__lt=high,
            ticket__first_responded_at=F("created_at"),
        )
        .order_by()
        .values_list("ticket_id", "created_at")
        .distinct()
    )
    ratings = list(
        SatisfactionRating.objects.filter(created_at__gte=low, created_at__lt=high)
        .order_by()
        .values_list(
            "ticket_id",
            "created_at",
            "score",
            "resolution__actor_id",
            "resolution__data",
            "resolution__created_at",
        )
    )
    ticket_ids = sorted(
        {row[0] for row in endings} | {row[0] for row in first_responses} | {r[0] for r in ratings}
    )
    periods = _periods_of(ticket_ids, levels)
    tickets = _tickets_of(ticket_ids)

    for ticket_id, kind, actor_id, at, sla in endings:
        day = local_day(at, zone)
        if day not in wanted:
            continue
        history = periods.get(ticket_id, [])
        index = _ending_period(history, at, END_REASON[kind])
        if index is None:
            logger.warning("reports: no tier period ended by %s of ticket %s", kind, ticket_id)
            continue
        period = history[index]
        ticket = tickets.get(ticket_id)
        stint_start = _stint_start(history, index)
        minutes = max(0, math.floor((at - stint_start).total_seconds() / 60))
        business = calendars.minutes(ticket.policy if ticket else None, stint_start, at)
        rows = counts.rows(day, ticket, period.tier, period.team)
        agent = counts.agents[(day, actor_id, period.tier)] if actor_id is not None else None
        next_tier = history[index + 1].tier if index + 1 < len(history) else None
        for row in rows:
            row.stints += 1
            histogram.add(row.minutes, minutes)
            if business is not None:
                histogram.add(row.business_minutes, business)
        if kind == EventKind.RESOLVED:
            reopened = was_reopened(history, index, window)
            first_contact = not reopened and is_first_contact(history, index)
            _count_resolution(rows, ticket, at, sla, calendars)
            for row in rows:
                row.resolved += 1
                row.first_contact += first_contact
                row.reopened += reopened
            if agent is not None:
                agent.resolved += 1
                agent.first_contact += first_contact
                agent.reopened += reopened
                category = ticket.category if ticket is not None else None
                _bump(agent.resolved_categories, str(category or ""))
            continue
        for row in rows:
            if kind == EventKind.ESCALATED:
                row.escalated += 1
            else:
                row.deescalated += 1
            if next_tier is not None:
                _bump(row.moves, str(next_tier))
        if kind == EventKind.DEESCALATED:
            escalating = came_back_to(history, index)
            if escalating is not None:
                for row in counts.rows(day, ticket, escalating.tier, escalating.team):
                    row.came_back += 1
        if agent is not None:
            if kind == EventKind.ESCALATED:
                agent.escalated += 1
            else:
                agent.deescalated += 1

    for ticket_id, at in first_responses:
        day = local_day(at, zone)
        ticket = tickets.get(ticket_id)
        holding = _holding_period(periods.get(ticket_id, []), at)
        if day not in wanted or ticket is None or holding is None:
            continue
        _count_first_response(
            counts.rows(day, ticket, holding.tier, holding.team), ticket, at, calendars
        )

    for ticket_id, at, score, resolver, data, resolved_at in ratings:
        day = local_day(at, zone)
        level = (data or {}).get("tier")
        if day not in wanted or not isinstance(level, int):
            continue
        history = periods.get(ticket_id, [])
        index = _ending_period(history, resolved_at, TierPeriod.EndReason.RESOLVED)
        team = history[index].team if index is not None else None
        for row in counts.rows(day, tickets.get(ticket_id), level, team):
            row.csat_count += 1
            row.csat_sum += score
            _bump(row.csat_scores, str(score))
        if resolver is not None:
            agent = counts.agents[(day, resolver, level)]
            agent.csat_count += 1
            agent.csat_sum += score
    return counts.tiers, counts.slices, counts.agents


def _count_resolution(
    rows: list[TierCounts],
    ticket: TicketFacts | None,
    at: datetime,
    sla_summary: Any,
    calendars: Calendars,
) -> None:
    """Time from opening to this resolution (wall-clock; business time from the SLA clock
    the event recorded, else the calendar) and whether it met its SLA target."""
    if ticket is None:
        return
    priority = ticket.priority
    sla = _sla_of(sla_summary)
    wall = max(0, math.floor((at - ticket.created_at).total_seconds() / 60))
    business = sla.get("business_minutes")
    if isinstance(business, int | float) and not isinstance(business, bool):
        business = max(0, math.floor(business))
    else:
        business = calendars.minutes(ticket.policy, ticket.created_at, at)
    had_target = bool(sla.get("resolution_due")) or sla.get("resolution_met") is False
    met = had_target and sla.get("resolution_met") is not False
    for row in rows:
        _bump(row.priority_minutes, f"res:{priority}:{histogram.bucket_of(wall)}")
        if business is not None:
            _bump(row.priority_minutes, f"resb:{priority}:{histogram.bucket_of(business)}")
        if had_target:
            row.resolution_targets += 1
            row.resolution_met += met
            _bump(row.sla_priority, f"res_target:{priority}")
            _bump(row.sla_priority, f"res_met:{priority}", int(met))


def _count_first_response(
    rows: list[TierCounts], ticket: TicketFacts, at: datetime, calendars: Calendars
) -> None:
    priority = ticket.priority
    wall = max(0, math.floor((at - ticket.created_at).total_seconds() / 60))
    business = calendars.minutes(ticket.policy, ticket.created_at, at)
    due, breached = ticket.first_response_due, ticket.first_response_breached_at
    had_target = due is not None or breached is not None
    met = had_target and breached is None and (due is None or at <= due)
    for row in rows:
        _bump(row.priority_minutes, f"fr:{priority}:{histogram.bucket_of(wall)}")
        if business is not None:
            _bump(row.priority_minutes, f"frb:{priority}:{histogram.bucket_of(business)}")
        if had_target:
            row.first_response_targets += 1
            row.first_response_met += met
            _bump(row.sla_priority, f"fr_target:{priority}")
            _bump(row.sla_priority, f"fr_met:{priority}", int(met))


def rebuild_days(days: list[date], levels: dict[int, int] | None = None) -> int:
    """Delete and recompute the roll-up rows of contiguous ``days`` (one transaction)."""
    levels = levels if levels is not None else dict(Tier.objects.values_list("pk", "level"))
    tier_counts, slice_counts, agent_counts = compute_days(days, levels)
    with transaction.atomic():
        TierDay.objects.filter(day__in=days, is_month=False).delete()
        SliceDay.objects.filter(day__in=days, is_month=False).delete()
        AgentDay.objects.filter(day__in=days).delete()
        TierDay.objects.bulk_create(
            [
                TierDay(day=day, organization_id=organization, tier_level=level, **vars(counts))
                for (day, organization, level), counts in tier_counts.items()
            ],
            batch_size=2000,
        )
        SliceDay.objects.bulk_create(
            [
                SliceDay(
                    day=day,
                    organization_id=organization,
                    tier_level=level,
                    category_id=category,
                    team_id=team,
                    **vars(counts),
                )
                for (day, organization, level, category, team), counts in slice_counts.items()
            ],
            batch_size=2000,
        )
        AgentDay.objects.bulk_create(
            [
                AgentDay(day=day, agent_id=agent, tier_level=level, **vars(counts))
                for (day, agent, level), counts in agent_counts.items()
            ],
            batch_size=2000,
        )
    return len(tier_counts) + len(slice_counts) + len(agent_counts)


# -- whole months ---------------------------------------------------------------------------

# The columns that identify a row of each table besides its day.
MONTH_KEYS = {
    TierDay: ("organization_id", "tier_level"),
    SliceDay: ("organization_id", "tier_level", "category_id", "team_id"),
}
MONTH_COUNTERS = [
    f.name
    for f in TierDay._meta.concrete_fields
    if isinstance(f, PositiveIntegerField) and f.name != "tier_level"
]
MONTH_MAPS = [f.name for f in TierDay._meta.concrete_fields if isinstance(f, JSONField)]


def month_of(day: date) -> date:
    return day.replace(day=1)


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _summed_month_maps(model, keys: tuple[str, ...], first: date, last: date) -> dict:
    """``{(key values...): {column: {key: count}}}`` of a month's day rows, summed by the
    database key by key."""
    table = model._meta.db_table
    postgres = connection.vendor == "postgresql"
    adapt = connection.ops.adapt_datefield_value
    group = ", ".join(f"t.{key}" for key in keys)
    selects, params = [], []
    for column in MONTH_MAPS:
        expand = f"jsonb_each_text(t.{column}) j" if postgres else f"json_each(t.{column}) j"
        value = "j.value::bigint" if postgres else "j.value"
        selects.append(
            f"SELECT {group}, '{column}', j.key, SUM({value}) FROM {table} t, {expand} "
            f"WHERE t.is_month = %s AND t.day >= %s AND t.day <= %s GROUP BY {group}, j.key"
        )
        params += [False, adapt(first), adapt(last)]
    sums: dict[tuple, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for *identity, column, key, count in cursor.fetchall():
            sums[tuple(identity)][column][key] = int(count)
    return sums


def rebuild_month(first: date) -> int:
    """Replace the month rows of the month starting ``first`` by the sum of its day rows
    (one transaction). Only for months that are over: the reports read month rows for the
    whole months of a period and day rows for the rest."""
    last = month_end(first)
    made = 0
    with transaction.atomic():
        for model, keys in MONTH_KEYS.items():
            counters = {
                tuple(row[key] for key in keys): row
                for row in model.objects.filter(is_month=False, day__gte=first, day__lte=last)
                .order_by()
                .values(*keys)
                .annotate(**{name: Sum(name) for name in MONTH_COUNTERS})
            }
            maps = _summed_month_maps(model, keys, first, last)
            model.objects.filter(is_month=True, day=first).delete()
            rows = []
            for identity, row in counters.items():
                values = {name: row[name] or 0 for name in MONTH_COUNTERS}
                values.update(
                    {column: dict(maps[identity].get(column, {})) for column in MONTH_MAPS}
                )
                rows.append(
                    model(
                        day=first,
                        is_month=True,
                        **dict(zip(keys, identity, strict=True)),
                        **values,
                    )
                )
            model.objects.bulk_create(rows, batch_size=2000)
            made += len(rows)
    return made


def finished_months(days: Iterable[date], today: date) -> list[date]:
    """The months of ``days`` that are over by ``today`` (their first days, in order)."""
    return sorted({month_of(day) for day in days if month_end(month_of(day)) < today})


# -- which days changed --------------------------------------------------------------------


def _days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def changed_days(
    after_event_id: int, up_to_event_id: int, *, written_since: datetime | None = None
) -> set[date]:
    """The days whose numbers the events with ids in (after, up_to] may change, and those of
    the events written at or after ``written_since`` whatever their ids (committed late)."""
    zone = desk_zone()
    reported = Event.objects.filter(kind__in=REPORTED_KINDS)
    if after_event_id == 0:
        # Everything: every day from the first to the last reported event.
        bounds = reported.filter(pk__lte=up_to_event_id).aggregate(
            first=Min("created_at"), last=Max("created_at")
        )
        if bounds["first"] is None:
            return set()
        return set(_days_between(local_day(bounds["first"], zone), local_day(bounds["last"], zone)))
    window = reopen_window()
    days: set[date] = set()
    # Two reads, not one with OR: each is served by its own index, and an event in both only
    # marks its days twice. The new ids are read whatever their kind, the kinds checked here:
    # asked for the kinds, SQLite walks the kind-and-time index over the whole timeline
    # (0.4 s at ten million events) instead of the primary key's few new ids.
    reads = []
    if up_to_event_id > after_event_id:
        reads.append(Event.objects.filter(pk__gt=after_event_id, pk__lte=up_to_event_id))
    if written_since is not None:
        reads.append(reported.filter(created_at__gte=written_since, pk__lte=after_event_id))
    for read in reads:
        rows = read.order_by().values_list("kind", "created_at").iterator(chunk_size=5000)
        for kind, at in rows:
            if kind not in REPORTED_KINDS:
                continue
            days.add(local_day(at, zone))
            if kind == EventKind.REOPENED:
                days.update(_days_between(local_day(at - window, zone), local_day(at, zone)))
    return days


def _sweep_due(state: RollupState, now: datetime, today: date) -> bool:
    """Whether this run recomputes today and yesterday whatever the events say: every
    ``SWEEP``, and on a day's first run (which also closes the month that just ended)."""
    swept = state.swept_at
    return swept is None or now - swept >= SWEEP or local_day(swept, desk_zone()) != today


def _runs(days: Iterable[date], size: int) -> Iterator[list[date]]:
    """Sorted days in runs of consecutive days, at most ``size`` long."""
    run: list[date] = []
    for day in sorted(days):
        if run and (day - run[-1] != timedelta(days=1) or len(run) >= size):
            yield run
            run = []
        run.append(day)
    if run:
        yield run


# -- the job -------------------------------------------------------------------------------


def _state() -> RollupState:
    state = RollupState.objects.filter(pk=1).first()
    if state is None:
        state, _created = RollupState.objects.get_or_create(pk=1)
    return state


def _take_lease(now: datetime) -> bool:
    _state()
    return bool(
        RollupState.objects.filter(pk=1)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE)
    )


def refresh_rollups(*, full: bool = False, now: datetime | None = None) -> dict[str, Any]:
    """Bring the roll-ups up to the timeline's latest event. Safe to run at any time, twice,
    or on several workers at once (the others skip while one holds the lease)."""
    now = now or timezone.now()
    if not _take_lease(now):
        return {"skipped": True, "days": 0, "rows": 0}
    try:
        state = _state()
        after = 0 if full else state.last_event_id
        up_to = Event.objects.aggregate(last=Max("id"))["last"] or 0
        since = state.refreshed_at - LATE_COMMIT if state.refreshed_at and after else None
        days = changed_days(after, up_to, written_since=since)
        today = local_day(now, desk_zone())
        sweep = full or _sweep_due(state, now, today)
        if sweep:
            days.update({today, today - timedelta(days=1)})
        levels = dict(Tier.objects.values_list("pk", "level"))
        rows = 0
        for run in _runs(days, DAYS_PER_TRANSACTION):
            rows += rebuild_days(run, levels)
            RollupState.objects.filter(pk=1).update(lease_until=timezone.now() + LEASE)
        for first in finished_months(days, today):
            rows += rebuild_month(first)
            RollupState.objects.filter(pk=1).update(lease_until=timezone.now() + LEASE)
        RollupState.objects.filter(pk=1).update(
            last_event_id=up_to,
            refreshed_at=now,
            lease_until=None,
            **({"swept_at": now} if sweep else {}),
        )
    except BaseException:
        RollupState.objects.filter(pk=1).update(lease_until=None)
        raise
    return {"skipped": False, "days": len(days), "rows": rows, "last_event_id": up_to}


def refreshed_at() -> datetime | None:
    """When the roll-ups last caught up with the timeline (None: never)."""
    return RollupState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
