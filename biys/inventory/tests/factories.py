"""Factories for the every-model change-log test: model -> (make, field to change, new value)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from biys.inventory.models import (
    AgentLink,
    Asset,
    AssetKind,
    Commissioning,
    Contract,
    CountLine,
    CountSession,
    CustodyDocument,
    CustodyItem,
    DataSanitization,
    Depot,
    DiscoveredDevice,
    Installation,
    Location,
    NetworkInterface,
    ScrapProposal,
    SharedAreaList,
    Software,
    StockIssue,
    StockItem,
    StockLot,
    StockRequest,
    StockRequestLine,
    TasinirCode,
    Voucher,
    VoucherLine,
)
from biys.org.models import Staff, Unit


def unit() -> Unit:
    return Unit.objects.create(name="Bilgi İşlem", code=f"I{Unit.objects.count()}", kind="mudurluk")


def staff() -> Staff:
    return Staff.objects.create(first_name="Ali", last_name="Öz", unit=unit())


def code() -> TasinirCode:
    return TasinirCode.objects.get_or_create(code="255.02.01.01.02", defaults={"level": 5, "name": "Dizüstü"})[0]


def kind() -> AssetKind:
    return AssetKind.objects.get_or_create(
        name="Dizüstü bilgisayar", defaults={"category": "computer", "tasinir_code": code()}
    )[0]


def depot() -> Depot:
    return Depot.objects.create(unit=unit(), institutional_code=f"46.{Depot.objects.count()}", code="01", name="Ambar")


def asset() -> Asset:
    sequence = Asset.objects.count() + 1
    return Asset.objects.create(
        sicil_no=f"255.02.01.01.02-26-{sequence:05d}",
        tasinir_code=code(),
        kind=kind(),
        entry_year=2026,
        sequence=sequence,
        name="Dizüstü bilgisayar",
        depot=depot(),
        owner_unit=unit(),
    )


def location() -> Location:
    return Location.objects.create(unit=unit(), building="Hizmet Binası", floor="2", room=f"{Location.objects.count()}")


def voucher() -> Voucher:
    return Voucher.objects.create(
        depot=depot(), fiscal_year=2026, date=date(2026, 3, 2), direction="entry", kind="purchase"
    )


def voucher_line() -> VoucherLine:
    return VoucherLine.objects.create(
        voucher=voucher(), tasinir_code=code(), description="Toner", quantity=Decimal(2), unit_price=Decimal("100.00")
    )


def stock_item() -> StockItem:
    return StockItem.objects.create(depot=depot(), tasinir_code=code(), name=f"Toner {StockItem.objects.count()}")


def lot() -> StockLot:
    return StockLot.objects.create(
        stock_item=stock_item(),
        entry_line=voucher_line(),
        received_on=date(2026, 3, 2),
        quantity_in=Decimal(2),
        quantity_left=Decimal(2),
        unit_price=Decimal(100),
    )


def request() -> StockRequest:
    return StockRequest.objects.create(
        depot=depot(), year=2026, date=date(2026, 3, 3), unit=unit(), requested_by=staff()
    )


def custody_document() -> CustodyDocument:
    return CustodyDocument.objects.create(
        year=2026,
        number=CustodyDocument.objects.count() + 1,
        date=date(2026, 3, 4),
        staff=staff(),
        unit=unit(),
        issued_by=staff(),
    )


def count_session() -> CountSession:
    return CountSession.objects.create(depot=depot(), date=date(2026, 12, 28))


FACTORIES = {
    TasinirCode: (code, "name", "Dizüstü Bilgisayarlar"),
    AssetKind: (kind, "needs_commissioning", True),
    Depot: (depot, "name", "Bilgi İşlem Ambarı"),
    Location: (location, "room", "214"),
    Contract: (
        lambda: Contract.objects.create(
            name="Bakım", vendor="Firma", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31)
        ),
        "coverage",
        "Yerinde servis",
    ),
    Asset: (asset, "serial", "5CD1234XYZ"),
    Commissioning: (lambda: Commissioning.objects.create(asset=asset()), "tested", True),
    CustodyDocument: (custody_document, "note", "Yeni personel"),
    CustodyItem: (
        lambda: CustodyItem.objects.create(document=custody_document(), asset=asset()),
        "condition",
        "Sağlam",
    ),
    SharedAreaList: (
        lambda: SharedAreaList.objects.create(location=location(), date=date(2026, 3, 5), responsible=staff()),
        "date",
        date(2026, 3, 6),
    ),
    Voucher: (voucher, "note", "Fatura eki"),
    VoucherLine: (voucher_line, "description", "Toner kartuşu"),
    StockRequest: (request, "purpose", "Yazıcı için"),
    StockRequestLine: (
        lambda: StockRequestLine.objects.create(request=request(), stock_item=stock_item()),
        "note",
        "Acil",
    ),
    StockItem: (stock_item, "reorder_level", Decimal(5)),
    StockLot: (lot, "quantity_left", Decimal(1)),
    StockIssue: (
        lambda: StockIssue.objects.create(
            stock_item=stock_item(),
            lot=lot(),
            exit_line=voucher_line(),
            quantity=Decimal(1),
            unit=unit(),
            date=date(2026, 3, 6),
        ),
        "ticket_ref",
        "T-2026-1",
    ),
    ScrapProposal: (
        lambda: ScrapProposal.objects.create(
            depot=depot(), year=2026, date=date(2026, 3, 7), reason="Ekonomik ömrünü doldurdu"
        ),
        "reason",
        "Arızalı",
    ),
    DataSanitization: (
        lambda: DataSanitization.objects.create(
            asset=asset(), method="wipe", done_on=date(2026, 3, 8), done_by=staff()
        ),
        "tool",
        "nwipe",
    ),
    CountSession: (count_session, "freeze_movements", False),
    CountLine: (
        lambda: CountLine.objects.create(session=count_session(), asset=asset(), expected=Decimal(1)),
        "first_count",
        Decimal(1),
    ),
    AgentLink: (
        lambda: AgentLink.objects.create(asset=asset(), device_id=f"pc-{Asset.objects.count()}", agent_type="fusion"),
        "os_name",
        "Debian GNU/Linux 12",
    ),
    Software: (
        lambda: Software.objects.create(name="LibreOffice", publisher="TDF", normalized="tdf|libreoffice"),
        "publisher",
        "The Document Foundation",
    ),
    Installation: (
        lambda: Installation.objects.create(
            asset=asset(),
            software=Software.objects.create(name="7-Zip", normalized=f"7zip{Software.objects.count()}"),
            version="23.01",
        ),
        "installed_on",
        date(2026, 1, 2),
    ),
    NetworkInterface: (
        lambda: NetworkInterface.objects.create(asset=asset(), name="eth0"),
        "mac_address",
        "00:11:22:33:44:55",
    ),
    DiscoveredDevice: (
        lambda: DiscoveredDevice.objects.create(device_id="yeni-pc", agent_type="glpi", reason="unregistered"),
        "status",
        "ignored",
    ),
}
