"""The agents' endpoint (no login, no CSRF: agents are programs) and the review-queue pages.

The endpoint is open to anything that can reach it: put it behind the reverse proxy's allow-list of
the municipal network (docs/operations.md), and set BIYS_AGENT_PASSWORD to demand HTTP Basic
credentials from the agents (``--user``/``--password``; the OCS agent also ``--realm``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from biys.core.models import ChangeLogEntry
from biys.core.views import ObjectListView, attribute_rows, require, restrict
from biys.inventory.agents import filtersets, forms, protocol, review, tables
from biys.inventory.agents.normal import Inventory
from biys.inventory.agents.services import antivirus_summary
from biys.inventory.models import AgentLink, Asset, DiscoveredDevice

DEVICE_FIELDS = (
    "hostname",
    "device_id",
    "agent_type",
    "reason",
    "status",
    "asset",
    "serial",
    "hardware_uuid",
    "last_contact",
)


@csrf_exempt
@login_not_required
def agent_endpoint(request: HttpRequest) -> HttpResponse:
    """/ocsinventory and /front/inventory.php: OCS, FusionInventory and GLPI Agent reports."""
    return protocol.handle(request)


# --- Review queue ------------------------------------------------------------------------------------


class DiscoveredDeviceListView(ObjectListView):
    """Pending devices first: without a status filter the list shows those waiting for review."""

    queryset = DiscoveredDevice.objects.select_related("asset")
    filterset = filtersets.DiscoveredDeviceFilterSet
    table = tables.DiscoveredDeviceTable
    filter_fields = ("status", "reason", "agent_type")

    def get(self, request: HttpRequest) -> HttpResponse:
        if "status" not in request.GET:
            query = request.GET.copy()
            query["status"] = DiscoveredDevice.Status.PENDING
            request.GET = query  # type: ignore[assignment]
        return super().get(request)


class AgentLinkListView(ObjectListView):
    """Every machine with an agent and when it last reported (BİG 3.1.1.2)."""

    queryset = AgentLink.objects.select_related("asset")
    filterset = filtersets.AgentLinkFilterSet
    table = tables.AgentLinkTable
    filter_fields = ("agent_type",)


def _device(request: HttpRequest, pk: int) -> DiscoveredDevice:
    require(request.user, DiscoveredDevice, "view")
    device: DiscoveredDevice = get_object_or_404(
        restrict(DiscoveredDevice.objects.select_related("asset"), request.user), pk=pk
    )
    return device


def _summary(device: DiscoveredDevice) -> Inventory | None:
    try:
        return review.stored_inventory(device)
    except ValidationError:
        return None


def _page(request: HttpRequest, device: DiscoveredDevice, tab: str, **extra: Any) -> HttpResponse:
    user = request.user
    can_decide = user.has_perm("inventory.change_discovereddevice") and device.status not in (
        DiscoveredDevice.Status.LINKED,
        DiscoveredDevice.Status.REGISTERED,
    )
    inventory = _summary(device)
    context = {
        "object": device,
        "meta": DiscoveredDevice._meta,
        "attributes": attribute_rows(device, DEVICE_FIELDS),
        "active_tab": tab,
        "inventory": inventory,
        "antivirus": antivirus_summary(inventory.antivirus) if inventory else ("", None),
        "candidates": restrict(device.candidates.all(), user).select_related("owner_unit"),
        "can_link": can_decide and user.has_perm("inventory.change_asset"),
        "can_register": can_decide and user.has_perm("inventory.add_asset"),
        "can_ignore": can_decide and device.status != DiscoveredDevice.Status.IGNORED,
        "link_form": forms.LinkForm(user=user),
        **extra,
    }
    return render(request, "inventory/agents/device.html", context)


def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _device(request, pk), "detail")


def device_history(request: HttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk)
    entries = ChangeLogEntry.objects.filter(
        content_type__app_label="inventory", content_type__model="discovereddevice", object_id=str(device.pk)
    ).order_by("-id")[:200]
    return _page(request, device, "history", entries=entries)


def _decision_allowed(request: HttpRequest, *perms: str) -> None:
    require(request.user, DiscoveredDevice, "change")
    if not all(request.user.has_perm(perm) for perm in perms):
        raise PermissionDenied


@require_POST
def device_link(request: HttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk)
    _decision_allowed(request, "inventory.change_asset")
    form = forms.LinkForm(request.POST, user=request.user)
    if not form.is_valid():
        for error in form.errors["sicil_no"]:
            messages.error(request, str(error))
        return redirect("agents:agents_device", pk=device.pk)
    asset: Asset = form.cleaned_data["sicil_no"]
    try:
        review.link_device(device, asset)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("agents:agents_device", pk=device.pk)
    messages.success(request, _("%(device)s is now the agent of %(asset)s.") % {"device": device, "asset": asset})
    return redirect("agents:agents_device", pk=device.pk)


def device_register(request: HttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk)
    _decision_allowed(request, "inventory.add_asset")
    form = forms.RegisterForm(request.POST or None, user=request.user, initial={"name": device.hostname})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asset = review.register_device(
                device, data["kind"], data["depot"], data["owner_unit"], data["entry_year"], data["name"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Registered as %(asset)s.") % {"asset": asset})
            return redirect("agents:agents_device", pk=device.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "inventory/agents/device_register.html", {"object": device, "form": form}, status=status)


def _add_errors(form: forms.RegisterForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_POST
def device_ignore(request: HttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk)
    _decision_allowed(request)
    try:
        review.ignore_device(device)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("agents:agents_device", pk=device.pk)
    messages.success(request, _("%(device)s is ignored.") % {"device": device})
    return redirect(reverse("agents:agents_device_list"))
