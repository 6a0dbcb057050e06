"""Each speed target's request timed in one process against a seeded database (``tierdesk
bench seed``): no HTTP server and no load generator, so the figures are the floor the code
itself sets. Run with TIERDESK_DATABASE_URL pointing at the data set:

    TIERDESK_DATABASE_URL=sqlite:////work/benchdata/perf/bench-1000000.sqlite3 \\
    TIERDESK_SECRET_KEY=x .venv/bin/python bench/request_timings.py [--requests 30]

Prints a Markdown table: best, median and p95 wall time per request, in milliseconds. It opens
tickets (the create row) and issues API tokens, so run it on a copy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.settings")
django.setup()

from django.test import Client  # noqa: E402

from tierdesk.accounts.actions import issue_api_token  # noqa: E402
from tierdesk.accounts.models import User  # noqa: E402
from tierdesk.operations.bench.scenarios import NEW_TICKET, PERSONAS, SEARCHES  # noqa: E402
from tierdesk.tickets.models import Ticket  # noqa: E402
from tierdesk.tickets.queries import visible_tickets  # noqa: E402

HOST = {"HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT_LANGUAGE": "id"}


def api_client(user: User) -> Client:
    _token, plaintext = issue_api_token(user=user, name="request timings")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}", **HOST)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    runs = parser.parse_args().requests
    agent = User.objects.get(username=PERSONAS["agent"])
    customer = User.objects.get(username=PERSONAS["customer"])
    as_agent, as_customer = api_client(agent), api_client(customer)
    browser = Client(**HOST)
    browser.force_login(agent)
    top = Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # Tickets the agent may see, older than the last few days (which the load runs change).
    ids = list(
        visible_tickets(agent)
        .filter(pk__lt=top - 5000, pk__gt=top - 200_000)
        .values_list("id", flat=True)[:400:10]
    ) or [top]

    def measure(name: str, call) -> None:
        for number in range(3):
            call(number)
        times = []
        for number in range(runs):
            started = time.perf_counter()
            response = call(number)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code < 300, (name, response.status_code)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"| {name} | {times[0]:.1f} / {statistics.median(times):.1f} / {p95:.1f} |")

    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("| request | best / median / p95 ms |\n| --- | --- |")
    measure("`GET /api/v1/tickets?tier=1`", lambda n: as_agent.get("/api/v1/tickets?tier=1"))
    measure("`GET /desk/queues/tier-1/`", lambda n: browser.get("/desk/queues/tier-1/"))
    measure(
        "`GET /api/v1/tickets/{id}`", lambda n: as_agent.get(f"/api/v1/tickets/{ids[n % len(ids)]}")
    )
    measure(
        "`GET /api/v1/tickets/{id}/timeline`",
        lambda n: as_agent.get(f"/api/v1/tickets/{ids[n % len(ids)]}/timeline"),
    )
    measure(
        "`GET /desk/tickets/{id}/`", lambda n: browser.get(f"/desk/tickets/{ids[n % len(ids)]}/")
    )
    measure(
        "`GET /api/v1/search?q=` (agent)",
        lambda n: as_agent.get("/api/v1/search", {"q": SEARCHES[n % len(SEARCHES)]}),
    )
    measure(
        "`GET /api/v1/kb/search?q=` (customer)",
        lambda n: as_customer.get("/api/v1/kb/search", {"q": SEARCHES[n % len(SEARCHES)]}),
    )
    measure(
        "`POST /api/v1/tickets` (customer)",
        lambda n: as_customer.post(
            "/api/v1/tickets", NEW_TICKET.replace("%d", str(n)), content_type="application/json"
        ),
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
