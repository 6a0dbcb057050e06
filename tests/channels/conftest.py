"""Mail fixtures: a real Dovecot IMAP server and a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tierdesk.channels.models import Mailbox

DOVECOT = "/usr/sbin/dovecot"
MAIL_DATA = Path(__file__).resolve().parents[1] / "data" / "mail"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "mail"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _install_dovecot() -> None:
    if os.path.exists(DOVECOT):
        return
    command = ["apt-get", "install", "-y", "-q", "dovecot-imapd"]
    if subprocess.run(command, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True)
        subprocess.run(command, capture_output=True, check=True)


class Dovecot:
    def __init__(
        self,
        base: Path,
        port: int,
        process: subprocess.Popen,
        imaps_port: int | None = None,
        certificate: Path | None = None,
    ) -> None:
        self.base, self.port, self.process = base, port, process
        self.imaps_port, self.certificate = imaps_port, certificate
        self.user, self.password = "helpdesk", "secret"

    def client(self):
        from imapclient import IMAPClient

        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
        client.login(self.user, self.password)
        return client

    def reset(self) -> None:
        with self.client() as client:
            for folder in ("INBOX",):
                client.select_folder(folder)
                uids = client.search(["ALL"])
                if uids:
                    client.delete_messages(uids)
                    client.expunge()

    def append(self, *messages: bytes) -> None:
        with self.client() as client:
            for raw in messages:
                client.append("INBOX", raw)

    def unseen(self) -> int:
        with self.client() as client:
            client.select_folder("INBOX", readonly=True)
            return len(client.search(["UNSEEN"]))


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throw-away certificate for 127.0.0.1 and localhost, its own authority (``openssl``)."""
    certificate, key = folder / "server.pem", folder / "server.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(certificate), "-subj", "/CN=tierdesk test IMAP",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-addext", "basicConstraints=critical,CA:TRUE",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


def start_dovecot(tls: bool = False) -> Dovecot:
    """A throw-away Dovecot on a free loopback port (also used by bench/mail_ingest.py).

    With ``tls`` it also serves IMAPS on a second port and offers STARTTLS on the first, with
    a self-signed certificate made for the occasion (``server.certificate``)."""
    _install_dovecot()
    base = Path(tempfile.mkdtemp(prefix="tierdesk-dovecot-"))
    base.chmod(0o755)  # Dovecot's auth process (user dovecot) reads the users file
    port = free_port()
    imaps_port = free_port() if tls else 0
    certificate = None
    ssl_settings = "ssl = no"
    if tls:
        certificate, key = self_signed_certificate(base)
        ssl_settings = f"ssl = yes\nssl_cert = <{certificate}\nssl_key = <{key}"
    (base / "run").mkdir()
    (base / "home").mkdir()
    (base / "users").write_text("helpdesk:{PLAIN}secret::::::\n")
    config = base / "dovecot.conf"
    config.write_text(
        f"""
base_dir = {base}/run
log_path = {base}/log
protocols = imap
listen = 127.0.0.1
{ssl_settings}
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{base}/home/%u/Maildir
first_valid_uid = 8
passdb {{
  driver = passwd-file
  args = {base}/users
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={base}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""
    )
    shutil.chown(base / "home", "mail", "mail")
    process = subprocess.Popen([DOVECOT, "-c", str(config), "-F"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    for listening in [port, imaps_port] if tls else [port]:
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", listening), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
    return Dovecot(base, port, process, imaps_port or None, certificate)


def stop_dovecot(server: Dovecot) -> None:
    server.process.terminate()
    server.process.wait(timeout=10)
    shutil.rmtree(server.base, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot():
    server = start_dovecot()
    yield server
    stop_dovecot(server)


@pytest.fixture(scope="session")
def dovecot_tls():
    """Dovecot serving IMAPS and STARTTLS with a self-signed certificate."""
    server = start_dovecot(tls=True)
    yield server
    stop_dovecot(server)


@pytest.fixture
def imap_mailbox(dovecot, db, organization) -> Mailbox:
    dovecot.reset()
    return Mailbox.objects.create(
        name="support",
        address="support@tierdesk.test",
        host="127.0.0.1",
        port=dovecot.port,
        security=Mailbox.Security.NONE,
        username=dovecot.user,
        password=dovecot.password,
        organization=organization,
    )


class SmtpSink:
    def __init__(self) -> None:
        self.messages: list = []
        self.connections: list = []  # the client's (address, port) for each message

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        self.connections.append(session.peer)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django's SMTP backend sends to it."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.TIERDESK_EMAIL_FROM = "support@tierdesk.test"
    yield sink
    controller.stop()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
