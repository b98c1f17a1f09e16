"""Builders for the movement tests (no tests here): a municipality with an IT depot and its personas.

- ``clerk``: the depot's Taşınır Kayıt Yetkilisi (posts VİFs);
- ``controller``: its Taşınır Kontrol Yetkilisi — given the records role too, to prove md. 6/3 still holds;
- ``manager``: a branch manager who approves written orders;
- ``requester``: a unit user of Fen İşleri who asks for stock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from biys.core.testing import make_unit, make_user
from biys.inventory import vouchers
from biys.inventory.models import Asset, AssetKind, Depot, StockItem, TasinirCode, Voucher
from biys.inventory.movements import services
from biys.org.models import Staff, Unit

TODAY = date(2026, 4, 15)


def freeze_today(monkeypatch: Any, today: date = TODAY) -> None:
    """Make ``timezone.localdate()`` answer ``today``, so document dates and fiscal years are fixed."""
    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> date:
        return today if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


@dataclass
class World:
    root: Unit
    it: Unit
    fen: Unit
    depot: Depot
    toner_code: TasinirCode
    laptop_code: TasinirCode
    clerk: Any
    controller: Any
    manager: Any
    requester: Any


def staff_for(user: Any, unit: Unit, first: str, last: str) -> Staff:
    return Staff.objects.create(first_name=first, last_name=last, unit=unit, user=user, title="Memur")


def build_world() -> World:
    root = make_unit("Nizip Belediyesi", code="ROOT", kind="baskanlik")
    it = make_unit("Bilgi İşlem Müdürlüğü", parent=root, code="BIM", kind="mudurluk", is_it=True)
    fen = make_unit("Fen İşleri Müdürlüğü", parent=root, code="FEN", kind="mudurluk")
    clerk = make_user("kayit", unit=it, roles=("tasinir_kayit",))
    controller = make_user("kontrol", unit=it, roles=("tasinir_kontrol", "tasinir_kayit"))
    manager = make_user("mudur", unit=it, roles=("sube_muduru",))
    requester = make_user("isteyen", unit=fen, roles=("birim_kullanicisi",))
    depot = Depot.objects.create(
        unit=it,
        institutional_code="46.27.01.06",
        code="01",
        name="Bilgi İşlem Ambarı",
        records_officer=staff_for(clerk, it, "Kerem", "Kayıtçı"),
        control_officer=staff_for(controller, it, "Kontrol", "Yetkilisi"),
    )
    staff_for(manager, it, "Müdür", "Yılmaz")
    staff_for(requester, fen, "İsmail", "Işık")
    toner_code = TasinirCode.objects.create(code="150.01.04.01", level=4, name="Tonerler")
    laptop_code = TasinirCode.objects.create(code="255.02.01.01.02", level=5, name="Dizüstü Bilgisayarlar")
    return World(root, it, fen, depot, toner_code, laptop_code, clerk, controller, manager, requester)


def stock_item(world: World, name: str = "HP 26A toner", reorder: str = "0") -> StockItem:
    return StockItem.objects.create(
        depot=world.depot, tasinir_code=world.toner_code, name=name, reorder_level=Decimal(reorder)
    )


def receive(world: World, item: StockItem, quantity: str, price: str, on: date) -> Voucher:
    """A posted purchase VİF bringing ``quantity`` of ``item`` at ``price``."""
    line = vouchers.Line(world.toner_code, item.name, Decimal(quantity), Decimal(price), stock_item=item)
    draft = services.create_draft(
        world.depot, "purchase", on, [line], source_document=f"Fatura {on:%d%m}", source_date=on
    )
    return services.post_and_receive(draft, world.clerk)


def asset(world: World, name: str = "Dizüstü bilgisayar", **extra: Any) -> Asset:
    kind, _created = AssetKind.objects.get_or_create(
        name=extra.pop("kind_name", "Dizüstü bilgisayar"),
        defaults={"category": "computer", "tasinir_code": world.laptop_code},
    )
    sequence = Asset.objects.count() + 1
    return Asset.objects.create(
        sicil_no=f"{world.laptop_code.code}-26-{sequence:05d}",
        tasinir_code=world.laptop_code,
        kind=kind,
        entry_year=2026,
        sequence=sequence,
        name=name,
        depot=world.depot,
        owner_unit=world.it,
        price=extra.pop("price", Decimal("32000.00")),
        **extra,
    )
