"""Small values that every request reads and that change a few times a year, kept per process for a while.

The municipality's name in the page header and the calendar's exception days are read on nearly every page;
a database round trip for each is waste. A :class:`ProcessCache` keeps the loaded value for ``seconds``. A save
in this process clears it at once (the owner connects ``clear`` to its model's signals), so another worker sees
an edit within ``seconds``.

A value that must never be stale across workers (the service desk's routing and SLA configuration) is a
:class:`VersionedValue` instead: it is kept while a *version* in the shared cache (``settings.CACHES``: files
under the data dir, or Redis) is the one it was loaded under, and a change bumps that version when its
transaction commits, so every process loads it again on its next read.

Every instance registers itself, so :func:`clear_all` can drop them together: the test suite does so before
each test, so that a value cached by an earlier test (possibly inside a rolled-back transaction) never leaks
into the next one and never expires half-way through a query-count measurement.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from time import monotonic
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["ProcessCache", "SharedVersion", "VersionedValue", "clear_all", "register"]

T = TypeVar("T")


class Clearable(Protocol):
    def clear(self) -> None: ...


_registry: list[Clearable] = []


def register(clearable: Clearable) -> None:
    """A per-process cache that :func:`clear_all` must empty (every ProcessCache registers itself)."""
    _registry.append(clearable)


class ProcessCache(Generic[T]):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._entry: tuple[float, T] | None = None
        register(self)

    def get(self, load: Callable[[], T]) -> T:
        now = monotonic()
        entry = self._entry
        if entry is None or now - entry[0] >= self.seconds:
            entry = (now, load())
            self._entry = entry
        return entry[1]

    def clear(self, *args: Any, **kwargs: Any) -> None:
        """Forget the value; takes any arguments so it can be connected to a model signal directly."""
        self._entry = None


class SharedVersion:
    """A token in the shared cache that names the current state of something every process keeps a copy of."""

    def __init__(self, key: str) -> None:
        self.key = key

    def current(self) -> str:
        from django.core.cache import cache

        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, uuid.uuid4().hex, None)
            version = cache.get(self.key)
        return str(version)

    def renew(self) -> None:
        from django.core.cache import cache

        cache.set(self.key, uuid.uuid4().hex, None)


class VersionedValue(Generic[T]):
    """One value each process keeps while the shared version it was loaded under is current.

    ``changed`` (connect it to the signals of every model the value is made of) drops this process's copy at
    once and renews the version when the transaction commits: a process that reloaded between the save and the
    commit read the old rows under the old version, so it must see a new one afterwards. ``max_age`` bounds
    what a change behind the ORM's back (SQL, a bulk ``update``) can leave stale.

    Until the changing transaction ends, the thread that made the change reads its own copy (it sees its own
    uncommitted rows, which no other request may see); a transaction that ends without a commit (a rollback)
    leaves that copy behind, and the thread goes back to the shared one.
    """

    def __init__(self, key: str, max_age: float = 60.0) -> None:
        self.version = SharedVersion(key)
        self.max_age = max_age
        self._entry: tuple[str, float, T] | None = None
        self._local = threading.local()  # .pending: this thread changed the rows; .entry: its own copy
        register(self)

    def get(self, load: Callable[[], T]) -> T:
        from django.db import connection

        local = self._local
        private = getattr(local, "pending", False)
        if private and not connection.in_atomic_block:  # the changing transaction ended without a commit
            private, local.pending, local.entry = False, False, None
        entry = getattr(local, "entry", None) if private else self._entry
        version, now = self.version.current(), monotonic()
        if entry is None or entry[0] != version or now - entry[1] >= self.max_age:
            entry = (version, now, load())
            if private:
                local.entry = entry
            else:
                self._entry = entry
        return entry[2]

    def changed(self, *args: Any, **kwargs: Any) -> None:
        from django.db import transaction

        self._entry = None
        self._local.pending, self._local.entry = True, None
        transaction.on_commit(self._renew)

    def watch(self, *models: Any) -> None:
        """Drop and renew the value whenever a row of ``models`` is saved or deleted."""
        from django.db.models.signals import post_delete, post_save

        for model in models:
            uid = f"biys_versioned_{self.version.key}_{model._meta.label}"
            post_save.connect(self.changed, sender=model, dispatch_uid=f"{uid}_save", weak=False)
            post_delete.connect(self.changed, sender=model, dispatch_uid=f"{uid}_delete", weak=False)

    def _renew(self) -> None:
        self.version.renew()
        self._entry = None
        self._local.pending, self._local.entry = False, None

    def clear(self, *args: Any, **kwargs: Any) -> None:
        self._entry = None
        self._local.pending, self._local.entry = False, None


def clear_all() -> None:
    for cache in _registry:
        cache.clear()
