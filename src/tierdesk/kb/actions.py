"""Every change to the knowledge base: one function per intent, one transaction each.

Each action checks who acts and the article's state and raises a domain error before it
changes anything; then it writes the article, a new :class:`ArticleVersion` (every save is
kept) and the article's search entry in the same transaction. Views, feedback, deflections
and ticket forms started are append-only :class:`ArticleEvent` rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Membership, Tier, User
from tierdesk.cleaning import clean_choice, clean_text
from tierdesk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tierdesk.kb.indexing import index_article
from tierdesk.kb.models import (
    ARTICLE_MOVES,
    Article,
    ArticleEvent,
    ArticleEventKind,
    ArticleStatus,
    ArticleVersion,
    Language,
    Visibility,
)
from tierdesk.kb.queries import MAX_ARTICLE_ID, get_visible_article, visible_articles
from tierdesk.kb.rendering import render_markdown
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import HANDOFF_KINDS, Category, EventKind
from tierdesk.tickets.queries import get_visible_ticket

MAX_TITLE_LENGTH = 200
MAX_BODY_LENGTH = 100_000
MAX_COMMENT_LENGTH = 2_000
MAX_QUERY_LENGTH = 1_000
MAX_VISITOR_LENGTH = 64
EVENT_SOURCES = frozenset({"", "portal", "ticket_form", "search", "email", "desk", "api"})


# --- checks -----------------------------------------------------------------------------


def _category(slug: Any) -> Category | None:
    if slug in (None, ""):
        return None
    if not isinstance(slug, str):
        raise InvalidInput(_("The category is given by its short name."), field="category")
    category = Category.objects.filter(slug=slug, is_active=True).first()
    if category is None:
        raise InvalidInput(
            format_lazy(_("There is no category “{category}”."), category=slug),
            code="unknown_category",
            field="category",
        )
    return category


def _tiers(levels: Iterable[Any] | None, visibility: str) -> list[Tier]:
    levels = list(levels or [])
    if not levels:
        return []
    if visibility != Visibility.INTERNAL:
        raise InvalidInput(
            _("Only internal articles can be limited to tiers."), code="tiers_need_internal"
        )
    if any(isinstance(level, bool) or not isinstance(level, int) for level in levels):
        raise InvalidInput(_("Tiers are given by their level numbers, e.g. 2."), field="tiers")
    tiers = list(Tier.objects.filter(level__in=set(levels)))
    if len(tiers) != len(set(levels)):
        raise InvalidInput(
            _("One of the tiers does not exist."), code="unknown_tier", field="tiers"
        )
    return tiers


def require_editor(actor: Any) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.is_staff_member):
        raise NotAllowed(
            _("Only service desk staff can write knowledge-base articles."), code="staff_only"
        )


def _locked_article(actor: User, article_id: Any) -> Article:
    if (
        isinstance(article_id, bool)
        or not isinstance(article_id, int)
        or not 0 < article_id <= MAX_ARTICLE_ID
        or not visible_articles(actor).filter(pk=article_id).exists()
    ):
        raise NotFound(_("There is no such article."))
    return Article.objects.select_for_update().get(pk=article_id)


def _visitor(value: Any) -> str:
    return value[:MAX_VISITOR_LENGTH] if isinstance(value, str) else ""


def _actor_or_none(actor: Any) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _authoring_tier(actor: User) -> Tier | None:
    membership = (
        Membership.objects.filter(user=actor).select_related("tier").order_by("tier__level").first()
    )
    return membership.tier if membership else None


# --- writing ----------------------------------------------------------------------------


def _save_version(article: Article, editor: User, at: datetime) -> None:
    ArticleVersion.objects.create(
        article=article,
        number=article.version,
        title=article.title,
        body=article.body,
        language=article.language,
        category_slug=article.category.slug if article.category_id else "",
        visibility=article.visibility,
        tier_levels=sorted(tier.level for tier in article.tiers.all()),
        status=article.status,
        editor=editor,
        created_at=at,
    )


def create_article(
    *,
    actor: User,
    title: Any,
    body: Any,
    language: Any,
    category: Any = None,
    visibility: Any = Visibility.PUBLIC,
    tiers: Iterable[int] | None = None,
    translation_of: int | None = None,
    linked_ticket: int | None = None,
    at: datetime | None = None,
) -> Article:
    """A new draft article (version 1). ``translation_of`` names an article this one
    translates; ``tiers`` (levels) limits an internal article to agents of those tiers."""
    require_editor(actor)
    at = at or timezone.now()
    title = clean_text(title, field="title", label=_("Title"), max_length=MAX_TITLE_LENGTH)
    body = clean_text(body, field="body", label=_("Text"), max_length=MAX_BODY_LENGTH)
    language = clean_choice(
        language, Language, field="language", label=_("Language"), required=True
    )
    visibility = clean_choice(
        visibility, Visibility, field="visibility", label=_("Visibility"), required=True
    )
    category_row = _category(category)
    tier_rows = _tiers(tiers, visibility)
    ticket = get_visible_ticket(actor, linked_ticket) if linked_ticket is not None else None
    group = None
    if translation_of is not None:
        original = get_visible_article(actor, translation_of)
        if original.language == language:
            raise Conflict(
                _("A translation must be in another language than the article it translates."),
                code="same_language",
            )
        if Article.objects.filter(
            translation_group=original.translation_group, language=language
        ).exists():
            raise Conflict(
                _("This article already has a translation in that language."),
                code="translation_exists",
            )
        group = original.translation_group
    try:
        with transaction.atomic():
            article = Article(
                title=title,
                body=body,
                body_html=render_markdown(body),
                category=category_row,
                language=language,
                visibility=visibility,
                status=ArticleStatus.DRAFT,
                author=actor,
                authored_tier=_authoring_tier(actor),
                created_at=at,
                updated_at=at,
            )
            if group is not None:
                article.translation_group = group
            article.save(force_insert=True)
            article.tiers.set(tier_rows)
            if ticket is not None:
                article.linked_tickets.add(ticket)
            _save_version(article, actor, at)
            index_article(article)
    except IntegrityError as error:  # a concurrent translation in the same language won
        raise Conflict(
            _("This article already has a translation in that language."),
            code="translation_exists",
        ) from error
    return article


def revise_article(
    *,
    actor: User,
    article_id: int,
    title: Any,
    body: Any,
    language: Any,
    category: Any,
    visibility: Any,
    tiers: Iterable[int] | None = None,
    at: datetime | None = None,
) -> Article:
    """Save new content for an article (all of it: this is the editor's save button); the
    previous content stays as a version. The status does not change."""
    require_editor(actor)
    at = at or timezone.now()
    title = clean_text(title, field="title", label=_("Title"), max_length=MAX_TITLE_LENGTH)
    body = clean_text(body, field="body", label=_("Text"), max_length=MAX_BODY_LENGTH)
    language = clean_choice(
        language, Language, field="language", label=_("Language"), required=True
    )
    visibility = clean_choice(
        visibility, Visibility, field="visibility", label=_("Visibility"), required=True
    )
    category_row = _category(category)
    tier_rows = _tiers(tiers, visibility)
    with transaction.atomic():
        article = _locked_article(actor, article_id)
        if (
            language != article.language
            and Article.objects.filter(
                translation_group=article.translation_group, language=language
            ).exists()
        ):
            raise Conflict(
                _("This article already has a translation in that language."),
                code="translation_exists",
            )
        unchanged = (
            article.title == title
            and article.language == language
            and article.body == body
            and article.category_id == (category_row.pk if category_row else None)
            and article.visibility == visibility
            and {tier.pk for tier in article.tiers.all()} == {tier.pk for tier in tier_rows}
        )
        if unchanged:
            return article
        article.title = title
        article.body = body
        article.language = language
        article.body_html = render_markdown(body)
        article.category = category_row
        article.visibility = visibility
        article.version += 1
        article.updated_at = at
        article.save()
        article.tiers.set(tier_rows)
        _save_version(article, actor, at)
        index_article(article)
    return article


def _move(actor: User, article_id: int, target: str, at: datetime | None) -> Article:
    require_editor(actor)
    at = at or timezone.now()
    with transaction.atomic():
        article = _locked_article(actor, article_id)
        if article.status == target:
            return article
        if target not in ARTICLE_MOVES[article.status]:
            raise Conflict(
                format_lazy(
                    _("A {current} article cannot become {target}."),
                    current=ArticleStatus(article.status).label,
                    target=ArticleStatus(target).label,
                ),
                code="status_not_allowed",
            )
        article.status = target
        if target == ArticleStatus.PUBLISHED:
            article.published_at = at
        elif target == ArticleStatus.RETIRED:
            article.retired_at = at
        article.version += 1
        article.updated_at = at
        article.save()
        _save_version(article, actor, at)
        index_article(article)
    return article


def publish_article(*, actor: User, article_id: int, at: datetime | None = None) -> Article:
    """Draft -> published: customers (public articles) or agents (internal) now find it."""
    return _move(actor, article_id, ArticleStatus.PUBLISHED, at)


def retire_article(*, actor: User, article_id: int, at: datetime | None = None) -> Article:
    """Published or draft -> retired: kept with its history, found by nobody but staff."""
    return _move(actor, article_id, ArticleStatus.RETIRED, at)


def restore_article(*, actor: User, article_id: int, at: datetime | None = None) -> Article:
    """Retired -> draft, to be reworked and published again."""
    return _move(actor, article_id, ArticleStatus.DRAFT, at)


def link_ticket(*, actor: User, article_id: int, ticket_id: int) -> Article:
    """Link a ticket the agent may see to an article (idempotent)."""
    require_editor(actor)
    ticket = get_visible_ticket(actor, ticket_id)
    with transaction.atomic():
        article = _locked_article(actor, article_id)
        article.linked_tickets.add(ticket)
    return article


# --- KCS: knowledge from a resolved ticket ----------------------------------------------

KCS_TEMPLATE = (
    "## {problem}\n\n{problem_text}\n\n## {cause}\n\n{cause_text}\n\n"
    "## {resolution}\n\n{resolution_text}\n"
)


def create_kcs_draft(
    *, actor: User, ticket_id: int, language: str | None = None, at: datetime | None = None
) -> Article:
    """A draft article from a resolved (or closed) ticket the agent may see: the problem
    (subject and description), the cause (findings of its handoffs) and the resolution,
    linked back to the ticket. Internal until someone decides to publish it publicly."""
    require_editor(actor)
    ticket = get_visible_ticket(actor, ticket_id)
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise Conflict(
            _("Only a resolved or closed ticket can become an article."), code="ticket_not_resolved"
        )
    language = language or actor.language or ticket.requester.language or "id"
    language = clean_choice(
        language, Language, field="language", label=_("Language"), required=True
    )
    resolved = ticket.events.filter(kind=EventKind.RESOLVED).order_by("-created_at", "-id").first()
    findings = [
        event.data.get("findings", "")
        for event in ticket.events.filter(kind__in=HANDOFF_KINDS).order_by("created_at", "id")
        if event.data.get("findings")
    ]
    with translation.override(language):
        body = KCS_TEMPLATE.format(
            problem=_("Problem"),
            problem_text=ticket.description,
            cause=_("Cause"),
            cause_text="\n\n".join(findings) or _("(to be written)"),
            resolution=_("Resolution"),
            resolution_text=(resolved.body if resolved and resolved.body else _("(to be written)")),
        )
    return create_article(
        actor=actor,
        title=ticket.subject[:MAX_TITLE_LENGTH],
        body=body[:MAX_BODY_LENGTH],
        language=language,
        category=ticket.category.slug if ticket.category_id else None,
        visibility=Visibility.INTERNAL,
        linked_ticket=ticket.pk,
        at=at,
    )


# --- L0 events --------------------------------------------------------------------------


def _readable_published(actor: Any, article_id: Any) -> Article:
    article = get_visible_article(_actor_or_none(actor), article_id)
    if article.status != ArticleStatus.PUBLISHED:
        raise Conflict(_("This article is not published."), code="article_not_published")
    return article


def record_view(
    *,
    actor: Any,
    article_id: int,
    source: str = "",
    visitor: str = "",
    at: datetime | None = None,
) -> ArticleEvent:
    """Someone read the article. ``source`` says where they came from: ``ticket_form``
    (a suggestion while writing a ticket: counts in the deflection rate), ``portal``,
    ``search``, ``email``, ``desk``, ``api``."""
    article = get_visible_article(_actor_or_none(actor), article_id)
    if source not in EVENT_SOURCES:
        raise InvalidInput(_("Unknown source."), field="source")
    return ArticleEvent.objects.create(
        kind=ArticleEventKind.VIEWED,
        article=article,
        actor=_actor_or_none(actor),
        visitor=_visitor(visitor),
        created_at=at or timezone.now(),
        data={"source": source} if source else {},
    )


def record_feedback(
    *,
    actor: Any,
    article_id: int,
    helpful: Any,
    comment: Any = "",
    visitor: str = "",
    at: datetime | None = None,
) -> ArticleEvent:
    """ "Apakah ini membantu?" — yes or no, with an optional comment.

    One vote per article and person: a signed-in person by their account, a visitor by
    ``visitor`` (their session). A second vote replaces the first (answer, comment and time):
    people change their mind after trying the steps, and the counts stay one per person.
    A visitor without a session key cannot be told apart and is counted per vote."""
    if not isinstance(helpful, bool):
        raise InvalidInput(_("Say whether the article helped: yes or no."), field="helpful")
    comment = clean_text(
        comment, field="comment", label=_("Comment"), max_length=MAX_COMMENT_LENGTH, required=False
    )
    article = _readable_published(actor, article_id)
    data: dict[str, Any] = {"helpful": helpful}
    if comment:
        data["comment"] = comment
    person, visitor = _actor_or_none(actor), _visitor(visitor)
    votes = ArticleEvent.objects.filter(kind=ArticleEventKind.FEEDBACK, article=article)
    if person is not None:
        votes = votes.filter(actor=person)
    elif visitor:
        votes = votes.filter(actor__isnull=True, visitor=visitor)
    else:
        votes = votes.none()
    when = at or timezone.now()
    for _attempt in range(2):
        with transaction.atomic():
            earlier = votes.select_for_update().first()
            if earlier is not None:
                earlier.data, earlier.created_at, earlier.visitor = data, when, visitor
                earlier.save(update_fields=["data", "created_at", "visitor"])
                return earlier
            try:
                with transaction.atomic():
                    return ArticleEvent.objects.create(
                        kind=ArticleEventKind.FEEDBACK,
                        article=article,
                        actor=person,
                        visitor=visitor,
                        created_at=when,
                        data=data,
                    )
            except IntegrityError:
                continue  # the same person's other vote landed first: replace it
    raise Conflict(_("Your feedback could not be saved; please try again."), code="busy")


def record_deflection(
    *,
    actor: Any,
    article_id: int,
    query: Any = "",
    source: str = "ticket_form",
    visitor: str = "",
    at: datetime | None = None,
) -> ArticleEvent:
    """ "Ini menyelesaikan masalah saya" / "This solved my problem": an L0 resolution instead
    of a ticket. ``query`` is what the person had typed (kept for the article's authors)."""
    query = clean_text(
        query, field="query", label=_("Query"), max_length=MAX_QUERY_LENGTH, required=False
    )
    if source not in EVENT_SOURCES:
        raise InvalidInput(_("Unknown source."), field="source")
    article = _readable_published(actor, article_id)
    data: dict[str, Any] = {"source": source}
    if query:
        data["query"] = query
    return ArticleEvent.objects.create(
        kind=ArticleEventKind.DEFLECTED,
        article=article,
        actor=_actor_or_none(actor),
        visitor=_visitor(visitor),
        created_at=at or timezone.now(),
        data=data,
    )


def record_form_started(
    *, actor: Any, visitor: str = "", source: str = "portal", at: datetime | None = None
) -> ArticleEvent:
    """A problem reached the ticket form (the denominator of the deflection rate). Call it
    once per form session, when the person starts typing."""
    if source not in EVENT_SOURCES:
        raise InvalidInput(_("Unknown source."), field="source")
    return ArticleEvent.objects.create(
        kind=ArticleEventKind.FORM_STARTED,
        actor=_actor_or_none(actor),
        visitor=_visitor(visitor),
        created_at=at or timezone.now(),
        data={"source": source},
    )
