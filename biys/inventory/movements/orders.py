"""The Taşınır İstek Belgesi (TMY md. 10/1-c, 22-24): a unit asks, a manager approves, the depot issues.

Draft → submitted (numbered per depot and year) → approved or rejected → issued. Nothing leaves the depot
without an approved written order (Nizip md. 12/17). Issuing posts one exit VİF linked to the request:
consumables go out FIFO on a consumption VİF, durable items go to the unit's use (no VİF, md. 23); a
transfer to another institution puts items, their parts and consumables on one transfer-out VİF (md. 24,
Nizip md. 12/18).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from biys.core.models import user_unit_path
from biys.inventory.models import Asset, Depot, StockIssue, StockItem, StockRequest, StockRequestLine, Voucher
from biys.inventory.movements import services
from biys.inventory.numbering import next_number

Status = StockRequest.Status


def visible_requests(user: Any) -> Q:
    """The model's depot scope, plus the requests of the user's own unit: a unit sees what it asked for
    even from another unit's depot."""
    query = StockRequest.scope(user)
    path = user_unit_path(user) if user.is_authenticated else None
    if not query or path is None:  # Q() already means every row
        return query
    return query | Q(unit__path__startswith=path)


def is_requester(user: Any, order: StockRequest) -> bool:
    return bool(user.pk and (order.requested_by.user_id == user.pk or order.created_by_id == user.pk))


def can_edit(user: Any, order: StockRequest) -> bool:
    """A draft is changed by whoever asks, or by the depot's staff."""
    if order.status != Status.DRAFT:
        return False
    return is_requester(user, order) or user.has_perm("inventory.change_stockrequest")


@dataclass(frozen=True)
class Wanted:
    """One line of a request: a stock item and a quantity, or one specific asset."""

    quantity: Decimal
    stock_item: StockItem | None = None
    asset: Asset | None = None
    note: str = ""


def _add(order: StockRequest, wanted: Wanted, row: int) -> StockRequestLine:
    def refuse(message: str) -> ValidationError:
        return ValidationError(_("Row %(row)s: %(message)s") % {"row": row, "message": message})

    if wanted.quantity <= 0:
        raise refuse(_("the quantity must be positive."))
    if wanted.stock_item is not None and wanted.stock_item.depot_id != order.depot_id:
        raise refuse(_("“%(item)s” is kept in another depot.") % {"item": wanted.stock_item})
    asset = wanted.asset
    if asset is not None:
        if asset.depot_id != order.depot_id:
            raise refuse(_("%(asset)s is registered in another depot.") % {"asset": asset})
        if asset.status in services.GONE:
            raise refuse(_("%(asset)s is “%(status)s”.") % {"asset": asset, "status": asset.get_status_display()})
        if wanted.quantity != 1:
            raise refuse(_("an asset is asked for one at a time (quantity 1)."))
    line = StockRequestLine(
        request=order, stock_item=wanted.stock_item, asset=asset, quantity=wanted.quantity, note=wanted.note
    )
    try:
        line.full_clean()
    except ValidationError as exc:
        raise refuse(" ".join(exc.messages)) from exc
    line.save()
    return line


@transaction.atomic
def create_request(depot: Depot, by: Any, purpose: str, lines: list[Wanted], on: date | None = None) -> StockRequest:
    """A draft request of the asking person's unit."""
    staff = services.staff_of(by)
    if not lines:
        raise ValidationError(_("A request needs at least one line."))
    on = on or timezone.localdate()
    order = StockRequest(depot=depot, year=on.year, date=on, unit=staff.unit, requested_by=staff, purpose=purpose)
    order.full_clean()
    order.save()
    for row, wanted in enumerate(lines, 1):
        _add(order, wanted, row)
    return order


def _editable(order: StockRequest, by: Any) -> StockRequest:
    locked = StockRequest.objects.select_for_update(of=("self",)).select_related("requested_by").get(pk=order.pk)
    if locked.status != Status.DRAFT:
        raise ValidationError(_("Only a draft request can be changed."))
    if not can_edit(by, locked):
        raise PermissionDenied
    return locked


@transaction.atomic
def add_request_line(order: StockRequest, wanted: Wanted, by: Any) -> StockRequestLine:
    draft = _editable(order, by)
    return _add(draft, wanted, draft.lines.count() + 1)


@transaction.atomic
def remove_request_line(line: StockRequestLine, by: Any) -> None:
    draft = _editable(line.request, by)
    if draft.lines.count() <= 1:
        raise ValidationError(_("A request needs at least one line; delete the draft instead."))
    line.delete()


@transaction.atomic
def submit(order: StockRequest, by: Any) -> StockRequest:
    """Send the request for approval; it takes the next number of its depot's year."""
    draft = _editable(order, by)
    if not draft.lines.exists():
        raise ValidationError(_("A request needs at least one line."))
    today = timezone.localdate()
    draft.date, draft.year = today, today.year
    draft.number = next_number(StockRequest.objects.filter(depot_id=draft.depot_id, year=today.year))
    draft.status = Status.SUBMITTED
    draft.save()
    return draft


