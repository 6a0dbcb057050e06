"""Background work of the search index."""

from __future__ import annotations

from django_tasks import task

from tierdesk.search.index import refresh


@task()
def refresh_documents(kind: str, object_ids: list[int]) -> int:
    """Bring the documents of these objects up to date (queued by ``index.changed`` once the
    owner's transaction commits). Idempotent: safe to run twice, on any worker."""
    return refresh(kind, object_ids)
