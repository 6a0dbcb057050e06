"""Business-time arithmetic: nights, weekends, Indonesian holidays and joint leave, a
daylight-saving zone, intervals past midnight, pauses across holidays."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tierdesk.sla.businesstime import (
    NoWorkingTime,
    Schedule,
    add_business_minutes,
    business_minutes_between,
    is_working_time,
    overlapping_intervals,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")


def office(zone: str = "Asia/Jakarta", country: str = "ID", **extra) -> Schedule:
    """Monday to Friday 08:00–17:00."""
    day = ((8 * 60, 9 * 60),)
    return Schedule(
        time_zone=zone,
        intervals=(day, day, day, day, day, (), ()),
        holiday_country=country,
        **extra,
    )


def at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)


def test_overnight_carries_to_the_next_morning():
    start = at(JAKARTA, 2026, 3, 3, 16, 30)  # Tuesday
    assert add_business_minutes(office(), start, 60) == at(JAKARTA, 2026, 3, 4, 8, 30)
    assert business_minutes_between(office(), start, at(JAKARTA, 2026, 3, 4, 8, 30)) == 60


def test_weekend_is_skipped():
    friday = at(JAKARTA, 2026, 3, 6, 16, 0)
    assert add_business_minutes(office(), friday, 120) == at(JAKARTA, 2026, 3, 9, 9, 0)


def test_start_outside_hours_waits_for_opening():
    saturday = at(JAKARTA, 2026, 3, 7, 11, 0)
    assert add_business_minutes(office(), saturday, 30) == at(JAKARTA, 2026, 3, 9, 8, 30)
    assert not is_working_time(office(), saturday)
    assert is_working_time(office(), at(JAKARTA, 2026, 3, 9, 8, 0))


def test_new_year_is_a_holiday():
    new_years_eve = at(JAKARTA, 2025, 12, 31, 16, 30)  # Wednesday; 1 January is a Thursday
    assert add_business_minutes(office(), new_years_eve, 60) == at(JAKARTA, 2026, 1, 2, 8, 30)


def test_lebaran_week_with_joint_leave_is_closed():
    # 2026: Nyepi joint leave 18 March, Nyepi 19, Idul Fitri joint leave 20, 23, 24 March.
    tuesday = at(JAKARTA, 2026, 3, 17, 16, 0)
    assert add_business_minutes(office(), tuesday, 120) == at(JAKARTA, 2026, 3, 25, 9, 0)


def test_without_joint_leave_only_public_holidays_close():
    tuesday = at(JAKARTA, 2026, 3, 17, 16, 0)
    schedule = office(include_joint_leave=False)
    assert add_business_minutes(schedule, tuesday, 120) == at(JAKARTA, 2026, 3, 18, 9, 0)
    thursday_before = at(JAKARTA, 2026, 3, 18, 16, 0)
    # Nyepi (Thursday 19 March) is still closed.
    assert add_business_minutes(schedule, thursday_before, 120) == at(JAKARTA, 2026, 3, 20, 9, 0)


def test_custom_closed_dates():
    from datetime import date

    schedule = office(country="", closed_dates=frozenset({date(2026, 3, 4)}))
    start = at(JAKARTA, 2026, 3, 3, 16, 30)
    assert add_business_minutes(schedule, start, 60) == at(JAKARTA, 2026, 3, 5, 8, 30)


def test_pause_spanning_the_holidays_is_not_counted_twice():
    start = at(JAKARTA, 2026, 3, 17, 8, 0)
    end = at(JAKARTA, 2026, 3, 25, 17, 0)
    assert business_minutes_between(office(), start, end) == 18 * 60
    pause = (at(JAKARTA, 2026, 3, 17, 12, 0), at(JAKARTA, 2026, 3, 25, 10, 0))
    assert business_minutes_between(office(), start, end, [pause]) == 11 * 60
    # Overlapping pauses are merged, not subtracted twice.
    inner = (at(JAKARTA, 2026, 3, 17, 13, 0), at(JAKARTA, 2026, 3, 17, 14, 0))
    assert business_minutes_between(office(), start, end, [pause, inner]) == 11 * 60


def test_amsterdam_office_hours_across_the_spring_dst_change():
    schedule = office("Europe/Amsterdam", "NL")
    friday = at(AMSTERDAM, 2026, 3, 27, 16, 0)  # CET; Sunday 29 March clocks go forward
    due = add_business_minutes(schedule, friday, 120)
    assert due == at(AMSTERDAM, 2026, 3, 30, 9, 0)
    assert due.astimezone(UTC) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert friday.astimezone(UTC) == datetime(2026, 3, 27, 15, 0, tzinfo=UTC)


def test_night_shift_is_seven_real_hours_when_the_clocks_go_forward():
    night = ((22 * 60, 8 * 60),)  # 22:00-06:00
    schedule = Schedule(time_zone="Europe/Amsterdam", intervals=(night,) * 7)
    saturday_evening = at(AMSTERDAM, 2026, 3, 28, 21, 0)
    sunday_morning = at(AMSTERDAM, 2026, 3, 29, 7, 0)
    assert business_minutes_between(schedule, saturday_evening, sunday_morning) == 7 * 60
    # ... and nine in autumn.
    autumn = business_minutes_between(
        schedule, at(AMSTERDAM, 2026, 10, 24, 21, 0), at(AMSTERDAM, 2026, 10, 25, 7, 0)
    )
    assert autumn == 9 * 60


def test_interval_crossing_midnight_belongs_to_the_day_it_starts():
    evening = ((20 * 60, 6 * 60),)  # Monday 20:00 to Tuesday 02:00 only
    schedule = Schedule(intervals=(evening, (), (), (), (), (), ()))
    monday_late = at(JAKARTA, 2026, 3, 2, 23, 0)
    assert add_business_minutes(schedule, monday_late, 120) == at(JAKARTA, 2026, 3, 3, 1, 0)
    # Starting on Tuesday 00:30 is inside Monday's interval.
    assert add_business_minutes(schedule, at(JAKARTA, 2026, 3, 3, 0, 30), 60) == at(
        JAKARTA, 2026, 3, 3, 1, 30
    )
    # After it, the next one is a week later.
    assert add_business_minutes(schedule, at(JAKARTA, 2026, 3, 3, 2, 0), 1) == at(
        JAKARTA, 2026, 3, 9, 20, 1
    )


def test_twenty_four_seven_counts_every_minute_even_on_holidays():
    schedule = Schedule(always_open=True)
    start = at(JAKARTA, 2026, 3, 19, 10, 0)  # Nyepi
    assert add_business_minutes(schedule, start, 90) == start + timedelta(minutes=90)
    pause = (start + timedelta(minutes=10), start + timedelta(minutes=40))
    assert business_minutes_between(schedule, start, start + timedelta(hours=2), [pause]) == 90


def test_a_calendar_that_never_opens_is_reported_not_looped_on():
    schedule = Schedule(intervals=((),) * 7)
    with pytest.raises(NoWorkingTime):
        add_business_minutes(schedule, at(JAKARTA, 2026, 3, 2, 9, 0), 1)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        add_business_minutes(office(), datetime(2026, 3, 2, 9, 0), 1)


def test_overlaps_are_found_on_the_weekly_circle():
    assert overlapping_intervals([(0, 8 * 60, 240), (0, 11 * 60, 120)]) is not None
    assert overlapping_intervals([(0, 8 * 60, 240), (0, 12 * 60, 120)]) is None
    # Sunday 22:00-06:00 runs into Monday 05:00.
    assert overlapping_intervals([(6, 22 * 60, 480), (0, 5 * 60, 60)]) is not None
    assert overlapping_intervals([(6, 22 * 60, 480), (0, 6 * 60, 60)]) is None
