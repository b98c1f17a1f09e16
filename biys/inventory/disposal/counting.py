"""Counts (sayım, TMY md. 32-34): lines from the records, scanning, the second count of differences, closing.

A count covers a depot (every item recorded in it, and its stock) or one shared area (the items at that
location). Items held on a Taşınır Teslim Belgesi, or away for repair or on loan, are taken from the records
without a physical count (md. 32/5): their line is filled in when the count opens and nobody "scans" it.
Differences of the first count are counted a second time (md. 32); closing posts a count-shortage exit VİF
and a count-surplus entry VİF, and opens a draft Kayıttan Düşme Teklif ve Onay Tutanağı for missing assets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.inventory import vouchers
from biys.inventory.disposal.services import GONE, OPEN_COUNT, asset_line
from biys.inventory.models import (
    Asset,
    CountLine,
    CountSession,
    Depot,
    Location,
    ScrapProposal,
    StockItem,
    StockLot,
    Voucher,
)
from biys.inventory.models.disposal import MIN_COMMISSION
from biys.inventory.movements import services as movements
from biys.inventory.movements import stock

ZERO = Decimal("0")
ONE = Decimal("1")
# Away from the depot on a document of their own: taken from the records like custody items.
AWAY = (Asset.Status.IN_REPAIR, Asset.Status.AT_VENDOR, Asset.Status.LENT)
COUNT_DOCUMENT = "Sayım Tutanağı"


# --- Which lines are which ----------------------------------------------------------------------------------


def records_only_q() -> Q:
    """Lines taken from the records (md. 32/5): filled in when the count opened, never scanned."""
    return Q(asset__isnull=False, scanned_by__isnull=True, first_count__isnull=False)


def is_records_only(line: CountLine) -> bool:
    return line.asset_id is not None and line.scanned_by_id is None and line.first_count is not None


def first_differences(lines: QuerySet[CountLine]) -> QuerySet[CountLine]:
    """Lines whose first count differs from the records: these are counted a second time (md. 32)."""
    first = Coalesce("first_count", Value(ZERO), output_field=DecimalField(max_digits=12, decimal_places=3))
    return lines.exclude(records_only_q()).annotate(first=first).exclude(first=F("expected"))


def is_difference(line: CountLine) -> bool:
    return not is_records_only(line) and (line.first_count or ZERO) != line.expected


def final_count(line: CountLine) -> Decimal:
    """What the count found: the second count for differences (missing means not found), else the first."""
    if is_difference(line):
        return line.second_count if line.second_count is not None else ZERO
    return line.first_count if line.first_count is not None else ZERO


def describe(line: CountLine) -> str:
    return str(line.asset) if line.asset_id else str(line.stock_item)


def count_reference(session: CountSession) -> str:
    """The source document of the VİFs a count posts; also how they are found again."""
    return f"{COUNT_DOCUMENT} {session.depot.code}/{session.pk} ({session.date:%d.%m.%Y})"


def count_vouchers(session: CountSession) -> QuerySet[Any]:
    return session.depot.vouchers.filter(
        kind__in=("count_shortage", "count_surplus"), source_document=count_reference(session)
    ).order_by("id")


# --- Opening -----------------------------------------------------------------------------------------------


def board_problems(depot: Depot, member_ids: set[int]) -> list[str]:
    """TMY md. 32: a count board of at least three, the depot's records officer among them."""
    problems = []
    if len(member_ids) < MIN_COMMISSION:
        problems.append(_("The count board needs at least %(count)d members (TMY md. 32).") % {"count": MIN_COMMISSION})
    if depot.records_officer_id is None:
        problems.append(_("The depot has no records officer; set one before counting it (TMY md. 32)."))
    elif depot.records_officer_id not in member_ids:
        problems.append(
            _("The depot's records officer (%(officer)s) must be on the count board (TMY md. 32).")
            % {"officer": depot.records_officer}
        )
    return problems


@transaction.atomic
def open_count(
    depot: Depot,
    on: date,
    board: Iterable[Any],
    *,
    location: Location | None = None,
    freeze_movements: bool = True,
) -> CountSession:
    """Open a count and list what the records say is there."""
    Depot.objects.select_for_update(of=("self",)).filter(pk=depot.pk).first()  # one open count per depot at a time
    members = list(board)
    problems = board_problems(depot, {member.pk for member in members})
    if CountSession.objects.filter(depot=depot, status__in=OPEN_COUNT).exists():
        problems.append(_("A count of this depot is already open; close it first."))
    if problems:
        raise ValidationError(problems)
    session = CountSession(depot=depot, location=location, date=on, freeze_movements=freeze_movements)
    session.full_clean()
    session.save()
    session.board.set(members)
    generate_lines(session)
    return session


