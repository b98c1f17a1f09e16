"""Depot movement workflows on top of ``biys.inventory.vouchers`` (TMY md. 6/3, 10/1-a, 22-24, 39).

- drafts and their lines, posting with the separation of duties and receipt of stock (``post_and_receive``);
- reversal that also undoes what the VİF did to stock and to transferred assets (``reverse_and_restore``);
- issuing consumables FIFO against a written order (``issue_stock`` — the service desk's entry point);
- durable items handed to units with their parts (Nizip md. 12/18) and moves between own units.

Every public function is one transaction: it either does all of its work or none of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from biys.inventory import vouchers
from biys.inventory.models import (
    Asset,
    Commissioning,
    Depot,
    StockItem,
    StockRequest,
    StockRequestLine,
    Voucher,
    VoucherLine,
)
from biys.inventory.movements import stock
from biys.inventory.numbering import next_number
from biys.org.models import Staff

Kind = Voucher.Kind
# Made only by their workflow, never by hand: consumption and transfer out need an approved order and
# (for stock) a FIFO issue; a reversal is made by reversing a posted VİF.
WORKFLOW_KINDS = (Kind.CONSUMPTION, Kind.TRANSFER_OUT, Kind.REVERSAL)
# Assets that have left the register or are on their way out do not move any more.
GONE = (Asset.Status.SCRAPPED, Asset.Status.LOST, Asset.Status.TRANSFERRED, Asset.Status.SCRAP_PROPOSED)
NO_ORDER = gettext_lazy(
    "Nothing leaves the depot without an approved written order (Nizip md. 12/17): name an approved "
    "Taşınır İstek Belgesi or the service-desk ticket the part is used on."
)


# --- Separation of duties ------------------------------------------------------------------------


def ensure_separation(depot: Depot, user: Any) -> None:
    """The depot's control officer checks the records and never posts them (TMY md. 6/3)."""
    officer = depot.control_officer
    if officer is not None and officer.user_id is not None and officer.user_id == user.pk:
        raise ValidationError(
            _(
                "%(user)s is the control officer of depot %(depot)s and may not post its VİFs: records "
                "and control are kept by different people (TMY md. 6/3)."
            )
            % {"user": officer, "depot": depot}
        )


def depot_of(document: Any) -> Depot:
    """The document's depot with its control officer, fresh from the database."""
    return Depot.objects.select_related("control_officer").get(pk=document.depot_id)


def require_poster(depot: Depot, user: Any) -> None:
    if not user.has_perm("inventory.post_voucher"):
        raise PermissionDenied
    ensure_separation(depot, user)


def staff_of(user: Any) -> Staff:
    staff = Staff.objects.select_related("unit").filter(user_id=user.pk).first()
    if staff is None:
        raise ValidationError(_("Your account is not linked to a staff record; ask the administrator to link it."))
    return staff


# --- Drafts ----------------------------------------------------------------------------------------------


def check_lines(depot: Depot, kind: str, lines: list[vouchers.Line], first_row: int = 1) -> None:
    """What a clerk may put on a hand-made VİF of ``depot``; rows are named by their number."""
    leaving = vouchers.direction_of(kind) == Voucher.Direction.EXIT
    for row, line in enumerate(lines, first_row):
        if line.quantity <= 0:
            raise ValidationError(_("Row %(row)s: the quantity must be positive.") % {"row": row})
        if line.unit_price < 0:
            raise ValidationError(_("Row %(row)s: the unit price cannot be negative.") % {"row": row})
        if line.stock_item is not None and line.stock_item.depot_id != depot.pk:
            raise ValidationError(
                _("Row %(row)s: “%(item)s” is kept in another depot.") % {"row": row, "item": line.stock_item}
            )
        if line.stock_item is not None and leaving:
            raise ValidationError(
                _(
                    "Row %(row)s: stock items leave the depot only by an issue against an approved Taşınır İstek "
                    "Belgesi or a service-desk ticket (FIFO, TMY md. 22)."
                )
                % {"row": row}
            )
        if line.asset is not None and line.asset.depot_id != depot.pk:
            raise ValidationError(
                _("Row %(row)s: %(asset)s is registered in another depot.") % {"row": row, "asset": line.asset}
            )


