"""The departure handover lists custody items and blocks the departure until each is settled (TMY md. 5/4)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from biys.core.testing import make_user
from biys.inventory.custody import handover, services
from biys.inventory.models import Asset, CustodyDocument
from biys.inventory.tests.test_custody_services import (  # noqa: F401 - english is an autouse fixture
    MARCH,
    english,
    make_asset,
    person,
    tree,
)
from biys.org import services as org_services
from biys.org.models import Departure, Staff, Unit

pytestmark = pytest.mark.django_db

PROVIDERS = ["biys.org.handover.duty_lines", "biys.inventory.custody.handover.custody_lines"]


@pytest.fixture
def units() -> dict[str, Unit]:
    return tree()


@pytest.fixture
def officer(units: dict[str, Unit]) -> Staff:
    user = make_user("kayit", unit=units["it"], roles=("tasinir_kayit",))
    return person(units["it"], "Mehmet", "Demir", user=user)


@pytest.fixture
def departure(units: dict[str, Unit]) -> Departure:
    leaving = person(units["section"], "Ayşe", "Kaya", user=make_user("ayse", unit=units["section"]))
    successor = person(units["section"], "Veli", "Işık", user=make_user("veli", unit=units["section"]))
    return Departure.objects.create(
        staff=leaving, reason="retirement", last_day=date(2026, 11, 30), successor=successor
    )


def test_custody_lines_are_blocking_and_name_sicil_no_and_serial(units, officer, departure) -> None:  # type: ignore[no-untyped-def]
    laptop = make_asset(units["it"], serial="5CD1234XYZ")
    phone = make_asset(units["it"], name="IP telefon", serial="")
    services.issue_custody(departure.staff, [laptop, phone], officer, on=MARCH)
    lines = list(handover.custody_lines(departure.staff))
    assert [(line.kind, line.reference, line.blocking) for line in lines] == [
        ("custody", laptop.sicil_no, True),
        ("custody", phone.sicil_no, True),
    ]
    assert lines[0].description == "Dizüstü bilgisayar, serial no. 5CD1234XYZ"
    assert lines[1].description == "IP telefon"
    assert lines[0].source == f"inventory.asset:{laptop.pk}"
    assert list(handover.custody_lines(departure.successor)) == []


@override_settings(BIYS_HANDOVER_PROVIDERS=PROVIDERS)
def test_a_departure_waits_until_every_custody_item_is_settled(units, officer, departure) -> None:  # type: ignore[no-untyped-def]
    laptop, monitor = make_asset(units["it"]), make_asset(units["it"], name="Monitör")
    services.issue_custody(departure.staff, [laptop, monitor], officer, on=MARCH)

    items = org_services.prepare_handover(departure)
    assert [(i.kind, i.reference) for i in items] == [("custody", laptop.sicil_no), ("custody", monitor.sicil_no)]
    org_services.accept_handover(departure, departure.successor.user)
    with pytest.raises(ValidationError) as error:
        org_services.complete_departure(departure)
    assert laptop.sicil_no in error.value.messages[0] and monitor.sicil_no in error.value.messages[0]
    departure.refresh_from_db()
    assert departure.status == Departure.Status.ACCEPTED

    services.transfer_custody(laptop, departure.successor, officer, on=date(2026, 11, 20))
    with pytest.raises(ValidationError) as error:
        org_services.complete_departure(departure)
    assert monitor.sicil_no in error.value.messages[0] and laptop.sicil_no not in error.value.messages[0]

    services.return_custody(services.held_by(departure.staff), officer, on=date(2026, 11, 20))
    org_services.complete_departure(departure)
    departure.refresh_from_db()
    assert departure.status == Departure.Status.COMPLETED
    assert Asset.objects.get(pk=laptop.pk).holder == departure.successor
    assert Asset.objects.get(pk=monitor.pk).holder is None


@override_settings(BIYS_HANDOVER_PROVIDERS=PROVIDERS)
def test_hand_all_to_successor_moves_everything_on_one_document(units, officer, departure) -> None:  # type: ignore[no-untyped-def]
    assets = [make_asset(units["it"]) for _ in range(3)]
    services.issue_custody(departure.staff, assets[:2], officer, on=MARCH)
    services.issue_custody(departure.staff, assets[2:], officer, on=date(2026, 4, 1))
    org_services.prepare_handover(departure)  # the leaving person is now "leaving"
    org_services.accept_handover(departure, departure.successor.user)
    document = services.hand_all_to_successor(departure, officer, on=date(2026, 11, 20))
    assert document.staff == departure.successor
    assert sorted(document.items.values_list("asset_id", flat=True)) == sorted(a.pk for a in assets)
    assert "Ayşe Kaya" in document.note
    assert not services.held_by(departure.staff).exists()
    org_services.complete_departure(departure)
    assert Staff.objects.get(pk=departure.staff_id).status == Staff.Status.LEFT


def test_hand_all_needs_a_successor_and_something_held(units, officer, departure) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="Ayşe Kaya holds no items"):
        services.hand_all_to_successor(departure, officer)
    services.issue_custody(departure.staff, [make_asset(units["it"])], officer, on=MARCH)
    departure.successor = None
    departure.save()
    with pytest.raises(ValidationError, match="Name a successor"):
        services.hand_all_to_successor(departure, officer)
    departure.status = Departure.Status.CANCELLED
    departure.save()
    with pytest.raises(ValidationError, match="closed"):
        services.hand_all_to_successor(departure, officer)
    assert CustodyDocument.objects.count() == 1
