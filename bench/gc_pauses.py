"""Python's garbage collector in a web process: how often each generation is collected, how
long a collection pauses the request it falls in, and its share of the time, while the WSGI
application (``tierdesk.wsgi.application``, as gunicorn serves it) answers a loop of four
requests: the desk queue page, the desk ticket page, the queue API and a ticket's detail.
Run with the data set's environment (``tierdesk bench seed``):

    TIERDESK_DATA_DIR=/work/benchdata/small TIERDESK_SECRET_KEY=bench \\
    .venv/bin/python bench/gc_pauses.py [--loops 400] [--no-freeze]

``--no-freeze`` serves the same requests without the freeze after warm-up, for comparison.
Prints a Markdown table. It issues an API token and signs the agent in, so run it on a copy.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
import time
from wsgiref.util import setup_testing_defaults

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from tierdesk import wsgi  # noqa: E402
from tierdesk.accounts.actions import issue_api_token  # noqa: E402
from tierdesk.accounts.models import User  # noqa: E402
from tierdesk.operations.bench.scenarios import PERSONAS  # noqa: E402
from tierdesk.tickets.models import Ticket  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loops", type=int, default=400, help="measured loops of four requests")
    parser.add_argument("--no-freeze", action="store_true", help="never freeze (for comparison)")
    args = parser.parse_args()

    agent = User.objects.get(username=PERSONAS["agent"])
    _token, plaintext = issue_api_token(user=agent, name="gc pauses")
    browser = Client()
    browser.force_login(agent)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    ticket_id = Ticket.objects.filter(tier__level=1).order_by("-id").values_list("id", flat=True)[0]
    requests = [
        ("/desk/queues/tier-1/", "", {"HTTP_COOKIE": cookie}),
        (f"/desk/tickets/{ticket_id}/", "", {"HTTP_COOKIE": cookie}),
        ("/api/v1/tickets", "tier=1", {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}),
        (f"/api/v1/tickets/{ticket_id}", "", {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}),
    ]
    application = wsgi.FreezeAfterWarmUp(
        wsgi.application.application, warm_up=sys.maxsize if args.no_freeze else 5
    )

    def serve(path: str, query: str, headers: dict) -> None:
        environ = {
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT_LANGUAGE": "id",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            **headers,
        }
        setup_testing_defaults(environ)
        statuses = []
        response = application(environ, lambda status, _headers, *_: statuses.append(status))
        try:
            for _chunk in response:
                pass
        finally:
            response.close()
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{path}: {statuses[0]}")

    for _ in range(3):  # warm-up: 12 requests, past the freeze
        for request in requests:
            serve(*request)
    tracked, frozen = len(gc.get_objects()), gc.get_freeze_count()

    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started = [0.0]

    def timer(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses[info["generation"]].append(time.perf_counter() - started[0])

    gc.callbacks.append(timer)
    begun = time.perf_counter()
    for _ in range(args.loops):
        for request in requests:
            serve(*request)
    elapsed = time.perf_counter() - begun
    gc.callbacks.remove(timer)

    mode = "without freeze" if args.no_freeze else "frozen after warm-up"
    print(f"{mode}: {tracked:,} objects tracked, {frozen:,} frozen;", end=" ")
    print(f"{args.loops * 4:,} requests in {elapsed:.1f} s\n")
    print("| generation | collections | longest pause | all pauses | share of the time |")
    print("| --- | --- | --- | --- | --- |")
    for generation, times in pauses.items():
        longest = max(times, default=0.0) * 1000
        total = sum(times)
        print(
            f"| {generation} | {len(times)} | {longest:.1f} ms | {total * 1000:.0f} ms"
            f" | {total / elapsed * 100:.2f} % |"
        )


if __name__ == "__main__":
    main()
