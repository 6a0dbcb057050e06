"""Checks that keep a bad calendar or policy out of the database, with a message a person
reads. Used by the models (admin) and by the API, so neither finds out in a crashing sweep."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tierdesk.sla.businesstime import MINUTES_PER_DAY, overlapping_intervals

WEEKDAY_NAMES = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_time_zone(value: str) -> None:
    if not isinstance(value, str) or value not in _zones():
        raise ValidationError(
            _("“%(zone)s” is not a known time zone; use a name such as Asia/Jakarta."),
            code="unknown_time_zone",
            params={"zone": value},
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:  # pragma: no cover - listed but broken
        raise ValidationError(
            _("“%(zone)s” is not a known time zone; use a name such as Asia/Jakarta."),
            code="unknown_time_zone",
            params={"zone": value},
        ) from error


def validate_holiday_country(value: str) -> None:
    if not value:
        return
    import holidays

    if value not in holidays.list_supported_countries():
        raise ValidationError(
            _("There are no public holidays for the country code “%(country)s”; use e.g. ID."),
            code="unknown_holiday_country",
            params={"country": value},
        )


def validate_holiday_subdivision(country: str, subdivision: str) -> None:
    import holidays

    known = holidays.list_supported_countries().get(country, [])
    if subdivision not in known:
        raise ValidationError(
            {
                "holiday_subdivision": ValidationError(
                    _("“%(region)s” is not a region of %(country)s."),
                    code="unknown_holiday_region",
                    params={"region": subdivision, "country": country},
                )
            }
        )


def _clock(minute: int) -> str:
    minute %= MINUTES_PER_DAY
    return f"{minute // 60:02d}:{minute % 60:02d}"


def describe_interval(weekday: int, start_minute: int, length: int) -> str:
    return f"{WEEKDAY_NAMES[weekday]} {_clock(start_minute)}–{_clock(start_minute + length)}"


def validate_working_hours(intervals: Iterable[tuple[int, time, time]], is_24x7: bool) -> None:
    """``intervals`` are ``(weekday, start, end)``; refuse a calendar without working hours
    and overlapping intervals (also a night shift running into the next morning's hours)."""
    from tierdesk.sla.models import interval_length

    plain = [
        (weekday, start.hour * 60 + start.minute, interval_length(start, end))
        for weekday, start, end in intervals
    ]
    if not plain and not is_24x7:
        raise ValidationError(
            _(
                "A calendar needs working hours: add at least one interval, or make it a 24x7 "
                "calendar."
            ),
            code="no_working_hours",
        )
    clash = overlapping_intervals(plain)
    if clash is not None:
        first, second = clash
        raise ValidationError(
            _("Working hours overlap: %(first)s and %(second)s."),
            code="overlapping_intervals",
            params={"first": describe_interval(*first), "second": describe_interval(*second)},
        )
