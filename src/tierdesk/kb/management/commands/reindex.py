"""``tierdesk reindex``: rebuild the search index from the articles and tickets."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from tierdesk.kb.indexing import ARTICLE, TICKET, reindex


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index (SQLite FTS5 or PostgreSQL) from the knowledge-base "
        "articles and the tickets. Safe to run while tierdesk serves: each batch commits on its "
        "own and searches keep working, finding a document again once its batch is in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            choices=[ARTICLE, TICKET],
            action="append",
            help="Rebuild only articles or only tickets (repeatable; default: both).",
        )

    def handle(self, *args, **options):
        kinds = options["kind"] or [ARTICLE, TICKET]
        started = time.monotonic()
        verbosity = options["verbosity"]

        def progress(kind: str, count: int) -> None:
            if verbosity > 1:
                self.stdout.write(f"{kind}: {count}")

        counts = reindex(kinds=kinds, progress=progress)
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count} {kind}s" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Indexed {summary} in {elapsed:.1f} s."))
