"""Stock import, persona: the taşınır kayıt yetkilisi of an office that starts using BİYS and brings in the
toner, cartridges and cables on its shelves from Excel, as opening quantities (TMY md. 15/5, 22)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from biys.core import changelog
from biys.core.models import ChangeLogEntry
from biys.core.testing import make_user
from biys.inventory.imports import stock
from biys.inventory.models import Depot, StockIssue, StockItem, StockLot, TasinirCode, Voucher, VoucherLine
from biys.inventory.movements import services as movements
from biys.inventory.tests.test_movements_fixtures import World, build_world, freeze_today, receive, staff_for
from biys.org.models import Staff

pytestmark = pytest.mark.django_db
D = Decimal

HEADER = [
    "Ambar",
    "Taşınır kodu",
    "Malzeme adı",
    "Parça no",
    "Ölçü birimi",
    "Miktar",
    "Birim fiyat",
    "Kritik stok",
    "Fatura no",
    "Fatura tarihi",
]
GOOD_ROWS = [
    ["01", "150.01.04.01", "HP 26A toner (CF226A)", "CF226A", "Adet", "10", "1.250,00", "4", "FTR-77", "09.03.2026"],
    ["46.27.01.06-02", "150.01.04.02", "Epson kartuş şişesi", "", "kutu", "3", "450,5", "", "", ""],
    ["01", "150.13.04.01", "Cat6 patch kablo", "", "mt", "12,5", "8,40", "", "", ""],
    ["01", "150.01.04.01", "hp 26a TONER (cf226a)", "", "", "5", "1300", "", "FTR-80", "20.03.2026"],
]  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    freeze_today(monkeypatch)  # 15.04.2026
    world = build_world()
    TasinirCode.objects.create(code="150.01.04.02", level=4, name="Kartuşlar")
    TasinirCode.objects.create(code="150.13.04.01", level=4, name="Bilgisayar ve sunucu yedek parçaları")
    Depot.objects.create(
        unit=world.it,
        institutional_code="46.27.01.06",
        code="02",
        name="Yedek Parça Ambarı",
        records_officer=Staff.objects.get(user=world.clerk),
        control_officer=Staff.objects.get(user=world.manager),
    )
    return world


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_bytes(rows: list[list[str]], encoding: str = "cp1254", delimiter: str = ";") -> bytes:
    lines = [delimiter.join(HEADER)] + [delimiter.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: Client, data: bytes, name: str = "stok.csv") -> Any:
    return client.post(reverse("inventory:import_stock"), {"file": SimpleUploadedFile(name, data)})


def preview(client: Client, data: bytes, name: str = "stok.csv") -> Any:
    response = upload(client, data, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def commit(client: Client, response: Any) -> Any:
    return client.post(reverse("inventory:import_stock_commit"), {"token": response.context["token"], "commit": "1"})


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (StockItem, StockLot, Voucher, VoucherLine, StockIssue, ChangeLogEntry)
    )


def errors_of(response: Any) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in response.context["plan"].errors]


def assert_good_import(world: World, data: bytes, name: str) -> None:
    client = login(world.clerk)
    before = counts()
    response = preview(client, data, name)
    assert response.status_code == 200, response.context["plan"].errors
    assert counts() == before  # the preview writes nothing
    totals = {total.depot.code: total for total in response.context["totals"]}
    assert (totals["01"].lines, totals["01"].quantity, totals["01"].amount) == (3, D("27.5"), D("19105.00"))
    assert (totals["02"].lines, totals["02"].quantity, totals["02"].amount) == (1, D(3), D("1351.50"))
    assert totals["01"].new_items == 2 and totals["01"].next_number == 1
    assert response.context["plan"].repeated == [("HP 26A toner (CF226A)", [2, 5])]
    assert commit(client, response).status_code == 302

    depot1, depot2 = Depot.objects.get(code="01"), Depot.objects.get(code="02")
    toner = StockItem.objects.get(depot=depot1, name="HP 26A toner (CF226A)")
    assert (toner.part_number, toner.unit_of_measure, toner.reorder_level) == ("CF226A", "Adet", D(4))
    assert toner.quantity_on_hand == D(15) and toner.tasinir_code.code == "150.01.04.01"
    lots = list(toner.lots.order_by("id").values_list("quantity_in", "quantity_left", "unit_price"))
    assert lots == [(D(10), D(10), D("1250.00")), (D(5), D(5), D("1300.00"))]
    cable = StockItem.objects.get(depot=depot1, name="Cat6 patch kablo")
    assert (cable.unit_of_measure, cable.quantity_on_hand) == ("Metre", D("12.5"))
    assert list(cable.lots.values_list("unit_price", flat=True)) == [D("8.40")]
    cartridge = StockItem.objects.get(depot=depot2)
    assert (cartridge.name, cartridge.unit_of_measure) == ("Epson kartuş şişesi", "Kutu")
    assert cartridge.quantity_on_hand == D(3)
    assert StockItem.objects.count() == 3

    first = Voucher.objects.get(depot=depot1)
    assert (first.kind, first.direction, first.status) == ("inventory_entry", "entry", "posted")
    assert (first.fiscal_year, first.number, first.date) == (2026, 1, date(2026, 4, 15))
    assert first.source_date == date(2026, 3, 20) and first.posted_by == world.clerk
    assert "FTR-77" in first.note and "FTR-80" in first.note and "file row 5" in first.note
    lines = list(first.lines.order_by("id").values_list("description", "quantity", "unit_price", "unit_of_measure"))
    assert lines == [
        ("HP 26A toner (CF226A)", D(10), D("1250.00"), "Adet"),
        ("Cat6 patch kablo", D("12.5"), D("8.40"), "Metre"),
        ("HP 26A toner (CF226A)", D(5), D("1300.00"), "Adet"),
    ]
    second = Voucher.objects.get(depot=depot2)
    assert (second.number, second.status, second.source_date, second.lines.count()) == (1, "posted", None, 1)
    assert StockLot.objects.filter(entry_line__voucher=second).get().unit_price == D("450.50")


# --- The happy path ---------------------------------------------------------------------------------------


def test_windows_1254_semicolon_csv_is_previewed_then_posted_as_one_vif_per_depot(world: World, media: Path) -> None:
    data = csv_bytes(GOOD_ROWS)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert_good_import(world, data, "stok.csv")
    assert list((media / "imports").iterdir()) == []  # the uploaded file is removed after the commit


def test_xlsx_with_number_and_date_cells_gives_the_same_result(world: World) -> None:
    rows: list[list[Any]] = [list(row) for row in GOOD_ROWS]
    rows[0][0], rows[0][5], rows[0][6], rows[0][7], rows[0][9] = 1, 10, 1250, 4, date(2026, 3, 9)
    rows[2][5], rows[2][6] = 12.5, 8.4
    rows[3][9] = date(2026, 3, 20)
    assert_good_import(world, xlsx_bytes(rows), "stok.xlsx")


def test_preview_writes_nothing_and_keeps_the_file_until_commit_or_cancel(world: World, media: Path) -> None:
    client = login(world.clerk)
    before = counts()
    response = preview(client, csv_bytes(GOOD_ROWS))
    assert response.status_code == 200 and counts() == before
    assert len(list((media / "imports").iterdir())) == 1
    html = response.content.decode()
    assert 'name="commit"' in html and "Inventory entry (md. 15/5)" in html and "15.04.2026" in html
    assert ">12.5<" in html and "27.5<" in html and "12.500" not in html  # quantities as people write them
    cancelled = client.post(
        reverse("inventory:import_stock_commit"), {"token": response.context["token"], "cancel": "1"}
    )
    assert cancelled.status_code == 302 and cancelled["Location"] == reverse("inventory:import_stock")
    assert list((media / "imports").iterdir()) == [] and counts() == before
    again = commit(client, response)
    assert again.status_code == 302 and again["Location"] == reverse("inventory:import_stock") and counts() == before


# --- Bad rows ---------------------------------------------------------------------------------------------


def test_bad_rows_are_all_listed_with_row_and_column_and_nothing_is_written(world: World) -> None:
    rows = [
        GOOD_ROWS[0],
        ["09", "150.01.04.01", "Toner", "", "Adet", "1", "10", "", "", ""],
        ["01", "150.99.99", "Toner", "", "Adet", "1", "10", "", "", ""],
        ["01", "150.01.04.01", "Mavi toner", "", "Adet", "0", "10", "", "", ""],
        ["01", "150.01.04.01", "Kırmızı toner", "", "Adet", "2", "abc", "", "", ""],
        ["01", "150.01.04.01", "", "", "Adet", "2", "10", "", "", ""],
        ["01", "255.02.01.01.02", "Dizüstü", "", "Adet", "1", "30.000,00", "", "", ""],
        ["01", "150.01.04.01", "Sarı toner", "", "Adet", "2,5", "10", "", "FTR-9", "16.04.2026"],
    ]
    client = login(world.clerk)
    before = counts()
    response = preview(client, csv_bytes(rows))
    assert response.status_code == 422
    assert errors_of(response) == [
        (3, "Ambar"),
        (4, "Taşınır kodu"),
        (5, "Miktar"),
        (6, "Birim fiyat"),
        (7, "Malzeme adı"),
        (8, "Taşınır kodu"),
        (9, "Fatura tarihi"),
    ]
    messages = [error.message for error in response.context["plan"].errors]
    assert "“09”" in messages[0] and "150.99.99" in messages[1] and "greater than zero" in messages[2]
    assert "“abc”" in messages[3] and "item name" in messages[4] and "asset" in messages[5]
    assert "16.04.2026" in messages[6]
    html = response.content.decode()
    assert 'name="commit"' not in html and "150.99.99" in html
    refused = commit(client, response)
    assert refused.status_code == 422 and len(refused.context["errors"]) == 7
    assert counts() == before


def test_quantities_are_never_rounded_or_misread(world: World) -> None:
    rows = [
        ["01", "150.01.04.01", "Toner A", "", "Adet", "1.500", "10", "", "", ""],  # 1500 or 1,5?
        ["01", "150.13.04.01", "Kablo", "", "Metre", "2,125", "10", "", "", ""],  # three decimals
        ["01", "150.01.04.01", "Toner B", "", "Paket", "2,5", "10", "", "", ""],  # half a pack
        ["01", "150.01.04.01", "Toner C", "", "Adet", "1.500,00", "38.900", "", "", ""],  # the price: 38,9 or 38900?
    ]
    result = stock.plan(csv_bytes(rows), "csv", world.clerk)
    problems = [(error.row, error.column, error.message) for error in result.errors]
    assert [(row, column) for row, column, _message in problems] == [
        (2, "Miktar"),
        (3, "Miktar"),
        (4, "Miktar"),
        (5, "Birim fiyat"),
    ]
    assert "ambiguous" in problems[0][2] and "two decimal" in problems[1][2] and "whole numbers" in problems[2][2]
    assert "ambiguous" in problems[3][2] and result.rows == []


def test_missing_columns_are_named(world: World) -> None:
    response = preview(login(world.clerk), "Ambar;Malzeme adı\n01;Toner\n".encode("cp1254"))
    assert response.status_code == 422
    message = response.context["file_errors"][0]
    assert "Taşınır kodu" in message and "Miktar" in message and "Birim fiyat" in message


def test_a_file_over_the_row_limit_is_refused_as_a_whole(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stock, "MAX_ROWS", 3)
    response = preview(login(world.clerk), csv_bytes(GOOD_ROWS))
    assert response.status_code == 422 and "more than 3 rows" in response.context["file_errors"][0]


def test_ascii_headers_are_accepted(world: World) -> None:
    header = "ambar;tasinir kodu;malzeme adi;olcu birimi;miktar;birim fiyati\n"
    result = stock.plan((header + "01;150.01.04.01;Toner;ADET;2;10\n").encode(), "csv", world.clerk)
    assert result.errors == [] and result.rows[0].unit_of_measure == "Adet"


# --- Existing items and repeated items ----------------------------------------------------------------------


def test_a_row_for_an_existing_item_adds_a_lot_and_the_vif_takes_the_next_number(world: World) -> None:
    depot = Depot.objects.get(code="01")
    toner = StockItem.objects.create(
        depot=depot, tasinir_code=world.toner_code, name="HP 26A toner (CF226A)", part_number="CF226A"
    )
    receive(world, toner, "2", "1100.00", date(2026, 2, 1))  # VİF 01/2026/1
    client = login(world.clerk)
    response = preview(client, csv_bytes([GOOD_ROWS[0]]))
    assert response.status_code == 200
    assert response.context["rows"][0].item == toner and response.context["totals"][0].new_items == 0
    assert response.context["totals"][0].next_number == 2
    assert commit(client, response).status_code == 302
    toner.refresh_from_db()
    assert StockItem.objects.count() == 1 and toner.quantity_on_hand == D(12) and toner.reorder_level == D(4)
    assert list(toner.lots.order_by("id").values_list("unit_price", flat=True)) == [D("1100.00"), D("1250.00")]
    assert Voucher.objects.get(kind="inventory_entry").number == 2


def test_a_row_that_disagrees_with_the_existing_item_is_refused(world: World) -> None:
    depot = Depot.objects.get(code="01")
    StockItem.objects.create(
        depot=depot, tasinir_code=world.toner_code, name="Toner", unit_of_measure="Kutu", part_number="CF226A"
    )
    for cells, column, shown in (
        (["150.01.04.02", "toner", "", ""], "Taşınır kodu", "150.01.04.01"),
        (["150.01.04.01", "TONER", "", "Adet"], "Ölçü birimi", "Kutu"),
        (["150.01.04.01", "Toner", "CF226X", ""], "Parça no", "CF226A"),
    ):
        code, name, part, unit = cells
        row = ["01", code, name, part, unit, "1", "10", "", "", ""]
        result = stock.plan(csv_bytes([row]), "csv", world.clerk)
        assert [(error.row, error.column) for error in result.errors] == [(2, column)]
        assert shown in result.errors[0].message and result.rows == []


def test_rows_of_one_item_that_disagree_are_refused_naming_both_rows(world: World) -> None:
    rows = [
        ["01", "150.01.04.01", "Toner", "CF226A", "Adet", "1", "10", "5", "", ""],
        ["01", "150.01.04.01", "toner", "CF226X", "Adet", "1", "12", "5", "", ""],
        ["01", "150.01.04.01", "Toner", "", "Adet", "1", "12", "3", "", ""],
        ["02", "150.01.04.01", "Toner", "CF226X", "Kutu", "1", "12", "3", "", ""],  # another depot: another item
    ]
    result = stock.plan(csv_bytes(rows), "csv", world.clerk)
    assert [(error.row, error.column) for error in result.errors] == [(3, "Parça no"), (4, "Kritik stok")]
    assert "row 2" in result.errors[0].message and "CF226A" in result.errors[0].message
    assert "row 2" in result.errors[1].message
    assert [row.row for row in result.rows] == [2, 5]


# --- Who may import ----------------------------------------------------------------------------------------


def test_the_control_officer_of_a_depot_is_refused_with_the_depot_named(world: World) -> None:
    # The controller holds the records role too, and is the control officer of depot 01 (TMY md. 6/3).
    client = login(world.controller)
    before = counts()
    response = preview(client, csv_bytes(GOOD_ROWS))
    assert response.status_code == 422
    assert errors_of(response) == [(2, "Ambar")]
    message = response.context["plan"].errors[0].message
    assert "46.27.01.06-01 Bilgi İşlem Ambarı" in message and "control officer" in message and "2, 4, 5" in message
    assert [row.depot.code for row in response.context["plan"].rows] == ["02"]  # depot 02 itself is fine
    assert commit(client, response).status_code == 422
    assert counts() == before


def test_a_depot_of_another_unit_is_refused_to_a_poster_who_does_not_keep_it(world: World) -> None:
    poster = make_user(
        "fen-kayit",
        unit=world.fen,
        perms=("inventory.post_voucher", "inventory.add_voucher", "inventory.add_stockitem"),
    )
    staff_for(poster, world.fen, "Fen", "Kayıt")
    result = stock.plan(csv_bytes([GOOD_ROWS[0]]), "csv", poster)
    assert [(error.row, error.column) for error in result.errors] == [(2, "Ambar")]
    assert "46.27.01.06-01 Bilgi İşlem Ambarı" in result.errors[0].message


def test_a_plain_unit_user_gets_403_and_the_anonymous_the_login_page(world: World) -> None:
    for user in (world.requester, make_user("uzman", unit=world.it, roles=("uzman",))):
        client = login(user)
        for name in ("import_stock", "import_stock_preview", "import_stock_template"):
            assert client.get(reverse(f"inventory:{name}")).status_code == 403
        assert client.post(reverse("inventory:import_stock_commit"), {"token": "x"}).status_code == 403
        assert upload(client, csv_bytes(GOOD_ROWS)).status_code == 403
    assert Client().get(reverse("inventory:import_stock")).status_code == 302


def test_the_stock_list_shows_the_import_button_to_those_who_may_post(world: World) -> None:
    url = reverse("inventory:stockitem_list")
    assert b'data-testid="stock-import-link"' in login(world.clerk).get(url).content
    reader = make_user("okur", unit=world.it, roles=("uzman",))
    page = login(reader).get(url)
    assert page.status_code == 200 and b'data-testid="stock-import-link"' not in page.content


def test_token_of_another_user_is_not_accepted(world: World) -> None:
    response = preview(login(world.clerk), csv_bytes(GOOD_ROWS))
    other = make_user("kayit2", unit=world.it, roles=("tasinir_kayit",))
    stolen = login(other).post(
        reverse("inventory:import_stock_commit"), {"token": response.context["token"], "commit": "1"}
    )
    assert stolen.status_code == 302 and Voucher.objects.count() == 0


# --- All or nothing, the record, FIFO ----------------------------------------------------------------------


def test_a_failure_at_the_second_depot_rolls_back_the_first(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    real = movements.post_and_receive
    calls: list[int] = []

    def fail_second(voucher: Voucher, user: Any) -> Voucher:
        calls.append(voucher.pk)
        if len(calls) == 2:
            raise ValidationError("Bu ambar sayımda.")
        return real(voucher, user)

    client = login(world.clerk)
    response = preview(client, csv_bytes(GOOD_ROWS))
    before = counts()
    monkeypatch.setattr(movements, "post_and_receive", fail_second)
    failed = commit(client, response)
    assert failed.status_code == 422
    assert [(error.row, error.column) for error in failed.context["errors"]] == [(3, "Ambar")]
    assert counts() == before and len(calls) == 2


def test_the_change_log_records_every_row_written(world: World) -> None:
    client = login(world.clerk)
    response = preview(client, csv_bytes(GOOD_ROWS))
    first_id = ChangeLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    assert commit(client, response).status_code == 302
    entries = ChangeLogEntry.objects.filter(id__gt=first_id)
    created = {
        model: entries.filter(action="create", content_type__model=model).count()
        for model in ("stockitem", "voucher", "voucherline", "stocklot")
    }
    assert created == {"stockitem": 3, "voucher": 2, "voucherline": 4, "stocklot": 4}
    posted = entries.filter(action="update", content_type__model="voucher")
    assert posted.count() == 2  # draft → posted, numbered
    assert {entry.user_id for entry in entries} == {world.clerk.pk}
    assert changelog.verify().ok


def test_an_imported_item_is_issued_fifo_by_the_consumption_service(world: World) -> None:
    client = login(world.clerk)
    assert commit(client, preview(client, csv_bytes(GOOD_ROWS))).status_code == 302
    toner = StockItem.objects.get(name="HP 26A toner (CF226A)")
    voucher = movements.issue_stock(toner, D(12), world.fen, world.clerk, ticket_ref="T-2026-1")
    lines = list(voucher.lines.order_by("id").values_list("quantity", "unit_price"))
    assert lines == [(D(10), D("1250.00")), (D(2), D("1300.00"))]


def test_the_template_has_the_turkish_headers_and_an_importable_example(world: World) -> None:
    response = login(world.clerk).get(reverse("inventory:import_stock_template"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == [label for label, _aliases in stock.COLUMNS.values()] and len(rows) == 2
    result = stock.plan(response.content, "xlsx", world.clerk)  # the example itself is importable
    assert result.errors == [] and result.rows[0].amount == D("15000.00")


def test_a_stock_token_does_not_commit_an_asset_import_nor_the_other_way(world: World) -> None:
    client = login(world.clerk)
    token = preview(client, csv_bytes(GOOD_ROWS)).context["token"]
    before = counts()
    response = client.post(reverse("inventory:import_commit"), {"token": token, "commit": "1"})  # the asset import
    assert response.status_code == 302 and response["Location"] == reverse("inventory:import_assets")
    assert counts() == before
    from biys.inventory.imports import storage

    asset_token = storage.make_token(
        storage.read_token(token, world.clerk.pk, kind="stock")["file"], world.clerk.pk, False
    )
    response = client.post(reverse("inventory:import_stock_commit"), {"token": asset_token, "commit": "1"})
    assert response.status_code == 302 and counts() == before
