"""A background worker steps back for the web processes on a shared machine (decision 0007)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def niceness(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except FileNotFoundError:
        return None
    return int(fields[16])  # field 19 of stat: nice


def test_the_worker_lowers_its_cpu_priority_as_configured(tmp_path):
    environment = {
        **os.environ,
        "TIERDESK_DATA_DIR": str(tmp_path / "var"),
        "TIERDESK_SECRET_KEY": "worker-priority",
        "TIERDESK_WORKER_NICE": "7",
    }
    environment.pop("TIERDESK_DATABASE_URL", None)  # its own SQLite file
    subprocess.run(
        [sys.executable, "-m", "tierdesk.cli", "migrate", "-v0"], env=environment, check=True
    )
    # Niceness stops at 19: a test run that is itself niced (a background job) sees less.
    expected = min(os.nice(0) + 7, 19)
    worker = subprocess.Popen(
        [sys.executable, "-m", "tierdesk.cli", "worker", "--no-scheduler"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while niceness(worker.pid) != expected and time.monotonic() < deadline:
            assert worker.poll() is None, "the worker stopped"
            time.sleep(0.2)
        assert niceness(worker.pid) == expected
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_the_default_steps_back_on_postgresql_only():
    code = "import django; django.setup(); from django.conf import settings; " + (
        "print(settings.TIERDESK_WORKER_NICE)"
    )

    def default_for(url: str | None) -> str:
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tierdesk.settings"}
        environment.pop("TIERDESK_WORKER_NICE", None)
        environment.pop("TIERDESK_DATABASE_URL", None)
        if url:
            environment["TIERDESK_DATABASE_URL"] = url
            environment["TIERDESK_SECRET_KEY"] = "worker-priority"
        done = subprocess.run(
            [sys.executable, "-c", code], env=environment, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert default_for(None) == "0"  # SQLite: the one write lock must not wait for a CPU
    assert default_for("postgres://tierdesk@db.invalid:5432/tierdesk") == "10"