def generate_lines(session: CountSession) -> None:
    assets = Asset.objects.filter(depot=session.depot).exclude(status__in=GONE)
    if session.location_id is not None:
        assets = assets.filter(location_id=session.location_id)
    for asset in assets.only("pk", "status", "holder_id").order_by("sicil_no").iterator():
        from_records = asset.holder_id is not None or asset.status in AWAY
        CountLine.objects.create(session=session, asset=asset, expected=ONE, first_count=ONE if from_records else None)
    if session.location_id is None:  # stock is kept in the depot itself, not in shared areas
        for item in StockItem.objects.filter(depot=session.depot).order_by("name").iterator():
            CountLine.objects.create(session=session, stock_item=item, expected=item.quantity_on_hand)


# --- Counting ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanResult:
    outcome: str  # found, recounted, again, records, not_recounted, elsewhere, unknown
    message: str
    line: CountLine | None = None
    asset: Asset | None = None

    @property
    def counted(self) -> bool:
        return self.outcome in ("found", "recounted", "elsewhere")


def _open_session(session: CountSession) -> CountSession:
    locked = CountSession.objects.select_for_update(of=("self",)).select_related("depot").get(pk=session.pk)
    if locked.status == CountSession.Status.CLOSED:
        raise ValidationError(_("This count is closed."))
    return locked


@transaction.atomic
def scan(session: CountSession, code: str, user: Any) -> ScanResult:
    """A counter entered or scanned a sicil no (the label's QR code carries it)."""
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("Enter or scan a registry number.")})
    if len(code) > 40:
        return ScanResult("unknown", _("“%(code)s” is not a registry number.") % {"code": code[:60]})
    session = _open_session(session)
    line = session.lines.select_related("asset__holder").filter(asset__sicil_no=code).first()
    if line is None:
        return _not_listed(session, code, user)
    names = {"asset": line.asset}
    if is_records_only(line):
        return ScanResult(
            "records", _("%(asset)s is taken from the records (TMY md. 32/5); no count needed.") % names, line
        )
    if session.status == CountSession.Status.OPEN:
        if line.first_count:
            return ScanResult("again", _("%(asset)s was already counted.") % names, line)
        line.first_count = ONE
    else:
        if not is_difference(line):
            return ScanResult(
                "not_recounted", _("%(asset)s matched in the first count; only differences are recounted.") % names
            )
        if line.second_count:
            return ScanResult("again", _("%(asset)s was already recounted.") % names, line)
        line.second_count = ONE
    line.scanned_by = user
    line.save()
    outcome = "found" if session.status == CountSession.Status.OPEN else "recounted"
    return ScanResult(outcome, _("%(asset)s found.") % names, line, line.asset)


def _not_listed(session: CountSession, code: str, user: Any) -> ScanResult:
    asset = Asset.objects.select_related("depot", "location").filter(sicil_no=code).first()
    if asset is None:
        return ScanResult(
            "unknown",
            _("“%(code)s” is not in the register: a surplus candidate. Register it after the count.") % {"code": code},
        )
    place = " / ".join(str(part) for part in (asset.depot, asset.location, asset.get_status_display()) if part)
    names = {"asset": asset, "place": place}
    if session.status != CountSession.Status.OPEN:
        return ScanResult(
            "unknown",
            _("%(asset)s is recorded elsewhere (%(place)s); new items are noted in the first count only.") % names,
            asset=asset,
        )
    line = CountLine.objects.create(session=session, asset=asset, expected=ZERO, first_count=ONE, scanned_by=user)
    return ScanResult(
        "elsewhere", _("%(asset)s is recorded elsewhere (%(place)s): noted as a surplus here.") % names, line, asset
    )


@transaction.atomic
def undo(session: CountSession, line: CountLine, user: Any) -> CountLine:
    """Take back a mistaken scan of the current round."""
    session = _open_session(session)
    line = session.lines.select_for_update(of=("self",)).get(pk=line.pk)
    if line.asset_id is None or is_records_only(line):
        raise ValidationError(_("Only a scanned asset can be taken back."))
    if session.status == CountSession.Status.OPEN:
        line.first_count = None
    else:
        line.second_count = None
    line.scanned_by = user
    line.save()
    return line


