"""tierdesk bench: fill a database with a realistic data set, and measure the server under load."""

from __future__ import annotations

import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Benchmark harness. 'bench seed' fills the database (TIERDESK_DATABASE_URL) with a "
        "realistic, deterministic data set in bulk; 'bench run' starts the server as 'make run' "
        "would, seeds its database when the data set is missing, drives it with wrk and writes "
        "throughput, latency percentiles, errors and server memory to bench/results/. "
        "See docs/benchmarks.md."
    )

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        seed = commands.add_parser(
            "seed", help="Fill the database with organizations, people and tickets."
        )
        seed.add_argument(
            "--tickets",
            type=int,
            required=True,
            help="How many tickets (0: only add --articles to an existing bench data set).",
        )
        seed.add_argument(
            "--articles",
            type=int,
            default=0,
            help="Published knowledge-base articles (Indonesian/English pairs, public and "
            "internal), indexed for search.",
        )
        seed.add_argument("--seed", type=int, default=7, help="Random seed (default 7).")

        run = commands.add_parser("run", help="Start the server and drive it with wrk.")
        run.add_argument(
            "--scenario",
            action="append",
            help="Scenario to run (repeatable, or 'all'; default all). See --list.",
        )
        run.add_argument("--list", action="store_true", help="List the scenarios and exit.")
        run.add_argument(
            "--clients",
            type=int,
            action="append",
            help="Concurrent clients (repeatable; default 4).",
        )
        run.add_argument(
            "--duration", type=float, default=30, help="Seconds of load per scenario (default 30)."
        )
        run.add_argument(
            "--warmup", type=float, default=3, help="Seconds of unmeasured load first (default 3)."
        )
        run.add_argument(
            "--database-url",
            help="Database to run on (default: TIERDESK_DATABASE_URL, else a bench SQLite file "
            "in TIERDESK_DATA_DIR/bench/ named after the ticket count).",
        )
        run.add_argument(
            "--tickets",
            type=int,
            default=10_000,
            help="Data set size; seeded first when the database has no bench data (default 10000).",
        )
        run.add_argument(
            "--articles",
            type=int,
            default=500,
            help="Knowledge-base articles added when the data set has none yet (default 500).",
        )
        run.add_argument("--seed", type=int, default=7, help="Random seed of a new data set.")
        run.add_argument(
            "--web-workers", type=int, default=2, help="Server worker processes (default 2)."
        )
        run.add_argument(
            "--no-worker",
            action="store_true",
            help="Start the web server alone, without the background worker: what the requests "
            "cost without the mail, index and report jobs beside them on this machine.",
        )
        run.add_argument("--port", type=int, default=0, help="Port (default: a free one).")
        run.add_argument(
            "--results-dir", default="bench/results", help="Where to write JSON and Markdown."
        )
        run.add_argument(
            "--profile",
            action="store_true",
            help="Record a py-spy flame graph of one server worker per scenario (needs py-spy).",
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "seed":
            self._seed(**options)
        else:
            self._run(**options)

    def _seed(self, *, tickets: int, articles: int, seed: int, **options) -> None:
        from django.db import connection

        from tierdesk.operations.bench.articles import bench_articles_present, seed_articles
        from tierdesk.operations.bench.seed import bench_data_present
        from tierdesk.operations.bench.seed import seed as seed_data

        if tickets < 0 or articles < 0:
            raise CommandError("--tickets and --articles cannot be negative.")
        # A new database gets its tables first, as `tierdesk run` and `bench run` do.
        call_command("migrate", interactive=False, verbosity=0)
        if tickets == 0:
            if not articles:
                raise CommandError("--tickets must be at least 1 (or 0 with --articles).")
            if not bench_data_present():
                raise CommandError("--tickets 0 adds articles to a bench data set; none is here.")
            if bench_articles_present():
                raise CommandError("This bench data set already has its articles.")
            self._seed_articles(articles, seed, seed_articles)
            return
        if bench_data_present():
            raise CommandError(
                "This database already holds a bench data set; seed a fresh database instead."
            )
        self.stdout.write(f"Seeding {tickets:,} tickets on {connection.vendor} (seed {seed}) ...")
        totals = seed_data(tickets=tickets, seed=seed, progress=self.stdout.write)
        rows = totals["tickets"] + totals["events"] + totals["tier_periods"]
        self.stdout.write(
            f"Seeded {totals['tickets']:,} tickets, {totals['events']:,} timeline events, "
            f"{totals['tier_periods']:,} tier periods ({rows:,} rows), {totals['people']:,} "
            f"people in {totals['organizations']:,} organizations in {totals['seconds']} s: "
            f"{totals['rows_per_second']:,} rows/s."
        )
        build_search_index(self.stdout.write)
        if articles:
            self._seed_articles(articles, seed, seed_articles)

    def _seed_articles(self, articles: int, seed: int, seed_articles) -> None:
        self.stdout.write(f"Seeding {articles:,} knowledge-base articles ...")
        totals = seed_articles(count=articles, seed=seed, progress=self.stdout.write)
        self.stdout.write(
            f"Seeded {totals['articles']:,} articles in {totals['seconds']} s, "
            f"indexed in {totals['index_seconds']} s."
        )

    def _run(self, **options) -> None:
        from tierdesk.operations.bench import runner, scenarios

        if options.pop("list"):
            for scenario in scenarios.SCENARIOS.values():
                self.stdout.write(f"{scenario.name:<12} {scenario.description}")
            return
        try:
            code = runner.main(options, out=self.stdout.write)
        except runner.BenchError as error:
            raise CommandError(str(error)) from error
        if code:
            sys.exit(code)


def build_search_index(write) -> None:
    """Seeded tickets are old news to the server: index them now (when full-text search
    exists), so the background worker does not spend the benchmark catching up."""
    import time

    from django.core.management import get_commands

    if "reindex" not in get_commands():
        return
    write("Building the search index of the tickets (tierdesk reindex --kind ticket) ...")
    started = time.monotonic()
    call_command("reindex", kind=["ticket"], verbosity=0)
    from tierdesk.operations.bench.seed import vacuum

    vacuum(["search_document"])
    write(f"Search index built in {time.monotonic() - started:.1f} s.")


def build_report_rollups(write) -> None:
    """The report roll-ups of a seeded year, built once before measuring (``bench run``):
    otherwise the worker's minute job builds them from scratch during the first scenarios,
    taking a core from the server and SQLite's write lock for seconds at a time."""
    import time

    try:
        from tierdesk.reports.rollup import refresh_rollups, refreshed_at
    except ImportError:
        return
    if refreshed_at() is not None:
        return
    write("Building the report roll-ups of the data set (the worker's refresh, in full) ...")
    started = time.monotonic()
    refresh_rollups(full=True)
    write(f"Report roll-ups built in {time.monotonic() - started:.1f} s.")
