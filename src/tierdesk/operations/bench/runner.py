"""``tierdesk bench run``: start the server as ``make run`` would, drive it with wrk from a
separate process over loopback, and report throughput, latency percentiles per endpoint,
errors and the server processes' peak memory."""

from __future__ import annotations

import functools
import http.cookiejar
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from tierdesk.operations.bench import calibration, report, scenarios
from tierdesk.operations.bench.processes import ProcessWatch

DRIVER = Path(__file__).with_name("driver.lua")
SERVER_START_SECONDS = 120
POOL_SIZE = 4000
# A scenario waits at most this long for the background work the previous one queued.
DRAIN_LIMIT_SECONDS = 240
VISIBLE_SAMPLE = 4000


class BenchError(Exception):
    pass


def default_database_url(tickets: int) -> str:
    configured = os.environ.get("TIERDESK_DATABASE_URL")
    if configured:
        return configured
    return f"sqlite:///{settings.DATA_DIR / 'bench' / f'bench-{tickets}.sqlite3'}"


def main(options: dict[str, Any], *, out=print) -> int:
    url = options.get("database_url") or default_database_url(options["tickets"])
    if url != settings.DATABASE_URL:
        # Settings are read once at start-up: continue in a process configured for that database.
        return _reexec(options, url)
    try:
        chosen = scenarios.resolve(options.get("scenario"))
    except KeyError as error:
        known = ", ".join(scenarios.SCENARIOS)
        raise BenchError(f"Unknown scenario: {error}. Known: {known}") from None
    wrk = ensure_wrk(out)
    _prepare_database(options, out)
    tokens = _tokens()
    _checkpoint(out)
    results_dir = Path(options["results_dir"]).resolve()
    results_dir.mkdir(parents=True, exist_ok=True)
    out("Measuring the machine (a bare WSGI application, a fixed piece of Python) ...")
    machine = calibration.measure(wrk, _free_port(), options["web_workers"])
    port = options["port"] or _free_port()
    run = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(_command_line({**options, "database_url": url}, url)),
        "database": _database_label(),
        "tickets": _ticket_count(),
        "web_workers": options["web_workers"],
        "background_worker": not options.get("no_worker"),
        "duration": options["duration"],
        "warmup": options["warmup"],
        "cpus": os.cpu_count(),
        "machine": machine,
        "wrk": _wrk_version(wrk),
        "scenarios": [],
        "failures": [],
    }
    server = Server(
        port, options["web_workers"], results_dir, url, worker=not options.get("no_worker")
    )
    out(f"Starting the server on 127.0.0.1:{port} with {options['web_workers']} web workers ...")
    try:
        server.start()
        # Pages still being built: asked once, while the server is idle.
        missing = {s.needs for s in chosen if s.needs and not server.answers(s.needs)}
        for clients in options.get("clients") or [4]:
            for scenario in chosen:
                if scenario.needs in missing:
                    out(f"  {scenario.name}: skipped, {scenario.needs} does not exist yet")
                    continue
                out(f"  {scenario.name} with {clients} clients for {options['duration']} s ...")
                try:
                    result = _measure(wrk, server, scenario, clients, tokens, options, results_dir)
                except (BenchError, OSError) as error:
                    # Report what failed and go on: one broken page must not cost the others.
                    out(f"    failed: {error}")
                    run["failures"].append(
                        {"scenario": scenario.name, "clients": clients, "error": str(error)}
                    )
                    server.watch.wait_idle(_postgres_name())
                    continue
                run["scenarios"].append(result)
                out(report.scenario_lines(result))
        run["processes"] = server.watch.peaks()
    finally:
        server.stop()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{stamp}-{run['database']['vendor']}-{run['tickets']}"
    (results_dir / f"{name}.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    markdown = report.markdown(run)
    (results_dir / f"{name}.md").write_text(markdown, encoding="utf-8")
    out(markdown)
    out(f"Results: {results_dir / name}.json and .md")
    return 0


# -- setting up --


def ensure_wrk(out) -> str:
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        raise BenchError("wrk is not installed: install it (Debian: apt-get install wrk).")
    out("Installing wrk (apt-get install wrk) ...")
    subprocess.run(
        [apt, "install", "-y", "-qq", "wrk"],
        check=False,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    if not shutil.which("wrk"):
        subprocess.run([apt, "update", "-qq"], check=False, stdout=subprocess.DEVNULL)
        subprocess.run(
            [apt, "install", "-y", "-qq", "wrk"],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    return shutil.which("wrk") or "wrk"


def _wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).splitlines()[0] if (done.stdout or done.stderr) else ""


def _reexec(options: dict[str, Any], url: str) -> int:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "TIERDESK_DATABASE_URL": url,
        "TIERDESK_SECRET_KEY": os.environ.get("TIERDESK_SECRET_KEY") or "bench-only-secret-key",
    }
    command = _command_line({**options, "database_url": None}, url)
    return subprocess.call([sys.executable, "-m", "tierdesk.cli", *command[1:]], env=env)


def _command_line(options: dict[str, Any], url: str) -> list[str]:
    command = ["tierdesk", "bench", "run"]
    for name in options.get("scenario") or []:
        command += ["--scenario", name]
    for clients in options.get("clients") or []:
        command += ["--clients", str(clients)]
    command += ["--duration", f"{options['duration']:g}", "--warmup", f"{options['warmup']:g}"]
    command += ["--tickets", str(options["tickets"]), "--seed", str(options["seed"])]
    command += ["--articles", str(options.get("articles") or 0)]
    command += ["--web-workers", str(options["web_workers"])]
    if options.get("no_worker"):
        command.append("--no-worker")
    command += ["--results-dir", str(options["results_dir"])]
    if options.get("port"):
        command += ["--port", str(options["port"])]
    if options.get("profile"):
        command.append("--profile")
    if options.get("database_url"):
        command += ["--database-url", _redact(url)]
    return command


def _redact(url: str) -> str:
    if "@" in url and ":" in url.split("@")[0].split("//")[-1]:
        scheme, rest = url.split("//", 1)
        credentials, host = rest.split("@", 1)
        return f"{scheme}//{credentials.split(':')[0]}:***@{host}"
    return url


def _prepare_database(options: dict[str, Any], out) -> None:
    from django.core.management import call_command

    from tierdesk.operations.bench.articles import bench_articles_present, seed_articles
    from tierdesk.operations.bench.seed import bench_data_present, seed

    call_command("migrate", interactive=False, verbosity=0)
    if not bench_data_present():
        out(f"No bench data set in this database: seeding {options['tickets']:,} tickets ...")
        totals = seed(tickets=options["tickets"], seed=options["seed"], progress=out)
        out(f"Seeded in {totals['seconds']} s ({totals['rows_per_second']:,} rows/s).")
        from tierdesk.operations.management.commands.bench import build_search_index

        build_search_index(out)
    articles = options.get("articles") or 0
    if articles > 0 and not bench_articles_present():
        out(f"No bench articles in this database: seeding {articles:,} ...")
        totals = seed_articles(count=articles, seed=options["seed"], progress=out)
        out(f"Seeded in {totals['seconds']} s, indexed in {totals['index_seconds']} s.")
    from tierdesk.operations.management.commands.bench import build_report_rollups

    build_report_rollups(out)


def _tokens() -> dict[str, str]:
    from tierdesk.accounts.actions import issue_api_token
    from tierdesk.accounts.models import User

    tokens = {}
    for persona, username in scenarios.PERSONAS.items():
        if persona in scenarios.SESSION_PERSONAS:
            continue
        user = User.objects.get(username=username)
        _token, plaintext = issue_api_token(user=user, name="bench")
        tokens[persona] = plaintext
    return tokens


def _database_label() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cursor.fetchone()[0]]
            cursor.execute("SELECT sqlite_version()")
            version = cursor.fetchone()[0]
            return {
                "vendor": "sqlite",
                "version": version,
                "settings": f"journal_mode={mode}, synchronous={synchronous}",
            }
        cursor.execute("SHOW server_version")
        return {"vendor": connection.vendor, "version": cursor.fetchone()[0], "settings": ""}


