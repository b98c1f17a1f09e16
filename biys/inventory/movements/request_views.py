"""Taşınır İstek Belgesi pages: a unit asks, a manager approves, the depot issues or transfers out.

A unit sees its own requests even when they are kept by another unit's depot (``orders.visible_requests``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from biys.core.pdf import pdf_response
from biys.core.views import (
    ObjectChangeLogView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    check_version,
    require,
)
from biys.inventory.models import StockRequest, StockRequestLine
from biys.inventory.movements import filtersets, forms, orders, tables
from biys.inventory.movements.views import add_errors, flash, form_errors, person
from biys.org.models import Municipality

RELATED = (
    "depot__unit__manager",
    "depot__records_officer",
    "depot__control_officer",
    "unit",
    "requested_by",
    "approved_by",
)


def visible(user: Any) -> QuerySet[StockRequest]:
    return StockRequest.objects.select_related(*RELATED).filter(orders.visible_requests(user))


class RequestScopeMixin:
    def get_object(self, request: HttpRequest, pk: Any) -> Any:
        return get_object_or_404(visible(request.user), pk=pk)


class StockRequestListView(ObjectListView):
    queryset = StockRequest.objects.select_related("depot", "unit", "requested_by", "approved_by")
    filterset = filtersets.StockRequestFilterSet
    table = tables.StockRequestTable
    filter_fields = ("depot", "year", "status", "unit")

    def get_queryset(self, request: HttpRequest) -> QuerySet[StockRequest]:
        return self.queryset.filter(orders.visible_requests(request.user))


class StockRequestView(RequestScopeMixin, ObjectView):
    queryset = StockRequest.objects.select_related(*RELATED)
    template_name = "inventory/movements/stockrequest.html"
    fields = ("depot", "date", "unit", "requested_by", "status", "approved_by", "approved_at", "purpose")

    def get_extra_context(self, request: HttpRequest, instance: StockRequest) -> dict[str, Any]:
        user = request.user
        can_edit = orders.can_edit(user, instance)
        decider = user.has_perm("inventory.approve_stockrequest")
        issuer = instance.status == StockRequest.Status.APPROVED and user.has_perm("inventory.post_voucher")
        return {
            "number": tables.number_of(instance),
            "lines": instance.lines.select_related("stock_item__tasinir_code", "asset"),
            "vouchers": instance.vouchers.select_related("depot"),
            "can_edit": can_edit,
            "line_form": forms.RequestLineForm() if can_edit else None,
            "can_approve": decider and instance.status == StockRequest.Status.SUBMITTED,
            "can_reject": decider and instance.status in (StockRequest.Status.SUBMITTED, StockRequest.Status.APPROVED),
            "can_issue": issuer,
            "edit_url": context_url(can_edit, "inventory:stockrequest_edit", instance),
            "delete_url": context_url(
                instance.status == StockRequest.Status.DRAFT and user.has_perm("inventory.delete_stockrequest"),
                "inventory:stockrequest_delete",
                instance,
            ),
        }


def context_url(allowed: bool, name: str, instance: Any) -> str:
    return reverse(name, args=[instance.pk]) if allowed else ""


class StockRequestCreateView(View):
    """A draft request: the depot, the purpose and a formset of lines; the asker is the signed-in user."""

    template_name = "inventory/movements/stockrequest_create.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, StockRequest, "add")
        form = forms.StockRequestForm(initial={k: v for k, v in request.GET.items() if k in ("depot", "purpose")})
        return self.render(request, form, forms.RequestLineFormSet(prefix="lines"))

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, StockRequest, "add")
        form = forms.StockRequestForm(request.POST)
        lines = forms.RequestLineFormSet(request.POST, prefix="lines")
        if all([form.is_valid(), lines.is_valid()]):  # validate both, to show every error at once
            wanted = [line.wanted() for line in forms.filled(lines)]
            try:
                order = orders.create_request(
                    form.cleaned_data["depot"], request.user, form.cleaned_data["purpose"], wanted
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Draft request saved; submit it when it is complete."))
                return redirect(order.get_absolute_url())
        return self.render(request, form, lines, status=422)

    def render(self, request: HttpRequest, form: Any, lines: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, "lines": lines, "meta": StockRequest._meta}
        return render(request, self.template_name, context, status=status)


class StockRequestEditView(RequestScopeMixin, ObjectEditView):
    """The header of a draft, changed by the asker or the depot's staff."""

    queryset = StockRequest.objects.all()
    form = forms.StockRequestForm

    def get_instance(self, request: HttpRequest, pk: Any) -> Any:
        instance = self.get_object(request, pk)
        if not orders.can_edit(request.user, instance):
            raise PermissionDenied
        return instance

    def save(self, request: HttpRequest, form: Any, instance: Any) -> Any:
        check_version(StockRequest, instance.pk, form.cleaned_data.get("_version", ""))
        return form.save()


