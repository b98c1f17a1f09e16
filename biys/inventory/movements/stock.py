"""Consumables and spare parts: lots in from entry VİFs, FIFO out (TMY md. 22/4), reorder warnings, stock card.

These functions change stock quantities only; posting the VİFs they belong to is ``services``' job. Every
function that changes a quantity locks the stock item row first (items in primary-key order, so two
clerks never deadlock) and reads the quantity from the locked row, never from the caller's copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, DecimalField, F, QuerySet, Sum, When
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from biys.core.views import restrict
from biys.inventory.models import StockIssue, StockItem, StockLot, Voucher, VoucherLine

QUANTITY = DecimalField(max_digits=14, decimal_places=3)


def fmt(value: Decimal) -> str:
    """A quantity as people write it: 12, 2,5 (no trailing zeros, localised decimal mark)."""
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number_format(value, use_l10n=True)


def lock_items(ids: Iterable[Any]) -> dict[Any, StockItem]:
    """Lock the stock item rows (in pk order) and return fresh copies keyed by pk."""
    rows = (
        StockItem.objects.select_for_update(of=("self",))
        .select_related("tasinir_code", "depot")
        .filter(pk__in=set(ids))
    )
    return {item.pk: item for item in rows.order_by("pk")}


def receive_stock(voucher: Voucher) -> list[StockLot]:
    """One lot per stock line of a posted entry VİF, and the items' on-hand raised (FIFO needs entry order)."""
    if voucher.status != Voucher.Status.POSTED or voucher.direction != Voucher.Direction.ENTRY:
        raise ValidationError(_("Stock is received only from a posted entry VİF."))
    lines = list(voucher.lines.filter(stock_item__isnull=False).order_by("id"))
    items = lock_items(line.stock_item_id for line in lines)
    lots = []
    for line in lines:
        item = items[line.stock_item_id]
        if item.depot_id != voucher.depot_id:
            raise ValidationError(
                _("Line “%(line)s”: “%(item)s” is kept in another depot.") % {"line": line.description, "item": item}
            )
        lot = StockLot.objects.create(
            stock_item=item,
            entry_line=line,
            received_on=voucher.date,
            quantity_in=line.quantity,
            quantity_left=line.quantity,
            unit_price=line.unit_price,
        )
        lots.append(lot)
        item.quantity_on_hand += line.quantity
    for item in items.values():
        item.save(update_fields=["quantity_on_hand"])
    return lots


@dataclass(frozen=True)
class Allocation:
    """A quantity taken from one lot, at that lot's entry price."""

    lot: StockLot
    quantity: Decimal


def allocate(item: StockItem, quantity: Decimal) -> list[Allocation]:
    """Take ``quantity`` from the oldest lots first (TMY md. 22/4: FIFO at entry prices).

    ``item`` must come from ``lock_items``; nothing is written here.
    """
    if quantity <= 0:
        raise ValidationError(_("The quantity of “%(item)s” must be positive.") % {"item": item})
    if quantity > item.quantity_on_hand:
        raise ValidationError(
            _("Not enough “%(item)s” in stock: %(wanted)s %(unit)s asked, %(left)s on hand. Nothing was issued.")
            % {"item": item, "wanted": fmt(quantity), "unit": item.unit_of_measure, "left": fmt(item.quantity_on_hand)}
        )
    allocations, remaining = [], quantity
    lots = StockLot.objects.select_for_update(of=("self",)).filter(stock_item=item, quantity_left__gt=0)
    for lot in lots.order_by("received_on", "id"):
        take = min(remaining, lot.quantity_left)
        allocations.append(Allocation(lot, take))
        remaining -= take
        if remaining == 0:
            return allocations
    raise ValidationError(
        _("The lots of “%(item)s” hold less than its on-hand quantity; ask the records officer to check them.")
        % {"item": item}
    )


def consume(
    item: StockItem, allocations: list[Allocation], lines: list[VoucherLine], unit: Any, ticket_ref: str, on: date
) -> list[StockIssue]:
    """Write what ``allocate`` planned: one StockIssue per lot, lots and on-hand lowered. ``item`` is locked."""
    issues = []
    for allocation, line in zip(allocations, lines, strict=True):
        lot = allocation.lot
        issue = StockIssue.objects.create(
            stock_item=item,
            lot=lot,
            exit_line=line,
            quantity=allocation.quantity,
            unit=unit,
            ticket_ref=ticket_ref,
            date=on,
        )
        issues.append(issue)
        lot.quantity_left -= allocation.quantity
        lot.save(update_fields=["quantity_left"])
        item.quantity_on_hand -= allocation.quantity
    item.save(update_fields=["quantity_on_hand"])
    return issues


