"""SLA sweep benchmark: how long one sweep takes over a million open tickets, and how fast
due times are computed when tickets are imported.

    TIERDESK_DATA_DIR=/tmp/bench-sla TIERDESK_SECRET_KEY=bench .venv/bin/python bench/sla_sweep.py
    TIERDESK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tierdesk_bench \\
        TIERDESK_SECRET_KEY=bench .venv/bin/python bench/sla_sweep.py

It migrates the database named by TIERDESK_DATABASE_URL (else SQLite in TIERDESK_DATA_DIR),
creates --tickets open tickets (subject "bench-sla") whose resolution clock is set, --due-percent
of them past their warning and due time, then runs --runs sweeps. Before each sweep the markers
of the due tickets are cleared and their SLA events deleted (not timed), so every sweep records
one warning and one breach per due ticket: the worst case, a whole backlog falling due at once.
Also times a sweep with nothing due (the cost of the periodic job on a quiet minute). Use a
database of its own: the bench refuses to run where other tickets exist.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.settings")
os.environ.setdefault("TIERDESK_DATA_DIR", "/tmp/tierdesk-bench-sla")
os.environ.setdefault("TIERDESK_SECRET_KEY", "bench-only")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from tierdesk.accounts.models import Organization, Tier, User  # noqa: E402
from tierdesk.sla import services  # noqa: E402
from tierdesk.sla.models import Policy  # noqa: E402
from tierdesk.sla.services import deadline, schedule_of, terms_for_organization  # noqa: E402
from tierdesk.tickets.models import Event, Ticket  # noqa: E402
from tierdesk.tickets.sweeps import sweep  # noqa: E402

SUBJECT = "bench-sla"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def create_tickets(count: int, due_percent: float, now: datetime) -> None:
    existing = Ticket.objects.filter(subject=SUBJECT).count()
    if Ticket.objects.exclude(subject=SUBJECT).exists():
        sys.exit("This database has real tickets: run the bench on a database of its own.")
    if existing == count:
        print(f"reusing {count:,} bench tickets")
        return
    started = time.perf_counter()
    Event.objects.filter(ticket__subject=SUBJECT).delete()
    Ticket.objects.filter(subject=SUBJECT).delete()
    organization, _ = Organization.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    requester, _ = User.objects.get_or_create(
        username="bench-requester", defaults={"organization": organization}
    )
    tier = Tier.objects.filter(level=1).first()
    later = now + timedelta(days=30)
    Ticket.objects.create(
        subject=SUBJECT,
        description="bench",
        requester=requester,
        organization=organization,
        priority="P3",
        channel="api",
        status="open",
        tier=tier,
        created_at=now - timedelta(days=1),
        updated_at=now,
        sla_policy=Policy.objects.filter(is_default=True).first(),
        sla_policy_reason="default",
        resolution_warn_at=later,
        resolution_due=later,
        clock_checkpoint_at=now,
    )
    table = connection.ops.quote_name(Ticket._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(field.column)
        for field in Ticket._meta.concrete_fields
        if not field.primary_key
    )
    with connection.cursor() as cursor:
        total = 1
        while total < count:
            batch = min(total, count - total)
            with transaction.atomic():
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table} "
                    f"WHERE subject = %s ORDER BY id LIMIT %s",
                    [SUBJECT, batch],
                )
            total += batch
        step = round(100 / due_percent)
        past = connection.ops.adapt_datetimefield_value(now - timedelta(minutes=5))
        cursor.execute(
            f"UPDATE {table} SET resolution_warn_at = %s, resolution_due = %s "
            f"WHERE subject = %s AND id %% %s = 0",
            [past, past, SUBJECT, step],
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"created {count:,} tickets in {time.perf_counter() - started:.1f} s")


def reset_due() -> int:
    table = connection.ops.quote_name(Ticket._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET resolution_warned_at = NULL, resolution_breached_at = NULL "
            f"WHERE resolution_warned_at IS NOT NULL OR resolution_breached_at IS NOT NULL"
        )
        reset = cursor.rowcount
    Event.objects.filter(kind__startswith="sla.").delete()
    return reset


def time_sweeps(runs: int, now: datetime) -> tuple[list[float], dict]:
    timings = []
    counts: dict = {}
    for _ in range(runs):
        reset_due()
        started = time.perf_counter()
        counts = sweep(now=now)
        timings.append(time.perf_counter() - started)
    return timings, counts


def computation_rate(samples: int) -> float:
    """Tickets per second for which first-response, resolution and tier due times (and their
    warnings) are computed on the default policy's office-hours calendar."""
    policy = Policy.objects.select_related("calendar").get(is_default=True)
    schedule = schedule_of(policy.calendar)
    rng = random.Random(7)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    starts = [base + timedelta(minutes=rng.randint(0, 365 * 24 * 60)) for _ in range(samples)]
    started = time.perf_counter()
    for start in starts:
        deadline(schedule, start, 240, timedelta(0), 0.75)
        deadline(schedule, start, 1620, timedelta(0), 0.75)
        deadline(schedule, start, 120, timedelta(0), 0.75)
    return samples / (time.perf_counter() - started)


def terms_lookup_times(samples: int) -> tuple[float, float]:
    """Microseconds per SLA-terms lookup when a ticket is created: through the per-process
    cache (one revision query) and read afresh (what every create did before the cache)."""
    organization = Organization.objects.get(slug="bench")
    terms_for_organization(organization.pk, "P3")  # warm the cache
    started = time.perf_counter()
    for _ in range(samples):
        terms_for_organization(organization.pk, "P3")
    cached = (time.perf_counter() - started) / samples * 1e6
    started = time.perf_counter()
    for _ in range(samples):
        policy_id, reason = services._policy_id_for_organization(organization.pk)
        services._load_terms(policy_id, reason)
    fresh = (time.perf_counter() - started) / samples * 1e6
    return cached, fresh


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--due-percent", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--samples", type=int, default=20_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    now = datetime.now(UTC)
    print(f"database: {connection.vendor}")
    create_tickets(args.tickets, args.due_percent, now)
    timings, counts = time_sweeps(args.runs, now)
    print(f"sweep records {counts}")
    print(
        f"sweep, {args.due_percent:g} % due: p50 {statistics.median(timings):.3f} s, "
        f"p95 {percentile(timings, 0.95):.3f} s, min {min(timings):.3f} s ({args.runs} runs)"
    )
    quiet = []
    for _ in range(args.runs):
        started = time.perf_counter()
        sweep(now=now)  # everything already recorded
        quiet.append(time.perf_counter() - started)
    print(
        f"sweep, nothing due: p50 {statistics.median(quiet) * 1000:.1f} ms, "
        f"p95 {percentile(quiet, 0.95) * 1000:.1f} ms"
    )
    print(f"due-time computation: {computation_rate(args.samples):,.0f} tickets/s")
    cached, fresh = terms_lookup_times(2000)
    print(f"SLA terms for a new ticket: {cached:.0f} µs cached, {fresh:.0f} µs read afresh")


if __name__ == "__main__":
    main()
