"""How long the visibility check of one ticket and an L1 agent's queue pages take on a seeded
database (``tierdesk bench seed``). Run with TIERDESK_DATABASE_URL pointing at it:

    TIERDESK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tierdesk_bench \\
    TIERDESK_SECRET_KEY=x .venv/bin/python bench/visibility_check.py

Prints the best of five runs of each, in milliseconds.
"""

from __future__ import annotations

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.settings")
django.setup()

from tierdesk.accounts.models import Role, User  # noqa: E402
from tierdesk.api.tickets import COUNT_LIMIT  # noqa: E402
from tierdesk.tickets.models import Ticket  # noqa: E402
from tierdesk.tickets.queries import visible_tickets  # noqa: E402
from tierdesk.tickets.queues import active_tickets  # noqa: E402


def best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    agent = User.objects.filter(role=Role.AGENT, memberships__tier__level=1).first()
    tier_id = agent.memberships.first().tier_id
    other = Ticket.objects.filter(tier__level=2).order_by("-id").values_list("pk", flat=True)[5]
    queue = visible_tickets(agent).filter(tier_id=tier_id)
    print(f"tickets: {Ticket.objects.count():,}; agent: {agent.username}")
    one = visible_tickets(agent).filter(pk=other)
    print(f"visibility of one ticket: {best_of(5, one.exists):.1f} ms")
    first_page = queue.order_by("-created_at", "-id")[:25]
    print(f"queue first page (25): {best_of(5, lambda: list(first_page.all())):.1f} ms")
    print(f"queue count, exact: {best_of(5, queue.count):.1f} ms")
    capped = queue.values("pk")[: COUNT_LIMIT + 1]
    print(f"queue count, up to {COUNT_LIMIT:,} (the API's): {best_of(5, capped.count):.1f} ms")
    desk = active_tickets(agent).filter(tier_id=tier_id)
    desk_page = desk.order_by("-created_at", "-id")[:25]
    desk_ms = best_of(5, lambda: list(desk_page.all()))
    print(f"desk queue (active) first page (25): {desk_ms:.1f} ms")
    print(f"desk queue (active) count: {best_of(5, desk.count):.1f} ms")


if __name__ == "__main__":
    main()