@transaction.atomic
def create_draft(depot: Depot, kind: str, on: date, lines: list[vouchers.Line], **header: Any) -> Voucher:
    """A hand-made draft VİF (purchase, donation, return …); workflow kinds are refused."""
    if kind in WORKFLOW_KINDS:
        raise ValidationError(
            {"kind": _("This kind of VİF is made by its own workflow (request issue, transfer or reversal).")}
        )
    check_lines(depot, kind, lines)
    return vouchers.create_voucher(depot, kind, on, lines, **header)


def _locked_draft(voucher: Voucher) -> Voucher:
    locked = Voucher.objects.select_for_update(of=("self",)).select_related("depot").get(pk=voucher.pk)
    if locked.status != Voucher.Status.DRAFT:
        raise ValidationError(_("Only a draft VİF can be changed; a posted one is corrected by reversal (md. 39)."))
    return locked


@transaction.atomic
def add_line(voucher: Voucher, line: vouchers.Line) -> VoucherLine:
    draft = _locked_draft(voucher)
    check_lines(draft.depot, draft.kind, [line], first_row=draft.lines.count() + 1)
    return VoucherLine.objects.create(
        voucher=draft,
        tasinir_code=line.tasinir_code,
        description=line.description,
        unit_of_measure=line.unit_of_measure,
        quantity=line.quantity,
        unit_price=line.unit_price,
        asset=line.asset,
        stock_item=line.stock_item,
    )


@transaction.atomic
def remove_line(line: VoucherLine) -> None:
    draft = _locked_draft(line.voucher)
    if draft.lines.count() <= 1:
        raise ValidationError(_("A VİF needs at least one line; delete the draft instead."))
    line.delete()


# --- Posting and reversal -----------------------------------------------------------------------------


@transaction.atomic
def post_and_receive(voucher: Voucher, user: Any) -> Voucher:
    """Post a draft VİF (``vouchers.post_voucher``) by someone other than the depot's control officer;
    the stock lines of an entry VİF become FIFO lots."""
    draft = Voucher.objects.select_related("depot__control_officer").get(pk=voucher.pk)
    require_poster(draft.depot, user)
    if draft.direction == Voucher.Direction.EXIT and draft.kind != Kind.REVERSAL:
        hand_made = draft.lines.filter(stock_item__isnull=False, issues__isnull=True).first()
        if hand_made is not None:
            raise ValidationError(
                _(
                    "Line “%(line)s”: stock items leave the depot only by an issue against an approved Taşınır "
                    "İstek Belgesi or a service-desk ticket (FIFO, TMY md. 22)."
                )
                % {"line": hand_made.description}
            )
    posted = vouchers.post_voucher(draft, user)
    if posted.direction == Voucher.Direction.ENTRY and posted.kind != Kind.REVERSAL:
        stock.receive_stock(posted)
    return posted


@transaction.atomic
def reverse_and_restore(voucher: Voucher, user: Any, reason: str, on: date | None = None) -> Voucher:
    """Reverse a posted VİF (md. 39) and undo its effects: a receipt's untouched lots are emptied (a receipt
    already issued from is refused), an issue's stock goes back to its lots, transferred assets come back."""
    if not user.has_perm("inventory.post_voucher"):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the reversal (TMY md. 39).")})
    original = (
        Voucher.objects.select_for_update(of=("self",)).select_related("depot__control_officer").get(pk=voucher.pk)
    )
    if original.kind == Kind.REVERSAL:
        raise ValidationError(_("A reversing VİF is not reversed again; record a new VİF instead (md. 39)."))
    ensure_separation(original.depot, user)
    entry = original.direction == Voucher.Direction.ENTRY
    lots = stock.untouched_lots(original) if entry else []
    reversal = vouchers.reverse_voucher(original, user, on=on, note=reason.strip())
    if entry:
        stock.unreceive(lots)
    else:
        stock.restore_issues(original)
        if original.kind == Kind.TRANSFER_OUT:
            given = original.lines.filter(asset__isnull=False).values("asset_id")
            for asset in Asset.objects.select_for_update(of=("self",)).filter(pk__in=given).order_by("pk"):
                asset.status = Asset.Status.IN_DEPOT
                asset.save()
    return reversal