@transaction.atomic
def record_quantity(session: CountSession, line: CountLine, quantity: Decimal, user: Any) -> CountLine:
    """The counted quantity of a stock item, in the current round."""
    if quantity is None or quantity < 0:
        raise ValidationError({"quantity": _("The counted quantity cannot be negative.")})
    session = _open_session(session)
    line = session.lines.select_for_update(of=("self",)).select_related("stock_item").get(pk=line.pk)
    if line.stock_item_id is None:
        raise ValidationError(_("Assets are counted by scanning their registry number."))
    if session.status == CountSession.Status.OPEN:
        line.first_count = quantity
    elif is_difference(line):
        line.second_count = quantity
    else:
        raise ValidationError(
            _("%(item)s matched in the first count; only differences are recounted.") % {"item": line.stock_item}
        )
    line.scanned_by = user
    line.save()
    return line


def _uncounted_stock(lines: QuerySet[CountLine], round_field: str) -> None:
    missing = [str(line.stock_item) for line in lines.filter(**{f"{round_field}__isnull": True})[:10]]
    if missing:
        raise ValidationError(
            _("Enter the counted quantity of every stock item first: %(items)s.") % {"items": ", ".join(missing)}
        )


@transaction.atomic
def start_second_count(session: CountSession) -> CountSession:
    """Differences are counted twice (TMY md. 32): only the lines that differ stay to be counted."""
    session = _open_session(session)
    if session.status != CountSession.Status.OPEN:
        raise ValidationError(_("The second count has already started."))
    _uncounted_stock(session.lines.filter(stock_item__isnull=False).select_related("stock_item"), "first_count")
    if not first_differences(session.lines.all()).exists():
        raise ValidationError(_("There are no differences to count again; close the count."))
    session.status = CountSession.Status.SECOND
    session.save()
    return session


# --- Closing ----------------------------------------------------------------------------------------------


@dataclass
class CountOutcome:
    session: CountSession
    shortages: list[tuple[CountLine, Decimal]] = field(default_factory=list)
    surpluses: list[tuple[CountLine, Decimal]] = field(default_factory=list)
    vouchers: list[Any] = field(default_factory=list)
    loss_proposal: ScrapProposal | None = None


def differences(session: CountSession) -> tuple[list[tuple[CountLine, Decimal]], list[tuple[CountLine, Decimal]]]:
    """(shortages, surpluses) as (line, quantity) by the final count of each line."""
    lines = session.lines.select_related("asset__kind", "asset__tasinir_code", "stock_item__tasinir_code")
    shortages, surpluses = [], []
    for line in lines.order_by("id"):
        delta = final_count(line) - line.expected
        if delta < 0:
            shortages.append((line, -delta))
        elif delta > 0:
            surpluses.append((line, delta))
    return shortages, surpluses


@transaction.atomic
def close_count(session: CountSession, user: Any, on: date | None = None) -> CountOutcome:
    """Close the count: shortage and surplus VİFs, and a draft write-off (KDTOT) for missing assets."""
    if not user.has_perm("inventory.post_voucher"):
        raise PermissionDenied
    session = _open_session(session)
    stock = session.lines.filter(stock_item__isnull=False).select_related("stock_item")
    if session.status == CountSession.Status.OPEN:
        _uncounted_stock(stock, "first_count")
        if first_differences(session.lines.all()).exists():
            raise ValidationError(_("Differences are counted twice (TMY md. 32): start the second count first."))
    else:
        _uncounted_stock(first_differences(stock), "second_count")
    on = on or max(timezone.localdate(), session.date)
    session.status = CountSession.Status.CLOSED  # closed first: the movement freeze ends with the count
    session.save()
    outcome = CountOutcome(session, *differences(session))
    _post_results(outcome, user, on)
    return outcome


