"""Background work of the search index."""

from __future__ import annotations

from django_tasks import task

from tierdesk.search import index


@task()
def refresh_pending() -> int:
    """Bring the documents marked pending by ``index.changed`` up to date (a periodic job,
    every few seconds; idempotent and safe on several workers)."""
    return index.refresh_pending()
