"""Report filters from plain text (query strings, form fields): dates, organization,
category and team."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Organization, Team
from tierdesk.errors import InvalidInput
from tierdesk.reports.rollup import day_start, desk_zone, local_day
from tierdesk.tickets.models import Category

DEFAULT_DAYS = 30
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Dates a report can be about: the timeline starts long after 2000 and datetimes end at 9999.
EARLIEST = date(2000, 1, 1)
LATEST = date(9998, 12, 31)


@dataclass(frozen=True)
class ReportFilter:
    """Which days (both included, desk time zone), which organization, category and team
    (None: all)."""

    start: date
    end: date
    organization: Organization | None = None
    category: Category | None = None
    team: Team | None = None

    @property
    def is_sliced(self) -> bool:
        """Filtered by category or team: read from the finer roll-ups (``SliceDay``)."""
        return self.category is not None or self.team is not None

    @property
    def starts_at(self) -> datetime:
        return day_start(self.start)

    @property
    def ends_before(self) -> datetime:
        return day_start(self.end + timedelta(days=1))


def _parse_date(value: str | None, *, field: str) -> date | None:
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError(text)
        parsed = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            format_lazy(_("{field} must be a date written as YYYY-MM-DD."), field=field),
            code="invalid_date",
            field=field,
        ) from None
    if not EARLIEST <= parsed <= LATEST:
        raise InvalidInput(
            format_lazy(
                _("{field} must lie between {earliest} and {latest}."),
                field=field,
                earliest=EARLIEST.isoformat(),
                latest=LATEST.isoformat(),
            ),
            code="date_out_of_range",
            field=field,
        )
    return parsed


def _by_slug(model, value: str | None, *, field: str, message, code: str):
    if value is None or not value.strip():
        return None
    slug = value.strip()
    row = model.objects.filter(slug=slug).first() if len(slug) <= 60 else None
    if row is None:
        raise InvalidInput(format_lazy(message, slug=slug[:60]), code=code, field=field)
    return row


def parse_filter(
    start: str | None = None,
    end: str | None = None,
    organization: str | None = None,
    category: str | None = None,
    team: str | None = None,
    *,
    today: date | None = None,
) -> ReportFilter:
    """Filters from text: ``start``/``end`` as YYYY-MM-DD (default: the last 30 days up to
    today), ``organization``, ``category`` and ``team`` as their short names. Bad input
    raises ``InvalidInput`` (422)."""
    today = today or local_day(timezone.now(), desk_zone())
    start_day = _parse_date(start, field="start")
    end_day = _parse_date(end, field="end") or today
    start_day = start_day or end_day - timedelta(days=DEFAULT_DAYS - 1)
    if end_day < start_day:
        raise InvalidInput(
            _("The end of the period lies before its start."), code="end_before_start", field="end"
        )
    organization_row = _by_slug(
        Organization,
        organization,
        field="organization",
        message=_("There is no organization “{slug}”."),
        code="unknown_organization",
    )
    category_row = _by_slug(
        Category,
        category,
        field="category",
        message=_("There is no category “{slug}”."),
        code="unknown_category",
    )
    team_row = _by_slug(
        Team, team, field="team", message=_("There is no team “{slug}”."), code="unknown_team"
    )
    return ReportFilter(max(start_day, EARLIEST), end_day, organization_row, category_row, team_row)


def parse_month(value: str | None, *, today: date | None = None) -> tuple[date, date]:
    """A month written ``YYYY-MM`` (default: the last whole month) as its first and last
    day. Bad input raises ``InvalidInput`` (422, code ``invalid_month``, field ``month``)."""
    today = today or local_day(timezone.now(), desk_zone())
    if value is None or not value.strip():
        first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    else:
        text = value.strip()
        try:
            if not re.fullmatch(r"\d{4}-\d{2}", text):
                raise ValueError(text)
            first = date(int(text[:4]), int(text[5:]), 1)
        except ValueError:
            raise InvalidInput(
                _("The month must be written as YYYY-MM."), code="invalid_month", field="month"
            ) from None
        if not EARLIEST <= first <= LATEST:
            raise InvalidInput(
                format_lazy(
                    _("{field} must lie between {earliest} and {latest}."),
                    field="month",
                    earliest=EARLIEST.isoformat(),
                    latest=LATEST.isoformat(),
                ),
                code="date_out_of_range",
                field="month",
            )
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first, last
