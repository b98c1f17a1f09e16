"""Register pages beyond the generic suite: registering with a VİF, the fixed sicil no, commissioning,
labels, the expiry report, the code list, scoping of the asset list and the API's registration path."""

from __future__ import annotations

import base64
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook

from biys.core.testing import make_unit, make_user
from biys.inventory.models import (
    Asset,
    AssetKind,
    Commissioning,
    CustodyDocument,
    CustodyItem,
    Depot,
    TasinirCode,
    Voucher,
)
from biys.inventory.register import labels, services
from biys.inventory.register.codes import parse_code_text
from biys.inventory.tests.test_register_services import IT_CODES
from biys.org.models import Staff, Unit
from biys.users.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def units() -> dict[str, Unit]:
    root = make_unit("Belediye Başkanlığı", code="ROOT", kind="baskanlik")
    it = make_unit("Bilgi İşlem Dairesi Başkanlığı", parent=root, code="BIDB", is_it=True)
    section = make_unit("Teknik Destek Şefliği", parent=it, code="TD", is_it=True)
    fen = make_unit("Fen İşleri Dairesi Başkanlığı", parent=root, code="FEN")
    return {"root": root, "it": it, "section": section, "fen": fen}


@pytest.fixture
def kinds() -> dict[str, AssetKind]:
    services.load_codes(parse_code_text(IT_CODES))
    laptop = AssetKind.objects.create(
        name="Dizüstü bilgisayar",
        category="computer",
        tasinir_code=TasinirCode.objects.get(code="255.02.01.01.02"),
        needs_commissioning=True,
    )
    monitor = AssetKind.objects.create(
        name="Ekran", category="monitor", tasinir_code=TasinirCode.objects.get(code="255.02.01.01.01.03")
    )
    return {"laptop": laptop, "monitor": monitor}


@pytest.fixture
def depot(units: dict[str, Unit]) -> Depot:
    return Depot.objects.create(unit=units["it"], institutional_code="46.33.01.01", code="01", name="BİDB Ambarı")


@pytest.fixture
def clerk(units: dict[str, Unit]) -> Any:
    user = make_user("kayit", unit=units["it"], roles=("tasinir_kayit",))
    Staff.objects.create(first_name="Kemal", last_name="Kayıt", unit=units["it"], user=user)
    return user


@pytest.fixture
def technician(units: dict[str, Unit]) -> Any:
    user = make_user("teknik", unit=units["section"], roles=("uzman",))
    Staff.objects.create(first_name="Tarık", last_name="Teknik", unit=units["section"], user=user)
    return user


def register_data(kind: AssetKind, depot: Depot, unit: Unit, **extra: Any) -> dict[str, Any]:
    return {
        "kind": kind.pk,
        "depot": depot.pk,
        "owner_unit": unit.pk,
        "entry_year": 2026,
        "quantity": 1,
        "is_approved": "on",
        **extra,
    }


# --- Registering --------------------------------------------------------------------------------------


