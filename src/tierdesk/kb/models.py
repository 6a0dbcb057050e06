"""Knowledge-base articles, every saved version of them, and the append-only events that
count L0 at work: views, feedback, deflections and ticket forms started."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Tier


class Language(models.TextChoices):
    INDONESIAN = "id", _("Indonesian")
    ENGLISH = "en", _("English")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: customers (and visitors, if allowed)")
    INTERNAL = "internal", _("Internal: agents only")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


# The one table of allowed status moves.
ARTICLE_MOVES: dict[str, frozenset[str]] = {
    ArticleStatus.DRAFT: frozenset({ArticleStatus.PUBLISHED, ArticleStatus.RETIRED}),
    ArticleStatus.PUBLISHED: frozenset({ArticleStatus.RETIRED}),
    ArticleStatus.RETIRED: frozenset({ArticleStatus.DRAFT}),
}


class Article(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(_("text (rendered)"), editable=False)
    category = models.ForeignKey(
        "tickets.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("category"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    translation_group = models.UUIDField(
        _("translation group"),
        default=uuid.uuid4,
        help_text=_("Articles sharing this value are translations of one another."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    tiers = models.ManyToManyField(
        Tier,
        blank=True,
        related_name="+",
        verbose_name=_("only for tiers"),
        help_text=_("Internal articles only: empty means every agent."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authored_articles",
        verbose_name=_("author"),
    )
    authored_tier = models.ForeignKey(
        Tier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written at tier"),
    )
    linked_tickets = models.ManyToManyField(
        "tickets.Ticket", blank=True, related_name="articles", verbose_name=_("linked tickets")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "visibility", "category"], name="article_listing"),
            models.Index(fields=["translation_group"], name="article_translations"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_group", "language"], name="one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ArticleVersion(models.Model):
    """The article as one save left it; every save adds one."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    category_slug = models.CharField(_("category"), max_length=60, blank=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    tier_levels = models.JSONField(_("only for tiers"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="one_article_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticleEventKind(models.TextChoices):
    VIEWED = "kb.viewed", _("Article viewed")
    FEEDBACK = "kb.feedback", _("Feedback given")
    DEFLECTED = "kb.deflected", _("Problem solved by an article")
    FORM_STARTED = "kb.form_started", _("Ticket form started")


class ArticleEvent(models.Model):
    """What happened at L0, appended; only a feedback vote is ever changed (one per article
    and person: a later vote replaces it). ``data`` holds structured facts (``helpful``,
    ``source``, ``query``), never translated text. Anonymous visitors have no actor; a
    ``visitor`` key (session) lets reports count distinct visitors."""

    kind = models.CharField(_("kind"), max_length=30, choices=ArticleEventKind.choices)
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("article"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    visitor = models.CharField(_("visitor"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("article event")
        verbose_name_plural = _("article events")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["kind", "created_at"], name="kbevent_kind_time"),
            models.Index(fields=["article", "kind", "created_at"], name="kbevent_article_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="kb.form_started") | Q(article__isnull=False),
                name="kbevent_has_article",
            ),
            # One "was this helpful?" vote per article and person (a later vote replaces it).
            models.UniqueConstraint(
                fields=["article", "actor"],
                condition=Q(kind="kb.feedback", actor__isnull=False),
                name="kbevent_one_vote_per_user",
            ),
            models.UniqueConstraint(
                fields=["article", "visitor"],
                condition=Q(kind="kb.feedback", actor__isnull=True) & ~Q(visitor=""),
                name="kbevent_one_vote_per_visitor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.created_at:%Y-%m-%d %H:%M}"
