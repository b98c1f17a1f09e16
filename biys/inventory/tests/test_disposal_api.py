"""Write-off proposals and counts through the API: read-only lists scoped by unit, and the scan action."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from biys.core.testing import make_user
from biys.inventory.disposal import counting
from biys.inventory.models import ScrapProposal
from biys.inventory.tests.test_disposal_counting import line_of
from biys.inventory.tests.test_disposal_services import World, add_asset, draft, english, make_world
from biys.users.models import ApiToken

pytestmark = pytest.mark.django_db
__all__ = ["english"]  # autouse: messages are asserted in English
DAY = date(2026, 11, 2)


@pytest.fixture
def world() -> World:
    return make_world()


def token(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {ApiToken.issue(user, 'tests')[1]}"}


def test_write_off_proposals_are_listed_for_the_own_unit_only(client: Any, world: World) -> None:
    own = draft(world, [add_asset(world)])
    other_world = make_world()
    other = draft(other_world, [add_asset(other_world)])
    reader = make_user("okur", unit=world.unit, perms=("inventory.view_scrapproposal",))
    response = client.get("/api/inventory/scrap-proposals/", **token(reader))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [own.pk]
    assert rows[0]["assets"] == list(own.assets.values_list("pk", flat=True))
    assert client.get(f"/api/inventory/scrap-proposals/{other.pk}/", **token(reader)).status_code == 404


def test_write_off_proposals_are_read_only(client: Any, world: World) -> None:
    own = draft(world, [add_asset(world)])
    auth = token(world.clerk)  # may add and change proposals on the pages
    body = {"depot": world.depot.pk, "date": "2026-11-02", "reason": "x", "year": 2026}
    assert (
        client.post("/api/inventory/scrap-proposals/", body, content_type="application/json", **auth).status_code == 405
    )
    patch = client.patch(
        f"/api/inventory/scrap-proposals/{own.pk}/", {"reason": "y"}, content_type="application/json", **auth
    )
    assert patch.status_code == 405
    assert client.delete(f"/api/inventory/scrap-proposals/{own.pk}/", **auth).status_code in (403, 405)
    assert ScrapProposal.objects.filter(pk=own.pk, reason=own.reason).exists()


def test_a_counter_scans_through_the_api(client: Any, world: World) -> None:
    asset = add_asset(world)
    session = counting.open_count(world.depot, DAY, [world.officer, *world.members[:2]])
    counter = make_user("sayim", unit=world.unit, roles=("uzman",))
    url = f"/api/inventory/counts/{session.pk}/scan/"
    response = client.post(url, {"code": asset.sicil_no}, content_type="application/json", **token(counter))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["outcome"], body["counted"], body["asset"]["sicil_no"]) == ("found", True, asset.sicil_no)
    assert body["line"] == line_of(session, asset).pk
    assert line_of(session, asset).scanned_by == counter
    unknown = client.post(url, {"code": "YOK-1"}, content_type="application/json", **token(counter)).json()
    assert (unknown["outcome"], unknown["asset"]) == ("unknown", None)
    empty = client.post(url, {"code": ""}, content_type="application/json", **token(counter))
    assert empty.status_code == 400 and "code" in empty.json()
    listed = client.get("/api/inventory/counts/", **token(counter)).json()["results"]
    assert [(row["id"], row["status"]) for row in listed] == [(session.pk, "open")]


def test_scanning_needs_the_right_and_a_visible_open_count(client: Any, world: World) -> None:
    session = counting.open_count(world.depot, DAY, [world.officer, *world.members[:2]])
    url = f"/api/inventory/counts/{session.pk}/scan/"
    reader = make_user("okur", unit=world.unit, perms=("inventory.view_countsession",))
    assert client.post(url, {"code": "x"}, content_type="application/json", **token(reader)).status_code == 403
    stranger = make_user(
        "yabanci", unit=make_world().unit, perms=("inventory.view_countsession", "inventory.change_countline")
    )
    assert client.post(url, {"code": "x"}, content_type="application/json", **token(stranger)).status_code == 404
    counting.close_count(session, world.clerk)
    closed = client.post(url, {"code": "x"}, content_type="application/json", **token(world.clerk))
    assert closed.status_code == 400 and "closed" in str(closed.json())
    opened = client.post(
        "/api/inventory/counts/", {"depot": world.depot.pk}, content_type="application/json", **token(world.clerk)
    )
    assert opened.status_code == 405
