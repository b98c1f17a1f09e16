"""Varlık İşlem Fişi rules (TMY md. 10/1-a, 39): numbering per depot and fiscal year, posting, reversal.

A VİF is a draft until posted. Posting gives it the next number of its depot's fiscal year and makes
it immutable. A posted VİF is corrected only by a reversing VİF (opposite direction, same lines) and,
if needed, a new correct one — both posted by someone with ``inventory.post_voucher``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.inventory.models import Asset, Depot, StockItem, TasinirCode, Voucher, VoucherLine
from biys.inventory.numbering import next_number


@dataclass(frozen=True)
class Line:
    tasinir_code: TasinirCode
    description: str
    quantity: Decimal
    unit_price: Decimal
    unit_of_measure: str = "Adet"
    asset: Asset | None = None
    stock_item: StockItem | None = None


def direction_of(kind: str) -> str:
    return Voucher.Direction.ENTRY if kind in Voucher.ENTRY_KINDS else Voucher.Direction.EXIT


@transaction.atomic
def create_voucher(
    depot: Depot,
    kind: str,
    on: date,
    lines: list[Line],
    *,
    source_document: str = "",
    source_date: date | None = None,
    counterparty: str = "",
    request: Any = None,
    note: str = "",
) -> Voucher:
    """A draft VİF with its lines; rules are checked here and again when posting."""
    if not lines:
        raise ValidationError(_("A VİF needs at least one line."))
    voucher = Voucher(
        depot=depot, fiscal_year=on.year, date=on, direction=direction_of(kind), kind=kind,
        source_document=source_document, source_date=source_date, counterparty=counterparty, request=request,
        note=note,
    )  # fmt: skip
    voucher.full_clean()
    voucher.save()
    for line in lines:
        if line.quantity <= 0:
            raise ValidationError(_("Line “%(line)s”: the quantity must be positive.") % {"line": line.description})
        VoucherLine.objects.create(
            voucher=voucher, tasinir_code=line.tasinir_code, description=line.description,
            unit_of_measure=line.unit_of_measure, quantity=line.quantity, unit_price=line.unit_price,
            asset=line.asset, stock_item=line.stock_item,
        )  # fmt: skip
    return voucher


@transaction.atomic
def post_voucher(voucher: Voucher, user: Any) -> Voucher:
    """Number and freeze a draft VİF. Exits of items need an approved written order (Nizip md. 12/17)."""
    if not user.has_perm("inventory.post_voucher"):
        raise PermissionDenied
    # of=("self",): PostgreSQL refuses FOR UPDATE across the nullable officer join.
    voucher = (
        Voucher.objects.select_for_update(of=("self",)).select_related("depot__control_officer").get(pk=voucher.pk)
    )
    if voucher.status != Voucher.Status.DRAFT:
        raise ValidationError(_("Only a draft VİF can be posted."))
    from biys.inventory.disposal.services import frozen_message, movements_frozen  # late: disposal imports us

    if movements_frozen(voucher.depot_id):
        raise ValidationError(frozen_message())
    officer = voucher.depot.control_officer
    if officer is not None and officer.user_id is not None and officer.user_id == user.pk:
        # TMY md. 6/3: the control officer checks the records; they never keep them.
        raise ValidationError(_("The control officer of a depot may not post its VİFs (TMY md. 6/3)."))
    voucher.full_clean()
    if voucher.kind in (Voucher.Kind.CONSUMPTION, Voucher.Kind.TRANSFER_OUT) and (
        voucher.request is None or voucher.request.status not in ("approved", "issued")
    ):
        raise ValidationError(_("Nothing leaves the depot without an approved written order (Nizip md. 12/17)."))
    voucher.number = next_number(Voucher.objects.filter(depot=voucher.depot, fiscal_year=voucher.fiscal_year))
    voucher.status = Voucher.Status.POSTED
    voucher.posted_at = timezone.now()
    voucher.posted_by = user
    voucher.save()
    return voucher


@transaction.atomic
def reverse_voucher(voucher: Voucher, user: Any, on: date | None = None, note: str = "") -> Voucher:
    """Post a reversing VİF for a posted one (md. 39); the original is marked reversed, never edited."""
    if not user.has_perm("inventory.post_voucher"):
        raise PermissionDenied
    original = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if original.status != Voucher.Status.POSTED:
        raise ValidationError(_("Only a posted VİF can be reversed."))
    on = on or timezone.localdate()
    reversal = Voucher.objects.create(
        depot=original.depot, fiscal_year=on.year, date=max(on, original.date),
        direction=Voucher.Direction.EXIT if original.direction == Voucher.Direction.ENTRY else Voucher.Direction.ENTRY,
        kind=Voucher.Kind.REVERSAL, source_document=str(original), source_date=original.date,
        counterparty=original.counterparty, reverses=original, note=note,
    )  # fmt: skip
    for line in original.lines.all():
        line.pk = None
        line.voucher = reversal
        line.save()
    posted = post_voucher(reversal, user)
    original.status = Voucher.Status.REVERSED
    original.save()
    return posted
