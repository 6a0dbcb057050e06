"""A full-text index per big document kind, so a search among articles never walks the
ticket entries (and the reverse), and a kind needs no facet term to be told apart.

SQLite: FTS5 tables ``search_fts_article`` and ``search_fts_ticket`` (same columns and
tokenizer as ``search_fts``, which keeps every other kind); existing entries are moved over
in SQL, so no reindex is needed. PostgreSQL: the one GIN index over ``vector`` becomes three
partial GIN indexes (articles, tickets, every other kind).
"""

from django.db import migrations

from tierdesk.search.vendor_sql import run_by_vendor

OWN_KINDS = ("article", "ticket")
TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2'"


def _sqlite_forward():
    statements = []
    for kind in OWN_KINDS:
        statements += [
            f"CREATE VIRTUAL TABLE search_fts_{kind} USING fts5(title, body, facets, {TOKENIZER})",
            f"INSERT INTO search_fts_{kind} (rowid, title, body, facets) "
            "SELECT f.rowid, f.title, f.body, f.facets FROM search_fts f "
            f"JOIN search_document d ON d.id = f.rowid WHERE d.kind = '{kind}'",
        ]
    statements.append(
        "DELETE FROM search_fts WHERE rowid IN "
        "(SELECT id FROM search_document WHERE kind IN ('article', 'ticket'))"
    )
    return statements


def _sqlite_backward():
    statements = []
    for kind in OWN_KINDS:
        statements += [
            "INSERT INTO search_fts (rowid, title, body, facets) "
            f"SELECT rowid, title, body, facets FROM search_fts_{kind}",
            f"DROP TABLE search_fts_{kind}",
        ]
    return statements


POSTGRES_FORWARD = [
    "CREATE INDEX search_document_vector_article ON search_document USING gin (vector) "
    "WHERE kind = 'article'",
    "CREATE INDEX search_document_vector_ticket ON search_document USING gin (vector) "
    "WHERE kind = 'ticket'",
    "CREATE INDEX search_document_vector_other ON search_document USING gin (vector) "
    "WHERE kind NOT IN ('article', 'ticket')",
    "DROP INDEX IF EXISTS search_document_vector",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX search_document_vector ON search_document USING gin (vector)",
    "DROP INDEX IF EXISTS search_document_vector_article",
    "DROP INDEX IF EXISTS search_document_vector_ticket",
    "DROP INDEX IF EXISTS search_document_vector_other",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0003_default_synonyms")]

    operations = [
        migrations.RunPython(
            run_by_vendor({"sqlite": _sqlite_forward(), "postgresql": POSTGRES_FORWARD}),
            run_by_vendor({"sqlite": _sqlite_backward(), "postgresql": POSTGRES_BACKWARD}),
        )
    ]
