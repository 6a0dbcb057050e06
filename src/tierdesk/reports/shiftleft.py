"""Shift-left candidates: work done above L1 that L1 (a runbook) or L0 (an article) could do.

- The categories most often resolved at L2/L3 (from the roll-ups, see ``measures.breakdown``).
- The latest tickets of the period resolved above L1 whose resolution matches a published
  knowledge-base article: the article already exists, so L1 could have used it (a runbook
  candidate) or the customer could have (an L0 candidate). Bounded: only the ``limit``
  latest such resolutions are searched, one search each through the knowledge base's public
  search function (published, public articles only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps

from tierdesk.reports.measures import BreakdownLine, breakdown
from tierdesk.reports.periods import ReportFilter
from tierdesk.tickets.models import Event, EventKind, format_ticket_number

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
QUERY_CHARACTERS = 300


def categories_resolved_above_l1(
    report_filter: ReportFilter, limit: int = 10
) -> list[BreakdownLine]:
    """Categories by how many of their resolutions were made at L2 or above (most first);
    categories never resolved above L1 are left out."""
    lines = [line for line in breakdown(report_filter, "category") if line.resolved_above_l1]
    return sorted(lines, key=lambda line: (-line.resolved_above_l1, line.key))[:limit]


@dataclass(frozen=True)
class ArticleMatch:
    ticket_id: int
    number: str
    subject: str
    tier: int
    category: str
    resolved_at: datetime
    article_id: int
    article_title: str
    article_url: str


def knowledge_base_available() -> bool:
    return apps.is_installed("tierdesk.kb")


def resolutions_matching_articles(
    report_filter: ReportFilter, limit: int = DEFAULT_LIMIT
) -> list[ArticleMatch]:
    """Of the ``limit`` latest resolutions above L1 in the filter, those whose ticket subject
    and resolution text find a published public article (newest first)."""
    if not knowledge_base_available():
        return []
    from tierdesk.kb.queries import suggest_articles

    limit = max(1, min(limit, MAX_LIMIT))
    events = Event.objects.filter(
        kind=EventKind.RESOLVED,
        created_at__gte=report_filter.starts_at,
        created_at__lt=report_filter.ends_before,
        data__tier__gte=2,
    )
    if report_filter.organization is not None:
        events = events.filter(ticket__organization=report_filter.organization)
    if report_filter.category is not None:
        events = events.filter(ticket__category=report_filter.category)
    if report_filter.team is not None:
        events = events.filter(data__team=report_filter.team.slug)
    latest = events.order_by("-created_at", "-id").values_list(
        "ticket_id", "ticket__subject", "ticket__category__slug", "body", "data", "created_at"
    )[:limit]
    matches = []
    for ticket_id, subject, category, body, data, at in latest:
        text = f"{subject} {body or ''}"[:QUERY_CHARACTERS]
        hits = suggest_articles(None, text, limit=1, snippets=False)
        if not hits:
            continue
        hit = hits[0]
        matches.append(
            ArticleMatch(
                ticket_id=ticket_id,
                number=format_ticket_number(ticket_id),
                subject=subject,
                tier=int((data or {}).get("tier") or 0),
                category=category or "",
                resolved_at=at,
                article_id=hit.id,
                article_title=hit.title,
                article_url=hit.url,
            )
        )
    return matches
