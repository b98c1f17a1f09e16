"""Register pages: the code list, asset kinds, depots, locations, contracts and assets, with
registration, commissioning, labels and the expiry report. Rules live in services."""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from biys.core.pdf import pdf_response
from biys.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    attribute_rows,
    require,
    restrict,
)
from biys.inventory.custody import services as custody_services
from biys.inventory.models import (
    AgentLink,
    Asset,
    AssetKind,
    Commissioning,
    Contract,
    CustodyDocument,
    CustodyItem,
    Depot,
    Installation,
    Location,
    NetworkInterface,
    TasinirCode,
    Voucher,
)
from biys.inventory.register import filtersets, forms, labels, services, tables
from biys.org.models import Municipality

TEMPLATES = "inventory/register"


def related_assets(instance: Any, request: HttpRequest, param: str) -> dict[str, Any]:
    """The "assets here" link of a kind, depot, location or contract detail page."""
    rows = restrict(Asset.objects.filter(**{param: instance}), request.user)
    url = f"{reverse('inventory:asset_list')}?{urlencode({param: instance.pk})}"
    return {"asset_count": rows.count(), "assets_url": url}


# --- Taşınır codes (read-only reference data) ---------------------------------------------------------


class TasinirCodeListView(ObjectListView):
    queryset = TasinirCode.objects.all()
    filterset = filtersets.TasinirCodeFilterSet
    table = tables.TasinirCodeTable
    filter_fields = ("account", "level", "is_active")


class TasinirCodeView(ObjectView):
    queryset = TasinirCode.objects.select_related("parent")
    template_name = f"{TEMPLATES}/tasinircode.html"
    fields = ("code", "name", "level", "parent", "list_version", "is_active")

    def get_extra_context(self, request: HttpRequest, instance: TasinirCode) -> dict[str, Any]:
        ancestors: list[TasinirCode] = []
        node = instance.parent
        while node is not None and len(ancestors) < 10:
            ancestors.insert(0, node)
            node = node.parent
        return {
            "ancestors": ancestors,
            "children": instance.children.order_by("code")[:200],
            "kinds": AssetKind.objects.filter(tasinir_code=instance).order_by("name"),
        }


# --- Asset kinds --------------------------------------------------------------------------------------


class AssetKindListView(ObjectListView):
    queryset = AssetKind.objects.select_related("tasinir_code")
    filterset = filtersets.AssetKindFilterSet
    table = tables.AssetKindTable
    template_name = f"{TEMPLATES}/assetkind_list.html"
    filter_fields = ("category",)


class AssetKindView(ObjectView):
    queryset = AssetKind.objects.select_related("tasinir_code")
    template_name = f"{TEMPLATES}/related.html"
    fields = ("name", "category", "tasinir_code", "unit_of_measure", "needs_commissioning", "has_storage")

    def get_extra_context(self, request: HttpRequest, instance: AssetKind) -> dict[str, Any]:
        return related_assets(instance, request, "kind")


class AssetKindEditView(ObjectEditView):
    queryset = AssetKind.objects.all()
    form = forms.AssetKindForm


class AssetKindDeleteView(ObjectDeleteView):
    queryset = AssetKind.objects.all()


@require_POST
def asset_kind_defaults(request: HttpRequest) -> HttpResponse:
    require(request.user, AssetKind, "add")
    try:
        created = services.default_kinds()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Asset kinds added: %(count)d.") % {"count": len(created)})
    return redirect("inventory:assetkind_list")


# --- Depots, locations, contracts ---------------------------------------------------------------------


class DepotListView(ObjectListView):
    queryset = Depot.objects.select_related("unit", "records_officer", "control_officer")
    filterset = filtersets.DepotFilterSet
    table = tables.DepotTable
    filter_fields = ("unit", "is_active")