def untouched_lots(voucher: Voucher) -> list[StockLot]:
    """The lots an entry VİF brought in, locked; refuses if any of them has been issued from (md. 39)."""
    received = StockLot.objects.filter(entry_line__voucher=voucher)
    lock_items(received.values_list("stock_item_id", flat=True))  # items before lots, as ``allocate`` does
    lots = list(received.select_for_update(of=("self",)).select_related("stock_item").order_by("id"))
    for lot in lots:
        if lot.quantity_left != lot.quantity_in or lot.issues.exists():
            used = lot.quantity_in - lot.quantity_left
            raise ValidationError(
                _(
                    "“%(item)s” received on this VİF has already been issued (%(used)s of %(received)s %(unit)s), "
                    "so the VİF cannot be reversed. Reverse those issues first, or correct the difference with a "
                    "new VİF."
                )
                % {
                    "item": lot.stock_item,
                    "used": fmt(used),
                    "received": fmt(lot.quantity_in),
                    "unit": lot.stock_item.unit_of_measure,
                }
            )
    return lots


def unreceive(lots: list[StockLot]) -> None:
    """Empty the (untouched) lots of a reversed entry VİF and lower the items' on-hand."""
    items = lock_items(lot.stock_item_id for lot in lots)
    for lot in lots:
        items[lot.stock_item_id].quantity_on_hand -= lot.quantity_left
        lot.quantity_left = Decimal(0)
        lot.save(update_fields=["quantity_left"])
    for item in items.values():
        item.save(update_fields=["quantity_on_hand"])


def restore_issues(voucher: Voucher) -> None:
    """Put the stock of a reversed exit VİF back into the very lots it came from (their prices stay true)."""
    issues = list(StockIssue.objects.filter(exit_line__voucher=voucher).order_by("id"))
    items = lock_items(issue.stock_item_id for issue in issues)
    lots = StockLot.objects.select_for_update(of=("self",)).in_bulk({issue.lot_id for issue in issues})
    for issue in issues:
        lots[issue.lot_id].quantity_left += issue.quantity
        items[issue.stock_item_id].quantity_on_hand += issue.quantity
    for lot in lots.values():
        lot.save(update_fields=["quantity_left"])
    for item in items.values():
        item.save(update_fields=["quantity_on_hand"])


# --- Reorder warnings --------------------------------------------------------------------------------


def below_reorder_level(queryset: QuerySet[StockItem]) -> QuerySet[StockItem]:
    """Items at or below their reorder level (the same rule as ``StockItem.below_reorder_level``)."""
    return queryset.filter(quantity_on_hand__lte=F("reorder_level"))


def reorder_warning_count(user: Any) -> int:
    """For dashboards: how many stock items this user can see are at or below their reorder level."""
    return below_reorder_level(restrict(StockItem.objects.all(), user)).count()


# --- Stock card ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardRow:
    """One movement on a stock card: a posted VİF line of the item, with the running balance."""

    date: date
    voucher: Voucher
    kind: str
    quantity_in: Decimal | None
    quantity_out: Decimal | None
    balance: Decimal
    unit_price: Decimal
    amount: Decimal


def _card_lines(item: StockItem) -> QuerySet[VoucherLine]:
    # Drafts are not movements; a reversed VİF and its reversal both stay on the card and cancel out.
    return VoucherLine.objects.filter(stock_item=item).exclude(voucher__status=Voucher.Status.DRAFT)


def stock_card(item: StockItem, year: int) -> tuple[Decimal, list[CardRow]]:
    """The item's opening balance on 1 January of ``year`` and its movements in that year, in order."""
    signed = Case(
        When(voucher__direction=Voucher.Direction.ENTRY, then=F("quantity")),
        default=-F("quantity"),
        output_field=QUANTITY,
    )
    earlier = _card_lines(item).filter(voucher__date__lt=date(year, 1, 1))
    opening = earlier.aggregate(total=Sum(signed, output_field=QUANTITY))["total"] or Decimal(0)
    lines = (
        _card_lines(item)
        .filter(voucher__date__year=year)
        .select_related("voucher__depot")
        .order_by("voucher__date", "voucher__posted_at", "id")
    )
    rows, balance = [], opening
    for line in lines:
        entry = line.voucher.direction == Voucher.Direction.ENTRY
        balance += line.quantity if entry else -line.quantity
        row = CardRow(
            date=line.voucher.date,
            voucher=line.voucher,
            kind=line.voucher.get_kind_display(),
            quantity_in=line.quantity if entry else None,
            quantity_out=None if entry else line.quantity,
            balance=balance,
            unit_price=line.unit_price,
            amount=line.amount,
        )
        rows.append(row)
    return opening, rows
