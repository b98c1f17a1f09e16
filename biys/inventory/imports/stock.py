"""Stock import: the opening quantities of consumables and spare parts of an office that starts using BİYS.

``plan`` reads the whole file and checks every row without writing anything (the preview); ``commit``
checks it again inside one transaction and writes it: the stock items that do not exist yet, then one
entry VİF per depot with one line per row, posted by the importing user, which makes one FIFO lot per
line (``movements.services.post_and_receive``). Any bad row and nothing is written.

Which VİF: an **inventory entry** (``Voucher.Kind.INVENTORY_ENTRY``, TMY md. 15/5: goods the idare
already holds are taken into the records "envanter işlem seçeneğiyle", at the value shown on their
document if there is one, otherwise at the fair value a commission sets). An opening balance is exactly
that: the toner and cables on the shelves were bought, paid and booked in earlier years; what is new is
only their record in this system. A *purchase* VİF (md. 15) would be wrong: it is attached to an ödeme
emri belgesi and tells the muhasebe birimi that something was bought now, so the same goods would be
paid twice in the accounts. A *count surplus* (md. 17) is wrong too: it says a count found more than the
records show, and there were no records to compare with. New purchases keep going through a purchase VİF.

So that the value of each row can be traced, a row may give the invoice (number and date) its unit price
comes from; rows without one are valued by a commission (md. 15/5). The documents are listed on the VİF's
note, the VİF's source date is the latest of them, and no invoice may be dated after the VİF (md. 10/1-a).

Rules of a row:
- depot and Taşınır code as in the asset import; durable codes (253/254/255) are refused: they are
  registered one by one as assets;
- the item is found in its depot by name (exactly, or ignoring case and Turkish letters); when it exists
  the row adds a lot to it and must agree with it (code, unit of measure, part number); otherwise the
  item is created;
- the same item on several rows is one item with one lot per row, in the order of the file (a toner
  bought twice at two prices keeps both prices for FIFO); the rows must agree on code, unit, part number
  and reorder level, or each later row is refused naming the first;
- the importing user must be allowed to post the VİFs of every depot in the file (``require_poster``:
  ``inventory.post_voucher``, not the depot's control officer, TMY md. 6/3), the depot must be one whose
  records they keep, and no count may have frozen its movements (md. 32).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from biys.core import changelog
from biys.core.text import search_key
from biys.inventory import vouchers
from biys.inventory.imports import services as asset_import
from biys.inventory.imports import values
from biys.inventory.imports.readers import read_sheet
from biys.inventory.imports.services import FILE_ROW, MAX_ERRORS, ImportFailed, RowError
from biys.inventory.models import Depot, StockItem, TasinirCode, Voucher
from biys.inventory.movements import services as movements
from biys.inventory.movements import stock as stock_service

__all__ = ["COLUMNS", "ImportFailed", "RowError", "StockPlan", "StockRow", "commit", "plan"]

KIND = Voucher.Kind.INVENTORY_ENTRY

# field -> (Turkish header used in the template, accepted header keys after search_key folding)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "depot": ("Ambar", ("ambar", "ambar kodu", "depot", "depot code")),
    "code": ("Taşınır kodu", ("tasinir kodu", "tasinir code", "code", "kod")),
    "name": ("Malzeme adı", ("malzeme adi", "malzeme", "ad", "adi", "tasinir adi", "stok kalemi", "name", "item")),
    "part_number": ("Parça no", ("parca no", "parca numarasi", "urun kodu", "part number", "part no")),
    "unit_of_measure": ("Ölçü birimi", ("olcu birimi", "olcu", "birim", "unit of measure", "uom")),
    "quantity": ("Miktar", ("miktar", "adet", "quantity", "qty")),
    "unit_price": ("Birim fiyat", ("birim fiyat", "birim fiyati", "birim fiyat tl", "fiyat", "unit price", "price")),
    "reorder_level": (
        "Kritik stok",
        ("kritik stok", "kritik stok seviyesi", "asgari stok", "yeniden siparis seviyesi", "reorder level"),
    ),
    "invoice_no": ("Fatura no", ("fatura no", "fatura numarasi", "belge no", "invoice no", "invoice number")),
    "invoice_date": ("Fatura tarihi", ("fatura tarihi", "belge tarihi", "invoice date")),
}
REQUIRED = ("depot", "code", "name", "quantity", "unit_price")

# Units of measure written the usual way; a folded spelling or abbreviation gives the usual one. Others are
# kept as typed. Counted units take whole quantities only ("1.500 Adet" is a typo, not one and a half).
COUNTED = ("Adet", "Kutu", "Paket", "Koli", "Top", "Rulo", "Takım", "Çift", "Set", "Düzine", "Şişe", "Tüp")
MEASURED = ("Metre", "Kilogram", "Gram", "Litre")
UNIT_ALIASES = {"ad": "Adet", "pk": "Paket", "m": "Metre", "mt": "Metre", "kg": "Kilogram", "gr": "Gram", "lt": "Litre"}
_UNITS = {search_key(unit): unit for unit in COUNTED + MEASURED} | UNIT_ALIASES
LIMIT = Decimal("1000000000")  # quantity and reorder level are DecimalField(max_digits=12, decimal_places=3)
PRICE_LIMIT = Decimal("1000000000000")  # unit_price is DecimalField(max_digits=14, decimal_places=2)
INVOICE_NO_LENGTH = 60
# Committed in the request: about 2 ms a row (item, VİF line, lot, on-hand, each change-logged). An opening
# stock is a few hundred rows; a larger file is split by depot.
MAX_ROWS = 5_000


@dataclass
class StockRow:
    """One checked row: what it adds to which item (``item`` is None while the item is still to be made)."""

    row: int
    depot: Depot
    code: TasinirCode
    name: str
    part_number: str
    unit_of_measure: str  # as written in the file ("" = the item's, or Adet for a new item)
    quantity: Decimal
    unit_price: Decimal
    reorder_level: Decimal | None
    invoice_no: str
    invoice_date: date | None
    item: StockItem | None = None

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))

    @property
    def shown_quantity(self) -> str:
        return stock_service.fmt(self.quantity)  # 12,5 — never "12,500", which reads as twelve thousand

    @property
    def key(self) -> tuple[int, str]:
        return (self.depot.pk, search_key(self.name))


@dataclass
class DepotTotal:
    """What the depot's VİF will hold."""

    depot: Depot
    lines: int = 0
    quantity: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)
    new_items: int = 0
    next_number: int = 0

    @property
    def shown_quantity(self) -> str:
        return stock_service.fmt(self.quantity)


