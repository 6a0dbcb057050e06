"""Month rows: once a month is over, the job sums its day rows into month rows, and a report
over whole months reads them — with the very same numbers as from the days."""

from __future__ import annotations

import pytest

from tests.reports.conftest import wib
from tierdesk.reports.models import SliceDay, TierDay
from tierdesk.reports.periods import parse_filter
from tierdesk.reports.rollup import refresh_rollups
from tierdesk.reports.sums import period_parts
from tierdesk.reports.tiers import tier_report

pytestmark = pytest.mark.django_db

FILTERS = [
    {},
    {"organization": "contoh"},
    {"organization": "sample"},
    {"category": "akun"},
    {"category": "jaringan", "organization": "sample"},
    {"team": "l2-network"},
    {"team": "l2-hosting"},
]


def numbers(start: str, end: str) -> list[dict]:
    return [tier_report(parse_filter(start, end, **names)).as_api() for names in FILTERS]


def test_a_finished_month_reads_the_same_from_its_month_rows(extended_history):
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    assert not TierDay.objects.filter(is_month=True).exists()
    from_days = numbers("2026-03-01", "2026-03-31")
    wider_from_days = numbers("2026-02-15", "2026-04-10")
    # The first run of 1 April rebuilds 31 March ("yesterday"): March is over.
    refresh_rollups(now=wib(2026, 4, 1, 0, 5))
    whole_desk_l1 = TierDay.objects.get(
        is_month=True, day="2026-03-01", organization__isnull=True, tier_level=1
    )
    # L1 resolved T1, T3, T4 twice, T5 and T7 in March; 10 stints ended there.
    assert (whole_desk_l1.resolved, whole_desk_l1.stints, whole_desk_l1.came_back) == (6, 10, 2)
    assert SliceDay.objects.filter(is_month=True, day="2026-03-01").exists()
    ranges, months = period_parts(parse_filter("2026-02-15", "2026-04-10"))
    assert [month.isoformat() for month in months] == ["2026-03-01"]
    assert [(low.isoformat(), high.isoformat()) for low, high in ranges] == [
        ("2026-02-15", "2026-02-28"),
        ("2026-04-01", "2026-04-10"),
    ]
    assert numbers("2026-03-01", "2026-03-31") == from_days
    assert numbers("2026-02-15", "2026-04-10") == wider_from_days
    # Running again, or rebuilding everything, gives the same month rows.
    rows = sorted(
        TierDay.objects.filter(is_month=True).values_list(
            "organization_id", "tier_level", "resolved", "stints", "minutes", "priority_minutes"
        ),
        key=repr,
    )
    refresh_rollups(full=True, now=wib(2026, 4, 1, 0, 10))
    assert rows == sorted(
        TierDay.objects.filter(is_month=True).values_list(
            "organization_id", "tier_level", "resolved", "stints", "minutes", "priority_minutes"
        ),
        key=repr,
    )
    assert numbers("2026-03-01", "2026-03-31") == from_days


def test_the_current_month_has_no_month_rows(extended_history):
    refresh_rollups(now=wib(2026, 3, 31, 23, 0))
    assert not TierDay.objects.filter(is_month=True).exists()
    assert period_parts(parse_filter("2026-03-01", "2026-03-31"))[1] == []
