"""Stock import pages: upload → preview (everything checked, nothing written) → commit (one transaction) or
cancel. The rows become one posted inventory-entry VİF per depot, so the pages need what posting a VİF
needs; the plan refuses depots the user may not post for (TMY md. 6/3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from biys.inventory.imports import stock, storage
from biys.inventory.imports.forms import StockImportForm
from biys.inventory.imports.views import FAILED, xlsx_template
from biys.inventory.models import Voucher

PREVIEW_ROWS = 50
# Posting a VİF, making its draft and creating the stock items it brings in.
PERMISSIONS = ("inventory.post_voucher", "inventory.add_voucher", "inventory.add_stockitem")
UPLOAD = "inventory/imports/stock_upload.html"
RETRY = "inventory:import_stock"


def _user_id(request: HttpRequest) -> int:
    return cast(int, request.user.pk)  # signed in: login_required runs first


def _authorize(request: HttpRequest) -> None:
    if not request.user.has_perms(PERMISSIONS):
        raise PermissionDenied


@login_required
def import_stock(request: HttpRequest) -> HttpResponse:
    _authorize(request)
    form = StockImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = storage.save(upload, upload.name.rsplit(".", 1)[1].lower())
        token = storage.make_token(name, _user_id(request), False, kind="stock")
        return redirect(f"{reverse('inventory:import_stock_preview')}?token={token}")
    status = 422 if request.method == "POST" else 200
    return render(request, UPLOAD, {"form": form, "columns": stock.COLUMNS}, status=status)


def _expired(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("The uploaded file has expired or was already imported; upload it again."))
    return redirect("inventory:import_stock")


@login_required
def import_stock_preview(request: HttpRequest) -> HttpResponse:
    _authorize(request)
    token = request.GET.get("token", "")
    payload = storage.read_token(token, _user_id(request), kind="stock")
    if payload is None:
        return _expired(request)
    data, extension = storage.load(payload["file"])
    try:
        plan = stock.plan(data, extension, request.user)
    except ValidationError as exc:
        storage.delete(payload["file"])
        context = {"form": StockImportForm(), "columns": stock.COLUMNS, "file_errors": exc.messages}
        return render(request, UPLOAD, context, status=422)
    totals = plan.totals()
    stock.next_numbers(totals, plan.on.year)
    context = {
        "plan": plan,
        "rows": plan.rows[:PREVIEW_ROWS],
        "totals": totals,
        "token": token,
        "kind": Voucher.Kind(stock.KIND).label,
    }
    return render(request, "inventory/imports/stock_preview.html", context, status=422 if plan.errors else 200)


@login_required
@require_POST
def import_stock_commit(request: HttpRequest) -> HttpResponse:
    _authorize(request)
    token = request.POST.get("token", "")
    payload = storage.read_token(token, _user_id(request), kind="stock")
    if payload is None:
        return _expired(request)
    name = payload["file"]
    if "cancel" in request.POST:
        storage.delete(name)
        messages.info(request, _("Import cancelled; nothing was registered."))
        return redirect("inventory:import_stock")
    data, extension = storage.load(name)
    try:
        posted = stock.commit(data, extension, request.user)
    except stock.ImportFailed as exc:
        return render(request, FAILED, {"errors": exc.errors, "retry": RETRY}, status=422)
    except ValidationError as exc:
        return render(request, FAILED, {"messages_list": exc.messages, "retry": RETRY}, status=422)
    storage.delete(name)
    lines = sum(voucher.lines.count() for voucher in posted)
    messages.success(request, _summary(lines, posted))
    return redirect("inventory:stockitem_list")


def _summary(lines: int, posted: list[Voucher]) -> str:
    return ngettext(
        "%(lines)d stock lines entered on %(count)d posted VİF: %(vouchers)s.",
        "%(lines)d stock lines entered on %(count)d posted VİFs: %(vouchers)s.",
        len(posted),
    ) % {"lines": lines, "count": len(posted), "vouchers": ", ".join(str(voucher) for voucher in posted)}


@login_required
def import_stock_template(request: HttpRequest) -> HttpResponse:
    """An .xlsx with the Turkish headers and one example row (numbers and the date as Excel cells)."""
    _authorize(request)
    formats = {6: "#,##0.00", 9: "dd.mm.yyyy"}  # the unit price and the invoice date
    return xlsx_template("Stok", stock.COLUMNS, _example_row(), "stok-ice-aktarma-sablonu.xlsx", formats)


def _example_row() -> list[Any]:
    today = timezone.localdate()  # an invoice is never dated after the VİF, which is dated today
    return [
        "01",
        "150.01.04.01",
        "HP 26A toner (CF226A)",
        "CF226A",
        "Adet",
        12,
        1250,
        4,
        "FTR2026-0077",
        datetime(today.year, today.month, today.day),
    ]
