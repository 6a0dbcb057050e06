"""Keeping the daily roll-ups (``TierDay``, ``AgentDay``) in step with the timeline.

Choice (docs/reports.md): the tier report over a year of a million tickets must answer in
under a second on SQLite too, which rules out medians and p90s over a million tier periods
per request. So a periodic worker job (``reports.tasks.refresh_report_rollups``) recomputes
*whole days* from the timeline:

- it reads the events written since its last run (an id watermark) and marks the days they
  change: the day of each resolution, escalation, de-escalation and rating, and for a reopen
  the days of the resolutions it may turn into "reopened within the window";
- today and yesterday are always recomputed (an event committed late with a lower id, a
  clock near midnight);
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
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from tierdesk.accounts.models import Tier
from tierdesk.reports import histogram
from tierdesk.reports.models import AgentDay, RollupState, TierDay
from tierdesk.tickets.models import Event, EventKind, SatisfactionRating, Ticket, TierPeriod

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=15)
DAYS_PER_TRANSACTION = 7
ID_CHUNK = 5000
STINT_END_KINDS = (EventKind.ESCALATED, EventKind.DEESCALATED, EventKind.RESOLVED)
# The events that change a day's numbers.
REPORTED_KINDS = (*STINT_END_KINDS, EventKind.REOPENED, EventKind.RATED)
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
    moves: dict[str, int] = field(default_factory=dict)
    minutes: dict[str, int] = field(default_factory=dict)
    csat_count: int = 0
    csat_sum: int = 0
    csat_scores: dict[str, int] = field(default_factory=dict)


@dataclass
class AgentCounts:
    resolved: int = 0
    first_contact: int = 0
    reopened: int = 0
    escalated: int = 0
    deescalated: int = 0
    csat_count: int = 0
    csat_sum: int = 0


@dataclass
class Period:
    tier: int
    started_at: datetime
    ended_at: datetime | None
    end_reason: str


def _chunks(values: list, size: int = ID_CHUNK) -> Iterator[list]:
    for index in range(0, len(values), size):
        yield values[index : index + size]


def _periods_of(ticket_ids: list[int], levels: dict[int, int]) -> dict[int, list[Period]]:
    periods: dict[int, list[Period]] = defaultdict(list)
    for chunk in _chunks(ticket_ids):
        rows = (
            TierPeriod.objects.filter(ticket_id__in=chunk)
            .order_by("ticket_id", "started_at", "id")
            .values_list("ticket_id", "tier_id", "started_at", "ended_at", "end_reason")
        )
        for ticket_id, tier_id, started_at, ended_at, end_reason in rows:
            periods[ticket_id].append(Period(levels[tier_id], started_at, ended_at, end_reason))
    return periods


def _organizations_of(ticket_ids: list[int]) -> dict[int, int]:
    organizations: dict[int, int] = {}
    for chunk in _chunks(ticket_ids):
        organizations.update(
            Ticket.objects.filter(pk__in=chunk).values_list("pk", "organization_id")
        )
    return organizations


def _ending_period(periods: list[Period], at: datetime, reason: str) -> int | None:
    """The index of the period that the event at ``at`` ended."""
    for index in range(len(periods) - 1, -1, -1):
        period = periods[index]
        if period.ended_at == at and period.end_reason == reason:
            return index
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


def compute_days(
    days: list[date], levels: dict[int, int]
) -> tuple[dict[tuple, TierCounts], dict[tuple, AgentCounts]]:
    """The numbers of contiguous ``days``: ``{(day, organization id or None, level): ...}``
    and ``{(day, agent id, level): ...}``."""
    zone = desk_zone()
    window = reopen_window()
    low, high = day_start(days[0], zone), day_start(days[-1] + timedelta(days=1), zone)
    wanted = set(days)
    tier_counts: dict[tuple, TierCounts] = defaultdict(TierCounts)
    agent_counts: dict[tuple, AgentCounts] = defaultdict(AgentCounts)

    endings = list(
        Event.objects.filter(kind__in=STINT_END_KINDS, created_at__gte=low, created_at__lt=high)
        .order_by()
        .values_list("ticket_id", "kind", "actor_id", "created_at")
    )
    ticket_ids = sorted({row[0] for row in endings})
    periods = _periods_of(ticket_ids, levels)
    organizations = _organizations_of(ticket_ids)

    for ticket_id, kind, actor_id, at in endings:
        day = local_day(at, zone)
        if day not in wanted:
            continue
        history = periods.get(ticket_id, [])
        index = _ending_period(history, at, END_REASON[kind])
        if index is None:
            logger.warning("reports: no tier period ended by %s of ticket %s", kind, ticket_id)
            continue
        period = history[index]
        minutes = max(0, math.floor((at - _stint_start(history, index)).total_seconds() / 60))
        rows = [tier_counts[(day, None, period.tier)]]
        organization = organizations.get(ticket_id)
        if organization is not None:
            rows.append(tier_counts[(day, organization, period.tier)])
        agent = agent_counts[(day, actor_id, period.tier)] if actor_id is not None else None
        next_tier = history[index + 1].tier if index + 1 < len(history) else None
        for row in rows:
            row.stints += 1
            histogram.add(row.minutes, minutes)
        if kind == EventKind.RESOLVED:
            reopened = was_reopened(history, index, window)
            first_contact = not reopened and is_first_contact(history, index)
            for row in rows:
                row.resolved += 1
                row.first_contact += first_contact
                row.reopened += reopened
            if agent is not None:
                agent.resolved += 1
                agent.first_contact += first_contact
                agent.reopened += reopened
            continue
        for row in rows:
            if kind == EventKind.ESCALATED:
                row.escalated += 1
            else:
                row.deescalated += 1
            if next_tier is not None:
                key = str(next_tier)
                row.moves[key] = row.moves.get(key, 0) + 1
        if agent is not None:
            if kind == EventKind.ESCALATED:
                agent.escalated += 1
            else:
                agent.deescalated += 1

    ratings = (
        SatisfactionRating.objects.filter(created_at__gte=low, created_at__lt=high)
        .order_by()
        .values_list(
            "created_at",
            "score",
            "ticket__organization_id",
            "resolution__actor_id",
            "resolution__data",
        )
    )
    for at, score, organization, resolver, data in ratings:
        day = local_day(at, zone)
        level = (data or {}).get("tier")
        if day not in wanted or not isinstance(level, int):
            continue
        for row in (tier_counts[(day, None, level)], tier_counts[(day, organization, level)]):
            row.csat_count += 1
            row.csat_sum += score
            row.csat_scores[str(score)] = row.csat_scores.get(str(score), 0) + 1
        if resolver is not None:
            agent = agent_counts[(day, resolver, level)]
            agent.csat_count += 1
            agent.csat_sum += score
    return tier_counts, agent_counts


def rebuild_days(days: list[date], levels: dict[int, int] | None = None) -> int:
    """Delete and recompute the roll-up rows of contiguous ``days`` (one transaction)."""
    levels = levels if levels is not None else dict(Tier.objects.values_list("pk", "level"))
    tier_counts, agent_counts = compute_days(days, levels)
    with transaction.atomic():
        TierDay.objects.filter(day__in=days).delete()
        AgentDay.objects.filter(day__in=days).delete()
        TierDay.objects.bulk_create(
            [
                TierDay(day=day, organization_id=organization, tier_level=level, **vars(counts))
                for (day, organization, level), counts in tier_counts.items()
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
    return len(tier_counts) + len(agent_counts)


# -- which days changed --------------------------------------------------------------------


def _days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def changed_days(after_event_id: int, up_to_event_id: int) -> set[date]:
    """The days whose numbers the events with ids in (after, up_to] may change."""
    zone = desk_zone()
    events = Event.objects.filter(
        pk__gt=after_event_id, pk__lte=up_to_event_id, kind__in=REPORTED_KINDS
    )
    if after_event_id == 0:
        # Everything: every day from the first to the last reported event.
        bounds = events.aggregate(first=Min("created_at"), last=Max("created_at"))
        if bounds["first"] is None:
            return set()
        return set(_days_between(local_day(bounds["first"], zone), local_day(bounds["last"], zone)))
    window = reopen_window()
    days: set[date] = set()
    for kind, at in events.order_by().values_list("kind", "created_at").iterator(chunk_size=5000):
        days.add(local_day(at, zone))
        if kind == EventKind.REOPENED:
            days.update(_days_between(local_day(at - window, zone), local_day(at, zone)))
    return days


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
        days = changed_days(after, up_to) if up_to > after else set()
        today = local_day(now, desk_zone())
        days.update({today, today - timedelta(days=1)})
        levels = dict(Tier.objects.values_list("pk", "level"))
        rows = 0
        for run in _runs(days, DAYS_PER_TRANSACTION):
            rows += rebuild_days(run, levels)
            RollupState.objects.filter(pk=1).update(lease_until=timezone.now() + LEASE)
        RollupState.objects.filter(pk=1).update(
            last_event_id=up_to, refreshed_at=now, lease_until=None
        )
    except BaseException:
        RollupState.objects.filter(pk=1).update(lease_until=None)
        raise
    return {"skipped": False, "days": len(days), "rows": rows, "last_event_id": up_to}


def refreshed_at() -> datetime | None:
    """When the roll-ups last caught up with the timeline (None: never)."""
    return RollupState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
