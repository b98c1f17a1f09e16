"""Bytes on the wire: reading a bounded body, undoing the agents' compression, compressing replies.

The agents compress with zlib (RFC 1950: FusionInventory ``application/x-compress-zlib``, OCS
``application/x-compress``), sometimes gzip, GLPI servers also accept raw deflate, and some agents
send plain text. Replies go back in the encoding the request came in; FusionInventory looks for the
``78 9C`` zlib header, so replies use zlib's default level.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

ZLIB, GZIP, DEFLATE, PLAIN = "zlib", "gzip", "deflate", "plain"
_CONTENT_TYPES = {
    ZLIB: "application/x-compress-zlib",
    GZIP: "application/x-compress-gzip",
    DEFLATE: "application/x-compress-deflate",
}
_CHUNK = 64 * 1024


class WireError(Exception):
    """The body cannot be read; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Body:
    data: bytes
    encoding: str  # how the request was compressed, so the reply can match it


def read_body(request: HttpRequest, limit: int) -> bytes:
    """The raw body, refused (413) past ``limit`` bytes without reading the rest.

    Read from the stream, not ``request.body``: the agents' limit is independent of
    DATA_UPLOAD_MAX_MEMORY_SIZE, which is meant for forms.
    """
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared.strip().isdigit() and int(declared) > limit:
        raise WireError("Request body is too large.", 413)
    chunks, size = [], 0
    while True:
        try:
            chunk = request.read(_CHUNK)
        except OSError as exc:  # the agent went away mid-upload (UnreadablePostError)
            raise WireError("The request body could not be read.") from exc
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise WireError("Request body is too large.", 413)
        chunks.append(chunk)
    return b"".join(chunks)


def decode(raw: bytes, content_type: str, limit: int) -> Body:
    """Undo the compression, recognised by its magic bytes first and the Content-Type second."""
    if not raw:
        raise WireError("Empty request body.")
    kind = _sniff(raw, content_type.split(";", 1)[0].strip().lower())
    if kind == PLAIN:
        return Body(raw, PLAIN)
    wbits = {ZLIB: zlib.MAX_WBITS, GZIP: 16 + zlib.MAX_WBITS, DEFLATE: -zlib.MAX_WBITS}[kind]
    inflater = zlib.decompressobj(wbits)
    try:
        data = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise WireError(f"The body is not valid {kind} data.") from exc
    if len(data) > limit or inflater.unconsumed_tail:
        raise WireError("Inflated request body is too large.", 413)
    if not inflater.eof:
        raise WireError(f"The {kind} data is truncated.")
    return Body(data, kind)


def _sniff(raw: bytes, content_type: str) -> str:
    if raw[:2] == b"\x1f\x8b":
        return GZIP
    if len(raw) >= 2 and raw[0] & 0x0F == 8 and (raw[0] << 8 | raw[1]) % 31 == 0:
        return ZLIB
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"<", b"{"):
        return PLAIN
    if "deflate" in content_type:
        return DEFLATE
    raise WireError("Unknown compression: send zlib, gzip, deflate or plain XML/JSON.")


def encode(data: bytes, encoding: str) -> bytes:
    if encoding == ZLIB:
        return zlib.compress(data)
    if encoding == GZIP:
        compressor = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
        return compressor.compress(data) + compressor.flush()
    if encoding == DEFLATE:
        compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        return compressor.compress(data) + compressor.flush()
    return data


def content_type(encoding: str, plain: str) -> str:
    """The reply's Content-Type: the compressed type, or ``plain`` (XML or JSON) when not compressed."""
    return _CONTENT_TYPES.get(encoding, plain)


def header(request: HttpRequest, name: str) -> str:
    value: Any = request.headers.get(name, "")
    return str(value).strip()
