"""Organization pages. Generic views give list/detail/edit/delete; workflow views call services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from biys.core import changelog
from biys.core.models import ChangeLogEntry
from biys.core.pdf import pdf_response
from biys.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    require,
    restrict,
)
from biys.org import filtersets, forms, services, tables
from biys.org.chart import build_chart
from biys.org.models import (
    Acknowledgement,
    Departure,
    Directive,
    DirectiveReview,
    DirectiveVersion,
    Duty,
    DutyAssignment,
    HandoverItem,
    Leave,
    Municipality,
    Position,
    Staff,
    Unit,
)

# --- Municipality ---------------------------------------------------------------------------


def municipality(request: HttpRequest) -> HttpResponse:
    require(request.user, Municipality, "view")
    instance = Municipality.objects.filter(pk=1).first()
    return render(
        request,
        "org/municipality.html",
        {"object": instance, "can_edit": request.user.has_perm("org.change_municipality")},
    )


class MunicipalityEditView(ObjectEditView):
    queryset = Municipality.objects.all()
    form = forms.MunicipalityForm

    def get_instance(self, request: HttpRequest, pk: Any) -> Any:
        instance = Municipality.objects.filter(pk=1).first()
        require(request.user, Municipality, "change" if instance else "add")
        return instance or Municipality()


# --- Units ----------------------------------------------------------------------------------------


class UnitListView(ObjectListView):
    queryset = Unit.objects.select_related("parent")
    filterset = filtersets.UnitFilterSet
    table = tables.UnitTable
    filter_fields = ("kind", "parent")


class UnitView(ObjectView):
    queryset = Unit.objects.select_related("parent", "manager")
    fields = (
        "name",
        "short_name",
        "code",
        "kind",
        "parent",
        "manager",
        "is_it",
        "building",
        "location",
        "phone",
        "email",
    )

    def get_extra_context(self, request: HttpRequest, instance: Unit) -> dict[str, Any]:
        staff = restrict(Staff.objects.filter(unit=instance), request.user).order_by("sort_name", "id")
        return {
            "ancestors": instance.ancestors(),
            "children": instance.children.order_by("name"),
            "unit_staff": staff[:100] if request.user.has_perm("org.view_staff") else None,
            "staff_count": staff.count() if request.user.has_perm("org.view_staff") else None,
        }


class UnitEditView(ObjectEditView):
    queryset = Unit.objects.all()
    form = forms.UnitForm


class UnitDeleteView(ObjectDeleteView):
    queryset = Unit.objects.all()


def unit_tree(request: HttpRequest) -> HttpResponse:
    """The whole tree in one query, indented by depth."""
    require(request.user, Unit, "view")
    units = list(
        restrict(Unit.objects.all(), request.user)
        .annotate(staff_total=Count("staff", filter=Q(staff__status__in=[Staff.Status.ACTIVE, Staff.Status.LEAVING])))
        .only("id", "name", "kind", "code", "depth", "path", "is_it")
        .order_by("path")
    )
    # One label dict and one URL prefix for the whole tree instead of 2 lookups per unit.
    labels, prefix = dict(Unit.Kind.choices), reverse("org:unit_list")
    for unit in units:
        unit.kind_label, unit.url = labels.get(unit.kind, unit.kind), f"{prefix}{unit.pk}/"
    return render(request, "org/unit_tree.html", {"units": units})


def org_chart(request: HttpRequest) -> HttpResponse:
    require(request.user, Unit, "view")
    # Mersin md. 5: the department's own chart by default; the whole municipality on request.
    root_id = request.GET.get("root")
    if root_id is None:
        it_root = Unit.objects.filter(is_it=True, is_active=True).order_by("depth", "pk").first()
        root_id = str(it_root.pk) if it_root else "all"
    units = restrict(Unit.objects.filter(is_active=True), request.user).select_related("manager")
    chart = build_chart(list(units.order_by("path")), root_id=int(root_id) if root_id.isdigit() else None)
    fmt = request.GET.get("format")
    context = {"chart": chart, "municipality": Municipality.cached(), "today": timezone.localdate()}
    if fmt == "svg":
        return HttpResponse(chart.svg, content_type="image/svg+xml")
    if fmt == "pdf":
        return pdf_response("org/chart_pdf.html", context, "teskilat-semasi.pdf", request)
    roots = Unit.objects.filter(Q(depth__lte=2) | Q(is_it=True), is_active=True).order_by("path")
    return render(request, "org/chart.html", {**context, "roots": roots, "root_id": root_id})


# --- Positions, staff, leave -----------------------------------------------------------------------


class PositionListView(ObjectListView):
    queryset = Position.objects.select_related("unit")
    filterset = filtersets.PositionFilterSet
    table = tables.PositionTable
    filter_fields = ("unit",)


class PositionView(ObjectView):
    queryset = Position.objects.select_related("unit")
    fields = ("name", "unit", "is_head", "description")


class PositionEditView(ObjectEditView):
    queryset = Position.objects.all()
    form = forms.PositionForm


class PositionDeleteView(ObjectDeleteView):
    queryset = Position.objects.all()


class StaffListView(ObjectListView):
    queryset = Staff.objects.select_related("unit")
    filterset = filtersets.StaffFilterSet
    table = tables.StaffTable
    filter_fields = ("unit", "status")


class StaffView(ObjectView):
    queryset = Staff.objects.select_related("unit", "position", "user")
    fields = (
        "first_name",
        "last_name",
        "registry_no",
        "title",
        "unit",
        "position",
        "work_phone",
        "email",
        "start_date",
        "end_date",
        "status",
        "user",
    )

    def get_extra_context(self, request: HttpRequest, instance: Staff) -> dict[str, Any]:
        today = timezone.localdate()
        assignments = DutyAssignment.objects.filter(staff=instance).filter(DutyAssignment.valid_on(today))
        return {
            "masked_tckn": changelog.mask(instance.tckn),
            "masked_mobile": changelog.mask(instance.mobile_phone),
            "can_reveal": request.user.has_perm("users.view_personal_data"),
            "assignments": assignments.select_related("duty", "deputy"),
            "deputy_for": DutyAssignment.objects.filter(deputy=instance)
            .filter(DutyAssignment.valid_on(today))
            .select_related("duty", "staff"),
            "leaves": instance.leaves.order_by("-start_date")[:10],
            "departures": instance.departures.all(),
        }


@require_POST
def staff_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a staff member's TCKN and personal phone; every look is logged (KVKK)."""
    require(request.user, Staff, "view")
    if not request.user.has_perm("users.view_personal_data"):
        raise PermissionDenied
    staff = get_object_or_404(restrict(Staff.objects.all(), request.user), pk=pk)
    changelog.append(ChangeLogEntry.Action.VIEW_PERSONAL, staff, after={"fields": ["tckn", "mobile_phone"]})
    return render(request, "org/inc/staff_personal.html", {"object": staff})


