"""The benchmark harness at tiny size, so it cannot rot: a few hundred tickets, every scenario
for a couple of seconds against a real server, zero errors and well-formed results.

Runs on the database the suite runs on (SQLite, or PostgreSQL when TIERDESK_DATABASE_URL
names one: the harness then gets a database of its own next to the test database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest

from tierdesk.operations.bench.runner import DRAIN_LIMIT_SECONDS
from tierdesk.operations.bench.scenarios import SCENARIOS


@pytest.fixture
def bench_database(tmp_path):
    url = os.environ.get("TIERDESK_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'bench.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'tierdesk'}_benchsmoke"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_bench(database: str, tmp_path, *arguments: str) -> tuple[dict, str]:
    """``tierdesk bench run`` at tiny size: its JSON report and its Markdown report."""
    results = tmp_path / "results"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tierdesk.cli",
            "bench",
            "run",
            "--tickets",
            "300",
            "--duration",
            "1",
            "--warmup",
            "0",
            *arguments,
            "--database-url",
            database,
            "--results-dir",
            str(results),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [report] = results.glob("*.json")
    markdown = (results / report.name.replace(".json", ".md")).read_text()
    return json.loads(report.read_text()), markdown


def test_every_scenario_runs_without_errors(bench_database, tmp_path):
    run, markdown = run_bench(bench_database, tmp_path, "--clients", "2")
    assert markdown.startswith("# tierdesk")
    assert run["tickets"] >= 300
    assert run["web_workers"] == 2
    assert run["failures"] == []
    assert [result["scenario"] for result in run["scenarios"]] == list(SCENARIOS)
    for result in run["scenarios"]:
        assert result["errors"] == 0, (result["scenario"], result["first_errors"])
        assert result["requests"] > 0, result["scenario"]
        # The background worker caught up with what the scenario queued before the next one.
        assert result["drain_seconds"] < DRAIN_LIMIT_SECONDS, result["scenario"]
        for endpoint in result["endpoints"]:
            assert endpoint["requests"] > 0
            assert 0 < endpoint["p50_ms"] <= endpoint["p95_ms"] <= endpoint["p99_ms"]
            assert endpoint["p99_ms"] <= endpoint["max_ms"]
    search = next(result for result in run["scenarios"] if result["scenario"] == "search")
    assert {endpoint["endpoint"] for endpoint in search["endpoints"]} == {
        "GET /api/v1/search?q={two words}",
        "GET /api/v1/kb/search?q={two words}",
    }
    mixed = next(result for result in run["scenarios"] if result["scenario"] == "mixed")
    assert len(mixed["endpoints"]) >= 4
    roles = [process["role"] for process in run["processes"]]
    assert roles.count("web worker") == 2
    # The machine's speed when the run began, so runs on different days can be compared.
    assert run["machine"]["bare_wsgi_per_second"] > 0
    assert run["machine"]["python_ms"] > 0
    assert "a WSGI app that does nothing" in markdown
    assert all(process["peak_rss_mb"] > 0 for process in run["processes"])


def test_the_web_server_can_be_measured_without_the_background_worker(bench_database, tmp_path):
    run, markdown = run_bench(bench_database, tmp_path, "--scenario", "create", "--no-worker")
    assert run["background_worker"] is False
    assert "--no-worker" in run["command"]
    [result] = run["scenarios"]
    assert result["errors"] == 0
    assert "worker" not in result["cpu_ms_per_request"]  # no such process was running
    assert "(no background worker)" in markdown
