"""CPU instructions per request, counted by valgrind's callgrind, against a seeded database
(``tierdesk bench seed``). Wall time on a shared VM varies by tens of percent from run to run;
instruction counts repeat to a percent or two, so small changes to the code show.

Each request is run in a child process under callgrind twice: once with K requests and once
with none, after the same setup and five warm-up requests (then ``gc.collect()`` and
``gc.disable()``, with PYTHONHASHSEED=0). The setup cancels out: a figure is
(Ir(K) - Ir(0)) / K. On SQLite the database works in-process, so its instructions are
counted; on PostgreSQL only the client side is. Of the writes only ticket creation is
counted: each one opens a new ticket, so K of them do K times the same work; an escalation
or a reply changes the ticket it acts on, so the next one would not. Run with the data set's
environment:

    TIERDESK_DATA_DIR=/work/benchdata/small TIERDESK_SECRET_KEY=bench \\
    .venv/bin/python bench/request_instructions.py [--requests 10] [--only detail ...]

Needs valgrind (apt-get install valgrind); a child takes half a minute to two minutes. Prints
a Markdown table in millions of instructions per request. It replaces the API tokens named
"request instructions", signs the agent in and opens tickets, so run it on a copy of the
data set.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote_plus

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.settings")
django.setup()

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from tierdesk.accounts.actions import TOKEN_PREFIX  # noqa: E402
from tierdesk.accounts.models import ApiToken, User  # noqa: E402
from tierdesk.operations.bench.scenarios import NEW_TICKET, PERSONAS, SEARCHES  # noqa: E402
from tierdesk.tickets.models import Ticket  # noqa: E402

HOST = {"HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT_LANGUAGE": "id"}
TOKEN_NAME = "request instructions"
# Fixed plaintexts (as long as issued ones) so both runs of a request hash and look up the same.
TOKENS = {"agent": TOKEN_PREFIX + "a" * 43, "customer": TOKEN_PREFIX + "c" * 43}
QUERY = SEARCHES[0]
# name: (label, who asks, path); "browser" is the agent signed in to the desk. A request
# named in BODIES is a POST of that JSON.
ENDPOINTS = {
    "queue-api": ("`GET /api/v1/tickets?tier=1`", "agent", "/api/v1/tickets?tier=1"),
    "desk-queue": ("`GET /desk/queues/tier-1/`", "browser", "/desk/queues/tier-1/"),
    "detail": ("`GET /api/v1/tickets/{id}`", "agent", "/api/v1/tickets/{id}"),
    "timeline": ("`GET /api/v1/tickets/{id}/timeline`", "agent", "/api/v1/tickets/{id}/timeline"),
    "desk-ticket": ("`GET /desk/tickets/{id}/`", "browser", "/desk/tickets/{id}/"),
    "search": ("`GET /api/v1/search?q=` (agent)", "agent", "/api/v1/search?q={query}"),
    "kb-search": (
        "`GET /api/v1/kb/search?q=` (customer)",
        "customer",
        "/api/v1/kb/search?q={query}",
    ),
    "queue-bar": ("`GET /desk/queue-bar/`", "browser", "/desk/queue-bar/"),
    "create": ("`POST /api/v1/tickets` (customer)", "customer", "/api/v1/tickets"),
}
BODIES = {"create": NEW_TICKET}


def replace_tokens() -> None:
    """Delete the previous run's tokens and store the fixed ones, once, before the children."""
    ApiToken.objects.filter(name=TOKEN_NAME).delete()
    for persona, plaintext in TOKENS.items():
        ApiToken.objects.create(
            user=User.objects.get(username=PERSONAS[persona]),
            name=TOKEN_NAME,
            key_hash=hashlib.sha256(plaintext.encode()).hexdigest(),
            prefix=plaintext[:12],
            last_used_at=timezone.now(),
        )


def child(name: str, count: int) -> None:
    """The part callgrind counts: setup, warm-up, then ``count`` requests of one kind."""
    _label, who, path = ENDPOINTS[name]
    agent = User.objects.get(username=PERSONAS["agent"])
    if who == "browser":
        client = Client(**HOST)
        client.force_login(agent)
    else:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {TOKENS[who]}", **HOST)
    tier_one = Ticket.objects.filter(tier__level=1).order_by("-id").values_list("id", flat=True)
    ticket_id = (list(tier_one[100:101]) or list(tier_one[:1]) or [0])[0]
    url = path.format(id=ticket_id, query=quote_plus(QUERY))
    # Marked as used just now, so no request below writes last_used_at (once per 5 minutes).
    touched = ApiToken.objects.filter(name=TOKEN_NAME).update(last_used_at=timezone.now())
    assert touched == len(TOKENS), "no tokens: run without --child first"
    if name in BODIES:
        numbers = iter(range(1, 1_000_000))
        body = BODIES[name]
        expected = 201

        def request():
            data = body.replace("%d", str(next(numbers)))
            return client.post(url, data, content_type="application/json")

    else:
        expected = 200

        def request():
            return client.get(url)

    for _ in range(5):
        response = request()
        assert response.status_code == expected, (url, response.status_code)
    gc.collect()
    gc.disable()
    for _ in range(count):
        request()


def child_command(name: str, count: int | str) -> list[str]:
    return [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        os.path.abspath(__file__),
        "--child",
        name,
        str(count),
    ]


def instructions(name: str, count: int) -> int:
    """Instructions callgrind counted for one child run."""
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        child_command(name, count), env=environment, capture_output=True, text=True
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        sys.exit(f"{name} with {count} requests failed:\n{done.stderr[-3000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10, help="K, requests counted per run")
    parser.add_argument(
        "--only", nargs="+", choices=ENDPOINTS, metavar="NAME", help=", ".join(ENDPOINTS)
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="children at once")
    parser.add_argument("--child", nargs=2, metavar=("NAME", "K"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child[0], int(arguments.child[1]))
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind not found: apt-get install valgrind")
    names = arguments.only or list(ENDPOINTS)
    count = arguments.requests
    replace_tokens()
    with ThreadPoolExecutor(max_workers=arguments.jobs) as pool:
        runs = {(name, k): pool.submit(instructions, name, k) for name in names for k in (0, count)}
        counted = {key: run.result() for key, run in runs.items()}
    print("| request | M instructions / request |\n| --- | --- |")
    for name in names:
        per_request = (counted[name, count] - counted[name, 0]) / count
        print(f"| {ENDPOINTS[name][0]} | {per_request / 1e6:.2f} |")
    print(f"\ncommand: {shlex.join(['python', *sys.argv])}")
    each = shlex.join(child_command("NAME", "K"))
    print(f"each child: PYTHONHASHSEED=0 {each}, K = 0 and {count}")


if __name__ == "__main__":
    main()
