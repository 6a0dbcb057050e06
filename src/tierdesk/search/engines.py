"""The two full-text engines behind :mod:`tierdesk.search.index`, chosen by database vendor.

Both receive text already analysed in Python (:mod:`tierdesk.search.language`), so they
index the same terms:

- SQLite: FTS5 tables ``(title, body, facets)`` (unicode61, accents removed) whose rowid is
  the document's id, one per big kind (``search_fts_article``, ``search_fts_ticket``) and
  ``search_fts`` for every other kind, ranked by BM25; the vocabulary ``search_term`` has an
  FTS5 ``trigram`` twin for typo candidates.
- PostgreSQL: a ``vector`` tsvector column on ``search_document`` built with the
  ``indonesian`` or ``english`` configuration by the document's language (facets through
  ``simple``), a partial GIN index on it per big kind (and one for the others), ranked by
  ``ts_rank``; typo candidates from a pg_trgm GIN index on ``search_term.term``.

A search asks each kind on its own, and each kind ranks a bounded candidate set: the newest
``candidates(kind)`` documents that match (and that the caller may see: visibility is a
correlated check per candidate, never a list of everything visible). Tickets are asked in
the index of the newest ones first (RECENT_KINDS), so a query costs about the same whether
its words are in a hundred tickets or in a hundred thousand.

Every value reaches SQL as a parameter; query terms are letters and digits only and are
quoted for the engine's syntax, so what a person types never becomes engine syntax.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet

from tierdesk.search.query import Group, facet_term

logger = logging.getLogger(__name__)

# A filter over facet terms: a term, or ("and" | "or", [filters]).
Facets = str | tuple[str, list["Facets"]]

TITLE_WEIGHT = 3.0
BODY_WEIGHT = 1.0
# Kinds with an index of their own (an FTS5 table, a partial GIN index): the big ones.
OWN_INDEX_KINDS = ("article", "ticket")
# At most this many matching documents (the newest) are ranked per kind and pass.
CANDIDATES = 1000
# Fewer for tickets: an agent looks for the recent ones, and every candidate costs a
# visibility check and a rank (~4 µs each on SQLite at a million tickets).
KIND_CANDIDATES = {"ticket": 250}
# Kinds whose newest RECENT_DOCUMENTS documents have an index of their own besides the full
# one (SQLite: FTS5 table ``search_fts_<kind>_recent``; PostgreSQL: partial GIN index over
# the rows flagged ``recent``). A search asks it first, and the full index only when the
# newest documents cannot fill the page: the words a desk uses every day are in a third of
# its tickets, and walking their whole posting lists (FTS5's BM25 counts every row holding a
# term; a GIN bitmap lists every one) made each search cost more as the desk grew.
RECENT_KINDS = ("ticket",)
RECENT_DOCUMENTS = 50_000
# Kinds whose words are counted per document (how many documents hold each word), for
# suggestions from a description: small kinds only. SQLite: an ``fts5vocab`` table over the
# kind's FTS5 table, kept by FTS5 itself; PostgreSQL: table ``search_lexeme_count`` (its
# lexeme '' row: the number of documents), recounted from the kind's vectors whenever one
# of its documents is written or removed.
FREQUENCY_KINDS = ("article",)


# PostgreSQL: the GIN indexes that keep PostgreSQL's pending list (``fastupdate``), written
# all day by the worker; ``PostgresEngine.merge_pending`` empties them after each refresh. The
# articles' index takes each write at once (search/0008).
PENDING_LIST_INDEXES = (
    "search_document_vector_ticket",
    "search_document_vector_ticket_recent",
    "search_document_vector_other",
)


def candidates(kind: str) -> int:
    """How many matching documents of ``kind`` are ranked at most."""
    return min(CANDIDATES, KIND_CANDIDATES.get(kind, CANDIDATES))


@dataclass(frozen=True)
class Prepared:
    """A document ready for the engines: its own fields plus its analysed text."""

    kind: str
    object_id: int
    language: str
    title: str
    body: str
    attributes: dict[str, list[str]]
    title_terms: str
    body_terms: str
    facet_terms: str
    vocabulary: frozenset[str]


@dataclass(frozen=True)
class IdRestriction:
    """Documents of ``kind`` only when their object id is in ``ids`` (a values("pk") query)."""

    kind: str
    ids: QuerySet


_OUTER = re.compile(r'SELECT "search_document"\."id"(?: AS "id")? FROM "search_document" WHERE ')


def _restriction_sql(restriction: IdRestriction) -> tuple[str, list[Any]]:
    """``EXISTS (...)`` over the owner's query, correlated to ``search_document.object_id``:
    checked per candidate by primary key instead of listing every visible object."""
    from django.db.models import Exists, OuterRef

    from tierdesk.search.models import Document

    correlated = restriction.ids.filter(pk=OuterRef("object_id"))
    query = Document.objects.filter(Exists(correlated)).values("id")
    sql, params = query.query.get_compiler(connection=connection).as_sql()
    outer = _OUTER.match(sql)
    if outer is None:
        raise RuntimeError(f"unexpected SQL for a visibility restriction: {sql[:200]}")
    return sql[outer.end() :], list(params)


def _required_facet(facets: Facets) -> str | None:
    """A facet term every row passing ``facets`` holds, if there is one."""
    if isinstance(facets, str):
        return facets
    operator, parts = facets
    if operator != "and" and len(parts) != 1:
        return None
    return next((term for part in parts if (term := _required_facet(part))), None)


def fts_table(kind: str) -> str:
    return f"search_fts_{kind}" if kind in OWN_INDEX_KINDS else "search_fts"


def recent_fts_table(kind: str) -> str:
    return f"search_fts_{kind}_recent"


class Engine:
    vendor = ""
    # The engine's query syntax: conjunction, disjunction, and the quote around a term.
    AND, OR, QUOTE = "", "", ""

    @classmethod
    def _expression(cls, groups: list[Group], require_all: bool) -> str:
        """Every group (a word: its alternatives, each a run of terms) in the engine's
        syntax; all groups must match, or any of them."""
        rendered = []
        for group in groups:
            alternatives = [
                cls.AND.join(f"{cls.QUOTE}{term}{cls.QUOTE}" for term in alternative)
                for alternative in group
            ]
            rendered.append("(" + cls.OR.join(f"({a})" for a in alternatives) + ")")
        return (cls.AND if require_all else cls.OR).join(rendered)

    @classmethod
    def _facets(cls, facets: Facets) -> str:
        if isinstance(facets, str):
            return f"{cls.QUOTE}{facets}{cls.QUOTE}"
        operator, parts = facets
        joiner = cls.AND if operator == "and" else cls.OR
        return "(" + joiner.join(cls._facets(part) for part in parts) + ")"

    def upsert(self, documents: Sequence[Prepared], *, recent: bool = True) -> None:
        """Add or replace ``documents``; ``recent=False`` leaves the recent indexes alone (a
        bulk rebuild, which brings them up to date with :meth:`sync_recent` at the end)."""
        raise NotImplementedError

    def delete(self, kind: str, object_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def clear(self, kind: str | None) -> None:
        raise NotImplementedError

    def lock(self, kind: str, object_ids: Sequence[int]) -> None:
        """Hold, until the transaction ends, the right to rewrite these documents. SQLite:
        nothing to do (tierdesk opens write transactions IMMEDIATE, one writer at a time)."""

    def merge_pending(self) -> int:
        """Move what the indexes hold aside for later into the indexes proper (after the
        periodic jobs' writes); returns how much was moved. SQLite: nothing held aside."""
        return 0

    def match(
        self,
        kind: str,
        groups: list[Group],
        *,
        require_all: bool,
        facets: Facets | None,
        restriction: IdRestriction | None,
        exclude: Sequence[int],
        limit: int,
        ranked_also: Sequence[Group] = (),
    ) -> list[tuple[int, float]]:
        """(document id, score) of the best matches of ``kind``, best first: the best
        ``limit`` of the newest ``candidates(kind)`` documents that match the words and
        ``facets``, pass ``restriction`` and are not in ``exclude``. ``ranked_also``: groups
        that raise the score of a match holding them but make nothing match.

        A kind with a recent index is asked there first, and that answer stands when it
        fills the page (or when the recent index holds every document of the kind): the
        newest matches are then among the newest documents. Only a search whose words are
        rare lately walks the full index."""
        arguments = dict(
            require_all=require_all,
            facets=facets,
            restriction=restriction,
            exclude=exclude,
            limit=limit,
            ranked_also=list(ranked_also),
        )
        if kind in RECENT_KINDS:
            rows = self._match(kind, groups, recent=True, **arguments)
            if len(rows) >= limit or self._recent_is_whole(kind):
                return rows
        return self._match(kind, groups, recent=False, **arguments)

    def _match(
        self, kind, groups, *, recent, require_all, facets, restriction, exclude, limit, ranked_also
    ) -> list[tuple[int, float]]:
        """The best ``limit`` matches in the full or the recent index of ``kind``."""
        raise NotImplementedError

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return row[0] if row else None

    def _oldest(self, kind: str, *, recent: bool) -> int | None:
        """The id of the oldest document of ``kind`` in its full or its recent index."""
        raise NotImplementedError

    def _newest(self, kind: str, offset: int) -> int | None:
        """The id of the ``offset``-th newest document of ``kind`` (0: the newest)."""
        raise NotImplementedError

    def _recent_is_whole(self, kind: str) -> bool:
        """Whether the recent index of ``kind`` holds every document of the kind (a small
        desk, or one whose recent index was just made): then it answers alone."""
        oldest = self._oldest(kind, recent=False)
        if oldest is None:
            return True
        recent_oldest = self._oldest(kind, recent=True)
        return recent_oldest is not None and recent_oldest <= oldest

    def window_start(self, kind: str) -> int | None:
        """The id of the oldest document that belongs in the recent index of ``kind`` (the
        RECENT_DOCUMENTS-th newest, or the oldest when there are fewer); None: no documents."""
        start = self._newest(kind, RECENT_DOCUMENTS - 1)
        return self._oldest(kind, recent=False) if start is None else start

    def sync_recent(self, kind: str) -> tuple[int, int]:
        """Bring the recent index of ``kind`` to the newest RECENT_DOCUMENTS documents: drop
        the older ones, add any newer one it misses (after a rebuild, or a document indexed
        while it was empty). Idempotent; returns (added, dropped)."""
        raise NotImplementedError

    def known(self, terms: Iterable[str]) -> set[str]:
        terms = list(terms)
        found: set[str] = set()
        with connection.cursor() as cursor:
            for start in range(0, len(terms), 500):
                chunk = terms[start : start + 500]
                cursor.execute(
                    "SELECT term FROM search_term WHERE term IN ({})".format(
                        ", ".join(["%s"] * len(chunk))
                    ),
                    chunk,
                )
                found.update(row[0] for row in cursor.fetchall())
        return found

    def similar(self, word: str) -> list[str]:
        raise NotImplementedError

    def document_frequencies(self, kind: str, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """How many documents of ``kind`` there are, and in how many of them each of
        ``terms`` occurs (a term in none may be left out). (0, {}) for a kind outside
        FREQUENCY_KINDS."""
        raise NotImplementedError

    def add_terms(self, terms: Iterable[str]) -> None:
        raise NotImplementedError

    def document_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM search_document")
            return cursor.fetchone()[0]


def _document_rows(documents: Sequence[Prepared], now: Any) -> list[tuple[Any, ...]]:
    import json

    return [
        (
            d.kind,
            d.object_id,
            d.language,
            d.title,
            d.body,
            json.dumps(d.attributes, sort_keys=True),
            now,
        )
        for d in documents
    ]


class SqliteEngine(Engine):
    vendor = "sqlite"

    AND, OR, QUOTE = " AND ", " OR ", '"'

    def upsert(self, documents: Sequence[Prepared], *, recent: bool = True) -> None:
        from django.utils import timezone

        if not documents:
            return
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_document "
                "(kind, object_id, language, title, body, attributes, indexed_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (kind, object_id) DO UPDATE SET language = excluded.language, "
                "title = excluded.title, body = excluded.body, "
                "attributes = excluded.attributes, indexed_at = excluded.indexed_at",
                _document_rows(documents, now),
            )
            ids = self._ids(cursor, documents)
            by_table: dict[str, list[tuple[int, str, str, str]]] = {}
            for d in documents:
                by_table.setdefault(fts_table(d.kind), []).append(
                    (ids[(d.kind, d.object_id)], d.title_terms, d.body_terms, d.facet_terms)
                )
            for table, rows in by_table.items():
                cursor.executemany(
                    f"DELETE FROM {table} WHERE rowid = %s", [(row[0],) for row in rows]
                )
                cursor.executemany(
                    f"INSERT INTO {table} (rowid, title, body, facets) VALUES (%s, %s, %s, %s)",
                    rows,
                )
            for kind in RECENT_KINDS if recent else ():
                if rows := by_table.get(fts_table(kind)):
                    self._upsert_recent(cursor, kind, rows)

    def _upsert_recent(self, cursor: Any, kind: str, rows: list[tuple[int, str, str, str]]):
        """Rows from the oldest document of the recent index on go there too. An empty one
        takes nothing: :meth:`sync_recent` fills it, and until then searches use the full
        index."""
        oldest = self._oldest(kind, recent=True)
        if oldest is None:
            return
        table = recent_fts_table(kind)
        cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(row[0],) for row in rows])
        cursor.executemany(
            f"INSERT INTO {table} (rowid, title, body, facets) VALUES (%s, %s, %s, %s)",
            [row for row in rows if row[0] >= oldest],
        )

    def _oldest(self, kind: str, *, recent: bool) -> int | None:
        table = recent_fts_table(kind) if recent else fts_table(kind)
        return self._scalar(f"SELECT rowid FROM {table} ORDER BY rowid LIMIT 1")

    def _newest(self, kind: str, offset: int) -> int | None:
        return self._scalar(
            f"SELECT rowid FROM {fts_table(kind)} ORDER BY rowid DESC LIMIT 1 OFFSET %s", [offset]
        )

    def sync_recent(self, kind: str) -> tuple[int, int]:
        table, recent = fts_table(kind), recent_fts_table(kind)
        start = self.window_start(kind)
        with connection.cursor() as cursor:
            if start is None:
                cursor.execute(f"DELETE FROM {recent}")
                return 0, cursor.rowcount
            cursor.execute(f"DELETE FROM {recent} WHERE rowid < %s", [start])
            dropped = cursor.rowcount
            cursor.execute(
                f"INSERT INTO {recent} (rowid, title, body, facets) "
                f"SELECT rowid, title, body, facets FROM {table} WHERE rowid >= %s "
                f"AND rowid NOT IN (SELECT rowid FROM {recent} WHERE rowid >= %s)",
                [start, start],
            )
            return cursor.rowcount, dropped

    @staticmethod
    def _ids(cursor: Any, documents: Sequence[Prepared]) -> dict[tuple[str, int], int]:
        ids: dict[tuple[str, int], int] = {}
        by_kind: dict[str, list[int]] = {}
        for d in documents:
            by_kind.setdefault(d.kind, []).append(d.object_id)
        for kind, object_ids in by_kind.items():
            for start in range(0, len(object_ids), 500):
                chunk = object_ids[start : start + 500]
                cursor.execute(
                    "SELECT id, object_id FROM search_document WHERE kind = %s AND object_id IN "
                    "(" + ", ".join(["%s"] * len(chunk)) + ")",
                    [kind, *chunk],
                )
                ids.update({(kind, object_id): pk for pk, object_id in cursor.fetchall()})
        return ids

    def delete(self, kind: str, object_ids: Sequence[int]) -> None:
        tables = [fts_table(kind), *([recent_fts_table(kind)] if kind in RECENT_KINDS else [])]
        with connection.cursor() as cursor:
            for object_id in object_ids:
                for table in tables:
                    cursor.execute(
                        f"DELETE FROM {table} WHERE rowid IN "
                        "(SELECT id FROM search_document WHERE kind = %s AND object_id = %s)",
                        [kind, object_id],
                    )
                cursor.execute(
                    "DELETE FROM search_document WHERE kind = %s AND object_id = %s",
                    [kind, object_id],
                )

    @staticmethod
    def _empty_own_table(cursor: Any, kind: str) -> None:
        # Dropped and made again: deleting a million FTS5 rows one by one takes minutes.
        tables = [fts_table(kind), *([recent_fts_table(kind)] if kind in RECENT_KINDS else [])]
        for table in tables:
            cursor.execute(f"DROP TABLE {table}")
            cursor.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5(title, body, facets, "
                "tokenize = 'unicode61 remove_diacritics 2')"
            )

    def clear(self, kind: str | None) -> None:
        with connection.cursor() as cursor:
            if kind is None:
                for own_kind in OWN_INDEX_KINDS:
                    self._empty_own_table(cursor, own_kind)
                cursor.execute("DELETE FROM search_fts")
                cursor.execute("DELETE FROM search_document")
                cursor.execute("DELETE FROM search_term")
                cursor.execute(
                    "INSERT INTO search_term_trigram(search_term_trigram) VALUES('rebuild')"
                )
            elif kind in OWN_INDEX_KINDS:
                self._empty_own_table(cursor, kind)
                cursor.execute("DELETE FROM search_document WHERE kind = %s", [kind])
            else:
                cursor.execute(
                    "DELETE FROM search_fts WHERE rowid IN "
                    "(SELECT id FROM search_document WHERE kind = %s)",
                    [kind],
                )
                cursor.execute("DELETE FROM search_document WHERE kind = %s", [kind])

    def _match(
        self, kind, groups, *, recent, require_all, facets, restriction, exclude, limit, ranked_also
    ):
        table = recent_fts_table(kind) if recent else fts_table(kind)
        if table == "search_fts":  # the shared table: its kind facet tells kinds apart
            facets = ("and", [facet_term("kind", kind), *([facets] if facets else [])])
        words = self._expression(groups, require_all)
        expression = "{title body} : (" + words + ")"
        anchor = _required_facet(facets) if ranked_also and facets else None
        if anchor is not None:
            # BM25 also counts the phrases of the ranking groups; they make nothing match, as
            # each row holds the facet beside them (weight 0: it adds nothing to the score).
            expression += (
                " AND ({title body} : ("
                + self._expression(ranked_also, False)
                + f') OR facets : "{anchor}")'
            )
        elif ranked_also:
            # Matches what ``words`` matches (each of its matches holds one of its groups);
            # BM25 also counts the phrases of the other groups.
            either = self._expression([*ranked_also, *groups], False)
            expression = "{title body} : ((" + words + ") AND (" + either + "))"
        if facets:
            expression += " AND facets : " + self._facets(facets)
        # The newest candidates, in rowid order (which FTS5 gives without sorting and stops
        # after), then ranked: bm25 runs for those rows only.
        inner = f"SELECT {table}.rowid AS id, bm25({table}, %s, %s, 0.0) AS score FROM {table}"
        params: list[Any] = [TITLE_WEIGHT, BODY_WEIGHT]
        conditions = [f"{table} MATCH %s"]
        params.append(expression)
        if restriction is not None:
            inner += f" JOIN search_document ON search_document.id = {table}.rowid"
            clause, clause_params = _restriction_sql(restriction)
            conditions.append(clause)
            params.extend(clause_params)
        if exclude:
            conditions.append(f"{table}.rowid NOT IN (" + ", ".join(["%s"] * len(exclude)) + ")")
            params.extend(exclude)
        inner += " WHERE " + " AND ".join(conditions)
        inner += f" ORDER BY {table}.rowid DESC LIMIT %s"
        params.append(candidates(kind))
        sql = f"SELECT id, score FROM ({inner}) ORDER BY score, id LIMIT %s"
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(pk, -score) for pk, score in cursor.fetchall()]

    def similar(self, word: str) -> list[str]:
        grams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
        if not grams:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM search_term_trigram WHERE search_term_trigram MATCH %s "
                "ORDER BY rank LIMIT 200",
                [" OR ".join(f'"{gram}"' for gram in grams)],
            )
            return [row[0] for row in cursor.fetchall()]

    def document_frequencies(self, kind: str, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        terms = sorted(set(terms))
        if kind not in FREQUENCY_KINDS or not terms:
            return 0, {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, doc FROM {fts_table(kind)}_vocab WHERE term IN ("
                + ", ".join(["%s"] * len(terms))
                + ") UNION ALL SELECT NULL, count(*) FROM search_document WHERE kind = %s",
                [*terms, kind],
            )
            rows = cursor.fetchall()
        total = next(documents for term, documents in rows if term is None)
        return total, {term: documents for term, documents in rows if term is not None}

    def add_terms(self, terms: Iterable[str]) -> None:
        rows = [(term,) for term in terms]
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO search_term (term) VALUES (%s) ON CONFLICT (term) DO NOTHING", rows
                )


CONFIGURATIONS = {"id": "indonesian", "en": "english"}
# A term's lexemes, per process: a function of the term and the two text search
# configurations alone, which do not change while tierdesk runs (an operator who alters
# them restarts it, and reindexes). Emptied when it would grow past MAX_CACHED_LEXEMES.
_LEXEMES: dict[str, frozenset[str]] = {}
MAX_CACHED_LEXEMES = 50_000


class PostgresEngine(Engine):
    vendor = "postgresql"

    AND, OR, QUOTE = " & ", " | ", "'"

    def upsert(self, documents: Sequence[Prepared], *, recent: bool = True) -> None:
        from django.utils import timezone

        if not documents:
            return
        now = timezone.now()
        # A new document is the newest of its kind: it joins the recent index, unless that
        # is empty (sync_recent fills it, and until then searches use the full index). A
        # replaced one keeps its place.
        joins = {
            kind: recent and self._oldest(kind, recent=True) is not None
            for kind in {d.kind for d in documents}
            if kind in RECENT_KINDS
        }
        rows = [
            (
                *row,
                CONFIGURATIONS.get(d.language, "simple"),
                d.title_terms,
                CONFIGURATIONS.get(d.language, "simple"),
                d.body_terms,
                d.facet_terms,
                joins.get(d.kind, False),
            )
            for row, d in zip(_document_rows(documents, now), documents, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_document "
                "(kind, object_id, language, title, body, attributes, indexed_at, vector, recent) "
                "VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, "
                "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'D'), %s) "
                "ON CONFLICT (kind, object_id) DO UPDATE SET language = EXCLUDED.language, "
                "title = EXCLUDED.title, body = EXCLUDED.body, "
                "attributes = EXCLUDED.attributes, indexed_at = EXCLUDED.indexed_at, "
                "vector = EXCLUDED.vector",
                rows,
            )
        self._count_lexemes({d.kind for d in documents})

    def delete(self, kind: str, object_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document WHERE kind = %s AND object_id = ANY(%s)",
                [kind, list(object_ids)],
            )
        self._count_lexemes({kind})

    def _count_lexemes(self, kinds: Iterable[str]) -> None:
        """Recount in how many documents of each of ``kinds`` (those in FREQUENCY_KINDS) each
        lexeme occurs, from their vectors as this transaction sees them (2,000 articles:
        15–21 ms, and articles change seldom). One recount per kind at a time across every
        process: a later one waits, then counts what the earlier committed."""
        for kind in sorted(set(kinds) & set(FREQUENCY_KINDS)):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                    [f"search:lexeme-count:{kind}"],
                )
                cursor.execute("DELETE FROM search_lexeme_count WHERE kind = %s", [kind])
                cursor.execute(
                    "INSERT INTO search_lexeme_count (kind, lexeme, documents) "
                    "SELECT %s, word, ndoc FROM ts_stat(%s) WHERE left(word, 3) <> 'zzz' "
                    "UNION ALL SELECT %s, '', count(*) FROM search_document WHERE kind = %s",
                    [kind, f"SELECT vector FROM search_document WHERE kind = '{kind}'", kind, kind],
                )

    def merge_pending(self) -> int:
        """Merge the pending lists of the GIN indexes that keep one (PENDING_LIST_INDEXES)
        into the indexes; returns the pages merged. A write to such an index goes to a list
        that every search reads through: at the default 4 MB limit, 9,353 pending tickets made
        an agent's two-word search 19 ms instead of 6 (PostgreSQL 15, a million tickets).
        Merged after each run of the worker's refresh, the list holds at most a few seconds
        of writes, merged in bulk as before. Several workers may merge at once (PostgreSQL
        makes the second wait for the first). Without the right to do it (an index owned by
        another role), searches stay right, only slower: a warning says so."""
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT COALESCE(SUM(gin_clean_pending_list(name::regclass)), 0) "
                    "FROM unnest(%s::text[]) AS name",
                    [list(PENDING_LIST_INDEXES)],
                )
                return int(cursor.fetchone()[0])
        except DatabaseError as error:
            logger.warning("search: could not merge the GIN pending lists: %s", error)
            return 0

    def lock(self, kind: str, object_ids: Sequence[int]) -> None:
        # Transaction-scoped advisory locks, taken in one order by every refresher.
        keys = sorted(f"search:{kind}:{object_id}" for object_id in object_ids)
        if keys:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) "
                    "FROM unnest(%s::text[]) AS key",
                    [keys],
                )

    def clear(self, kind: str | None) -> None:
        with connection.cursor() as cursor:
            if kind is None:
                cursor.execute("DELETE FROM search_document")
                cursor.execute("DELETE FROM search_term")
                cursor.execute("DELETE FROM search_lexeme_count")
            else:
                cursor.execute("DELETE FROM search_document WHERE kind = %s", [kind])
                cursor.execute("DELETE FROM search_lexeme_count WHERE kind = %s", [kind])

    def _oldest(self, kind: str, *, recent: bool) -> int | None:
        return self._scalar(
            "SELECT min(id) FROM search_document WHERE kind = %s"
            + (" AND recent" if recent else ""),
            [kind],
        )

    def _newest(self, kind: str, offset: int) -> int | None:
        return self._scalar(
            "SELECT id FROM search_document WHERE kind = %s ORDER BY id DESC LIMIT 1 OFFSET %s",
            [kind, offset],
        )

    def sync_recent(self, kind: str) -> tuple[int, int]:
        with transaction.atomic(), connection.cursor() as cursor:
            # One worker at a time; another one already at it does the same work.
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"search-recent:{kind}"],
            )
            if not cursor.fetchone()[0]:
                return 0, 0
            start = self.window_start(kind)
            cursor.execute(
                "UPDATE search_document SET recent = false "
                "WHERE kind = %s AND recent AND (%s::bigint IS NULL OR id < %s)",
                [kind, start, start],
            )
            dropped = cursor.rowcount
            added = 0
            if start is not None:
                cursor.execute(
                    "UPDATE search_document SET recent = true "
                    "WHERE kind = %s AND NOT recent AND id >= %s",
                    [kind, start],
                )
                added = cursor.rowcount
        return added, dropped

    def _match(
        self, kind, groups, *, recent, require_all, facets, restriction, exclude, limit, ranked_also
    ):
        terms_query = "%s::tsquery"
        terms_params = [self._tsquery(groups, require_all)]
        rank_params = terms_params
        if ranked_also and (also := self._tsquery(ranked_also, False)):
            rank_params = [f"({terms_params[0]}) | ({also})"]
        # The kind as a literal, so the planner picks the kind's partial GIN index.
        if kind in OWN_INDEX_KINDS:
            conditions = [f"search_document.kind = '{kind}'"]
            if recent:  # literal too: the planner picks the partial index of recent rows
                conditions.append("search_document.recent")
            params: list[Any] = []
        else:
            own = ", ".join(f"'{own_kind}'" for own_kind in OWN_INDEX_KINDS)
            conditions = ["search_document.kind = %s", f"search_document.kind NOT IN ({own})"]
            params = [kind]
        if facets:
            conditions.append(
                f"search_document.vector @@ ({terms_query} && to_tsquery('simple', %s))"
            )
            params += [*terms_params, self._facets(facets)]
        else:
            conditions.append(f"search_document.vector @@ {terms_query}")
            params += terms_params
        if restriction is not None:
            clause, clause_params = _restriction_sql(restriction)
            conditions.append(clause)
            params.extend(clause_params)
        if exclude:
            conditions.append("NOT (search_document.id = ANY(%s))")
            params.append(list(exclude))
        # The candidates, then ranked by the words only (not the facet terms). The
        # candidates come from the kind's GIN index in table order, the bitmap heap scan
        # stopping at the limit: no sort over every match, and never a walk of the primary
        # key or of the table filtered by the words, which the planner may pick when it
        # guesses that many rows match (and which reads every row of the other kinds when
        # they are the newer ones).
        # ts_rank, not ts_rank_cd: the cover density costs ~50 µs a row with a query's
        # synonyms and stems OR-ed in, ts_rank a tenth of it, and ranks the relevance suite
        # at least as well (MRR@5 0.90 against 0.87).
        sql = (
            f"SELECT c.id, ts_rank('{{0, 0.1, {BODY_WEIGHT / TITLE_WEIGHT:.3f}, 1}}', "
            f"c.vector, {terms_query}, 1) AS score FROM ("
            "SELECT search_document.id, search_document.vector FROM search_document WHERE "
            + " AND ".join(conditions)
            + " LIMIT %s) c ORDER BY score DESC, c.id LIMIT %s"
        )
        params = [*rank_params, *params, candidates(kind), limit]
        if recent or kind not in RECENT_KINDS:
            # A small index (the newest documents; a kind of thousands, like the articles),
            # which the planner picks by itself: the settings below cost each article
            # suggestion a round trip and a transaction, a third of its time in the database.
            with _planned_with_values(), connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        else:
            with _planned_with_values(), transaction.atomic(), connection.cursor() as cursor:
                # Enough memory for an exact bitmap of ~100k matches (a lossy one rechecks).
                cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '16MB'")
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        return [(pk, float(score)) for pk, score in rows]

    def _tsquery(self, groups: list[Group], require_all: bool) -> str:
        """The groups as tsquery text, every term through both configurations (documents are
        indexed through their own language's, and a query does not say its language), each
        lexeme once per group: ``akun terkunci`` is (account | akun | guna | pengguna | user)
        & (block | blokir | ... | terkunci). Passed to the matches as a constant: building it
        in SQL (an OR of the whole query in each configuration) cost each match ~1 ms of
        planning, and the GIN scan a second walk of every lexeme the two share."""
        lexemes = self._lexemes({term for group in groups for alt in group for term in alt})

        def quoted(lexemes: Iterable[str]) -> set[str]:
            return {f"'{lexeme}'" for lexeme in lexemes}

        def any_of(parts: set[str]) -> str:
            return parts.pop() if len(parts) == 1 else "(" + " | ".join(sorted(parts)) + ")"

        rendered = []
        for group in groups:
            singles: set[str] = set()
            phrases: set[str] = set()
            for alternative in group:
                terms = [lexemes[term] for term in alternative if lexemes[term]]
                if len(terms) == 1:
                    singles |= terms[0]
                elif terms:
                    phrases.add("(" + " & ".join(sorted(any_of(quoted(t)) for t in terms)) + ")")
            parts = quoted(singles) | phrases
            if parts:
                rendered.append(any_of(parts))
        return (" & " if require_all else " | ").join(rendered)

    def _lexemes(self, terms: set[str]) -> dict[str, frozenset[str]]:
        """Each term's lexemes in the ``english`` and ``indonesian`` configurations (none
        for a stop word of both), asked of the database for the terms this process has not
        seen yet (see _LEXEMES)."""
        known = _LEXEMES
        missing = sorted(terms - known.keys())
        if len(known) + len(missing) > MAX_CACHED_LEXEMES:
            known.clear()
            missing = sorted(terms)
        if missing:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT q.t, tsvector_to_array(to_tsvector('english', q.t)) || "
                    "tsvector_to_array(to_tsvector('indonesian', q.t)) "
                    "FROM unnest(%s::text[]) AS q(t)",
                    [missing],
                )
                for term, found in cursor.fetchall():
                    known[term] = frozenset(lexeme.replace("'", "''") for lexeme in found)
        return {term: known[term] for term in terms}

    def known(self, terms: Iterable[str]) -> set[str]:
        # Joined to the words instead of ``term IN (...)``: for that the planner picks the
        # trigram index (pg_trgm answers equality too), 0.7 ms to plan and 0.8 ms to run
        # against 0.1 ms for the B-tree, twice per search.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.term FROM unnest(%s::varchar[]) AS q(term) "
                "JOIN search_term t ON t.term = q.term",
                [sorted(set(terms))],
            )
            return {row[0] for row in cursor.fetchall()}

    def similar(self, word: str) -> list[str]:
        with _planned_with_values(), connection.cursor() as cursor:
            # Low enough for a swapped pair of letters in a short word (pirnter: printer).
            cursor.execute("SET pg_trgm.similarity_threshold = 0.25")
            cursor.execute(
                "SELECT term FROM search_term WHERE term %% %s "
                "ORDER BY similarity(term, %s) DESC LIMIT 50",
                [word, word],
            )
            return [row[0] for row in cursor.fetchall()]

    def document_frequencies(self, kind: str, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """A term's count is its most frequent lexeme's (documents are indexed through one
        language's configuration, a term is matched through both); a stop word of both
        languages has no lexeme, matches nothing and counts in no document."""
        terms = set(terms)
        if kind not in FREQUENCY_KINDS or not terms:
            return 0, {}
        lexemes = self._lexemes(terms)
        wanted = sorted({lexeme for term in terms for lexeme in lexemes[term]})
        with connection.cursor() as cursor:
            # The row of lexeme '' holds the count of documents, counted with the lexemes.
            cursor.execute(
                "SELECT lexeme, documents FROM search_lexeme_count "
                "WHERE kind = %s AND lexeme = ANY(%s)",
                [kind, ["", *wanted]],
            )
            by_lexeme = dict(cursor.fetchall())
        total = by_lexeme.pop("", 0)
        return total, {
            term: max((by_lexeme.get(lexeme, 0) for lexeme in lexemes[term]), default=0)
            for term in terms
        }

    def add_terms(self, terms: Iterable[str]) -> None:
        terms = sorted(set(terms))
        if terms:
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO search_term (term) SELECT unnest(%s::text[]) "
                    "ON CONFLICT (term) DO NOTHING",
                    [terms],
                )


@contextlib.contextmanager
def _planned_with_values() -> Iterator[None]:
    """Statements run inside are never prepared (decision 0007): their best plan depends on
    their values. Prepared, PostgreSQL soon plans them once for any value, guessing that a
    tsquery or a trigram match is rare, and then scans every document of the kind instead of
    the GIN index (a ticket receipt's article suggestions: 7.6 → 21 ms of database CPU)."""
    connection.ensure_connection()
    raw = connection.connection
    threshold = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


def engine() -> Engine:
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if connection.vendor == "sqlite":
        return SqliteEngine()
    raise RuntimeError(f"tierdesk search supports SQLite and PostgreSQL, not {connection.vendor}")