class StaffEditView(ObjectEditView):
    queryset = Staff.objects.all()
    form = forms.StaffForm


class StaffDeleteView(ObjectDeleteView):
    queryset = Staff.objects.all()


class LeaveListView(ObjectListView):
    queryset = Leave.objects.select_related("staff")
    filterset = filtersets.LeaveFilterSet
    table = tables.LeaveTable
    filter_fields = ("unit", "kind", "on")


class LeaveView(ObjectView):
    queryset = Leave.objects.select_related("staff")
    fields = ("staff", "kind", "start_date", "end_date", "note")


class LeaveEditView(ObjectEditView):
    queryset = Leave.objects.all()
    form = forms.LeaveForm


class LeaveDeleteView(ObjectDeleteView):
    queryset = Leave.objects.all()


# --- Directives and duties ------------------------------------------------------------------------


class DirectiveListView(ObjectListView):
    queryset = Directive.objects.select_related("unit")
    filterset = filtersets.DirectiveFilterSet
    table = tables.DirectiveTable


class DirectiveView(ObjectView):
    queryset = Directive.objects.select_related("unit")
    fields = ("title", "source_name", "kind", "unit")

    def get_extra_context(self, request: HttpRequest, instance: Directive) -> dict[str, Any]:
        version = instance.current_version()
        pending = services.pending_acknowledgements(instance, restrict(Staff.objects.all(), request.user))
        mine = None
        staff = getattr(request.user, "staff", None)
        if version is not None and staff is not None:
            mine = Acknowledgement.objects.filter(version=version, staff=staff).first()
        return {
            "version": version,
            "versions": instance.versions.order_by("-effective_date"),
            "pending": sorted(pending, key=lambda p: p.due),
            "my_acknowledgement": mine,
            "must_acknowledge": version is not None
            and staff is not None
            and mine is None
            and services.staff_bound_by(instance).filter(pk=staff.pk).exists(),
            "reviews": instance.reviews.select_related("reviewer")[:10],
            "review_due": services.review_due(instance),
            "duty_count": instance.duties.filter(is_active=True).count(),
            "today": timezone.localdate(),
        }


class DirectiveEditView(ObjectEditView):
    queryset = Directive.objects.all()
    form = forms.DirectiveForm


class DirectiveDeleteView(ObjectDeleteView):
    queryset = Directive.objects.all()


class DirectiveVersionView(ObjectView):
    queryset = DirectiveVersion.objects.select_related("directive")
    fields = ("directive", "label", "effective_date", "approval")


class DirectiveVersionEditView(ObjectEditView):
    queryset = DirectiveVersion.objects.all()
    form = forms.DirectiveVersionForm


