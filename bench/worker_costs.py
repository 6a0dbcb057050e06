"""What the background worker spends on each new ticket, job by job, measured in one process
against a copy of a seeded database (``tierdesk bench seed``): no web server, no load
generator, nothing else competing for the CPU. The load runs (``tierdesk bench run``) show
whether the worker keeps pace; this shows what it costs, steadily enough to compare two
versions of the code. Run on a copy (it opens tickets and sends their mail):

    TIERDESK_DATABASE_URL=sqlite:////work/benchdata/run/t.sqlite3 \\
    TIERDESK_SECRET_KEY=x .venv/bin/python bench/worker_costs.py [--tickets 1000]

It opens ``--tickets`` tickets as the create scenario does (the bench customer, the
scenario's text, a new number each), then runs each periodic job the new tickets give work
to until it has nothing left, and prints per job this process's CPU time and the wall time:
per ticket for the jobs whose work grows with the tickets, per run for the others. On SQLite
the database's work is in the CPU time; on PostgreSQL it is in the server's, and in the wall
time. Run a PostgreSQL copy through ``VACUUM (ANALYZE)`` first, as the load runs do.
"""

from __future__ import annotations

import argparse
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.settings")
django.setup()

from django.db import connection  # noqa: E402

from tierdesk.channels.email.tasks import send_notifications  # noqa: E402
from tierdesk.kb.indexing import index_changed_tickets  # noqa: E402
from tierdesk.operations.bench.runner import open_scenario_tickets  # noqa: E402
from tierdesk.reports.tasks import refresh_report_rollups  # noqa: E402
from tierdesk.search.tasks import refresh_pending, sync_recent  # noqa: E402
from tierdesk.tickets.sweeps import sweep_sla  # noqa: E402

# The periodic jobs a new ticket gives work to, in the order the worker's first minute runs
# them: (name, task, runs until it reports nothing done, costs per ticket). The others cost
# about the same per run whatever came in since the last (the roll-ups recompute today and
# yesterday, the sweep reads the clocks due): they are shown per run.
JOBS = [
    ("search: refresh pending documents", refresh_pending, True, True),
    ("mail: collect and send notifications", send_notifications, True, True),
    ("search: catch-up of changed tickets", index_changed_tickets, False, True),
    ("search: recent index", sync_recent, False, False),
    ("reports: roll-ups", refresh_report_rollups, False, False),
    ("SLA sweep", sweep_sla, False, False),
]


def did_work(result: object) -> bool:
    if isinstance(result, int):
        return result > 0
    return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1000)
    count = parser.parse_args().tickets
    # Whatever earlier runs left for the jobs is done first, untimed.
    for _name, job, repeat, _per_ticket in JOBS:
        while did_work(job.call()) and repeat:
            pass
    started = time.perf_counter()
    open_scenario_tickets(count)
    opened = time.perf_counter() - started
    print(f"{connection.vendor}: {count} tickets opened in {opened:.1f} s\n")
    print("| job | CPU ms | wall ms |")
    print("| --- | ---: | ---: |")
    total_cpu = total_wall = 0.0
    for name, job, repeat, per_ticket in JOBS:
        cpu, wall = time.process_time(), time.perf_counter()
        while did_work(job.call()) and repeat:
            pass
        cpu = (time.process_time() - cpu) * 1000
        wall = (time.perf_counter() - wall) * 1000
        if per_ticket:
            cpu, wall = cpu / count, wall / count
            total_cpu, total_wall = total_cpu + cpu, total_wall + wall
            print(f"| {name}, per ticket | {cpu:.2f} | {wall:.2f} |")
        else:
            print(f"| {name}, per run | {cpu:.0f} | {wall:.0f} |")
    print(f"| **per ticket, all** | **{total_cpu:.2f}** | **{total_wall:.2f}** |")
    print(f"\nOne worker process keeps pace with about {1000 / total_wall:.0f} new tickets/s.")


if __name__ == "__main__":
    main()
