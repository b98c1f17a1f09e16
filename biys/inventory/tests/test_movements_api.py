"""Movement API: the generic suite for stock items, VİF drafts and posting, İstek Belgesi actions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from biys.core.testing.api import ApiTestCases
from biys.inventory.models import StockItem, StockRequest, Voucher
from biys.inventory.tests.test_movements_fixtures import World, build_world, freeze_today, receive, stock_item
from biys.inventory.tests.test_movements_views import depot_in, toner_code
from biys.users.models import ApiToken

D = Decimal


class StockItemApiTests(ApiTestCases.ModelApiTestCase):
    model = StockItem
    endpoint = "inventory/stock-items"
    update_field = "reorder_level"

    def make(self, unit: Any) -> StockItem:
        return StockItem.objects.create(
            depot=depot_in(unit), tasinir_code=toner_code(), name=f"Toner {StockItem.objects.count()}"
        )

    def api_data(self, unit: Any) -> dict[str, Any]:
        toner_code()
        return {"depot": depot_in(unit).pk, "tasinir_code": "150.01.04.01", "name": "Kartuş", "reorder_level": "4"}

    def test_on_hand_is_shown_and_never_written(self) -> None:
        item = self.make(self.own_unit)
        response = self.client.patch(
            self.url(item.pk), {"quantity_on_hand": "999"}, content_type="application/json", **self.auth()
        )
        assert response.status_code == 200
        assert response.json()["quantity_on_hand"] == "0.000"
        assert StockItem.objects.get(pk=item.pk).quantity_on_hand == 0

    def test_a_depot_of_another_unit_is_refused(self) -> None:
        data = {**self.api_data(self.own_unit), "depot": depot_in(self.other_unit).pk}
        response = self.client.post(self.url(), data, content_type="application/json", **self.auth())
        assert response.status_code == 400 and "depot" in response.json()


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    freeze_today(monkeypatch)
    return build_world()


def token_for(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {ApiToken.issue(user, 'test')[1]}"}


@pytest.mark.django_db
def test_a_draft_vif_is_created_and_posted_through_the_api(client: Client, world: World) -> None:
    item = stock_item(world)
    body = {
        "depot": world.depot.pk,
        "kind": "purchase",
        "date": "2026-04-10",
        "source_document": "Fatura 12",
        "source_date": "2026-04-09",
        "lines": [{"stock_item": item.pk, "quantity": "6", "unit_price": "99.90"}],
    }
    auth = token_for(world.clerk)
    created = client.post("/api/inventory/vouchers/", body, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["status"], data["number"], data["direction"], data["total"]) == ("draft", None, "entry", "599.40")
    assert data["lines"][0]["tasinir_code"] == "150.01.04.01"
    refused = client.post(f"/api/inventory/vouchers/{data['id']}/post/", **token_for(world.controller))
    assert refused.status_code == 400 and "6/3" in str(refused.json())
    posted = client.post(f"/api/inventory/vouchers/{data['id']}/post/", **auth)
    assert posted.status_code == 200, posted.content
    assert (posted.json()["status"], posted.json()["number"]) == ("posted", 1)
    assert StockItem.objects.get(pk=item.pk).quantity_on_hand == D(6)
    again = client.post(f"/api/inventory/vouchers/{data['id']}/post/", **auth)
    assert again.status_code == 400
    assert (
        client.put(f"/api/inventory/vouchers/{data['id']}/", body, content_type="application/json", **auth).status_code
        == 405
    )
    assert client.delete(f"/api/inventory/vouchers/{data['id']}/", **auth).status_code in (403, 405)


@pytest.mark.django_db
def test_bad_vif_input_is_400_naming_the_problem(client: Client, world: World) -> None:
    auth = token_for(world.clerk)
    base = {"depot": world.depot.pk, "kind": "purchase", "date": "2026-04-01", "source_date": "2026-04-03"}
    line = {"tasinir_code": "150.01.04.01", "quantity": "1", "unit_price": "10"}
    early = client.post("/api/inventory/vouchers/", {**base, "lines": [line]}, content_type="application/json", **auth)
    assert early.status_code == 400 and "date" in early.json()
    unknown = {**line, "tasinir_code": "999"}
    bad_code = client.post(
        "/api/inventory/vouchers/",
        {**base, "source_date": None, "lines": [unknown]},
        content_type="application/json",
        **auth,
    )
    assert bad_code.status_code == 400 and "lines" in bad_code.json()
    no_lines = client.post("/api/inventory/vouchers/", {**base, "lines": []}, content_type="application/json", **auth)
    assert no_lines.status_code == 400
    consumption = {**base, "kind": "consumption", "source_date": None, "lines": [line]}
    assert (
        client.post("/api/inventory/vouchers/", consumption, content_type="application/json", **auth).status_code == 400
    )
    assert not Voucher.objects.exists()
    assert (
        client.post(
            "/api/inventory/vouchers/",
            {**base, "lines": [line]},
            content_type="application/json",
            **token_for(world.requester),
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_a_request_goes_through_submit_approve_and_issue(client: Client, world: World) -> None:
    item = stock_item(world)
    receive(world, item, "10", "100", date(2026, 4, 1))
    asker = token_for(world.requester)
    body = {"depot": world.depot.pk, "purpose": "Toner", "lines": [{"stock_item": item.pk, "quantity": "3"}]}
    created = client.post("/api/inventory/stock-requests/", body, content_type="application/json", **asker)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.get(f"/api/inventory/stock-requests/{pk}/", **asker).status_code == 200
    submitted = client.post(f"/api/inventory/stock-requests/{pk}/submit/", **asker)
    assert (submitted.json()["status"], submitted.json()["number"]) == ("submitted", 1)
    assert client.post(f"/api/inventory/stock-requests/{pk}/approve/", **asker).status_code == 403
    approved = client.post(f"/api/inventory/stock-requests/{pk}/approve/", **token_for(world.manager))
    assert approved.json()["status"] == "approved"
    issued = client.post(f"/api/inventory/stock-requests/{pk}/issue/", **token_for(world.clerk))
    assert issued.status_code == 200, issued.content
    order = StockRequest.objects.get(pk=pk)
    assert order.status == "issued" and issued.json()["vouchers"] == [order.vouchers.get().pk]
    assert StockItem.objects.get(pk=item.pk).quantity_on_hand == D(7)


@pytest.mark.django_db
def test_a_request_for_more_than_the_depot_has_is_refused_on_issue(client: Client, world: World) -> None:
    item = stock_item(world)
    body = {"depot": world.depot.pk, "lines": [{"stock_item": item.pk, "quantity": "3"}]}
    pk = client.post(
        "/api/inventory/stock-requests/", body, content_type="application/json", **token_for(world.requester)
    ).json()["id"]
    client.post(f"/api/inventory/stock-requests/{pk}/submit/", **token_for(world.requester))
    rejected = client.post(
        f"/api/inventory/stock-requests/{pk}/reject/", {}, content_type="application/json", **token_for(world.manager)
    )
    assert rejected.status_code == 400 and "reason" in rejected.json()
    client.post(f"/api/inventory/stock-requests/{pk}/approve/", **token_for(world.manager))
    refused = client.post(f"/api/inventory/stock-requests/{pk}/issue/", **token_for(world.clerk))
    assert refused.status_code == 400 and "Not enough" in str(refused.json())
    assert not Voucher.objects.exists()
    empty = client.post(
        "/api/inventory/stock-requests/",
        {"depot": world.depot.pk, "lines": []},
        content_type="application/json",
        **token_for(world.requester),
    )
    assert empty.status_code == 400
