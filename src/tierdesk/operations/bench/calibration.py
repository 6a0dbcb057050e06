"""How fast the machine is while a run measures: the same code measured here a day apart
differed by up to twice its CPU per request (other tenants of the host, another host), so
each run first measures two things that never change and writes them beside its results.

- A WSGI application that does nothing, served by gunicorn with the run's number of
  workers and driven by wrk with four connections for a few seconds: what the machine's
  processes, sockets and scheduler allow (issue 7 gives "about 6,000 requests/s" for it).
- A fixed piece of pure Python (dictionaries, strings, calls), timed in this process, best
  of three: what Python code such as Django's runs at.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from typing import Any

# How long the bare application is driven, after a second of warm-up.
BARE_SECONDS = 3
BARE_CLIENTS = 4
START_SECONDS = 20
PYTHON_ROUNDS = 3


def application(environ, start_response):
    """The WSGI application that does nothing: two bytes, no framework."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def python_milliseconds() -> float:
    """Milliseconds for a fixed amount of everyday Python work, best of PYTHON_ROUNDS."""
    best = float("inf")
    for _round in range(PYTHON_ROUNDS):
        started = time.perf_counter()
        table: dict[str, int] = {}
        for number in range(200_000):
            key = f"key-{number % 997}"
            table[key] = table.get(key, 0) + len(key.upper())
        sorted(table.items(), key=lambda item: (-item[1], item[0]))
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def bare_wsgi(wrk: str, port: int, workers: int) -> int | None:
    """Requests per second of :func:`application` under gunicorn; None when it would not
    start or wrk said nothing usable (the run goes on without the figure)."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            f"{__name__}:application",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not _answers(wrk, port):
            return None
        done = subprocess.run(
            [
                wrk,
                "--threads",
                "2",
                "--connections",
                str(BARE_CLIENTS),
                "--duration",
                f"{BARE_SECONDS}s",
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        match = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
        return round(float(match.group(1))) if match else None
    finally:
        server.terminate()
        server.wait(timeout=10)


def _answers(wrk: str, port: int) -> bool:
    """Whether the bare server answers within START_SECONDS (a second of load as warm-up)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        done = subprocess.run(
            [
                wrk,
                "--threads",
                "1",
                "--connections",
                "1",
                "--duration",
                "1s",
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if re.search(r"Requests/sec:\s+[1-9]", done.stdout):
            return True
        time.sleep(0.3)
    return False


def measure(wrk: str, port: int, workers: int) -> dict[str, Any]:
    return {
        "bare_wsgi_per_second": bare_wsgi(wrk, port, workers),
        "bare_wsgi_clients": BARE_CLIENTS,
        "python_ms": python_milliseconds(),
    }
