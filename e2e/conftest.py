"""Browser tests: Playwright's Python package driving Debian's chromium against pytest-django's live server.

No browser is ever downloaded: the tests launch ``/usr/bin/chromium`` (``make test`` installs it) and fail
with a clear message when it is missing.
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM calls there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--lang=tr-TR",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's chromium and never download one. "
            "Run `make test` (it installs the Debian package) or `sudo apt-get install chromium`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        # Chromium on Linux takes its UI language (file and date inputs) from LANGUAGE; chromium-l10n has Turkish.
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, env={**os.environ, "LANGUAGE": "tr"}
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def demo_snapshot() -> dict[str, Any]:
    """Holds the copy of the database taken after the first ``load_demo()`` of the session."""
    return {}


@pytest.fixture
def demo(transactional_db: None, demo_snapshot: dict[str, Any]) -> None:
    """The demo municipality, afresh for every test (transactional tests empty the database after each test).

    The first test loads it with ``load_demo()`` and keeps a copy of the database; later tests get the copy back,
    which is exact and takes milliseconds instead of seconds (see e2e/snapshot.py).
    """
    from biys.org.demo.loader import load_demo
    from biys.users.roles import sync_roles
    from e2e import snapshot

    if "copy" in demo_snapshot:
        snapshot.restore(demo_snapshot["copy"])
    else:
        sync_roles()  # roles come from post_migrate; make sure they exist whatever emptied the database before
        assert load_demo().created
        demo_snapshot["copy"] = snapshot.take()

    from biys.org.models import Municipality, Staff

    assert Municipality.objects.filter(pk=1).exists()
    assert Staff.objects.filter(user__username="teknisyen").exists()


def _new_page(browser: Any, live_server: Any, viewport: dict[str, int]) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="tr-TR", timezone_id="Europe/Istanbul"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
    page.on("requestfailed", lambda r: "/static/" in r.url and problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: "/static/" in r.url and r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    try:
        yield page
        # Every page the test visited loaded its CSS, scripts and fonts, and ran its scripts without error.
        assert problems == [], problems
    finally:
        context.close()


@pytest.fixture
def page(browser: Any, live_server: Any, demo: None) -> Iterator[Any]:
    """A desktop-sized tab on the live server with the demo data loaded."""
    yield from _new_page(browser, live_server, DESKTOP)


@pytest.fixture
def phone(browser: Any, live_server: Any, demo: None) -> Iterator[Any]:
    """A phone-sized tab (390×844) on the live server with the demo data loaded."""
    yield from _new_page(browser, live_server, PHONE)
