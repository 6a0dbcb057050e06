"""The two full-text engines behind :mod:`tierdesk.search.index`, chosen by database vendor.

Both receive text already analysed in Python (:mod:`tierdesk.search.language`), so they
index the same terms:

- SQLite: an FTS5 table ``search_fts(title, body, facets)`` (unicode61, accents removed)
  whose rowid is the document's id, ranked by BM25; the vocabulary ``search_term`` has an
  FTS5 ``trigram`` twin for typo candidates.
- PostgreSQL: a ``vector`` tsvector column on ``search_document`` built with the
  ``indonesian`` or ``english`` configuration by the document's language (facets through
  ``simple``), a GIN index on it, ranked by ``ts_rank_cd``; typo candidates from a pg_trgm
  GIN index on ``search_term.term``.

Every value reaches SQL as a parameter; query terms are letters and digits only and are
quoted for the engine's syntax, so what a person types never becomes engine syntax.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from tierdesk.search.query import Group

# A filter over facet terms: a term, or ("and" | "or", [filters]).
Facets = str | tuple[str, list["Facets"]]

TITLE_WEIGHT = 3.0
BODY_WEIGHT = 1.0


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


def _subquery(restriction: IdRestriction) -> tuple[str, tuple[Any, ...]]:
    sql, params = restriction.ids.query.get_compiler(connection=connection).as_sql()
    return sql, tuple(params)


def _restriction_sql(
    restrictions: Sequence[IdRestriction], column_kind: str, column_id: str
) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for restriction in restrictions:
        sql, sub_params = _subquery(restriction)
        clauses.append(f"({column_kind} <> %s OR {column_id} IN ({sql}))")
        params.extend([restriction.kind, *sub_params])
    return " AND ".join(clauses), params


class Engine:
    vendor = ""

    def upsert(self, documents: Sequence[Prepared]) -> None:
        raise NotImplementedError

    def delete(self, kind: str, object_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def clear(self, kind: str | None) -> None:
        raise NotImplementedError

    def match(
        self,
        groups: list[Group],
        *,
        require_all: bool,
        facets: Facets,
        restrictions: Sequence[IdRestriction],
        exclude: Sequence[int],
        limit: int,
    ) -> list[tuple[int, float]]:
        """(document id, score) of the best matches, best first."""
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

    @staticmethod
    def _expression(groups: list[Group], require_all: bool) -> str:
        rendered = []
        for group in groups:
            alternatives = [
                " AND ".join(f'"{term}"' for term in alternative) for alternative in group
            ]
            rendered.append("(" + " OR ".join(f"({a})" for a in alternatives) + ")")
        return (" AND " if require_all else " OR ").join(rendered)

    @classmethod
    def _facets(cls, facets: Facets) -> str:
        if isinstance(facets, str):
            return f'"{facets}"'
        operator, parts = facets
        joiner = " AND " if operator == "and" else " OR "
        return "(" + joiner.join(cls._facets(part) for part in parts) + ")"

    def upsert(self, documents: Sequence[Prepared]) -> None:
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
            rows = [
                (ids[(d.kind, d.object_id)], d.title_terms, d.body_terms, d.facet_terms)
                for d in documents
            ]
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(r[0],) for r in rows])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, facets) VALUES (%s, %s, %s, %s)", rows
            )

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
        with connection.cursor() as cursor:
            for object_id in object_ids:
                cursor.execute(
                    "DELETE FROM search_fts WHERE rowid IN "
                    "(SELECT id FROM search_document WHERE kind = %s AND object_id = %s)",
                    [kind, object_id],
                )
                cursor.execute(
                    "DELETE FROM search_document WHERE kind = %s AND object_id = %s",
                    [kind, object_id],
                )

    def clear(self, kind: str | None) -> None:
        with connection.cursor() as cursor:
            if kind is None:
                cursor.execute("DELETE FROM search_fts")
                cursor.execute("DELETE FROM search_document")
                cursor.execute("DELETE FROM search_term")
                cursor.execute(
                    "INSERT INTO search_term_trigram(search_term_trigram) VALUES('rebuild')"
                )
            else:
                cursor.execute(
                    "DELETE FROM search_fts WHERE rowid IN "
                    "(SELECT id FROM search_document WHERE kind = %s)",
                    [kind],
                )
                cursor.execute("DELETE FROM search_document WHERE kind = %s", [kind])

    def match(self, groups, *, require_all, facets, restrictions, exclude, limit):
        expression = (
            "{title body} : ("
            + self._expression(groups, require_all)
            + ") AND facets : "
            + self._facets(facets)
        )
        sql = (
            "SELECT f.rowid, bm25(search_fts, %s, %s, 0.0) AS score FROM search_fts f "
            "JOIN search_document d ON d.id = f.rowid WHERE search_fts MATCH %s"
        )
        params: list[Any] = [TITLE_WEIGHT, BODY_WEIGHT, expression]
        if restrictions:
            clause, clause_params = _restriction_sql(restrictions, "d.kind", "d.object_id")
            sql += " AND " + clause
            params.extend(clause_params)
        if exclude:
            sql += " AND f.rowid NOT IN (" + ", ".join(["%s"] * len(exclude)) + ")"
            params.extend(exclude)
        sql += " ORDER BY score LIMIT %s"
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

    def add_terms(self, terms: Iterable[str]) -> None:
        rows = [(term,) for term in terms]
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO search_term (term) VALUES (%s) ON CONFLICT (term) DO NOTHING", rows
                )


CONFIGURATIONS = {"id": "indonesian", "en": "english"}


class PostgresEngine(Engine):
    vendor = "postgresql"

    @staticmethod
    def _expression(groups: list[Group], require_all: bool) -> str:
        rendered = []
        for group in groups:
            alternatives = [
                " & ".join(f"'{term}'" for term in alternative) for alternative in group
            ]
            rendered.append("(" + " | ".join(f"({a})" for a in alternatives) + ")")
        return (" & " if require_all else " | ").join(rendered)

    @classmethod
    def _facets(cls, facets: Facets) -> str:
        if isinstance(facets, str):
            return f"'{facets}'"
        operator, parts = facets
        joiner = " & " if operator == "and" else " | "
        return "(" + joiner.join(cls._facets(part) for part in parts) + ")"

    def upsert(self, documents: Sequence[Prepared]) -> None:
        from django.utils import timezone

        if not documents:
            return
        now = timezone.now()
        rows = [
            (
                *row,
                CONFIGURATIONS.get(d.language, "simple"),
                d.title_terms,
                CONFIGURATIONS.get(d.language, "simple"),
                d.body_terms,
                d.facet_terms,
            )
            for row, d in zip(_document_rows(documents, now), documents, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_document "
                "(kind, object_id, language, title, body, attributes, indexed_at, vector) "
                "VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, "
                "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'D')) "
                "ON CONFLICT (kind, object_id) DO UPDATE SET language = EXCLUDED.language, "
                "title = EXCLUDED.title, body = EXCLUDED.body, "
                "attributes = EXCLUDED.attributes, indexed_at = EXCLUDED.indexed_at, "
                "vector = EXCLUDED.vector",
                rows,
            )

    def delete(self, kind: str, object_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document WHERE kind = %s AND object_id = ANY(%s)",
                [kind, list(object_ids)],
            )

    def clear(self, kind: str | None) -> None:
        with connection.cursor() as cursor:
            if kind is None:
                cursor.execute("DELETE FROM search_document")
                cursor.execute("DELETE FROM search_term")
            else:
                cursor.execute("DELETE FROM search_document WHERE kind = %s", [kind])

    def match(self, groups, *, require_all, facets, restrictions, exclude, limit):
        terms = self._expression(groups, require_all)
        terms_query = "(to_tsquery('english', %s) || to_tsquery('indonesian', %s))"
        # Ranked by the words only: the facet terms (weight D) would zero the cover density.
        sql = (
            f"SELECT d.id, ts_rank_cd('{{0, 0.1, {BODY_WEIGHT / TITLE_WEIGHT:.3f}, 1}}', "
            f"d.vector, {terms_query}, 1) AS score "
            f"FROM search_document d WHERE d.vector @@ ({terms_query} && to_tsquery('simple', %s))"
        )
        params: list[Any] = [terms, terms, terms, terms, self._facets(facets)]
        if restrictions:
            clause, clause_params = _restriction_sql(restrictions, "d.kind", "d.object_id")
            sql += " AND " + clause
            params.extend(clause_params)
        if exclude:
            sql += " AND NOT (d.id = ANY(%s))"
            params.append(list(exclude))
        sql += " ORDER BY score DESC, d.id LIMIT %s"
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(pk, float(score)) for pk, score in cursor.fetchall()]

    def similar(self, word: str) -> list[str]:
        with connection.cursor() as cursor:
            # Low enough for a swapped pair of letters in a short word (pirnter: printer).
            cursor.execute("SET pg_trgm.similarity_threshold = 0.25")
            cursor.execute(
                "SELECT term FROM search_term WHERE term %% %s "
                "ORDER BY similarity(term, %s) DESC LIMIT 50",
                [word, word],
            )
            return [row[0] for row in cursor.fetchall()]

    def add_terms(self, terms: Iterable[str]) -> None:
        terms = sorted(set(terms))
        if terms:
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO search_term (term) SELECT unnest(%s::text[]) "
                    "ON CONFLICT (term) DO NOTHING",
                    [terms],
                )


def engine() -> Engine:
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if connection.vendor == "sqlite":
        return SqliteEngine()
    raise RuntimeError(f"tierdesk search supports SQLite and PostgreSQL, not {connection.vendor}")
