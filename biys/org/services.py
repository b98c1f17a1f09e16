"""Organization workflows. Each runs in one transaction: a failed step writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core.calendar import get_calendar
from biys.org.directives import parse_directive
from biys.org.handover import collect, unsettled
from biys.org.models import (
    Acknowledgement,
    Departure,
    Directive,
    DirectiveVersion,
    Duty,
    DutyAssignment,
    HandoverItem,
    Staff,
    Unit,
)

ACKNOWLEDGE_WITHIN_BUSINESS_DAYS = 5  # Mersin md. 10/3
REVIEW_EVERY_DAYS = 365  # Mersin md. 13/1, 12/2


# --- Who is responsible today ---------------------------------------------------------------------


@dataclass(frozen=True)
class Responsible:
    staff: Staff | None
    assignment: DutyAssignment | None
    as_deputy: bool = False


def responsible_for(duty: Duty, on: date | None = None) -> Responsible:
    """The holder of ``duty`` on a date, or their deputy while the holder is on leave."""
    on = on or timezone.localdate()
    assignments = (
        DutyAssignment.objects.filter(duty=duty)
        .filter(DutyAssignment.valid_on(on))
        .select_related("staff", "deputy")
        .order_by("-valid_from", "-id")
    )
    for assignment in assignments:
        if _available(assignment.staff, on):
            return Responsible(assignment.staff, assignment)
        if assignment.deputy is not None and _available(assignment.deputy, on):
            return Responsible(assignment.deputy, assignment, as_deputy=True)
    return Responsible(None, assignments[0] if assignments else None)


def _available(staff: Staff, on: date) -> bool:
    return staff.is_active and not staff.on_leave(on)


def unassigned_duties(on: date | None = None) -> QuerySet[Duty]:
    on = on or timezone.localdate()
    held = DutyAssignment.objects.filter(duty=OuterRef("pk")).filter(DutyAssignment.valid_on(on))
    return Duty.objects.filter(is_active=True).exclude(Exists(held))


# --- Directive acknowledgement ------------------------------------------------------------------


def acknowledgement_due(staff: Staff, version: DirectiveVersion) -> date:
    """Five business days from the later of the start date and the version's effective date."""
    start = max(filter(None, [staff.start_date, version.effective_date]))
    return get_calendar().add_business_days(start, ACKNOWLEDGE_WITHIN_BUSINESS_DAYS)


def staff_bound_by(directive: Directive) -> QuerySet[Staff]:
    return Staff.objects.filter(unit__path__startswith=directive.unit.path, status=Staff.Status.ACTIVE)


@transaction.atomic
def acknowledge(version: DirectiveVersion, staff: Staff, user: Any) -> Acknowledgement:
    if staff.user_id != user.pk:
        raise ValidationError(_("You can only acknowledge a directive for yourself."))
    if not version.is_current:
        raise ValidationError(_("This version has been superseded; acknowledge the current version instead."))
    if not staff_bound_by(version.directive).filter(pk=staff.pk).exists():
        raise ValidationError(_("This directive does not apply to your unit."))
    if Acknowledgement.objects.filter(version=version, staff=staff).exists():
        raise ValidationError(_("You have already acknowledged this version."))
    return Acknowledgement.objects.create(version=version, staff=staff, user=user)


@dataclass(frozen=True)
class PendingAcknowledgement:
    staff: Staff
    version: DirectiveVersion
    due: date

    @property
    def overdue(self) -> bool:
        return self.due < timezone.localdate()


def pending_acknowledgements(
    directive: Directive, staff: QuerySet[Staff] | None = None
) -> list[PendingAcknowledgement]:
    version = directive.current_version()
    if version is None:
        return []
    done = Acknowledgement.objects.filter(version=version, staff=OuterRef("pk"))
    people = staff_bound_by(directive)
    if staff is not None:
        people = people.filter(pk__in=staff.values("pk"))
    people = people.exclude(Exists(done)).select_related("unit")
    return [PendingAcknowledgement(person, version, acknowledgement_due(person, version)) for person in people]


def review_due(directive: Directive) -> date:
    """A year after the last review; never reviewed: a year after the current version took effect."""
    last = directive.reviews.order_by("-reviewed_on").first()
    version = directive.current_version()
    if last is not None:
        since = last.reviewed_on
    elif version is not None:
        since = version.effective_date
    else:
        since = timezone.localdate(directive.created_at)
    return since + timedelta(days=REVIEW_EVERY_DAYS)


# --- Duty catalog -------------------------------------------------------------------------------


