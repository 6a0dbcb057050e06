"""The full-text structures beside the search tables, by database vendor.

SQLite: an FTS5 table over the analysed text (rowid = search_document.id) and an FTS5
trigram table over the vocabulary, kept by a trigger. PostgreSQL: a tsvector column with a
GIN index, and pg_trgm with a trigram GIN index over the vocabulary.
"""

from django.db import migrations

from tierdesk.search.vendor_sql import run_by_vendor

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, facets, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_term_trigram USING fts5("
    "term, content = 'search_term', content_rowid = 'id', tokenize = 'trigram')",
    "CREATE TRIGGER search_term_trigram_insert AFTER INSERT ON search_term BEGIN "
    "INSERT INTO search_term_trigram (rowid, term) VALUES (new.id, new.term); END",
    "CREATE TRIGGER search_term_trigram_delete AFTER DELETE ON search_term BEGIN "
    "INSERT INTO search_term_trigram (search_term_trigram, rowid, term) "
    "VALUES ('delete', old.id, old.term); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_term_trigram_delete",
    "DROP TRIGGER IF EXISTS search_term_trigram_insert",
    "DROP TABLE IF EXISTS search_term_trigram",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_document ADD COLUMN vector tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX search_document_vector ON search_document USING gin (vector)",
    "CREATE INDEX search_term_trigram ON search_term USING gin (term gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_term_trigram",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS vector",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run_by_vendor({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
