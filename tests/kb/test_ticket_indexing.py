"""A ticket becomes searchable within seconds of the transaction that changed it: the change
marks it pending in that transaction, and the periodic job refreshes the pending documents."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from tierdesk.kb.indexing import TICKET
from tierdesk.kb.queries import search_desk
from tierdesk.search import index as search_index
from tierdesk.search.engines import PENDING_LIST_INDEXES
from tierdesk.search.models import PendingRefresh
from tierdesk.search.tasks import refresh_pending
from tierdesk.tickets.actions.fields import change_category, change_priority
from tierdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def found(agent, text: str) -> list[int]:
    return [hit.id for hit in search_desk(agent, text, kinds=[TICKET])]


def pending() -> list[tuple[str, int]]:
    return list(PendingRefresh.objects.order_by("pk").values_list("kind", "object_id"))


def test_a_new_ticket_is_searchable_after_the_periodic_refresh(make_ticket, l1_agent):
    ticket = make_ticket(subject="Proyektor ruang rapat rusak")  # open_ticket marks it
    assert found(l1_agent, "proyektor") == []  # marked, not yet refreshed
    assert pending() == [(TICKET, ticket.pk)]
    assert refresh_pending.call() == 1
    assert pending() == []
    assert found(l1_agent, "proyektor") == [ticket.pk]

    Ticket.objects.filter(pk=ticket.pk).update(subject="Layar monitor berkedip")
    search_index.changed(TICKET, [ticket.pk])
    search_index.changed(TICKET, [ticket.pk])  # changed twice before the refresh: one mark
    assert pending() == [(TICKET, ticket.pk)]
    assert refresh_pending.call() == 1
    assert found(l1_agent, "proyektor") == []
    assert found(l1_agent, "monitor berkedip") == [ticket.pk]
    assert refresh_pending.call() == 0  # nothing left: running it again does nothing


def test_nothing_is_marked_when_the_change_rolls_back(make_ticket):
    ticket = make_ticket()
    PendingRefresh.objects.all().delete()  # the opening's own mark

    def failing_action() -> None:
        with transaction.atomic():
            search_index.changed(TICKET, [ticket.pk])
            assert pending() == [(TICKET, ticket.pk)]  # marked with the change ...
            raise RuntimeError("the action failed")

    with pytest.raises(RuntimeError):
        failing_action()
    assert pending() == []  # ... and gone with it


def test_a_refresh_that_fails_keeps_its_marks_for_the_next_run(make_ticket, monkeypatch):
    ticket = make_ticket()

    def broken(kind, ids):
        raise RuntimeError("the index is unavailable")

    monkeypatch.setattr(search_index, "refresh", broken)
    with pytest.raises(RuntimeError):
        search_index.refresh_pending()
    assert pending() == [(TICKET, ticket.pk)]


def test_a_refresh_is_idempotent_and_forgets_removed_tickets(make_ticket, l1_agent):
    ticket = make_ticket(subject="Proyektor ruang rapat rusak")
    assert search_index.refresh(TICKET, [ticket.pk, ticket.pk]) == 1
    assert search_index.refresh(TICKET, [ticket.pk]) == 1
    assert found(l1_agent, "proyektor") == [ticket.pk]
    missing = ticket.pk + 1000
    search_index.index_documents(
        [search_index.SearchDocument(TICKET, missing, "id", "Proyektor hilang", "")]
    )
    assert search_index.refresh(TICKET, [missing]) == 0
    assert found(l1_agent, "proyektor") == [ticket.pk]


def test_an_unknown_kind_is_refused():
    with pytest.raises(LookupError):
        search_index.refresh("nothing", [1])


def test_reindexing_one_kind_keeps_the_other_searchable(make_ticket, write_article, l1_agent):
    ticket = make_ticket(subject="VPN putus di rumah")
    article = write_article(title="VPN putus", body="Sambungkan ulang VPN.")
    for kind in (TICKET, "article", None):
        call_command("reindex", *(["--kind", kind] if kind else []), stdout=StringIO())
        hits = {(hit.kind, hit.id) for hit in search_desk(l1_agent, "vpn putus")}
        assert hits == {(TICKET, ticket.pk), ("article", article.pk)}


def test_an_action_that_changes_what_is_indexed_marks_the_ticket_and_others_do_not(
    make_ticket, l1_agent, category
):
    ticket = make_ticket()
    assert pending() == [(TICKET, ticket.pk)]  # opening it
    PendingRefresh.objects.all().delete()
    change_priority(actor=l1_agent, ticket_id=ticket.pk, priority="P2")
    assert pending() == []
    change_category(actor=l1_agent, ticket_id=ticket.pk, category=category.slug)
    assert pending() == [(TICKET, ticket.pk)]


def test_the_catch_up_indexes_only_what_the_prompt_refresh_missed(make_ticket, l1_agent):
    from django.utils import timezone

    from tierdesk.kb.indexing import index_changed_tickets

    assert index_changed_tickets.call() == 0  # the first run only sets its mark
    fresh = make_ticket(subject="Proyektor ruang rapat rusak")
    assert index_changed_tickets.call() == 0  # pending: the prompt refresh will take it
    refresh_pending.call()
    bypassed = make_ticket(subject="Printer lantai dua macet")
    refresh_pending.call()
    assert index_changed_tickets.call() == 0  # both documents are current
    # Edited outside the ticket actions, so nothing marked it pending.
    Ticket.objects.filter(pk=bypassed.pk).update(
        subject="Monitor berkedip terus", updated_at=timezone.now()
    )
    assert pending() == []
    assert index_changed_tickets.call() == 1
    assert found(l1_agent, "monitor berkedip") == [bypassed.pk]
    assert found(l1_agent, "proyektor") == [fresh.pk]
    assert index_changed_tickets.call() == 0


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="PostgreSQL's GIN pending list (FTS5 has none)",
)
def test_the_refresh_leaves_nothing_in_the_ticket_indexes_pending_lists(make_ticket, l1_agent):
    """Every search reads through a GIN index's pending list, which the day's ticket writes
    would fill (19 ms for a search instead of 6 at a million tickets): the worker's refresh
    merges what it wrote into the indexes proper."""
    tickets = [make_ticket(subject=f"Proyektor ruang {number} rusak") for number in range(10)]
    assert refresh_pending.call() == 10
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(name::regclass) FROM unnest(%s::text[]) AS name",
            [list(PENDING_LIST_INDEXES)],
        )
        assert [pages for (pages,) in cursor.fetchall()] == [0, 0, 0]
    assert sorted(found(l1_agent, "proyektor")) == sorted(ticket.pk for ticket in tickets)