@transaction.atomic
def load_duties(directive: Directive, text: str) -> tuple[int, int]:
    """(Re)load a directive's duty items from its text; returns (created, updated).

    Items are matched on their reference; items that disappeared are marked not in force,
    never deleted, because assignments and history point at them.
    """
    items = parse_directive(text, directive.source_name)
    if not items:
        raise ValidationError(_("No duty items were found in the text."))
    units = {unit.search_key: unit for unit in Unit.objects.filter(path__startswith=directive.unit.path)}
    existing = {duty.ref: duty for duty in directive.duties.all()}
    created = updated = 0
    for order, item in enumerate(items):
        duty = existing.pop(item.ref, None) or Duty(directive=directive, ref=item.ref)
        is_new = duty.pk is None
        duty.article, duty.paragraph, duty.item = item.article, item.paragraph, item.item
        duty.text, duty.unit_hint, duty.sort_order, duty.is_active = item.text, item.unit_hint, order, True
        if duty.unit_id is None:
            duty.unit = match_unit(item.unit_hint, units) or directive.unit
        duty.save()
        created, updated = created + is_new, updated + (not is_new)
    for duty in existing.values():
        duty.is_active = False
        duty.save()
    return created, updated


def match_unit(hint: str, units: dict[str, Unit]) -> Unit | None:
    from biys.core.text import search_key

    key = search_key(hint)
    if not key:
        return None
    for unit_key, unit in units.items():
        if unit_key.startswith(key) or key.startswith(search_key(unit.name)):
            return unit
    return None


# --- Departure and handover ------------------------------------------------------------------


@transaction.atomic
def prepare_handover(departure: Departure) -> list[HandoverItem]:
    """List everything the departing person holds; replaces an earlier, not yet accepted list."""
    departure.require_status(Departure.Status.DRAFT, Departure.Status.PREPARED)
    departure.items.all().delete()
    items = [
        HandoverItem.objects.create(
            departure=departure,
            kind=line.kind,
            reference=line.reference[:100],
            description=line.description,
            source=line.source,
            position=position,
        )
        for position, line in enumerate(collect(departure.staff))
    ]
    departure.status = Departure.Status.PREPARED
    departure.prepared_at = timezone.now()
    departure.save()
    if departure.staff.status == Staff.Status.ACTIVE:
        departure.staff.status = Staff.Status.LEAVING
        departure.staff.save()
    return items


@transaction.atomic
def accept_handover(departure: Departure, user: Any) -> Departure:
    departure.check_can_accept(user)
    departure.status = Departure.Status.ACCEPTED
    departure.accepted_at = timezone.now()
    departure.accepted_by = user
    departure.save()
    return departure


@transaction.atomic
def complete_departure(departure: Departure) -> Departure:
    """End the person's duties (passing them to the successor), close the record, lock the account."""
    if departure.status != Departure.Status.ACCEPTED:
        raise ValidationError(_("A departure can only be completed after the successor has accepted the handover."))
    staff, successor = departure.staff, departure.successor
    open_lines = unsettled(staff)
    if open_lines:
        raise ValidationError(
            _("These must be returned or handed over first (TMY md. 5/4): %(items)s")
            % {"items": "; ".join(f"{line.reference} {line.description}".strip() for line in open_lines)}
        )
    for assignment in DutyAssignment.objects.filter(staff=staff).filter(DutyAssignment.valid_on(departure.last_day)):
        assignment.valid_until = departure.last_day
        assignment.save()
        if successor is not None:
            DutyAssignment.objects.create(
                duty=assignment.duty,
                staff=successor,
                deputy=assignment.deputy if assignment.deputy_id != successor.pk else None,
                valid_from=departure.last_day + timedelta(days=1),
                note=_("Taken over from %(name)s") % {"name": staff},
            )
    dead = departure.reason == Departure.Reason.DEATH
    staff.status = Staff.Status.DECEASED if dead else Staff.Status.LEFT
    staff.end_date = departure.last_day
    staff.save()
    if staff.user_id is not None:
        staff.user.is_active = False
        staff.user.save()
    departure.status = Departure.Status.COMPLETED
    departure.completed_at = timezone.now()
    departure.save()
    return departure


@transaction.atomic
def cancel_departure(departure: Departure) -> Departure:
    """A departure entered by mistake or called off: kept on record, the person is active again."""
    departure.require_status(Departure.Status.DRAFT, Departure.Status.PREPARED, Departure.Status.ACCEPTED)
    departure.status = Departure.Status.CANCELLED
    departure.save()
    if departure.staff.status == Staff.Status.LEAVING:
        departure.staff.status = Staff.Status.ACTIVE
        departure.staff.save()
    return departure
