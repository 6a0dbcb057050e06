"""Kinds with an index of their own, and the bounded candidate set: a common word ranks at
most ``CANDIDATES`` documents per kind, and what the caller may not see never takes a place
among them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tierdesk.search import engines
from tierdesk.search.index import (
    SearchDocument,
    Visibility,
    clear,
    delete_documents,
    index_documents,
    search,
)
from tierdesk.search.models import SyncMark

pytestmark = pytest.mark.django_db


def found(text, kinds, **kwargs):
    return [(hit.kind, hit.object_id) for hit in search(text, kinds=kinds, **kwargs).hits]


def test_each_kind_answers_from_its_own_index(db):
    index_documents(
        [
            SearchDocument("article", 1, "id", "Printer macet", "Cara membersihkan printer."),
            SearchDocument("ticket", 1, "id", "Printer macet lagi", "Kertas tersangkut."),
            SearchDocument("note", 1, "en", "Printer jammed", "Paper stuck in the printer."),
        ]
    )
    assert found("printer macet", {"article": None}) == [("article", 1)]
    assert found("printer macet", {"ticket": None}) == [("ticket", 1)]
    assert found("printer", {"note": None}) == [("note", 1)]
    assert sorted(found("printer", {"article": None, "ticket": None, "note": None})) == [
        ("article", 1),
        ("note", 1),
        ("ticket", 1),
    ]
    delete_documents("ticket", [1])
    assert found("printer", {"ticket": None}) == []
    clear("article")
    assert found("printer", {"article": None, "note": None}) == [("note", 1)]


def test_a_common_word_ranks_a_bounded_set_and_still_fills_the_page(monkeypatch):
    monkeypatch.setattr(engines, "CANDIDATES", 5)
    index_documents(
        SearchDocument("article", n, "id", f"VPN putus {n}", "Koneksi VPN putus.", {})
        for n in range(1, 31)
    )
    hits = found("vpn putus", {"article": None}, limit=10)
    # Five of the 30 matches (SQLite: the newest; PostgreSQL: the first in table order) are
    # ranked first; the relaxed pass fills the page with five others.
    assert len(hits) == 10
    assert len(set(hits)) == 10


def test_what_the_caller_may_not_see_takes_no_candidate_place(monkeypatch):
    monkeypatch.setattr(engines, "CANDIDATES", 3)
    marks = [
        SyncMark.objects.create(name=f"mark{n}", position=datetime(2026, 1, 1, tzinfo=UTC))
        for n in range(12)
    ]
    # Every mark's id is a ticket; only the oldest one is visible, behind 11 newer matches.
    index_documents(
        SearchDocument("ticket", mark.pk, "id", "Akun terkunci", "Akun email terkunci.")
        for mark in marks
    )
    visible = SyncMark.objects.filter(pk=marks[0].pk).values("pk")
    assert found("akun terkunci", {"ticket": Visibility(ids=visible)}) == [("ticket", marks[0].pk)]
    assert found("akun terkunci", {"ticket": Visibility(ids=SyncMark.objects.none())}) == []
