"""Turning wrk's raw samples into figures: throughput and latency percentiles per endpoint,
errors, and a Markdown report."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any


def percentile(ordered: list[int], fraction: float) -> float:
    """Nearest-rank percentile of sorted microseconds, in milliseconds."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(fraction * len(ordered)))
    return round(ordered[rank - 1] / 1000, 1)


def summarize(raw: str, scenario, clients: int) -> dict[str, Any]:
    samples: dict[str, list[int]] = {}
    errors: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    first_errors: dict[str, str] = {}
    summary = {}
    for line in raw.splitlines():
        kind, _, rest = line.partition("\t")
        if kind == "summary":
            values = [int(value) for value in rest.split("\t")]
            keys = ["duration_us", "requests", "bytes", "connect", "read", "write", "status"]
            summary = dict(zip([*keys, "timeout"], values, strict=True))
        elif kind == "first_error":
            name, _, body = rest.partition("\t")
            first_errors.setdefault(name, body)
        elif rest:
            status, _, elapsed = rest.partition("\t")
            samples.setdefault(kind, []).append(int(elapsed))
            if int(status) >= 300:  # a redirect (to the login page) is a failure too
                errors[kind] += 1
                statuses[f"{kind} {status}"] += 1
    seconds = summary.get("duration_us", 0) / 1_000_000 or 1
    endpoints = []
    for name, values in samples.items():
        if not values:
            continue
        values.sort()
        endpoints.append(
            {
                "endpoint": name,
                "requests": len(values),
                "per_second": round(len(values) / seconds, 1),
                "p50_ms": percentile(values, 0.50),
                "p95_ms": percentile(values, 0.95),
                "p99_ms": percentile(values, 0.99),
                "max_ms": round(values[-1] / 1000, 1),
                "mean_ms": round(sum(values) / len(values) / 1000, 1),
                "errors": errors[name],
            }
        )
    socket_errors = sum(summary.get(key, 0) for key in ("connect", "read", "write", "timeout"))
    total = sum(endpoint["requests"] for endpoint in endpoints)
    return {
        "scenario": scenario.name,
        "description": scenario.description,
        "clients": clients,
        "seconds": round(seconds, 2),
        "requests": total,
        "per_second": round(total / seconds, 1),
        "errors": sum(errors.values()) + socket_errors,
        "http_errors": dict(statuses),
        "socket_errors": {k: summary.get(k, 0) for k in ("connect", "read", "write", "timeout")},
        "first_errors": first_errors,
        "endpoints": sorted(endpoints, key=lambda endpoint: -endpoint["requests"]),
    }


def scenario_lines(result: dict[str, Any]) -> str:
    lines = [
        f"    {result['requests']} requests in {result['seconds']} s = "
        f"{result['per_second']}/s, errors {result['errors']}, server CPU per request (ms): "
        f"{result.get('cpu_ms_per_request', {})}"
    ]
    for endpoint in result["endpoints"]:
        lines.append(
            f"    {endpoint['endpoint']:<40} {endpoint['per_second']:>8}/s  "
            f"p50 {endpoint['p50_ms']:>7} ms  p95 {endpoint['p95_ms']:>7} ms  "
            f"p99 {endpoint['p99_ms']:>7} ms  errors {endpoint['errors']}"
        )
    for name, body in result.get("first_errors", {}).items():
        lines.append(f"    first error of {name}: {body[:200]}")
    return "\n".join(lines)


def _machine_line(machine: dict[str, Any] | None) -> list[str]:
    """The machine's speed when the run began (operations/bench/calibration.py)."""
    if not machine:
        return []
    bare = machine.get("bare_wsgi_per_second")
    served = f"{bare:,} requests/s" if bare else "did not answer"
    return [
        f"- machine at the start: a WSGI app that does nothing {served} "
        f"({machine['bare_wsgi_clients']} clients, same web workers); a fixed piece of "
        f"Python {machine['python_ms']} ms (best of 3; less is faster)"
    ]


def markdown(run: dict[str, Any]) -> str:
    database = run["database"]
    lines = [
        f"# tierdesk bench run, {run['started_at']}",
        "",
        f"- command: `{run['command']}`",
        f"- database: {database['vendor']} {database['version']} {database['settings']}".rstrip(),
        f"- tickets: {run['tickets']:,}; web workers: {run['web_workers']}"
        f"{'' if run.get('background_worker', True) else ' (no background worker)'}; "
        f"{run['duration']:g} s per scenario after {run['warmup']:g} s warm-up; "
        f"{run['cpus']} CPUs; load generator: {run['wrk']}",
        *_machine_line(run.get("machine")),
        "",
        "| scenario | clients | endpoint | req/s | p50 ms | p95 ms | p99 ms | max ms | errors "
        "| load avg before → after | server CPU ms/request |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for result in run["scenarios"]:
        load = (
            f"{result['load_average_before'][0]} → {result['load_average_after'][0]}"
            if "load_average_before" in result
            else ""
        )
        cpu = " + ".join(
            f"{value} {part}" for part, value in result.get("cpu_ms_per_request", {}).items()
        )
        for endpoint in result["endpoints"]:
            lines.append(
                f"| {result['scenario']} | {result['clients']} | `{endpoint['endpoint']}` "
                f"| {endpoint['per_second']} | {endpoint['p50_ms']} | {endpoint['p95_ms']} "
                f"| {endpoint['p99_ms']} | {endpoint['max_ms']} | {endpoint['errors']} | {load} "
                f"| {cpu} |"
            )
        if len(result["endpoints"]) > 1:
            lines.append(
                f"| {result['scenario']} | {result['clients']} | **all** "
                f"| {result['per_second']} | | | | | {result['errors']} | {load} | {cpu} |"
            )
    for failure in run.get("failures", []):
        lines.append(
            f"| {failure['scenario']} | {failure['clients']} | failed: {failure['error'][:200]} "
            "| | | | | | | | |"
        )
    lines += ["", "Server processes, peak resident memory (VmHWM) over the whole run:", ""]
    for process in run.get("processes", []):
        lines.append(f"- {process['role']} (pid {process['pid']}): {process['peak_rss_mb']} MB")
    for result in run["scenarios"]:
        if result.get("profile", {}).get("top"):
            lines += [
                "",
                f"Profile of one web worker during {result['scenario']} "
                f"({result['clients']} clients), share of samples in each function:",
                "",
            ]
            lines += [f"- {share:5.1f} % {frame}" for frame, share in result["profile"]["top"]]
    return "\n".join(lines) + "\n"


INTERESTING = ("tierdesk", "django", "ninja", "pydantic", "sqlite3", "psycopg", "json")


def profile_top(raw: str, limit: int = 25) -> list[tuple[str, float]]:
    """The functions a py-spy ``--format raw`` profile spends most samples in (inclusive)."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        # One entry per function, whatever line of it the sample was on.
        for frame in {re.sub(r":\d+\)$", ")", part) for part in stack.split(";")}:
            if any(word in frame for word in INTERESTING):
                inclusive[frame] += count
    if not total:
        return []
    # Frames in (nearly) every sample are the server's own frame: they say nothing.
    shares = [(frame, round(100 * n / total, 1)) for frame, n in inclusive.most_common()]
    return [(frame, share) for frame, share in shares if share < 98][:limit]
