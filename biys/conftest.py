"""Suite-wide test set-up."""

from __future__ import annotations

import pytest

from biys.core.caching import clear_all


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Per-process caches (municipality header, calendar exceptions) start empty in every test: a value cached by
    # an earlier test may come from a rolled-back transaction, and one that expires mid-test would change a
    # query count between two measurements.
    clear_all()