class DepotView(ObjectView):
    queryset = Depot.objects.select_related("unit", "records_officer", "control_officer")
    template_name = f"{TEMPLATES}/related.html"
    fields = ("unit", "institutional_code", "code", "name", "records_officer", "control_officer", "is_active")

    def get_extra_context(self, request: HttpRequest, instance: Depot) -> dict[str, Any]:
        return related_assets(instance, request, "depot")


class DepotEditView(ObjectEditView):
    queryset = Depot.objects.all()
    form = forms.DepotForm


class DepotDeleteView(ObjectDeleteView):
    queryset = Depot.objects.all()


class LocationListView(ObjectListView):
    queryset = Location.objects.select_related("unit", "responsible")
    filterset = filtersets.LocationFilterSet
    table = tables.LocationTable
    filter_fields = ("unit",)


class LocationView(ObjectView):
    queryset = Location.objects.select_related("unit", "responsible")
    template_name = f"{TEMPLATES}/related.html"
    fields = ("unit", "building", "floor", "room", "responsible")

    def get_extra_context(self, request: HttpRequest, instance: Location) -> dict[str, Any]:
        return related_assets(instance, request, "location")


class LocationEditView(ObjectEditView):
    queryset = Location.objects.all()
    form = forms.LocationForm


class LocationDeleteView(ObjectDeleteView):
    queryset = Location.objects.all()


class ContractListView(ObjectListView):
    queryset = Contract.objects.all()
    filterset = filtersets.ContractFilterSet
    table = tables.ContractTable
    filter_fields = ("ends_within",)


class ContractView(ObjectView):
    queryset = Contract.objects.all()
    template_name = f"{TEMPLATES}/related.html"
    fields = ("name", "vendor", "vendor_tax_no", "contact", "start_date", "end_date", "coverage")

    def get_extra_context(self, request: HttpRequest, instance: Contract) -> dict[str, Any]:
        return related_assets(instance, request, "contract")


class ContractEditView(ObjectEditView):
    queryset = Contract.objects.all()
    form = forms.ContractForm


class ContractDeleteView(ObjectDeleteView):
    queryset = Contract.objects.all()


# --- Assets -------------------------------------------------------------------------------------------


class AssetListView(ObjectListView):
    queryset = Asset.objects.select_related("kind", "owner_unit", "location", "holder")
    filterset = filtersets.AssetFilterSet
    table = tables.AssetTable
    template_name = f"{TEMPLATES}/asset_list.html"
    filter_fields = ("status", "kind", "category", "owner_unit", "depot", "warranty_days")
    # Previous/next without COUNT(*): counting a filtered register of 10⁵–10⁶ rows costs more than the page.
    lazy_pagination = True


PURCHASE_FIELDS = (
    "invoice_no",
    "invoice_date",
    "price",
    "supplier",
    "acceptance_report",
    "warranty_end",
    "contract",
)
NETWORK_FIELDS = ("hostname", "ip_address", "mac_address", "hardware_uuid", "is_approved", "last_seen_at")


