"""tierdesk run: migrate, load the demo data on first start, then serve and work."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tierdesk.operations.demo import DEMO_ACCOUNTS, demo_is_loaded, load_demo

STOP_GRACE_SECONDS = 20


class Command(BaseCommand):
    help = (
        "Start tierdesk in the foreground: apply migrations, load the demo data on first start, "
        "then run the web server (gunicorn) and a background worker together. Ctrl-C stops both."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo data.")
        parser.add_argument(
            "--web-workers",
            type=int,
            default=settings.TIERDESK_WEB_WORKERS,
            help="Web server processes (default: TIERDESK_WEB_WORKERS or 3).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Run only the web server (workers run elsewhere).",
        )

    def handle(self, *args, no_demo: bool, web_workers: int, no_worker: bool, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo and not demo_is_loaded():
            self.stdout.write("Loading the demo data (first start) ...")
            load_demo(password=settings.TIERDESK_DEMO_PASSWORD)
        address = f"{settings.TIERDESK_HOST}:{settings.TIERDESK_PORT}"
        processes = {
            "web": subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "tierdesk.wsgi:application",
                    "--bind",
                    address,
                    "--workers",
                    str(web_workers),
                    "--access-logfile",
                    "-",
                    "--graceful-timeout",
                    str(STOP_GRACE_SECONDS - 5),
                    # No control socket in $HOME: several instances may share a machine.
                    "--no-control-socket",
                ]
            )
        }
        if not no_worker:
            processes["worker"] = subprocess.Popen([sys.executable, "-m", "tierdesk.cli", "worker"])
        self._welcome(address, show_demo=not no_demo)
        stopping = False

        def stop(signum, frame) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    self.stderr.write(
                        f"tierdesk: the {name} process stopped (exit {process.returncode})."
                    )
                    exit_code = process.returncode or 1
                    stopping = True
            time.sleep(0.5)
        self.stdout.write("Stopping tierdesk ...")
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.stdout.write("tierdesk stopped.")
        if exit_code:
            sys.exit(exit_code)

    def _welcome(self, address: str, *, show_demo: bool) -> None:
        lines = [
            "",
            f"tierdesk is running on http://{address}/",
            f"  admin:     http://{address}/admin/",
            f"  API docs:  http://{address}/api/v1/docs",
        ]
        if show_demo and demo_is_loaded():
            lines.append(f"  demo accounts (password: {settings.TIERDESK_DEMO_PASSWORD}):")
            lines += [f"    {username:<10} {role}" for username, role in DEMO_ACCOUNTS]
        lines += ["Press Ctrl-C to stop.", ""]
        self.stdout.write("\n".join(lines))
