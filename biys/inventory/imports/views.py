"""Import pages: upload → preview (everything checked, nothing written) → commit (one transaction).
Up to ``SYNC_LIMIT`` assets are registered in the request; larger files go to a task with a status page."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from biys.inventory import numbering
from biys.inventory.imports import services, storage, tasks
from biys.inventory.imports.forms import AssetImportForm

SYNC_LIMIT = 5_000
PREVIEW_ROWS = 50
FAILED = "inventory/imports/failed.html"  # an import that wrote nothing; ``retry`` names the upload page
RETRY = "inventory:import_assets"


def _authorize(request: HttpRequest) -> None:
    if not request.user.has_perm("inventory.add_asset"):
        raise PermissionDenied


@login_required
def import_assets(request: HttpRequest) -> HttpResponse:
    _authorize(request)
    form = AssetImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = storage.save(upload, upload.name.rsplit(".", 1)[1].lower())
        token = storage.make_token(name, request.user.pk, form.cleaned_data["commissioned"])
        return redirect(f"{reverse('inventory:import_preview')}?token={token}")
    status = 422 if request.method == "POST" else 200
    return render(request, "inventory/imports/upload.html", {"form": form, "columns": services.COLUMNS}, status=status)


@login_required
def import_preview(request: HttpRequest) -> HttpResponse:
    _authorize(request)
    token = request.GET.get("token", "")
    payload = storage.read_token(token, request.user.pk)
    if payload is None:
        messages.error(request, _("The uploaded file has expired or was already imported; upload it again."))
        return redirect("inventory:import_assets")
    data, extension = storage.load(payload["file"])
    try:
        plan = services.plan(data, extension)
    except ValidationError as exc:
        storage.delete(payload["file"])
        return _upload_error(request, exc.messages)
    context = {
        "plan": plan,
        "rows": _preview_rows(plan),
        "token": token,
        "commissioned": payload["commissioned"],
        "asynchronous": plan.asset_count > SYNC_LIMIT,
    }
    return render(request, "inventory/imports/preview.html", context, status=422 if plan.errors else 200)


def _upload_error(request: HttpRequest, errors: list[str], status: int = 422) -> HttpResponse:
    form = AssetImportForm()
    context = {"form": form, "columns": services.COLUMNS, "file_errors": errors}
    return render(request, "inventory/imports/upload.html", context, status=status)


def _preview_rows(plan: services.Plan) -> list[dict[str, Any]]:
    """The first rows as they will be registered, with the sicil numbers they should get (TMY md. 36)."""
    next_sequence: dict[tuple[int, int], int] = {}
    shown = []
    for row in plan.rows:
        key = (row.kind.tasinir_code_id, row.entry_year)
        if key not in next_sequence:
            next_sequence[key] = numbering.next_asset_sequence(row.kind.tasinir_code, row.entry_year)
        first = next_sequence[key]
        next_sequence[key] += row.quantity
        if len(shown) < PREVIEW_ROWS:
            code = row.kind.tasinir_code
            sicil = numbering.sicil_no(code, row.entry_year, first)
            if row.quantity > 1:
                sicil += " … " + numbering.sicil_no(code, row.entry_year, first + row.quantity - 1)
            shown.append({"row": row, "sicil": sicil, "location": " / ".join(p for p in row.location or () if p)})
    return shown


@login_required
@require_POST
def import_commit(request: HttpRequest) -> HttpResponse:
    _authorize(request)
    payload = storage.read_token(request.POST.get("token", ""), request.user.pk)
    if payload is None:
        messages.error(request, _("The uploaded file has expired or was already imported; upload it again."))
        return redirect("inventory:import_assets")
    name = payload["file"]
    if "cancel" in request.POST:
        storage.delete(name)
        messages.info(request, _("Import cancelled; nothing was registered."))
        return redirect("inventory:import_assets")
    staff = getattr(request.user, "staff", None)
    data, extension = storage.load(name)
    if _asset_count(data, extension) > SYNC_LIMIT:
        job = uuid.uuid4().hex
        tasks.set_status(job, state="queued", done=0, total=0, user=request.user.pk)
        tasks.run_asset_import.enqueue(job, name, payload["commissioned"], staff.pk if staff else None, request.user.pk)
        return redirect("inventory:import_status", job=job)
    return _commit_now(request, name, data, extension, payload["commissioned"], staff)


def _asset_count(data: bytes, extension: str) -> int:
    try:
        return services.asset_count(data, extension)
    except ValidationError:
        return 0  # the commit reports the problem


def _commit_now(
    request: HttpRequest, name: str, data: bytes, extension: str, commissioned: bool, staff: Any
) -> HttpResponse:
    try:
        created = services.commit(data, extension, services.Options(commissioned=commissioned), staff)
    except services.ImportFailed as exc:
        context = {"errors": exc.errors, "token": request.POST["token"], "retry": RETRY}
        return render(request, FAILED, context, status=422)
    except ValidationError as exc:
        return render(request, FAILED, {"messages_list": exc.messages, "retry": RETRY}, status=422)
    storage.delete(name)
    messages.success(
        request,
        _("%(count)d assets registered: %(first)s … %(last)s.")
        % {"count": len(created), "first": created[0].sicil_no, "last": created[-1].sicil_no},
    )
    return redirect("inventory:asset_list")


@login_required
def import_status(request: HttpRequest, job: str) -> HttpResponse:
    _authorize(request)
    status = cache.get(tasks.status_key(job))
    if status is None or status.get("user") != request.user.pk:
        raise Http404
    template = "inventory/imports/_status.html" if request.htmx else "inventory/imports/status.html"
    return render(request, template, {"status": status, "job": job})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """An .xlsx with the Turkish headers and one example row."""
    _authorize(request)
    return xlsx_template("Taşınırlar", services.COLUMNS, EXAMPLE_ROW, "tasinir-ice-aktarma-sablonu.xlsx")


def xlsx_template(
    title: str, columns: dict[str, Any], example: list[Any], filename: str, formats: dict[int, str] | None = None
) -> HttpResponse:
    """An import's template: the columns' Turkish headers in bold, one example row (``formats``: Excel number
    formats of some of its cells, by index)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([label for label, _aliases in columns.values()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(example)
    for index, number_format in (formats or {}).items():
        sheet[2][index].number_format = number_format
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = max(12, len(str(column[0].value)) + 4)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


EXAMPLE_ROW = [
    "Dizüstü bilgisayar",
    "255.02.01.01.02",
    "01",
    "BIM",
    2026,
    1,
    "Lenovo",
    "ThinkPad T14",
    "PF3ABC12",
    "A-2026-118",
    "15.01.2026",
    "38.900,00",
    "Örnek Bilişim Ltd. Şti.",
    "15.01.2029",
    "Hizmet Binası / 3 / 301",
    "BIM-LT-001",
    "10.1.3.21",
    "00:1A:2B:3C:4D:5E",
    "16 GB RAM, 512 GB SSD",
]
