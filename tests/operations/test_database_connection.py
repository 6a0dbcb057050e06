"""How the web processes and workers talk to the database (decision 0007)."""

from __future__ import annotations

import pytest
from django.db import connection

from tierdesk.accounts.models import Tier


def run_the_same_lookup(times: int) -> None:
    for _ in range(times):
        list(Tier.objects.filter(handles_tickets=True).order_by("level")[:1])


@pytest.mark.django_db
def test_a_statement_run_again_and_again_is_planned_once_per_connection():
    run_the_same_lookup(8)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite keeps its own statement cache; what matters here is the journal that
            # lets the worker read while the web server writes.
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            return
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "accounts_tier" WHERE "accounts_tier"."handles_tickets"%'],
        )
        assert cursor.fetchone()[0] == 1
    # And the prepared statement answers what the text would (parameters bound server-side).
    assert list(Tier.objects.filter(level=1).values_list("level", flat=True)) == [1]


@pytest.mark.django_db
def test_full_text_matches_are_planned_with_their_words_every_time():
    from tierdesk.search.index import SearchDocument, index_documents, search

    index_documents(
        [
            SearchDocument("ticket", n, "id", f"Printer lantai {n} offline", "Mohon dibantu.")
            for n in (1, 2)
        ]
        + [SearchDocument("article", 7, "id", "Printer offline: langkah awal", "Cek kabel.")]
    )
    for _ in range(8):
        hits = search("printer offline", kinds={"ticket": None, "article": None}).hits
        assert {(hit.kind, hit.object_id) for hit in hits} == {
            ("ticket", 1),
            ("ticket", 2),
            ("article", 7),
        }
        run_the_same_lookup(1)
    if connection.vendor == "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    # A plan made once for any tsquery scanned every document of the kind (decision 0007).
    assert not [statement for statement in prepared if "@@" in statement]
    assert [statement for statement in prepared if '"accounts_tier"' in statement]
