"""L0 of the pyramid: knowledge-base deflections, counted live from the kb timeline."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.reports.conftest import PERIOD, wib
from tierdesk.kb.actions import create_article, publish_article, record_deflection
from tierdesk.reports.periods import ReportFilter
from tierdesk.reports.rollup import refresh_rollups
from tierdesk.reports.tiers import tier_report

pytestmark = pytest.mark.django_db


def test_deflections_are_level_0_and_not_part_of_the_l1_share(
    history, supervisor, organization, other_organization
):
    article = create_article(
        actor=supervisor, title="Reset your VPN token", body="Open the portal…", language="en"
    )
    publish_article(actor=supervisor, article_id=article.pk)
    for who, when in [
        (history.customer, wib(2026, 3, 2, 8, 0)),
        (history.customer, wib(2026, 3, 9, 23, 59)),
        (history.other_org_customer, wib(2026, 3, 3, 8, 0)),
        (AnonymousUser(), wib(2026, 3, 5, 8, 0)),  # a visitor: only in the whole-desk count
        (history.customer, wib(2026, 3, 11, 0, 0)),  # after the period
    ]:
        record_deflection(actor=who, article_id=article.pk, at=when)
    refresh_rollups(now=wib(2026, 3, 21, 9, 0))
    whole = tier_report(ReportFilter(*PERIOD))
    assert whole.deflections_available is True
    assert whole.pyramid == {0: 4, 1: 5, 2: 1, 3: 0}
    assert whole.l1_share == round(5 / 6, 4)
    assert tier_report(ReportFilter(*PERIOD, organization)).pyramid[0] == 2
    assert tier_report(ReportFilter(*PERIOD, other_organization)).pyramid[0] == 1
