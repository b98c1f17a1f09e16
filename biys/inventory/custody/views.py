"""Custody pages: Taşınır Teslim Belgeleri (TMY md. 10/1-b), a person's custody, the successor handover
and the Dayanıklı Taşınırlar Listesi (md. 10/1-ç). Views parse, authorize, call ``services``, render."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from biys.core.pdf import pdf_response
from biys.core.text import search_terms, tr_upper
from biys.core.views import ObjectListView, ObjectView, attribute_rows, object_actions, require, restrict
from biys.inventory.custody import filtersets, forms, services, tables
from biys.inventory.models import Asset, CustodyDocument, CustodyItem, SharedAreaList
from biys.org.models import Departure, Municipality, Staff

_CSS_UNSAFE = re.compile(r'[<>"\\\n]')
MAX_STAFF_CHOICES = 50
MAX_ASSET_CHOICES = 100


def _error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def _letterhead(footer: str) -> dict[str, Any]:
    municipality = Municipality.cached()
    return {
        "municipality": municipality,
        "municipality_name": tr_upper(municipality.name) if municipality else "",
        "printed_on": timezone.localdate(),
        "footer": _CSS_UNSAFE.sub("", footer),  # printed through a CSS string in the page footer
    }


def _person_of(user: Any) -> tuple[str, str]:
    """(name, title) of a user as printed under a signature: their staff record when there is one."""
    if user is None:
        return "", ""
    staff = getattr(user, "staff", None)
    if staff is not None:
        return str(staff), staff.title
    return user.get_full_name() or user.get_username(), ""


def _search(queryset: QuerySet[Any], query: str, field: str = "search_key") -> QuerySet[Any]:
    """Comma-separated alternatives, each a set of terms that must all occur ("5CD12, 26-00007")."""
    matches = Q()
    for part in query.split(","):
        terms = search_terms(part)[:8]
        if terms:
            matches |= Q(*[Q(**{f"{field}__contains": term}) for term in terms])
    return queryset.filter(matches) if matches else queryset


# --- Teslim Belgeleri ------------------------------------------------------------------------------


def _count(rows: QuerySet[Any], link: str) -> Coalesce:
    """COUNT of related rows as a correlated subquery: computed for the 50 rows shown, not the whole table."""
    counted = rows.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class CustodyDocumentListView(ObjectListView):
    queryset = CustodyDocument.objects.select_related("staff", "unit", "issued_by").annotate(
        items_total=_count(CustodyItem.objects.all(), "document"),
        items_open=_count(CustodyItem.objects.filter(returned_at__isnull=True), "document"),
    )
    filterset = filtersets.CustodyDocumentFilterSet
    table = tables.CustodyDocumentTable
    filter_fields = ("year", "unit", "state")


class CustodyDocumentView(ObjectView):
    queryset = CustodyDocument.objects.select_related("staff__unit", "unit", "issued_by")
    template_name = "inventory/custody/custodydocument.html"
    fields = ("date", "staff", "unit", "issued_by", "note")

    def get_extra_context(self, request: HttpRequest, instance: CustodyDocument) -> dict[str, Any]:
        items = instance.items.select_related("asset__kind", "asset__tasinir_code", "returned_to")
        open_items = [item for item in items if item.returned_at is None]
        can_return = bool(open_items) and request.user.has_perm("inventory.change_custodyitem")
        return {
            "label": services.document_label(instance),
            "items": items,
            "open_count": len(open_items),
            "return_form": forms.ReturnForm(items=instance.items.filter(returned_at__isnull=True))
            if can_return
            else None,
        }


def custody_document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, CustodyDocument, "view")
    document = get_object_or_404(
        restrict(CustodyDocument.objects.select_related("staff__unit", "unit", "issued_by"), request.user), pk=pk
    )
    items = list(
        document.items.select_related("asset__kind", "asset__tasinir_code", "asset__depot__unit", "returned_to")
    )
    label = services.document_label(document)
    context = {
        **_letterhead(f"BİYS · Taşınır Teslim Belgesi {label} · {document.staff}"),
        "document": document,
        "label": label,
        "items": items,
        # The harcama birimi whose taşınırlar these are (the items' ambar: its unit and kurumsal kod, md. 38),
        # not the receiver's unit.
        "spending_units": list(
            dict.fromkeys((item.asset.depot.unit.name, item.asset.depot.institutional_code) for item in items)
        ),
        "returns": _return_groups(items),
    }
    filename = f"teslim-belgesi-{document.year}-{document.number}.pdf"
    return pdf_response("inventory/custody/pdf/custody_document.html", context, filename, request)


def _return_groups(items: list[CustodyItem]) -> list[dict[str, Any]]:
    """Returned lines grouped by date and receiving officer: each group is signed on its own."""
    groups: dict[tuple[date, int], list[CustodyItem]] = {}
    for item in items:
        if item.returned_at is not None:
            groups.setdefault((item.returned_at, item.returned_to_id or 0), []).append(item)
    return [
        {"date": day, "returned_to": lines[0].returned_to, "items": lines}
        for (day, _pk), lines in sorted(groups.items())
    ]


def _take_back(request: HttpRequest, items: QuerySet[CustodyItem]) -> None:
    require(request.user, CustodyItem, "change")
    form = forms.ReturnForm(request.POST, items=items)
    if not form.is_valid():
        _form_errors(request, form)
        return
    try:
        data = form.cleaned_data
        returned = services.return_custody(
            data["items"], services.officer_of(request.user), on=data["date"], condition=data["condition"]
        )
    except ValidationError as exc:
        _error(request, exc)
        return
    messages.success(
        request,
        _("Taken back: %(sicil_nos)s.") % {"sicil_nos": ", ".join(item.asset.sicil_no for item in returned)},
    )


@require_POST
def custody_document_return(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(restrict(CustodyDocument.objects.all(), request.user), pk=pk)
    _take_back(request, document.items.filter(returned_at__isnull=True))
    return redirect(document.get_absolute_url())


class IssueView(View):
    """A new Taşınır Teslim Belgesi: search people and free assets (GET), hand over the chosen ones (POST)."""

    template_name = "inventory/custody/issue.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, CustodyDocument, "add")
        staff, assets = request.GET.get("staff"), request.GET.getlist("assets")
        form = forms.IssueForm(initial={"staff": staff, "assets": assets}, user=request.user)
        return self.render_page(request, form, staff, assets)

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, CustodyDocument, "add")
        form = forms.IssueForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.issue_custody(
                    data["staff"], data["assets"], services.officer_of(request.user), on=data["date"], note=data["note"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Teslim Belgesi %(label)s issued.") % {"label": services.document_label(document)}
                )
                return redirect(document.get_absolute_url())
        staff, assets = request.POST.get("staff"), request.POST.getlist("assets")
        return self.render_page(request, form, staff, assets, status=422)

    def render_page(
        self, request: HttpRequest, form: Any, staff: str | None, assets: list[str], status: int = 200
    ) -> HttpResponse:
        staff_q, asset_q = request.GET.get("staff_q", ""), request.GET.get("asset_q", "")
        found = _search(forms.visible_staff(request.user).filter(status=Staff.Status.ACTIVE), staff_q)
        people = list(found.select_related("unit").order_by("sort_name", "pk")[:MAX_STAFF_CHOICES])
        chosen = [int(pk) for pk in assets if pk.isdigit()]
        visible = restrict(Asset.objects.select_related("kind", "location"), request.user)
        free = _search(services.handable(visible), asset_q)
        candidates = list(free.order_by("sicil_no")[:MAX_ASSET_CHOICES])
        shown = {asset.pk for asset in candidates}
        kept = [asset for asset in visible.filter(pk__in=chosen).order_by("sicil_no") if asset.pk not in shown]
        if staff and staff.isdigit() and int(staff) not in {person.pk for person in people}:
            people = list(forms.visible_staff(request.user).filter(pk=int(staff)).select_related("unit")) + people
        context = {
            "form": form,
            "staff_q": staff_q,
            "asset_q": asset_q,
            "people": people,
            "selected_staff": int(staff) if staff and staff.isdigit() else None,
            "candidates": kept + candidates,  # chosen items that are no longer free stay listed, marked
            "chosen": set(chosen),
            "free_shown": len(candidates),
            "free_total": free.count(),
            "max_assets": MAX_ASSET_CHOICES,
        }
        return render(request, self.template_name, context, status=status)


# --- A person's custody ------------------------------------------------------------------------------


def _person(request: HttpRequest, staff_pk: int) -> Staff:
    require(request.user, CustodyDocument, "view")
    return get_object_or_404(forms.visible_staff(request.user).select_related("unit"), pk=staff_pk)


def _person_items(request: HttpRequest, staff: Staff) -> QuerySet[CustodyItem]:
    documents = restrict(CustodyDocument.objects.filter(staff=staff), request.user)
    return CustodyItem.objects.filter(document__in=documents.values("pk")).select_related(
        "asset__kind", "asset__tasinir_code", "document", "returned_to"
    )


def staff_custody(request: HttpRequest, staff_pk: int) -> HttpResponse:
    """What a person holds now, and everything they have held (TMY md. 10/1-b)."""
    staff = _person(request, staff_pk)
    items = _person_items(request, staff)
    held = items.filter(returned_at__isnull=True).order_by("asset__sicil_no")
    user = request.user
    can_return = user.has_perm("inventory.change_custodyitem")
    context = {
        "staff": staff,
        "held": held,
        "history": items.filter(returned_at__isnull=False).order_by("-returned_at", "-pk")[:500],
        "documents": restrict(CustodyDocument.objects.filter(staff=staff), user).annotate(item_count=Count("items")),
        "return_form": forms.ReturnForm(items=held) if can_return else None,
        "can_issue": user.has_perm("inventory.add_custodydocument") and staff.status == Staff.Status.ACTIVE,
        "can_transfer": can_return and user.has_perm("inventory.add_custodydocument"),
    }
    return render(request, "inventory/custody/staff.html", context)


@require_POST
def staff_custody_return(request: HttpRequest, staff_pk: int) -> HttpResponse:
    staff = _person(request, staff_pk)
    _take_back(request, _person_items(request, staff).filter(returned_at__isnull=True))
    return redirect("inventory:custody_staff", staff_pk=staff.pk)


def staff_custody_transfer(request: HttpRequest, staff_pk: int) -> HttpResponse:
    """Hand items a person holds straight to another person (e.g. a successor) on a new Teslim Belgesi."""
    staff = _person(request, staff_pk)
    require(request.user, CustodyDocument, "add")
    require(request.user, CustodyItem, "change")
    held = _person_items(request, staff).filter(returned_at__isnull=True).order_by("asset__sicil_no")
    form = forms.TransferForm(request.POST or None, items=held, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.transfer_items(
                data["items"], data["to_staff"], services.officer_of(request.user), on=data["date"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Teslim Belgesi %(label)s issued.") % {"label": services.document_label(document)}
            )
            return redirect(document.get_absolute_url())
    staff_q = request.GET.get("staff_q", "")
    people = _search(forms.visible_staff(request.user).filter(status=Staff.Status.ACTIVE).exclude(pk=staff.pk), staff_q)
    context = {
        "staff": staff,
        "held": held,
        "form": form,
        "staff_q": staff_q,
        "people": people.select_related("unit").order_by("sort_name", "pk")[:MAX_STAFF_CHOICES],
        "chosen": {str(pk) for pk in request.POST.getlist("items")},
    }
    return render(request, "inventory/custody/transfer.html", context, status=422 if form.errors else 200)


def departure_handover(request: HttpRequest, departure_pk: int) -> HttpResponse:
    """Hand everything the departing person holds to their successor on one Teslim Belgesi (TMY md. 5/4)."""
    require(request.user, CustodyDocument, "add")
    require(request.user, CustodyItem, "change")
    departures = Departure.objects.select_related("staff__unit", "successor__unit")
    if not request.user.has_perm("inventory.view_all_assets"):
        departures = restrict(departures, request.user)
    departure = get_object_or_404(departures, pk=departure_pk)
    form = forms.SuccessorHandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.hand_all_to_successor(
                departure, services.officer_of(request.user), on=form.cleaned_data["date"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Teslim Belgesi %(label)s issued.") % {"label": services.document_label(document)}
            )
            return redirect(document.get_absolute_url())
    context = {
        "departure": departure,
        "held": services.held_by(departure.staff).order_by("asset__sicil_no"),
        "form": form,
    }
    return render(request, "inventory/custody/departure_handover.html", context, status=422 if form.errors else 200)


# --- Dayanıklı Taşınırlar Listesi ----------------------------------------------------------------------


class SharedAreaListListView(ObjectListView):
    queryset = SharedAreaList.objects.select_related("location", "responsible").annotate(
        asset_count=_count(SharedAreaList.assets.through.objects.all(), "sharedarealist")
    )
    filterset = filtersets.SharedAreaListFilterSet
    table = tables.SharedAreaListTable
    filter_fields = ("unit", "signed")


def _area_list(request: HttpRequest, pk: int) -> SharedAreaList:
    """The area's responsible may open and sign their own list without any inventory permission."""
    lists = SharedAreaList.objects.select_related("location__unit", "responsible", "signed_by", "created_by")
    own = lists.filter(pk=pk, responsible__user_id=request.user.pk).first() if request.user.pk else None
    if own is not None:
        return own
    require(request.user, SharedAreaList, "view")
    area_list: SharedAreaList = get_object_or_404(restrict(lists, request.user), pk=pk)
    return area_list


