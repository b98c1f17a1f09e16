"""Custody workflows: the Taşınır Teslim Belgesi (TMY md. 10/1-b) and the Dayanıklı Taşınırlar Listesi (md. 10/1-ç).

A custody move never writes a VİF (TMY md. 18/3): the asset stays on its depot's books, only the person
holding it changes. Each workflow runs in one transaction; a refused step writes nothing and says why,
naming the sicil no of every asset that stops it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.inventory.models import Asset, CustodyDocument, CustodyItem, Location, SharedAreaList
from biys.inventory.numbering import next_number
from biys.inventory.register.services import is_ready_for_handover
from biys.org.models import Departure, Staff

Status = Asset.Status

# Only an item on hand and in working order can be handed to a person; the rest are away, broken or gone.
HANDABLE_STATUSES = (Status.IN_DEPOT, Status.COMMISSIONING, Status.IN_USE)
# Items that have left the inventory are no longer in any room (TMY md. 27-28).
GONE_STATUSES = (Status.SCRAPPED, Status.LOST, Status.TRANSFERRED)
CONDITION_MAX = CustodyItem._meta.get_field("condition").max_length or 200


def _fmt(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def _today() -> date:
    return timezone.localdate()


def document_label(document: CustodyDocument) -> str:
    return f"{document.year}/{document.number}"


def officer_of(user: Any) -> Staff:
    """The signed-in officer as a staff member: a Teslim Belgesi names who handed over or took back."""
    staff: Staff | None = getattr(user, "staff", None)
    if staff is None:
        raise ValidationError(
            _("Your user account is not linked to a staff record; the form must name the officer who signs it.")
        )
    return staff


# --- Which assets may be handed over ------------------------------------------------------------------


def ready_q() -> Q:
    """``is_ready_for_handover`` as a filter, for listing candidates (Nizip md. 12/49)."""
    commissioned = Q(kind__needs_commissioning=False) | Q(commissioning__completed_at__isnull=False)
    return commissioned & ~Q(status=Status.COMMISSIONING)


def open_items() -> QuerySet[CustodyItem]:
    return CustodyItem.objects.filter(returned_at__isnull=True)


def handable(assets: QuerySet[Asset]) -> QuerySet[Asset]:
    """Assets free to hand over now: usable, commissioned where needed, held by nobody."""
    held = open_items().filter(asset=OuterRef("pk"))
    return assets.filter(holder__isnull=True, status__in=HANDABLE_STATUSES).filter(ready_q()).exclude(Exists(held))


def held_by(staff: Staff) -> QuerySet[CustodyItem]:
    """What a person holds now, as open lines of their Teslim Belgeleri."""
    return open_items().filter(document__staff=staff).select_related("asset__kind", "document")


# --- Issue -------------------------------------------------------------------------------------------


def _staff_problems(staff: Staff) -> list[str]:
    if staff.status == Staff.Status.ACTIVE:
        return []
    return [
        _("%(staff)s cannot receive items: their status is “%(status)s”.")
        % {"staff": staff, "status": staff.get_status_display()}
    ]


def _date_problems(on: date) -> list[str]:
    return [_("The date cannot be in the future.")] if on > _today() else []


def _asset_problems(asset: Asset, open_item: CustodyItem | None, last_return: date | None, on: date) -> list[str]:
    sicil = asset.sicil_no
    if open_item is not None:
        document = open_item.document
        held = _("%(sicil_no)s is already held by %(holder)s (Teslim Belgesi %(document)s).")
        return [held % {"sicil_no": sicil, "holder": document.staff, "document": document_label(document)}]
    if asset.holder_id is not None:
        return [_("%(sicil_no)s is already held by %(holder)s.") % {"sicil_no": sicil, "holder": asset.holder}]
    if asset.status not in HANDABLE_STATUSES:
        return [
            _("%(sicil_no)s cannot be handed over while its status is “%(status)s”.")
            % {"sicil_no": sicil, "status": asset.get_status_display()}
        ]
    if not is_ready_for_handover(asset):
        return [
            _(
                "%(sicil_no)s has not completed its commissioning checklist "
                "(tested, installed, registered on the network — Nizip md. 12/49)."
            )
            % {"sicil_no": sicil}
        ]
    if last_return is not None and on < last_return:
        return [
            _("%(sicil_no)s was returned on %(date)s; a new handover cannot be dated earlier.")
            % {"sicil_no": sicil, "date": _fmt(last_return)}
        ]
    return []


def _lock_assets(assets: Iterable[Asset]) -> list[Asset]:
    pks = {asset.pk for asset in assets}
    locked = Asset.objects.select_for_update(of=("self",)).filter(pk__in=pks)
    return list(locked.select_related("kind", "holder").order_by("sicil_no"))


def _check_issue(staff: Staff, assets: list[Asset], on: date) -> None:
    problems = [*_staff_problems(staff), *_date_problems(on)]
    if not assets:
        problems.append(_("Choose at least one asset to hand over."))
    pks = [asset.pk for asset in assets]
    held = {item.asset_id: item for item in open_items().filter(asset_id__in=pks).select_related("document__staff")}
    returns = dict(
        CustodyItem.objects.filter(asset_id__in=pks).values_list("asset_id").annotate(last=Max("returned_at"))
    )
    for asset in assets:
        problems += _asset_problems(asset, held.get(asset.pk), returns.get(asset.pk), on)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def issue_custody(
    staff: Staff, assets: Iterable[Asset], issued_by: Staff, on: date | None = None, note: str = ""
) -> CustodyDocument:
    """Hand one or several assets to one person on one Taşınır Teslim Belgesi (TMY md. 10/1-b).

    No VİF is written (md. 18/3). The document is numbered from 1 each year.
    """
    on = on or _today()
    locked = _lock_assets(assets)
    _check_issue(staff, locked, on)
    document = CustodyDocument.objects.create(
        year=on.year,
        number=next_number(CustodyDocument.objects.filter(year=on.year)),
        date=on,
        staff=staff,
        unit_id=staff.unit_id,
        issued_by=issued_by,
        note=note,
    )
    for asset in locked:
        _add_item(document, asset)
        asset.holder = staff
        asset.status = Status.IN_USE
        asset.save()
    return document


def _add_item(document: CustodyDocument, asset: Asset) -> None:
    try:
        with transaction.atomic():
            CustodyItem.objects.create(document=document, asset=asset)
    except IntegrityError as exc:  # custody_one_open: someone handed it over a moment ago
        raise ValidationError(
            _("%(sicil_no)s was handed over by someone else a moment ago; reload the page and try again.")
            % {"sicil_no": asset.sicil_no}
        ) from exc


# --- Return and transfer ------------------------------------------------------------------------------


def _return_problems(item: CustodyItem, on: date) -> list[str]:
    sicil = item.asset.sicil_no
    if item.returned_at is not None:
        return [
            _("%(sicil_no)s was already returned on %(date)s.") % {"sicil_no": sicil, "date": _fmt(item.returned_at)}
        ]
    if on < item.document.date:
        return [
            _("%(sicil_no)s cannot be returned before it was handed over (%(date)s).")
            % {"sicil_no": sicil, "date": _fmt(item.document.date)}
        ]
    return []


@transaction.atomic
def return_custody(
    items: Iterable[CustodyItem], returned_to: Staff, on: date | None = None, condition: str = ""
) -> list[CustodyItem]:
    """The signed "geri alındı" part of the Teslim Belgesi: the items go back to the depot (no VİF, md. 18/3)."""
    on = on or _today()
    pks = {item.pk for item in items}
    locked = list(
        CustodyItem.objects.select_for_update(of=("self",))
        .filter(pk__in=pks)
        .select_related("document", "asset")
        .order_by("asset__sicil_no")
    )
    problems = _date_problems(on) + ([] if locked else [_("Choose at least one item to take back.")])
    if len(condition) > CONDITION_MAX:
        problems.append(_("The condition note is limited to %(max)d characters.") % {"max": CONDITION_MAX})
    for item in locked:
        problems += _return_problems(item, on)
    if problems:
        raise ValidationError(problems)
    for item in locked:
        item.returned_at, item.returned_to, item.condition = on, returned_to, condition
        item.save()
        asset = item.asset
        asset.holder = None
        if asset.status == Status.IN_USE:  # an item reported lost or sent for repair keeps that status
            asset.status = Status.IN_DEPOT
        asset.save()
    return locked


@transaction.atomic
def transfer_items(
    items: Iterable[CustodyItem], to_staff: Staff, by: Staff, on: date | None = None, note: str = ""
) -> CustodyDocument:
    """Take items back from their holder and hand them to ``to_staff`` on one new Teslim Belgesi."""
    on = on or _today()
    items = list(CustodyItem.objects.filter(pk__in=[i.pk for i in items]).select_related("document__staff", "asset"))
    already = [item.asset.sicil_no for item in items if item.document.staff_id == to_staff.pk]
    if already:
        raise ValidationError(
            _("%(staff)s already holds %(sicil_nos)s.") % {"staff": to_staff, "sicil_nos": ", ".join(already)}
        )
    previous = sorted({document_label(item.document) for item in items})
    holders = sorted({str(item.document.staff) for item in items})
    condition = (_("Handed to %(staff)s") % {"staff": to_staff})[:CONDITION_MAX]
    returned = return_custody(items, returned_to=by, on=on, condition=condition)
    note = note or _("Taken over from %(holders)s (Teslim Belgesi %(documents)s).") % {
        "holders": ", ".join(holders),
        "documents": ", ".join(previous),
    }
    return issue_custody(to_staff, [item.asset for item in returned], issued_by=by, on=on, note=note)


def transfer_custody(asset: Asset, to_staff: Staff, by: Staff, on: date | None = None) -> CustodyDocument:
    """Hand an item held by one person straight to another (e.g. a successor), in one transaction."""
    item = open_items().filter(asset=asset).first()
    if item is None:
        raise ValidationError(
            _("%(sicil_no)s is not held by anyone; hand it over with a new Teslim Belgesi instead.")
            % {"sicil_no": asset.sicil_no}
        )
    return transfer_items([item], to_staff, by, on)


def hand_all_to_successor(departure: Departure, by: Staff, on: date | None = None) -> CustodyDocument:
    """Everything the departing person holds, to their successor on one new Teslim Belgesi (TMY md. 5/4)."""
    if not departure.is_open:
        raise ValidationError(_("This departure is closed."))
    if departure.successor is None:
        raise ValidationError(_("Name a successor before handing the items over."))
    items = list(held_by(departure.staff))
    if not items:
        raise ValidationError(_("%(staff)s holds no items.") % {"staff": departure.staff})
    note = _("Handed to the successor on the departure of %(staff)s (TMY md. 5/4).") % {"staff": departure.staff}
    return transfer_items(items, departure.successor, by, on, note=note)


# --- Dayanıklı Taşınırlar Listesi ---------------------------------------------------------------------


def area_assets(location: Location) -> QuerySet[Asset]:
    """Durable items standing in a shared area that no person holds (TMY md. 10/1-ç)."""
    held = open_items().filter(asset=OuterRef("pk"))
    return (
        Asset.objects.filter(location=location, holder__isnull=True)
        .exclude(status__in=GONE_STATUSES)
        .exclude(Exists(held))
        .order_by("sicil_no")
    )


@transaction.atomic
def create_shared_area_list(
    location: Location, on: date | None = None, responsible: Staff | None = None
) -> SharedAreaList:
    """Snapshot the unheld items of a location into a new list, to be signed by the area's responsible."""
    on = on or _today()
    responsible = responsible or location.responsible
    if responsible is None:
        raise ValidationError(
            {"location": _("%(location)s has no area responsible; name one first.") % {"location": location}}
        )
    problems = _date_problems(on) + _staff_problems(responsible)
    assets = list(area_assets(location).values_list("pk", flat=True))
    if not assets:
        problems.append(_("No unheld items are recorded at %(location)s.") % {"location": location})
    if problems:
        raise ValidationError(problems)
    area_list = SharedAreaList.objects.create(location=location, date=on, responsible=responsible)
    area_list.assets.set(assets)
    return area_list


def can_sign(area_list: SharedAreaList, user: Any) -> bool:
    # TMY md. 10/1-ç: signed by the area's responsible (or the unit official acting for them).
    own = area_list.responsible.user_id is not None and area_list.responsible.user_id == user.pk
    return own or bool(user.has_perm("inventory.change_sharedarealist"))


@transaction.atomic
def sign_shared_area_list(area_list: SharedAreaList, user: Any) -> SharedAreaList:
    rows = SharedAreaList.objects.select_for_update(of=("self",)).select_related("responsible", "signed_by")
    locked = rows.get(pk=area_list.pk)
    if locked.signed_by is not None:
        name = locked.signed_by.get_full_name() or locked.signed_by.get_username()
        raise ValidationError(_("This list has already been signed by %(user)s.") % {"user": name})
    if not can_sign(locked, user):
        raise PermissionDenied
    locked.signed_by = user
    locked.save()
    return locked