def _post_results(outcome: CountOutcome, user: Any, on: date) -> None:
    session = outcome.session
    missing = [line.asset for line, _qty in outcome.shortages if line.asset_id]
    stock_short = [(line.stock_item, qty) for line, qty in outcome.shortages if line.stock_item_id]
    stock_surplus = [(line.stock_item, qty) for line, qty in outcome.surpluses if line.stock_item_id]
    if missing:
        draft = _draft(session, Voucher.Kind.COUNT_SHORTAGE, [asset_line(asset) for asset in missing], on)
        voucher = movements.post_and_receive(draft, user)
        outcome.vouchers.append(voucher)
        outcome.loss_proposal = _loss_proposal(session, missing, voucher, on)
    if stock_short:
        outcome.vouchers.append(_post_stock_shortage(session, stock_short, user, on))
    if stock_surplus:
        lines = [_stock_line(item, qty, _latest_price(item)) for item, qty in stock_surplus]
        # md. 17: the surplus enters as new lots (``post_and_receive``), valued at the latest known price.
        draft = _draft(session, Voucher.Kind.COUNT_SURPLUS, lines, on)
        outcome.vouchers.append(movements.post_and_receive(draft, user))


def _draft(session: CountSession, kind: str, lines: list[vouchers.Line], on: date) -> Voucher:
    return vouchers.create_voucher(
        session.depot, kind, on, lines, source_document=count_reference(session), source_date=session.date
    )


def _stock_line(item: StockItem, quantity: Decimal, price: Decimal) -> vouchers.Line:
    return vouchers.Line(item.tasinir_code, item.name, quantity, price, item.unit_of_measure, stock_item=item)


def _post_stock_shortage(
    session: CountSession, shortages: list[tuple[StockItem, Decimal]], user: Any, on: date
) -> Voucher:
    """The missing stock leaves from the oldest lots first, at their entry prices (FIFO, TMY md. 22/4)."""
    items = stock.lock_items(item.pk for item, _qty in shortages)
    plan = [(items[item.pk], stock.allocate(items[item.pk], qty)) for item, qty in shortages]
    lines = [_stock_line(item, part.quantity, part.lot.unit_price) for item, parts in plan for part in parts]
    draft = _draft(session, Voucher.Kind.COUNT_SHORTAGE, lines, on)
    created = iter(draft.lines.order_by("id"))
    reference = count_reference(session)[:40]
    for item, parts in plan:
        stock.consume(item, parts, [next(created) for _part in parts], session.depot.unit, reference, on)
    return movements.post_and_receive(draft, user)


def _latest_price(item: StockItem) -> Decimal:
    latest = StockLot.objects.filter(stock_item=item).order_by("-received_on", "-id").first()
    return latest.unit_price if latest is not None else ZERO


def _loss_proposal(session: CountSession, assets: list[Asset], voucher: Any, on: date) -> ScrapProposal:
    # TMY md. 32-33: a count shortage is written off by a Kayıttan Düşme Teklif ve Onay Tutanağı; it is left
    # as a draft for the records officer and the harcama yetkilisi, never approved automatically.
    proposal = ScrapProposal(
        depot=session.depot,
        year=on.year,
        date=on,
        disposal=ScrapProposal.Disposal.LOSS,
        reason=_("Count shortage found by the count board (TMY md. 32), see %(report)s and %(voucher)s.")
        % {"report": count_reference(session), "voucher": voucher},
        exit_voucher=voucher,
    )
    proposal.save()
    proposal.assets.set(assets)
    proposal.commission.set(session.board.all())
    return proposal


def summary(session: CountSession) -> dict[str, int]:
    """Counts for the pages: lines, to count, counted, from records, differences."""
    lines = session.lines.all()
    records = lines.filter(records_only_q()).count()
    physical_assets = lines.filter(asset__isnull=False).exclude(records_only_q())
    return {
        "lines": lines.count(),
        "records": records,
        "assets": physical_assets.filter(expected__gt=0).count(),
        "found": physical_assets.filter(expected__gt=0, first_count__gt=0).count(),
        "surplus": physical_assets.filter(expected=0, first_count__gt=0).count(),
        "stock": lines.filter(stock_item__isnull=False).count(),
        "stock_counted": lines.filter(stock_item__isnull=False, first_count__isnull=False).count(),
        "differences": first_differences(lines).count(),
        "recounted": first_differences(lines).filter(second_count__isnull=False).count(),
    }


def rows(lines: Iterable[CountLine]) -> list[dict[str, Any]]:
    """Lines with their computed figures, for tables and the Sayım Tutanağı."""
    return [
        {
            "line": line,
            "records_only": is_records_only(line),
            "difference": is_difference(line),
            "final": final_count(line),
            "delta": final_count(line) - line.expected,
        }
        for line in lines
    ]
