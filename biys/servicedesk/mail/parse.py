"""Raw MIME bytes → one normalised mail the intake can work with, whatever the sender's client did.

Turkish offices send mail in UTF-8, Windows-1254 and ISO-8859-9, with headers in RFC 2047 encoded words
(B and Q), sometimes with the wrong charset declared or none at all. ``parse_mail`` never raises: a broken
message gives its best-effort text, an unknown charset falls back to UTF-8, then Windows-1254, then UTF-8
with replacement characters.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import email
import hashlib
import logging
import quopri
import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import collapse_rfc2231_value, parseaddr
from html.parser import HTMLParser

logger = logging.getLogger("biys.servicedesk.mail")

MAX_ID_LENGTH = 255  # MailMessage.message_id
MAX_REFERENCES = 50
MAX_BODY_CHARS = 100_000

ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
ANGLE_ID = re.compile(r"<[^<>\s]+>")
HEADER_END = re.compile(rb"\r?\n\r?\n")
# Latin-1 and Windows-1252 differ from Windows-1254 exactly where Turkish has ğ, ı, ş (and capitals):
# text "decoded" as Latin-1 that shows these letters was really Turkish.
LATIN_FAMILY = frozenset({"latin-1", "iso8859-1", "cp1252", "ascii"})
TURKISH_IN_LATIN1 = frozenset("ðýþÐÝÞ")
AUTO_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})


@dataclass(frozen=True)
class MailFile:
    """One attachment as the mail carried it; its name is only ever a label, never a path."""

    name: str
    content: bytes
    content_type: str


@dataclass
class ParsedMail:
    message_id: str
    subject: str = ""
    sender: str = ""  # the address of From
    sender_name: str = ""  # the display name of From
    references: list[str] = field(default_factory=list)  # In-Reply-To first, then References nearest first
    body: str = ""
    files: list[MailFile] = field(default_factory=list)
    is_automatic: bool = False  # an auto-reply, a bounce or list mail: never a request
    truncated: bool = False


# -- text ---------------------------------------------------------------------------------------------------


def codec_name(charset: str | None) -> str | None:
    """Python's name for a declared charset, or None when it is missing or unknown."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").split("*", 1)[0]
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Bytes in the declared charset; a wrong or unknown one falls back to UTF-8, then Windows-1254.
    NUL characters go (PostgreSQL cannot store them)."""
    return _decode(data, charset).replace("\x00", "")


def _decode(data: bytes, charset: str | None) -> str:
    declared = codec_name(charset)
    candidates = [declared, "utf-8", "cp1254"]
    if declared in LATIN_FAMILY:
        # Latin-1 decodes anything: check UTF-8 first, and prefer Windows-1254 when the text says so.
        candidates = ["utf-8", declared, "cp1254"]
    for name in dict.fromkeys(c for c in candidates if c):
        try:
            text = data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
        if name in LATIN_FAMILY and TURKISH_IN_LATIN1 & set(text):
            try:
                return data.decode("cp1254")
            except UnicodeDecodeError:
                return text
        return text
    return data.decode("utf-8", errors="replace")


def _unescape_bytes(text: str) -> str:
    """Header text holding raw 8-bit bytes (smuggled in as surrogates by the parser) decoded properly."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return decode_text(text.encode("utf-8", errors="surrogateescape"))


