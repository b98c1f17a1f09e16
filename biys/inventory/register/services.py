"""Register workflows: asset kinds, registering assets under their sicil no (TMY md. 36), parents and
components, the commissioning checklist (Nizip md. 12/49) and the warranty/contract expiry report.
Views and the API parse and authorize; the rules live here. The Taşınır Kod Listesi loader lives in
``codes`` and is part of this service layer (``services.load_codes``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.inventory import numbering, vouchers
from biys.inventory.models import Asset, AssetKind, Commissioning, Depot, TasinirCode, Voucher
from biys.inventory.register.codes import LoadResult, load_codes, nearest_code

__all__ = [
    "LoadResult",
    "Registration",
    "check_kind_code",
    "check_parent",
    "complete_commissioning",
    "default_kinds",
    "expiring_assets",
    "is_ready_for_handover",
    "load_codes",
    "nearest_code",
    "normalize_mac",
    "register_asset",
    "register_assets",
]

# --- Asset kinds -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindSpec:
    name: str
    code: str
    category: str
    needs_commissioning: bool = False
    has_storage: bool = False


C = AssetKind.Category
DEFAULT_KINDS: tuple[KindSpec, ...] = (
    KindSpec("Masaüstü bilgisayar", "255.02.01.01.01.01", C.COMPUTER, True, True),
    KindSpec("Dizüstü bilgisayar", "255.02.01.01.02", C.COMPUTER, True, True),
    KindSpec("Tablet bilgisayar", "255.02.01.01.03", C.COMPUTER, True, True),
    KindSpec("All-in-one bilgisayar", "255.02.01.01.05", C.COMPUTER, True, True),
    KindSpec("Ekran", "255.02.01.01.01.03", C.MONITOR),
    KindSpec("Sunucu", "255.02.01.02.03", C.SERVER, True, True),
    KindSpec("Sistem kabini", "255.02.01.02.04", C.OTHER),
    KindSpec("Lazer yazıcı", "255.02.02.01.03", C.PRINTER),
    KindSpec("Çok fonksiyonlu yazıcı", "255.02.02.01.08", C.PRINTER, has_storage=True),
    KindSpec("Barkod yazıcı / okuyucu", "255.02.02.01.13", C.PERIPHERAL),
    KindSpec("Tarayıcı", "255.02.02.02", C.PRINTER),
    KindSpec("Yedekleme cihazı", "255.02.02.04", C.STORAGE, has_storage=True),
    KindSpec("KVM", "255.02.02.05", C.PERIPHERAL),
    KindSpec("Fotokopi makinesi", "255.02.03.01", C.PRINTER, has_storage=True),
    KindSpec("IP telefon", "255.02.04.01.06", C.PHONE),
    KindSpec("Santral", "255.02.04.01.08", C.PHONE, has_storage=True),
    KindSpec("Modem", "255.02.04.03.01", C.NETWORK),
    KindSpec("Switch", "255.02.04.03.02", C.NETWORK),
    KindSpec("Router", "255.02.04.03.04", C.NETWORK),
    KindSpec("Firewall", "255.02.04.03.08", C.NETWORK, has_storage=True),
    KindSpec("Projeksiyon", "255.02.05.01.01", C.PERIPHERAL),
    KindSpec("Video konferans sistemi", "255.02.05.03.04.02", C.PERIPHERAL),
    KindSpec("Web kamerası", "255.02.05.04.01.17", C.CAMERA),
    KindSpec("IP kamera", "255.10.02.05", C.CAMERA),
    KindSpec("Erişim kontrol cihazı", "255.10.02.07", C.OTHER),
    KindSpec("UPS", "253.02.05.07", C.POWER),
    KindSpec("Toner", "150.01.04.01", C.CONSUMABLE),
    KindSpec("Kartuş", "150.01.04.02", C.CONSUMABLE),
    KindSpec("Flaş disk", "150.01.08.01.05", C.CONSUMABLE),
    KindSpec("Bilgisayar yedek parçası", "150.13.04.01", C.CONSUMABLE),
)


@transaction.atomic
def default_kinds() -> list[AssetKind]:
    """Create the usual IT asset kinds that do not exist yet (matched by name); returns the new ones."""
    if not TasinirCode.objects.filter(is_active=True).exists():
        raise ValidationError(_("Load the Taşınır code list first (biys import_tasinir_codes)."))
    created = []
    existing = set(AssetKind.objects.values_list("name", flat=True))
    for spec in DEFAULT_KINDS:
        code = nearest_code(spec.code)
        if spec.name in existing or code is None or code.level < 3:
            continue
        created.append(
            AssetKind.objects.create(
                name=spec.name,
                category=spec.category,
                tasinir_code=code,
                needs_commissioning=spec.needs_commissioning,
                has_storage=spec.has_storage,
            )
        )
    return created


def check_kind_code(category: str, code: TasinirCode | None) -> None:
    """Consumables are kept under account 150, durable items under 253/254/255 (TMY md. 4/1-c)."""
    if code is None:
        return
    if not code.is_active:
        raise ValidationError({"tasinir_code": _("Code %(code)s is no longer in force.") % {"code": code.code}})
    if category == AssetKind.Category.CONSUMABLE and code.account != "150":
        raise ValidationError({"tasinir_code": _("A consumable kind needs a code under account 150.")})
    if category != AssetKind.Category.CONSUMABLE and not code.is_durable:
        raise ValidationError(
            {"tasinir_code": _("A durable kind needs a code under account 253, 254 or 255 (TMY md. 4/1-c).")}
        )


# --- BİG 3.1.1.2 fields, parents ----------------------------------------------------------------------

_MAC_SEPARATORS = re.compile(r"[\s:.\-]")
_MAC_DIGITS = re.compile(r"^[0-9A-Fa-f]{12}$")


def normalize_mac(value: str | None) -> str:
    """``aa-bb-cc-dd-ee-ff``, ``aabb.ccdd.eeff`` … → ``AA:BB:CC:DD:EE:FF``; empty stays empty."""
    text = (value or "").strip()
    if not text:
        return ""
    digits = _MAC_SEPARATORS.sub("", text)
    if not _MAC_DIGITS.match(digits):
        raise ValidationError(
            _("“%(value)s” is not a MAC address (12 hexadecimal digits, e.g. 00:1A:2B:3C:4D:5E).") % {"value": text},
            code="invalid_mac",
        )
    digits = digits.upper()
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


MAX_PARENT_DEPTH = 20


def check_parent(asset: Asset, parent: Asset | None) -> None:
    """A component hangs under one asset; the chain may never loop back to the component itself."""
    if parent is None:
        return
    if asset.pk is not None and parent.pk == asset.pk:
        raise ValidationError({"parent": _("An asset cannot be attached to itself.")})
    if asset.pk is None:
        return
    node_id = parent.parent_id
    for _depth in range(MAX_PARENT_DEPTH):
        if node_id is None:
            return
        if node_id == asset.pk:
            raise ValidationError(
                {
                    "parent": _("%(parent)s is already attached to this asset; that would make a loop.")
                    % {"parent": parent.sicil_no}
                }
            )
        node_id = Asset.objects.filter(pk=node_id).values_list("parent_id", flat=True).first()
    raise ValidationError({"parent": _("The chain of attached assets is too deep.")})


# --- Registering assets (TMY md. 36) ------------------------------------------------------------------

MAX_BATCH = 500
PER_DEVICE_FIELDS = ("serial", "hostname", "ip_address", "mac_address", "hardware_uuid")


@dataclass(frozen=True)
class Registration:
    assets: list[Asset]
    voucher: Voucher | None = None


def register_asset(kind: AssetKind, depot: Depot, owner_unit: Any, entry_year: int, **fields: Any) -> Asset:
    """Register one asset: next sequence of its code and year, sicil no = code + yy + sequence (md. 36)."""
    return register_assets(kind, depot, owner_unit, entry_year, 1, **fields).assets[0]


@transaction.atomic
def register_assets(
    kind: AssetKind,
    depot: Depot,
    owner_unit: Any,
    entry_year: int,
    quantity: int = 1,
    *,
    serials: Sequence[str] = (),
    voucher_date: date | None = None,
    **fields: Any,
) -> Registration:
    """Register ``quantity`` identical items (e.g. 20 laptops of one invoice) with consecutive sequences,
    all or nothing. With ``voucher_date`` a draft purchase VİF (md. 15) is made: one line per asset."""
    serials = [s.strip() for s in serials]
    if not serials and fields.get("serial"):
        serials = [fields.pop("serial").strip()]
    _check_batch(kind, depot, entry_year, quantity, serials, fields)
    fields["mac_address"] = _field_error("mac_address", normalize_mac, fields.get("mac_address"))
    fields.setdefault("name", kind.name)
    fields.setdefault("status", Asset.Status.COMMISSIONING if kind.needs_commissioning else Asset.Status.IN_DEPOT)
    assets = [
        _register_one(kind, depot, owner_unit, entry_year, {**fields, **({"serial": serials[i]} if serials else {})})
        for i in range(quantity)
    ]
    voucher = _entry_voucher(depot, kind, assets, voucher_date) if voucher_date is not None else None
    return Registration(assets, voucher)


def _register_one(kind: AssetKind, depot: Depot, owner_unit: Any, year: int, fields: dict[str, Any]) -> Asset:
    code = kind.tasinir_code
    sequence = numbering.next_asset_sequence(code, year)
    asset = Asset(
        tasinir_code=code,
        kind=kind,
        depot=depot,
        owner_unit=owner_unit,
        entry_year=year,
        sequence=sequence,
        sicil_no=numbering.sicil_no(code, year, sequence),
        **fields,
    )
    check_parent(asset, asset.parent)
    # The related rows are given as objects and the number was taken under the code's lock, so the
    # per-field existence and uniqueness queries of a full clean would only slow bulk registration.
    relations = ["tasinir_code", "kind", "depot", "owner_unit", "location", "parent", "contract"]
    asset.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    asset.save()
    if kind.needs_commissioning:
        Commissioning.objects.create(asset=asset)
    return asset


def _check_batch(
    kind: AssetKind, depot: Depot, year: int, quantity: int, serials: list[str], fields: dict[str, Any]
) -> None:
    if not kind.tasinir_code.is_durable:
        raise ValidationError({"kind": _("Consumables are kept as depot stock, not registered one by one.")})
    if not depot.is_active:
        raise ValidationError({"depot": _("This depot is closed.")})
    if not 1 <= quantity <= MAX_BATCH:
        raise ValidationError({"quantity": _("Register between 1 and %(max)d items at once.") % {"max": MAX_BATCH}})
    this_year = timezone.localdate().year
    if not 1950 <= year <= this_year + 1:
        raise ValidationError({"entry_year": _("The entry year must be between 1950 and next year.")})
    if quantity > 1 and any(fields.get(name) for name in PER_DEVICE_FIELDS):
        raise ValidationError(_("Serial number, host name, IP, MAC and UUID belong to one device; give serials."))
    _check_serials(quantity, serials)


def _check_serials(quantity: int, serials: list[str]) -> None:
    if not serials:
        return
    if len(serials) != quantity:
        raise ValidationError(
            {
                "serials": _("%(count)d serial numbers for %(quantity)d items.")
                % {"count": len(serials), "quantity": quantity}
            }
        )
    duplicates = sorted({s for s in serials if s and serials.count(s) > 1})
    if duplicates:
        raise ValidationError({"serials": _("Repeated serial numbers: %(list)s") % {"list": ", ".join(duplicates)}})
    known = Asset.objects.filter(serial__in=[s for s in serials if s]).values_list("serial", "sicil_no")
    if known:
        listed = ", ".join(f"{serial} ({sicil})" for serial, sicil in known[:10])
        raise ValidationError({"serials": _("Already registered: %(list)s") % {"list": listed}})


def _field_error(name: str, function: Any, value: Any) -> Any:
    try:
        return function(value)
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from exc


def _entry_voucher(depot: Depot, kind: AssetKind, assets: list[Asset], on: date) -> Voucher:
    """The draft purchase VİF (TMY md. 15): dated no earlier than the invoice, in the entry year."""
    first = assets[0]
    missing = [name for name in ("invoice_no", "invoice_date", "price") if getattr(first, name) in (None, "")]
    if missing:
        raise ValidationError({name: _("Needed for the purchase VİF.") for name in missing})
    if on.year != first.entry_year:
        raise ValidationError({"voucher_date": _("The VİF must be dated in the entry year (TMY md. 36).")})
    lines = [
        vouchers.Line(
            tasinir_code=asset.tasinir_code,
            description=" ".join(part for part in (asset.name, asset.brand, asset.model) if part)[:200],
            quantity=Decimal(1),
            unit_price=asset.price if asset.price is not None else Decimal(0),
            unit_of_measure=kind.unit_of_measure,
            asset=asset,
        )
        for asset in assets
    ]
    try:
        return vouchers.create_voucher(
            depot,
            Voucher.Kind.PURCHASE,
            on,
            lines,
            source_document=first.invoice_no,
            source_date=first.invoice_date,
            counterparty=first.supplier,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "date" in exc.error_dict:
            raise ValidationError({"voucher_date": exc.error_dict["date"]}) from exc
        raise


# --- Commissioning (Nizip md. 12/49) ------------------------------------------------------------------


@transaction.atomic
def complete_commissioning(
    asset: Asset,
    *,
    tested: bool,
    installed: bool,
    network_registered: bool,
    done_by: Any = None,
    note: str = "",
) -> Commissioning:
    """Record the checklist; when all three checks are done the asset is ready in the depot."""
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    record = Commissioning.objects.filter(asset=asset).first() or Commissioning(asset=asset)
    complete = tested and installed and network_registered
    if record.completed_at is not None and not complete:
        raise ValidationError(_("The commissioning is complete; its checks cannot be undone."))
    if complete and done_by is None and record.done_by_id is None:
        raise ValidationError({"done_by": _("Name who did the commissioning.")})
    record.tested, record.installed, record.network_registered = tested, installed, network_registered
    record.done_by = done_by or record.done_by
    record.note = note
    if complete and record.completed_at is None:
        record.completed_at = asset.commissioned_at = timezone.now()
        if asset.status == Asset.Status.COMMISSIONING:
            asset.status = Asset.Status.IN_DEPOT
        asset.save()
    record.save()
    return record


def is_ready_for_handover(asset: Asset) -> bool:
    """Nizip md. 12/49: an asset whose kind needs commissioning may be handed to a user only after its
    checklist (tested, installed, registered on the network) is complete. Status and open custody are
    the custody service's own checks. Items already in service when first recorded get their checklist
    completed once, with a note, through ``complete_commissioning``."""
    if asset.status == Asset.Status.COMMISSIONING:
        return False
    if not asset.kind.needs_commissioning:
        return True
    return Commissioning.objects.filter(asset_id=asset.pk, completed_at__isnull=False).exists()


# --- Warranty and contract expiry ---------------------------------------------------------------------

GONE = (Asset.Status.SCRAPPED, Asset.Status.TRANSFERRED, Asset.Status.LOST)
DEFAULT_EXPIRY_DAYS = 60


def expiring_assets(days: int = DEFAULT_EXPIRY_DAYS, on: date | None = None) -> QuerySet[Asset]:
    """Assets still ours whose warranty or maintenance contract has ended or ends within ``days``.

    ``ends_on`` is the earliest of those dates; ``expiry_group`` is "expired" or "expiring"."""
    today = on or timezone.localdate()
    limit = today + timedelta(days=days)
    warranty_due = Q(warranty_end__lte=limit)
    contract_due = Q(contract__end_date__lte=limit)
    warranty_first = warranty_due & (
        ~contract_due | Q(contract__isnull=True) | Q(warranty_end__lte=F("contract__end_date"))
    )
    return (
        Asset.objects.filter(warranty_due | contract_due)
        .exclude(status__in=GONE)
        .annotate(ends_on=Case(When(warranty_first, then=F("warranty_end")), default=F("contract__end_date")))
        .annotate(
            expiry_group=Case(
                When(ends_on__lt=today, then=Value("expired")), default=Value("expiring"), output_field=CharField()
            )
        )
    )