class AssetView(ObjectView):
    queryset = Asset.objects.select_related(
        "kind", "tasinir_code", "depot", "owner_unit", "holder", "location", "parent", "contract"
    )
    template_name = f"{TEMPLATES}/asset.html"
    fields = (
        "sicil_no",
        "name",
        "kind",
        "tasinir_code",
        "entry_year",
        "brand",
        "model",
        "serial",
        "specifications",
        "status",
        "depot",
        "owner_unit",
        "holder",
        "location",
        "parent",
        "commissioned_at",
    )

    def get_extra_context(self, request: HttpRequest, instance: Asset) -> dict[str, Any]:
        user = request.user
        context: dict[str, Any] = {
            "purchase": attribute_rows(instance, PURCHASE_FIELDS),
            "network": attribute_rows(instance, NETWORK_FIELDS),
            "components": restrict(instance.components.select_related("kind"), user).order_by("sicil_no"),
            "commissioning": Commissioning.objects.filter(asset=instance).select_related("done_by").first(),
            "ready_for_handover": services.is_ready_for_handover(instance),
            "can_commission": user.has_perm("inventory.change_commissioning"),
        }
        if user.has_perm("inventory.add_custodydocument"):
            free = custody_services.handable(Asset.objects.filter(pk=instance.pk)).exists()
            issue = reverse("inventory:custodydocument_add")
            context["hand_over_url"] = f"{issue}?{urlencode({'assets': instance.pk})}" if free else ""
        if user.has_perm("inventory.view_custodydocument"):
            context["custody"] = (
                CustodyItem.objects.filter(asset=instance, document__in=restrict(CustodyDocument.objects.all(), user))
                .select_related("document__staff", "returned_to")
                .order_by("-document__date", "-id")
            )
        if user.has_perm("inventory.view_voucher"):
            context["voucher_lines"] = (
                instance.voucher_lines.filter(voucher__in=restrict(Voucher.objects.all(), user))
                .select_related("voucher__depot")
                .order_by("-voucher__date", "-id")
            )
        context.update(_agent_context(instance, user))
        return context


def _agent_context(asset: Asset, user: Any) -> dict[str, Any]:
    """What the machine's agent reported (BİG 3.1.1.3), for IT staff who may read it."""
    if not user.has_perm("inventory.view_installation"):
        return {}
    return {
        "agent": restrict(AgentLink.objects.filter(asset=asset), user).first(),
        "installations": restrict(Installation.objects.filter(asset=asset), user).select_related("software")[:500],
        "interfaces": restrict(NetworkInterface.objects.filter(asset=asset), user),
    }


class AssetEditView(ObjectEditView):
    """Edit only: new assets are registered through AssetRegisterView (their sicil no is given there)."""

    queryset = Asset.objects.all()
    form = forms.AssetForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.form = partial(forms.AssetForm, user=request.user)  # type: ignore[assignment]
        return super().dispatch(request, *args, **kwargs)


class AssetDeleteView(ObjectDeleteView):
    queryset = Asset.objects.all()


