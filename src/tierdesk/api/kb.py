"""Knowledge-base and search endpoints: a schema in, one action or query, a schema out.

Reading and searching public articles, feedback and "this solved my problem" also work
without signing in when TIERDESK_KB_PUBLIC is on; the rest needs a person.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from tierdesk.api.auth import BearerToken, BrowserSession
from tierdesk.api.schemas import ErrorOut, OutSchema, StrictSchema
from tierdesk.errors import NotAllowed
from tierdesk.kb import actions
from tierdesk.kb.models import Article, ArticleStatus, Language, Visibility
from tierdesk.kb.queries import (
    article_url,
    get_visible_article,
    search_articles,
    search_desk,
    translations,
    visible_articles,
)
from tierdesk.kb.visitors import visitor_key

router = Router(tags=["knowledge base"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MAX_QUERY = 1_000

LanguageValue = Literal[tuple(Language.values)]  # type: ignore[valid-type]
VisibilityValue = Literal[tuple(Visibility.values)]  # type: ignore[valid-type]
ArticleStatusValue = Literal[tuple(ArticleStatus.values)]  # type: ignore[valid-type]


class Anonymous:
    """Lets a request through without a person (checked again by the kb queries)."""

    def __call__(self, request: HttpRequest):
        return AnonymousUser()


PUBLIC_AUTH = [BearerToken(), BrowserSession(), Anonymous()]


class SearchItemOut(OutSchema):
    id: int
    title: str
    snippet: str = Field(description="HTML-escaped text with matches in <mark>.")
    language: str
    score: float
    url: str


class SearchOut(OutSchema):
    items: list[SearchItemOut]
    count: int
    corrected_query: str | None = Field(None, description="The words searched instead.")


class SearchFilters(Schema):
    q: str = Field("", max_length=MAX_QUERY, description="What to look for.")
    lang: LanguageValue | None = None
    category: str | None = Field(None, max_length=60)
    status: ArticleStatusValue | None = Field(None, description="Staff only; default published.")
    limit: int = Field(10, ge=1, le=50)


class TranslationOut(OutSchema):
    id: int
    language: str
    title: str


class ArticleOut(OutSchema):
    id: int
    title: str
    body: str
    body_html: str
    language: str
    category: str | None
    visibility: str
    tiers: list[int]
    status: str
    version: int
    author: str
    authored_tier: int | None
    translations: list[TranslationOut]
    linked_tickets: list[int]
    url: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None


class ArticleListItemOut(OutSchema):
    id: int
    title: str
    language: str
    category: str | None
    visibility: str
    status: str
    updated_at: datetime
    url: str


class ArticlePageOut(OutSchema):
    items: list[ArticleListItemOut]
    count: int
    page: int
    page_size: int


class ArticleFilters(Schema):
    lang: LanguageValue | None = None
    category: str | None = Field(None, max_length=60)
    status: ArticleStatusValue | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(25, ge=1, le=100)


class ArticleIn(StrictSchema):
    title: str
    body: str
    language: LanguageValue
    category: str | None = None
    visibility: VisibilityValue = "public"
    tiers: list[int] = Field([], description="Internal articles: only agents of these levels.")
    status: Literal["draft", "published"] = "draft"
    translation_of: int | None = Field(None, description="The article this one translates.")
    ticket: int | None = Field(None, description="A ticket to link the article to.")


class ArticlePatch(StrictSchema):
    title: str | None = None
    body: str | None = None
    language: LanguageValue | None = None
    category: str | None = None
    visibility: VisibilityValue | None = None
    tiers: list[int] | None = None
    status: ArticleStatusValue | None = None


class FeedbackIn(StrictSchema):
    helpful: bool
    comment: str = Field("", max_length=2_000)


class SolvedIn(StrictSchema):
    query: str = Field("", max_length=MAX_QUERY, description="What the person had typed.")


class RecordedOut(OutSchema):
    article: int
    kind: str
    at: datetime


class MixedItemOut(OutSchema):
    kind: Literal["ticket", "article"]
    id: int
    title: str
    snippet: str
    language: str
    score: float
    status: str
    url: str


class MixedOut(OutSchema):
    items: list[MixedItemOut]
    count: int


def _person(request: HttpRequest):
    user = getattr(request, "auth", None)
    return user if getattr(user, "is_authenticated", False) else None


def _article_out(article: Article, viewer) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "body": article.body,
        "body_html": article.body_html,
        "language": article.language,
        "category": article.category.slug if article.category_id else None,
        "visibility": article.visibility,
        "tiers": sorted(tier.level for tier in article.tiers.all()),
        "status": article.status,
        "version": article.version,
        "author": article.author.display_name,
        "authored_tier": article.authored_tier.level if article.authored_tier_id else None,
        "translations": [
            {"id": other.pk, "language": other.language, "title": other.title}
            for other in translations(article, viewer)
        ],
        "linked_tickets": (
            list(article.linked_tickets.values_list("pk", flat=True))
            if viewer is not None and viewer.is_staff_member
            else []
        ),
        "url": article_url(article.pk),
        "created_at": article.created_at,
        "updated_at": article.updated_at,
        "published_at": article.published_at,
    }


@router.get(
    "/kb/search", auth=PUBLIC_AUTH, response={200: SearchOut, **ERRORS}, summary="Search articles"
)
def kb_search(request: HttpRequest, filters: Query[SearchFilters]):
    found = search_articles(
        _person(request),
        filters.q,
        language=filters.lang,
        category=filters.category,
        status=filters.status,
        limit=filters.limit,
    )
    items = [
        {
            "id": hit.id,
            "title": hit.title,
            "snippet": hit.snippet_html,
            "language": hit.language,
            "score": hit.score,
            "url": hit.url,
        }
        for hit in found.items
    ]
    return {"items": items, "count": len(items), "corrected_query": found.corrected_query}


@router.get(
    "/kb/articles", auth=PUBLIC_AUTH, response={200: ArticlePageOut, **ERRORS}, summary="Articles"
)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]):
    articles = visible_articles(_person(request)).select_related("category")
    if filters.lang:
        articles = articles.filter(language=filters.lang)
    if filters.category:
        articles = articles.filter(category__slug=filters.category)
    if filters.status:
        articles = articles.filter(status=filters.status)
    count = articles.count()
    start = (filters.page - 1) * filters.page_size
    page = articles.order_by("-updated_at", "-id")[start : start + filters.page_size]
    items = [
        {
            "id": article.pk,
            "title": article.title,
            "language": article.language,
            "category": article.category.slug if article.category_id else None,
            "visibility": article.visibility,
            "status": article.status,
            "updated_at": article.updated_at,
            "url": article_url(article.pk),
        }
        for article in page
    ]
    return {"items": items, "count": count, "page": filters.page, "page_size": filters.page_size}


@router.post("/kb/articles", response={201: ArticleOut, **ERRORS}, summary="Write an article")
def create_article(request: HttpRequest, payload: ArticleIn):
    with transaction.atomic():
        article = actions.create_article(
            actor=request.auth,
            title=payload.title,
            body=payload.body,
            language=payload.language,
            category=payload.category,
            visibility=payload.visibility,
            tiers=payload.tiers,
            translation_of=payload.translation_of,
            linked_ticket=payload.ticket,
        )
        if payload.status == ArticleStatus.PUBLISHED:
            article = actions.publish_article(actor=request.auth, article_id=article.pk)
    return Status(201, _article_out(get_visible_article(request.auth, article.pk), request.auth))


@router.get(
    "/kb/articles/{article_id}",
    auth=PUBLIC_AUTH,
    response={200: ArticleOut, **ERRORS},
    summary="An article",
)
def article_detail(request: HttpRequest, article_id: int):
    viewer = _person(request)
    return _article_out(get_visible_article(viewer, article_id), viewer)


@router.patch(
    "/kb/articles/{article_id}", response={200: ArticleOut, **ERRORS}, summary="Edit an article"
)
def edit_article(request: HttpRequest, article_id: int, payload: ArticlePatch):
    actor = request.auth
    actions.require_editor(actor)
    changes = payload.dict(exclude_unset=True)
    status = changes.pop("status", None)
    with transaction.atomic():
        if changes:
            current = get_visible_article(actor, article_id)
            visibility = changes.get("visibility", current.visibility)
            tiers = changes.get("tiers")
            if tiers is None and visibility == Visibility.INTERNAL:
                tiers = [tier.level for tier in current.tiers.all()]
            category = current.category.slug if current.category_id else None
            actions.revise_article(
                actor=actor,
                article_id=article_id,
                title=changes.get("title", current.title),
                body=changes.get("body", current.body),
                language=changes.get("language", current.language),
                category=changes.get("category", category),
                visibility=visibility,
                tiers=tiers or [],
            )
        if status == ArticleStatus.PUBLISHED:
            actions.publish_article(actor=actor, article_id=article_id)
        elif status == ArticleStatus.RETIRED:
            actions.retire_article(actor=actor, article_id=article_id)
        elif status == ArticleStatus.DRAFT:
            actions.restore_article(actor=actor, article_id=article_id)
    return _article_out(get_visible_article(actor, article_id), actor)


@router.post(
    "/kb/articles/{article_id}/feedback",
    auth=PUBLIC_AUTH,
    response={201: RecordedOut, **ERRORS},
    summary="Did this article help?",
)
def feedback(request: HttpRequest, article_id: int, payload: FeedbackIn):
    event = actions.record_feedback(
        actor=_person(request),
        article_id=article_id,
        helpful=payload.helpful,
        comment=payload.comment,
        visitor=visitor_key(request),
    )
    return Status(201, {"article": article_id, "kind": event.kind, "at": event.created_at})


@router.post(
    "/kb/articles/{article_id}/solved",
    auth=PUBLIC_AUTH,
    response={201: RecordedOut, **ERRORS},
    summary="This solved my problem (a deflection)",
)
def solved(request: HttpRequest, article_id: int, payload: SolvedIn | None = None):
    event = actions.record_deflection(
        actor=_person(request),
        article_id=article_id,
        query=payload.query if payload else "",
        source="api",
        visitor=visitor_key(request),
    )
    return Status(201, {"article": article_id, "kind": event.kind, "at": event.created_at})


class MixedFilters(Schema):
    q: str = Field("", max_length=MAX_QUERY)
    kind: Literal["ticket", "article"] | None = None
    limit: int = Field(20, ge=1, le=50)


@router.get(
    "/search",
    response={200: MixedOut, **ERRORS},
    summary="Search tickets and articles (agents)",
    tags=["search"],
)
def search_everything(request: HttpRequest, filters: Query[MixedFilters]):
    if not request.auth.is_staff_member:
        raise NotAllowed(_("Only service desk staff can search tickets and articles together."))
    kinds = (filters.kind,) if filters.kind else ("article", "ticket")
    hits = search_desk(request.auth, filters.q, kinds=kinds, limit=filters.limit)
    items = [
        {
            "kind": hit.kind,
            "id": hit.id,
            "title": hit.title,
            "snippet": hit.snippet_html,
            "language": hit.language,
            "score": hit.score,
            "status": hit.status,
            "url": hit.url,
        }
        for hit in hits
    ]
    return {"items": items, "count": len(items)}
