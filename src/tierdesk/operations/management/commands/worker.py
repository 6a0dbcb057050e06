"""tierdesk worker: run background jobs from the shared database queue."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run a background worker: it takes jobs (notifications, index updates, sweeps) from the "
        "queue in the database. Start as many as you like, on any machine that reaches the "
        "database. SIGTERM or Ctrl-C stops it after the current job."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run the jobs waiting now, then exit."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls of an empty queue."
        )

    def handle(self, *args, once: bool, interval: float, **options) -> None:
        call_command(
            "db_worker",
            queue_name="*",
            interval=interval,
            batch=once,
            startup_delay=not once,
            verbosity=options["verbosity"],
        )
