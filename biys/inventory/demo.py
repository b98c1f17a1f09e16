"""The demo municipality's inventory: the Taşınır code list, the IT depot with separate records and
control officers, registered computers and printers (some handed out on Teslim Belgeleri, one held by
the person who is leaving), toner stock received on a posted VİF, and a request waiting for approval.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from biys.inventory import vouchers
from biys.inventory.custody.services import issue_custody
from biys.inventory.models import AssetKind, Depot, Location, StockItem
from biys.inventory.movements.orders import Wanted, create_request, submit
from biys.inventory.movements.services import post_and_receive
from biys.inventory.register.codes import DEFAULT_FILE, load_codes, read_code_file
from biys.inventory.register.services import complete_commissioning, default_kinds, register_assets
from biys.org.models import Staff, Unit
from biys.users.models import User


def load_inventory_demo(rng: random.Random, units: dict[str, Unit], holders: list[Staff]) -> None:
    load_codes(read_code_file(DEFAULT_FILE))
    default_kinds()
    it = units["Bilgi İşlem Dairesi Başkanlığı"]
    records, control = (Staff.objects.get(user__username=name) for name in ("kayit", "kontrol"))
    depot = Depot.objects.create(
        unit=it,
        institutional_code="46.33.01.36",
        code="01",
        name="Bilgi İşlem Ambarı",
        records_officer=records,
        control_officer=control,
    )
    for floor, room in (("3", "301"), ("3", "Sistem Odası"), ("1", "Toplantı Salonu")):
        Location.objects.create(unit=it, building="Hizmet Binası", floor=floor, room=room)
    laptops = _computers(rng, depot, it, "Dizüstü bilgisayar", 12, "HP", "ProBook 450 G10")
    desktops = _computers(rng, depot, it, "Masaüstü bilgisayar", 8, "Lenovo", "ThinkCentre M70s")
    printers = register_assets(
        AssetKind.objects.get(name="Lazer yazıcı"),
        depot,
        it,
        2025,
        3,
        brand="HP",
        model="LaserJet Pro 4003dn",
        price=Decimal("14500.00"),
        invoice_no="FTR2025-118",
        invoice_date=date(2025, 9, 3),
        supplier="Örnek Bilişim Ltd. Şti.",
        warranty_end=timezone.localdate() + timedelta(days=40),
    )
    register_assets(AssetKind.objects.get(name="Switch"), depot, it, 2024, 2, brand="Cisco", model="CBS350-24T")
    _hand_out(laptops + desktops, holders, records)
    # The demo requester holds a printer, so the service desk's device picker has something to offer.
    requester = Staff.objects.get(user__username="kullanici")
    issue_custody(requester, [printers.assets[-1]], records, on=date(2026, 3, 2))
    _stock(depot, records)


def _computers(
    rng: random.Random, depot: Depot, unit: Unit, kind_name: str, count: int, brand: str, model: str
) -> list:
    kind = AssetKind.objects.get(name=kind_name)
    serials = [f"{brand[:2].upper()}{rng.randint(10**7, 10**8 - 1)}" for _ in range(count)]
    registration = register_assets(
        kind,
        depot,
        unit,
        2026,
        count,
        serials=serials,
        brand=brand,
        model=model,
        price=Decimal("38900.00"),
        invoice_no="FTR2026-0042",
        invoice_date=date(2026, 2, 10),
        supplier="Örnek Bilişim Ltd. Şti.",
        warranty_end=date(2029, 2, 10),
        voucher_date=date(2026, 2, 12),
    )
    if registration.voucher is not None:  # the purchase VİF (md. 15), posted by the records officer
        post_and_receive(registration.voucher, User.objects.get(username="kayit"))
    technician = Staff.objects.get(user__username="teknisyen")
    for asset in registration.assets:
        complete_commissioning(asset, tested=True, installed=True, network_registered=True, done_by=technician)
    return registration.assets


def _hand_out(computers: list, holders: list[Staff], records: Staff) -> None:
    """Computers go to IT staff; the person who leaves in the demo holds one, so the handover lists it."""
    for staff, asset in zip(holders, computers, strict=False):
        issue_custody(staff, [asset], records, on=date(2026, 3, 2))


def _stock(depot: Depot, records: Staff) -> None:
    toner = StockItem.objects.create(
        depot=depot,
        tasinir_code=AssetKind.objects.get(name="Toner").tasinir_code,
        name="HP 26A toner (CF226A)",
        part_number="CF226A",
        reorder_level=Decimal("5"),
    )
    line = vouchers.Line(toner.tasinir_code, toner.name, Decimal("20"), Decimal("1250.00"), stock_item=toner)
    entry = vouchers.create_voucher(
        depot,
        "purchase",
        date(2026, 3, 10),
        [line],
        source_document="FTR2026-0077",
        source_date=date(2026, 3, 9),
        counterparty="Örnek Bilişim Ltd. Şti.",
    )
    post_and_receive(entry, User.objects.get(username="kayit"))
    requester = User.objects.get(username="kullanici")
    order = create_request(depot, requester, "Yol Yapım Şube Müdürlüğü yazıcıları için", [Wanted(Decimal("2"), toner)])
    submit(order, requester)
