"""The worker job that keeps the report roll-ups in step with the timeline."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from tierdesk.reports.rollup import refresh_rollups


@task()
def refresh_report_rollups() -> dict[str, Any]:
    """Recompute the days the timeline changed since the last run (today and yesterday every
    half hour regardless). Idempotent; several workers at once is safe (one holds the lease,
    the others skip)."""
    return refresh_rollups()
