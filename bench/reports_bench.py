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
fifth of the resolutions get a rating, and tickets without an SLA policy get the default
one (so time in tier is also computed in business time, on its office-hours calendar, as on
a desk with SLAs). Point it at a throw-away database (a copy of the shared one).
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


def give_policies() -> int:
    """The seed predates SLAs: measure its tickets by the default policy (business time)."""
    from tierdesk.sla.models import Policy
    from tierdesk.tickets.models import Ticket

    default = Policy.objects.filter(is_default=True).first()
    if default is None:
        return 0
    return Ticket.objects.filter(sla_policy__isnull=True).update(sla_policy=default)


def timed(function, runs: int) -> str:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return (
        f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms, "
        f"p99 {percentile(timings, 0.99):.1f} ms ({runs} runs); load {load_average()}"
    )


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
    started = time.monotonic()
    given = give_policies()
    print(f"tickets given the default SLA policy {given:,} ({time.monotonic() - started:.0f} s)")

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

    from tierdesk.accounts.models import Organization, Team
    from tierdesk.reports.measures import sla_by_organization
    from tierdesk.reports.shiftleft import resolutions_matching_articles
    from tierdesk.tickets.models import Category

    biggest = (
        Organization.objects.annotate(n=Count("tickets")).order_by("-n").values_list("slug", "n")
    ).first()
    category = (
        Category.objects.annotate(n=Count("tickets")).order_by("-n").values_list("slug", "n")
    ).first()
    team = (
        Team.objects.annotate(n=Count("tickets")).order_by("-n").values_list("slug", "n")
    ).first()
    recent = parse_filter()  # the last 30 days, to learn "today"
    year_start, year_end = str(recent.end - timedelta(days=364)), str(recent.end)
    cases = {
        "year, whole desk": parse_filter(year_start, year_end),
        f"year, largest organization ({biggest[1]:,} tickets)": parse_filter(
            year_start, year_end, biggest[0]
        ),
        f"year, largest category ({category[0]}, {category[1]:,} tickets)": parse_filter(
            year_start, year_end, category=category[0]
        ),
        f"year, busiest team ({team[0]})": parse_filter(year_start, year_end, team=team[0]),
        "year, largest organization and category": parse_filter(
            year_start, year_end, biggest[0], category[0]
        ),
        "last 30 days, whole desk": recent,
    }
    for name, report_filter in cases.items():
        print(
            f"tier report with every measure, {name}: "
            + timed(lambda f=report_filter: tier_report(f).as_api(), arguments.runs)
        )
    year = cases["year, whole desk"]
    runs = max(5, arguments.runs // 4)
    print("weekly trend, year, whole desk: " + timed(lambda: weekly_trend(year), runs))
    print("SLA per organization, year: " + timed(lambda: sla_by_organization(year), runs))
    print(
        "shift-left article matches (20 searches), year: "
        + timed(lambda: resolutions_matching_articles(year), runs)
    )
    numbers = tier_report(year).as_api()
    print({key: numbers[key] for key in ("pyramid", "l1_share", "fcr_rate", "time_in_tier")})
    print({key: numbers[key] for key in ("time_in_tier_business", "escalations", "sla")})


if __name__ == "__main__":
    main()
