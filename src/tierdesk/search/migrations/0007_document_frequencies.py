"""In how many articles each word occurs, for suggestions from a description (see
``engines.FREQUENCY_KINDS`` and ``index.search(description=True)``).

SQLite: an ``fts5vocab`` table over ``search_fts_article`` (FTS5 keeps the counts itself).
PostgreSQL: table ``search_lexeme_count`` (kind, lexeme, documents; lexeme '': the number of
documents), filled here from the article vectors and recounted by the engine whenever
articles are indexed or removed.
"""

from django.db import migrations

from tierdesk.search.vendor_sql import run_by_vendor

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts_article_vocab USING fts5vocab(search_fts_article, 'row')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts_article_vocab"]
POSTGRES_FORWARD = [
    "CREATE TABLE search_lexeme_count (kind varchar(30) NOT NULL, lexeme text NOT NULL, "
    "documents integer NOT NULL, PRIMARY KEY (kind, lexeme))",
    "INSERT INTO search_lexeme_count (kind, lexeme, documents) "
    "SELECT 'article', word, ndoc FROM ts_stat("
    "'SELECT vector FROM search_document WHERE kind = ''article''') "
    "WHERE left(word, 3) <> 'zzz' "
    "UNION ALL SELECT 'article', '', count(*) FROM search_document WHERE kind = 'article'",
]
POSTGRES_BACKWARD = ["DROP TABLE IF EXISTS search_lexeme_count"]


class Migration(migrations.Migration):
    dependencies = [("search", "0006_recent_index")]

    operations = [
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run_by_vendor({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
