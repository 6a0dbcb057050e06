"""Report filters from plain text (query strings, form fields): dates and organization."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Organization
from tierdesk.errors import InvalidInput
from tierdesk.reports.rollup import day_start, desk_zone, local_day

DEFAULT_DAYS = 30
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Dates a report can be about: the timeline starts long after 2000 and datetimes end at 9999.
EARLIEST = date(2000, 1, 1)
LATEST = date(9998, 12, 31)


@dataclass(frozen=True)
class ReportFilter:
    """Which days (both included, desk time zone) and which organization (None: all)."""

    start: date
    end: date
    organization: Organization | None = None

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


def parse_filter(
    start: str | None = None,
    end: str | None = None,
    organization: str | None = None,
    *,
    today: date | None = None,
) -> ReportFilter:
    """Filters from text: ``start``/``end`` as YYYY-MM-DD (default: the last 30 days up to
    today), ``organization`` as its short name. Bad input raises ``InvalidInput`` (422)."""
    today = today or local_day(timezone.now(), desk_zone())
    start_day = _parse_date(start, field="start")
    end_day = _parse_date(end, field="end") or today
    start_day = start_day or end_day - timedelta(days=DEFAULT_DAYS - 1)
    if end_day < start_day:
        raise InvalidInput(
            _("The end of the period lies before its start."), code="end_before_start", field="end"
        )
    organization_row = None
    if organization is not None and organization.strip():
        organization_row = Organization.objects.filter(slug=organization.strip()).first()
        if organization_row is None:
            raise InvalidInput(
                format_lazy(_("There is no organization “{slug}”."), slug=organization.strip()),
                code="unknown_organization",
                field="organization",
            )
    return ReportFilter(max(start_day, EARLIEST), end_day, organization_row)
