from __future__ import annotations

from collections.abc import Callable

import pytest

from biys.core import caching
from biys.core.caching import ProcessCache, clear_all


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(caching, "monotonic", clock)
    return clock


def counting_loader() -> tuple[list[int], Callable[[], int]]:
    calls: list[int] = []

    def load() -> int:
        calls.append(1)
        return len(calls)

    return calls, load


def test_value_is_loaded_once_within_its_lifetime(clock: Clock) -> None:
    cache: ProcessCache[int] = ProcessCache(60)
    calls, load = counting_loader()
    assert cache.get(load) == 1
    clock.now += 59.9
    assert cache.get(load) == 1
    assert len(calls) == 1


def test_value_is_reloaded_when_it_expires(clock: Clock) -> None:
    cache: ProcessCache[int] = ProcessCache(60)
    _calls, load = counting_loader()
    cache.get(load)
    clock.now += 60
    assert cache.get(load) == 2


def test_clear_and_clear_all_force_a_reload(clock: Clock) -> None:
    first: ProcessCache[int] = ProcessCache(60)
    second: ProcessCache[int] = ProcessCache(60)
    _calls1, load1 = counting_loader()
    _calls2, load2 = counting_loader()
    first.get(load1)
    second.get(load2)
    first.clear(sender=None, instance=None)  # signal-style call
    assert first.get(load1) == 2
    assert second.get(load2) == 1
    clear_all()
    assert first.get(load1) == 3
    assert second.get(load2) == 2


@pytest.mark.django_db
def test_municipality_header_is_cached_and_refreshed_on_save(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from biys.org.models import Municipality

    municipality = Municipality.objects.create(name="Nizip Belediyesi")
    with django_assert_num_queries(1):
        assert Municipality.cached() == municipality
        assert Municipality.cached() == municipality
    municipality.name = "Nizip Belediye Başkanlığı"
    municipality.save()
    cached = Municipality.cached()
    assert cached is not None and cached.name == "Nizip Belediye Başkanlığı"
