"""The head of department browses the organization: unit tree, a unit's page, the chart and its PDF."""

from __future__ import annotations

import pytest

from e2e.helpers import assert_styled, login, path_of, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_browses_unit_tree_opens_a_unit_and_downloads_the_org_chart(page):
    from biys.org.models import Staff, Unit

    branch = Unit.objects.get(name="Sistem ve Donanım Şube Müdürlüğü")
    children = list(branch.children.order_by("name"))
    branch_manager = Staff.objects.get(user__username="mudur")
    assert len(children) == 2

    login(page, "baskan")
    page.goto("/teskilat/agac/")
    assert_styled(page)
    tree = page.get_by_test_id("unit-tree")
    assert tree.locator("li").count() == Unit.objects.count()
    # Depth shows: a section is indented further than its branch, which is further than the root.
    root_row = tree.locator("li", has=page.locator(f'a[href="{Unit.objects.get(depth=0).get_absolute_url()}"]'))
    branch_row = tree.locator("li", has=page.locator(f'a[href="{branch.get_absolute_url()}"]'))
    section_row = tree.locator("li", has=page.locator(f'a[href="{children[0].get_absolute_url()}"]'))
    lefts = [row.locator("a").first.bounding_box()["x"] for row in (root_row, branch_row, section_row)]
    assert lefts[0] < lefts[1] < lefts[2], lefts
    shot(page, "unit-tree")

    with page.expect_navigation():
        tree.locator(f'a[href="{branch.get_absolute_url()}"]').click()
    assert path_of(page) == branch.get_absolute_url()
    assert branch.name in page.locator("h1").inner_text()
    for child in children:
        assert page.locator(f'a[href="{child.get_absolute_url()}"]').is_visible(), child.name
    staff_link = page.locator(f'a[href="{branch_manager.get_absolute_url()}"]')
    assert staff_link.first.is_visible()
    assert "Gülşen Öztürk" in staff_link.first.inner_text()
    shot(page, "unit-detail")

    page.goto("/teskilat/agac/")
    with page.expect_navigation():
        page.locator('main a[href="/teskilat/sema/"]').click()
    assert path_of(page) == "/teskilat/sema/"
    chart = page.get_by_test_id("org-chart")
    svg = chart.locator("svg").first
    assert svg.is_visible()
    assert svg.locator("rect").count() >= 10  # one box per unit at least
    labels = svg.text_content()
    assert "Bilgi İşlem" in labels and "Şefliği" in labels, labels  # Turkish letters survive into the SVG
    assert svg.locator(f'a[href="{branch.get_absolute_url()}"] rect').count() == 1  # each box links to its unit
    box = svg.bounding_box()
    assert box["width"] > 200 and box["height"] > 100, box
    shot(page, "org-chart")

    pdf_href = page.locator("main a[href*='format=pdf']").get_attribute("href")
    response = page.request.get(pdf_href if pdf_href.startswith("/") else f"/teskilat/sema/{pdf_href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert "teskilat-semasi.pdf" in response.headers["content-disposition"]

    svg_href = page.locator("main a[href*='format=svg']").get_attribute("href")
    response = page.request.get(svg_href if svg_href.startswith("/") else f"/teskilat/sema/{svg_href}")
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.body()