# --- Issuing -----------------------------------------------------------------------------------------


def approved_order(order: StockRequest) -> StockRequest:
    """The request, locked, if it is approved and not yet issued (Nizip md. 12/17)."""
    locked = (
        StockRequest.objects.select_for_update(of=("self",))
        .select_related("depot__control_officer", "unit")
        .get(pk=order.pk)
    )
    if locked.status != StockRequest.Status.APPROVED:
        raise ValidationError(
            _("Request %(request)s is “%(status)s”; only an approved request is issued (Nizip md. 12/17).")
            % {"request": locked, "status": locked.get_status_display()}
        )
    return locked


def _asset_line(asset: Asset) -> vouchers.Line:
    # TMY md. 13/2-b: a free transfer goes out at the registered value.
    price = asset.price if asset.price is not None else Decimal(0)
    return vouchers.Line(asset.tasinir_code, asset.name, Decimal(1), price, asset.kind.unit_of_measure, asset=asset)


def issue_wanted(
    order: StockRequest,
    kind: str,
    wanted: dict[int, Decimal],
    unit: Any,
    by: Any,
    on: date,
    *,
    ticket_ref: str = "",
    counterparty: str = "",
    assets: Iterable[Asset] = (),
) -> Voucher:
    """One exit VİF for an order: each stock item (pk → quantity) FIFO, one line per lot at its price, plus
    one line per asset; posted at once. Call inside a transaction after ``require_poster``."""
    items = stock.lock_items(wanted)
    plan = []
    for pk, quantity in wanted.items():
        item = items[pk]
        if item.depot_id != order.depot_id:
            raise ValidationError(_("“%(item)s” is kept in another depot.") % {"item": item})
        plan.append((item, stock.allocate(item, quantity)))
    lines = [
        vouchers.Line(item.tasinir_code, item.name, a.quantity, a.lot.unit_price, item.unit_of_measure, stock_item=item)
        for item, allocations in plan
        for a in allocations
    ]
    lines += [_asset_line(asset) for asset in assets]
    voucher = vouchers.create_voucher(
        order.depot,
        kind,
        on,
        lines,
        source_document=f"{StockRequest._meta.verbose_name} {order.depot.code}/{order.year}/{order.number}",
        source_date=order.date,
        counterparty=counterparty or str(order.unit),
        request=order,
    )
    created = iter(voucher.lines.order_by("id"))
    for item, allocations in plan:
        stock.consume(item, allocations, [next(created) for _a in allocations], unit, ticket_ref, on)
    return vouchers.post_voucher(voucher, by)


def _ticket_order(
    depot: Depot, item: StockItem, quantity: Decimal, unit: Any, by: Any, ticket: str, on: date
) -> StockRequest:
    """The service-desk ticket as the written order: an iş talep belgesi counts as an İstek Belgesi (TMY
    md. 10/1-c), so it is recorded as one — numbered, approved by the issuer, naming the ticket."""
    order = StockRequest(
        depot=depot,
        year=on.year,
        date=on,
        unit=unit,
        requested_by=staff_of(by),
        purpose=_("Parts used on service-desk ticket %(ticket)s (the ticket is the written order).")
        % {"ticket": ticket},
    )
    order.number = next_number(StockRequest.objects.filter(depot=depot, year=on.year))
    order.status = StockRequest.Status.APPROVED
    order.approved_by = by
    order.approved_at = timezone.now()
    order.save()
    StockRequestLine.objects.create(request=order, stock_item=item, quantity=quantity, note=ticket[:200])
    return order


