"""The one search interface: hand documents over, take them back, ask questions.

Owners (``kb`` for articles, and for tickets) describe each document with
:class:`SearchDocument`; this module analyses its text, keeps the vocabulary for the fuzzy
fallback, and stores it in the engine of the database in use. A question is answered with
ranked :class:`Hit` values carrying highlighted snippets.

Visibility stays with the owners: each caller says, per kind, which documents the person
may see, either as scope values the owner put on its documents (``Visibility(scopes=...)``)
or as a query of the object ids they may see (``Visibility(ids=...)``); ``None`` means all.

Writes happen in the caller's transaction: the index lives in the same database, so a
change and its index entry commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from tierdesk.search import language
from tierdesk.search.engines import Facets, IdRestriction, Prepared, engine
from tierdesk.search.models import Document, SynonymGroup
from tierdesk.search.query import (
    ParsedQuery,
    Synonyms,
    Vocabulary,
    facet_term,
    neighbours,
    parse,
)
from tierdesk.search.snippets import highlight, snippet

MAX_LIMIT = 100
MAX_BODY_CHARACTERS = 100_000
# Fewer hits than this after the exact words, and the fuzzy pass corrects every word.
FEW_HITS = 3
# A relaxed ("any word") or fuzzy hit never outranks an exact ("every word") one.
RELAXED_FACTOR = 0.5
FUZZY_FACTOR = 0.25


@dataclass(frozen=True)
class SearchDocument:
    kind: str  # "article", "ticket", ...
    object_id: int
    language: str  # "id" or "en"
    title: str
    body: str  # plain text (no markup): snippets are cut from it
    # Filterable attributes: name -> value or values, e.g. {"status": "published",
    # "scope": ["internal-t2", "internal-t3"]}. Names are letters only.
    attributes: Mapping[str, str | Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Visibility:
    """What a caller may see of one kind: documents whose ``scope`` attribute has one of
    ``scopes``, and/or whose object id is in ``ids`` (a ``values("pk")`` query). Both None: all."""

    scopes: Sequence[str] | None = None
    ids: QuerySet | None = None


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    language: str
    title: str
    title_html: str  # title with matches in <mark>, HTML-escaped
    snippet_html: str  # a passage of the body with matches in <mark>, HTML-escaped
    score: float
    attributes: dict[str, list[str]]


@dataclass(frozen=True)
class SearchResults:
    hits: list[Hit]
    query: str  # the folded words searched
    corrected_query: str | None  # the words used instead, when some were corrected


def _attribute_values(value: str | Sequence[str]) -> list[str]:
    values = [value] if isinstance(value, str) else list(value)
    return [str(item) for item in values if str(item) != ""]


def prepare(document: SearchDocument) -> Prepared:
    if document.language not in language.LANGUAGES:
        raise ValueError(f"unknown language {document.language!r}")
    body = document.body[:MAX_BODY_CHARACTERS]
    title_words = language.tokens(document.title)
    body_words = language.tokens(body)
    title_terms = [language.stem(word, document.language) for word in title_words]
    body_terms = [language.stem(word, document.language) for word in body_words]
    attributes = {
        name: _attribute_values(value) for name, value in sorted(document.attributes.items())
    }
    facets = [facet_term("kind", document.kind)]
    facets += [facet_term(name, value) for name, values in attributes.items() for value in values]
    vocabulary = frozenset(
        word
        for word in (*title_words, *body_words, *title_terms, *body_terms)
        if len(word) > 1 and not any(character.isdigit() for character in word)
    )
    return Prepared(
        kind=document.kind,
        object_id=document.object_id,
        language=document.language,
        title=document.title[:300],
        body=body,
        attributes=attributes,
        title_terms=" ".join(title_terms),
        body_terms=" ".join(body_terms),
        facet_terms=" ".join(facets),
        vocabulary=vocabulary,
    )


def index_documents(
    documents: Iterable[SearchDocument], *, seen_terms: set[str] | None = None
) -> int:
    """Add or replace documents (by kind and object id). Returns how many.

    Bulk loaders pass one ``seen_terms`` set to every call so each word is added to the
    vocabulary once per run instead of once per batch."""
    prepared = [prepare(document) for document in documents]
    if not prepared:
        return 0
    current = engine()
    terms = {term for document in prepared for term in document.vocabulary}
    if seen_terms is not None:
        terms -= seen_terms
        seen_terms |= terms
    current.add_terms(terms)
    current.upsert(prepared)
    return len(prepared)


def index_document(document: SearchDocument) -> None:
    index_documents([document])


def delete_documents(kind: str, object_ids: Sequence[int]) -> None:
    if object_ids:
        engine().delete(kind, list(object_ids))


def clear(kind: str | None = None) -> None:
    """Forget every document of ``kind`` (every document and the vocabulary when None)."""
    engine().clear(kind)


def document_count() -> int:
    return engine().document_count()


def _facets(
    kinds: Mapping[str, Visibility | None], filters: Mapping[str, Sequence[str]]
) -> Facets | None:
    """The facet filter, or None when the caller may see nothing of any kind."""
    per_kind: list[Facets] = []
    for kind, visibility in kinds.items():
        if visibility is not None and visibility.scopes is not None:
            scopes: list[Facets] = [facet_term("scope", scope) for scope in visibility.scopes]
            if not scopes:
                continue
            per_kind.append(("and", [facet_term("kind", kind), ("or", scopes)]))
        else:
            per_kind.append(facet_term("kind", kind))
    if not per_kind:
        return None
    clauses: list[Facets] = [("or", per_kind)]
    for name, values in filters.items():
        values = _attribute_values(values)
        if values:
            clauses.append(("or", [facet_term(name, value) for value in values]))
    return ("and", clauses)


def synonyms() -> Synonyms:
    return Synonyms(
        group.phrases() for group in SynonymGroup.objects.filter(is_active=True).only("terms")
    )


def search(
    text: str,
    *,
    kinds: Mapping[str, Visibility | None],
    filters: Mapping[str, Sequence[str]] | None = None,
    limit: int = 10,
    fuzzy: bool = True,
) -> SearchResults:
    """The best ``limit`` documents for ``text`` among ``kinds`` (kind -> what the caller may
    see of it), narrowed by ``filters`` (attribute -> allowed values).

    Every word must match first (through its stems, synonyms and corrections of words the
    index has never seen); when that finds fewer than ``limit``, documents matching any word
    follow; when still fewer than FEW_HITS, every word is corrected to its closest indexed
    word and tried again. Empty or wordless text finds nothing.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    kinds = {kind: visibility for kind, visibility in kinds.items()}
    if not kinds or not isinstance(text, str):
        return SearchResults([], "", None)
    current = engine()
    synonym_table = synonyms()
    vocabulary = Vocabulary(current.known, current.similar, synonym_table.words)
    parsed = parse(text, vocabulary=vocabulary, synonyms=synonym_table, fuzzy=fuzzy)
    facets = _facets(kinds, filters or {})
    if not parsed.groups or facets is None:
        return SearchResults([], " ".join(parsed.words), parsed.corrected_text)
    restrictions = [
        IdRestriction(kind, visibility.ids)
        for kind, visibility in kinds.items()
        if visibility is not None and visibility.ids is not None
    ]
    found: list[tuple[int, float]] = []

    def run(query: ParsedQuery, *, require_all: bool, factor: float) -> None:
        rows = current.match(
            query.groups,
            require_all=require_all,
            facets=facets,
            restrictions=restrictions,
            exclude=[pk for pk, _ in found],
            limit=limit - len(found),
        )
        found.extend((pk, score * factor) for pk, score in rows)

    run(parsed, require_all=True, factor=1.0)
    if len(found) < limit and len(parsed.groups) > 1:
        run(parsed, require_all=False, factor=RELAXED_FACTOR)
    highlight_terms = parsed.terms
    corrected = parsed.corrected_text
    if fuzzy and len(found) < FEW_HITS:
        widened = Synonyms([*synonym_table.groups, *neighbours(parsed.words, vocabulary)])
        second = parse(" ".join(parsed.words), vocabulary=vocabulary, synonyms=widened)
        if second.groups and second.groups != parsed.groups:
            run(second, require_all=len(second.groups) > 1, factor=FUZZY_FACTOR)
            if len(found) < limit and len(second.groups) > 1:
                run(second, require_all=False, factor=FUZZY_FACTOR * RELAXED_FACTOR)
            highlight_terms |= second.terms
            corrected = corrected or second.corrected_text
    return SearchResults(
        hits=_hits(found, highlight_terms), query=" ".join(parsed.words), corrected_query=corrected
    )


def _hits(found: list[tuple[int, float]], terms: set[str]) -> list[Hit]:
    documents = Document.objects.in_bulk([pk for pk, _ in found])
    hits = []
    for pk, score in found:
        document = documents.get(pk)
        if document is None:
            continue
        hits.append(
            Hit(
                kind=document.kind,
                object_id=document.object_id,
                language=document.language,
                title=document.title,
                title_html=highlight(document.title, terms, document.language),
                snippet_html=snippet(document.body, terms, document.language),
                score=round(score, 6),
                attributes=document.attributes,
            )
        )
    return hits
