"""Staff list: search as you type with Turkish folding, and who may see whose staff record."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from e2e.helpers import assert_styled, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def query_of(page) -> dict[str, list[str]]:
    """The non-empty query parameters of the current URL, which HTMX pushed into the address bar."""
    return parse_qs(urlsplit(page.url).query)


def _search(page, query: str, expected_rows: int) -> list[str]:
    """Type the query key by key, wait for the HTMX refresh of the table, return the row texts."""
    field = page.locator("input[name=q]")
    field.fill("")
    with page.expect_response(lambda r: f"q={query}" in r.url and r.request.headers.get("hx-request") == "true"):
        field.press_sequentially(query, delay=40)
    page.wait_for_url(f"**/teskilat/staff/?*q={query}*")
    rows = page.locator("#object-table tbody tr")
    expect(rows).to_have_count(expected_rows)  # waits out any swap still in flight
    return rows.all_inner_texts()


def test_staff_search_folds_turkish_letters_and_refreshes_only_the_table(page):
    from biys.org.models import Staff

    login(page, "baskan")
    page.goto("/teskilat/staff/")
    assert_styled(page)
    rows_before = page.locator("#object-table tbody tr").count()
    assert rows_before == 50  # first page of ~360 people
    # A marker on the window survives HTMX swaps but not a full page load.
    page.evaluate("window.__noReload = 'still here'")

    expected = Staff.objects.filter(last_name="Öztürk").count()
    assert expected >= 2  # the branch manager Gülşen Öztürk and at least one generated colleague
    rows = _search(page, "ozturk", expected)
    assert all("Öztürk" in row for row in rows), rows
    assert any("Gülşen Öztürk" in row for row in rows), rows
    assert page.evaluate("window.__noReload") == "still here"
    assert query_of(page) == {"q": ["ozturk"]}  # empty filters may ride along; the search term must be there
    assert page.locator("input[name=q]").input_value() == "ozturk"
    shot(page, "staff-search-ozturk")

    expected = Staff.objects.filter(last_name__in=["Işık", "Işıkay"]).count()
    assert expected >= 1
    rows = _search(page, "isik", expected)
    assert all("Işık" in row for row in rows), rows
    assert page.evaluate("window.__noReload") == "still here"
    assert query_of(page) == {"q": ["isik"]}
    shot(page, "staff-search-isik")

    # The pushed URL is a real page: opening it afresh shows the same result.
    page.reload()
    assert page.evaluate("window.__noReload") is None
    assert page.locator("input[name=q]").input_value() == "isik"
    assert page.locator("#object-table tbody tr").count() == expected


def test_it_chief_gets_404_for_another_units_staff_and_unit_user_gets_403_on_staff_list(page):
    from biys.org.models import Staff, Unit

    road_unit = Unit.objects.get(name="Yol Yapım Şube Müdürlüğü")
    outsider = Staff.objects.filter(unit=road_unit).exclude(user__isnull=False).order_by("id").first()
    colleague = Staff.objects.get(user__username="teknisyen")
    assert outsider is not None

    login(page, "sef")
    response = page.goto(colleague.get_absolute_url())
    assert response.status == 200  # their own section's technician is visible …
    assert str(colleague) in page.locator("h1").inner_text()

    response = page.goto(outsider.get_absolute_url())
    assert response.status == 404  # … another unit's employee is not, and the page does not say they exist
    assert_styled(page)
    assert outsider.last_name not in page.content()
    assert page.locator("main .card h1 .bi-question-circle").count() == 1  # the styled 404 page, not Django's
    assert page.locator("nav.navbar [data-testid=user-menu]").is_visible()  # still inside the app, logged in
    shot(page, "staff-other-unit-404")

    page.context.clear_cookies()
    login(page, "kullanici")
    assert page.locator(f'nav a[href="{"/teskilat/staff/"}"]').count() == 0  # no menu entry for what is forbidden
    response = page.goto("/teskilat/staff/")
    assert response.status == 403
    assert_styled(page)
    assert page.locator("#object-table").count() == 0
    assert page.locator("main .card h1 .bi-shield-lock").count() == 1
    shot(page, "staff-list-403")
