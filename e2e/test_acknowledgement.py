"""A new technician reads the department's directive and acknowledges it (Mersin yönergesi, 5 business days)."""

from __future__ import annotations

import pytest

from e2e.helpers import assert_styled, login, path_of, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_new_technician_acknowledges_the_directive_from_the_home_page_notice(page):
    from biys.org.models import Acknowledgement, Directive

    directive = Directive.objects.get()
    assert not Acknowledgement.objects.filter(staff__user__username="teknisyen").exists()

    login(page, "teknisyen")
    assert path_of(page) == "/"
    assert_styled(page)
    notice = page.get_by_test_id("ack-pending")
    assert notice.count() == 1
    assert directive.title in notice.inner_text()
    shot(page, "home-technician")

    with page.expect_navigation():
        notice.get_by_role("link").click()
    assert path_of(page) == directive.get_absolute_url()
    box = page.get_by_test_id("ack-box")
    assert box.is_visible()
    assert "2017/1" in box.inner_text()  # the version label the technician is asked to acknowledge
    assert page.get_by_test_id("ack-done").count() == 0
    assert page.get_by_test_id("directive-text").inner_text().strip() != ""
    shot(page, "directive-ack-box")

    with page.expect_navigation():
        page.get_by_test_id("ack-button").click()
    assert path_of(page) == directive.get_absolute_url()  # back on the directive (post/redirect/get)
    assert page.get_by_test_id("ack-done").is_visible()
    assert page.get_by_test_id("ack-box").count() == 0
    assert page.locator(".alert-success[role=alert]").count() == 1  # the flash message confirming it
    shot(page, "directive-acknowledged")

    page.reload()
    assert page.get_by_test_id("ack-done").is_visible()
    assert page.get_by_test_id("ack-box").count() == 0
    assert page.locator(".alert[role=alert]").count() == 0  # the flash message is shown only once

    acknowledgements = Acknowledgement.objects.filter(staff__user__username="teknisyen")
    assert acknowledgements.count() == 1
    ack = acknowledgements.get()
    assert ack.version == directive.current_version()
    assert ack.user.username == "teknisyen"

    page.goto("/")
    assert page.get_by_test_id("ack-pending").count() == 0  # the notice is gone once acknowledged