def _decidable(order: StockRequest, by: Any, states: tuple[str, ...]) -> StockRequest:
    if not by.has_perm("inventory.approve_stockrequest"):
        raise PermissionDenied
    locked = StockRequest.objects.select_for_update(of=("self",)).select_related("requested_by").get(pk=order.pk)
    if locked.status not in states:
        raise ValidationError(
            _("Request %(request)s is “%(status)s” and cannot be decided now.")
            % {"request": locked, "status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def approve(order: StockRequest, by: Any) -> StockRequest:
    """The written order of the Müdürlük (Nizip md. 12/17); nobody approves their own request."""
    submitted = _decidable(order, by, (Status.SUBMITTED,))
    if submitted.requested_by.user_id == by.pk:
        raise ValidationError(_("You cannot approve your own request."))
    submitted.status = Status.APPROVED
    submitted.approved_by = by
    submitted.approved_at = timezone.now()
    submitted.save()
    return submitted


@transaction.atomic
def reject(order: StockRequest, by: Any, reason: str) -> StockRequest:
    """Refuse a submitted (or approved, not yet issued) request; the reason is kept on the request."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    pending = _decidable(order, by, (Status.SUBMITTED, Status.APPROVED))
    note = _("Rejected by %(user)s on %(date)s: %(reason)s") % {
        "user": by.get_full_name() or by.get_username(),
        "date": date_format(timezone.localdate(), "d.m.Y"),
        "reason": reason.strip(),
    }
    pending.purpose = f"{pending.purpose}\n\n{note}".strip()
    pending.status = Status.REJECTED
    pending.approved_by = None
    pending.approved_at = None
    pending.save()
    return pending


def lines_with_issued(order: StockRequest) -> list[tuple[StockRequestLine, Decimal | None]]:
    """Each line with what was given out for it (None before the request is issued); issues of a reversed
    VİF do not count."""
    totals = dict(
        StockIssue.objects.filter(exit_line__voucher__request=order, exit_line__voucher__status=Voucher.Status.POSTED)
        .values_list("stock_item_id")
        .annotate(total=Sum("quantity"))
    )
    issued = order.status == Status.ISSUED
    rows = []
    for line in order.lines.select_related("stock_item__tasinir_code", "asset__tasinir_code", "asset__kind"):
        given = totals.get(line.stock_item_id, Decimal(0)) if line.stock_item_id else line.quantity
        rows.append((line, given if issued else None))
    return rows


def _split(order: StockRequest) -> tuple[dict[int, Decimal], list[Asset]]:
    """The request's stock items (pk → total quantity) and its assets."""
    wanted: dict[int, Decimal] = {}
    assets = []
    for line in order.lines.select_related("asset").order_by("id"):
        if line.stock_item_id is not None:
            wanted[line.stock_item_id] = wanted.get(line.stock_item_id, Decimal(0)) + line.quantity
        elif line.asset is not None:
            assets.append(line.asset)
    return wanted, assets


@transaction.atomic
def issue_request(order: StockRequest, by: Any, on: date | None = None) -> Voucher | None:
    """Give an approved request to its unit: consumables FIFO on a posted consumption VİF (md. 22), durable
    items with their parts to the unit's use (md. 23). Returns the VİF, or None if only assets were asked."""
    services.require_poster(services.depot_of(order), by)
    approved = services.approved_order(order)
    on = on or timezone.localdate()
    wanted, assets = _split(approved)
    voucher = None
    if wanted:
        voucher = services.issue_wanted(approved, Voucher.Kind.CONSUMPTION, wanted, approved.unit, by, on)
    if assets:
        services.hand_out(assets, approved)
    services.mark_issued(approved, voucher)
    return voucher


@transaction.atomic
def transfer_out(order: StockRequest, by: Any, counterparty: str, on: date | None = None) -> Voucher:
    """Give an approved request's items to another institution (TMY md. 24): assets with their parts and the
    consumables (FIFO) on one posted transfer-out VİF; the assets are then "transferred out"."""
    if not counterparty.strip():
        raise ValidationError({"counterparty": _("Name the institution the items are given to.")})
    services.require_poster(services.depot_of(order), by)
    approved = services.approved_order(order)
    wanted, requested = _split(approved)
    assets = services.with_parts(requested)
    for asset in assets:
        services.ensure_movable(asset)
    voucher = services.issue_wanted(
        approved,
        Voucher.Kind.TRANSFER_OUT,
        wanted,
        approved.unit,
        by,
        on or timezone.localdate(),
        counterparty=counterparty.strip(),
        assets=assets,
    )
    for asset in assets:
        asset.status = Asset.Status.TRANSFERRED
        asset.save()
    services.mark_issued(approved, voucher)
    return voucher
