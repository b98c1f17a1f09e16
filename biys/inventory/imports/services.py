"""Asset import: parse and validate a whole spreadsheet without writing (the preview), then register
every row in one transaction (the commit). A row error names the row (as numbered in Excel) and the
column (as headed in the file).

Small files (under ``BULK_MIN_ASSETS`` assets) are registered row by row with
``register.services.register_assets`` (TMY md. 36 sicil numbers), the same service as the
registration form; its refusals become row errors. Larger files take the bulk path: every row is
checked first with the same rules (and the same messages), then the Taşınır codes involved are
locked in one order, each code and year reads its last sequence once, and the assets and their
commissioning records are inserted with multi-row inserts (``bulk.insert``) and logged in batches
(``changelog.batch``) — still one transaction, all or nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core import changelog, context
from biys.core.text import search_key
from biys.inventory import numbering
from biys.inventory.imports import bulk, values
from biys.inventory.imports.readers import read_sheet
from biys.inventory.models import Asset, AssetKind, Commissioning, Depot, Location, TasinirCode
from biys.inventory.register import services as register
from biys.org.models import Unit

__all__ = ["COLUMNS", "ImportFailed", "Options", "Plan", "RowError", "commit", "plan"]

# field -> (Turkish header used in the template, accepted header keys after search_key folding)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "kind": ("Tür", ("tur", "kind", "asset kind", "taşınır türü")),
    "code": ("Taşınır kodu", ("tasinir kodu", "tasinir code", "code")),
    "depot": ("Ambar", ("ambar", "ambar kodu", "depot", "depot code")),
    "unit": ("Sahip birim", ("sahip birim", "birim", "owner unit", "unit")),
    "entry_year": ("Giriş yılı", ("giris yili", "entry year", "yil")),
    "quantity": ("Adet", ("adet", "miktar", "quantity")),
    "brand": ("Marka", ("marka", "brand")),
    "model": ("Model", ("model",)),
    "serial": ("Seri no", ("seri no", "seri numarasi", "serial", "serial no", "serial number")),
    "invoice_no": ("Fatura no", ("fatura no", "fatura numarasi", "invoice no", "invoice number")),
    "invoice_date": ("Fatura tarihi", ("fatura tarihi", "invoice date")),
    "price": ("Fiyat", ("fiyat", "birim fiyat", "tutar", "price", "unit price")),
    "supplier": ("Tedarikçi", ("tedarikci", "firma", "supplier", "vendor")),
    "warranty_end": ("Garanti bitiş", ("garanti bitis", "garanti bitis tarihi", "warranty end")),
    "location": ("Konum", ("konum", "yer", "location")),
    "hostname": ("Hostname", ("hostname", "host name", "bilgisayar adi")),
    "ip_address": ("IP", ("ip", "ip adresi", "ip address")),
    "mac_address": ("MAC", ("mac", "mac adresi", "mac address")),
    "specifications": ("Açıklama", ("aciklama", "ozellikler", "description", "specifications")),
}
TEXT_FIELDS = ("brand", "model", "invoice_no", "supplier", "hostname", "specifications")
# register_assets reports under its own keys; map them back to the file's columns.
ERROR_FIELDS = {"serials": "serial", "quantity": "quantity", "voucher_date": "invoice_date", "tasinir_code": "kind"}
MAX_ERRORS = 500


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Options:
    commissioned: bool = False  # existing items already in service: mark their checklist done


@dataclass
class PlannedRow:
    row: int
    kind: AssetKind
    depot: Depot
    unit: Unit
    entry_year: int
    quantity: int
    location: tuple[str, str, str] | None
    fields: dict[str, Any]


@dataclass
class Plan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def asset_count(self) -> int:
        return sum(row.quantity for row in self.rows)


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


FILE_ROW = 1  # file-level problems are reported against the header row


# --- Reading and validating (no writes) --------------------------------------------------------------


def plan(data: bytes, extension: str) -> Plan:
    """Read the file and check every row; raises ValidationError when the file itself is unusable."""
    sheet = read_sheet(data, extension)
    columns = _map_headers(sheet.headers)
    lookups = Lookups()
    result = Plan()
    for number, cells in sheet.rows:
        cell = {name: (cells[index] if index < len(cells) else None) for name, index in columns.items()}
        header = {name: sheet.headers[index] for name, index in columns.items()}
        row_errors: list[RowError] = []
        planned = _plan_row(number, cell, header, lookups, row_errors)
        result.errors.extend(row_errors)
        if planned is not None and not row_errors:
            result.rows.append(planned)
        if len(result.errors) >= MAX_ERRORS:
            break
    _check_serials(result, columns, sheet.headers)
    if not sheet.rows:
        raise ValidationError(_("The file has a header row but no data rows."))
    return result


def asset_count(data: bytes, extension: str) -> int:
    """How many assets the file would register (sum of Adet), without checking the rows: enough to decide
    between the request and a background task. Raises ValidationError when the file is unusable."""
    sheet = read_sheet(data, extension)
    column = _map_headers(sheet.headers).get("quantity")
    if column is None:
        return len(sheet.rows)
    total = 0
    for _number, cells in sheet.rows:
        try:
            total += values.parse_int(cells[column] if column < len(cells) else None, default=1) or 1
        except ValidationError:
            total += 1
    return total


def _map_headers(headers: list[str]) -> dict[str, int]:
    columns = values.map_headers(headers, COLUMNS)
    missing = []
    if "kind" not in columns and "code" not in columns:
        missing.append(f"{COLUMNS['kind'][0]} / {COLUMNS['code'][0]}")
    missing += [COLUMNS[name][0] for name in ("depot", "unit") if name not in columns]
    values.refuse_missing(missing)
    return columns


def _plan_row(
    number: int, cell: dict[str, Any], header: dict[str, str], lookups: Lookups, errors: list[RowError]
) -> PlannedRow | None:
    def check(name: str, parse: Callable[[Any], Any]) -> Any:
        try:
            return parse(cell.get(name))
        except ValidationError as exc:
            errors.append(RowError(number, header.get(name, COLUMNS[name][0]), " ".join(exc.messages)))
            return None

    kind = check("kind", lambda v: lookups.kind(values.text(v), values.text(cell.get("code"))))
    depot = check("depot", lambda v: lookups.depot(values.text(v)))
    unit = check("unit", lambda v: lookups.unit(values.text(v)))
    fields: dict[str, Any] = {name: values.text(cell.get(name)) for name in TEXT_FIELDS if cell.get(name) is not None}
    fields["serial"] = values.text(cell.get("serial"))
    fields["invoice_date"] = check("invoice_date", values.parse_date)
    fields["warranty_end"] = check("warranty_end", values.parse_date)
    fields["price"] = check("price", values.parse_decimal)
    fields["ip_address"] = check("ip_address", _parse_ip)
    fields["mac_address"] = check("mac_address", register.normalize_mac)
    quantity = check("quantity", _parse_quantity)
    year = check("entry_year", lambda v: _parse_year(v, fields["invoice_date"]))
    location = check("location", _parse_location)
    if quantity and quantity > 1 and fields["serial"]:
        errors.append(RowError(number, header.get("serial", ""), _("Give a serial number only on rows with Adet 1.")))
    _check_lengths(number, fields, header, errors)
    if errors or None in (kind, depot, unit, quantity, year):
        return None
    fields = {name: value for name, value in fields.items() if value not in (None, "")}
    return PlannedRow(number, kind, depot, unit, year, quantity, location, fields)


def _check_lengths(number: int, fields: dict[str, Any], header: dict[str, str], errors: list[RowError]) -> None:
    for name, value in fields.items():
        limit = getattr(Asset._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            message = _("At most %(max)d characters (this has %(length)d).") % {"max": limit, "length": len(value)}
            errors.append(RowError(number, header.get(name, COLUMNS[name][0]), message))


def _parse_ip(value: Any) -> str | None:
    raw = values.text(value)
    if not raw:
        return None
    validate_ipv46_address(raw)
    return raw


def _parse_quantity(value: Any) -> int:
    quantity = values.parse_int(value, default=1)
    if quantity is None or not 1 <= quantity <= register.MAX_BATCH:
        raise ValidationError(_("Between 1 and %(max)d items per row.") % {"max": register.MAX_BATCH})
    return quantity


def _parse_year(value: Any, invoice_date: date | None) -> int:
    year = values.parse_int(value)
    if year is None:
        # TMY md. 36: the entry year is the year of the entry; the invoice year is the best guess.
        year = invoice_date.year if invoice_date else timezone.localdate().year
    if not 1950 <= year <= timezone.localdate().year + 1:
        raise ValidationError(_("The entry year must be between 1950 and next year."))
    return year


def _parse_location(value: Any) -> tuple[str, str, str] | None:
    raw = values.text(value)
    if not raw:
        return None
    parts = [part.strip() for part in raw.split("/")]
    if len(parts) > 3 or not parts[0]:
        raise ValidationError(_("Write the location as “building / floor / room”, e.g. “Hizmet Binası / 3 / 301”."))
    parts += [""] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def _check_serials(result: Plan, columns: dict[str, int], headers: list[str]) -> None:
    """A serial may appear once in the file and must not be registered already."""
    if "serial" not in columns:
        return
    column = headers[columns["serial"]]
    seen: dict[str, int] = {}
    for row in list(result.rows):
        serial = row.fields.get("serial")
        if not serial:
            continue
        if serial in seen:
            message = _("Serial number %(serial)s is also on row %(row)d.") % {"serial": serial, "row": seen[serial]}
            result.errors.append(RowError(row.row, column, message))
            result.rows.remove(row)
        else:
            seen[serial] = row.row
    known: dict[str, str] = {}
    serials = list(seen)
    for start in range(0, len(serials), 500):
        chunk = serials[start : start + 500]
        known.update(Asset.objects.filter(serial__in=chunk).values_list("serial", "sicil_no"))
    for row in [row for row in result.rows if row.fields.get("serial") in known]:
        message = _("Serial number %(serial)s is already registered as %(sicil)s.") % {
            "serial": row.fields["serial"],
            "sicil": known[row.fields["serial"]],
        }
        result.errors.append(RowError(row.row, column, message))
        result.rows.remove(row)
    result.errors.sort(key=lambda error: error.row)


@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    """Kind and unit names repeat on every row of a file: fold each once."""
    return search_key(text)


class Lookups:
    """Kinds, depots and units are few; load them once and match by folded name or code."""

    def __init__(self) -> None:
        self.kinds = list(AssetKind.objects.select_related("tasinir_code"))
        self.kind_by_name = {search_key(kind.name): kind for kind in self.kinds}
        self.depots = list(Depot.objects.filter(is_active=True))
        units = list(Unit.objects.filter(is_active=True))
        self.unit_by_code = {search_key(unit.code): unit for unit in units}
        self.unit_by_name: dict[str, list[Unit]] = {}
        for unit in units:
            for name in {unit.name, unit.short_name} - {""}:
                self.unit_by_name.setdefault(search_key(name), []).append(unit)

    def kind(self, name: str, code: str) -> AssetKind:
        if name:
            kind = self.kind_by_name.get(_folded(name))
            if kind is None:
                raise ValidationError(_("Unknown asset kind “%(value)s”.") % {"value": name})
            return kind
        matches = [kind for kind in self.kinds if kind.tasinir_code.code == code]
        if not code or not matches:
            raise ValidationError(_("No asset kind has the Taşınır code “%(value)s”.") % {"value": code})
        if len(matches) > 1:
            raise ValidationError(_("Several asset kinds use code %(value)s; give the kind.") % {"value": code})
        return matches[0]

    def depot(self, value: str) -> Depot:
        institutional, _sep, code = (part.strip() for part in value.rpartition("-"))
        code = code.zfill(2) if code.isdigit() else code  # Excel turns "01" into 1
        matches = [d for d in self.depots if d.code == code and institutional in ("", d.institutional_code)]
        if not value or not matches:
            raise ValidationError(_("Unknown or closed depot “%(value)s”.") % {"value": value})
        if len(matches) > 1:
            raise ValidationError(
                _("Several depots have code %(value)s; write it with the institutional code (e.g. 46.33.01.36-01).")
                % {"value": value}
            )
        return matches[0]

    def unit(self, value: str) -> Unit:
        key = _folded(value)
        unit = self.unit_by_code.get(key)
        if unit is not None:
            return unit
        matches = self.unit_by_name.get(key, [])
        if not value or not matches:
            raise ValidationError(_("Unknown unit “%(value)s”.") % {"value": value})
        if len(matches) > 1:
            raise ValidationError(_("Several units are called “%(value)s”; give the unit code.") % {"value": value})
        return matches[0]


# --- Commit (one transaction) ------------------------------------------------------------------------

COMMISSIONING_NOTE = "İçe aktarma: kullanımdaki taşınır"


BULK_MIN_ASSETS = 200  # from this many assets on, the bulk path (row by row costs 2–5 ms per asset)
BULK_CHUNK = 2_000  # assets per multi-row insert (and per progress report)
LOG_CHUNK = 10_000  # change-log entries kept in memory before they are appended


def commit(
    data: bytes,
    extension: str,
    options: Options,
    staff: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Asset]:
    """Re-check the file and register every row, all or nothing; raises ImportFailed with row errors."""
    result = plan(data, extension)
    if result.errors:
        raise ImportFailed(result.errors)
    if options.commissioned and staff is None:
        raise ValidationError(_("Only a user linked to a staff record can mark commissioning as done."))
    with changelog.batch(max_pending=LOG_CHUNK):
        if result.asset_count >= BULK_MIN_ASSETS:
            created, errors = _register_bulk(result.rows, options, staff, progress)
        else:
            created, errors = _register_each(result.rows, options, staff, progress)
        if errors:
            raise ImportFailed(errors)  # leaving the block rolls everything back
    return created


def _register_each(
    rows: list[PlannedRow], options: Options, staff: Any, progress: Callable[[int, int], None] | None
) -> tuple[list[Asset], list[RowError]]:
    created: list[Asset] = []
    errors: list[RowError] = []
    locations: dict[tuple[str, str, str], Location] = {}
    for index, row in enumerate(rows, start=1):
        try:
            created += _register_row(row, options, staff, locations)
        except ValidationError as exc:
            errors += _row_errors(row.row, exc)
            if len(errors) >= MAX_ERRORS:
                break
        if progress is not None and index % 100 == 0:
            progress(index, len(rows))
    return created, errors


def _register_row(row: PlannedRow, options: Options, staff: Any, locations: dict[Any, Location]) -> list[Asset]:
    fields = dict(row.fields)
    if row.location is not None:
        fields["location"] = _location(row.location, row.unit, locations)
    assets = register.register_assets(row.kind, row.depot, row.unit, row.entry_year, row.quantity, **fields).assets
    if options.commissioned and row.kind.needs_commissioning:
        for asset in assets:
            register.complete_commissioning(
                asset, tested=True, installed=True, network_registered=True, done_by=staff, note=COMMISSIONING_NOTE
            )
    return assets


def _location(parts: tuple[str, str, str], unit: Unit, cache: dict[Any, Location]) -> Location:
    if parts not in cache:
        building, floor, room = parts
        found = Location.objects.filter(building=building, floor=floor, room=room).first()
        cache[parts] = found or Location.objects.create(unit=unit, building=building, floor=floor, room=room)
    return cache[parts]


# --- The bulk path --------------------------------------------------------------------------------------


def _register_bulk(
    rows: list[PlannedRow], options: Options, staff: Any, progress: Callable[[int, int], None] | None
) -> tuple[list[Asset], list[RowError]]:
    """Check every row as ``register_assets`` would, then number and insert all assets in chunks."""
    errors: list[RowError] = []
    for row in rows:
        errors += _check_row(row)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        return [], errors
    next_sequence = _lock_sequences(rows)
    errors = _registered_meanwhile(rows)
    if errors:
        return [], errors
    locations: dict[tuple[str, str, str], Location] = {}
    user, now = context.current_user(), timezone.now()
    created: list[Asset] = []
    chunk: list[Asset] = []
    for index, row in enumerate(rows, start=1):
        location = _location(row.location, row.unit, locations) if row.location is not None else None
        for _number in range(row.quantity):
            chunk.append(_new_asset(row, location, next_sequence, options, user, now))
        if len(chunk) >= BULK_CHUNK or index == len(rows):
            created += _insert(chunk, options, staff, user, now)
            chunk = []
            if progress is not None:
                progress(index, len(rows))
    return created, []


def _registered_meanwhile(rows: list[PlannedRow]) -> list[RowError]:
    """Serials someone registered since the file was checked (``register_assets`` checks them in its
    transaction too)."""
    by_serial = {row.fields["serial"]: row for row in rows if row.fields.get("serial")}
    serials = list(by_serial)
    errors = []
    for start in range(0, len(serials), 500):
        for serial, sicil in Asset.objects.filter(serial__in=serials[start : start + 500]).values_list(
            "serial", "sicil_no"
        ):
            message = _("Serial number %(serial)s is already registered as %(sicil)s.") % {
                "serial": serial,
                "sicil": sicil,
            }
            errors.append(RowError(by_serial[serial].row, COLUMNS["serial"][0], message))
    return sorted(errors, key=lambda error: error.row)


def _check_row(row: PlannedRow) -> list[RowError]:
    """``register_assets``' refusals for one row (the preview has checked quantity, year and serials)."""
    try:
        if not row.kind.tasinir_code.is_durable:
            raise ValidationError({"kind": _("Consumables are kept as depot stock, not registered one by one.")})
        if not row.depot.is_active:
            raise ValidationError({"depot": _("This depot is closed.")})
        if row.quantity > 1 and any(row.fields.get(name) for name in register.PER_DEVICE_FIELDS):
            raise ValidationError(_("Serial number, host name, IP, MAC and UUID belong to one device; give serials."))
        _clean_fields(row.fields)
    except ValidationError as exc:
        return _row_errors(row.row, exc)
    return []


