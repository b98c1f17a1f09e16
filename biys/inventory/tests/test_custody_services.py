"""Custody rules: the Taşınır Teslim Belgesi (TMY md. 10/1-b, 18/3, 5/4) and the Dayanıklı Taşınırlar
Listesi (md. 10/1-ç). The helpers at the top are shared by the other test_custody_* modules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from biys.core.testing import make_unit, make_user
from biys.inventory.custody import services
from biys.inventory.models import (
    Asset,
    AssetKind,
    Commissioning,
    CustodyDocument,
    CustodyItem,
    Depot,
    Location,
    SharedAreaList,
    TasinirCode,
    Voucher,
)
from biys.inventory.numbering import sicil_no
from biys.org.models import Staff, Unit

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def english(settings: Any) -> Any:
    """Messages are asserted as their English msgids, whatever Turkish translations are added later."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# --- Shared helpers -------------------------------------------------------------------------------------


def laptop_code() -> TasinirCode:
    return TasinirCode.objects.get_or_create(
        code="255.02.01.01.02", defaults={"level": 5, "name": "Dizüstü Bilgisayarlar"}
    )[0]


def kind(name: str = "Dizüstü bilgisayar", needs_commissioning: bool = False) -> AssetKind:
    return AssetKind.objects.get_or_create(
        name=name,
        defaults={"category": "computer", "tasinir_code": laptop_code(), "needs_commissioning": needs_commissioning},
    )[0]


def depot_of(unit: Unit) -> Depot:
    return Depot.objects.get_or_create(
        unit=unit, code="01", defaults={"institutional_code": f"46.{unit.pk}", "name": "Bilgi İşlem Ambarı"}
    )[0]


def make_asset(unit: Unit, **extra: Any) -> Asset:
    code = laptop_code()
    sequence = Asset.objects.filter(tasinir_code=code, entry_year=2026).count() + 1
    values: dict[str, Any] = {
        "name": "Dizüstü bilgisayar",
        "brand": "HP",
        "model": "ProBook 450 G9",
        "serial": f"5CD{sequence:05d}X",
        "kind": kind(),
        **extra,
    }
    return Asset.objects.create(
        sicil_no=sicil_no(code, 2026, sequence),
        tasinir_code=code,
        entry_year=2026,
        sequence=sequence,
        depot=depot_of(unit),
        owner_unit=unit,
        **values,
    )


def person(unit: Unit, first: str = "Ayşe", last: str = "Kaya", **extra: Any) -> Staff:
    return Staff.objects.create(first_name=first, last_name=last, unit=unit, **extra)


def tree() -> dict[str, Unit]:
    root = make_unit("Belediye", code="ROOT", kind="baskanlik")
    it = make_unit("Bilgi İşlem Dairesi Başkanlığı", parent=root, code="BIDB", kind="daire_baskanligi", is_it=True)
    section = make_unit("Teknik Destek Şefliği", parent=it, code="TD", kind="seflik", is_it=True)
    other = make_unit("Fen İşleri Dairesi Başkanlığı", parent=root, code="FEN", kind="daire_baskanligi")
    return {"root": root, "it": it, "section": section, "other": other}


@pytest.fixture
def units() -> dict[str, Unit]:
    return tree()


@pytest.fixture
def officer(units: dict[str, Unit]) -> Staff:
    """The Taşınır Kayıt Yetkilisi."""
    user = make_user("kayit", unit=units["it"], roles=("tasinir_kayit",))
    return person(units["it"], "Mehmet", "Demir", title="Taşınır Kayıt Yetkilisi", user=user)


@pytest.fixture
def ayse(units: dict[str, Unit]) -> Staff:
    return person(units["section"], "Ayşe", "Kaya", registry_no="1001", title="Tekniker")


@pytest.fixture
def veli(units: dict[str, Unit]) -> Staff:
    return person(units["other"], "Veli", "Işık", registry_no="2002", title="Mühendis")


# --- Issue ------------------------------------------------------------------------------------------------


def test_issue_hands_several_assets_on_one_numbered_document(units, officer, ayse) -> None:  # type: ignore[no-untyped-def]
    laptop, monitor = make_asset(units["it"]), make_asset(units["it"], name="Monitör")
    document = services.issue_custody(ayse, [monitor, laptop], officer, on=MARCH, note="Yeni personel")
    assert (document.year, document.number, document.date) == (2026, 1, MARCH)
    assert document.unit == units["section"]  # the receiving person's unit
    assert document.issued_by == officer
    assert [item.asset for item in document.items.order_by("id")] == [laptop, monitor]  # by sicil no
    for asset in (laptop, monitor):
        asset.refresh_from_db()
        assert asset.holder == ayse
        assert asset.status == Asset.Status.IN_USE
    assert services.issue_custody(ayse, [make_asset(units["it"])], officer, on=MARCH).number == 2


