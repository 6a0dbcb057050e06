"""Housekeeping jobs of the worker itself."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from tierdesk.operations.scheduler import prune

KEEP_FINISHED_TASKS = timedelta(days=7)


@task()
def prune_finished_tasks() -> int:
    """Forget finished background jobs after a week, and old scheduler claims."""
    cutoff = timezone.now() - KEEP_FINISHED_TASKS
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted + prune()