def _checkpoint(out) -> None:
    """On PostgreSQL, write out what seeding or copying the data set left dirty before the
    first measurement. A database copied with ``createdb -T`` goes through the WAL; in one
    run the checkpoints that forced overlapped the first scenario (ticket creation: 274
    requests/s, against 355 and 443 in runs where they had ended before it). Needs a
    superuser or the ``pg_checkpoint`` role; without either, the run goes on and says so."""
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError as error:
        out(f"  (no CHECKPOINT before the run: {str(error).strip()})")


def _postgres_name() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"] if connection.vendor == "postgresql" else ""


def _ticket_count() -> int:
    from tierdesk.tickets.models import Ticket

    return Ticket.objects.count()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- ids the scenarios work on --


def _background_backlog() -> int:
    """Work the background worker has queued: events its mail job has not read yet, mails
    due, documents waiting for the search index."""
    from django.utils import timezone

    from tierdesk.channels.email.outbound import CURSOR
    from tierdesk.channels.models import Notification, OutboxCursor
    from tierdesk.search.models import PendingRefresh
    from tierdesk.tickets.models import Event

    read = OutboxCursor.objects.filter(name=CURSOR).values_list("last_event_id", flat=True).first()
    unread = Event.objects.filter(pk__gt=read).count() if read is not None else 0
    due = Notification.objects.filter(
        state=Notification.State.PENDING, next_attempt_at__lte=timezone.now()
    ).count()
    return unread + due + PendingRefresh.objects.count()