@dataclass
class StockPlan:
    on: date  # the VİFs' date
    rows: list[StockRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    repeated: list[tuple[str, list[int]]] = field(default_factory=list)  # item name, its rows (one lot each)

    def by_depot(self) -> dict[int, list[StockRow]]:
        grouped: dict[int, list[StockRow]] = {}
        for row in self.rows:
            grouped.setdefault(row.depot.pk, []).append(row)
        return grouped

    def totals(self) -> list[DepotTotal]:
        result = []
        for rows in self.by_depot().values():
            total = DepotTotal(rows[0].depot)
            total.lines = len(rows)
            total.quantity = sum((row.quantity for row in rows), Decimal(0))
            total.amount = sum((row.amount for row in rows), Decimal(0))
            total.new_items = len({row.key for row in rows if row.item is None})
            result.append(total)
        return result


# --- Reading and checking (no writes) --------------------------------------------------------------------


def plan(data: bytes, extension: str, user: Any, on: date | None = None) -> StockPlan:
    """Read the file and check every row for ``user``; raises ValidationError when the file itself is unusable."""
    sheet = read_sheet(data, extension)
    columns = _map_headers(sheet.headers)
    if not sheet.rows:
        raise ValidationError(_("The file has a header row but no data rows."))
    if len(sheet.rows) > MAX_ROWS:
        raise ValidationError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
    result = StockPlan(on=on or timezone.localdate())
    header = {name: sheet.headers[index] for name, index in columns.items()}
    lookups = Lookups([_cell(cells, columns.get("code")) for _number, cells in sheet.rows])
    for number, cells in sheet.rows:
        cell = {name: _cell(cells, index) for name, index in columns.items()}
        row = _plan_row(number, cell, header, lookups, result)
        if row is not None:
            result.rows.append(row)
        if len(result.errors) >= MAX_ERRORS:
            break
    label = {name: header.get(name, COLUMNS[name][0]) for name in COLUMNS}
    _resolve_items(result, lookups, label)
    _check_posters(result, user, label["depot"])
    result.errors.sort(key=lambda error: error.row)
    return result


def _cell(cells: list[Any], index: int | None) -> Any:
    return cells[index] if index is not None and index < len(cells) else None


def _map_headers(headers: list[str]) -> dict[str, int]:
    columns = values.map_headers(headers, COLUMNS)
    values.refuse_missing([COLUMNS[name][0] for name in REQUIRED if name not in columns])
    return columns


def _plan_row(
    number: int, cell: dict[str, Any], header: dict[str, str], lookups: Lookups, result: StockPlan
) -> StockRow | None:
    errors: list[RowError] = []

    def check(name: str, parse: Callable[[Any], Any]) -> Any:
        try:
            return parse(cell.get(name))
        except ValidationError as exc:
            errors.append(RowError(number, header.get(name, COLUMNS[name][0]), " ".join(exc.messages)))
            return None

    depot = check("depot", lambda v: lookups.depot(values.text(v)))
    code = check("code", lambda v: lookups.code(values.text(v)))
    name = check("name", lambda v: _parse_text(v, StockItem._meta.get_field("name").max_length, required=True))
    part_number = check("part_number", lambda v: _parse_text(v, StockItem._meta.get_field("part_number").max_length))
    unit = check("unit_of_measure", _parse_unit)
    quantity = check("quantity", _parse_quantity)
    unit_price = check("unit_price", _parse_price)
    reorder_level = check("reorder_level", _parse_reorder_level)
    invoice_no = check("invoice_no", lambda v: _parse_text(v, INVOICE_NO_LENGTH))
    invoice_date = check("invoice_date", lambda v: _parse_invoice_date(v, result.on))
    result.errors.extend(errors)
    if errors:
        return None
    return StockRow(
        number, depot, code, name, part_number, unit, quantity, unit_price, reorder_level, invoice_no, invoice_date
    )


def _parse_text(value: Any, limit: int | None, required: bool = False) -> str:
    text = " ".join(values.text(value).split())
    if required and not text:
        raise ValidationError(_("Give the item name."))
    if limit and len(text) > limit:
        raise ValidationError(
            _("At most %(max)d characters (this has %(length)d).") % {"max": limit, "length": len(text)}
        )
    return text


def _parse_unit(value: Any) -> str:
    text = _parse_text(value, StockItem._meta.get_field("unit_of_measure").max_length)
    return _UNITS.get(search_key(text), text)


def _parse_quantity(value: Any) -> Decimal:
    quantity = values.parse_decimal(value, _("“%(value)s” is not a quantity (e.g. 12 or 2,5)."))
    if quantity is None:
        raise ValidationError(_("Give the quantity."))
    if quantity <= 0:
        raise ValidationError(_("The quantity must be greater than zero."))
    if quantity >= LIMIT:
        raise ValidationError(_("The quantity is too large."))
    return quantity


def _parse_price(value: Any) -> Decimal:
    price = values.parse_decimal(value, _("“%(value)s” is not an amount (e.g. 38.900,00)."))
    if price is None:
        raise ValidationError(_("Give the unit price in TL (0 if the item has no recorded value)."))
    if price >= PRICE_LIMIT:
        raise ValidationError(_("The amount is too large."))
    return price


def _parse_reorder_level(value: Any) -> Decimal | None:
    level = values.parse_decimal(value, _("“%(value)s” is not a quantity (e.g. 12 or 2,5)."))
    if level is not None and level >= LIMIT:
        raise ValidationError(_("The quantity is too large."))
    return level


def _parse_invoice_date(value: Any, on: date) -> date | None:
    day = values.parse_date(value)
    if day is not None and day > on:
        # TMY md. 10/1-a: a VİF is never dated before its source document.
        raise ValidationError(
            _(
                "The invoice date %(date)s is after the VİF date %(on)s; a VİF is never dated before its source "
                "document."
            )
            % {"date": formats.date_format(day, "d.m.Y"), "on": formats.date_format(on, "d.m.Y")}
        )
    return day


class Depots(asset_import.Lookups):
    """The asset import's depot matching (``46.27.01.06-01``, ``01``, Excel's ``1``) without its kinds and units."""

    def __init__(self) -> None:  # the parent also loads asset kinds and units, which stock does not use
        self.depots = list(Depot.objects.filter(is_active=True).select_related("control_officer"))


class Lookups:
    """Depots, the file's Taşınır codes and the depots' stock items, each loaded once."""

    def __init__(self, codes: Iterable[Any]) -> None:
        self.depots = Depots()
        wanted = {values.text(code) for code in codes} - {""}
        self.codes = {code.code: code for code in TasinirCode.objects.filter(code__in=wanted)}
        self.items: dict[int, list[StockItem]] = {}

    def depot(self, value: str) -> Depot:
        return self.depots.depot(value)

    def code(self, value: str) -> TasinirCode:
        if not value:
            raise ValidationError(_("Give the Taşınır code (e.g. 150.01.04.01)."))
        code = self.codes.get(value)
        if code is None:
            raise ValidationError(_("There is no Taşınır code “%(code)s”.") % {"code": value})
        if not code.is_active:
            raise ValidationError(_("Taşınır code %(code)s is no longer in force.") % {"code": value})
        if code.is_durable:
            raise ValidationError(
                _(
                    "Code %(code)s is a durable item (demirbaş, makine, taşıt): it is registered one by one "
                    "as an asset (asset import), not kept as stock."
                )
                % {"code": value}
            )
        return code

    def item(self, depot: Depot, name: str) -> StockItem | None:
        """The depot's item of that name: exactly, or else the only one equal ignoring case and Turkish letters."""
        candidates = self.items.get(depot.pk, [])
        exact = [item for item in candidates if item.name == name]
        if exact:
            return exact[0]
        folded = [item for item in candidates if search_key(item.name) == search_key(name)]
        if len(folded) > 1:
            raise ValidationError(
                _(
                    "Depot %(depot)s has several items named like “%(item)s”; write the name exactly as on the "
                    "stock list."
                )
                % {"depot": depot, "item": name}
            )
        return folded[0] if folded else None

    def load_items(self, depot_ids: set[int]) -> None:
        rows = StockItem.objects.filter(depot_id__in=depot_ids).select_related("tasinir_code").order_by("pk")
        for item in rows:
            self.items.setdefault(item.depot_id, []).append(item)


def _resolve_items(result: StockPlan, lookups: Lookups, label: dict[str, str]) -> None:
    """Match rows to existing items, and rows of the same item to each other; refuse what disagrees."""
    lookups.load_items({row.depot.pk for row in result.rows})
    first: dict[tuple[int, str], StockRow] = {}
    bad: set[int] = set()

    def refuse(row: StockRow, column: str, message: str) -> None:
        result.errors.append(RowError(row.row, column, message))
        bad.add(row.row)

    for row in result.rows:
        earlier = first.setdefault(row.key, row)
        try:
            if earlier is row:
                row.item = lookups.item(row.depot, row.name)
            else:
                _agree_with_row(row, earlier, label)
                row.item = earlier.item
            if row.item is not None:
                _agree_with_item(row, row.item, label)
        except _RowProblem as problem:
            refuse(row, problem.column, problem.message)
        except ValidationError as exc:
            refuse(row, label["name"], " ".join(exc.messages))
    for row in result.rows:  # now that every row of an item has been seen: its name, unit and whole numbers
        source = row.item or first[row.key]
        row.name, row.unit_of_measure = source.name, source.unit_of_measure or "Adet"
        if row.row not in bad and not _whole_if_counted(row):
            message = _("%(unit)s is counted in whole numbers; “%(value)s” is not one.") % {
                "unit": row.unit_of_measure,
                "value": stock_service.fmt(row.quantity),
            }
            refuse(row, label["quantity"], message)
    result.rows = [row for row in result.rows if row.row not in bad]
    rows_of: dict[tuple[int, str], list[int]] = {}
    for row in result.rows:
        rows_of.setdefault(row.key, []).append(row.row)
    result.repeated = [(first[key].name, numbers) for key, numbers in rows_of.items() if len(numbers) > 1]


def _shown(value: Any) -> str:
    return stock_service.fmt(value) if isinstance(value, Decimal) else str(value)


def _whole_if_counted(row: StockRow) -> bool:
    return row.unit_of_measure not in COUNTED or row.quantity == row.quantity.to_integral_value()


class _RowProblem(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _agree_with_item(row: StockRow, item: StockItem, label: dict[str, str]) -> None:
    names = {"item": item.name, "depot": row.depot}
    if item.tasinir_code_id != row.code.pk:
        raise _RowProblem(
            label["code"],
            _("“%(item)s” already exists in depot %(depot)s with Taşınır code %(code)s.")
            % {**names, "code": item.tasinir_code.code},
        )
    if row.unit_of_measure and search_key(row.unit_of_measure) != search_key(item.unit_of_measure):
        raise _RowProblem(
            label["unit_of_measure"],
            _("“%(item)s” is kept in %(unit)s in depot %(depot)s; give the quantity in %(unit)s.")
            % {**names, "unit": item.unit_of_measure},
        )
    if row.part_number and item.part_number and search_key(row.part_number) != search_key(item.part_number):
        raise _RowProblem(
            label["part_number"],
            _("“%(item)s” already exists in depot %(depot)s with part number %(part)s.")
            % {**names, "part": item.part_number},
        )


def _agree_with_row(row: StockRow, earlier: StockRow, label: dict[str, str]) -> None:
    def differ(a: Any, b: Any) -> bool:
        return a not in (None, "") and b not in (None, "") and search_key(str(a)) != search_key(str(b))

    for name, mine, theirs in (
        ("code", row.code.code, earlier.code.code),
        ("unit_of_measure", row.unit_of_measure, earlier.unit_of_measure),
        ("part_number", row.part_number, earlier.part_number),
        ("reorder_level", row.reorder_level, earlier.reorder_level),
    ):
        if differ(mine, theirs):
            raise _RowProblem(
                label[name],
                _("“%(item)s” is also on row %(row)d with %(column)s “%(value)s”; the rows of one item must agree.")
                % {"item": earlier.name, "row": earlier.row, "column": label[name], "value": _shown(theirs)},
            )
    # What the first row left empty, a later one may give.
    earlier.unit_of_measure = earlier.unit_of_measure or row.unit_of_measure
    earlier.part_number = earlier.part_number or row.part_number
    earlier.reorder_level = earlier.reorder_level if earlier.reorder_level is not None else row.reorder_level


def _check_posters(result: StockPlan, user: Any, column: str) -> None:
    """One error per depot the user may not post for, at the depot's first row, naming the depot and its rows."""
    from biys.inventory.disposal.services import frozen_message, movements_frozen  # late: disposal imports us
    from biys.inventory.movements.forms import visible_depots

    visible: set[int] | None = None
    bad: set[int] = set()
    for depot_id, rows in result.by_depot().items():
        depot = rows[0].depot
        try:
            movements.require_poster(depot, user)
            if visible is None:
                visible = set(visible_depots(user).values_list("pk", flat=True))
            if depot_id not in visible:
                problem = _("Depot %(depot)s is not one whose records you keep.") % {"depot": depot}
            elif movements_frozen(depot):
                problem = f"{depot}: {frozen_message()}"
            else:
                continue
        except PermissionDenied:
            problem = _("You may not post VİFs, so you cannot import stock into depot %(depot)s.") % {"depot": depot}
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        numbers = [row.row for row in rows]
        shown = ", ".join(str(number) for number in numbers[:20]) + (" …" if len(numbers) > 20 else "")
        message = _("%(problem)s Rows of this depot: %(rows)s.") % {"problem": problem, "rows": shown}
        result.errors.append(RowError(numbers[0], column, message))
        bad.add(depot_id)
    result.rows = [row for row in result.rows if row.depot.pk not in bad]


def next_numbers(totals: list[DepotTotal], fiscal_year: int) -> None:
    """For the preview: the number each depot's VİF should get if nobody posts one first (not locked)."""
    for total in totals:
        numbers = Voucher.objects.filter(depot=total.depot, fiscal_year=fiscal_year).exclude(number=None)
        total.next_number = (numbers.order_by("-number").values_list("number", flat=True).first() or 0) + 1


# --- Commit (one transaction) ------------------------------------------------------------------------------

LOG_CHUNK = 10_000  # change-log entries kept in memory before they are appended


def commit(data: bytes, extension: str, user: Any, on: date | None = None) -> list[Voucher]:
    """Check the file again and write it, all or nothing: missing items, then one posted inventory-entry VİF
    per depot (FIFO lots made by the posting). Raises ImportFailed with the row errors."""
    try:
        with changelog.batch(max_pending=LOG_CHUNK):
            result = plan(data, extension, user, on)  # inside the transaction: what is there now
            if result.errors:
                raise ImportFailed(result.errors)
            posted = []
            for rows in result.by_depot().values():
                try:
                    posted.append(_post_depot(rows, user, result.on))
                except ValidationError as exc:  # e.g. a count froze the depot since the check
                    raise ImportFailed([RowError(rows[0].row, COLUMNS["depot"][0], m) for m in exc.messages]) from exc
    except IntegrityError as exc:  # an item of the same name was added meanwhile; the transaction is gone
        message = _("A stock item of the file was added by someone else meanwhile; check the file again.")
        raise ImportFailed([RowError(FILE_ROW, "-", message)]) from exc
    return posted


def _post_depot(rows: list[StockRow], user: Any, on: date) -> Voucher:
    depot = rows[0].depot
    locked = stock_service.lock_items({row.item.pk for row in rows if row.item is not None})
    made: dict[tuple[int, str], StockItem] = {}
    lines = []
    for row in rows:
        item = locked[row.item.pk] if row.item is not None else made.get(row.key)
        if item is None:
            item = made[row.key] = _create_item(row)
        elif row.reorder_level is not None and row.reorder_level != item.reorder_level:
            item.reorder_level = row.reorder_level  # the file states today's level; the locked row is fresh
            item.save(update_fields=["reorder_level", "updated_at", "updated_by"])
        lines.append(
            vouchers.Line(
                item.tasinir_code, item.name, row.quantity, row.unit_price, item.unit_of_measure, stock_item=item
            )
        )
    dates = [row.invoice_date for row in rows if row.invoice_date is not None]
    draft = movements.create_draft(
        depot,
        KIND,
        on,
        lines,
        source_document=_("Opening stock on moving to BİYS (stock import)"),
        source_date=max(dates) if dates else None,
        note=_note(rows),
    )
    return movements.post_and_receive(draft, user)


def _create_item(row: StockRow) -> StockItem:
    item = StockItem(
        depot=row.depot,
        tasinir_code=row.code,
        name=row.name,
        part_number=row.part_number,
        unit_of_measure=row.unit_of_measure,
        reorder_level=row.reorder_level if row.reorder_level is not None else Decimal(0),
    )
    # The plan has read the depot's items inside this transaction; a name added meanwhile by someone else
    # fails the insert (IntegrityError, see ``commit``). The foreign keys come from loaded rows.
    item.clean_fields(exclude=["depot", "tasinir_code"])
    item.save()
    return item


def _note(rows: list[StockRow]) -> str:
    """Where each line's value comes from (TMY md. 15/5): its invoice, or else a commission's valuation."""
    lines = [
        _(
            "Opening stock (TMY md. 15/5). Lines with an invoice are valued at it; the others at the value a "
            "commission set."
        )
    ]
    for number, row in enumerate(rows, start=1):
        if row.invoice_no or row.invoice_date:
            day = formats.date_format(row.invoice_date, "d.m.Y") if row.invoice_date else ""
            lines.append(
                _("Line %(line)d (file row %(row)d): invoice %(invoice)s %(date)s")
                % {"line": number, "row": row.row, "invoice": row.invoice_no, "date": day}
            )
    return "\n".join(line.strip() for line in lines)