def test_registering_three_laptops_from_one_invoice_with_the_vif(
    client: Client, clerk: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    client.force_login(clerk)
    page = client.get(reverse("inventory:asset_add"))
    assert page.status_code == 200 and "sicil_no" not in page.context["form"].fields
    data = register_data(
        kinds["laptop"],
        depot,
        units["section"],
        quantity=3,
        brand="HP",
        model="ProBook 450 G10",
        serials="5CD001\n5CD002\n\n5CD003\n",
        invoice_no="GIB2026000000123",
        invoice_date="2026-03-02",
        price="32500.00",
        supplier="Örnek Bilişim",
        create_voucher="on",
        voucher_date="2026-03-04",
        sicil_no="KENDİ-NUMARAM",
    )
    response = client.post(reverse("inventory:asset_add"), data)
    assert response.status_code == 302, response.context["form"].errors
    assets = list(Asset.objects.order_by("sequence"))
    assert [a.sicil_no for a in assets] == [f"255.02.01.01.02-26-0000{n}" for n in (1, 2, 3)]
    assert [a.serial for a in assets] == ["5CD001", "5CD002", "5CD003"]
    assert all(a.owner_unit == units["section"] and a.status == "commissioning" for a in assets)
    voucher = Voucher.objects.get()
    assert voucher.status == "draft" and voucher.source_document == "GIB2026000000123"
    assert sorted(voucher.lines.values_list("asset__sicil_no", flat=True)) == [a.sicil_no for a in assets]
    assert voucher.total == Decimal("97500.00")


def test_the_vif_needs_invoice_and_price_and_nothing_is_half_written(
    client: Client, clerk: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    client.force_login(clerk)
    data = register_data(kinds["laptop"], depot, units["it"], create_voucher="on", voucher_date="2026-03-04")
    response = client.post(reverse("inventory:asset_add"), data)
    assert response.status_code == 422
    assert set(response.context["form"].errors) >= {"invoice_no", "invoice_date", "price"}
    data.update(invoice_no="F-9", invoice_date="2026-03-10", price="10")
    response = client.post(reverse("inventory:asset_add"), data)
    assert response.status_code == 422
    assert "voucher_date" in response.context["form"].errors  # dated before its invoice (TMY md. 10/1-a)
    assert not Asset.objects.exists() and not Voucher.objects.exists()


def test_a_user_cannot_register_assets_for_another_unit(
    client: Client, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    user = make_user("birimci", unit=units["it"], perms=("inventory.add_asset", "inventory.view_asset"))
    client.force_login(user)
    response = client.post(reverse("inventory:asset_add"), register_data(kinds["monitor"], depot, units["fen"]))
    assert response.status_code == 422
    assert "owner_unit" in response.context["form"].errors
    assert not Asset.objects.exists()


def test_editing_never_changes_the_sicil_no_and_limits_the_status(
    client: Client, clerk: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    asset = services.register_asset(kinds["monitor"], depot, units["it"], 2026)
    client.force_login(clerk)
    form = client.get(reverse("inventory:asset_edit", kwargs={"pk": asset.pk})).context["form"]
    assert not {"sicil_no", "kind", "tasinir_code", "entry_year", "sequence", "depot", "holder"} & set(form.fields)
    assert "scrapped" not in dict(form.fields["status"].choices)
    data = {
        "_version": form["_version"].value(),
        "name": "Ekran 24",
        "status": "scrapped",
        "owner_unit": units["it"].pk,
        "sicil_no": "999",
        "mac_address": "aabbccddeeff",
        "is_approved": "on",
    }
    response = client.post(reverse("inventory:asset_edit", kwargs={"pk": asset.pk}), data)
    assert response.status_code == 422 and "status" in response.context["form"].errors
    data["status"] = "in_repair"
    response = client.post(reverse("inventory:asset_edit", kwargs={"pk": asset.pk}), data)
    assert response.status_code == 302, response.context["form"].errors
    asset.refresh_from_db()
    assert asset.sicil_no == "255.02.01.01.01.03-26-00001" and asset.status == "in_repair"
    assert asset.mac_address == "AA:BB:CC:DD:EE:FF"


def test_a_bad_mac_and_a_looping_parent_are_shown_on_their_fields(
    client: Client, clerk: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    pc = services.register_asset(kinds["laptop"], depot, units["it"], 2026)
    screen = services.register_asset(kinds["monitor"], depot, units["it"], 2026, parent=pc)
    client.force_login(clerk)
    url = reverse("inventory:asset_edit", kwargs={"pk": pc.pk})
    form = client.get(url).context["form"]
    data = {"_version": form["_version"].value(), "name": "PC", "owner_unit": units["it"].pk}
    response = client.post(url, {**data, "mac_address": "00:11:22", "parent_sicil_no": screen.sicil_no})
    errors = response.context["form"].errors
    assert response.status_code == 422
    assert "is not a MAC address" in errors["mac_address"][0]
    assert "loop" in errors["parent_sicil_no"][0]
    response = client.post(url, {**data, "parent_sicil_no": "255.02.01.01.02-26-99999"})
    assert "No asset you can see" in response.context["form"].errors["parent_sicil_no"][0]


def test_the_depot_form_shows_the_separation_of_duties_on_the_field(
    client: Client, clerk: Any, units: dict[str, Unit]
) -> None:
    officer = Staff.objects.create(first_name="Ayşe", last_name="Işık", unit=units["it"])
    client.force_login(clerk)
    data = {
        "unit": units["it"].pk,
        "institutional_code": "46.33.01.01",
        "code": "02",
        "name": "Yedek Parça Ambarı",
        "records_officer": officer.pk,
        "control_officer": officer.pk,
        "is_active": "on",
    }
    response = client.post(reverse("inventory:depot_add"), data)
    assert response.status_code == 422
    assert "md. 6/3" in response.context["form"].errors["control_officer"][0]
    assert "md. 6/3" in response.content.decode()
    assert not Depot.objects.exists()


# --- Commissioning ------------------------------------------------------------------------------------


def test_the_checklist_page_completes_commissioning(
    client: Client, technician: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    asset = services.register_asset(kinds["laptop"], depot, units["it"], 2026)
    client.force_login(technician)
    url = reverse("inventory:asset_commissioning", kwargs={"pk": asset.pk})
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"]["done_by"].value() == technician.staff.pk
    client.post(url, {"tested": "on", "installed": "on", "done_by": technician.staff.pk})
    asset.refresh_from_db()
    assert asset.status == "commissioning" and not services.is_ready_for_handover(asset)
    response = client.post(
        url, {"tested": "on", "installed": "on", "network_registered": "on", "done_by": technician.staff.pk}
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == "in_depot" and services.is_ready_for_handover(asset)
    assert Commissioning.objects.get(asset=asset).done_by == technician.staff
    detail = client.get(asset.get_absolute_url()).content.decode()
    assert 'data-testid="commissioning"' in detail


def test_a_unit_user_cannot_fill_the_checklist(
    client: Client, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    asset = services.register_asset(kinds["laptop"], depot, units["it"], 2026)
    client.force_login(make_user("birim", unit=units["it"], roles=("birim_kullanicisi",)))
    assert client.get(reverse("inventory:asset_commissioning", kwargs={"pk": asset.pk})).status_code == 403


# --- Labels -------------------------------------------------------------------------------------------


def test_label_pdfs_for_one_asset_and_for_a_selection(
    client: Client, clerk: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    first = services.register_asset(kinds["monitor"], depot, units["it"], 2026, brand="Dell")
    second = services.register_asset(kinds["monitor"], depot, units["it"], 2026)
    client.force_login(clerk)
    single = client.get(reverse("inventory:asset_label", kwargs={"pk": first.pk}))
    assert single.status_code == 200 and single["Content-Type"] == "application/pdf"
    assert single.content.startswith(b"%PDF")
    picked = client.get(f"{reverse('inventory:asset_labels')}?pk={first.pk}&pk={second.pk}&skip=5")
    assert picked.content.startswith(b"%PDF")
    by_filter = client.get(f"{reverse('inventory:asset_labels')}?kind={kinds['monitor'].pk}")
    assert by_filter.content.startswith(b"%PDF")


def test_the_label_sheet_is_3_by_8_and_the_qr_holds_the_sicil_no(
    units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    assets = [services.register_asset(kinds["monitor"], depot, units["it"], 2026) for _index in range(3)]
    pages = labels.label_pages(assets * 9, skip=2)  # 27 labels after 2 used ones: two sheets
    assert len(pages) == 2 and all(len(page) == 8 and all(len(row) == 3 for row in page) for page in pages)
    cells = [cell for page in pages for row in page for cell in row]
    assert cells[:2] == [None, None] and cells[2].sicil_no == assets[0].sicil_no
    assert cells[2].qr == labels.qr_data_uri(assets[0].sicil_no)  # the payload is the sicil no itself
    svg = base64.b64decode(cells[2].qr.split(",", 1)[1])
    assert b"<svg" in svg and b"<path" in svg


def test_too_many_labels_at_once_are_refused(
    client: Client, clerk: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot, monkeypatch: Any
) -> None:
    monkeypatch.setattr(labels, "MAX_LABELS", 2)
    for _index in range(3):
        services.register_asset(kinds["monitor"], depot, units["it"], 2026)
    client.force_login(clerk)
    response = client.get(reverse("inventory:asset_labels"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("inventory:asset_list"))


# --- Lists, search, scoping, export ---------------------------------------------------------------------


def test_asset_list_filters_and_turkish_search(
    client: Client, clerk: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    today = timezone.localdate()
    laptop = services.register_asset(kinds["laptop"], depot, units["section"], 2026, hostname="ışık-pc")
    screen = services.register_asset(kinds["monitor"], depot, units["fen"], 2026, warranty_end=today + timedelta(10))
    client.force_login(clerk)
    url = reverse("inventory:asset_list")

    def listed(query: str) -> set[int]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        return {row.record.pk for row in response.context["table"].page.object_list}

    assert listed("q=ISIK") == {laptop.pk}
    assert listed("q=dizustu") == {laptop.pk}
    assert listed(f"owner_unit={units['it'].pk}") == {laptop.pk}  # the subtree
    assert listed("status=commissioning") == {laptop.pk}
    assert listed(f"category=monitor&depot={depot.pk}") == {screen.pk}
    assert listed("warranty_days=30") == {screen.pk}
    assert listed("warranty_days=5") == set()
    assert listed("sort=-sicil_no") == {laptop.pk, screen.pk}
    export = client.get(f"{url}?q=dizustu&export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and laptop.sicil_no in values[1]


def test_the_asset_list_sorts_only_by_indexed_orders(
    client: Client, clerk: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    """A column is sortable only when an index of the asset table starts with its ORDER BY columns, so that a
    sorted page of a large register walks an index instead of sorting every row."""
    from biys.inventory.register.tables import AssetTable

    def directed(names: Any) -> tuple[tuple[str, bool], ...]:
        return tuple((name.lstrip("-"), name.startswith("-")) for name in names)

    table = AssetTable(Asset.objects.none())
    indexes = {directed(index.fields) for index in Asset._meta.indexes}
    indexes |= {directed(constraint.fields) for constraint in Asset._meta.constraints}  # type: ignore[attr-defined]
    indexes |= {directed([field.name]) for field in Asset._meta.fields if field.unique}
    sortable = {}
    for column in table.columns:
        if column.orderable:
            wanted = directed(column.order_by)
            flipped = tuple((name, not desc) for name, desc in wanted)  # an index serves both directions
            served = any(index[: len(wanted)] in (wanted, flipped) for index in indexes)
            assert served, f"{column.name} sorts by {column.order_by}, which no index serves"
            sortable[column.name] = wanted
    assert set(sortable) == {"sicil_no", "name", "status", "warranty_end"}

    first = services.register_asset(kinds["monitor"], depot, units["it"], 2026, name="Monitör B")
    second = services.register_asset(kinds["monitor"], depot, units["it"], 2026, name="Monitör A")
    third = services.register_asset(kinds["monitor"], depot, units["it"], 2026, name="Monitör A")
    client.force_login(clerk)
    url = reverse("inventory:asset_list")

    def order(query: str) -> list[int]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        return [row.record.pk for row in response.context["table"].page.object_list]

    assert order("sort=name") == [second.pk, third.pk, first.pk]  # ties in entry order (id)
    assert order("sort=-name") == [first.pk, third.pk, second.pk]
    assert order("sort=holder") == [third.pk, second.pk, first.pk]  # not offered: the default order, newest first


def test_the_filtered_asset_list_keeps_a_constant_number_of_queries(
    client: Client, clerk: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    holder = Staff.objects.create(first_name="Ayşe", last_name="Işık", unit=units["it"])
    url = f"{reverse('inventory:asset_list')}?q=bilgisayar&owner_unit={units['root'].pk}&sort=name"
    services.register_asset(kinds["laptop"], depot, units["it"], 2026)
    client.force_login(clerk)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _index in range(5):
        asset = services.register_asset(kinds["laptop"], depot, units["fen"], 2026)
        Asset.objects.filter(pk=asset.pk).update(holder=holder)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["table"].page.object_list) == 6
    assert len(few) == len(many)
    # one template per row: every row links its asset and holder and shows the status badge
    html = response.content.decode()
    assert html.count(f'href="/teskilat/staff/{holder.pk}/"') == 5
    assert html.count('class="badge text-bg-') >= 6
    assert not any("COUNT(" in query["sql"].upper() for query in many.captured_queries)  # no row count


def test_a_unit_user_sees_their_units_assets_and_what_they_hold(
    client: Client, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot, technician: Any
) -> None:
    user = make_user("fenci", unit=units["fen"], roles=("birim_kullanicisi",))
    person = Staff.objects.create(first_name="Fatma", last_name="Fen", unit=units["fen"], user=user)
    own = services.register_asset(kinds["monitor"], depot, units["fen"], 2026)
    held = services.register_asset(kinds["monitor"], depot, units["it"], 2026)
    other = services.register_asset(kinds["monitor"], depot, units["it"], 2026)
    Asset.objects.filter(pk=held.pk).update(holder=person)
    client.force_login(user)
    page = client.get(reverse("inventory:asset_list"))
    shown = {row.record.pk for row in page.context["table"].page.object_list}
    assert shown == {own.pk, held.pk}
    assert client.get(other.get_absolute_url()).status_code == 404
    client.force_login(technician)  # IT staff (view_all_assets) see every unit's assets
    page = client.get(reverse("inventory:asset_list"))
    assert {row.record.pk for row in page.context["table"].page.object_list} == {own.pk, held.pk, other.pk}


def test_the_asset_page_shows_components_custody_and_vif_lines(
    client: Client, clerk: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    registration = services.register_assets(
        kinds["laptop"],
        depot,
        units["it"],
        2026,
        1,
        invoice_no="F-77",
        invoice_date=date(2026, 3, 2),
        price=Decimal("30000"),
        voucher_date=date(2026, 3, 3),
    )
    pc = registration.assets[0]
    screen = services.register_asset(kinds["monitor"], depot, units["it"], 2026, parent=pc)
    ayse = Staff.objects.create(first_name="Ayşe", last_name="Işık", unit=units["it"])
    document = CustodyDocument.objects.create(
        year=2026, number=7, date=date(2026, 3, 9), staff=ayse, unit=units["it"], issued_by=clerk.staff
    )
    CustodyItem.objects.create(document=document, asset=pc, returned_at=date(2026, 4, 1), condition="Sağlam")
    client.force_login(clerk)
    response = client.get(pc.get_absolute_url())
    html = response.content.decode()
    assert screen.sicil_no in html
    assert list(response.context["custody"]) == list(pc.custody_items.all())
    assert "Ayşe Işık" in html and "01.04.2026" in html
    assert [line.voucher for line in response.context["voucher_lines"]] == [registration.voucher]
    assert "F-77" in html


def test_the_expiry_report_groups_and_exports(
    client: Client, clerk: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    today = timezone.localdate()
    expired = services.register_asset(kinds["monitor"], depot, units["it"], 2026, warranty_end=today - timedelta(3))
    soon = services.register_asset(kinds["monitor"], depot, units["it"], 2026, warranty_end=today + timedelta(30))
    services.register_asset(kinds["monitor"], depot, units["it"], 2026, warranty_end=today + timedelta(200))
    client.force_login(clerk)
    url = reverse("inventory:asset_expiry")
    response = client.get(url)
    assert response.status_code == 200
    assert [row.record.pk for row in response.context["table"].page.object_list] == [expired.pk, soon.pk]
    assert response.context["filterset"].group_counts() == {"expired": 1, "expiring": 1}
    year_ahead = client.get(f"{url}?days=365").context["table"].page.object_list
    assert {row.record.pk for row in year_ahead} == set(Asset.objects.values_list("pk", flat=True))
    assert [row.record.pk for row in client.get(f"{url}?group=expired").context["table"].page.object_list] == [
        expired.pk
    ]
    sheet = load_workbook(io.BytesIO(client.get(f"{url}?export=xlsx").content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 3 and rows[1][0] in ("Expired", "Süresi dolmuş", "Süresi doldu")
    assert expired.sicil_no in rows[1]
    assert client.get(f"{url}?days=99999999999").status_code == 200


# --- Code list, kinds -------------------------------------------------------------------------------


def test_the_code_list_is_searchable_filterable_and_read_only(client: Client, clerk: Any, kinds: Any) -> None:
    client.force_login(clerk)
    url = reverse("inventory:tasinircode_list")

    def listed(query: str) -> list[str]:
        return [row.record.code for row in client.get(f"{url}?{query}").context["table"].page.object_list]

    assert listed("q=dizustu") == ["255.02.01.01.02"]
    assert listed("account=150") == ["150", "150.01", "150.01.04", "150.01.04.01"]
    assert listed("level=6") == ["255.02.01.01.01.03"]
    code = TasinirCode.objects.get(code="255.02.01.01")
    detail = client.get(code.get_absolute_url())
    assert [c.code for c in detail.context["children"]] == ["255.02.01.01.01", "255.02.01.01.02"]
    assert [a.code for a in detail.context["ancestors"]] == ["255", "255.02", "255.02.01"]
    for suffix in ("_add", "_edit", "_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"inventory:tasinircode{suffix}", kwargs={"pk": code.pk} if suffix != "_add" else None)
    token = ApiToken.issue(clerk, "t")[1]
    api = client.post("/api/inventory/tasinir-codes/", {"code": "1"}, HTTP_AUTHORIZATION=f"Token {token}")
    assert api.status_code == 405
    assert client.get("/api/inventory/tasinir-codes/?q=toner", HTTP_AUTHORIZATION=f"Token {token}").json()["count"] == 1


def test_asset_kind_codes_are_typed_and_checked(client: Client, clerk: Any, kinds: Any) -> None:
    client.force_login(clerk)
    url = reverse("inventory:assetkind_add")
    base = {"name": "Toner", "category": "consumable", "unit_of_measure": "Adet"}
    response = client.post(url, {**base, "tasinir_code": "255.02.01.01.02"})
    assert response.status_code == 422 and "150" in response.context["form"].errors["tasinir_code"][0]
    response = client.post(url, {**base, "tasinir_code": "999.99"})
    assert "No Taşınır code in force" in response.context["form"].errors["tasinir_code"][0]
    assert client.post(url, {**base, "tasinir_code": " 150.01.04.01 "}).status_code == 302
    kind = AssetKind.objects.get(name="Toner")
    edit = client.get(reverse("inventory:assetkind_edit", kwargs={"pk": kind.pk}))
    assert edit.context["form"]["tasinir_code"].value() == "150.01.04.01"


def test_the_usual_kinds_button_adds_missing_kinds(client: Client, clerk: Any) -> None:
    services.load_codes(parse_code_text(IT_CODES))
    client.force_login(clerk)
    response = client.post(reverse("inventory:assetkind_defaults"))
    assert response.status_code == 302
    names = set(AssetKind.objects.values_list("name", flat=True))
    assert {"Dizüstü bilgisayar", "Masaüstü bilgisayar", "Ekran", "Toner"} <= names
    # Kinds whose whole branch is missing from this short list are skipped, not mis-filed.
    assert "UPS" not in names


# --- API ------------------------------------------------------------------------------------------------


def test_the_api_registers_with_the_service_and_keeps_the_number_fixed(
    client: Client, clerk: Any, units: dict[str, Unit], kinds: dict[str, AssetKind], depot: Depot
) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Token {ApiToken.issue(clerk, 't')[1]}"}
    payload = {
        "kind": kinds["monitor"].pk,
        "depot": depot.pk,
        "owner_unit": units["it"].pk,
        "sicil_no": "ELLE-YAZILAN",
        "status": "scrapped",
        "mac_address": "aa:bb:cc:dd:ee:ff",
    }
    created = client.post("/api/inventory/assets/", payload, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    body = created.json()
    year = timezone.localdate().year
    assert body["sicil_no"] == f"255.02.01.01.01.03-{year % 100:02d}-00001"
    assert body["tasinir_code"] == "255.02.01.01.01.03" and body["status"] == "in_depot"
    assert body["mac_address"] == "AA:BB:CC:DD:EE:FF" and body["name"] == "Ekran"
    url = f"/api/inventory/assets/{body['id']}/"
    patched = client.patch(
        url, {"kind": kinds["laptop"].pk, "entry_year": 2001}, content_type="application/json", **auth
    )
    assert patched.status_code == 200 and patched.json()["sicil_no"] == body["sicil_no"]
    refused = client.patch(url, {"status": "scrapped"}, content_type="application/json", **auth)
    assert refused.status_code == 400 and "status" in refused.json()
    bad_mac = client.patch(url, {"mac_address": "xx"}, content_type="application/json", **auth)
    assert bad_mac.status_code == 400 and "mac_address" in bad_mac.json()
    narrow = make_user("dar", unit=units["it"], perms=("inventory.add_asset", "inventory.view_asset"))
    narrow_auth = {"HTTP_AUTHORIZATION": f"Token {ApiToken.issue(narrow, 't')[1]}"}
    elsewhere = {**payload, "owner_unit": units["fen"].pk}
    other_unit = client.post("/api/inventory/assets/", elsewhere, content_type="application/json", **narrow_auth)
    assert other_unit.status_code == 400
    assert Asset.objects.count() == 1
