"""Uploaded import files wait under MEDIA_ROOT/imports/<uuid>.<ext> between preview and commit; the
browser only holds a signed token naming the file, the user and the options."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing

SALT = "biys.inventory.imports"
MAX_AGE = 24 * 3600
_NAME = re.compile(r"^[0-9a-f]{32}\.(xlsx|csv)$")


def directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def save(upload: Any, extension: str) -> str:
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.{extension}"
    with open(folder / name, "wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return name


def make_token(name: str, user_id: int, commissioned: bool, kind: str = "assets") -> str:
    """``kind`` ("assets", "stock") binds the token to its import: one kind's file is never committed by the other."""
    return signing.dumps({"file": name, "user": user_id, "commissioned": commissioned, "kind": kind}, salt=SALT)


def read_token(token: str, user_id: int, kind: str = "assets") -> dict[str, Any] | None:
    """The token's payload if it is genuine, fresh, the user's own, of this import and its file still exists."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    name = payload.get("file", "")
    if payload.get("user") != user_id or payload.get("kind") != kind:
        return None
    if not _NAME.match(name) or not (directory() / name).exists():
        return None
    return payload


def load(name: str) -> tuple[bytes, str]:
    return (directory() / name).read_bytes(), name.rsplit(".", 1)[1]


def delete(name: str) -> None:
    if _NAME.match(name):
        (directory() / name).unlink(missing_ok=True)
