"""What articles and tickets look like to the search index, and keeping the index current.

Articles are indexed by the kb actions inside their own transaction (the index rows live in
the same database, so the article and its index entry commit or roll back together).

Tickets are indexed from here rather than inside the ticket actions' transactions: this
module registers :func:`load_tickets` as the search index's source of ``ticket`` documents
(``KbConfig.ready``), so a ticket change reported with
``tierdesk.search.index.changed("ticket", [ticket.pk])`` is indexed by a queued task as
soon as its transaction commits. A periodic job (:func:`index_changed_tickets`, every 30 s)
catches up with whatever was not reported: tickets whose ``updated_at`` moved since its last
run, with an overlap so a transaction that committed late is not missed. ``tierdesk
reindex`` rebuilds everything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import task

from tierdesk.kb.models import Article, Visibility
from tierdesk.kb.rendering import plain_text
from tierdesk.search.index import (
    SearchDocument,
    delete_documents,
    index_documents,
    register_source,
    sync_recent,
)
from tierdesk.search.models import Document, PendingRefresh, SyncMark
from tierdesk.tickets.models import Ticket
from tierdesk.tickets.queries import TICKET_DOCUMENTS

logger = logging.getLogger(__name__)

ARTICLE = "article"
TICKET = TICKET_DOCUMENTS
TICKET_MARK = "tickets"
# A ticket change that committed this long after its ``updated_at`` is still picked up.
TICKET_OVERLAP = timedelta(minutes=2)
BATCH = 1000


def article_scopes(visibility: str, tier_levels: Iterable[int]) -> list[str]:
    """``public``; ``internal`` for every agent; ``internal-l2`` ... when tiers are chosen."""
    if visibility == Visibility.PUBLIC:
        return ["public"]
    levels = sorted(set(tier_levels))
    return [f"internal-l{level}" for level in levels] or ["internal"]


def article_document(article: Article) -> SearchDocument:
    return SearchDocument(
        kind=ARTICLE,
        object_id=article.pk,
        language=article.language,
        title=article.title,
        body=plain_text(article.body_html),
        attributes={
            "status": article.status,
            "category": article.category.slug if article.category_id else "",
            "language": article.language,
            "scope": article_scopes(
                article.visibility, (tier.level for tier in article.tiers.all())
            ),
        },
    )


def index_article(article: Article) -> None:
    index_documents([article_document(article)])


def index_articles(articles: Iterable[Article]) -> int:
    return index_documents(article_document(article) for article in articles)


def ticket_document(ticket: Ticket) -> SearchDocument:
    requester_language = getattr(ticket.requester, "language", "") or "id"
    return SearchDocument(
        kind=TICKET,
        object_id=ticket.pk,
        language=requester_language if requester_language in ("id", "en") else "id",
        title=f"{ticket.number} {ticket.subject}",
        body=ticket.description,
        attributes={
            "status": ticket.status,
            "category": ticket.category.slug if ticket.category_id else "",
        },
    )


def index_tickets(tickets: Iterable[Ticket], *, bulk: bool = False) -> int:
    return index_documents((ticket_document(ticket) for ticket in tickets), bulk=bulk)


def load_tickets(ticket_ids: list[int]) -> Iterable[SearchDocument]:
    """The documents of those of ``ticket_ids`` that exist (the search index's loader)."""
    for batch in _ticket_batches(Ticket.objects.filter(pk__in=ticket_ids)):
        yield from (ticket_document(ticket) for ticket in batch)


def load_articles(article_ids: list[int]) -> Iterable[SearchDocument]:
    """The documents of those of ``article_ids`` that exist (the search index's loader)."""
    articles = (
        Article.objects.filter(pk__in=article_ids)
        .select_related("category")
        .prefetch_related("tiers")
    )
    return [article_document(article) for article in articles]


def register_sources() -> None:
    register_source(ARTICLE, load_articles)
    register_source(TICKET, load_tickets)


def _ticket_batches(queryset) -> Iterable[list[Ticket]]:
    last = 0
    while True:
        batch = list(
            queryset.filter(pk__gt=last)
            .select_related("requester", "category")
            .only("id", "subject", "description", "status", "category__slug", "requester__language")
            .order_by("pk")[:BATCH]
        )
        if not batch:
            return
        yield batch
        last = batch[-1].pk


@task()
def index_changed_tickets() -> int:
    """The catch-up behind the prompt refresh (``search.index.changed``): index the tickets
    changed since the last run whose document is missing or older than the change, e.g. a
    ticket edited outside the ticket actions. Tickets the prompt refresh already indexed, or
    will within seconds, are left alone: re-reading every recent ticket on each run cost a
    sixth of a core while tickets were created at 250/s. Idempotent: running twice does no
    harm."""
    started = timezone.now()
    mark = SyncMark.objects.filter(name=TICKET_MARK).first()
    tickets = Ticket.objects.all()
    if mark is not None:
        tickets = tickets.filter(updated_at__gte=mark.position - TICKET_OVERLAP)
        current = Document.objects.filter(
            kind=TICKET, object_id=OuterRef("pk"), indexed_at__gte=OuterRef("updated_at")
        )
        pending = PendingRefresh.objects.filter(kind=TICKET, object_id=OuterRef("pk"))
        tickets = tickets.exclude(Exists(current)).exclude(Exists(pending))
    count = 0
    for batch in _ticket_batches(tickets):
        with transaction.atomic():
            count += index_tickets(batch)
    SyncMark.objects.update_or_create(name=TICKET_MARK, defaults={"position": started})
    return count


def reindex(*, kinds: Iterable[str] = (ARTICLE, TICKET), progress=None) -> dict[str, int]:
    """Rebuild the index of ``kinds`` from the articles and tickets themselves."""
    from tierdesk.search.index import clear

    kinds = list(kinds)
    counts: dict[str, int] = {}
    if set(kinds) >= {ARTICLE, TICKET}:
        clear(None)
    if ARTICLE in kinds:
        with transaction.atomic():
            if set(kinds) < {ARTICLE, TICKET}:
                clear(ARTICLE)
            counts[ARTICLE] = index_articles(
                Article.objects.select_related("category").prefetch_related("tiers")
            )
        if progress:
            progress(ARTICLE, counts[ARTICLE])
    if TICKET in kinds:
        started = timezone.now()
        if set(kinds) < {ARTICLE, TICKET}:
            with transaction.atomic():
                clear(TICKET)
        counts[TICKET] = 0
        for batch in _ticket_batches(Ticket.objects.all()):
            with transaction.atomic():
                counts[TICKET] += index_tickets(batch, bulk=True)
            if progress:
                progress(TICKET, counts[TICKET])
        SyncMark.objects.update_or_create(name=TICKET_MARK, defaults={"position": started})
        sync_recent()
    return counts


def forget_article(article_id: int) -> None:
    delete_documents(ARTICLE, [article_id])