@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(DirectiveVersion.objects.select_related("directive"), pk=pk)
    staff = getattr(request.user, "staff", None)
    if staff is None:
        messages.error(request, _("Your account is not linked to a staff record."))
        return redirect(version.directive.get_absolute_url())
    try:
        services.acknowledge(version, staff, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You have acknowledged %(version)s.") % {"version": version})
    return redirect(version.directive.get_absolute_url())


def directive_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Load or reload the duty catalog of a directive from its text."""
    require(request.user, Duty, "add")
    directive = get_object_or_404(restrict(Directive.objects.all(), request.user), pk=pk)
    form = forms.DirectiveTextImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created, updated = services.load_duties(directive, form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Duties added: %(created)d, updated: %(updated)d.") % {"created": created, "updated": updated},
            )
            return redirect(directive.get_absolute_url())
    return render(request, "org/directive_import.html", {"form": form, "object": directive})


class DirectiveReviewEditView(ObjectEditView):
    queryset = DirectiveReview.objects.all()
    form = forms.DirectiveReviewForm


class DirectiveReviewView(ObjectView):
    queryset = DirectiveReview.objects.select_related("directive", "reviewer")
    fields = ("directive", "reviewed_on", "reviewer", "outcome", "note")


class DutyListView(ObjectListView):
    queryset = Duty.objects.select_related("unit", "directive")
    filterset = filtersets.DutyFilterSet
    table = tables.DutyTable
    filter_fields = ("directive", "unit", "unassigned")


class DutyView(ObjectView):
    queryset = Duty.objects.select_related("unit", "directive")
    fields = ("ref", "directive", "text", "unit", "unit_hint", "is_sensitive", "is_active")

    def get_extra_context(self, request: HttpRequest, instance: Duty) -> dict[str, Any]:
        return {
            "responsible": services.responsible_for(instance),
            "assignments": restrict(instance.assignments.select_related("staff", "deputy"), request.user),
        }


class DutyEditView(ObjectEditView):
    queryset = Duty.objects.all()
    form = forms.DutyForm


class DutyAssignmentListView(ObjectListView):
    queryset = DutyAssignment.objects.select_related("duty", "staff", "deputy")
    filterset = filtersets.DutyAssignmentFilterSet
    table = tables.DutyAssignmentTable
    filter_fields = ("unit",)


class DutyAssignmentView(ObjectView):
    queryset = DutyAssignment.objects.select_related("duty", "staff", "deputy")
    fields = ("duty", "staff", "deputy", "valid_from", "valid_until", "note")


class DutyAssignmentEditView(ObjectEditView):
    queryset = DutyAssignment.objects.all()
    form = forms.DutyAssignmentForm


class DutyAssignmentDeleteView(ObjectDeleteView):
    queryset = DutyAssignment.objects.all()


class AcknowledgementListView(ObjectListView):
    queryset = Acknowledgement.objects.select_related("staff", "version__directive")
    filterset = filtersets.AcknowledgementFilterSet
    table = tables.AcknowledgementTable
    filter_fields = ("unit",)


# --- Departures and handover -----------------------------------------------------------------------


class DepartureListView(ObjectListView):
    queryset = Departure.objects.select_related("staff", "successor")
    filterset = filtersets.DepartureFilterSet
    table = tables.DepartureTable
    filter_fields = ("status", "reason", "unit")


class DepartureView(ObjectView):
    queryset = Departure.objects.select_related("staff__unit", "successor__user", "chief", "accepted_by")
    fields = ("staff", "reason", "last_day", "successor", "chief", "status", "accepted_at", "accepted_by")

    def get_extra_context(self, request: HttpRequest, instance: Departure) -> dict[str, Any]:
        can_change = request.user.has_perm("org.change_departure")
        return {
            "items": instance.items.all(),
            "can_prepare": can_change and instance.status in ("draft", "prepared"),
            "can_accept": instance.status == "prepared"
            and instance.successor is not None
            and instance.successor.user_id == request.user.pk,
            "can_complete": can_change and instance.status == "accepted",
            "can_cancel": can_change and instance.is_open,
        }


class DepartureEditView(ObjectEditView):
    queryset = Departure.objects.all()
    form = forms.DepartureForm


def _departure_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    departure = get_object_or_404(restrict(Departure.objects.select_related("staff", "successor"), request.user), pk=pk)
    if step != "accept":
        require(request.user, Departure, "change")
    try:
        if step == "prepare":
            services.prepare_handover(departure)
            messages.success(request, _("Handover list prepared."))
        elif step == "accept":
            services.accept_handover(departure, request.user)
            messages.success(request, _("You have accepted the handover."))
        elif step == "cancel":
            services.cancel_departure(departure)
            messages.success(request, _("Departure cancelled."))
        else:
            services.complete_departure(departure)
            messages.success(request, _("Departure completed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(departure.get_absolute_url())


@require_POST
def departure_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    return _departure_step(request, pk, "prepare")


@require_POST
def departure_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _departure_step(request, pk, "accept")


@require_POST
def departure_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _departure_step(request, pk, "complete")


@require_POST
def departure_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _departure_step(request, pk, "cancel")


def departure_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Departure, "view")
    departure = get_object_or_404(
        restrict(Departure.objects.select_related("staff__unit", "successor", "chief"), request.user), pk=pk
    )
    items = HandoverItem.objects.filter(departure=departure)
    context = {
        "departure": departure,
        "items": items,
        "municipality": Municipality.cached(),
        "today": timezone.localdate(),
    }
    return pdf_response("org/handover_pdf.html", context, f"devir-teslim-{departure.pk}.pdf", request)
