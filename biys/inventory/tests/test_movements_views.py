"""Movement pages: the generic suite for VİF, stock item and İstek Belgesi, then the workflows through the
pages as their users do them, the PDFs and the stock card export."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from biys.core.testing.views import ViewTestCases
from biys.inventory import vouchers
from biys.inventory.models import Asset, Depot, StockItem, StockRequest, TasinirCode, Voucher, VoucherLine
from biys.inventory.movements import orders, services
from biys.inventory.tests.test_movements_fixtures import (
    World,
    asset,
    build_world,
    freeze_today,
    receive,
    stock_item,
)
from biys.org.models import Staff

D = Decimal


def depot_in(unit: Any) -> Depot:
    return Depot.objects.get_or_create(
        unit=unit, institutional_code=f"46.{unit.code}", code="01", defaults={"name": f"{unit.name} Ambarı"}
    )[0]


def toner_code() -> TasinirCode:
    return TasinirCode.objects.get_or_create(code="150.01.04.01", defaults={"level": 4, "name": "Tonerler"})[0]


def lines_formset(prefix: str, rows: list[dict[str, Any]], extra: int = 2) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


# --- The generic suite ------------------------------------------------------------------------------


class VoucherViewTests(ViewTestCases.ModelViewTestCase):
    model = Voucher
    update_field = "note"

    def make(self, unit: Any) -> Voucher:
        voucher = Voucher.objects.create(
            depot=depot_in(unit), fiscal_year=2026, date=date(2026, 3, 2), direction="entry", kind="purchase"
        )
        VoucherLine.objects.create(
            voucher=voucher, tasinir_code=toner_code(), description="Toner", quantity=D(2), unit_price=D("100.00")
        )
        return voucher

    def form_data(self, unit: Any) -> dict[str, Any]:
        toner_code()
        header = {"depot": depot_in(unit).pk, "kind": "purchase", "date": "2026-03-05", "note": "Fatura eki"}
        row = {"tasinir_code": "150.01.04.01", "description": "HP 26A", "quantity": "3", "unit_price": "1250"}
        return {**header, **lines_formset("lines", [row])}


class StockItemViewTests(ViewTestCases.ModelViewTestCase):
    model = StockItem
    update_field = "reorder_level"

    def make(self, unit: Any) -> StockItem:
        return StockItem.objects.create(
            depot=depot_in(unit), tasinir_code=toner_code(), name=f"Toner {StockItem.objects.count()}"
        )

    def form_data(self, unit: Any) -> dict[str, Any]:
        toner_code()
        return {
            "depot": depot_in(unit).pk,
            "tasinir_code": "150.01.04.01",
            "name": "Canon 737 toner",
            "unit_of_measure": "Adet",
            "reorder_level": "5",
        }


class StockRequestViewTests(ViewTestCases.ModelViewTestCase):
    model = StockRequest
    update_field = "purpose"

    def make(self, unit: Any) -> StockRequest:
        staff = Staff.objects.create(first_name="Ayşe", last_name=f"Işık{Staff.objects.count()}", unit=unit)
        return StockRequest.objects.create(
            depot=depot_in(unit), year=2026, date=date(2026, 3, 3), unit=unit, requested_by=staff
        )

    def form_data(self, unit: Any) -> dict[str, Any]:
        Staff.objects.get_or_create(user=self.editor, defaults={"first_name": "Edit", "last_name": "Ör", "unit": unit})
        item = StockItem.objects.create(depot=depot_in(unit), tasinir_code=toner_code(), name="Kartuş")
        header = {"depot": depot_in(unit).pk, "purpose": "Yazıcılar için"}
        return {**header, **lines_formset("lines", [{"stock_item": item.pk, "quantity": "2"}])}


# --- Workflows through the pages ------------------------------------------------------------------------


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    freeze_today(monkeypatch)
    return build_world()


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_clerk_makes_posts_and_prints_a_vif(client: Client, world: World) -> None:
    item = stock_item(world)
    login(client, world.clerk)
    row = {"stock_item": item.pk, "quantity": "12", "unit_price": "1.250,50"}
    header = {"depot": world.depot.pk, "kind": "purchase", "date": "2026-04-10", "source_document": "Fatura 77"}
    response = client.post(reverse("inventory:voucher_add"), {**header, **lines_formset("lines", [row])})
    assert response.status_code == 302, response.content.decode()[:2000]
    voucher = Voucher.objects.get()
    assert (voucher.status, voucher.fiscal_year, voucher.direction) == ("draft", 2026, "entry")
    line = voucher.lines.get()
    assert (line.tasinir_code, line.description, line.unit_price) == (world.toner_code, item.name, D("1250.50"))
    draft_pdf = client.get(reverse("inventory:voucher_pdf", args=[voucher.pk]))
    assert draft_pdf.content.startswith(b"%PDF") and draft_pdf["Content-Type"] == "application/pdf"
    assert client.post(reverse("inventory:voucher_post", args=[voucher.pk])).status_code == 302
    voucher.refresh_from_db()
    item.refresh_from_db()
    assert (voucher.status, voucher.number, item.quantity_on_hand) == ("posted", 1, D(12))
    page = client.get(voucher.get_absolute_url()).content.decode()
    assert "VİF 01/2026/1" in page and reverse("inventory:voucher_edit", args=[voucher.pk]) not in page
    edit = client.get(reverse("inventory:voucher_edit", args=[voucher.pk]))
    assert edit.status_code == 302  # a posted VİF is never edited (md. 39)
    assert client.get(reverse("inventory:voucher_pdf", args=[voucher.pk])).content.startswith(b"%PDF")


@pytest.mark.django_db
def test_a_vif_dated_before_its_invoice_is_refused_on_the_form(client: Client, world: World) -> None:
    login(client, world.clerk)
    header = {"depot": world.depot.pk, "kind": "purchase", "date": "2026-04-01", "source_date": "2026-04-03"}
    row = {"tasinir_code": "150.01.04.01", "quantity": "1", "unit_price": "10"}
    response = client.post(reverse("inventory:voucher_add"), {**header, **lines_formset("lines", [row])})
    assert response.status_code == 422
    assert "date" in response.context["form"].errors
    unknown = {"tasinir_code": "999.99", "quantity": "1", "unit_price": "10"}
    response = client.post(reverse("inventory:voucher_add"), {**header, **lines_formset("lines", [unknown])})
    assert response.status_code == 422
    assert "There is no Taşınır code “999.99”" in response.content.decode()
    empty = client.post(reverse("inventory:voucher_add"), {**header, "source_date": "", **lines_formset("lines", [])})
    assert empty.status_code == 422 and "at least one line" in empty.content.decode()
    assert not Voucher.objects.exists()


@pytest.mark.django_db
def test_lines_are_added_and_removed_only_while_draft(client: Client, world: World) -> None:
    item = stock_item(world)
    login(client, world.clerk)
    posted = receive(world, item, "2", "10", date(2026, 4, 1))
    cable = vouchers.Line(world.toner_code, "Kablo", D(1), D(1))
    draft = services.create_draft(world.depot, "donation_in", date(2026, 4, 2), [cable])
    client.post(line_add(draft), {"stock_item": item.pk, "quantity": "3", "unit_price": "5"})
    assert list(draft.lines.order_by("id").values_list("description", "quantity")) == [("Kablo", 1), (item.name, 3)]
    first = draft.lines.order_by("id").first()
    client.post(reverse("inventory:voucher_line_remove", args=[draft.pk, first.pk]))
    assert list(draft.lines.values_list("quantity", flat=True)) == [D(3)]
    last = draft.lines.get()
    refused = client.post(reverse("inventory:voucher_line_remove", args=[draft.pk, last.pk]), follow=True)
    assert "needs at least one line" in refused.content.decode()
    unknown = client.post(line_add(draft), {"sicil_no": "yok", "quantity": "1", "unit_price": "1"}, follow=True)
    assert "There is no asset with registry number “yok”" in unknown.content.decode()
    frozen = client.post(line_add(posted), {"stock_item": item.pk, "quantity": "1", "unit_price": "1"}, follow=True)
    assert "Only a draft VİF can be changed" in frozen.content.decode()
    assert posted.lines.count() == 1


def line_add(voucher: Voucher) -> str:
    return reverse("inventory:voucher_line_add", args=[voucher.pk])


@pytest.mark.django_db
def test_the_control_officer_is_told_why_posting_is_refused(client: Client, world: World) -> None:
    draft = services.create_draft(
        world.depot, "purchase", date(2026, 4, 2), [vouchers.Line(world.toner_code, "Toner", D(1), D(5))]
    )
    login(client, world.controller)
    response = client.post(reverse("inventory:voucher_post", args=[draft.pk]), follow=True)
    assert "TMY md. 6/3" in response.content.decode()
    assert Voucher.objects.get(pk=draft.pk).status == "draft"
    login(client, world.requester)
    assert client.post(reverse("inventory:voucher_post", args=[draft.pk])).status_code == 403


@pytest.mark.django_db
def test_reversal_pages_link_both_ways(client: Client, world: World) -> None:
    item = stock_item(world)
    original = receive(world, item, "5", "10", date(2026, 4, 1))
    login(client, world.clerk)
    url = reverse("inventory:voucher_reverse", args=[original.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "", "date": "2026-04-15"}).status_code == 422
    response = client.post(url, {"reason": "Fatura iptal edildi", "date": "2026-04-15"})
    reversal = Voucher.objects.get(kind="reversal")
    assert response["Location"] == reversal.get_absolute_url()
    assert original.get_absolute_url() in client.get(reversal.get_absolute_url()).content.decode()
    original_page = client.get(original.get_absolute_url()).content.decode()
    assert reversal.get_absolute_url() in original_page and "Fatura iptal edildi" in original_page
    assert client.get(reverse("inventory:voucher_pdf", args=[original.pk])).content.startswith(b"%PDF")
    item.refresh_from_db()
    assert item.quantity_on_hand == 0
    login(client, world.requester)
    assert client.get(url).status_code in (403, 404)


@pytest.mark.django_db
def test_the_voucher_list_filters_and_sorts(client: Client, world: World) -> None:
    item = stock_item(world)
    receive(world, item, "5", "10", date(2026, 4, 1))
    services.create_draft(
        world.depot, "purchase", date(2026, 4, 2), [vouchers.Line(world.toner_code, "Toner", D(1), D(5))]
    )
    login(client, world.clerk)
    listing = reverse("inventory:voucher_list")
    assert len(client.get(listing, {"status": "posted"}).context["table"].rows) == 1
    assert len(client.get(listing, {"status": "draft", "kind": "purchase"}).context["table"].rows) == 1
    assert len(client.get(listing, {"fiscal_year": "2025"}).context["table"].rows) == 0
    rows = client.get(listing, {"sort": "total_amount"}, HTTP_ACCEPT_LANGUAGE="tr").context["table"].rows
    assert [row.get_cell_value("total_amount") for row in rows] == ["5,00", "50,00"]  # Turkish decimal comma
    export = client.get(listing, {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


# --- İstek Belgesi through the pages -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_unit_asks_a_manager_approves_and_the_depot_issues(client: Client, world: World) -> None:
    item = stock_item(world)
    receive(world, item, "10", "100", date(2026, 4, 1))
    login(client, world.requester)
    data = {
        "depot": world.depot.pk,
        "purpose": "Fen işleri yazıcıları",
        **lines_formset("lines", [{"stock_item": item.pk, "quantity": "4"}]),
    }
    response = client.post(reverse("inventory:stockrequest_add"), data)
    assert response.status_code == 302, response.content.decode()[:1500]
    order = StockRequest.objects.get()
    assert (order.unit, order.requested_by.user) == (world.fen, world.requester)
    assert client.get(order.get_absolute_url()).status_code == 200  # visible to the asking unit
    assert order.get_absolute_url() in client.get(reverse("inventory:stockrequest_list")).content.decode()
    client.post(reverse("inventory:stockrequest_submit", args=[order.pk]))
    order.refresh_from_db()
    assert (order.status, order.number) == ("submitted", 1)
    assert client.post(reverse("inventory:stockrequest_approve", args=[order.pk])).status_code == 403
    assert client.post(reverse("inventory:stockrequest_issue", args=[order.pk])).status_code == 403
    login(client, world.manager)
    client.post(reverse("inventory:stockrequest_approve", args=[order.pk]))
    login(client, world.clerk)
    client.post(reverse("inventory:stockrequest_issue", args=[order.pk]))
    order.refresh_from_db()
    voucher = order.vouchers.get()
    assert (order.status, voucher.status, voucher.kind) == ("issued", "posted", "consumption")
    page = client.get(order.get_absolute_url()).content.decode()
    assert voucher.get_absolute_url() in page
    assert order.get_absolute_url() in client.get(voucher.get_absolute_url()).content.decode()
    pdf = client.get(reverse("inventory:stockrequest_pdf", args=[order.pk]))
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_another_units_user_cannot_see_the_request(client: Client, world: World) -> None:
    item = stock_item(world)
    order = orders.create_request(world.depot, world.requester, "", [orders.Wanted(D(1), item)])
    other = make_other_unit_user(world)
    login(client, other)
    assert client.get(order.get_absolute_url()).status_code == 404
    assert client.post(reverse("inventory:stockrequest_submit", args=[order.pk])).status_code == 404


def make_other_unit_user(world: World) -> Any:
    from biys.core.testing import make_unit, make_user

    zabita = make_unit("Zabıta Müdürlüğü", parent=world.root, code="ZAB")
    return make_user("zabita", unit=zabita, roles=("birim_kullanicisi",))


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_keeps_it(client: Client, world: World) -> None:
    item = stock_item(world)
    order = orders.create_request(world.depot, world.requester, "Toner", [orders.Wanted(D(1), item)])
    orders.submit(order, world.requester)
    login(client, world.manager)
    url = reverse("inventory:stockrequest_reject", args=[order.pk])
    assert client.post(url, {"reason": ""}).status_code == 422
    assert client.post(url, {"reason": "Bütçe yok"}).status_code == 302
    order.refresh_from_db()
    assert order.status == "rejected" and "Bütçe yok" in order.purpose


@pytest.mark.django_db
def test_transfer_out_through_the_page(client: Client, world: World) -> None:
    laptop = asset(world)
    order = orders.create_request(world.depot, world.clerk, "Devir", [orders.Wanted(D(1), asset=laptop)])
    orders.submit(order, world.clerk)
    orders.approve(order, world.manager)
    login(client, world.clerk)
    url = reverse("inventory:stockrequest_transfer_out", args=[order.pk])
    assert client.post(url, {"counterparty": ""}).status_code == 422
    response = client.post(url, {"counterparty": "Karkamış Belediyesi", "date": "2026-04-15"})
    voucher = Voucher.objects.get(kind="transfer_out")
    assert response["Location"] == voucher.get_absolute_url()
    assert Asset.objects.get(pk=laptop.pk).status == "transferred"
    assert client.get(reverse("inventory:voucher_pdf", args=[voucher.pk])).content.startswith(b"%PDF")


# --- Stock items --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stock_card_page_and_excel_show_the_balance(client: Client, world: World) -> None:
    item = stock_item(world, reorder="3")
    receive(world, item, "10", "100", date(2026, 1, 5))
    services.issue_stock(item, D(8), world.it, world.clerk, ticket_ref="T-1")
    login(client, world.clerk)
    url = reverse("inventory:stockitem_card", args=[item.pk])
    page = client.get(url, {"year": "2026"})
    assert [row.balance for row in page.context["rows"]] == [D(10), D(2)]
    assert page.context["closing"] == D(2)
    assert client.get(url, {"year": "abc"}).status_code == 200
    book = load_workbook(io.BytesIO(client.get(url, {"year": "2026", "export": "xlsx"}).content))
    values = [list(row) for row in book.active.iter_rows(min_row=5, values_only=True)]
    assert [(row[3], row[4], row[5]) for row in values] == [(10, None, 10), (None, 8, 2)]
    reorder = client.get(reverse("inventory:stockitem_reorder"), follow=True)
    assert item.get_absolute_url() in reorder.content.decode()
    assert client.get(reverse("inventory:stockitem_list"), {"reorder": "false"}).context["table"].rows.__len__() == 0


@pytest.mark.django_db
def test_an_asset_moves_to_another_unit_without_a_vif(client: Client, world: World) -> None:
    laptop = asset(world, status="in_use")
    login(client, world.clerk)
    url = reverse("inventory:asset_unit_transfer", args=[laptop.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"unit": world.fen.pk})
    assert Asset.objects.get(pk=laptop.pk).owner_unit == world.fen
    assert not Voucher.objects.exists()
    login(client, world.requester)
    assert client.get(url).status_code == 403
