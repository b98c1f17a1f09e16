"""Every register model gets the generic view and API suites; the tests here add only what is special."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from biys.core.testing import make_unit, make_user
from biys.core.testing.api import ApiTestCases
from biys.core.testing.views import ViewTestCases
from biys.core.views import restrict
from biys.inventory.models import Asset, AssetKind, Contract, Depot, Location, TasinirCode
from biys.inventory.register import services
from biys.org.models import Staff


def laptop_code() -> TasinirCode:
    parent = TasinirCode.objects.get_or_create(code="255.02.01.01", defaults={"level": 4, "name": "Bilgisayarlar"})[0]
    return TasinirCode.objects.get_or_create(
        code="255.02.01.01.02", defaults={"level": 5, "name": "Dizüstü Bilgisayarlar", "parent": parent}
    )[0]


def laptop_kind() -> AssetKind:
    return AssetKind.objects.get_or_create(
        name="Dizüstü bilgisayar", defaults={"category": "computer", "tasinir_code": laptop_code()}
    )[0]


def depot_of(unit: Any) -> Depot:
    return Depot.objects.get_or_create(
        unit=unit, code="01", defaults={"institutional_code": f"46.{unit.code}", "name": f"{unit.name} Ambarı"}
    )[0]


def asset_in(unit: Any, **fields: Any) -> Asset:
    return services.register_asset(laptop_kind(), depot_of(unit), unit, 2026, **fields)


class AssetViewTests(ViewTestCases.ModelViewTestCase):
    model = Asset
    update_field = "hostname"

    def make(self, unit: Any) -> Asset:
        return asset_in(unit, brand="Dell", model="Latitude 5440")

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {
            "kind": laptop_kind().pk,
            "depot": depot_of(unit).pk,
            "owner_unit": unit.pk,
            "entry_year": 2026,
            "quantity": 1,
            "brand": "Lenovo",
            "hostname": "ışık-pc",
            "is_approved": "on",
        }


class AssetKindViewTests(ViewTestCases.ModelViewTestCase):
    model = AssetKind
    scoped = False  # reference data of the municipality
    update_field = "name"

    def make(self, unit: Any) -> AssetKind:
        return AssetKind.objects.create(
            name=f"Tür {AssetKind.objects.count()}", category="computer", tasinir_code=laptop_code()
        )

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {
            "name": "Dizüstü",
            "category": "computer",
            "tasinir_code": laptop_code().code,
            "unit_of_measure": "Adet",
        }


class DepotViewTests(ViewTestCases.ModelViewTestCase):
    model = Depot
    update_field = "name"

    def make(self, unit: Any) -> Depot:
        return Depot.objects.create(
            unit=unit, institutional_code="46.33.01", code=f"{Depot.objects.count() + 10}", name="Ambar"
        )

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {"unit": unit.pk, "institutional_code": "46.33.02", "code": "a1", "name": "Bilgi İşlem Ambarı"}


class LocationViewTests(ViewTestCases.ModelViewTestCase):
    model = Location
    update_field = "room"

    def make(self, unit: Any) -> Location:
        return Location.objects.create(
            unit=unit, building="Hizmet Binası", floor="2", room=f"{Location.objects.count()}"
        )

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {"unit": unit.pk, "building": "Ek Bina", "floor": "1", "room": "Sunucu Odası"}


class ContractViewTests(ViewTestCases.ModelViewTestCase):
    model = Contract
    scoped = False
    update_field = "coverage"

    def make(self, unit: Any) -> Contract:
        return Contract.objects.create(
            name="Yazıcı bakımı", vendor="Firma", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31)
        )

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {
            "name": "Sunucu bakım sözleşmesi",
            "vendor": "Örnek Bilişim A.Ş.",
            "start_date": "2026-01-01",
            "end_date": "2027-12-31",
            "coverage": "Yerinde servis, 4 saat",
        }


class AssetApiTests(ApiTestCases.ModelApiTestCase):
    model = Asset
    endpoint = "inventory/assets"
    update_field = "hostname"

    def make(self, unit: Any) -> Asset:
        return asset_in(unit)

    def api_data(self, unit: Any) -> dict[str, Any]:
        return {
            "kind": laptop_kind().pk,
            "depot": depot_of(unit).pk,
            "owner_unit": unit.pk,
            "hostname": "bim-pc-01",
            "mac_address": "00-1a-2b-3c-4d-5e",
        }


class AssetKindApiTests(ApiTestCases.ModelApiTestCase):
    model = AssetKind
    endpoint = "inventory/asset-kinds"
    scoped = False
    update_field = "name"

    def make(self, unit: Any) -> AssetKind:
        return AssetKind.objects.create(
            name=f"Tür {AssetKind.objects.count()}", category="computer", tasinir_code=laptop_code()
        )

    def api_data(self, unit: Any) -> dict[str, Any]:
        return {"name": "Dizüstü", "category": "computer", "tasinir_code": laptop_code().code}


class DepotApiTests(ApiTestCases.ModelApiTestCase):
    model = Depot
    endpoint = "inventory/depots"
    update_field = "name"

    def make(self, unit: Any) -> Depot:
        return Depot.objects.create(
            unit=unit, institutional_code="46.33.01", code=f"{Depot.objects.count() + 10}", name="Ambar"
        )

    def api_data(self, unit: Any) -> dict[str, Any]:
        return {"unit": unit.pk, "institutional_code": "46.33.09", "code": "02", "name": "Yedek Parça Ambarı"}


class LocationApiTests(ApiTestCases.ModelApiTestCase):
    model = Location
    endpoint = "inventory/locations"
    update_field = "room"

    def make(self, unit: Any) -> Location:
        return Location.objects.create(unit=unit, building="Hizmet Binası", room=f"{Location.objects.count()}")

    def api_data(self, unit: Any) -> dict[str, Any]:
        return {"unit": unit.pk, "building": "Ek Bina", "floor": "Zemin", "room": "Arşiv"}


class ContractApiTests(ApiTestCases.ModelApiTestCase):
    model = Contract
    endpoint = "inventory/contracts"
    scoped = False
    update_field = "coverage"

    def make(self, unit: Any) -> Contract:
        return Contract.objects.create(
            name="Bakım", vendor="Firma", start_date=date(2026, 1, 1), end_date=date(2026, 6, 30)
        )

    def api_data(self, unit: Any) -> dict[str, Any]:
        return {
            "name": "UPS bakımı",
            "vendor": "Güç Ltd.",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "coverage": "Akü değişimi dahil",
        }


@pytest.mark.django_db
def test_a_unit_user_sees_the_subtree_and_what_they_hold_elsewhere() -> None:
    root = make_unit("Belediye", code="ROOT")
    roads = make_unit("Fen İşleri", parent=root, code="FEN")
    asphalt = make_unit("Asfalt Şefliği", parent=roads, code="ASF")
    parks = make_unit("Park Bahçeler", parent=root, code="PRK")
    own, below, elsewhere, held = asset_in(roads), asset_in(asphalt), asset_in(parks), asset_in(parks)
    user = make_user("birim", unit=roads)
    ayse = Staff.objects.create(first_name="Ayşe", last_name="Kaya", unit=roads, user=user)
    Asset.objects.filter(pk=held.pk).update(holder=ayse)
    assert set(restrict(Asset.objects.all(), user)) == {own, below, held}
    assert set(restrict(Asset.objects.all(), make_user("park", unit=parks))) == {elsewhere, held}
    assert not restrict(Asset.objects.all(), make_user("kimse")).exists()  # no unit, holds nothing