def _word_payload(match: re.Match[str]) -> bytes | None:
    encoding, data = match[2].lower(), match[3]
    try:
        if encoding == "b":
            return base64.b64decode(data + "=" * (-len(data) % 4), validate=True)
        return quopri.decodestring(data.encode("ascii"), header=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None


def decode_header_value(raw: object) -> str:
    """An RFC 2047 header as one line of text. Adjacent encoded words of one charset are joined before
    decoding (clients split multi-byte letters across them); the space between encoded words goes."""
    text = _unescape_bytes(str(raw or ""))
    pieces: list[tuple[bytes | str, str | None]] = []
    position = 0
    for match in ENCODED_WORD.finditer(text):
        between = text[position : match.start()]
        previous_encoded = bool(pieces) and pieces[-1][1] is not None
        if between and not (between.isspace() and previous_encoded):
            pieces.append((between, None))
        position = match.end()
        payload = _word_payload(match)
        if payload is None:
            pieces.append((match[0], None))
            continue
        charset = match[1].split("*", 1)[0].lower()
        last = pieces[-1] if pieces else None
        if last is not None and last[1] == charset and isinstance(last[0], bytes):
            pieces[-1] = (last[0] + payload, charset)  # no text between: only whitespace, or none
        else:
            pieces.append((payload, charset))
    pieces.append((text[position:], None))
    decoded = "".join(p if isinstance(p, str) else decode_text(p, charset) for p, charset in pieces)
    return " ".join(decoded.split())


class _TextExtractor(HTMLParser):
    """Just enough HTML → text for mail bodies: blocks become lines, scripts and styles vanish."""

    PARAGRAPHS = frozenset({"p", "table", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
    LINES = frozenset({"div", "tr", "section", "article", "header", "footer", "dd", "dt", "hr"})
    HIDDEN = frozenset({"script", "style", "head", "title", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.PARAGRAPHS:
            self.parts.append("\n\n")
        elif tag in self.LINES or tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self.PARAGRAPHS:
            self.parts.append("\n\n")
        elif tag in self.LINES:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # broken HTML gives what was read so far
        logger.debug("HTML body could not be parsed to the end", exc_info=True)
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# -- headers --------------------------------------------------------------------------------------------------


def normalise_id(value: str) -> str:
    """A Message-ID as stored: in angle brackets, hashed when longer than the column."""
    value = value.strip()
    if not value:
        return ""
    if not (value.startswith("<") and value.endswith(">")):
        value = f"<{value.strip('<>')}>"
    if len(value) > MAX_ID_LENGTH:
        value = f"<{hashlib.sha256(value.encode('utf-8', 'surrogateescape')).hexdigest()}@long.biys.invalid>"
    return value


def message_ids(raw: object) -> list[str]:
    text = _unescape_bytes(str(raw or ""))
    found = ANGLE_ID.findall(text) or text.split()
    return [normalise_id(value) for value in found if value.strip("<>")]


def _header(message: Message, name: str) -> str:
    """The raw value of the first ``name`` header: 8-bit bytes stay as surrogates for ``_unescape_bytes``."""
    wanted = name.lower()
    for key, value in message.raw_items():
        if key.lower() == wanted:
            return value if isinstance(value, str) else str(value)
    return ""


def synthetic_id(message: Message | None, raw: bytes) -> str:
    """A stable id for a mail without one: the same mail (delivered twice, polled twice) gets the same id."""
    digest = hashlib.sha256()
    if message is not None:
        for name in ("From", "To", "Cc", "Date", "Subject"):
            digest.update(_header(message, name).encode("utf-8", "surrogateescape") + b"\n")
    parts = HEADER_END.split(raw, maxsplit=1)
    digest.update(parts[1] if len(parts) == 2 else raw)
    return f"<{digest.hexdigest()[:40]}@synthetic.biys.invalid>"


def _is_automatic(message: Message) -> bool:
    auto = _header(message, "Auto-Submitted").strip().lower()
    if auto and auto != "no":
        return True
    if _header(message, "Precedence").strip().lower() in AUTO_PRECEDENCE:
        return True
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        return True
    return message.get_content_type() == "multipart/report"  # delivery status notifications


# -- body and files -------------------------------------------------------------------------------------------


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding gives the raw text
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _charset(part: Message) -> str | None:
    try:
        return part.get_content_charset()
    except Exception:
        return None


def safe_file_name(name: str, content_type: str) -> str:
    """A label for an attachment: no directories, no control characters, not empty."""
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().strip(".")
    if not name:
        extension = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "text/plain": ".txt"}
        name = "attachment" + extension.get(content_type, "")
    return name[-150:]


def _file_name(part: Message) -> str:
    # Re-read the two headers from their raw text: a raw 8-bit (UTF-8 or Windows-1254) file name would
    # otherwise come back from the parser as replacement characters.
    probe = Message()
    for header in ("Content-Disposition", "Content-Type"):
        raw = _header(part, header)
        if raw:
            probe[header] = _unescape_bytes(raw)
    try:
        name = probe.get_filename() or probe.get_param("name") or ""
        if isinstance(name, tuple):
            name = collapse_rfc2231_value(name)
    except Exception:  # a parameter list beyond repair: no name
        name = ""
    return decode_header_value(name)


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _leaves(part: Message) -> list[Message]:
    if part.is_multipart():
        leaves: list[Message] = []
        for sub in part.get_payload():
            if isinstance(sub, Message):
                leaves.extend(_leaves(sub))
        return leaves
    return [part]


def _read_parts(message: Message) -> tuple[str, list[MailFile]]:
    plain: list[str] = []
    html: list[str] = []
    files: list[MailFile] = []
    for part in _leaves(message):
        content_type = part.get_content_type()
        maintype = part.get_content_maintype()
        disposition = _header(part, "Content-Disposition").split(";", 1)[0].strip().lower()
        name = _file_name(part)
        data = _payload(part)
        if name or disposition == "attachment" or maintype not in ("text", "multipart", "message"):
            if data:
                files.append(MailFile(safe_file_name(name, content_type), data, content_type))
        elif content_type == "text/html":
            html.append(html_to_text(decode_text(data, _charset(part))))
        else:
            # text/plain, and whatever a broken multipart left behind as one lump of text
            plain.append(_lines(decode_text(data, _charset(part))))
    texts = [t.strip() for t in (plain if any(p.strip() for p in plain) else html)]
    return "\n\n".join(t for t in texts if t), files


# -- the mail -------------------------------------------------------------------------------------------------


def parse_mail(raw: bytes) -> ParsedMail:
    """The normalised mail; never raises (a mail nothing can be made of is its raw text)."""
    try:
        message = email.message_from_bytes(raw)
        return _parse(message, raw)
    except Exception:  # the last resort: keep the text, lose the structure
        return ParsedMail(message_id=synthetic_id(None, raw), body=decode_text(raw)[:MAX_BODY_CHARS])


def _parse(message: Message, raw: bytes) -> ParsedMail:
    ids = message_ids(_header(message, "Message-ID"))
    name, address = parseaddr(_unescape_bytes(_header(message, "From")))
    references = message_ids(_header(message, "In-Reply-To"))
    references += reversed(message_ids(_header(message, "References")))
    body, files = _read_parts(message)
    mail = ParsedMail(
        message_id=ids[0] if ids else synthetic_id(message, raw),
        subject=decode_header_value(_header(message, "Subject")),
        sender=address.strip() if "@" in address else "",
        sender_name=decode_header_value(name),
        references=list(dict.fromkeys(references))[:MAX_REFERENCES],
        body=body,
        files=files,
        is_automatic=_is_automatic(message),
    )
    if len(mail.body) > MAX_BODY_CHARS:
        mail.body, mail.truncated = mail.body[:MAX_BODY_CHARS], True
    return mail
