"""Read paths for the knowledge base. ``visible_articles`` decides once what a person may
see; searches ask the search index with the same rule, expressed as scopes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Membership, User
from tierdesk.errors import InvalidInput, NotFound
from tierdesk.kb.indexing import ARTICLE, TICKET
from tierdesk.kb.models import Article, ArticleEvent, ArticleEventKind, ArticleStatus, Visibility
from tierdesk.search import index as search_index
from tierdesk.tickets.queries import visible_tickets

MAX_ARTICLE_ID = 2**63 - 1
MAX_SEARCH_CHARACTERS = 1_000


def _is_person(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _tier_levels(user: User) -> list[int]:
    return sorted(set(Membership.objects.filter(user=user).values_list("tier__level", flat=True)))


def may_read_anonymously() -> bool:
    return bool(getattr(settings, "TIERDESK_KB_PUBLIC", False))


def visible_articles(user: Any) -> QuerySet[Article]:
    """The articles ``user`` may see (``user`` may be None or anonymous).

    - Visitors (when TIERDESK_KB_PUBLIC is on) and customers: published public articles.
    - Agents: every public article and every internal one not limited to tiers, or limited to
      a tier they belong to, in any status (drafts are theirs to write).
    - Supervisors and admins: every article.
    """
    articles = Article.objects.all()
    if not _is_person(user):
        if not may_read_anonymously():
            return articles.none()
        return articles.filter(status=ArticleStatus.PUBLISHED, visibility=Visibility.PUBLIC)
    if user.is_customer or not user.is_staff_member:
        return articles.filter(status=ArticleStatus.PUBLISHED, visibility=Visibility.PUBLIC)
    if user.is_supervisor:
        return articles
    levels = _tier_levels(user)
    return articles.filter(
        Q(visibility=Visibility.PUBLIC)
        | Q(visibility=Visibility.INTERNAL, tiers__isnull=True)
        | Q(visibility=Visibility.INTERNAL, tiers__level__in=levels)
    ).distinct()


def get_visible_article(user: Any, article_id: int) -> Article:
    """One article ``user`` may see; NotFound otherwise (existence does not leak)."""
    if not isinstance(article_id, int) or not 0 < article_id <= MAX_ARTICLE_ID:
        raise NotFound(_("There is no such article."))
    article = (
        visible_articles(user)
        .select_related("category", "author", "authored_tier")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        raise NotFound(_("There is no such article."))
    return article


def translations(article: Article, user: Any) -> QuerySet[Article]:
    """The other-language versions of ``article`` that ``user`` may see."""
    return (
        visible_articles(user)
        .filter(translation_group=article.translation_group)
        .exclude(pk=article.pk)
        .order_by("language")
    )


def article_url(article_id: int) -> str:
    """Where a person reads the article: the portal page once it exists, else the API."""
    for name in ("web:kb_article", "web:portal_kb_article"):
        try:
            return reverse(name, args=[article_id])
        except NoReverseMatch:
            continue
    return f"/api/v1/kb/articles/{article_id}"


def article_visibility(user: Any) -> search_index.Visibility | None:
    """What ``user`` may see of the indexed articles, as scopes (None: everything)."""
    if not _is_person(user):
        return search_index.Visibility(scopes=["public"] if may_read_anonymously() else [])
    if user.is_customer or not user.is_staff_member:
        return search_index.Visibility(scopes=["public"])
    if user.is_supervisor:
        return None
    levels = _tier_levels(user)
    return search_index.Visibility(
        scopes=["public", "internal", *(f"internal-l{level}" for level in levels)]
    )


def _may_see_unpublished(user: Any) -> bool:
    return _is_person(user) and user.is_staff_member


@dataclass(frozen=True)
class ArticleHit:
    id: int
    title: str
    title_html: str
    snippet_html: str
    language: str
    score: float
    url: str
    status: str
    category: str


@dataclass(frozen=True)
class ArticleSearch:
    items: list[ArticleHit]
    corrected_query: str | None


def _clean_query(text: Any) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise InvalidInput(_("The search text must be text without NUL characters."), field="q")
    if "\x00" in text:
        raise InvalidInput(_("The search text must be text without NUL characters."), field="q")
    return text


def search_articles(
    user: Any,
    text: Any,
    *,
    language: str | None = None,
    category: str | None = None,
    status: str | None = None,
    limit: int = 10,
) -> ArticleSearch:
    """Articles ``user`` may see that match ``text``, best first, with highlighted snippets.

    Customers and visitors get published articles only; staff may ask for another ``status``
    (default: published). ``language`` (id/en) and ``category`` (short name) narrow it.
    Empty text finds nothing; long text is cut to its first words.
    """
    text = _clean_query(text)
    visibility = article_visibility(user)
    filters: dict[str, Sequence[str]] = {}
    if status and _may_see_unpublished(user):
        filters["status"] = [status]
    else:
        filters["status"] = [ArticleStatus.PUBLISHED]
    if language:
        filters["language"] = [language]
    if category:
        filters["category"] = [category]
    results = search_index.search(
        text[:MAX_SEARCH_CHARACTERS], kinds={ARTICLE: visibility}, filters=filters, limit=limit
    )
    return ArticleSearch(
        items=[_article_hit(hit) for hit in results.hits],
        corrected_query=results.corrected_query,
    )


def _article_hit(hit: search_index.Hit) -> ArticleHit:
    return ArticleHit(
        id=hit.object_id,
        title=hit.title,
        title_html=hit.title_html,
        snippet_html=hit.snippet_html,
        language=hit.language,
        score=hit.score,
        url=article_url(hit.object_id),
        status=(hit.attributes.get("status") or [""])[0],
        category=(hit.attributes.get("category") or [""])[0],
    )


def suggest_articles(
    user: Any, text: Any, language: str | None = None, limit: int = 5, *, snippets: bool = True
) -> list[ArticleHit]:
    """The best published public articles for a problem described in ``text`` (a new
    ticket's subject and description as it is typed, or an e-mail): what the portal's
    ticket form and the e-mail auto-reply offer before a ticket is worked.

    ``user`` is the customer (or None for an e-mail sender not yet known). ``language``
    ranks nothing out: articles in the other language still come when they match, after
    the ones in ``language``. Words most articles hold ("tidak bisa") do not count, so an
    article comes for the words that tell it apart (decision 0008). ``snippets=False``:
    titles and links only (no passage of the text), for a mail.
    """
    text = _clean_query(text)
    if not text.strip():
        return []
    results = search_index.search(
        text[:MAX_SEARCH_CHARACTERS],
        kinds={ARTICLE: search_index.Visibility(scopes=["public"])},
        filters={"status": [ArticleStatus.PUBLISHED]},
        limit=limit,
        description=True,
        snippets=snippets,
    )
    hits = [_article_hit(hit) for hit in results.hits]
    if language:
        hits.sort(key=lambda hit: hit.language != language)  # stable: keeps rank within
    return hits


@dataclass(frozen=True)
class MixedHit:
    kind: Literal["ticket", "article"]
    id: int
    title: str
    title_html: str
    snippet_html: str
    language: str
    score: float
    status: str
    url: str


def search_desk(
    user: Any, text: Any, *, kinds: Sequence[str] = (ARTICLE, TICKET), limit: int = 20
) -> list[MixedHit]:
    """Tickets (those ``visible_tickets`` gives the agent) and articles (any status the agent
    may see) matching ``text``, ranked together. Staff only: customers get nothing here."""
    text = _clean_query(text)
    if not _is_person(user) or not user.is_staff_member:
        return []
    wanted: dict[str, search_index.Visibility | None] = {}
    if ARTICLE in kinds:
        wanted[ARTICLE] = article_visibility(user)
    if TICKET in kinds:
        sees_all = user.is_supervisor or user.sees_all_tickets
        wanted[TICKET] = (
            None if sees_all else search_index.Visibility(ids=visible_tickets(user).values("pk"))
        )
    results = search_index.search(text[:MAX_SEARCH_CHARACTERS], kinds=wanted, limit=limit)
    return [
        MixedHit(
            kind=hit.kind,  # type: ignore[arg-type]
            id=hit.object_id,
            title=hit.title,
            title_html=hit.title_html,
            snippet_html=hit.snippet_html,
            language=hit.language,
            score=hit.score,
            status=(hit.attributes.get("status") or [""])[0],
            url=article_url(hit.object_id)
            if hit.kind == ARTICLE
            else f"/desk/tickets/{hit.object_id}/",
        )
        for hit in results.hits
    ]


@dataclass(frozen=True)
class ArticleCounts:
    views: int
    helpful: int
    not_helpful: int
    deflections: int


def article_counts(article_id: int) -> ArticleCounts:
    """Views, feedback and deflections of one article, counted from its events."""
    counts = ArticleEvent.objects.filter(article_id=article_id).aggregate(
        views=Count("id", filter=Q(kind=ArticleEventKind.VIEWED)),
        helpful=Count("id", filter=Q(kind=ArticleEventKind.FEEDBACK, data__helpful=True)),
        not_helpful=Count("id", filter=Q(kind=ArticleEventKind.FEEDBACK, data__helpful=False)),
        deflections=Count("id", filter=Q(kind=ArticleEventKind.DEFLECTED)),
    )
    return ArticleCounts(**counts)


@dataclass(frozen=True)
class DeflectionRow:
    """One week (``period`` = its Monday) or one article (``article_id``/``title``).

    ``rate`` = deflections / ticket forms started in the period (problems solved by an
    article out of problems that reached the ticket form); per article the denominator is
    every form started in the whole range, so the articles' rates add up to the total's.
    ``views_from_form`` counts opens of the article from the ticket form's suggestions."""

    period: date | None
    article_id: int | None
    title: str
    deflections: int
    forms_started: int
    views_from_form: int
    rate: float | None


def deflection_rate(
    start: datetime, end: datetime, per: Literal["week", "article"] = "week"
) -> list[DeflectionRow]:
    """Deflection from ``start`` (included) to ``end`` (excluded), per week or per article.
    Weeks without any event are left out; articles are ordered by deflections."""
    if per not in ("week", "article"):
        raise InvalidInput(_("Deflection is counted per week or per article."), field="per")
    if end <= start:
        return []
    if end - start > timedelta(days=3700):
        raise InvalidInput(_("The period is too long (at most ten years)."), field="start")
    events = ArticleEvent.objects.filter(created_at__gte=start, created_at__lt=end)
    if per == "week":
        rows = (
            events.annotate(week=TruncWeek("created_at"))
            .values("week")
            .annotate(
                deflections=Count("id", filter=Q(kind=ArticleEventKind.DEFLECTED)),
                forms=Count("id", filter=Q(kind=ArticleEventKind.FORM_STARTED)),
                form_views=Count(
                    "id", filter=Q(kind=ArticleEventKind.VIEWED, data__source="ticket_form")
                ),
            )
            .order_by("week")
        )
        return [
            DeflectionRow(
                period=row["week"].date() if hasattr(row["week"], "date") else row["week"],
                article_id=None,
                title="",
                deflections=row["deflections"],
                forms_started=row["forms"],
                views_from_form=row["form_views"],
                rate=(row["deflections"] / row["forms"]) if row["forms"] else None,
            )
            for row in rows
        ]
    forms = events.filter(kind=ArticleEventKind.FORM_STARTED).count()
    rows = (
        events.filter(article__isnull=False)
        .values("article_id", "article__title")
        .annotate(
            deflections=Count("id", filter=Q(kind=ArticleEventKind.DEFLECTED)),
            form_views=Count(
                "id", filter=Q(kind=ArticleEventKind.VIEWED, data__source="ticket_form")
            ),
        )
        .filter(Q(deflections__gt=0) | Q(form_views__gt=0))
        .order_by("-deflections", "article_id")
    )
    return [
        DeflectionRow(
            period=None,
            article_id=row["article_id"],
            title=row["article__title"],
            deflections=row["deflections"],
            forms_started=forms,
            views_from_form=row["form_views"],
            rate=(row["deflections"] / forms) if forms else None,
        )
        for row in rows
    ]
