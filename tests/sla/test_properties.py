"""Property: adding N business minutes and then measuring gives N back, on any calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tierdesk.sla.businesstime import (
    Schedule,
    add_business_minutes,
    business_minutes_between,
    business_time_between,
)

ZONES = ["Asia/Jakarta", "Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "UTC"]


@st.composite
def schedules(draw) -> Schedule:
    if draw(st.integers(0, 9)) == 0:
        return Schedule(always_open=True, time_zone=draw(st.sampled_from(ZONES)))
    days = []
    for _weekday in range(7):
        # Up to two intervals a day; a late one runs past midnight into the next day.
        count = draw(st.integers(0, 2))
        start = draw(st.integers(0, 20 * 60))
        intervals = []
        for index in range(count):
            length = draw(st.integers(15, 7 * 60))
            intervals.append((start, length))
            start = start + length + draw(st.integers(0, 120))
            if start >= 24 * 60 or index == count - 1:
                break
        days.append(tuple((s, n) for s, n in intervals if s < 24 * 60))
    if not any(days):
        days[0] = ((9 * 60, 8 * 60),)
    return Schedule(
        time_zone=draw(st.sampled_from(ZONES)),
        intervals=tuple(days),
        holiday_country=draw(st.sampled_from(["ID", "NL", ""])),
    )


instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=UTC)
)


@settings(max_examples=150, deadline=None)
@given(schedule=schedules(), start=instants, minutes=st.integers(0, 20_000))
def test_adding_then_measuring_gives_the_same_minutes(schedule, start, minutes):
    end = add_business_minutes(schedule, start, minutes)
    assert end >= start
    assert business_minutes_between(schedule, start, end) == minutes


@settings(max_examples=100, deadline=None)
@given(
    schedule=schedules(),
    start=instants,
    first=st.integers(0, 5_000),
    second=st.integers(0, 5_000),
)
def test_business_time_adds_up(schedule, start, first, second):
    middle = add_business_minutes(schedule, start, first)
    end = add_business_minutes(schedule, middle, second)
    assert business_minutes_between(schedule, start, end) == first + second


@settings(max_examples=100, deadline=None)
@given(schedule=schedules(), start=instants, hours=st.integers(0, 400), pause=st.integers(0, 400))
def test_a_pause_never_adds_time(schedule, start, hours, pause):
    end = start + timedelta(hours=hours)
    paused = (start + timedelta(hours=pause // 2), start + timedelta(hours=pause))
    assert business_time_between(schedule, start, end, [paused]) <= business_time_between(
        schedule, start, end
    )
    assert business_time_between(schedule, start, end, [paused]) >= timedelta(0)
