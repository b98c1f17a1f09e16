"""The login page in Turkish, a failed login, and the app on a phone."""

from __future__ import annotations

import pytest

from e2e.helpers import LOGIN_URL, assert_fits_width, assert_styled, login, path_of, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_wrong_password_shows_an_error_and_stays_on_the_turkish_login_page(page):
    from axes.models import AccessAttempt

    response = page.goto("/")
    assert response.ok
    assert path_of(page).startswith(LOGIN_URL)  # anonymous visitors are sent to the login page
    assert page.locator("html").get_attribute("lang") == "tr"
    assert_styled(page)
    assert page.locator("main .alert-danger").count() == 0
    shot(page, "login")

    response = login(page, "teknisyen", "yanlış-parola")
    assert response.status == 200  # the form is shown again, not a redirect
    assert path_of(page).startswith(LOGIN_URL)
    assert page.locator("html").get_attribute("lang") == "tr"
    error = page.locator("main .alert-danger[role=alert]")
    assert error.is_visible()
    assert error.inner_text().strip() != ""
    assert page.locator("input[name=username]").input_value() == "teknisyen"  # kept for the next try
    assert page.locator("input[name=password]").input_value() == ""  # never echoed back
    assert page.locator("[data-testid=user-menu]").count() == 0
    assert AccessAttempt.objects.filter(username="teknisyen", failures_since_start=1).exists()  # counted for lockout
    shot(page, "login-error")

    page.goto("/teskilat/agac/")
    assert path_of(page).startswith(LOGIN_URL)  # still not logged in


def test_phone_sized_home_and_staff_list_fit_the_screen_with_a_collapsed_menu(phone):
    login(phone, "baskan")
    assert path_of(phone) == "/"
    assert_styled(phone)
    assert_fits_width(phone)
    toggler = phone.locator("nav .navbar-toggler")
    menu = phone.locator("#mainnav")
    assert toggler.is_visible()
    assert not menu.is_visible()  # the menu is folded away behind the toggler
    shot(phone, "mobile-home")

    toggler.click()
    phone.locator("#mainnav.show").wait_for()  # Bootstrap adds .show once the slide-down animation ends
    assert menu.locator("a.dropdown-toggle").first.is_visible()
    assert toggler.get_attribute("aria-expanded") == "true"
    assert_fits_width(phone)
    shot(phone, "mobile-home-menu-open")

    phone.goto("/teskilat/staff/")
    assert_styled(phone)
    assert phone.locator("#object-table tbody tr").count() > 0
    assert_fits_width(phone)
    assert phone.locator("input[name=q]").is_visible()
    search_box = phone.locator("input[name=q]").bounding_box()
    assert search_box["x"] >= 0 and search_box["x"] + search_box["width"] <= 390, search_box
    assert phone.locator("nav .navbar-toggler").is_visible()
    shot(phone, "mobile-staff-list")

    phone.goto("/teskilat/agac/")
    assert_fits_width(phone)
    shot(phone, "mobile-unit-tree")
