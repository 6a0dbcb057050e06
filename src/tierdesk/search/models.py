"""The search index's rows. Knows nothing of tickets or articles: a document is a kind, an
id in its owner's table, a language, text, and attributes to filter on.

The full-text structures beside these tables are created by raw SQL in the migrations, by
database vendor: FTS5 tables ``search_fts_article``, ``search_fts_ticket`` and ``search_fts``
(every other kind) on SQLite, or a ``vector`` tsvector column with a partial GIN index per
kind on PostgreSQL, and a trigram index over :class:`Term` for the fuzzy fallback.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    """One searchable thing, as its owner handed it over."""

    kind = models.CharField(_("kind"), max_length=30)
    object_id = models.BigIntegerField(_("object id"))
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    # Filterable attributes, also indexed as facet terms inside the full-text index so a
    # filter narrows the match instead of post-filtering it: {"status": ["published"], ...}.
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    indexed_at = models.DateTimeField(_("indexed"), default=timezone.now)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_document_per_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class Term(models.Model):
    """A word (as written, folded) or a stem seen in the index: the vocabulary that the fuzzy
    fallback corrects typos and splits joined words against. Only grows; ``reindex`` rebuilds
    it."""

    term = models.CharField(max_length=40, unique=True)

    class Meta:
        verbose_name = _("indexed word")
        verbose_name_plural = _("indexed words")

    def __str__(self) -> str:
        return self.term


class SynonymGroup(models.Model):
    """Words and phrases that mean the same thing in a search, in any language, e.g.
    ``sandi, kata sandi, password``. Applied at query time, so an edit needs no reindex."""

    terms = models.TextField(
        _("words and phrases"),
        help_text=_("Separated by commas, e.g. “sandi, kata sandi, password”."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    def phrases(self) -> list[str]:
        return [phrase.strip() for phrase in self.terms.split(",") if phrase.strip()]


class SyncMark(models.Model):
    """How far an owner's periodic indexing job got (e.g. tickets changed up to this time)."""

    name = models.CharField(max_length=60, unique=True)
    position = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.position:%Y-%m-%d %H:%M:%S}"


class PendingRefresh(models.Model):
    """An object whose document is out of date: written in the transaction that changed it
    (``index.changed``), drained by the periodic job ``tasks.refresh_pending`` in batches."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="pending_refresh_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
