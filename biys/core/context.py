"""Who is acting right now: the request's user, id and address, for the change log.

Set by RequestContextMiddleware for web requests, by the API base view after token
authentication, and by ``acting_as`` for commands and tasks.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    user: Any = None  # a User, or None for the system
    request_id: str = ""
    ip: str | None = None


_NOBODY = Actor()
_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("biys_actor", default=None)


def current() -> Actor:
    return _current.get() or _NOBODY


def current_user() -> Any:
    user = current().user
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def set_actor(actor: Actor) -> contextvars.Token[Actor | None]:
    return _current.set(actor)


def reset(token: contextvars.Token[Actor | None]) -> None:
    _current.reset(token)


@contextmanager
def acting_as(user: Any = None, request_id: str = "", ip: str | None = None) -> Iterator[Actor]:
    """Run a block (a command, a task, a test) as if ``user`` did it."""
    actor = Actor(user=user, request_id=request_id, ip=ip)
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
