"""The index of the newest tickets beside the full one: a search whose words are common finds
its candidates there without walking the full index, and finds exactly what the full index
would have given (new, changed and removed tickets included); a search whose words are rare
among the newest tickets falls back to the full index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tierdesk.search import engines
from tierdesk.search.index import (
    SearchDocument,
    delete_documents,
    index_documents,
    search,
    sync_recent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_window(monkeypatch):
    monkeypatch.setattr(engines, "RECENT_DOCUMENTS", 6)
    monkeypatch.setattr(engines, "CANDIDATES", 3)


def ticket(number: int, title: str, body: str = "Mohon dibantu.") -> SearchDocument:
    return SearchDocument("ticket", number, "id", title, body)


def found(text: str, **kwargs) -> list[int]:
    return [hit.object_id for hit in search(text, kinds={"ticket": None}, **kwargs).hits]


def full_index_asked(queries) -> bool:
    """Whether any captured query matched words against the full ticket index."""
    if connection.vendor == "sqlite":
        return any("search_fts_ticket MATCH" in query["sql"] for query in queries)
    return any(
        "@@" in query["sql"] and "search_document.recent" not in query["sql"] for query in queries
    )


def oldest_recent() -> int | None:
    return engines.engine()._oldest("ticket", recent=True)


def document_id(number: int) -> int:
    from tierdesk.search.models import Document

    return Document.objects.get(kind="ticket", object_id=number).pk


def test_the_recent_index_holds_the_newest_documents_and_sync_is_idempotent(small_window):
    index_documents(ticket(n, f"VPN putus {n}") for n in range(1, 11))
    # Indexed before the recent index had anything: it waits for the job.
    assert oldest_recent() is None
    assert sync_recent() == {"ticket": (6, 0)}
    assert oldest_recent() == document_id(5)
    assert sync_recent() == {"ticket": (0, 0)}
    index_documents([ticket(11, "VPN putus 11"), ticket(12, "VPN putus 12")])
    assert sync_recent() == {"ticket": (0, 2)}
    assert oldest_recent() == document_id(7)


def test_common_words_are_answered_by_the_recent_index_alone(small_window):
    index_documents(ticket(n, "VPN putus", "Koneksi VPN putus.") for n in range(1, 11))
    sync_recent()
    with CaptureQueriesContext(connection) as queries:
        hits = found("vpn putus", limit=3)
    assert len(hits) == 3
    assert not full_index_asked(queries.captured_queries)


def test_new_changed_and_removed_tickets_reach_the_recent_index_at_once(small_window):
    # "cabang" is in two old tickets and in three of the newest six.
    index_documents(
        [ticket(n, "Printer kantor cabang") for n in (1, 2)]
        + [ticket(n, "Akun terkunci") for n in range(3, 8)]
        + [ticket(n, "Printer kantor cabang") for n in (8, 9, 10)]
    )
    sync_recent()
    # A new ticket is found in the recent index alone.
    index_documents([ticket(11, "VPN putus setelah pembaruan")])
    with CaptureQueriesContext(connection) as queries:
        assert found("pembaruan", limit=1) == [11]
    assert not full_index_asked(queries.captured_queries)
    # A changed one no longer matches its old words there: two newest matches are left, too
    # few for the page, so the old tickets fill it.
    index_documents([ticket(8, "Email tertahan")])
    assert 8 not in found("cabang", limit=3)
    assert found("email tertahan", limit=1) == [8]
    # A removed one takes no place there either.
    delete_documents("ticket", [11])
    index_documents([ticket(2, "Printer kantor cabang setelah pembaruan")])
    assert found("pembaruan", limit=1) == [2]


def test_rare_words_fall_back_to_the_full_index(small_window):
    index_documents(
        [ticket(1, "Sertifikat kedaluwarsa", "Sertifikat SSL situs kedaluwarsa.")]
        + [ticket(n, "VPN putus") for n in range(2, 12)]
    )
    sync_recent()
    assert oldest_recent() == document_id(6)
    with CaptureQueriesContext(connection) as queries:
        assert found("sertifikat kedaluwarsa") == [1]
    assert full_index_asked(queries.captured_queries)


def test_before_the_first_sync_searches_use_the_full_index(small_window):
    index_documents(ticket(n, "Akun terkunci") for n in range(1, 11))
    with CaptureQueriesContext(connection) as queries:
        assert len(found("akun terkunci", limit=3)) == 3
    assert full_index_asked(queries.captured_queries)


def test_a_small_desk_is_answered_by_the_recent_index_alone(small_window):
    # Fewer matches than candidates, but the recent index holds every ticket there is.
    index_documents(ticket(n, f"Email tertahan {n}") for n in range(1, 3))
    sync_recent()
    with CaptureQueriesContext(connection) as queries:
        assert sorted(found("tertahan", limit=10)) == [1, 2]
    assert not full_index_asked(queries.captured_queries)


def test_a_rebuild_leaves_the_recent_index_with_the_newest_tickets(small_window, customer):
    from tierdesk.kb.indexing import reindex
    from tierdesk.tickets.actions.opening import open_ticket

    tickets = [
        open_ticket(
            actor=customer, subject=f"Internet lambat {n}", description="Sejak pagi lambat."
        ).ticket
        for n in range(8)
    ]
    reindex(kinds=["ticket"])
    assert oldest_recent() == document_id(tickets[2].pk)
    # Every match is among the newest tickets: the candidates come from the recent index.
    hits = found("internet lambat", limit=3)
    assert len(hits) == 3
    assert set(hits) <= {ticket.pk for ticket in tickets[2:]}
