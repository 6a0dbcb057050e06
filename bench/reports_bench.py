"""Tier report speed over a year of tickets: the roll-up backfill, the minute job, and the
report itself (p50/p95/p99), on whatever database TIERDESK_DATABASE_URL names (SQLite in
TIERDESK_DATA_DIR by default).

    TIERDESK_DATA_DIR=/tmp/bench-reports TIERDESK_SECRET_KEY=x \\
      .venv/bin/python bench/reports_bench.py --tickets 1000000
    TIERDESK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tierdesk_reports_bench \\
      TIERDESK_DATA_DIR=/tmp/bench-reports TIERDESK_SECRET_KEY=x \\
      .venv/bin/python bench/reports_bench.py --tickets 1000000

The data set is `tierdesk bench seed`'s (operations/bench/seed.py: one year, realistic
timelines and tier periods, 74 % solved at L1), loaded when the database has none; then a
fifth of the resolutions get a rating. Point it at a throw-away database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.settings")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def add_ratings(share: float = 0.2) -> int:
    """Rate a fifth of the resolutions (scores skewed high, as on real desks), in bulk."""
    from django.db import transaction

    from tierdesk.tickets.models import Event, EventKind, SatisfactionRating, Ticket

    if SatisfactionRating.objects.exists():
        return SatisfactionRating.objects.count()
    rng = random.Random(11)
    requesters = dict(Ticket.objects.values_list("pk", "requester_id").iterator(chunk_size=20000))
    batch: list[SatisfactionRating] = []
    made = 0
    resolutions = (
        Event.objects.filter(kind=EventKind.RESOLVED)
        .order_by("id")
        .values_list("pk", "ticket_id", "created_at")
        .iterator(chunk_size=20000)
    )
    for event_id, ticket_id, at in resolutions:
        if rng.random() >= share:
            continue
        batch.append(
            SatisfactionRating(
                ticket_id=ticket_id,
                resolution_id=event_id,
                score=rng.choices([1, 2, 3, 4, 5], weights=[4, 6, 15, 35, 40])[0],
                rated_by_id=requesters[ticket_id],
                created_at=at + timedelta(hours=rng.randint(1, 72)),
            )
        )
        if len(batch) >= 20000:
            with transaction.atomic():
                SatisfactionRating.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    with transaction.atomic():
        SatisfactionRating.objects.bulk_create(batch)
    return made + len(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=60, help="Timed reports per case.")
    parser.add_argument(
        "--skip-backfill", action="store_true", help="Reuse the roll-ups already built."
    )
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from tierdesk.operations.bench.seed import Seeder, bench_data_present
    from tierdesk.reports.periods import parse_filter
    from tierdesk.reports.rollup import refresh_rollups
    from tierdesk.reports.tiers import tier_report, weekly_trend
    from tierdesk.tickets.models import Event, Ticket, TierPeriod

    print(f"database: {connection.vendor}; load average at start: {load_average()}")
    call_command("migrate", verbosity=0)
    if not bench_data_present():
        started = time.monotonic()
        totals = Seeder(tickets=arguments.tickets, seed=7).run(progress=print)
        print(f"seeded {totals} in {time.monotonic() - started:.0f} s")
    tickets = Ticket.objects.count()
    print(
        f"tickets {tickets:,}, events {Event.objects.count():,}, "
        f"tier periods {TierPeriod.objects.count():,}"
    )
    started = time.monotonic()
    print(f"ratings {add_ratings():,} ({time.monotonic() - started:.0f} s)")

    if not arguments.skip_backfill:
        started = time.monotonic()
        result = refresh_rollups(full=True)
        print(
            f"backfill (refresh_rollups full): {time.monotonic() - started:.1f} s, "
            f"{result['days']} days, {result['rows']:,} roll-up rows; load {load_average()}"
        )
    started = time.monotonic()
    refresh_rollups()
    print(
        f"minute job with nothing new (today + yesterday): {time.monotonic() - started:.2f} s; "
        f"load {load_average()}"
    )

    from tierdesk.accounts.models import Organization

    biggest = (
        Organization.objects.annotate(n=Count("tickets")).order_by("-n").values_list("slug", "n")
    ).first()
    year = parse_filter()  # the last 30 days, to learn "today"
    cases = {
        "year, whole desk": parse_filter(str(year.end - timedelta(days=364)), str(year.end)),
        f"year, largest organization ({biggest[1]:,} tickets)": parse_filter(
            str(year.end - timedelta(days=364)), str(year.end), biggest[0]
        ),
        "last 30 days, whole desk": year,
    }
    for name, report_filter in cases.items():
        timings = []
        for _ in range(arguments.runs):
            started = time.perf_counter()
            tier_report(report_filter).as_api()
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"tier report, {name}: p50 {statistics.median(timings):.1f} ms, "
            f"p95 {percentile(timings, 0.95):.1f} ms, p99 {percentile(timings, 0.99):.1f} ms "
            f"({arguments.runs} runs); load {load_average()}"
        )
    timings = []
    for _ in range(max(5, arguments.runs // 4)):
        started = time.perf_counter()
        weekly_trend(cases["year, whole desk"])
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"weekly trend, year, whole desk: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms; load {load_average()}"
    )
    print(tier_report(cases["year, whole desk"]).as_api())


if __name__ == "__main__":
    main()
