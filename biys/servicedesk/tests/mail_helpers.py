"""A throwaway IMAP server for the mail intake tests: Debian's dovecot, on 127.0.0.1 only, and mail builders.

``Dovecot.start()`` writes a configuration into a temporary directory (a passwd-file user, a Maildir per
user, plain IMAP with STARTTLS and IMAPS on free loopback ports, a self-signed certificate for 127.0.0.1),
runs dovecot in the foreground and waits until it answers a login. Tests deliver mail with IMAP APPEND
(``Mailbox.deliver``), so the files in the Maildir always belong to the mail user.
"""

from __future__ import annotations

import getpass
import grp
import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from biys.core.testing import daemons

START_TIMEOUT = 10.0
USER = "yardim"
PASSWORD = "imap-test-secret"
# A second account whose password needs UTF-8 (IMAP LOGIN cannot carry it; SASL PLAIN can).
TURKISH_USER = "bilgi-islem"
TURKISH_PASSWORD = "Şifre-ığüşöç-2026"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_failure_delay = 0
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
default_internal_user = {internal_user}
default_login_user = {login_user}
default_internal_group = {internal_group}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ssl_port}
  }}
}}
service anvil {{
  chroot =
}}
"""


class DovecotError(RuntimeError):
    pass


def find_program(name: str) -> str:
    return daemons.find_program(
        name,
        "the mail intake tests need a real IMAP server. Run `make test` (it installs the Debian package "
        "dovecot-imapd) or `apt-get install dovecot-imapd`.",
        DovecotError,
    )


@dataclass
class Dovecot:
    """One dovecot process with its configuration, mailboxes and log in a temporary directory."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="biys-dovecot-")))
    port: int = field(default_factory=daemons.free_port)
    ssl_port: int = field(default_factory=daemons.free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def ca_file(self) -> str:
        return str(self.root / "cert.pem")

    def start(self) -> None:
        dovecot, openssl = find_program("dovecot"), find_program("openssl")
        for name in ("run", "state", "mail"):
            (self.root / name).mkdir()
        certificate = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2"]
        files = ["-keyout", str(self.root / "key.pem"), "-out", self.ca_file]
        made = subprocess.run(
            [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", *certificate, *files],
            capture_output=True,
            check=False,
        )
        if made.returncode != 0:
            raise DovecotError(f"openssl could not make the test certificate:\n{made.stderr.decode(errors='replace')}")
        (self.root / "passwd").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}\n{TURKISH_USER}:{{PLAIN}}{TURKISH_PASSWORD}\n", encoding="utf-8"
        )
        (self.root / "dovecot.conf").write_text(self._config(), encoding="utf-8")
        # -F keeps dovecot in the foreground, so we own its pid; -c points it at our configuration only.
        self.process = subprocess.Popen(
            [dovecot, "-F", "-c", str(self.root / "dovecot.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        self._wait_until_ready()

    def stop(self) -> None:
        daemons.stop(self.process)
        shutil.rmtree(self.root, ignore_errors=True)

    def connect(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=5)
        conn.login(USER, PASSWORD)
        return conn

    def _config(self) -> str:
        if os.geteuid() == 0:
            # As root: dovecot's own service users, and mail stored as "nobody" (dovecot refuses UID 0).
            internal, login = "dovecot", "dovenull"
            mail_uid, mail_gid = pwd.getpwnam("nobody").pw_uid, pwd.getpwnam("nobody").pw_gid
            self.root.chmod(0o755)
            os.chown(self.root / "mail", mail_uid, mail_gid)
            for name in ("passwd", "key.pem"):
                (self.root / name).chmod(0o644)
        else:
            internal = login = getpass.getuser()
            mail_uid, mail_gid = os.getuid(), os.getgid()
        return CONFIG.format(
            root=self.root,
            port=self.port,
            ssl_port=self.ssl_port,
            internal_user=internal,
            login_user=login,
            internal_group=grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name,
            mail_uid=mail_uid,
            mail_gid=mail_gid,
        )

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        daemons.wait_until_ready(
            self.process,
            lambda: self.connect().logout(),
            down=(OSError, imaplib.IMAP4.error),
            name="dovecot",
            where=f"127.0.0.1:{self.port}",
            log=self._log,
            timeout=START_TIMEOUT,
            interval=0.05,
            error=DovecotError,
        )

    def _log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


class Mailbox:
    """The test's handle on the desk's mailbox: deliver mail, read flags, empty it afterwards."""

    def __init__(self, server: Dovecot) -> None:
        self.server = server
        self.conn = server.connect()

    def deliver(self, message: bytes | EmailMessage, folder: str = "INBOX") -> None:
        raw = message.as_bytes() if isinstance(message, EmailMessage) else message
        status, data = self.conn.append(folder, None, None, raw)
        if status != "OK":
            raise DovecotError(f"APPEND failed: {data!r}")

    def flags(self, folder: str = "INBOX") -> list[set[str]]:
        """The flags of each mail in the folder, in order."""
        self.conn.select(folder)
        status, data = self.conn.fetch("1:*", "(FLAGS)")
        if status != "OK" or data == [None]:
            return []
        return [set(_flags(item)) - {"\\Recent"} for item in data if isinstance(item, bytes)]

    def count(self, folder: str = "INBOX") -> int:
        status, data = self.conn.select(folder)
        return int(data[0]) if status == "OK" else 0

    def clear(self) -> None:
        """Delete every folder but INBOX and every mail in it, leaving the mailbox for the next test."""
        self.conn.select("INBOX")
        status, data = self.conn.list()
        for line in data if status == "OK" else []:
            name = line.decode().rsplit(' "." ', 1)[-1]
            if name.strip('"') != "INBOX":
                self.conn.delete(name)
        if self.count("INBOX"):
            self.conn.store("1:*", "+FLAGS", "(\\Deleted)")
            self.conn.expunge()
        self.conn.logout()


def _flags(item: bytes) -> list[str]:
    return [flag.decode() for flag in imaplib.ParseFlags(item)]


def mail(
    subject: str | None = "Yazıcı çalışmıyor",
    body: str = "3. kattaki yazıcı kağıt sıkıştırıyor.",
    *,
    sender: str = "Ayşe Yılmaz <ayse.yilmaz@belediye.test>",
    to: str = "destek@belediye.test",
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    html: str | None = None,
    files: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
    **headers: Any,
) -> EmailMessage:
    """A well-formed mail as a modern client writes it (UTF-8, RFC 2047 headers where needed)."""
    message = EmailMessage()
    if subject is not None:
        message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(timezone.now())
    if message_id is not None:
        message["Message-ID"] = message_id
    if in_reply_to is not None:
        message["In-Reply-To"] = in_reply_to
    if references is not None:
        message["References"] = references
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    if html is not None and not body:
        message.set_content(html, subtype="html")
    else:
        message.set_content(body)
        if html is not None:
            message.add_alternative(html, subtype="html")
    for name, content, content_type in files:
        maintype, subtype = content_type.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message


FIXTURES = Path(__file__).parent / "mail_fixtures"


def fixture(name: str) -> bytes:
    """A sample mail as a client really sent it (bytes, CRLF kept)."""
    return (FIXTURES / name).read_bytes()


ADDRESSES = {
    "requester": "ayse.yilmaz@belediye.test",
    "colleague": "can.demir@belediye.test",
    "technician": "mehmet.kaya@belediye.test",
    "software_technician": "zeynep.arslan@belediye.test",
    "manager": "sef@belediye.test",
    "head": "baskan@belediye.test",
    "auditor": "denetci@belediye.test",
    "outsider": "ali.ozturk@belediye.test",
}


def with_addresses(desk: Any) -> Any:
    """Give every persona of ``make_desk()`` an e-mail address, on the user and on the staff record."""
    from biys.org.models import Staff

    for persona, address in ADDRESSES.items():
        user = getattr(desk, persona)
        user.email = address
        user.save(update_fields=["email"])
        for staff in Staff.objects.filter(user=user):
            staff.email = address
            staff.save()
    desk.requester_staff.refresh_from_db()
    return desk
