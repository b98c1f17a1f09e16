"""Small steps the browser tests share: log in, take a screenshot, check the page is styled and fits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LOGIN_URL = "/hesap/giris/"


def login(page: Any, username: str, password: str | None = None) -> Any:
    """Log in through the real form; returns the response of the page the form lands on."""
    from biys.org.demo.loader import DEMO_PASSWORD

    page.goto(LOGIN_URL)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD if password is None else password)
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    return navigation.value


def shot(page: Any, name: str) -> Path:
    """A full-page PNG in e2e/artifacts/ (gitignored) for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def path_of(page: Any) -> str:
    """The current URL without scheme and host, e.g. ``/teskilat/staff/?q=ozturk``."""
    return str(page.evaluate("location.pathname + location.search"))


def assert_styled(page: Any) -> None:
    """Bootstrap and the BİYS stylesheet are loaded and applied (whitenoise serves them from the finders)."""
    sheets = page.evaluate("Array.from(document.styleSheets).filter(s => s.href).map(s => [s.href, s.cssRules.length])")
    loaded = {href.rsplit("/", 1)[-1]: rules for href, rules in sheets}
    assert loaded.get("bootstrap.min.css", 0) > 100, loaded
    assert "biys.css" in loaded, loaded
    # A rule Bootstrap alone provides: the navbar is a flex container.
    assert page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).display") == "flex"


def assert_fits_width(page: Any) -> None:
    """Nothing makes the page itself scroll sideways (wide tables may scroll inside their own box)."""
    widths = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"] + 1, widths
