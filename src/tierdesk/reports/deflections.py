"""L0 of the pyramid: problems the knowledge base solved before a ticket existed.

The knowledge base (``tierdesk.kb``) records each self-service resolution as an append-only
``ArticleEvent`` of kind ``kb.deflected``. A deflection counts for an organization when the
visitor was signed in as one of its customers (``actor.organization``); anonymous
deflections count only in the whole-desk report. Counted live — one index-backed
``COUNT(*)`` over ``kbevent_kind_time`` — not rolled up: deflections do not depend on later
events the way reopens do.
"""

from __future__ import annotations

from datetime import datetime

from django.apps import apps

from tierdesk.accounts.models import Organization

DEFLECTED = "kb.deflected"


def _article_events():
    try:
        return apps.get_model("kb", "ArticleEvent")
    except LookupError:  # a desk built without the knowledge base
        return None


def deflections_available() -> bool:
    return _article_events() is not None


def count_deflections(
    start: datetime, end: datetime, organization: Organization | None = None
) -> int:
    """Problems solved at L0 in ``[start, end)``, for one organization or the whole desk."""
    model = _article_events()
    if model is None:
        return 0
    events = model.objects.filter(kind=DEFLECTED, created_at__gte=start, created_at__lt=end)
    if organization is not None:
        events = events.filter(actor__organization=organization)
    return events.count()
