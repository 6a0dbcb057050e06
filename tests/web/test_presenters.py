"""The queue's row presenter writes dates and ages as Django's own helpers do."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format
from django.utils.timesince import timesince, timeuntil

from tierdesk.web.presenters import Moments


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Europe/Berlin", "America/New_York"])
def test_page_dates_and_ages_read_as_the_date_filter_and_timesince_write_them(language, zone):
    """A queue page writes 50 dates and ages with work done once per page; what it writes is
    what the rest of the desk writes for the same moment (the ``date`` filter, ``timesince``,
    ``timeuntil``), in either language and any time zone, across daylight-saving changes."""
    picker = random.Random(7)
    now = timezone.now()
    with translation.override(language), timezone.override(zone):
        moments = Moments(now)
        for _ in range(2000):
            moment = now + timedelta(seconds=picker.randint(-800 * 86400, 800 * 86400))
            expected = dateformat.format(timezone.localtime(moment), get_format("DATETIME_FORMAT"))
            assert moments.when(moment) == expected
            assert moments.since(moment) == timesince(moment, now)
            assert moments.until(moment) == timeuntil(moment, now)
        overdue = moments.overdue(now - timedelta(hours=3))
    assert overdue == {"en": "3\xa0hours over", "id": "lewat 3\xa0jam"}[language]
