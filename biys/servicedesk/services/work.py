"""Vendor cases, service forms and parts, ratings, auto-close, suggestions and the handover provider."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core.calendar import get_calendar
from biys.core.text import search_terms
from biys.servicedesk.choices import (
    DONE_STATUSES,
    OPEN_STATUSES,
    WAITING_STATUSES,
    FollowUpKind,
    Priority,
    Status,
    VendorCaseStatus,
)
from biys.servicedesk.models import (
    Article,
    FollowUp,
    Intervention,
    PartUsage,
    Satisfaction,
    Ticket,
    TicketSequence,
    VendorCase,
)
from biys.servicedesk.services.access import require_action


@dataclass(frozen=True)
class Cover:
    """Whether a device is under warranty or a maintenance contract, and whom to call."""

    covered: bool
    vendor: str = ""
    contact: str = ""
    contract: Any = None
    until: date | None = None


def warranty_cover(asset: Any, on: date | None = None) -> Cover:
    on = on or timezone.localdate()
    contract = asset.contract
    if contract is not None and contract.start_date <= on <= contract.end_date:
        return Cover(True, contract.vendor, contract.contact, contract, contract.end_date)
    if asset.warranty_end is not None and on <= asset.warranty_end:
        return Cover(True, getattr(asset, "supplier", "") or asset.brand, "", None, asset.warranty_end)
    return Cover(False)


@transaction.atomic
def open_vendor_case(
    ticket: Ticket,
    by: Any,
    *,
    vendor: str,
    sent_at: datetime | None = None,
    asset: Any = None,
    contract: Any = None,
    contact: str = "",
    vendor_reference: str = "",
    note: str = "",
) -> VendorCase:
    """Send the device to the vendor; the ticket waits for the vendor (its clock pauses)."""
    require_action(ticket, by, "vendor")
    case = VendorCase(
        ticket=ticket,
        asset=asset,
        contract=contract,
        vendor=(vendor or "").strip(),
        contact=contact,
        vendor_reference=vendor_reference,
        sent_at=sent_at or timezone.now(),
        note=note,
        created_by=by,
        updated_by=by,
    )
    case.full_clean()
    case.save()
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.status != Status.WAITING_VENDOR:
        if locked.status == Status.NEW or locked.status in WAITING_STATUSES:
            if locked.status in WAITING_STATUSES:
                locked.resume(by)
            if locked.status == Status.NEW:
                locked.start(by)
        locked.wait(Status.WAITING_VENDOR, by, _("Sent to %(vendor)s.") % {"vendor": case.vendor.rstrip(".")})
    return case


@transaction.atomic
def vendor_returned(
    case: VendorCase, by: Any, *, returned_at: datetime | None = None, service_form: Any = None, note: str = ""
) -> VendorCase:
    """The device is back; the vendor's service form (PDF) waits for a manager's approval."""
    require_action(case.ticket, by, "vendor")
    if case.status != VendorCaseStatus.SENT:
        raise ValidationError(_("This vendor case is already closed."))
    if service_form is not None:
        from biys.core.validators import validate_pdf_upload

        try:
            validate_pdf_upload(service_form)
        except ValidationError as exc:
            raise ValidationError({"service_form": exc.messages}) from exc
        case.service_form.save("form.pdf", service_form, save=False)
    case.returned_at = returned_at or timezone.now()
    case.status = VendorCaseStatus.RETURNED
    if note:
        case.note = f"{case.note}\n{note}".strip()
    case.full_clean()
    case.save()
    ticket = Ticket.objects.select_for_update().get(pk=case.ticket_id)
    if ticket.status == Status.WAITING_VENDOR and not ticket.vendor_cases.filter(status=VendorCaseStatus.SENT).exists():
        ticket.resume(by)
    return case


@transaction.atomic
def review_vendor_form(case: VendorCase, by: Any, *, approve: bool, note: str = "") -> VendorCase:
    """A manager approves or rejects the vendor's service form (Nizip md. 12/24)."""
    if not by.has_perm("servicedesk.approve_vendorcase"):
        raise PermissionDenied(_("Only a manager approves vendor service forms."))
    if case.status != VendorCaseStatus.RETURNED:
        raise ValidationError(_("Only a returned case's service form can be reviewed."))
    if not case.service_form:
        raise ValidationError({"service_form": _("Upload the vendor's service form first.")})
    case.status = VendorCaseStatus.APPROVED if approve else VendorCaseStatus.REJECTED
    case.approved_by, case.approved_at = by, timezone.now()
    if note:
        case.note = f"{case.note}\n{note}".strip()
    case.save()
    return case


