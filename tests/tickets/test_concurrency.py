"""Several web processes share one database: retries and races must not duplicate or corrupt."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tierdesk.errors import DomainError
from tierdesk.tickets.actions.escalation import escalate_ticket
from tierdesk.tickets.actions.opening import open_ticket
from tierdesk.tickets.models import Event, Ticket

THREADS = 6


def run_together(work) -> list:
    """Run ``work(i)`` in parallel threads (each with its own database connection)."""
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def runner(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # collected and asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_idempotency_key_make_one_ticket(customer):
    results = run_together(
        lambda _: (
            open_ticket(
                actor=customer, subject="Retry storm", description="d", idempotency_key="once"
            ).ticket.pk
        )
    )
    assert all(isinstance(result, int) for result in results), results
    assert len(set(results)) == 1
    assert Ticket.objects.count() == 1
    assert Event.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_escalations_of_one_ticket_apply_once(held_ticket, supervisor):
    def escalate(index: int):
        escalate_ticket(
            actor=supervisor,
            ticket_id=held_ticket.pk,
            to_tier=2,
            reason=f"attempt {index}",
            tried=["t"],
            findings="f",
        )
        return "escalated"

    results = run_together(escalate)
    assert results.count("escalated") == 1, results
    assert all(isinstance(r, DomainError) for r in results if r != "escalated"), results
    held_ticket.refresh_from_db()
    assert (held_ticket.tier.level, held_ticket.escalation_count) == (2, 1)
    assert held_ticket.events.filter(kind="ticket.escalated").count() == 1
    assert held_ticket.tier_periods.filter(ended_at__isnull=True).count() == 1
