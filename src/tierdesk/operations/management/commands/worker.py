"""tierdesk worker: run background jobs from the shared database queue."""

from __future__ import annotations

import logging
import os
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from tierdesk.operations.scheduler import run_due_jobs, run_scheduler


class _Worker(DatabaseWorker):
    """django-tasks' database worker, whose task lines follow TIERDESK_TASK_LOG_LEVEL: at the
    default verbosity it would set them to INFO, one line per task run."""

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity == 1:
            level = settings.LOGGING["loggers"]["django_tasks"]["level"]
            logging.getLogger(TASKS_LOGGER).setLevel(level)
            logging.getLogger("django_tasks_db").setLevel(level)


class Command(BaseCommand):
    help = (
        "Run a background worker: it takes jobs (notifications, index updates, sweeps) from the "
        "queue in the database and enqueues the periodic jobs when their time comes. Start as "
        "many as you like, on any machine that reaches the database: each periodic run is "
        "claimed by one of them. SIGTERM or Ctrl-C stops it after the current job."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run the jobs waiting now, then exit."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls of an empty queue."
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Do not enqueue periodic jobs from this worker (others still may).",
        )

    def handle(self, *args, once: bool, interval: float, no_scheduler: bool, **options) -> None:
        if settings.TIERDESK_WORKER_NICE and not once:  # a worker that stays, beside the web
            os.nice(settings.TIERDESK_WORKER_NICE)
        stop = threading.Event()
        if once:
            if not no_scheduler:
                run_due_jobs(worker="once")
        elif not no_scheduler:
            threading.Thread(
                target=run_scheduler, args=(stop,), name="scheduler", daemon=True
            ).start()
        try:
            call_command(
                _Worker(),
                queue_name="*",
                interval=interval,
                batch=once,
                startup_delay=not once,
                verbosity=options["verbosity"],
            )
        finally:
            stop.set()