@transaction.atomic
def record_intervention(
    ticket: Ticket,
    by: Any,
    *,
    started_at: datetime,
    ended_at: datetime,
    work_done: str,
    technician: Any = None,
    on_site: bool = True,
    place: str = "",
    signed_by: str = "",
    parts: Iterable[tuple[Any, Decimal]] = (),
) -> Intervention:
    """One visit or repair: a numbered servis formu (yearly numbers), its parts issued from the depot, and a
    work log entry with the time spent."""
    require_action(ticket, by, "form")
    year = timezone.localtime(started_at).year if started_at else timezone.localdate().year
    intervention = Intervention(
        ticket=ticket,
        year=year,
        number=0,
        technician=technician or by,
        started_at=started_at,
        ended_at=ended_at,
        on_site=on_site,
        place=place or (str(ticket.location) if ticket.location_id else ""),
        work_done=(work_done or "").strip(),
        signed_by=signed_by or ticket.requester_name or (str(ticket.requester) if ticket.requester_id else ""),
        created_by=by,
        updated_by=by,
    )
    intervention.full_clean(exclude=["year", "number"])
    # Yearly form numbers under the ticket sequence's lock of that year: one writer at a time.
    TicketSequence.objects.get_or_create(year=year)
    TicketSequence.objects.select_for_update().get(year=year)
    last = Intervention.objects.filter(year=year).order_by("-number").values_list("number", flat=True).first()
    intervention.number = (last or 0) + 1
    intervention.save()
    for stock_item, quantity in parts:
        use_part(ticket, by, stock_item, quantity, intervention=intervention)
    minutes = max(int(intervention.duration.total_seconds() // 60), 0)
    FollowUp.objects.create(
        ticket=ticket,
        kind=FollowUpKind.WORK,
        body=intervention.work_done,
        minutes=minutes,
        on_site=on_site,
        created_by=by,
        updated_by=by,
    )
    return intervention


@transaction.atomic
def use_part(
    ticket: Ticket, by: Any, stock_item: Any, quantity: Decimal, *, intervention: Intervention | None = None
) -> PartUsage:
    """A part used on the repair, issued FIFO on a consumption VİF whose written order is the ticket."""
    from biys.inventory.movements.services import issue_stock

    require_action(ticket, by, "parts")
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise ValidationError({"quantity": _("The quantity must be more than zero.")})
    voucher = issue_stock(stock_item, quantity, ticket.requester_unit, by, ticket_ref=f"#{ticket.reference}")
    return PartUsage.objects.create(
        ticket=ticket,
        intervention=intervention,
        stock_item=stock_item,
        quantity=quantity,
        voucher=voucher,
        created_by=by,
        updated_by=by,
    )


# -- satisfaction, closing, suggestions --------------------------------------------------------------------------


@transaction.atomic
def rate(ticket: Ticket, by: Any, score: int, comment: str = "") -> Satisfaction:
    """The requester's rating; rating a resolved ticket also confirms (closes) it."""
    require_action(ticket, by, "rate")
    satisfaction = Satisfaction(ticket=ticket, score=score, comment=(comment or "").strip(), created_by=by)
    satisfaction.full_clean()
    satisfaction.save()
    if ticket.status == Status.RESOLVED:
        Ticket.objects.select_for_update().get(pk=ticket.pk).close(by)
    return satisfaction


def auto_close(now: datetime | None = None, days: int | None = None) -> list[Ticket]:
    """Close tickets resolved ``BIYS_TICKET_AUTOCLOSE_DAYS`` business days ago without an answer."""
    now = now or timezone.now()
    days = days if days is not None else settings.BIYS_TICKET_AUTOCLOSE_DAYS
    calendar = get_calendar()
    closed = []
    for ticket in Ticket.objects.filter(status=Status.RESOLVED, resolved_at__isnull=False).order_by("resolved_at"):
        if calendar.add_business_days(ticket.resolved_at, days) <= timezone.localdate(now):
            with transaction.atomic():
                locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
                if locked.status == Status.RESOLVED:
                    locked.close(None, now)
                    closed.append(locked)
    return closed


def suggest(text: str, user: Any, *, limit: int = 5) -> tuple[list[Article], list[Ticket]]:
    """Articles and similar resolved tickets for what a requester is typing (Turkish-folded terms)."""
    terms = [t for t in search_terms(text or "") if len(t) >= 3][:6]
    if not terms:
        return [], []
    article_q = Q()
    ticket_q = Q()
    for term in terms:
        article_q |= Q(search_key__contains=term)
        ticket_q |= Q(search_key__contains=term)
    articles = list(Article.restrict(Article.objects.filter(article_q), user).order_by("-views", "title")[:limit])
    tickets = list(
        Ticket.restrict(Ticket.objects.filter(ticket_q, status__in=DONE_STATUSES[:2]), user)
        .exclude(resolution="")
        .only("id", "year", "number", "title", "resolution", "status")
        .order_by("-resolved_at")[:limit]
    )
    return articles, tickets


def handover_lines(staff: Any) -> Iterator[Any]:
    """Open tickets assigned to a departing person (a provider for ``BIYS_HANDOVER_PROVIDERS``)."""
    from biys.org.handover import HandoverLine
    from biys.org.models import HandoverItem

    if staff.user_id is None:
        return
    for ticket in Ticket.objects.filter(assignee_id=staff.user_id, status__in=OPEN_STATUSES).order_by("id"):
        yield HandoverLine(
            kind=HandoverItem.Kind.OPEN_WORK,
            reference=f"#{ticket.reference}",
            description=ticket.title,
            source=f"servicedesk.ticket:{ticket.pk}",
        )


PRIORITY_LABELS = dict(Priority.choices)