def _drain_background_work(limit: float = DRAIN_LIMIT_SECONDS) -> float:
    """Wait (at most ``limit`` seconds) until the background worker has caught up; returns
    the seconds waited."""
    started = time.monotonic()
    while _background_backlog() and time.monotonic() - started < limit:
        time.sleep(1)
    return time.monotonic() - started


def _pool() -> list[int]:
    """Active tickets waiting at L1, for escalations and notes (recomputed per run)."""
    from tierdesk.tickets.lifecycle import ACTIVE_STATUSES
    from tierdesk.tickets.models import Ticket

    return list(
        Ticket.objects.filter(tier__level=1, status__in=ACTIVE_STATUSES)
        .order_by("-id")
        .values_list("id", flat=True)[:POOL_SIZE]
    )


def _scenario_pool(scenario, clients: int) -> list[int]:
    """The pool a scenario works on (none when it needs none). Each client works on its own
    slice of it (driver.lua), so it holds at least one ticket per client: when escalations
    have left fewer active L1 tickets than that (a tiny data set), tickets are opened for
    it as the create scenario opens them. Clients sharing a ticket escalated it twice."""
    if not scenario.uses_pool:
        return []
    pool = _pool()
    if len(pool) < clients:
        open_scenario_tickets(clients - len(pool))
        pool = _pool()
    return pool


def open_scenario_tickets(count: int) -> None:
    """Open ``count`` tickets as the create scenario does: the bench customer, its text, a
    new number each (also bench/worker_costs.py)."""
    from tierdesk.accounts.models import User
    from tierdesk.tickets.actions.opening import open_ticket

    fields = json.loads(scenarios.NEW_TICKET)
    customer = User.objects.select_related("organization").get(
        username=scenarios.PERSONAS["customer"]
    )
    for number in range(count):
        open_ticket(
            actor=customer,
            subject=fields["subject"] % number,
            description=fields["description"],
            impact=fields["impact"],
            urgency=fields["urgency"],
        )