def test_document_numbers_restart_at_one_each_year(units, officer, ayse) -> None:  # type: ignore[no-untyped-def]
    numbers = [
        services.issue_custody(ayse, [make_asset(units["it"])], officer, on=day).number
        for day in (date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 2))
    ]
    assert numbers == [1, 2, 1]
    assert list(CustodyDocument.objects.values_list("year", "number").order_by("year", "number")) == [
        (2025, 1),
        (2025, 2),
        (2026, 1),
    ]


def test_no_vif_is_written_for_custody_moves(units, officer, ayse, veli) -> None:  # type: ignore[no-untyped-def]
    asset = make_asset(units["it"])
    document = services.issue_custody(ayse, [asset], officer, on=MARCH)
    services.transfer_custody(asset, veli, officer, on=MARCH + timedelta(days=5))
    services.return_custody(CustodyItem.objects.filter(returned_at__isnull=True), officer, on=MARCH + timedelta(9))
    assert document.pk
    assert not Voucher.objects.exists()  # TMY md. 18/3


def test_an_asset_already_held_is_refused_naming_holder_and_document(units, officer, ayse, veli) -> None:  # type: ignore[no-untyped-def]
    asset, free = make_asset(units["it"]), make_asset(units["it"])
    first = services.issue_custody(ayse, [asset], officer, on=MARCH)
    with pytest.raises(ValidationError) as error:
        services.issue_custody(veli, [free, asset], officer, on=MARCH)
    assert error.value.messages == [
        f"{asset.sicil_no} is already held by Ayşe Kaya (Teslim Belgesi 2026/{first.number})."
    ]
    assert CustodyDocument.objects.count() == 1  # nothing half-written
    free.refresh_from_db()
    assert free.holder is None and free.status == Asset.Status.IN_DEPOT


def test_the_database_allows_one_open_custody_line_per_asset(units, officer, ayse) -> None:  # type: ignore[no-untyped-def]
    asset = make_asset(units["it"])
    document = services.issue_custody(ayse, [asset], officer, on=MARCH)
    with pytest.raises(IntegrityError), transaction.atomic():
        CustodyItem.objects.create(document=document, asset=asset)


@pytest.mark.parametrize("status", ["scrapped", "lost", "at_vendor", "transferred", "scrap_proposed", "in_repair"])
def test_an_asset_that_is_not_usable_is_refused(units, officer, ayse, status: str) -> None:  # type: ignore[no-untyped-def]
    asset = make_asset(units["it"], status=status)
    with pytest.raises(ValidationError, match=rf"{asset.sicil_no} cannot be handed over while its status is"):
        services.issue_custody(ayse, [asset], officer, on=MARCH)
    assert not CustodyDocument.objects.exists()


@pytest.mark.parametrize("status", ["left", "leaving", "deceased"])
def test_only_an_active_staff_member_receives_items(units, officer, ayse, status: str) -> None:  # type: ignore[no-untyped-def]
    ayse.status = status
    ayse.save()
    with pytest.raises(ValidationError, match=r"Ayşe Kaya cannot receive items"):
        services.issue_custody(ayse, [make_asset(units["it"])], officer, on=MARCH)
    assert not CustodyItem.objects.exists()


def test_a_computer_needing_commissioning_waits_for_its_checklist(units, officer, ayse) -> None:  # type: ignore[no-untyped-def]
    pc = make_asset(units["it"], kind=kind("Masaüstü bilgisayar", needs_commissioning=True))
    with pytest.raises(ValidationError, match=rf"{pc.sicil_no} has not completed its commissioning checklist"):
        services.issue_custody(ayse, [pc], officer, on=MARCH)
    checklist = Commissioning.objects.create(asset=pc, tested=True, installed=True)
    with pytest.raises(ValidationError, match="commissioning checklist"):
        services.issue_custody(ayse, [pc], officer, on=MARCH)
    checklist.network_registered = True
    checklist.completed_at = timezone.now()
    checklist.save()
    assert services.issue_custody(ayse, [Asset.objects.get(pk=pc.pk)], officer, on=MARCH).items.count() == 1


