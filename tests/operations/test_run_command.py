"""`tierdesk run` for real: a fresh data directory, the embedded SQLite database, the demo
data on first start, the web server and the worker, Ctrl-C, and a second start.

No test database: the command runs in its own processes against its own data directory."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

START_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 30
DEMO_PASSWORD = "demo-test"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks: with the pid, it names one process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _is_running(pid: int, started: str) -> bool:
    """Whether that very process still runs (a zombie has finished; it is only unreaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    state = stat.rsplit(")", 1)[1].split()[0]
    return state != "Z" and _start_time(pid) == started


def descendants(pid: int) -> dict[int, tuple[str, str]]:
    """Every process below ``pid``: pid -> (start time, command line)."""
    found: dict[int, tuple[str, str]] = {}
    pending = [pid]
    while pending:
        parent = pending.pop()
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                pids = [int(child) for child in children.read_text().split()]
            except OSError:
                continue
            for child in pids:
                started = _start_time(child)
                try:
                    command = Path(f"/proc/{child}/cmdline").read_bytes()
                except OSError:
                    continue
                if started is not None:
                    found[child] = (started, command.replace(b"\0", b" ").decode())
                    pending.append(child)
    return found


class RunningTierdesk:
    """One `tierdesk run` on a data directory, spoken to over HTTP like a user would."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.children: dict[int, tuple[str, str]] = {}
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("TIERDESK_") and key != "DJANGO_SETTINGS_MODULE"
        }
        env.update(
            TIERDESK_DATA_DIR=str(data_dir),
            TIERDESK_PORT=str(self.port),
            TIERDESK_WEB_WORKERS="1",
            TIERDESK_DEMO_PASSWORD=DEMO_PASSWORD,
            PYTHONUNBUFFERED="1",
        )
        self._output = log.open("wb")
        # Its own session, as in a terminal: Ctrl-C reaches run and everything it started.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tierdesk.cli", "run"],
            env=env,
            cwd=data_dir.parent,
            stdin=subprocess.DEVNULL,
            stdout=self._output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        """Everything the instance printed so far."""
        self._output.flush()
        return self.log.read_text(errors="replace")

    def tail(self) -> str:
        """The end of the output, for failure messages."""
        return self.output()[-6000:]

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"tierdesk run exited with {self.process.returncode} before serving:\n"
                    + self.tail()
                )
            try:
                with urllib.request.urlopen(self.base + "/api/v1/openapi.json", timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        pytest.fail(f"tierdesk run did not serve within {START_TIMEOUT_SECONDS} s:\n" + self.tail())

    def request(
        self, method: str, path: str, body: dict | None = None, token: str | None = None
    ) -> tuple[int, bytes]:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        call = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(call, timeout=15) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def sign_in(self, username: str) -> str:
        status, body = self.request(
            "POST", "/api/v1/auth/token", {"username": username, "password": DEMO_PASSWORD}
        )
        assert status == 200, body
        return json.loads(body)["token"]

    def ticket_count(self, token: str, query: str = "") -> int:
        status, body = self.request("GET", "/api/v1/tickets" + query, token=token)
        assert status == 200, body
        return json.loads(body)["count"]

    def stop(self, *, whole_group: bool) -> int:
        """Ctrl-C: SIGINT to run alone, or to its whole process group as a terminal sends it."""
        if whole_group:
            os.killpg(self.process.pid, signal.SIGINT)
        else:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"tierdesk run did not stop within {STOP_TIMEOUT_SECONDS} s:\n" + self.tail()
            )

    def cleanup(self) -> None:
        """Whatever happened, leave no process of ours behind: run with its process group
        while it lives, and any child of it seen earlier that outlived it."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        for pid, (started, _command) in self.children.items():
            if _is_running(pid, started):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self._output.close()


@pytest.fixture
def start_tierdesk(tmp_path):
    data_dir = tmp_path / "var"
    started: list[RunningTierdesk] = []

    def start() -> RunningTierdesk:
        instance = RunningTierdesk(data_dir, tmp_path / f"run-{len(started) + 1}.log")
        started.append(instance)
        instance.wait_until_serving()
        return instance

    yield start
    for instance in started:
        instance.cleanup()


def journal_mode(database: Path) -> str:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return connection.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        connection.close()


def assert_stops_cleanly(instance: RunningTierdesk, *, whole_group: bool) -> None:
    children = instance.children = descendants(instance.process.pid)
    commands = " | ".join(command for _started, command in children.values())
    assert "gunicorn" in commands, commands
    assert "tierdesk.cli worker" in commands, commands
    assert len(children) >= 3, commands  # gunicorn master and worker, the task worker

    exit_code = instance.stop(whole_group=whole_group)

    assert exit_code == 0, instance.tail()
    assert "tierdesk stopped." in instance.tail()
    left = {
        pid: command for pid, (started, command) in children.items() if _is_running(pid, started)
    }
    assert left == {}, instance.tail()


def test_run_serves_the_demo_and_stops_cleanly_then_starts_again_unchanged(
    start_tierdesk, tmp_path
):
    data_dir = tmp_path / "var"
    database = data_dir / "tierdesk.sqlite3"

    first = start_tierdesk()

    assert "Loading the demo data" in first.output()

    agent_token = first.sign_in("agent1")
    assert first.ticket_count(agent_token, "?tier=1") > 0
    every_ticket = first.ticket_count(first.sign_in("lead"))
    assert every_ticket >= first.ticket_count(agent_token, "?tier=1")
    status, me = first.request("GET", "/api/v1/me", token=agent_token)
    assert status == 200, me
    assert json.loads(me)["tiers"] == [1]
    # The API docs' assets are served by tierdesk itself, so the docs work offline.
    status, _script = first.request("GET", "/static/ninja/swagger-ui-bundle.js")
    assert status == 200
    assert journal_mode(database) == "wal"
    secret_key = (data_dir / "secret_key").read_text()
    assert secret_key.strip()

    assert_stops_cleanly(first, whole_group=False)

    second = start_tierdesk()

    assert "Loading the demo data" not in second.output()
    assert second.ticket_count(second.sign_in("lead")) == every_ticket
    # The same key, so sessions and signed links survive a restart.
    assert (data_dir / "secret_key").read_text() == secret_key
    # A token issued before the restart still works after it.
    assert second.ticket_count(agent_token, "?tier=1") > 0
    assert journal_mode(database) == "wal"

    assert_stops_cleanly(second, whole_group=True)
