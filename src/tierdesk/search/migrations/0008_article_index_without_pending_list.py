"""PostgreSQL: the articles' GIN index takes each write at once (``fastupdate = off``).

With the default, new entries wait in the index's pending list, which every search reads
through in full, until a vacuum or 4 MB of them. Articles are written a few times a day and
searched on every keystroke of the portal's ticket form and for every receipt: the 2,000
articles of the benchmark's data set, still pending, made each article query 5–6 ms instead
of 0.2–1.5 ms. The list already there is merged now. Tickets keep the pending list: they
are written all day, and their searches are the desk's, not one per new ticket.

SQLite: nothing to do (FTS5 merges its own segments).
"""

from django.db import migrations

from tierdesk.search.vendor_sql import run_by_vendor

POSTGRES_FORWARD = [
    "ALTER INDEX search_document_vector_article SET (fastupdate = off)",
    "SELECT gin_clean_pending_list('search_document_vector_article'::regclass)",
]
POSTGRES_BACKWARD = ["ALTER INDEX search_document_vector_article RESET (fastupdate)"]


class Migration(migrations.Migration):
    dependencies = [("search", "0007_document_frequencies")]

    operations = [
        migrations.RunPython(
            run_by_vendor({"sqlite": [], "postgresql": POSTGRES_FORWARD}),
            run_by_vendor({"sqlite": [], "postgresql": POSTGRES_BACKWARD}),
        )
    ]