def test_every_problem_is_reported_at_once(units, officer, ayse) -> None:  # type: ignore[no-untyped-def]
    lost = make_asset(units["it"], status="lost")
    pc = make_asset(units["it"], kind=kind("Masaüstü bilgisayar", needs_commissioning=True))
    with pytest.raises(ValidationError) as error:
        services.issue_custody(ayse, [lost, pc], officer, on=timezone.localdate() + timedelta(days=1))
    text = " ".join(error.value.messages)
    assert "The date cannot be in the future." in text
    assert lost.sicil_no in text and pc.sicil_no in text


def test_nothing_to_hand_over_is_refused(officer, ayse) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="Choose at least one asset"):
        services.issue_custody(ayse, [], officer, on=MARCH)


def test_a_new_handover_cannot_be_dated_before_the_last_return(units, officer, ayse, veli) -> None:  # type: ignore[no-untyped-def]
    asset = make_asset(units["it"])
    document = services.issue_custody(ayse, [asset], officer, on=MARCH)
    services.return_custody(document.items.all(), officer, on=date(2026, 4, 10))
    with pytest.raises(ValidationError, match=r"was returned on 10\.04\.2026"):
        services.issue_custody(veli, [asset], officer, on=date(2026, 4, 1))
    assert services.issue_custody(veli, [asset], officer, on=date(2026, 4, 10)).staff == veli


# --- Return and transfer ----------------------------------------------------------------------------------


def test_return_closes_the_line_and_puts_the_asset_back_in_the_depot(units, officer, ayse) -> None:  # type: ignore[no-untyped-def]
    laptop, mouse = make_asset(units["it"]), make_asset(units["it"], name="Fare")
    document = services.issue_custody(ayse, [laptop, mouse], officer, on=MARCH)
    item = document.items.get(asset=laptop)
    services.return_custody([item], officer, on=date(2026, 6, 1), condition="Sağlam, şarj aleti eksik")
    item.refresh_from_db()
    assert (item.returned_at, item.returned_to, item.condition) == (
        date(2026, 6, 1),
        officer,
        "Sağlam, şarj aleti eksik",
    )
    laptop.refresh_from_db()
    assert laptop.holder is None and laptop.status == Asset.Status.IN_DEPOT
    mouse.refresh_from_db()
    assert mouse.holder == ayse  # the other line stays open


def test_a_return_cannot_be_dated_before_the_handover(units, officer, ayse) -> None:  # type: ignore[no-untyped-def]
    document = services.issue_custody(ayse, [make_asset(units["it"])], officer, on=MARCH)
    item = document.items.get()
    with pytest.raises(ValidationError, match=r"cannot be returned before it was handed over \(02\.03\.2026\)"):
        services.return_custody([item], officer, on=date(2026, 3, 1))
    item.refresh_from_db()
    assert item.returned_at is None
    assert Asset.objects.get(pk=item.asset_id).holder == ayse


def test_a_line_is_returned_only_once(units, officer, ayse) -> None:  # type: ignore[no-untyped-def]
    document = services.issue_custody(ayse, [make_asset(units["it"])], officer, on=MARCH)
    services.return_custody(document.items.all(), officer, on=date(2026, 3, 5))
    with pytest.raises(ValidationError, match=r"already returned on 05\.03\.2026"):
        services.return_custody(document.items.all(), officer, on=date(2026, 3, 6))


def test_an_item_sent_for_repair_while_held_keeps_its_status_on_return(units, officer, ayse) -> None:  # type: ignore[no-untyped-def]
    asset = make_asset(units["it"])
    document = services.issue_custody(ayse, [asset], officer, on=MARCH)
    Asset.objects.filter(pk=asset.pk).update(status=Asset.Status.IN_REPAIR)
    services.return_custody(document.items.all(), officer, on=MARCH)
    asset.refresh_from_db()
    assert (asset.holder, asset.status) == (None, Asset.Status.IN_REPAIR)


def test_transfer_returns_and_issues_a_new_document_in_one_step(units, officer, ayse, veli) -> None:  # type: ignore[no-untyped-def]
    asset = make_asset(units["it"])
    first = services.issue_custody(ayse, [asset], officer, on=MARCH)
    second = services.transfer_custody(asset, veli, officer, on=date(2026, 5, 4))
    old = first.items.get()
    assert old.returned_at == date(2026, 5, 4) and old.returned_to == officer
    assert second.staff == veli and second.unit == units["other"] and second.number == 2
    assert "Ayşe Kaya" in second.note and f"2026/{first.number}" in second.note
    asset.refresh_from_db()
    assert asset.holder == veli and asset.status == Asset.Status.IN_USE
    assert [i.document.staff for i in asset.custody_items.order_by("id")] == [ayse, veli]  # history kept


