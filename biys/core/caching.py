"""Small values that every request reads and that change a few times a year, kept per process for a while.

The municipality's name in the page header and the calendar's exception days are read on nearly every page;
a database round trip for each is waste. A :class:`ProcessCache` keeps the loaded value for ``seconds``. A save
in this process clears it at once (the owner connects ``clear`` to its model's signals), so another worker sees
an edit within ``seconds``.

Every instance registers itself, so :func:`clear_all` can drop them together: the test suite does so before
each test, so that a value cached by an earlier test (possibly inside a rolled-back transaction) never leaks
into the next one and never expires half-way through a query-count measurement.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["ProcessCache", "clear_all", "register"]

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


def clear_all() -> None:
    for cache in _registry:
        cache.clear()
