"""tierdesk reports refresh: bring the report roll-ups up to date now."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tierdesk.reports.rollup import refresh_rollups


class Command(BaseCommand):
    help = (
        "Report roll-ups. 'reports refresh' recomputes the days the timeline changed since "
        "the last run, as the worker does every minute; '--full' rebuilds every day (after "
        "changing TIERDESK_REOPEN_WINDOW_DAYS or loading history in bulk). Safe to run while "
        "workers run: only one refresh works at a time."
    )

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        refresh = commands.add_parser("refresh", help="Recompute the changed days (or all).")
        refresh.add_argument("--full", action="store_true", help="Rebuild every day.")

    def handle(self, *args, **options) -> None:
        result = refresh_rollups(full=options["full"])
        if result["skipped"]:
            self.stdout.write("Another refresh is running; nothing done.")
            return
        self.stdout.write(
            f"Recomputed {result['days']} days ({result['rows']} rows), "
            f"up to timeline event {result['last_event_id']}."
        )
