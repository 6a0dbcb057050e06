"""The one search interface: hand documents over, take them back, ask questions.

Owners (``kb`` for articles, and for tickets) describe each document with
:class:`SearchDocument`; this module analyses its text, keeps the vocabulary for the fuzzy
fallback, and stores it in the engine of the database in use. A question is answered with
ranked :class:`Hit` values carrying highlighted snippets.

Visibility stays with the owners: each caller says, per kind, which documents the person
may see, either as scope values the owner put on its documents (``Visibility(scopes=...)``)
or as a query of the object ids they may see (``Visibility(ids=...)``); ``None`` means all.

Writes happen in the caller's transaction: the index lives in the same database, so a
change and its index entry commit or roll back together. An owner that would rather not
index inside its own transaction (tickets: the hot path) registers a loader for its kind
(:func:`register_source`, at app start) and calls :func:`changed` instead: once the
transaction commits, a task re-reads those objects through the loader and updates the index
(:func:`refresh`), serialised with any other refresh of the same objects.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet

from tierdesk.search import language
from tierdesk.search.engines import (
    FREQUENCY_KINDS,
    RECENT_KINDS,
    Engine,
    Facets,
    IdRestriction,
    Prepared,
    engine,
)
from tierdesk.search.models import Document, PendingRefresh, SynonymGroup
from tierdesk.search.query import (
    Group,
    ParsedQuery,
    Synonyms,
    Vocabulary,
    facet_term,
    neighbours,
    parse,
)
from tierdesk.search.snippets import highlight, snippet

logger = logging.getLogger(__name__)

MAX_LIMIT = 100
# Object ids per refresh task.
REFRESH_BATCH = 500
MAX_BODY_CHARACTERS = 100_000
# Fewer hits than this after the exact words, and the fuzzy pass corrects every word.
FEW_HITS = 3
# A relaxed ("any word") or fuzzy hit never outranks an exact ("every word") one.
RELAXED_FACTOR = 0.5
FUZZY_FACTOR = 0.25
# A description's word is common when more than this share of the documents (and more than
# MIN_COMMON_DOCUMENTS of them) hold it: "tidak", "bisa", "mohon", "error", "windows" in a
# desk's articles. A common word finds nothing by itself (one article in ten cannot tell
# which three to suggest) but still ranks what the telling words found. See
# search(description=True).
COMMON_SHARE = 0.1
MIN_COMMON_DOCUMENTS = 5
# At least this many of a description's words find documents (the rarest common ones when
# fewer are not common), so "printer offline" keeps both even where both are common.
MIN_TELLING = 2
# Of a description's common words, the rarest this many still rank: the more documents hold
# a word, the less it says (BM25 gives a word in half the documents no weight) and the more
# it costs (a phrase counted for every candidate).
MAX_RANKED_ALSO = 3


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
    # A passage of the body with matches in <mark>, HTML-escaped ("" when not asked for).
    snippet_html: str
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
    documents: Iterable[SearchDocument],
    *,
    seen_terms: set[str] | None = None,
    bulk: bool = False,
) -> int:
    """Add or replace documents (by kind and object id). Returns how many.

    Bulk loaders pass one ``seen_terms`` set to every call so each word is added to the
    vocabulary once per run instead of once per batch, and ``bulk=True`` to leave the indexes
    of the newest documents alone (they call :func:`sync_recent` when done)."""
    prepared = [prepare(document) for document in documents]
    if not prepared:
        return 0
    current = engine()
    terms = {term for document in prepared for term in document.vocabulary}
    if seen_terms is not None:
        terms -= seen_terms
        seen_terms |= terms
    current.add_terms(terms)
    current.upsert(prepared, recent=not bulk)
    return len(prepared)


def index_document(document: SearchDocument) -> None:
    index_documents([document])


def delete_documents(kind: str, object_ids: Sequence[int]) -> None:
    if object_ids:
        engine().delete(kind, list(object_ids))


# kind -> the owner's loader: object ids -> the documents of those that exist (and should be
# found); an id it leaves out is removed from the index. Filled at app start.
Loader = Callable[[list[int]], Iterable[SearchDocument]]
_sources: dict[str, Loader] = {}


def register_source(kind: str, load: Loader) -> None:
    """Say how documents of ``kind`` are read from their owner (call from AppConfig.ready)."""
    _sources[kind] = load


def changed(kind: str, object_ids: Iterable[int]) -> None:
    """Objects of ``kind`` changed (or were removed) in the current transaction: they are
    marked pending in the same transaction (one small row each, written once however often
    they change before the next refresh), so the mark commits or rolls back with the change;
    the periodic job ``refresh_pending`` brings their documents up to date within seconds."""
    ids = sorted({int(object_id) for object_id in object_ids})
    PendingRefresh.objects.bulk_create(
        [PendingRefresh(kind=kind, object_id=object_id) for object_id in ids],
        ignore_conflicts=True,
    )


def refresh_pending(*, batch: int = REFRESH_BATCH, budget_seconds: float = 20.0) -> int:
    """Refresh the pending documents, a batch per transaction, oldest marks first, until none
    are left or the time budget is spent (the next run goes on). Safe on several workers:
    PostgreSQL hands each its own rows (``SKIP LOCKED``), SQLite runs one writer at a time;
    a refresh that fails rolls back and leaves its marks for the next run. Returns how many
    objects were refreshed."""
    done = 0
    deadline = time.monotonic() + budget_seconds
    while time.monotonic() < deadline:
        with transaction.atomic():
            pending = list(
                PendingRefresh.objects.select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", "kind", "object_id")[:batch]
            )
            if not pending:
                break
            by_kind: dict[str, list[int]] = {}
            for _pk, kind, object_id in pending:
                by_kind.setdefault(kind, []).append(object_id)
            for kind, ids in by_kind.items():
                if kind in _sources:
                    refresh(kind, ids)
                else:
                    logger.warning("search: no source for pending %s documents, dropped", kind)
            PendingRefresh.objects.filter(pk__in=[pk for pk, _kind, _id in pending]).delete()
        done += len(pending)
    if done:
        engine().merge_pending()
    return done


def refresh(kind: str, object_ids: Sequence[int]) -> int:
    """Re-read ``object_ids`` of ``kind`` through its loader and update their documents,
    removing those the loader no longer gives. Idempotent; two refreshes of the same objects
    run one after the other, so the later one writes what is committed last. Returns how
    many documents were written."""
    load = _sources.get(kind)
    if load is None:
        raise LookupError(f"no search source registered for {kind!r}")
    ids = sorted({int(object_id) for object_id in object_ids})
    with transaction.atomic():
        current = engine()
        current.lock(kind, ids)
        documents = [document for document in load(ids) if document.kind == kind]
        present = {document.object_id for document in documents}
        index_documents(documents)
        delete_documents(kind, [object_id for object_id in ids if object_id not in present])
    return len(documents)


def sync_recent() -> dict[str, tuple[int, int]]:
    """Keep the index of each big kind's newest documents to the newest ones (a periodic job,
    and the end of a rebuild): kind -> (documents added, dropped). Idempotent."""
    current = engine()
    done = {}
    for kind in RECENT_KINDS:
        with transaction.atomic():
            done[kind] = current.sync_recent(kind)
    if any(added for added, _dropped in done.values()):
        current.merge_pending()
    return done


def clear(kind: str | None = None) -> None:
    """Forget every document of ``kind`` (every document and the vocabulary when None)."""
    engine().clear(kind)


def document_count() -> int:
    return engine().document_count()


@dataclass(frozen=True)
class _Target:
    """One kind to ask: its facet filter (None: no filter) and its id restriction."""

    kind: str
    facets: Facets | None
    restriction: IdRestriction | None


def _targets(
    kinds: Mapping[str, Visibility | None], filters: Mapping[str, Sequence[str]]
) -> list[_Target]:
    """What to ask of each kind; a kind the caller may see nothing of is left out."""
    shared: list[Facets] = []
    for name, values in filters.items():
        values = _attribute_values(values)
        if values:
            shared.append(("or", [facet_term(name, value) for value in values]))
    targets = []
    for kind, visibility in kinds.items():
        clauses = list(shared)
        restriction = None
        if visibility is not None:
            if visibility.scopes is not None:
                if not visibility.scopes:
                    continue
                clauses.append(("or", [facet_term("scope", scope) for scope in visibility.scopes]))
            if visibility.ids is not None:
                restriction = IdRestriction(kind, visibility.ids)
        targets.append(_Target(kind, ("and", clauses) if clauses else None, restriction))
    return targets


# The synonym table, parsed, with the state of the table it came from. Checked against the
# database on every search (one small aggregate), so an edit in any process shows at once.
_synonym_cache: tuple[tuple[object, ...], Synonyms] | None = None
# The aggregate as SQL of its own: through the ORM, building it cost far more than running
# it (a seventh of an article suggestion's time, in a profile).
_SYNONYM_STATE_SQL = (
    f"SELECT COUNT(id), MAX(id), MAX(updated_at) FROM {SynonymGroup._meta.db_table}"
)


def synonyms() -> Synonyms:
    global _synonym_cache
    with connection.cursor() as cursor:
        cursor.execute(_SYNONYM_STATE_SQL)
        state = cursor.fetchone()
    key = (connection.alias, connection.settings_dict.get("NAME"), *state)
    cached = _synonym_cache
    if cached is not None and cached[0] == key:
        return cached[1]
    table = Synonyms(
        group.phrases() for group in SynonymGroup.objects.filter(is_active=True).only("terms")
    )
    _synonym_cache = (key, table)
    return table


def search(
    text: str,
    *,
    kinds: Mapping[str, Visibility | None],
    filters: Mapping[str, Sequence[str]] | None = None,
    limit: int = 10,
    fuzzy: bool = True,
    description: bool = False,
    snippets: bool = True,
) -> SearchResults:
    """The best ``limit`` documents for ``text`` among ``kinds`` (kind -> what the caller may
    see of it), narrowed by ``filters`` (attribute -> allowed values).

    Every word must match first (through its stems, synonyms and corrections of words the
    index has never seen); when that finds fewer than ``limit``, documents matching any word
    follow; when still fewer than FEW_HITS, every word is corrected to its closest indexed
    word and tried again. Empty or wordless text finds nothing.

    ``description``: ``text`` describes a problem (a new ticket's subject and text) instead
    of asking for something. Only its words that tell documents apart find them; the words
    many documents hold only rank what those found (see :func:`_telling`); no word is
    replaced by its neighbour when little is found. What comes back shares a telling word,
    or nothing does.

    ``snippets=False``: the hits carry no passage of the body (a mail that lists titles and
    links), and the bodies are not read.

    Each kind is asked on its own and ranks at most ``engines.CANDIDATES`` matches (its
    newest), so the cost of a query does not grow with how common its words are.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    kinds = {kind: visibility for kind, visibility in kinds.items()}
    if not kinds or not isinstance(text, str):
        return SearchResults([], "", None)
    current = engine()
    synonym_table = synonyms()
    vocabulary = Vocabulary(current.known, current.similar, synonym_table.words)
    parsed = parse(text, vocabulary=vocabulary, synonyms=synonym_table, fuzzy=fuzzy)
    if description:
        parsed = _telling(parsed, kinds, current)
    targets = _targets(kinds, filters or {})
    if not parsed.groups or not targets:
        return SearchResults([], " ".join(parsed.words), parsed.corrected_text)
    found: list[tuple[int, float]] = []

    def run(query: ParsedQuery, *, require_all: bool, factor: float) -> None:
        wanted = limit - len(found)
        exclude = [pk for pk, _ in found]
        rows: list[tuple[int, float]] = []
        for target in targets:
            rows += current.match(
                target.kind,
                query.groups,
                require_all=require_all,
                facets=target.facets,
                restriction=target.restriction,
                exclude=exclude,
                limit=wanted,
                ranked_also=query.ranked_also,
            )
        rows.sort(key=lambda row: (-row[1], row[0]))
        found.extend((pk, score * factor) for pk, score in rows[:wanted])

    run(parsed, require_all=True, factor=1.0)
    if len(found) < limit and len(parsed.groups) > 1:
        run(parsed, require_all=False, factor=RELAXED_FACTOR)
    highlight_terms = parsed.terms
    corrected = parsed.corrected_text
    if fuzzy and not description and len(found) < FEW_HITS:
        widened = Synonyms([*synonym_table.groups, *neighbours(parsed.words, vocabulary)])
        second = parse(" ".join(parsed.words), vocabulary=vocabulary, synonyms=widened)
        if second.groups and second.groups != parsed.groups:
            run(second, require_all=len(second.groups) > 1, factor=FUZZY_FACTOR)
            if len(found) < limit and len(second.groups) > 1:
                run(second, require_all=False, factor=FUZZY_FACTOR * RELAXED_FACTOR)
            highlight_terms |= second.terms
            corrected = corrected or second.corrected_text
    return SearchResults(
        hits=_hits(found, highlight_terms, snippets=snippets),
        query=" ".join(parsed.words),
        corrected_query=corrected,
    )


def _telling(parsed: ParsedQuery, kinds: Iterable[str], current: Engine) -> ParsedQuery:
    """``parsed`` finding documents by the groups (words) that tell documents of ``kinds``
    apart only: not those no document holds (they cannot match, and they keep "every word"
    from matching), not those more than COMMON_SHARE of the documents hold, which only rank
    (``ranked_also``); when fewer than MIN_TELLING are left, the rarest common ones find too.
    Unchanged unless every kind's words are counted (engines.FREQUENCY_KINDS).

    A description of twenty words shares "tidak bisa" with most articles of an Indonesian
    desk: matched as they are, those words let unrelated articles in, and (ts_rank knows
    nothing of how common a word is) rank them beside the one about the printer; every
    article holding one of them was ranked, about 800 of 2,000 in the benchmark's data.
    A group counts in as many documents as its most frequent alternative (a synonym, a
    stem), an alternative of several terms in as many as its rarest term; over several
    kinds, a group counts by its kind with the most."""
    kinds = list(kinds)
    if not kinds or any(kind not in FREQUENCY_KINDS for kind in kinds):
        return parsed
    counted = [current.document_frequencies(kind, parsed.terms) for kind in kinds]

    def share(group: Group) -> float:
        shares = []
        for total, counts in counted:
            held = max(min(counts.get(t, 0) for t in alternative) for alternative in group)
            shares.append(held / total if total else 0.0)
        return max(shares)

    def common(group_share: float) -> bool:
        held = max(group_share * total for total, _counts in counted)
        return group_share > COMMON_SHARE and held > MIN_COMMON_DOCUMENTS

    shares = {group: share(group) for group in parsed.groups}
    kept = [group for group in parsed.groups if shares[group] and not common(shares[group])]
    if len(kept) < MIN_TELLING:
        rarest_common = sorted(
            (group for group in parsed.groups if common(shares[group])), key=shares.__getitem__
        )
        kept += rarest_common[: MIN_TELLING - len(kept)]
    kept.sort(key=parsed.groups.index)
    return ParsedQuery(
        groups=kept,
        words=parsed.words,
        corrections=parsed.corrections,
        ranked_also=sorted(
            (group for group in parsed.groups if shares[group] and group not in kept),
            key=shares.__getitem__,
        )[:MAX_RANKED_ALSO],
    )


# What a hit is made of (the body only for a snippet), read as rows: model instances were
# built for these fields alone (1.5 % of a search's instructions, bench/request_instructions.py).
HIT_FIELDS = ("pk", "kind", "object_id", "language", "title", "attributes")


def _hits(found: list[tuple[int, float]], terms: set[str], *, snippets: bool) -> list[Hit]:
    fields = (*HIT_FIELDS, "body") if snippets else HIT_FIELDS
    rows = Document.objects.filter(pk__in=[pk for pk, _ in found]).values_list(*fields, named=True)
    documents = {row.pk: row for row in rows}
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
                snippet_html=snippet(document.body, terms, document.language) if snippets else "",
                score=round(score, 6),
                attributes=document.attributes,
            )
        )
    return hits