class StockRequestDeleteView(RequestScopeMixin, ObjectDeleteView):
    queryset = StockRequest.objects.all()

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        require(request.user, StockRequest, "delete")
        instance = self.get_object(request, pk)
        if instance.status != StockRequest.Status.DRAFT:
            messages.error(request, _("Only a draft request can be deleted; a submitted one stays on the record."))
            return redirect(instance.get_absolute_url())
        return super().post(request, pk)


class StockRequestHistoryView(RequestScopeMixin, ObjectChangeLogView):
    queryset = StockRequest.objects.all()


def _order(request: HttpRequest, pk: int) -> StockRequest:
    require(request.user, StockRequest, "view")
    order: StockRequest = get_object_or_404(visible(request.user), pk=pk)
    return order


def _run(request: HttpRequest, order: StockRequest, step: Callable[[], Any], done: str) -> HttpResponse:
    try:
        step()
    except ValidationError as exc:
        flash(request, exc)
    else:
        messages.success(request, done)
    return redirect(order.get_absolute_url())


@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    form = forms.RequestLineForm(request.POST)

    def step() -> None:
        if not form.is_valid():
            raise form_errors(form)
        orders.add_request_line(order, form.wanted(), request.user)

    return _run(request, order, step, _("Line added."))


@require_POST
def line_remove(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    order = _order(request, pk)
    target = get_object_or_404(StockRequestLine, pk=line, request=order)
    return _run(request, order, lambda: orders.remove_request_line(target, request.user), _("Line removed."))


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    return _run(request, order, lambda: orders.submit(order, request.user), _("Submitted for approval."))


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    return _run(request, order, lambda: orders.approve(order, request.user), _("Approved: the depot may issue it."))


@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    return _run(request, order, lambda: orders.issue_request(order, request.user), _("Issued to the unit."))


def reject(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    if not request.user.has_perm("inventory.approve_stockrequest"):
        raise PermissionDenied
    form = forms.RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            orders.reject(order, request.user, form.cleaned_data["reason"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Request rejected."))
            return redirect(order.get_absolute_url())
    return _step_page(request, order, form, _("Reject the request"), _("Reject"))


def transfer_out(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the requested items, their parts and consumables to another institution (TMY md. 24)."""
    order = _order(request, pk)
    if not request.user.has_perm("inventory.post_voucher"):
        raise PermissionDenied
    form = forms.TransferOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            voucher = orders.transfer_out(order, request.user, data["counterparty"], on=data["date"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Transferred out on %(voucher)s.") % {"voucher": voucher})
            return redirect(voucher.get_absolute_url())
    return _step_page(request, order, form, _("Transfer to another institution"), _("Post the transfer-out VİF"))


def _step_page(request: HttpRequest, order: StockRequest, form: Any, title: str, button: str) -> HttpResponse:
    context = {"object": order, "number": tables.number_of(order), "form": form, "title": title, "button": button}
    status = 422 if request.method == "POST" else 200
    return render(request, "inventory/movements/stockrequest_step.html", context, status=status)


def request_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The Taşınır İstek Belgesi (TMY md. 10/1-c) with the signatures of the asker and the approver."""
    order = _order(request, pk)
    context = {
        "order": order,
        "number": tables.number_of(order),
        "lines": orders.lines_with_issued(order),
        "approver": person(order.approved_by),
        "vouchers": order.vouchers.select_related("depot"),
        "municipality": Municipality.cached(),
        "today": timezone.localdate(),
    }
    filename = f"istek-belgesi-{order.depot.code}-{order.year}-{order.number or 'taslak'}.pdf"
    return pdf_response("inventory/movements/pdf/stockrequest.html", context, filename, request)