class AssetRegisterView(View):
    template_name = f"{TEMPLATES}/asset_register.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Asset, "add")
        initial = {key: value for key, value in request.GET.items() if key in forms.AssetRegisterForm.base_fields}
        return self.render(request, forms.AssetRegisterForm(initial=initial, user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Asset, "add")
        form = forms.AssetRegisterForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                registration = _register(request, form)
            except ValidationError as exc:
                forms.add_errors(form, exc)
            else:
                return _registered(request, registration)
        return self.render(request, form, status=422)

    def render(self, request: HttpRequest, form: forms.AssetRegisterForm, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, {"form": form, "meta": Asset._meta}, status=status)


def _register(request: HttpRequest, form: forms.AssetRegisterForm) -> services.Registration:
    data = form.cleaned_data
    with transaction.atomic():
        registration = services.register_assets(
            data["kind"],
            data["depot"],
            data["owner_unit"],
            data["entry_year"],
            data["quantity"],
            **form.registration_fields(),
        )
        ids = [asset.pk for asset in registration.assets]
        if restrict(Asset.objects.filter(pk__in=ids), request.user).count() != len(ids):
            raise ValidationError({"owner_unit": _("You may only register assets of your own unit.")})
    return registration


def _registered(request: HttpRequest, registration: services.Registration) -> HttpResponse:
    assets = registration.assets
    first, last = assets[0], assets[-1]
    if len(assets) == 1:
        messages.success(request, _("Registered: %(asset)s") % {"asset": first})
    else:
        messages.success(
            request,
            _("Registered %(count)d assets: %(first)s … %(last)s")
            % {"count": len(assets), "first": first.sicil_no, "last": last.sicil_no},
        )
    if registration.voucher is not None:
        messages.info(request, _("A draft purchase VİF was prepared for them; post it from the VİF list."))
    if len(assets) == 1:
        return redirect(first.get_absolute_url())
    query = urlencode({"kind": first.kind_id, "entry_year": first.entry_year, "depot": first.depot_id})
    return redirect(f"{reverse('inventory:asset_list')}?{query}")


# --- Commissioning (Nizip md. 12/49) ------------------------------------------------------------------


def asset_commissioning(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Commissioning, "change")
    asset = get_object_or_404(restrict(Asset.objects.select_related("kind"), request.user), pk=pk)
    record = Commissioning.objects.filter(asset=asset).first()
    staff = getattr(request.user, "staff", None)
    initial = {"done_by": staff.pk if staff else None}
    if record is not None:
        initial = {
            "tested": record.tested,
            "installed": record.installed,
            "network_registered": record.network_registered,
            "done_by": record.done_by_id or initial["done_by"],
            "note": record.note,
        }
    form = forms.CommissioningForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.complete_commissioning(asset, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_errors(form, exc)
        else:
            if record.completed_at:
                messages.success(request, _("Commissioning complete; the asset can be handed over."))
            else:
                messages.info(request, _("Checklist saved; the asset stays in commissioning."))
            return redirect(asset.get_absolute_url())
    context = {"form": form, "object": asset, "record": record, "meta": Asset._meta}
    status = 422 if form.is_bound else 200
    return render(request, f"{TEMPLATES}/commissioning.html", context, status=status)


# --- Labels -------------------------------------------------------------------------------------------


def _skip(request: HttpRequest) -> int:
    value = request.GET.get("skip", "0")
    return min(int(value), labels.PER_PAGE - 1) if value.isdigit() else 0


def asset_labels(request: HttpRequest) -> HttpResponse:
    """Labels of the assets picked by ``pk`` parameters, or else by the asset list's filters."""
    require(request.user, Asset, "view")
    rows = restrict(Asset.objects.select_related("kind", "owner_unit"), request.user)
    picked = [value for value in request.GET.getlist("pk") if value.isdigit()]
    if picked:
        rows = rows.filter(pk__in=picked)
    else:
        params = request.GET.copy()
        params.pop("skip", None)
        filterset = filtersets.AssetFilterSet(params, queryset=rows, request=request)
        rows = filterset.qs if filterset.is_valid() else rows.none()
    rows = rows.order_by("sicil_no")
    chosen = list(rows[: labels.MAX_LABELS + 1])
    if len(chosen) > labels.MAX_LABELS:
        messages.error(
            request, _("At most %(max)d labels at once; narrow the list first.") % {"max": labels.MAX_LABELS}
        )
        return redirect(f"{reverse('inventory:asset_list')}?{request.GET.urlencode()}")
    return _labels_pdf(request, chosen, "etiketler.pdf")


def asset_label(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Asset, "view")
    asset = get_object_or_404(restrict(Asset.objects.select_related("kind", "owner_unit"), request.user), pk=pk)
    return _labels_pdf(request, [asset], f"etiket-{asset.sicil_no}.pdf")


def _labels_pdf(request: HttpRequest, assets: list[Asset], filename: str) -> HttpResponse:
    context = {"pages": labels.label_pages(assets, _skip(request)), "municipality": Municipality.cached()}
    return pdf_response(f"{TEMPLATES}/pdf/labels.html", context, filename, request)


# --- Warranty / contract expiry report ----------------------------------------------------------------


class AssetExpiryReportView(ObjectListView):
    """Assets whose warranty or maintenance contract ended or ends within N days (default 60)."""

    queryset = Asset.objects.select_related("kind", "owner_unit", "contract")
    filterset = filtersets.ExpiryFilterSet
    table = tables.ExpiryTable
    template_name = f"{TEMPLATES}/expiry_report.html"
    filter_fields = ("days", "group", "kind", "owner_unit")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        days = filtersets.expiry_days(request.GET)
        rows = services.expiring_assets(days).select_related("kind", "owner_unit", "contract")
        return restrict(rows, request.user)
