"""Register rules: the Taşınır code list, sicil numbers (TMY md. 36), bulk registration with its VİF,
the commissioning gate (Nizip md. 12/49), MAC addresses, parents and the expiry report."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, connections
from django.utils import timezone

from biys.core.models import ChangeLogEntry
from biys.core.testing import make_unit
from biys.inventory.models import Asset, AssetKind, Commissioning, Contract, Depot, TasinirCode, Voucher
from biys.inventory.register import codes, services
from biys.inventory.register.codes import parse_code_text, read_code_file
from biys.org.models import Staff, Unit

pytestmark = pytest.mark.django_db

IT_CODES = (
    "kod,duzey,ad\n255,1,Demirbaşlar\n255.02,2,Büro ve Bilgisayar\n255.02.01,3,Bilgisayarlar\n"
    "255.02.01.01,4,Bilgisayarlar\n255.02.01.01.01,5,Masaüstü Bilgisayarlar\n"
    "255.02.01.01.01.03,6,Ekranlar\n255.02.01.01.02,5,Dizüstü Bilgisayarlar\n"
    "150,1,İlk Madde ve Malzemeler\n150.01,2,Kırtasiye\n150.01.04,3,Yazıcı Sarf\n150.01.04.01,4,Tonerler\n"
)


@pytest.fixture
def it_codes() -> None:
    services.load_codes(parse_code_text(IT_CODES))


@pytest.fixture
def unit() -> Unit:
    return make_unit("Bilgi İşlem Dairesi Başkanlığı", code="BIDB", is_it=True)


@pytest.fixture
def depot(unit: Unit) -> Depot:
    return Depot.objects.create(unit=unit, institutional_code="46.33.01.01", code="01", name="Bilgi İşlem Ambarı")


@pytest.fixture
def laptop(it_codes: None) -> AssetKind:
    code = TasinirCode.objects.get(code="255.02.01.01.02")
    return AssetKind.objects.create(
        name="Dizüstü bilgisayar", category="computer", tasinir_code=code, needs_commissioning=True, has_storage=True
    )


@pytest.fixture
def monitor(it_codes: None) -> AssetKind:
    code = TasinirCode.objects.get(code="255.02.01.01.01.03")
    return AssetKind.objects.create(name="Ekran", category="monitor", tasinir_code=code)


# --- Taşınır Kod Listesi --------------------------------------------------------------------------------


def test_the_shipped_list_loads_3260_codes_with_parents_and_reloads_without_changes() -> None:
    result = services.load_codes(read_code_file(codes.DEFAULT_FILE))
    assert (result.created, result.updated, result.deactivated) == (3260, 0, 0)
    assert TasinirCode.objects.count() == 3260
    laptop = TasinirCode.objects.select_related("parent__parent").get(code="255.02.01.01.02")
    assert laptop.name == "Dizüstü Bilgisayarlar" and laptop.level == 5
    assert laptop.parent.code == "255.02.01.01" and laptop.parent.parent.code == "255.02.01"
    assert TasinirCode.objects.filter(parent__isnull=True).count() == 4  # 150, 253, 254, 255
    assert not TasinirCode.objects.exclude(parent__isnull=True).exclude(level__gt=1).exists()
    long_name = TasinirCode.objects.get(code="150.99.98").name  # longer than the column in the source
    assert long_name.startswith("Üretimde Kullanılacak") and long_name.endswith("Diğer idareler kullanamaz)")
    summary = ChangeLogEntry.objects.filter(object_repr__startswith="Taşınır Kod Listesi 2017").get()
    assert len(summary.after["added"]) == 3260
    again = services.load_codes(read_code_file(codes.DEFAULT_FILE))
    assert (again.created, again.updated, again.deactivated, again.unchanged) == (0, 0, 0, 3260)
    assert ChangeLogEntry.objects.filter(object_repr__startswith="Taşınır Kod Listesi").count() == 1


def test_a_new_list_renames_adds_and_deactivates_but_never_deletes(it_codes: None, laptop: AssetKind) -> None:
    newer = IT_CODES.replace("Dizüstü Bilgisayarlar", "Dizüstü ve Taşınabilir Bilgisayarlar").replace(
        "255.02.01.01.01.03,6,Ekranlar\n", ""
    )
    newer += "255.02.01.01.06,5,Mini Bilgisayarlar\n"
    result = services.load_codes(parse_code_text(newer), version="2024")
    assert (result.created, result.updated, result.deactivated) == (1, 1, 1)
    screens = TasinirCode.objects.get(code="255.02.01.01.01.03")
    assert screens.is_active is False  # kept for the assets recorded under it
    laptop_code = TasinirCode.objects.get(code="255.02.01.01.02")
    assert laptop_code.name == "Dizüstü ve Taşınabilir Bilgisayarlar" and laptop_code.list_version == "2024"
    assert TasinirCode.objects.get(code="255.02.01.01.06").parent.code == "255.02.01.01"
    assert "taşınabilir" in laptop_code.search_key or "tasinabilir" in laptop_code.search_key
    entry = ChangeLogEntry.objects.filter(object_repr__startswith="Taşınır Kod Listesi 2024").get()
    assert entry.before["codes"]["255.02.01.01.02"]["name"] == "Dizüstü Bilgisayarlar"
    assert entry.after["codes"]["255.02.01.01.01.03"] == {"is_active": False}
    # Reactivated when it comes back.
    services.load_codes(parse_code_text(IT_CODES), version="2024")
    assert TasinirCode.objects.get(code="255.02.01.01.01.03").is_active is True


def test_a_bad_row_is_named_by_its_line_and_nothing_is_written() -> None:
    text = IT_CODES + "255.02.01.01.09,4,Yanlış düzey\n255.9X,2,Harfli\n255.02.07.01,4,Öksüz\n"
    with pytest.raises(ValidationError) as error:
        services.load_codes(parse_code_text(text))
    messages = error.value.messages
    assert any(m.startswith("Row 13 ") and "255.02.01.01.09" in m and "level" in m for m in messages), messages
    assert any(m.startswith("Row 14 ") and "255.9X" in m for m in messages), messages
    assert any(m.startswith("Row 15 ") and "parent code 255.02.07" in m for m in messages), messages
    assert not TasinirCode.objects.exists()


def test_a_repeated_code_names_both_rows() -> None:
    with pytest.raises(ValidationError, match=r"Row 13 .*also appears on row 12"):
        services.load_codes(parse_code_text(IT_CODES + "150.01.04.01,4,Tonerler\n"))


def test_a_windows_1254_file_with_semicolons_loads(tmp_path: Path) -> None:
    path = tmp_path / "tasinir_kod_listesi_2024.csv"
    path.write_bytes(IT_CODES.replace(",", ";").replace("kod;duzey;ad", "Kod;Düzey;Adı").encode("cp1254"))
    call_command("import_tasinir_codes", str(path))
    code = TasinirCode.objects.get(code="150.01.04.01")
    assert code.name == "Tonerler" and code.list_version == "2024"
    assert TasinirCode.objects.get(code="255.02.01.01.02").name == "Dizüstü Bilgisayarlar"


def test_the_command_reports_bad_rows_and_takes_the_version(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(IT_CODES + "255.02.01.01.07,beş,Bozuk\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Row 13"):
        call_command("import_tasinir_codes", str(path), "--version", "2025")
    assert not TasinirCode.objects.exists()
    path.write_text(IT_CODES, encoding="utf-8")
    with pytest.raises(CommandError, match="--version"):
        call_command("import_tasinir_codes", str(path))
    call_command("import_tasinir_codes", str(path), "--version", "2025")
    assert set(TasinirCode.objects.values_list("list_version", flat=True)) == {"2025"}


def test_a_file_without_the_code_columns_is_refused() -> None:
    with pytest.raises(ValidationError, match="Line 1"):
        parse_code_text("a,b,c\n1,2,3\n")


def test_default_kinds_use_existing_codes_or_their_nearest_parent() -> None:
    services.load_codes(read_code_file(codes.DEFAULT_FILE))
    created = services.default_kinds()
    kinds = {kind.name: kind for kind in created}
    assert kinds["Dizüstü bilgisayar"].tasinir_code.code == "255.02.01.01.02"
    assert kinds["Masaüstü bilgisayar"].needs_commissioning and kinds["Masaüstü bilgisayar"].has_storage
    assert kinds["IP kamera"].tasinir_code.code == "255.10.02.05"
    assert kinds["UPS"].tasinir_code.code == "253.02.05.07"
    assert kinds["Toner"].category == "consumable" and kinds["Toner"].tasinir_code.code == "150.01.04.01"
    for kind in created:
        services.check_kind_code(kind.category, kind.tasinir_code)
    assert services.default_kinds() == []  # running again adds nothing
    TasinirCode.objects.filter(code="255.02.04.03.08").update(is_active=False)
    assert services.nearest_code("255.02.04.03.08").code == "255.02.04.03"


def test_default_kinds_need_the_code_list() -> None:
    with pytest.raises(ValidationError, match="import_tasinir_codes"):
        services.default_kinds()


def test_kind_codes_follow_the_account(it_codes: None) -> None:
    toner = TasinirCode.objects.get(code="150.01.04.01")
    laptop = TasinirCode.objects.get(code="255.02.01.01.02")
    services.check_kind_code("consumable", toner)
    services.check_kind_code("computer", laptop)
    with pytest.raises(ValidationError, match="253, 254 or 255"):
        services.check_kind_code("computer", toner)
    with pytest.raises(ValidationError, match="150"):
        services.check_kind_code("consumable", laptop)


# --- Sicil numbers (TMY md. 36) -------------------------------------------------------------------------


def test_sicil_numbers_are_consecutive_per_code_and_year_and_restart_next_year(
    depot: Depot, unit: Unit, laptop: AssetKind, monitor: AssetKind
) -> None:
    first = services.register_asset(laptop, depot, unit, 2026)
    second = services.register_asset(laptop, depot, unit, 2026)
    screen = services.register_asset(monitor, depot, unit, 2026)
    next_year = services.register_asset(laptop, depot, unit, 2027)
    assert first.sicil_no == "255.02.01.01.02-26-00001"
    assert second.sicil_no == "255.02.01.01.02-26-00002"
    assert screen.sicil_no == "255.02.01.01.01.03-26-00001"  # another code counts on its own
    assert next_year.sicil_no == "255.02.01.01.02-27-00001"
    assert first.tasinir_code == laptop.tasinir_code and first.name == "Dizüstü bilgisayar"


def test_bulk_registration_gives_consecutive_numbers_and_a_draft_purchase_vif(
    depot: Depot, unit: Unit, laptop: AssetKind
) -> None:
    services.register_asset(laptop, depot, unit, 2026)
    serials = [f"5CD{index:04d}" for index in range(20)]
    registration = services.register_assets(
        laptop,
        depot,
        unit,
        2026,
        20,
        serials=serials,
        brand="HP",
        model="ProBook 450",
        invoice_no="ABC2026000123",
        invoice_date=date(2026, 3, 2),
        price=Decimal("32500.00"),
        supplier="Örnek Bilişim",
        voucher_date=date(2026, 3, 5),
    )
    numbers = [asset.sicil_no for asset in registration.assets]
    assert numbers == [f"255.02.01.01.02-26-{n:05d}" for n in range(2, 22)]
    assert [asset.serial for asset in registration.assets] == serials
    voucher = registration.voucher
    assert voucher is not None and voucher.status == Voucher.Status.DRAFT and voucher.kind == "purchase"
    assert (voucher.date, voucher.source_date, voucher.source_document) == (
        date(2026, 3, 5),
        date(2026, 3, 2),
        "ABC2026000123",
    )
    lines = list(voucher.lines.select_related("asset").order_by("asset__sequence"))
    assert [line.asset.sicil_no for line in lines] == numbers
    assert all(line.quantity == 1 and line.unit_price == Decimal("32500.00") for line in lines)
    assert voucher.total == Decimal("650000.00")
    assert Commissioning.objects.filter(asset__in=registration.assets, completed_at__isnull=True).count() == 20
    assert all(asset.status == Asset.Status.COMMISSIONING for asset in registration.assets)


def test_a_failed_bulk_registration_writes_nothing(depot: Depot, unit: Unit, laptop: AssetKind) -> None:
    entries = ChangeLogEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.register_assets(
            laptop,
            depot,
            unit,
            2026,
            3,
            invoice_no="F-1",
            invoice_date=date(2026, 3, 9),
            price=Decimal("100"),
            voucher_date=date(2026, 3, 2),
        )
    assert "voucher_date" in error.value.message_dict  # a VİF never predates its invoice
    assert not Asset.objects.exists() and not Voucher.objects.exists()
    assert ChangeLogEntry.objects.count() == entries


def test_bulk_registration_checks_serials_and_per_device_fields(depot: Depot, unit: Unit, laptop: AssetKind) -> None:
    services.register_asset(laptop, depot, unit, 2026, serial="SN-1")
    with pytest.raises(ValidationError, match="2 serial numbers for 3 items"):
        services.register_assets(laptop, depot, unit, 2026, 3, serials=["A", "B"])
    with pytest.raises(ValidationError, match="Repeated serial numbers: A"):
        services.register_assets(laptop, depot, unit, 2026, 2, serials=["A", "A"])
    with pytest.raises(ValidationError, match=r"Already registered: SN-1 \(255.02.01.01.02-26-00001\)"):
        services.register_asset(laptop, depot, unit, 2026, serial="SN-1")
    with pytest.raises(ValidationError, match="belong to one device"):
        services.register_assets(laptop, depot, unit, 2026, 2, hostname="pc-1")
    with pytest.raises(ValidationError, match="price"):
        services.register_assets(laptop, depot, unit, 2026, 1, invoice_no="F", voucher_date=date(2026, 1, 1))
    assert Asset.objects.count() == 1


def test_consumables_are_not_registered_as_assets(depot: Depot, unit: Unit, it_codes: None) -> None:
    toner = AssetKind.objects.create(
        name="Toner", category="consumable", tasinir_code=TasinirCode.objects.get(code="150.01.04.01")
    )
    with pytest.raises(ValidationError, match="stock"):
        services.register_asset(toner, depot, unit, 2026)


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_share_a_number(depot: Depot, unit: Unit, laptop: AssetKind) -> None:
    """Three clerks at once. On PostgreSQL the row lock of numbering.next_asset_sequence makes them queue;
    SQLite serialises writers with BEGIN IMMEDIATE and a busy timeout, but its shared in-memory test
    database answers "table is locked" at once instead of waiting, so there a clerk simply tries again."""
    failures: list[BaseException] = []

    def clerk() -> None:
        try:
            for _index in range(5):
                _with_retry_on_sqlite_lock(lambda: services.register_assets(laptop, depot, unit, 2026, 2))
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk) for _index in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    sequences = sorted(Asset.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 31))


def _with_retry_on_sqlite_lock(work: Any) -> None:
    for _attempt in range(200):
        try:
            work()
            return
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


# --- Commissioning gate (Nizip md. 12/49) ---------------------------------------------------------------


def test_a_computer_is_ready_for_handover_only_after_its_checklist(depot: Depot, unit: Unit, laptop: AssetKind) -> None:
    asset = services.register_asset(laptop, depot, unit, 2026)
    technician = Staff.objects.create(first_name="Ali", last_name="Işık", unit=unit)
    assert asset.status == Asset.Status.COMMISSIONING
    assert services.is_ready_for_handover(asset) is False
    services.complete_commissioning(asset, tested=True, installed=True, network_registered=False, done_by=technician)
    asset.refresh_from_db()
    assert asset.status == Asset.Status.COMMISSIONING and services.is_ready_for_handover(asset) is False
    with pytest.raises(ValidationError, match="Name who did"):
        Commissioning.objects.filter(asset=asset).update(done_by=None)
        services.complete_commissioning(asset, tested=True, installed=True, network_registered=True)
    record = services.complete_commissioning(
        asset, tested=True, installed=True, network_registered=True, done_by=technician, note="Domain'e alındı"
    )
    asset.refresh_from_db()
    assert record.completed_at is not None and asset.commissioned_at == record.completed_at
    assert asset.status == Asset.Status.IN_DEPOT
    assert services.is_ready_for_handover(asset) is True
    with pytest.raises(ValidationError, match="cannot be undone"):
        services.complete_commissioning(asset, tested=False, installed=True, network_registered=True)


def test_kinds_without_commissioning_are_ready_at_once(depot: Depot, unit: Unit, monitor: AssetKind) -> None:
    asset = services.register_asset(monitor, depot, unit, 2026)
    assert asset.status == Asset.Status.IN_DEPOT
    assert not Commissioning.objects.filter(asset=asset).exists()
    assert services.is_ready_for_handover(asset) is True


def test_turning_commissioning_on_for_a_kind_gates_its_assets(depot: Depot, unit: Unit, monitor: AssetKind) -> None:
    asset = services.register_asset(monitor, depot, unit, 2026)
    AssetKind.objects.filter(pk=monitor.pk).update(needs_commissioning=True)
    asset = Asset.objects.select_related("kind").get(pk=asset.pk)
    assert services.is_ready_for_handover(asset) is False


# --- MAC, parents ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("00:1a:2b:3c:4d:5e", "00:1A:2B:3C:4D:5E"),
        ("00-1A-2B-3C-4D-5E", "00:1A:2B:3C:4D:5E"),
        ("001a.2b3c.4d5e", "00:1A:2B:3C:4D:5E"),
        (" 001A2B3C4D5E ", "00:1A:2B:3C:4D:5E"),
        ("", ""),
    ],
)
def test_mac_addresses_are_stored_in_one_form(typed: str, stored: str) -> None:
    assert services.normalize_mac(typed) == stored


@pytest.mark.parametrize("typed", ["00:1A:2B:3C:4D", "00:1A:2B:3C:4D:5G", "00:1A:2B:3C:4D:5E:6F", "ağ kartı"])
def test_bad_mac_addresses_are_refused_with_the_value(typed: str) -> None:
    with pytest.raises(ValidationError, match="is not a MAC address"):
        services.normalize_mac(typed)


def test_registration_normalises_the_mac_and_names_the_field(depot: Depot, unit: Unit, monitor: AssetKind) -> None:
    asset = services.register_asset(monitor, depot, unit, 2026, mac_address="aa-bb-cc-dd-ee-ff")
    assert asset.mac_address == "AA:BB:CC:DD:EE:FF"
    with pytest.raises(ValidationError) as error:
        services.register_asset(monitor, depot, unit, 2026, mac_address="zz")
    assert "mac_address" in error.value.message_dict


def test_components_hang_under_one_parent_without_loops(
    depot: Depot, unit: Unit, laptop: AssetKind, monitor: AssetKind
) -> None:
    pc = services.register_asset(laptop, depot, unit, 2026)
    screen = services.register_asset(monitor, depot, unit, 2026, parent=pc)
    assert list(pc.components.all()) == [screen]
    assert screen.location is None and screen.owner_unit == unit  # nothing inherited beyond what was given
    with pytest.raises(ValidationError, match="loop"):
        services.check_parent(pc, screen)
    with pytest.raises(ValidationError, match="itself"):
        services.check_parent(pc, pc)
    other = services.register_asset(monitor, depot, unit, 2026)
    services.check_parent(screen, other)  # moving the screen to another parent is fine


# --- Turkish search ---------------------------------------------------------------------------------


def test_turkish_search_keys_match_what_people_type(depot: Depot, unit: Unit, laptop: AssetKind) -> None:
    from biys.inventory.register.filtersets import AssetFilterSet

    laptop_asset = services.register_asset(laptop, depot, unit, 2026)
    named = services.register_asset(laptop, depot, unit, 2026, hostname="ışık-pc", name="Muhasebe PC")

    def search(query: str) -> set[int]:
        return set(AssetFilterSet({"q": query}, queryset=Asset.objects.all()).qs.values_list("pk", flat=True))

    assert search("dizustu") == {laptop_asset.pk}
    assert search("DİZÜSTÜ") == {laptop_asset.pk}
    assert search("ISIK") == {named.pk}
    assert search("ışık-pc") == {named.pk}
    assert search("26-00002") == {named.pk}


# --- Expiry report --------------------------------------------------------------------------------------


def test_the_expiry_report_groups_expired_and_expiring_and_leaves_out_gone_assets(
    depot: Depot, unit: Unit, monitor: AssetKind
) -> None:
    today = timezone.localdate()
    contract = Contract.objects.create(
        name="Bakım", vendor="Firma", start_date=today - timedelta(days=300), end_date=today + timedelta(days=20)
    )
    expired = services.register_asset(monitor, depot, unit, 2026, warranty_end=today - timedelta(days=1))
    soon = services.register_asset(monitor, depot, unit, 2026, warranty_end=today + timedelta(days=45))
    by_contract = services.register_asset(
        monitor, depot, unit, 2026, warranty_end=today + timedelta(days=400), contract=contract
    )
    services.register_asset(monitor, depot, unit, 2026, warranty_end=today + timedelta(days=90))
    services.register_asset(monitor, depot, unit, 2026)
    scrapped = services.register_asset(monitor, depot, unit, 2026, warranty_end=today - timedelta(days=5))
    Asset.objects.filter(pk=scrapped.pk).update(status=Asset.Status.SCRAPPED)
    rows = {asset.pk: asset for asset in services.expiring_assets(60)}
    assert set(rows) == {expired.pk, soon.pk, by_contract.pk}
    assert rows[expired.pk].expiry_group == "expired"
    assert rows[soon.pk].expiry_group == "expiring" and rows[soon.pk].ends_on == today + timedelta(days=45)
    assert rows[by_contract.pk].ends_on == contract.end_date
    assert {a.pk for a in services.expiring_assets(30)} == {expired.pk, by_contract.pk}
