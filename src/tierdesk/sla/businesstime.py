"""Business-time arithmetic on a calendar: pure functions of plain values, no database.

A :class:`Schedule` says when work happens: intervals of local wall-clock time per weekday
(several per day, an interval may run past midnight into the next day), in one time zone,
minus public holidays and custom closed dates. An interval belongs to the day it starts on:
on a holiday the whole interval is skipped, also the part after midnight. ``always_open``
is the 24x7 calendar (holidays do not apply).

Working periods are turned into real instants (UTC) one day at a time, so a day on which
daylight-saving time starts or ends has the length the clock on the wall says it has: a
22:00–06:00 night shift in Europe/Amsterdam is seven real hours when the clocks go forward.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
# How far ahead we look for working time before giving up (a calendar closed for ever).
SEARCH_DAYS = 3 * 366


class NoWorkingTime(ValueError):
    """The calendar has no working time in the next few years: no due time can be computed."""


@dataclass(frozen=True)
class Schedule:
    """When work happens. ``intervals[weekday]`` (0 = Monday) holds ``(start_minute,
    length_minutes)`` pairs in local wall-clock time, sorted; ``start_minute`` is minutes
    after local midnight, the interval may end on the next day."""

    time_zone: str = "Asia/Jakarta"
    intervals: tuple[tuple[tuple[int, int], ...], ...] = ((),) * 7
    always_open: bool = False
    closed_dates: frozenset[date] = frozenset()
    holiday_country: str = ""
    holiday_subdivision: str = ""
    include_joint_leave: bool = True
    _zone: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_zone", ZoneInfo(self.time_zone))

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    def is_closed(self, day: date) -> bool:
        """Whether ``day`` is a public holiday or a custom closed date of this calendar."""
        if day in self.closed_dates:
            return True
        if not self.holiday_country:
            return False
        return day in public_holidays(
            self.holiday_country, self.holiday_subdivision, self.include_joint_leave
        )

    def holiday_name(self, day: date) -> str | None:
        if day in self.closed_dates:
            return "closed"
        if not self.holiday_country:
            return None
        return public_holidays(
            self.holiday_country, self.holiday_subdivision, self.include_joint_leave
        ).get(day)


TWENTY_FOUR_SEVEN = Schedule(always_open=True, time_zone="UTC")

_holiday_lock = threading.Lock()


@lru_cache(maxsize=64)
def _holiday_calendar(country: str, subdivision: str, joint_leave: bool) -> Any:
    import holidays

    categories = ("public", "government") if joint_leave else ("public",)
    supported = holidays.country_holidays(country).supported_categories
    categories = tuple(category for category in categories if category in supported)
    return holidays.country_holidays(
        country, subdiv=subdivision or None, categories=categories or ("public",)
    )


class _LockedHolidays:
    """The ``holidays`` package fills years in lazily on lookup; serialise that between
    threads of one process (worker threads share the cached calendar)."""

    def __init__(self, calendar: Any) -> None:
        self.calendar = calendar

    def __contains__(self, day: date) -> bool:
        if day.year in self.calendar.years:
            return day in self.calendar
        with _holiday_lock:
            return day in self.calendar

    def get(self, day: date) -> str | None:
        with _holiday_lock:
            return self.calendar.get(day)


@lru_cache(maxsize=64)
def public_holidays(country: str, subdivision: str = "", joint_leave: bool = True) -> Any:
    """The public holidays of ``country`` (ISO code, e.g. ``ID``) from the ``holidays``
    package; with ``joint_leave`` also the government's joint leave days (Indonesia's cuti
    bersama) where the package has them."""
    return _LockedHolidays(_holiday_calendar(country, subdivision, joint_leave))


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("business-time functions need aware datetimes")
    return moment.astimezone(UTC)


def working_periods(schedule: Schedule, start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The working periods from ``start`` on, as ``(from, until)`` UTC instants, in order,
    the first one clipped to ``start``. Raises :class:`NoWorkingTime` when none comes."""
    start = _as_utc(start)
    if schedule.always_open:
        yield start, datetime.max.replace(tzinfo=UTC)
        return
    zone = schedule.zone
    # Yesterday's intervals may run past midnight into today.
    day = start.astimezone(zone).date() - timedelta(days=1)
    last_end = start
    found_at = 0
    for offset in itertools.count():
        if offset - found_at > SEARCH_DAYS:
            break
        current = day + timedelta(days=offset)
        day_intervals = schedule.intervals[current.weekday()]
        if not day_intervals or schedule.is_closed(current):
            continue
        midnight = datetime(current.year, current.month, current.day, tzinfo=zone)
        for start_minute, length in day_intervals:
            local_start = midnight + timedelta(minutes=start_minute)
            # Wall-clock arithmetic: same tzinfo, so DST shifts show in the UTC instants.
            local_end = local_start + timedelta(minutes=length)
            period_start = local_start.astimezone(UTC)
            period_end = local_end.astimezone(UTC)
            if period_start < last_end:
                period_start = last_end
            if period_end <= period_start:
                continue
            found_at = offset
            last_end = period_end
            yield period_start, period_end
    raise NoWorkingTime("no working time in this calendar for years")


