"""Asset import, persona: the taşınır clerk who brings in the inventory an office kept in Excel."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from biys.core.testing import make_unit, make_user
from biys.inventory.imports import services, views
from biys.inventory.models import Asset, AssetKind, Commissioning, Depot, Location, TasinirCode
from biys.inventory.register import services as register
from biys.org.models import Staff
from biys.users.models import User

pytestmark = pytest.mark.django_db

HEADER = [
    "Tür",
    "Ambar",
    "Sahip birim",
    "Giriş yılı",
    "Adet",
    "Marka",
    "Model",
    "Seri no",
    "Fatura no",
    "Fatura tarihi",
    "Fiyat",
    "Tedarikçi",
    "Garanti bitiş",
    "Konum",
    "Hostname",
    "IP",
    "MAC",
    "Açıklama",
]
GOOD_ROWS = [
    ["Dizüstü bilgisayar", "01", "BIM", "2026", "1", "Lenovo", "T14", "PF-001", "A-118", "15.01.2026", "38.900,00",
     "Örnek Bilişim", "15.01.2029", "Hizmet Binası / 3 / 301", "bim-lt-1", "10.1.3.21", "00-1a-2b-3c-4d-5e",
     "16 GB RAM"],
    ["dizüstü BİLGİSAYAR", "46.BIM-01", "Bilgi İşlem Müdürlüğü", "2026", "1", "Lenovo", "T14", "PF-002", "A-118",
     "2026-01-15", "38900,00", "Örnek Bilişim", "", "Hizmet Binası / 3 / 301", "", "", "", ""],
    ["Lazer yazıcı", "01", "bim", "", "2", "HP", "M404", "", "A-119", "16.01.2026", "7900.50", "Örnek Bilişim", "",
     "", "", "", "", "Şube ortak yazıcısı"],
]  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def setup() -> dict[str, Any]:
    unit = make_unit("Bilgi İşlem Müdürlüğü", code="BIM", is_it=True)
    parent = TasinirCode.objects.create(code="255.02", level=2, name="Büro ve bilgisayar")
    laptop = TasinirCode.objects.create(code="255.02.01.01.02", level=5, name="Dizüstü", parent=parent)
    printer = TasinirCode.objects.create(code="255.02.02.01.03", level=5, name="Lazer yazıcı", parent=parent)
    toner = TasinirCode.objects.create(code="150.01.04.01", level=4, name="Toner")
    AssetKind.objects.create(
        name="Dizüstü bilgisayar", category="computer", tasinir_code=laptop, needs_commissioning=True
    )
    AssetKind.objects.create(name="Lazer yazıcı", category="printer", tasinir_code=printer)
    AssetKind.objects.create(name="Toner", category="consumable", tasinir_code=toner)
    Depot.objects.create(unit=unit, institutional_code="46.BIM", code="01", name="BİM Ambarı")
    clerk = make_user("kayit", unit=unit, perms=("inventory.add_asset", "inventory.view_asset"))
    Staff.objects.create(first_name="Ayşe", last_name="Kaya", unit=unit, user=clerk)
    client = Client()
    client.force_login(clerk)
    return {"unit": unit, "client": client, "clerk": clerk}


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig", delimiter: str = ";") -> bytes:
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


def upload(client: Client, data: bytes, name: str = "envanter.csv", **extra: Any) -> Any:
    return client.post(reverse("inventory:import_assets"), {"file": SimpleUploadedFile(name, data), **extra})


def preview(client: Client, data: bytes, name: str = "envanter.csv", **extra: Any) -> Any:
    response = upload(client, data, name, **extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def commit(client: Client, response: Any) -> Any:
    return client.post(reverse("inventory:import_commit"), {"token": response.context["token"], "commit": "1"})


def assert_good_import(client: Client, data: bytes, name: str) -> None:
    response = preview(client, data, name)
    assert response.status_code == 200
    assert response.context["plan"].errors == []
    assert response.context["plan"].asset_count == 4
    assert response.context["rows"][0]["sicil"] == "255.02.01.01.02-26-00001"
    assert Asset.objects.count() == 0  # the preview writes nothing
    response = commit(client, response)
    assert response.status_code == 302
    laptops = list(Asset.objects.filter(kind__name="Dizüstü bilgisayar").order_by("sequence"))
    assert [a.sicil_no for a in laptops] == ["255.02.01.01.02-26-00001", "255.02.01.01.02-26-00002"]
    assert [a.serial for a in laptops] == ["PF-001", "PF-002"]
    first = laptops[0]
    assert first.price == Decimal("38900.00") and first.invoice_date == date(2026, 1, 15)
    assert first.warranty_end == date(2029, 1, 15)
    assert first.mac_address == "00:1A:2B:3C:4D:5E" and first.ip_address == "10.1.3.21"
    assert first.specifications == "16 GB RAM" and first.supplier == "Örnek Bilişim"
    assert str(first.location) == "Hizmet Binası / 3 / 301" and laptops[1].location_id == first.location_id
    assert first.status == Asset.Status.COMMISSIONING
    printers = list(Asset.objects.filter(kind__name="Lazer yazıcı").order_by("sequence"))
    assert [a.sicil_no for a in printers] == ["255.02.02.01.03-26-00001", "255.02.02.01.03-26-00002"]
    assert printers[0].price == Decimal("7900.50") and printers[0].entry_year == 2026


def test_utf8_bom_semicolon_csv_is_previewed_then_registered(setup: dict[str, Any], media: Path) -> None:
    assert_good_import(setup["client"], csv_bytes(GOOD_ROWS), "envanter.csv")
    assert list((media / "imports").iterdir()) == []  # the uploaded file is removed after the commit


def test_windows_1254_csv_gives_the_same_result(setup: dict[str, Any]) -> None:
    data = csv_bytes(GOOD_ROWS, encoding="cp1254")
    data.decode("cp1254")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert_good_import(setup["client"], data, "envanter.csv")


def test_plain_utf8_comma_csv_is_read(setup: dict[str, Any]) -> None:
    rows = [[cell.replace(",", ".") if cell[:1].isdigit() else cell for cell in row] for row in GOOD_ROWS]
    # "38.900.00" would be wrong; with "," as the delimiter amounts are written with a point
    rows[0][10], rows[1][10] = "38900.00", "38900"
    assert_good_import(setup["client"], csv_bytes(rows, encoding="utf-8", delimiter=","), "envanter.csv")


def test_xlsx_with_date_and_number_cells_gives_the_same_result(setup: dict[str, Any]) -> None:
    rows: list[list[Any]] = [list(row) for row in GOOD_ROWS]
    rows[0][3], rows[0][9], rows[0][10], rows[0][12] = 2026, date(2026, 1, 15), 38900, date(2029, 1, 15)
    rows[1][1], rows[2][1] = "46.BIM-01", 1  # Excel drops the leading zero of 01
    assert_good_import(setup["client"], xlsx_bytes(rows), "envanter.xlsx")


def test_bad_rows_are_listed_with_row_and_column_and_nothing_is_written(setup: dict[str, Any]) -> None:
    rows = [list(row) for row in GOOD_ROWS]
    rows.append(["Uçan halı", "01", "BIM", "2026", "1", "", "", "", "", "", "", "", "", "", "", "", "", ""])
    rows.append(["Lazer yazıcı", "01", "BIM", "2026", "1", "", "", "PF-009", "", "31.02.2026"] + [""] * 8)
    rows.append(["Lazer yazıcı", "01", "BIM", "2026", "1", "", "", "PF-001"] + [""] * 10)
    client = setup["client"]
    response = preview(client, csv_bytes(rows), "envanter.csv")
    assert response.status_code == 422
    errors = [(e.row, e.column) for e in response.context["plan"].errors]
    assert errors == [(5, "Tür"), (6, "Fatura tarihi"), (7, "Seri no")]
    messages = [e.message for e in response.context["plan"].errors]
    assert "Uçan halı" in messages[0] and "31.02.2026" in messages[1] and "row 2" in messages[2]
    html = response.content.decode()
    assert 'name="commit"' not in html and "Uçan halı" in html
    refused = commit(client, response)
    assert refused.status_code == 422
    assert Asset.objects.count() == 0 and Location.objects.count() == 0


def test_serial_registered_by_someone_else_before_commit_writes_nothing(setup: dict[str, Any]) -> None:
    client = setup["client"]
    response = preview(client, csv_bytes(GOOD_ROWS), "envanter.csv")
    assert response.context["plan"].errors == []
    kind = AssetKind.objects.get(name="Lazer yazıcı")
    register.register_asset(kind, Depot.objects.get(), setup["unit"], 2026, serial="PF-002")
    failed = commit(client, response)
    assert failed.status_code == 422
    assert "PF-002" in failed.content.decode()
    assert Asset.objects.count() == 1 and Location.objects.count() == 0


def test_failure_in_the_middle_of_the_commit_rolls_everything_back(
    setup: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = setup["client"]
    response = preview(client, csv_bytes(GOOD_ROWS), "envanter.csv")
    real = register.register_assets
    calls = []

    def fail_on_third(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise register.ValidationError({"depot": "Bu ambar kapatıldı."})
        return real(*args, **kwargs)

    monkeypatch.setattr(register, "register_assets", fail_on_third)
    failed = commit(client, response)
    assert failed.status_code == 422
    assert [(e.row, e.column) for e in failed.context["errors"]] == [(4, "Ambar")]
    assert Asset.objects.count() == 0 and Commissioning.objects.count() == 0 and Location.objects.count() == 0


def test_consumable_kind_is_refused_as_a_row_error(setup: dict[str, Any]) -> None:
    rows = [["Toner", "01", "BIM", "2026", "3"] + [""] * 13]
    data = csv_bytes(rows)
    with pytest.raises(services.ImportFailed) as failure:
        services.commit(data, "csv", services.Options())
    assert [(e.row, e.column) for e in failure.value.errors] == [(2, "Tür")]
    assert Asset.objects.count() == 0


def test_existing_items_get_their_commissioning_done_by_the_importer(setup: dict[str, Any]) -> None:
    client = setup["client"]
    response = preview(client, csv_bytes(GOOD_ROWS[:1]), "envanter.csv", commissioned="on")
    assert commit(client, response).status_code == 302
    asset = Asset.objects.get()
    assert asset.status == Asset.Status.IN_DEPOT and asset.commissioned_at is not None
    record = asset.commissioning
    assert record.completed_at is not None and record.done_by.user == setup["clerk"]
    assert record.note == services.COMMISSIONING_NOTE


def test_garbage_binary_and_utf16_are_refused_clearly(setup: dict[str, Any], media: Path) -> None:
    client = setup["client"]
    for data, name in (
        (bytes(range(256)) * 40, "envanter.csv"),
        (csv_bytes(GOOD_ROWS, encoding="utf-16"), "envanter.csv"),
        (b"PK\x03\x04 not really a workbook", "envanter.xlsx"),
        (b"just some text", "envanter.xlsx"),
    ):
        response = preview(client, data, name)
        assert response.status_code == 422
        assert response.context["file_errors"], name
    assert Asset.objects.count() == 0
    assert list((media / "imports").iterdir()) == []


def test_missing_columns_are_named(setup: dict[str, Any]) -> None:
    response = preview(setup["client"], b"Marka;Model\nHP;M404\n", "envanter.csv")
    assert response.status_code == 422
    message = response.context["file_errors"][0]
    assert "Tür / Taşınır kodu" in message and "Ambar" in message and "Sahip birim" in message


def test_file_over_the_size_limit_is_refused(setup: dict[str, Any], settings: Any, media: Path) -> None:
    settings.BIYS_MAX_UPLOAD_MB = 1
    response = upload(setup["client"], csv_bytes(GOOD_ROWS) + b" " * (1024 * 1024), "envanter.csv")
    assert response.status_code == 422
    assert "1 MB" in response.context["form"].errors["file"][0]
    assert not (media / "imports").exists()


def test_cancel_deletes_the_uploaded_file(setup: dict[str, Any], media: Path) -> None:
    client = setup["client"]
    response = preview(client, csv_bytes(GOOD_ROWS), "envanter.csv")
    assert len(list((media / "imports").iterdir())) == 1
    cancelled = client.post(reverse("inventory:import_commit"), {"token": response.context["token"], "cancel": "1"})
    assert cancelled.status_code == 302
    assert list((media / "imports").iterdir()) == [] and Asset.objects.count() == 0
    again = commit(client, response)
    assert again.status_code == 302 and again["Location"] == reverse("inventory:import_assets")


def test_token_of_another_user_is_not_accepted(setup: dict[str, Any]) -> None:
    response = preview(setup["client"], csv_bytes(GOOD_ROWS), "envanter.csv")
    make_user("baska", unit=setup["unit"], perms=("inventory.add_asset",))
    other = Client()
    other.force_login(User.objects.get(username="baska"))
    stolen = other.post(reverse("inventory:import_commit"), {"token": response.context["token"], "commit": "1"})
    assert stolen.status_code == 302 and Asset.objects.count() == 0


def test_user_without_add_asset_gets_403(setup: dict[str, Any]) -> None:
    make_user("okur", unit=setup["unit"], perms=("inventory.view_asset",))
    client = Client()
    client.force_login(User.objects.get(username="okur"))
    for name in ("import_assets", "import_preview", "import_template"):
        assert client.get(reverse(f"inventory:{name}")).status_code == 403
    assert client.post(reverse("inventory:import_commit"), {"token": "x"}).status_code == 403
    assert upload(client, csv_bytes(GOOD_ROWS)).status_code == 403
    assert Client().get(reverse("inventory:import_assets")).status_code == 302  # anonymous: to the login page


def test_template_has_the_turkish_headers_and_an_example_row(setup: dict[str, Any]) -> None:
    response = setup["client"].get(reverse("inventory:import_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Tür", "Taşınır kodu", "Ambar") and len(rows) == 2
    plan = services.plan(response.content, "xlsx")  # the example itself is importable
    assert plan.errors == [] and plan.asset_count == 1


def test_large_import_runs_as_a_task_with_a_status_page(setup: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "SYNC_LIMIT", 2)
    client = setup["client"]
    response = preview(client, csv_bytes(GOOD_ROWS), "envanter.csv")
    assert response.context["asynchronous"] is True
    started = commit(client, response)
    assert started.status_code == 302 and "/imports/status/" in started["Location"]
    status = client.get(started["Location"])  # the immediate backend has already run it
    assert status.context["status"]["state"] == "done" and status.context["status"]["created"] == 4
    assert Asset.objects.count() == 4
    polled = client.get(started["Location"], headers={"HX-Request": "true"})
    assert b"hx-trigger" not in polled.content and b"255.02.01.01.02-26-00001" in polled.content


def test_a_deadlocked_import_task_runs_again_and_a_lasting_database_error_says_so(
    setup: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache
    from django.db import OperationalError

    from biys.inventory.imports import storage, tasks

    monkeypatch.setattr(tasks.time, "sleep", lambda seconds: None)
    real_commit = services.commit
    calls: list[int] = []

    def deadlocked_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("deadlock detected")
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(services, "commit", deadlocked_once)
    name = storage.save(SimpleUploadedFile("a.csv", csv_bytes(GOOD_ROWS)), "csv")
    cache.set(tasks.status_key("job1"), {"user": setup["client"].session["_auth_user_id"]})
    assert tasks.run_asset_import.func("job1", name, False, None, None) == 4
    assert len(calls) == 2 and Asset.objects.count() == 4
    assert cache.get(tasks.status_key("job1"))["state"] == "done"

    def always_locked(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "commit", always_locked)
    name = storage.save(SimpleUploadedFile("b.csv", csv_bytes(GOOD_ROWS)), "csv")
    with pytest.raises(OperationalError):
        tasks.run_asset_import.func("job2", name, False, None, None)
    status = cache.get(tasks.status_key("job2"))
    assert status["state"] == "failed"
    assert "Nothing was registered" in status["errors"][0][2] and "OperationalError" in status["errors"][0][2]
    assert Asset.objects.count() == 4  # the failed job wrote nothing


def test_decimal_and_date_forms(setup: dict[str, Any]) -> None:
    from biys.inventory.imports import values

    assert values.parse_decimal("38.900,00") == Decimal("38900.00")
    assert values.parse_decimal("38900,5") == Decimal("38900.50")
    assert values.parse_decimal("38900.00") == Decimal("38900.00")
    assert values.parse_decimal("1.250.000") == Decimal("1250000.00")
    assert values.parse_date("05.03.2026") == date(2026, 3, 5)
    assert values.parse_date("2026-03-05") == date(2026, 3, 5)
    assert values.parse_decimal(38900.0) == Decimal("38900.00")  # an Excel number cell
    assert values.parse_decimal(0.1 + 0.2) == Decimal("0.30")  # the float's noise is not a third decimal
    for bad in ("abc", "-5"):
        with pytest.raises(register.ValidationError):
            values.parse_decimal(bad)
    # Never guessed or rounded: "38.900" is 38900 to a Turkish office and 38.9 to a program.
    for unclear, message in (("38.900", "ambiguous"), ("12,345", "two decimal places"), (12.345, "two decimal")):
        with pytest.raises(register.ValidationError, match=message):
            values.parse_decimal(unclear)
    with pytest.raises(register.ValidationError):
        values.parse_date("31.02.2026")


def test_the_bulk_path_registers_the_same_assets_and_logs_each_one(
    setup: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from biys.core import changelog
    from biys.core.models import ChangeLogEntry

    monkeypatch.setattr(services, "BULK_MIN_ASSETS", 1)  # large files take this path; force it for 4 assets
    before = ChangeLogEntry.objects.count()
    assert_good_import(setup["client"], csv_bytes(GOOD_ROWS), "envanter.csv")
    created = ChangeLogEntry.objects.filter(id__gt=before, action="create", content_type__model="asset")
    assert created.count() == 4 and {entry.user_id for entry in created} == {setup["clerk"].pk}
    assert changelog.verify().ok


def test_the_bulk_path_writes_nothing_when_a_serial_was_taken_after_the_preview(
    setup: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "BULK_MIN_ASSETS", 1)
    client = setup["client"]
    response = preview(client, csv_bytes(GOOD_ROWS), "envanter.csv")
    kind = AssetKind.objects.get(name="Dizüstü bilgisayar")
    register.register_asset(kind, Depot.objects.get(), setup["unit"], 2025, serial="PF-002")
    response = commit(client, response)
    assert Asset.objects.count() == 1  # only the one registered by hand
    page = client.get(response["Location"]) if response.status_code == 302 else response
    assert "PF-002" in page.content.decode()
