"""Background work of the search index."""

from __future__ import annotations

from django_tasks import task

from tierdesk.search import index


@task()
def refresh_pending() -> int:
    """Bring the documents marked pending by ``index.changed`` up to date (a periodic job,
    every few seconds; idempotent and safe on several workers)."""
    return index.refresh_pending()


@task()
def sync_recent() -> dict[str, tuple[int, int]]:
    """Keep the indexes of the newest documents to the newest ones (a periodic job, every
    minute; idempotent, one worker at a time does the work)."""
    return index.sync_recent()