def _area_assets(area_list: SharedAreaList) -> QuerySet[Asset]:
    return area_list.assets.select_related("kind", "tasinir_code", "holder").order_by("sicil_no")


class SharedAreaListView(ObjectView):
    queryset = SharedAreaList.objects.all()
    template_name = "inventory/custody/sharedarealist.html"
    fields = ("location", "date", "responsible", "signed_by")

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        instance = _area_list(request, pk)
        actions = object_actions(request.user, instance)
        if not request.user.has_perm("inventory.view_sharedarealist"):
            actions.pop("history_url", None)  # the responsible signing their own list sees just the list
        context = {
            "object": instance,
            "model": SharedAreaList,
            "meta": SharedAreaList._meta,
            "attributes": attribute_rows(instance, self.fields),
            "active_tab": "detail",
            **actions,
            **self.get_extra_context(request, instance),
        }
        return render(request, self.get_template_names(), context)

    def get_extra_context(self, request: HttpRequest, instance: SharedAreaList) -> dict[str, Any]:
        assets = _area_assets(instance)
        current = set(services.area_assets(instance.location).values_list("pk", flat=True))
        listed = {asset.pk for asset in assets}
        return {
            "assets": assets,
            "can_sign": instance.signed_by_id is None and services.can_sign(instance, request.user),
            "changed_since": len(current ^ listed),
        }


