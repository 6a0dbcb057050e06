"""A ticket becomes searchable once the transaction that changed it commits: the change is
reported to the search index, which queues a refresh task for a worker in that transaction."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from tierdesk.kb.indexing import TICKET
from tierdesk.kb.queries import search_desk
from tierdesk.search import index as search_index
from tierdesk.tickets.actions.fields import change_category, change_priority
from tierdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db

PATH = "tierdesk.search.tasks.refresh_documents"


def found(agent, text: str) -> list[int]:
    return [hit.id for hit in search_desk(agent, text, kinds=[TICKET])]


def run_queued_jobs() -> None:
    """What a worker does with the queued refresh jobs."""
    from tierdesk.search.tasks import refresh_documents

    for job in DBTaskResult.objects.filter(task_path=PATH, status="READY"):
        refresh_documents.call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
        job.delete()


def test_a_new_ticket_is_searchable_after_the_worker_runs(make_ticket, l1_agent):
    ticket = make_ticket(subject="Proyektor ruang rapat rusak")  # open_ticket reports it
    assert found(l1_agent, "proyektor") == []  # queued, not yet run
    job = DBTaskResult.objects.get(task_path=PATH)
    assert job.args_kwargs["args"] == [TICKET, [ticket.pk]]
    run_queued_jobs()
    assert found(l1_agent, "proyektor") == [ticket.pk]

    Ticket.objects.filter(pk=ticket.pk).update(subject="Layar monitor berkedip")
    search_index.changed(TICKET, [ticket.pk])
    run_queued_jobs()
    assert found(l1_agent, "proyektor") == []
    assert found(l1_agent, "monitor berkedip") == [ticket.pk]


def queued() -> list[list]:
    return [job.args_kwargs["args"] for job in DBTaskResult.objects.filter(task_path=PATH)]


def test_nothing_is_queued_when_the_change_rolls_back(make_ticket):
    ticket = make_ticket()
    DBTaskResult.objects.all().delete()  # the opening's own refresh

    def failing_action() -> None:
        with transaction.atomic():
            search_index.changed(TICKET, [ticket.pk])
            assert queued() == [[TICKET, [ticket.pk]]]  # queued with the change ...
            raise RuntimeError("the action failed")

    with pytest.raises(RuntimeError):
        failing_action()
    assert queued() == []  # ... and gone with it


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


def test_an_action_that_changes_what_is_indexed_queues_a_refresh_and_others_do_not(
    make_ticket, l1_agent, category
):
    ticket = make_ticket()
    assert queued() == [[TICKET, [ticket.pk]]]  # opening it
    DBTaskResult.objects.all().delete()
    change_priority(actor=l1_agent, ticket_id=ticket.pk, priority="P2")
    assert queued() == []
    change_category(actor=l1_agent, ticket_id=ticket.pk, category=category.slug)
    assert queued() == [[TICKET, [ticket.pk]]]
