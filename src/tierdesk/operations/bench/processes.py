"""The server's processes and their memory, read from /proc while the load runs."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

SAMPLE_SECONDS = 0.25


def _read(pid: int, name: str) -> str:
    try:
        return Path(f"/proc/{pid}/{name}").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _read(int(entry.name), "stat")
            # The parent pid follows the command name, which is in parentheses.
            fields = stat.rpartition(")")[2].split()
            if len(fields) > 1 and fields[1] == str(pid):
                found.append(int(entry.name))
    return found


def memory_kb(pid: int) -> dict[str, int]:
    """Current (VmRSS) and peak (VmHWM) resident memory of a process, in kB."""
    values = {}
    for line in _read(pid, "status").splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time a process has used, in clock ticks."""
    fields = _read(pid, "stat").rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12]) if len(fields) > 12 else 0


def database_backends(name: str) -> list[int]:
    """PostgreSQL server processes serving database ``name`` (from their process titles)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            title = _read(int(entry.name), "cmdline").replace("\x00", " ")
            if title.startswith("postgres:") and f" {name} " in title:
                found.append(int(entry.name))
    return found


class ProcessWatch:
    """Samples the resident memory of ``tierdesk run`` and everything it started."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.roles: dict[int, str] = {}
        self._discover()
        self.window: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._lock = threading.Lock()

    def _discover(self) -> None:
        self.roles = {self.root: "tierdesk run"}
        for child in _children(self.root):
            command = _read(child, "cmdline").replace("\x00", " ")
            if "gunicorn" in command:
                self.roles[child] = "gunicorn master"
                for worker in _children(child):
                    self.roles[worker] = "web worker"
            else:
                self.roles[child] = "background worker"

    def web_workers(self) -> list[int]:
        self._discover()
        return [pid for pid, role in self.roles.items() if role == "web worker"]

    def start(self) -> None:
        self._thread.start()

    def cpu_ticks_by_process(self, database: str = "") -> dict[tuple[str, int], int]:
        """CPU clock ticks used so far by each web worker, by the background worker, and by
        each PostgreSQL backend of ``database`` when given (SQLite works inside the web
        workers and the worker; PostgreSQL's figure holds the worker's queries too)."""
        used = {("web", pid): cpu_ticks(pid) for pid in self.web_workers()}
        used |= {
            ("worker", pid): cpu_ticks(pid)
            for pid, role in self.roles.items()
            if role == "background worker"
        }
        if database:
            used |= {("database", pid): cpu_ticks(pid) for pid in database_backends(database)}
        return used

    @staticmethod
    def cpu_seconds_between(before: dict, after: dict) -> dict[str, float]:
        """CPU seconds per part used between two samples; processes that started in between
        count in full, those that ended count what they had used until the first sample."""
        tick = os.sysconf("SC_CLK_TCK")
        used: dict[str, float] = {}
        for key, ticks in after.items():
            used[key[0]] = used.get(key[0], 0) + max(ticks - before.get(key, 0), 0) / tick
        for key in before:
            used.setdefault(key[0], 0.0)
        return used

    def wait_idle(self, database: str = "", limit: float = 180) -> float:
        """Wait until the server stops working (requests left over from the last run finish):
        the web workers and, on PostgreSQL, the database's backends; returns seconds waited.
        The background worker is left out: its backlog (a create run's receipts) is waited
        for by what it is, in ``runner._drain_background_work``."""
        started = time.monotonic()
        tick = os.sysconf("SC_CLK_TCK")
        before = self.cpu_ticks_by_process(database)
        while time.monotonic() - started < limit:
            time.sleep(0.5)
            after = self.cpu_ticks_by_process(database)
            busy = sum(
                max(t - before.get(key, 0), 0) for key, t in after.items() if key[0] != "worker"
            )
            if busy <= 0.02 * tick:  # under 4 % of one CPU in half a second
                break
            before = after
        return time.monotonic() - started

    def stop(self) -> None:
        self._stop.set()

    def reset_window(self) -> None:
        with self._lock:
            self.window = {}

    def _loop(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            with self._lock:
                for pid in list(self.roles):
                    rss = memory_kb(pid).get("VmRSS")
                    if rss is not None:
                        self.window[pid] = max(self.window.get(pid, 0), rss)

    def window_peaks(self) -> list[dict]:
        """The highest resident memory seen per process since ``reset_window``."""
        with self._lock:
            return [
                {"pid": pid, "role": self.roles[pid], "rss_mb": round(kb / 1024, 1)}
                for pid, kb in sorted(self.window.items())
            ]

    def peaks(self) -> list[dict]:
        """Each process's peak resident memory since it started (VmHWM), in MB."""
        self._discover()
        peaks = []
        for pid, role in sorted(self.roles.items()):
            memory = memory_kb(pid)
            if memory:
                peaks.append(
                    {
                        "pid": pid,
                        "role": role,
                        "peak_rss_mb": round(memory.get("VmHWM", 0) / 1024, 1),
                        "rss_mb": round(memory.get("VmRSS", 0) / 1024, 1),
                    }
                )
        return peaks
