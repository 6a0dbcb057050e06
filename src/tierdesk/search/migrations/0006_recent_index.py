"""An index of the newest tickets beside the full one (see ``engines.RECENT_KINDS``), filled
here with the newest 50,000 ticket documents; the periodic job ``search.tasks.sync_recent``
keeps it to the newest ones from then on.

SQLite: FTS5 table ``search_fts_ticket_recent`` (same columns and tokenizer as
``search_fts_ticket``). PostgreSQL: a ``recent`` flag on ``search_document``, a partial GIN
index over the vectors of the recent tickets and a partial B-tree index over the recent rows.
"""

from django.db import migrations

from tierdesk.search.vendor_sql import run_by_vendor

TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2'"
WINDOW = 50_000

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE search_fts_ticket_recent USING fts5(title, body, facets, {TOKENIZER})",
    "INSERT INTO search_fts_ticket_recent (rowid, title, body, facets) "
    "SELECT rowid, title, body, facets FROM search_fts_ticket WHERE rowid >= COALESCE("
    "(SELECT rowid FROM search_fts_ticket ORDER BY rowid DESC LIMIT 1 OFFSET "
    f"{WINDOW - 1}), 0)",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts_ticket_recent"]
POSTGRES_FORWARD = [
    "ALTER TABLE search_document ADD COLUMN recent boolean NOT NULL DEFAULT false",
    "UPDATE search_document SET recent = true WHERE kind = 'ticket' AND id >= COALESCE("
    "(SELECT id FROM search_document WHERE kind = 'ticket' ORDER BY id DESC LIMIT 1 OFFSET "
    f"{WINDOW - 1}), 0)",
    "CREATE INDEX search_document_recent ON search_document (kind, id) WHERE recent",
    "CREATE INDEX search_document_vector_ticket_recent ON search_document USING gin (vector) "
    "WHERE kind = 'ticket' AND recent",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector_ticket_recent",
    "DROP INDEX IF EXISTS search_document_recent",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS recent",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0005_pending_refresh")]

    operations = [
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run_by_vendor({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
