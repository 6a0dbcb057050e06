"""Periodic jobs: each time slot runs once, however many workers race for it."""

from __future__ import annotations

import logging
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tierdesk.operations.models import ScheduledRun
from tierdesk.operations.scheduler import run_due_jobs

JOB = "tierdesk.operations.tasks.prune_finished_tasks"


@pytest.fixture
def one_job(settings):
    settings.TIERDESK_PERIODIC_JOBS = [(JOB, 60)]


@pytest.mark.django_db
def test_a_slot_is_claimed_once_and_the_next_slot_again(one_job):
    assert run_due_jobs("worker-a", now=6000.0) == [JOB]
    assert run_due_jobs("worker-b", now=6030.0) == []  # same minute
    assert run_due_jobs("worker-b", now=6060.0) == [JOB]  # next minute
    assert DBTaskResult.objects.count() == 2
    assert list(ScheduledRun.objects.values_list("claimed_by", flat=True)) == [
        "worker-a",
        "worker-b",
    ]


@pytest.mark.django_db(transaction=True)
def test_racing_workers_enqueue_each_slot_exactly_once(one_job):
    barrier = threading.Barrier(4)
    results = []

    def worker(name: str) -> None:
        barrier.wait()
        results.append(run_due_jobs(name, now=12000.0))
        connection.close()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(len(result) for result in results) == [0, 0, 0, 1]
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_worker_once_enqueues_and_runs_the_periodic_jobs(one_job):
    call_command("worker", "--once", stdout=StringIO(), stderr=StringIO())
    result = DBTaskResult.objects.get()
    assert result.task_path == JOB
    assert result.status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("level", "logged"), [("WARNING", False), ("INFO", True)])
def test_task_lines_follow_the_configured_level(one_job, settings, caplog, level, logged):
    # The database worker itself sets its loggers to INFO; TIERDESK_TASK_LOG_LEVEL wins.
    settings.LOGGING["loggers"]["django_tasks"]["level"] = level
    caplog.set_level(logging.INFO)  # the root logger's default: what reaches the log
    call_command("worker", "--once", stdout=StringIO(), stderr=StringIO())
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    lines = [r for r in caplog.records if r.name.startswith("django_tasks")]
    assert any("SUCCESSFUL" in r.getMessage() for r in lines) is logged
