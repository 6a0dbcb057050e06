"""tierdesk mail ingest | lmtp | poll: e-mail intake from a mail server's pipe, an LMTP
listener or an IMAP mailbox."""

from __future__ import annotations

import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

# Exit codes a mail server understands (sysexits.h): Postfix and Exim bounce on 64/65 and
# retry later on 75.
EX_USAGE = 64
EX_DATAERR = 65
EX_TEMPFAIL = 75
EX_CONFIG = 78


class Command(BaseCommand):
    help = (
        "E-mail intake. `mail ingest [--mailbox NAME] < message.eml` stores one RFC 5322 "
        "message read from standard input (for Postfix/Exim pipes) and exits 0 when it was "
        "stored or deliberately ignored; `mail poll [--mailbox NAME]` polls IMAP mailboxes once; "
        "`mail reprocess [ID ...]` tries quarantined messages again."
    )
    # A mail server starts one process per message: skip the system checks' start-up cost.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        ingest = commands.add_parser("ingest", help="Store one message read from standard input.")
        ingest.add_argument("--mailbox", help="Mailbox whose rules apply (name).")
        lmtp = commands.add_parser(
            "lmtp", help="Listen for LMTP deliveries from a mail server (runs until stopped)."
        )
        lmtp.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        lmtp.add_argument("--port", type=int, default=2424, help="TCP port to listen on.")
        lmtp.add_argument("--socket", help="Listen on this Unix socket instead of TCP.")
        lmtp.add_argument(
            "--mailbox",
            help="Mailbox whose rules apply (name); by default the mailbox whose address is "
            "the recipient, else the default rules.",
        )
        lmtp.add_argument(
            "--threads",
            type=int,
            default=1,
            help="Deliveries stored at once (each with its own database connection).",
        )
        reprocess = commands.add_parser(
            "reprocess",
            help="Try quarantined messages again (all waiting ones, or the ids given).",
        )
        reprocess.add_argument("ids", nargs="*", type=int, metavar="ID")
        poll = commands.add_parser("poll", help="Poll IMAP mailboxes once.")
        poll.add_argument("--mailbox", help="Only this mailbox (name).")
        poll.add_argument("--limit", type=int, default=None, help="At most this many messages.")
        poll.add_argument(
            "--pause",
            type=float,
            default=0.0,
            help="Seconds to wait after each message (gentle on a busy server).",
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "ingest":
            self.ingest(options.get("mailbox"))
        elif action == "lmtp":
            self.lmtp(options)
        elif action == "reprocess":
            self.reprocess(options.get("ids") or [])
        else:
            self.poll(options.get("mailbox"), options.get("limit"), options.get("pause") or 0.0)

    def _mailbox(self, name: str | None):
        from tierdesk.channels.models import Mailbox

        if not name:
            return None
        mailbox = Mailbox.objects.filter(name=name).first()
        if mailbox is None:
            self._exit(EX_USAGE, f"tierdesk mail: there is no mailbox named {name!r}.")
        return mailbox

    def _exit(self, code: int, message: str) -> None:
        sys.stderr.write(message.rstrip() + "\n")
        sys.stderr.flush()
        raise SystemExit(code)

    def ingest(self, mailbox_name: str | None) -> None:
        from tierdesk.channels.email.ingest import ingest

        raw = sys.stdin.buffer.read()
        if not raw.strip():
            self._exit(EX_DATAERR, "tierdesk mail: no message on standard input.")
        try:
            mailbox = self._mailbox(mailbox_name)
            received = ingest(raw, mailbox=mailbox)
        except DatabaseError as error:
            self._exit(EX_TEMPFAIL, f"tierdesk mail: database unavailable, try later: {error}")
        ticket = f" ticket {received.ticket_id}" if received.ticket_id else ""
        note = f" ({received.reason})" if received.reason else ""
        self.stdout.write(f"{received.outcome}{ticket}{note}")

    def lmtp(self, options: dict) -> None:
        import asyncio
        import signal

        from django.utils.translation import gettext as _

        from tierdesk.channels.email.lmtp import Handler, start

        port, threads = options["port"], options["threads"]
        if not 0 < port < 65536:
            self._exit(EX_USAGE, _("tierdesk mail: the port must be between 1 and 65535."))
        if threads < 1:
            self._exit(EX_USAGE, _("tierdesk mail: --threads must be at least 1."))
        try:
            self._mailbox(options.get("mailbox"))  # an unknown name stops here (exit 64)
        except DatabaseError as error:
            self._exit(EX_TEMPFAIL, _("tierdesk mail: database unavailable: %s") % error)
        handler = Handler(options.get("mailbox"), threads=threads)
        where = options.get("socket") or f"{options['host']}:{port}"

        async def run() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for number in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(number, stop.set)
            server = await start(
                handler, host=options["host"], port=port, socket_path=options.get("socket")
            )
            self.stdout.write(_("tierdesk mail: LMTP listening on %s") % where)
            self.stdout.flush()
            try:
                await stop.wait()  # SIGTERM: stop accepting, finish what is under way
            finally:
                server.close()
                await server.wait_closed()
                handler.close()

        try:
            asyncio.run(run())
        except OSError as error:
            self._exit(EX_CONFIG, _("tierdesk mail: cannot listen on %(where)s: %(error)s")
                       % {"where": where, "error": error})  # fmt: skip

    def reprocess(self, ids: list[int]) -> None:
        from tierdesk.channels.email.ingest import reprocess_quarantined
        from tierdesk.channels.models import QuarantinedMessage

        if not ids:
            ids = list(
                QuarantinedMessage.objects.filter(outcome="")
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        missing = False
        for pk in ids:
            received = reprocess_quarantined(pk)
            if received is None:
                missing = True
                sys.stderr.write(f"tierdesk mail: there is no quarantined message {pk}.\n")
                continue
            ticket = f" ticket {received.ticket_id}" if received.ticket_id else ""
            note = f" ({received.reason})" if received.reason else ""
            self.stdout.write(f"{pk}: {received.outcome}{ticket}{note}")
        if missing:
            raise SystemExit(EX_DATAERR)

    def poll(self, mailbox_name: str | None, limit: int | None, pause: float) -> None:
        from tierdesk.channels.actions import note_poll, sync_default_mailbox
        from tierdesk.channels.email.imap import poll
        from tierdesk.channels.models import Mailbox

        try:
            sync_default_mailbox()
        except ImproperlyConfigured as error:
            self._exit(EX_CONFIG, f"tierdesk mail: {error}")
        if mailbox_name:
            mailboxes = [self._mailbox(mailbox_name)]
        else:
            mailboxes = list(
                Mailbox.objects.filter(is_active=True, poll_imap=True).exclude(host="")
            )
        failed = False
        for mailbox in mailboxes:
            try:
                result = poll(mailbox, limit=limit, pause=pause)
            except (OSError, DatabaseError, Exception) as error:  # report, go on with the rest
                failed = True
                note_poll(mailbox.pk, f"{type(error).__name__}: {error}")
                sys.stderr.write(f"tierdesk mail: {mailbox.name}: {error}\n")
                continue
            note_poll(mailbox.pk)
            self.stdout.write(
                f"{mailbox.name}: {result.fetched} fetched, {result.duplicates} already stored, "
                + ", ".join(f"{count} {outcome}" for outcome, count in result.outcomes.items())
            )
        if failed:
            raise CommandError("some mailboxes could not be polled", returncode=EX_TEMPFAIL)