def add_business_time(schedule: Schedule, start: datetime, amount: timedelta) -> datetime:
    """The instant at which ``amount`` of business time has passed since ``start`` (UTC)."""
    start = _as_utc(start)
    if amount <= timedelta(0):
        return start
    if schedule.always_open:
        return start + amount
    remaining = amount
    for period_start, period_end in working_periods(schedule, start):
        length = period_end - period_start
        if remaining <= length:
            return period_start + remaining
        remaining -= length
    raise NoWorkingTime("no working time")  # pragma: no cover - working_periods raises first


def add_business_minutes(schedule: Schedule, start: datetime, minutes: float) -> datetime:
    return add_business_time(schedule, start, timedelta(minutes=minutes))


def _merged(pauses: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    spans = sorted((_as_utc(a), _as_utc(b)) for a, b in pauses if b > a)
    merged: list[tuple[datetime, datetime]] = []
    for begin, end in spans:
        if merged and begin <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((begin, end))
    return merged


def _overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> timedelta:
    begin = max(a[0], b[0])
    end = min(a[1], b[1])
    return end - begin if end > begin else timedelta(0)


def business_time_between(
    schedule: Schedule,
    start: datetime,
    end: datetime,
    pauses: Iterable[tuple[datetime, datetime]] = (),
) -> timedelta:
    """Business time from ``start`` to ``end``, less the business time inside ``pauses``
    (``(from, until)`` pairs, may overlap each other). Zero when ``end <= start``."""
    start = _as_utc(start)
    end = _as_utc(end)
    if end <= start:
        return timedelta(0)
    paused = _merged(pauses)
    if schedule.always_open:
        total = end - start
        return total - sum((_overlap((start, end), pause) for pause in paused), timedelta(0))
    total = timedelta(0)
    index = 0
    for period_start, period_end in working_periods(schedule, start):
        if period_start >= end:
            break
        span = (period_start, min(period_end, end))
        total += span[1] - span[0]
        while index < len(paused) and paused[index][1] <= span[0]:
            index += 1
        probe = index
        while probe < len(paused) and paused[probe][0] < span[1]:
            total -= _overlap(span, paused[probe])
            probe += 1
        if period_end >= end:
            break
    return total


def business_minutes_between(
    schedule: Schedule,
    start: datetime,
    end: datetime,
    pauses: Iterable[tuple[datetime, datetime]] = (),
) -> float:
    return business_time_between(schedule, start, end, pauses).total_seconds() / 60


def is_working_time(schedule: Schedule, moment: datetime) -> bool:
    moment = _as_utc(moment)
    if schedule.always_open:
        return True
    period_start, _ = next(working_periods(schedule, moment))
    return period_start == moment


# Validation helpers shared by the admin and the API (plain values in, messages out).


def overlapping_intervals(
    intervals: Iterable[tuple[int, int, int]],
) -> tuple[tuple[int, int, int], tuple[int, int, int]] | None:
    """The first pair of ``(weekday, start_minute, length)`` intervals that overlap on the
    weekly circle (Sunday night runs into Monday), or None."""
    week = 7 * MINUTES_PER_DAY
    spans = []
    for weekday, start_minute, length in intervals:
        begin = weekday * MINUTES_PER_DAY + start_minute
        spans.append((begin, begin + length, (weekday, start_minute, length)))
    spans.sort()
    for i, (begin, end, original) in enumerate(spans):
        for other_begin, other_end, other in spans[i + 1 :]:
            if other_begin < end or other_end > week + begin:
                return original, other
    return None
