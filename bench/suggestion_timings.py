"""Article suggestions for a new ticket's text (what the e-mail receipt and the portal's
ticket form compute), timed in one process against a seeded database (``tierdesk bench
seed``), searched as a description (decision 0008) and, for comparison, as a query typed in
the search box. Read-only. Run with TIERDESK_DATABASE_URL pointing at the data set:

    TIERDESK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tierdesk_run \\
    TIERDESK_SECRET_KEY=x .venv/bin/python bench/suggestion_timings.py [--texts 200]

Texts: the create scenario's ticket (``NEW_TICKET``, a new number each time) and the subject
and description of the newest seeded tickets (not the create scenario's). Prints a Markdown
table: wall time per suggestion (median, p95), the Python CPU time of this process per
suggestion (the rest of the wall time is the database and the round trips), and the
articles found per text.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.settings")
django.setup()

from tierdesk.kb.indexing import ARTICLE  # noqa: E402
from tierdesk.kb.models import ArticleStatus  # noqa: E402
from tierdesk.operations.bench.scenarios import NEW_TICKET  # noqa: E402
from tierdesk.search import index  # noqa: E402
from tierdesk.tickets.models import Ticket  # noqa: E402

WARM_UP = 20
NEW_TICKET_FIELDS = json.loads(NEW_TICKET)
# The create scenario's tickets (left out of the seeded ones).
BENCH_SUBJECT = NEW_TICKET_FIELDS["subject"].split("%")[0]


def suggest(text: str, *, description: bool) -> int:
    """What ``kb.queries.suggest_articles`` asks of the index (customer's view, three
    articles, as for a receipt), with ``description`` chosen here."""
    return len(
        index.search(
            text,
            kinds={ARTICLE: index.Visibility(scopes=["public"])},
            filters={"status": [ArticleStatus.PUBLISHED]},
            limit=3,
            description=description,
        ).hits
    )


def measure(texts: list[str], *, description: bool) -> tuple[float, float, float, float]:
    for text in texts[:WARM_UP]:
        suggest(text, description=description)
    walls, found = [], 0
    cpu = time.process_time()
    for text in texts:
        start = time.perf_counter()
        found += suggest(text, description=description)
        walls.append((time.perf_counter() - start) * 1000)
    cpu_ms = (time.process_time() - cpu) * 1000 / len(texts)
    p95 = statistics.quantiles(walls, n=20)[-1]
    return statistics.median(walls), p95, cpu_ms, found / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=200)
    count = parser.parse_args().texts
    seeded = [
        f"{subject} {description}"
        for subject, description in Ticket.objects.exclude(subject__startswith=BENCH_SUBJECT)
        .order_by("-pk")
        .values_list("subject", "description")[:count]
    ]
    created = [
        f"{NEW_TICKET_FIELDS['subject'] % number} {NEW_TICKET_FIELDS['description']}"
        for number in range(count)
    ]
    print("| texts | searched as | median ms | p95 ms | Python CPU ms | articles found |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, texts in (("create scenario", created), ("seeded tickets", seeded)):
        for description in (False, True):
            median, p95, cpu, found = measure(texts, description=description)
            mode = "description" if description else "query"
            print(f"| {name} | {mode} | {median:.2f} | {p95:.2f} | {cpu:.2f} | {found:.2f} |")


if __name__ == "__main__":
    main()