@functools.cache
def _visible_ids() -> list[int]:
    """A deterministic random sample of tickets the agent persona may see (once per run)."""
    from django.db.models import Max

    from tierdesk.accounts.models import User
    from tierdesk.tickets.lifecycle import ACTIVE_STATUSES
    from tierdesk.tickets.models import Ticket
    from tierdesk.tickets.queries import visible_tickets

    agent = User.objects.get(username=scenarios.PERSONAS["agent"])
    highest = Ticket.objects.aggregate(top=Max("id"))["top"] or 0
    rng = random.Random(11)
    candidates = sorted({rng.randint(1, highest) for _ in range(VISIBLE_SAMPLE)})
    found: list[int] = []
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        # Not the active L1 tickets: the escalation scenarios move those out of the agent's
        # sight, and reading them then would be a 404 of the harness's making.
        found += (
            visible_tickets(agent)
            .filter(pk__in=chunk)
            .exclude(tier__level=1, status__in=ACTIVE_STATUSES)
            .values_list("id", flat=True)
        )
    return found or [highest]


# -- the server --


class Server:
    """``tierdesk run --no-demo --web-workers N`` on a chosen port, as ``make run`` starts it."""

    def __init__(
        self, port: int, workers: int, results_dir: Path, url: str, *, worker: bool = True
    ) -> None:
        self.port = port
        self.workers = workers
        self.with_worker = worker
        self.log_path = Path(tempfile.gettempdir()) / f"tierdesk-bench-server-{port}.log"
        self.url = url
        self.process: subprocess.Popen | None = None
        self.watch: ProcessWatch | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "TIERDESK_DATABASE_URL": self.url,
            "TIERDESK_HOST": "127.0.0.1",
            "TIERDESK_PORT": str(self.port),
            "TIERDESK_SECRET_KEY": os.environ.get("TIERDESK_SECRET_KEY") or "bench-only-secret-key",
        }
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tierdesk.cli",
                "run",
                "--no-demo",
                "--web-workers",
                str(self.workers),
                *([] if self.with_worker else ["--no-worker"]),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"The server stopped at start-up; see {self.log_path}.")
            if self.answers("/api/v1/openapi.json"):
                self.watch = ProcessWatch(self.process.pid)
                if len(self.watch.web_workers()) >= self.workers:
                    self.watch.start()
                    return
            time.sleep(0.3)
        raise BenchError(f"The server did not answer within {SERVER_START_SECONDS} s.")

    def answers(self, path: str) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as reply:
                return reply.status < 400
        except OSError:
            return False

    def session(self, username: str) -> str:
        """Sign in through the desk's login form like a browser; the Cookie header to send."""
        from tierdesk.operations.bench.seed import BENCH_PASSWORD

        base = f"http://127.0.0.1:{self.port}"
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"{base}/desk/login/", timeout=30).read()
        csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        form = urllib.parse.urlencode(
            {"username": username, "password": BENCH_PASSWORD, "csrfmiddlewaretoken": csrf}
        ).encode()
        opener.open(
            urllib.request.Request(f"{base}/desk/login/", data=form, headers={"Referer": base}),
            timeout=30,
        ).read()
        cookies = {cookie.name: cookie.value for cookie in jar}
        if "sessionid" not in cookies:
            raise BenchError(f"Signing in as {username} at /desk/login/ failed.")
        return "; ".join(f"{name}={value}" for name, value in cookies.items())

    def stop(self) -> None:
        if self.watch is not None:
            self.watch.stop()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()


# -- one measurement --