class SharedAreaListAddView(View):
    template_name = "inventory/custody/sharedarealist_add.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, SharedAreaList, "add")
        initial = {"location": request.GET.get("location")}
        return render(
            request, self.template_name, {"form": forms.SharedAreaListForm(initial=initial, user=request.user)}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, SharedAreaList, "add")
        form = forms.SharedAreaListForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                area_list = services.create_shared_area_list(
                    form.cleaned_data["location"], on=form.cleaned_data["date"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Dayanıklı Taşınırlar Listesi created: %(list)s") % {"list": area_list})
                return redirect(area_list.get_absolute_url())
        return render(request, self.template_name, {"form": form}, status=422)


def shared_area_list_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    area_list = _area_list(request, pk)
    prepared_by, prepared_title = _person_of(area_list.created_by)
    context = {
        **_letterhead(f"BİYS · Dayanıklı Taşınırlar Listesi {area_list.pk} · {area_list.location}"),
        "object": area_list,
        "assets": _area_assets(area_list),
        "prepared_by": prepared_by,
        "prepared_title": prepared_title,
        "signed_by": _person_of(area_list.signed_by)[0],
    }
    filename = f"dayanikli-tasinirlar-listesi-{area_list.pk}.pdf"
    return pdf_response("inventory/custody/pdf/shared_area_list.html", context, filename, request)


@require_POST
def shared_area_list_sign(request: HttpRequest, pk: int) -> HttpResponse:
    area_list = _area_list(request, pk)
    try:
        services.sign_shared_area_list(area_list, request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The list is signed."))
    return redirect(reverse("inventory:sharedarealist", kwargs={"pk": area_list.pk}))
