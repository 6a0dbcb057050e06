"""Periodic jobs (SLA sweeps, mailbox polling, ...) for any number of workers.

``settings.TIERDESK_PERIODIC_JOBS`` lists ``(dotted path of a django-tasks Task, interval
in seconds)``. Every worker runs :func:`run_scheduler` in a thread; each tick it tries to
claim the current time slot of each job by inserting a ``ScheduledRun`` row. The unique
constraint lets exactly one worker win a slot, and the winner enqueues the task, which any
worker then executes. Jobs must still be idempotent: a slot can be missed (no worker
running) and the next one catches up.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from tierdesk.operations.models import ScheduledRun

logger = logging.getLogger(__name__)

TICK_SECONDS = 5
KEEP_RUNS = timedelta(days=2)


def claim(job: str, slot: int, worker: str) -> bool:
    """Claim ``slot`` of ``job`` for ``worker``; False if another worker already has it."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job, slot=slot, claimed_by=worker)
    except IntegrityError:
        return False
    return True


def run_due_jobs(worker: str, now: float | None = None) -> list[str]:
    """Enqueue every job whose current slot nobody has claimed yet; returns those enqueued."""
    now = time.time() if now is None else now
    enqueued = []
    for path, interval in settings.TIERDESK_PERIODIC_JOBS:
        slot = int(now // interval)
        if claim(path, slot, worker):
            import_string(path).enqueue()
            enqueued.append(path)
    return enqueued


def prune() -> int:
    deleted, _ = ScheduledRun.objects.filter(claimed_at__lt=timezone.now() - KEEP_RUNS).delete()
    return deleted


def run_scheduler(stop: threading.Event, worker: str | None = None) -> None:
    """Claim and enqueue periodic jobs every few seconds until ``stop`` is set."""
    worker = worker or f"{socket.gethostname()}:{threading.get_native_id()}"
    ticks = 0
    while not stop.is_set():
        close_old_connections()
        try:
            run_due_jobs(worker)
            ticks += 1
            if ticks % 720 == 0:  # about hourly
                prune()
        except Exception:  # keep scheduling: one failing tick must not stop the worker
            logger.exception("periodic job scheduling failed; retrying next tick")
        stop.wait(TICK_SECONDS)
    connection.close()