def _measure(wrk, server, scenario, clients, tokens, options, results_dir) -> dict[str, Any]:
    personas = {}
    for persona in scenario.persona_names:
        if persona in scenarios.SESSION_PERSONAS:
            personas[persona] = {
                "Cookie": server.session(scenarios.PERSONAS[persona]),
                "Accept-Language": "id",
            }
            continue
        personas[persona] = {
            "Authorization": f"Bearer {tokens[persona]}",
            "Content-Type": "application/json",
            "Accept-Language": "id",
        }
    base = {
        "seed": options["seed"],
        "clients": clients,
        "operations": [operation.as_config() for operation in scenario.operations],
        "headers": personas,
        "visible": _visible_ids() if scenario.uses_visible else [],
        "queries": [urllib.parse.quote_plus(text) for text in scenarios.SEARCHES]
        if scenario.uses_queries
        else [],
    }
    if options["warmup"] > 0:
        warm = {**base, "pool": _scenario_pool(scenario, clients)}
        _wrk(wrk, server, warm, clients, options["warmup"])
        server.watch.wait_idle(_postgres_name())
    pool = _scenario_pool(scenario, clients)
    profile = None
    if options.get("profile"):
        profile = _start_profile(server, results_dir, scenario.name, clients, options["duration"])
    load_before = os.getloadavg()
    server.watch.reset_window()
    database = _postgres_name()
    cpu_before = server.watch.cpu_ticks_by_process(database)
    raw, wrk_text = _wrk(wrk, server, {**base, "pool": pool}, clients, options["duration"])
    cpu_used = server.watch.cpu_seconds_between(
        cpu_before, server.watch.cpu_ticks_by_process(database)
    )
    load_after = os.getloadavg()
    # Requests still in flight when wrk stopped finish before the next measurement starts,
    # and so does the background work they queued (a create run's receipts), which the next
    # scenario would otherwise pay for.
    settle = server.watch.wait_idle(database)
    drain = _drain_background_work() if server.with_worker else 0.0
    result = report.summarize(raw, scenario, clients)
    result["settle_seconds"] = round(settle, 1)
    result["drain_seconds"] = round(drain, 1)
    # CPU the server spent per answered request: a figure that other work on the machine
    # disturbs much less than latency and throughput do.
    answered = max(result["requests"], 1)
    result["cpu_ms_per_request"] = {
        part: round(1000 * seconds / answered, 1) for part, seconds in cpu_used.items()
    }
    result["wrk_output"] = wrk_text
    result["load_average_before"] = [round(x, 2) for x in load_before]
    result["load_average_after"] = [round(x, 2) for x in load_after]
    result["rss_mb_during"] = server.watch.window_peaks()
    result["pool_size"] = len(pool)
    if profile is not None:
        result["profile"] = _finish_profile(profile)
    return result


def _wrk(wrk: str, server: Server, config: dict, clients: int, seconds: float):
    with tempfile.TemporaryDirectory(prefix="tierdesk-bench-") as folder:
        config_path = Path(folder) / "config.lua"
        config_path.write_text("return " + scenarios.to_lua(config) + "\n", encoding="utf-8")
        output = Path(folder) / "samples.tsv"
        done = subprocess.run(
            [
                wrk,
                "--threads",
                str(clients),
                "--connections",
                str(clients),
                "--duration",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "--script",
                str(DRIVER),
                f"http://127.0.0.1:{server.port}",
            ],
            env={
                **os.environ,
                "TIERDESK_BENCH_CONFIG": str(config_path),
                "TIERDESK_BENCH_OUTPUT": str(output),
            },
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not output.exists():
            raise BenchError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
        raw = "".join(
            part.read_text(encoding="utf-8") for part in sorted(Path(folder).glob("samples.tsv*"))
        )
        return raw, done.stdout


def _start_profile(server, results_dir, name, clients, seconds):
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        raise BenchError("--profile needs py-spy: pip install -e '.[bench]'")
    worker = server.watch.web_workers()[0]
    target = results_dir / f"profile-{name}-c{clients}-{worker}.txt"
    process = subprocess.Popen(
        [
            spy,
            "record",
            "--pid",
            str(worker),
            "--duration",
            str(max(1, round(seconds))),
            "--format",
            "raw",
            "--output",
            str(target),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, target


def _finish_profile(profile) -> dict[str, Any]:
    process, target = profile
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
    if not target.exists():
        return {"file": str(target), "top": []}
    return {"file": str(target), "top": report.profile_top(target.read_text(encoding="utf-8"))}