@transaction.atomic
def issue_stock(
    stock_item: StockItem,
    quantity: Decimal,
    unit: Any,
    by: Any,
    *,
    ticket_ref: str = "",
    request: StockRequest | None = None,
    on: date | None = None,
) -> Voucher:
    """Issue a consumable or spare part to ``unit``, FIFO (md. 22), on a posted consumption VİF.

    The written order is an approved ``request`` (then marked issued) or, for parts used on a repair, the
    service-desk ``ticket_ref``. ``by`` posts the VİF, so needs ``inventory.post_voucher``. Refuses more
    than is on hand; nothing is written then.
    """
    on = on or timezone.localdate()
    depot = depot_of(stock_item)
    require_poster(depot, by)
    ticket_ref = ticket_ref.strip()
    if request is None and not ticket_ref:
        raise ValidationError(str(NO_ORDER))
    if request is not None:
        order = approved_order(request)
        if order.depot_id != depot.pk:
            raise ValidationError(_("Request %(request)s is for another depot.") % {"request": order})
    else:
        order = _ticket_order(depot, stock_item, quantity, unit, by, ticket_ref, on)
    voucher = issue_wanted(order, Kind.CONSUMPTION, {stock_item.pk: quantity}, unit, by, on, ticket_ref=ticket_ref)
    mark_issued(order, voucher)
    return voucher


def mark_issued(order: StockRequest, voucher: Voucher | None) -> None:
    order.status = StockRequest.Status.ISSUED
    order.save()
    if voucher is not None:
        voucher.request = order  # the caller sees the request as it now is


# --- Durable items -------------------------------------------------------------------------------------


def with_parts(assets: Iterable[Asset]) -> list[Asset]:
    """The assets, locked, followed by the parts attached to them (monitor → PC): they move together
    (Nizip md. 12/18)."""
    ids = [asset.pk for asset in assets]
    parents = list(
        Asset.objects.select_for_update(of=("self",)).select_related("kind").filter(pk__in=ids).order_by("pk")
    )
    parts = (
        Asset.objects.select_for_update(of=("self",))
        .select_related("kind")
        .filter(parent_id__in=ids)
        .exclude(pk__in=ids)
    )
    return parents + list(parts.exclude(status__in=GONE).order_by("pk"))


def _check_commissioned(asset: Asset) -> None:
    if not asset.kind.needs_commissioning:
        return
    checklist = Commissioning.objects.filter(asset=asset).first()
    if checklist is None or not checklist.is_complete:
        raise ValidationError(
            _(
                "%(asset)s is not commissioned yet: test, install and register it on the network first "
                "(Nizip md. 12/49)."
            )
            % {"asset": asset}
        )


def hand_out(assets: Iterable[Asset], order: StockRequest) -> list[Asset]:
    """Durable items asked on an İstek Belgesi go to the unit's use with their parts. No VİF: a Taşınır
    Teslim Belgesi or Dayanıklı Taşınırlar Listesi records who uses them (TMY md. 23)."""
    moved = with_parts(assets)
    for asset in moved:
        if asset.status != Asset.Status.IN_DEPOT or asset.depot_id != order.depot_id:
            raise ValidationError(
                _("%(asset)s is not in depot %(depot)s (status: %(status)s).")
                % {"asset": asset, "depot": order.depot, "status": asset.get_status_display()}
            )
        _check_commissioned(asset)
        asset.owner_unit = order.unit
        asset.status = Asset.Status.IN_USE
        asset.save()
    return moved


def ensure_movable(asset: Asset) -> None:
    if asset.status in GONE:
        raise ValidationError(
            _("%(asset)s cannot move: it is “%(status)s”.") % {"asset": asset, "status": asset.get_status_display()}
        )
    if asset.holder_id is not None:
        raise ValidationError(
            _("%(asset)s is held by %(holder)s; take it back on the Taşınır Teslim Belgesi first (TMY md. 18/3).")
            % {"asset": asset, "holder": asset.holder}
        )


@transaction.atomic
def transfer_to_unit(asset: Asset, unit: Any, by: Any) -> list[Asset]:
    """Move an asset with its parts to another unit of the municipality: no VİF, only a change of owner unit,
    which the change log records."""
    if not by.has_perm("inventory.change_asset"):
        raise PermissionDenied
    moved = with_parts([asset])
    if moved[0].owner_unit_id == unit.pk:
        raise ValidationError({"unit": _("%(asset)s already belongs to %(unit)s.") % {"asset": asset, "unit": unit}})
    for item in moved:
        ensure_movable(item)
        item.owner_unit = unit
        item.save()
    return moved