def _clean_fields(fields: dict[str, Any]) -> None:
    """The field checks of ``Asset.full_clean()`` for the values the file gives (lengths, digits …)."""
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        try:
            Asset._meta.get_field(name).clean(value, None)  # type: ignore[union-attr]
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


def _lock_sequences(rows: list[PlannedRow]) -> dict[tuple[int, int], int]:
    """Lock the rows' Taşınır codes (in id order, so two imports never deadlock) and read each code's
    and year's last sequence once; ``numbering.next_asset_sequence`` does the same per asset."""
    groups = {(row.kind.tasinir_code_id, row.entry_year) for row in rows}
    code_ids = sorted({code_id for code_id, _year in groups})
    list(TasinirCode.objects.select_for_update().filter(pk__in=code_ids).order_by("pk").values_list("pk"))
    next_sequence = {}
    for code_id, year in sorted(groups):
        top = Asset.objects.filter(tasinir_code_id=code_id, entry_year=year).aggregate(top=Max("sequence"))["top"]
        next_sequence[(code_id, year)] = (top or 0) + 1
    return next_sequence


def _new_asset(
    row: PlannedRow,
    location: Location | None,
    next_sequence: dict[tuple[int, int], int],
    options: Options,
    user: Any,
    now: Any,
) -> Asset:
    kind, code = row.kind, row.kind.tasinir_code
    key = (code.pk, row.entry_year)
    sequence = next_sequence[key]
    next_sequence[key] = sequence + 1
    fields = {"name": kind.name, **row.fields}
    status = Asset.Status.COMMISSIONING if kind.needs_commissioning else Asset.Status.IN_DEPOT
    commissioned_at = None
    if options.commissioned and kind.needs_commissioning:
        status, commissioned_at = Asset.Status.IN_DEPOT, now  # as complete_commissioning leaves it
    asset = Asset(
        tasinir_code=code,
        kind=kind,
        depot=row.depot,
        owner_unit=row.unit,
        location=location,
        entry_year=row.entry_year,
        sequence=sequence,
        sicil_no=numbering.sicil_no(code, row.entry_year, sequence),
        status=status,
        commissioned_at=commissioned_at,
        created_by=user,
        updated_by=user,
        **fields,
    )
    asset.search_key = search_key(asset.search_source())  # what SearchableModel.save() derives
    return asset


def _insert(assets: list[Asset], options: Options, staff: Any, user: Any, now: Any) -> list[Asset]:
    bulk.insert(assets, "sicil_no")
    changelog.log_created(assets)
    records = []
    for asset in assets:
        if not asset.kind.needs_commissioning:
            continue
        record = Commissioning(asset=asset, created_by=user, updated_by=user)
        if options.commissioned:
            record.tested = record.installed = record.network_registered = True
            record.done_by, record.note, record.completed_at = staff, COMMISSIONING_NOTE, now
        records.append(record)
    bulk.insert(records, "asset")
    changelog.log_created(records)
    return assets


def _row_errors(number: int, exc: ValidationError) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(number, "-", message) for message in exc.messages]
    errors = []
    for name, field_errors in exc.error_dict.items():
        column = COLUMNS.get(ERROR_FIELDS.get(name, name), ("-", ()))[0]
        errors += [RowError(number, column, message) for error in field_errors for message in error.messages]
    return errors
