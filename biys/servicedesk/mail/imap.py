"""The IMAP poller: unseen mails of the desk's mailbox → ``intake.take``, one transaction per mail.

A mail is marked \\Seen (or moved to ``BIYS_MAIL_DONE_FOLDER``) only after its transaction has committed; if
the poller dies in between, the next poll finds the mail again and the intake recognises its Message-ID.
A mail that fails is logged and flagged ``$BiysFailed`` (servers without keywords: \\Flagged and \\Seen), so
it is never retried forever and never holds up the others; remove the flag to have it read again.
"""

from __future__ import annotations

import base64
import imaplib
import logging
import re
import ssl
from dataclasses import asdict, dataclass

from django.conf import settings
from django.utils import translation

from biys.servicedesk.mail import intake
from biys.servicedesk.mail.intake import IntakeConfig, MailConfigError
from biys.servicedesk.mail.parse import parse_mail

logger = logging.getLogger("biys.servicedesk.mail")

FAILED_FLAG = "$BiysFailed"


class MailboxError(RuntimeError):
    """The mailbox cannot be reached or read (connection, login, folder)."""


@dataclass
class PollReport:
    created: int = 0
    followups: int = 0
    duplicates: int = 0
    ignored: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def count(self, result: str) -> None:
        field = {"created": "created", "followup": "followups", "duplicate": "duplicates"}.get(result, "ignored")
        setattr(self, field, getattr(self, field) + 1)


def mailbox_name(name: str) -> str:
    """A folder name for an IMAP command: modified UTF-7 (RFC 3501 5.1.3), quoted ("İşlenenler" works)."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).decode("ascii")
            out.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    text = "".join(out)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def connect() -> imaplib.IMAP4:
    """A logged-in connection to the configured server."""
    host, port, security = settings.BIYS_MAIL_HOST, settings.BIYS_MAIL_PORT, settings.BIYS_MAIL_SECURITY
    if not host:
        raise MailConfigError("BIYS_MAIL_HOST is not set: there is no mailbox to poll")
    timeout = settings.BIYS_MAIL_TIMEOUT
    try:
        if security == "ssl":
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port, ssl_context=_tls(), timeout=timeout)
        else:
            conn = imaplib.IMAP4(host, port, timeout=timeout)
            if security == "starttls":
                conn.starttls(ssl_context=_tls())
        _login(conn, settings.BIYS_MAIL_USER, settings.BIYS_MAIL_PASSWORD)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"IMAP {host}:{port} ({security}): {exc}") from exc
    return conn


def _login(conn: imaplib.IMAP4, user: str, password: str) -> None:
    if user.isascii() and password.isascii():
        conn.login(user, password)
        return
    # LOGIN is ASCII only; SASL PLAIN carries UTF-8 (RFC 4616), e.g. a password with "ş".
    credentials = f"\0{user}\0{password}".encode()
    conn.authenticate("PLAIN", lambda _challenge: credentials)


def _tls() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.BIYS_MAIL_CA_FILE or None)


def poll(limit: int | None = None) -> PollReport:
    """Read the unseen, unfailed mails of ``BIYS_MAIL_FOLDER`` (at most ``BIYS_MAIL_BATCH``)."""
    config = IntakeConfig.load()
    conn = connect()
    report = PollReport()
    try:
        _select(conn, settings.BIYS_MAIL_FOLDER)
        done = settings.BIYS_MAIL_DONE_FOLDER
        if done:
            conn.create(mailbox_name(done))  # NO when it exists already; that is fine
        capabilities = _capabilities(conn)
        for uid in _unseen(conn)[: limit or settings.BIYS_MAIL_BATCH]:
            if _take_one(conn, uid, config, report):
                _done(conn, uid, capabilities)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"IMAP {settings.BIYS_MAIL_HOST}: {exc}") from exc
    finally:
        _logout(conn)
    logger.info("mail poll: %s", report.as_dict())
    return report


def _select(conn: imaplib.IMAP4, folder: str) -> None:
    status, data = conn.select(mailbox_name(folder))
    if status != "OK":
        raise MailboxError(f"IMAP folder {folder!r} cannot be opened: {_text(data)}")


def _unseen(conn: imaplib.IMAP4) -> list[str]:
    try:
        status, data = conn.uid("SEARCH", "UNSEEN", "NOT", "KEYWORD", FAILED_FLAG)
    except imaplib.IMAP4.error:
        status = "BAD"
    if status != "OK":  # a server that cannot search keywords: failed mails are \Seen there anyway
        status, data = conn.uid("SEARCH", "UNSEEN")
    if status != "OK":
        raise MailboxError(f"IMAP search failed: {_text(data)}")
    return [uid.decode() for chunk in data if isinstance(chunk, bytes) for uid in chunk.split()]


def _fetch(conn: imaplib.IMAP4, uid: str) -> bytes | None:
    status, data = conn.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and re.search(rb"BODY\[\]", item[0]):
            return bytes(item[1])
    return None


def _take_one(conn: imaplib.IMAP4, uid: str, config: IntakeConfig, report: PollReport) -> bool:
    """Take one mail; False when it failed (and is flagged). A broken connection raises and ends the poll."""
    raw = _fetch(conn, uid)
    if raw is None:
        logger.error("mail uid %s could not be fetched; flagged %s", uid, FAILED_FLAG)
        _flag_failed(conn, uid)
        report.failed += 1
        return False
    mail = parse_mail(raw)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            outcome = intake.take(mail, config)  # committed when this returns
    except Exception:
        logger.exception("mail uid %s %s from %r failed; flagged %s", uid, mail.message_id, mail.sender, FAILED_FLAG)
        _flag_failed(conn, uid)
        report.failed += 1
        return False
    report.count(outcome.result)
    return True


def _done(conn: imaplib.IMAP4, uid: str, capabilities: set[bytes]) -> None:
    folder = settings.BIYS_MAIL_DONE_FOLDER
    conn.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    if not folder:
        return
    target = mailbox_name(folder)
    if b"MOVE" in capabilities:
        status, data = conn.uid("MOVE", uid, target)
    else:
        status, data = conn.uid("COPY", uid, target)
        if status == "OK":
            conn.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
            # Only this mail: a plain EXPUNGE would also remove what others marked deleted. Without UIDPLUS
            # the copy stays behind, read and marked deleted, until the server or a client expunges.
            if b"UIDPLUS" in capabilities:
                conn.uid("EXPUNGE", uid)
    if status != "OK":
        logger.warning("mail uid %s is read but could not be moved to %r: %s", uid, folder, _text(data))


def _flag_failed(conn: imaplib.IMAP4, uid: str) -> None:
    status, _data = conn.uid("STORE", uid, "+FLAGS", f"({FAILED_FLAG})")
    if status != "OK":  # a server without keywords: flag it and leave it read instead
        conn.uid("STORE", uid, "+FLAGS", "(\\Flagged \\Seen)")


def _capabilities(conn: imaplib.IMAP4) -> set[bytes]:
    """What the server offers after login (many announce MOVE only then)."""
    status, data = conn.capability()
    if status != "OK":
        return set()
    return {word.upper() for chunk in data if isinstance(chunk, bytes) for word in chunk.split()}


def _logout(conn: imaplib.IMAP4) -> None:
    try:
        conn.logout()
    except (OSError, imaplib.IMAP4.error):
        logger.debug("IMAP logout failed", exc_info=True)


def _text(data: object) -> str:
    if isinstance(data, list):
        return " ".join(_text(item) for item in data)
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return str(data)