def test_a_refused_transfer_leaves_the_old_holder_in_place(units, officer, ayse, veli) -> None:  # type: ignore[no-untyped-def]
    asset = make_asset(units["it"])
    services.issue_custody(ayse, [asset], officer, on=MARCH)
    veli.status = Staff.Status.LEFT
    veli.save()
    with pytest.raises(ValidationError, match="Veli Işık cannot receive items"):
        services.transfer_custody(asset, veli, officer, on=MARCH)
    asset.refresh_from_db()
    assert asset.holder == ayse
    assert CustodyItem.objects.get(asset=asset).returned_at is None
    with pytest.raises(ValidationError, match="already holds"):
        services.transfer_custody(asset, ayse, officer, on=MARCH)


def test_an_unheld_asset_cannot_be_transferred(units, officer, veli) -> None:  # type: ignore[no-untyped-def]
    asset = make_asset(units["it"])
    with pytest.raises(ValidationError, match=rf"{asset.sicil_no} is not held by anyone"):
        services.transfer_custody(asset, veli, officer)


def test_handable_lists_only_free_ready_usable_assets(units, officer, ayse) -> None:  # type: ignore[no-untyped-def]
    free = make_asset(units["it"])
    held = make_asset(units["it"])
    services.issue_custody(ayse, [held], officer, on=MARCH)
    make_asset(units["it"], status="scrapped")
    make_asset(units["it"], kind=kind("Masaüstü bilgisayar", needs_commissioning=True))
    ready_pc = make_asset(units["it"], kind=kind("Masaüstü bilgisayar", needs_commissioning=True))
    Commissioning.objects.create(
        asset=ready_pc, tested=True, installed=True, network_registered=True, completed_at=timezone.now()
    )
    assert set(services.handable(Asset.objects.all())) == {free, ready_pc}


# --- Dayanıklı Taşınırlar Listesi ---------------------------------------------------------------------


@pytest.fixture
def room(units: dict[str, Unit]) -> Location:
    responsible = person(units["it"], "Zeynep", "Çelik", user=make_user("zeynep", unit=units["it"]), title="Şef")
    return Location.objects.create(
        unit=units["it"], building="Hizmet Binası", floor="2", room="214", responsible=responsible
    )


def test_a_shared_area_list_snapshots_the_unheld_items_of_a_location(units, officer, ayse, room) -> None:  # type: ignore[no-untyped-def]
    printer = make_asset(units["it"], name="Yazıcı", location=room)
    projector = make_asset(units["it"], name="Projeksiyon", location=room, status="in_repair")
    held = make_asset(units["it"], location=room)
    services.issue_custody(ayse, [held], officer, on=MARCH)
    make_asset(units["it"], location=room, status="scrapped")
    make_asset(units["it"])  # elsewhere
    area_list = services.create_shared_area_list(room, on=MARCH)
    assert set(area_list.assets.all()) == {printer, projector}
    assert area_list.responsible == room.responsible
    make_asset(units["it"], location=room)
    assert area_list.assets.count() == 2  # a snapshot: later arrivals go on the next list


def test_a_shared_area_list_needs_a_responsible_and_items(units, room) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="No unheld items are recorded"):
        services.create_shared_area_list(room, on=MARCH)
    hall = Location.objects.create(unit=units["it"], building="Hizmet Binası", floor="1", room="Koridor")
    make_asset(units["it"], location=hall)
    with pytest.raises(ValidationError, match="has no area responsible"):
        services.create_shared_area_list(hall, on=MARCH)
    assert not SharedAreaList.objects.exists()


def test_only_the_responsible_or_an_editor_signs_and_only_once(units, room) -> None:  # type: ignore[no-untyped-def]
    make_asset(units["it"], location=room)
    area_list = services.create_shared_area_list(room, on=MARCH)
    stranger = make_user("yabanci", unit=units["it"], perms=("inventory.view_sharedarealist",))
    with pytest.raises(PermissionDenied):
        services.sign_shared_area_list(area_list, stranger)
    signed = services.sign_shared_area_list(area_list, room.responsible.user)
    assert signed.signed_by == room.responsible.user
    editor = make_user("editor", unit=units["it"], perms=("inventory.change_sharedarealist",))
    with pytest.raises(ValidationError, match="already been signed"):
        services.sign_shared_area_list(area_list, editor)
    second = services.create_shared_area_list(room, on=MARCH)
    assert services.sign_shared_area_list(second, editor).signed_by == editor
