"""VİF pages (list, detail, draft with lines, post, reverse, PDF), stock items with the stock card, and the
move of an asset between own units. Views parse, authorise, call ``services`` and render."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DecimalField, F, Sum
from django.db.models.functions import Round
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from biys.core.pdf import pdf_response
from biys.core.text import tr_slugify
from biys.core.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView, require, restrict
from biys.inventory.models import Asset, StockIssue, StockItem, Voucher, VoucherLine
from biys.inventory.movements import filtersets, forms, services, stock, tables
from biys.org.models import Municipality, Staff

# --- helpers shared with request_views -------------------------------------------------------------


class UserFormMixin:
    """Builds ``form_class`` with the signed-in user, for choices that depend on who asks."""

    form_class: type[Any]
    request: HttpRequest

    def form(self, *args: Any, **kwargs: Any) -> Any:
        return self.form_class(*args, user=self.request.user, **kwargs)


def add_errors(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError onto a form: field errors on their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def flash(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def form_errors(form: Any) -> ValidationError:
    """A bound, invalid form's errors as one ValidationError naming the fields."""
    texts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        texts += [f"{label}: {error}" if label else str(error) for error in errors]
    return ValidationError(texts)


def person(user: Any) -> Any:
    """Who signs for a user: their staff record (name and title) if linked, else their full name."""
    if user is None:
        return None
    return Staff.objects.filter(user=user).first() or user.get_full_name() or user.get_username()


# --- VİF --------------------------------------------------------------------------------------------------

LINE_AMOUNT = Round(F("lines__quantity") * F("lines__unit_price"), 2)
VOUCHER_RELATED = (
    "depot__unit__manager",
    "depot__records_officer",
    "depot__control_officer",
    "request__requested_by",
    "reverses__depot",
    "posted_by",
)


class VoucherListView(ObjectListView):
    queryset = Voucher.objects.select_related("depot").annotate(
        total_amount=Sum(LINE_AMOUNT, output_field=DecimalField(max_digits=20, decimal_places=2))
    )
    filterset = filtersets.VoucherFilterSet
    table = tables.VoucherTable
    filter_fields = ("depot", "fiscal_year", "direction", "kind", "status")


class VoucherView(ObjectView):
    queryset = Voucher.objects.select_related(*VOUCHER_RELATED)
    template_name = "inventory/movements/voucher.html"
    fields = (
        "depot",
        "date",
        "kind",
        "direction",
        "status",
        "source_document",
        "source_date",
        "counterparty",
        "request",
        "reverses",
        "posted_at",
        "posted_by",
        "note",
    )

    def get_extra_context(self, request: HttpRequest, instance: Voucher) -> dict[str, Any]:
        user = request.user
        draft = instance.status == Voucher.Status.DRAFT
        can_change = draft and user.has_perm("inventory.change_voucher")
        lines = list(instance.lines.select_related("tasinir_code", "asset", "stock_item"))
        context: dict[str, Any] = {
            "lines": lines,
            "total": sum((line.amount for line in lines), start=0),
            "reversed_by": Voucher.objects.select_related("depot").filter(reverses=instance).first(),
            "issues": StockIssue.objects.filter(exit_line__voucher=instance).select_related("lot", "unit"),
            "can_change": can_change,
            "line_form": forms.VoucherLineForm(user=user, depot=instance.depot) if can_change else None,
            "can_post": draft and user.has_perm("inventory.post_voucher"),
            "can_reverse": instance.status == Voucher.Status.POSTED
            and instance.kind != Voucher.Kind.REVERSAL
            and user.has_perm("inventory.post_voucher"),
        }
        if not draft:  # TMY md. 39: a posted VİF is never edited or deleted
            context.update(edit_url="", delete_url="")
        return context


class VoucherCreateView(View):
    """A draft VİF: the header and a formset of lines, made by ``services.create_draft``."""

    template_name = "inventory/movements/voucher_create.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Voucher, "add")
        initial = {key: value for key, value in request.GET.items() if key in forms.VoucherForm.Meta.fields}
        form = forms.VoucherForm(user=request.user, initial=initial)
        lines = forms.VoucherLineFormSet(prefix="lines", form_kwargs={"user": request.user})
        return self.render(request, form, lines)

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Voucher, "add")
        form = forms.VoucherForm(request.POST, user=request.user)
        lines = forms.VoucherLineFormSet(request.POST, prefix="lines", form_kwargs={"user": request.user})
        if all([form.is_valid(), lines.is_valid()]):  # validate both, to show every error at once
            data = form.cleaned_data
            try:
                voucher = services.create_draft(
                    data["depot"], data["kind"], data["date"], [f.line() for f in forms.filled(lines)], **form.header()
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Draft saved: %(voucher)s") % {"voucher": voucher})
                return redirect(voucher.get_absolute_url())
        return self.render(request, form, lines, status=422)

    def render(self, request: HttpRequest, form: Any, lines: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, "lines": lines, "meta": Voucher._meta}
        return render(request, self.template_name, context, status=status)


class DraftOnlyMixin:
    """Edit pages of documents that freeze once they leave the draft state."""

    queryset: Any
    locked_message = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pk = kwargs.get("pk")
        if pk is not None and request.user.is_authenticated:
            instance = self.visible(request).filter(pk=pk).first()
            if instance is not None and instance.status != "draft":
                messages.error(request, str(self.locked_message))
                return redirect(instance.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]

    def visible(self, request: HttpRequest) -> Any:
        return restrict(self.queryset, request.user)


class VoucherEditView(DraftOnlyMixin, UserFormMixin, ObjectEditView):  # type: ignore[misc]
    queryset = Voucher.objects.all()
    form_class = forms.VoucherForm
    locked_message = _("A posted VİF is never edited; reverse it and record a new one (TMY md. 39).")


class VoucherDeleteView(ObjectDeleteView):
    queryset = Voucher.objects.select_related("depot")


def _voucher(request: HttpRequest, pk: int) -> Voucher:
    require(request.user, Voucher, "view")
    voucher: Voucher = get_object_or_404(
        restrict(Voucher.objects.select_related(*VOUCHER_RELATED), request.user), pk=pk
    )
    return voucher


@require_POST
def voucher_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = _voucher(request, pk)
    require(request.user, Voucher, "change")
    form = forms.VoucherLineForm(request.POST, user=request.user, depot=voucher.depot)
    try:
        if not form.is_valid():
            raise form_errors(form)
        services.add_line(voucher, form.line())
    except ValidationError as exc:
        flash(request, exc)
    else:
        messages.success(request, _("Line added."))
    return redirect(voucher.get_absolute_url())


@require_POST
def voucher_line_remove(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    voucher = _voucher(request, pk)
    require(request.user, Voucher, "change")
    try:
        services.remove_line(get_object_or_404(VoucherLine, pk=line, voucher=voucher))
    except ValidationError as exc:
        flash(request, exc)
    else:
        messages.success(request, _("Line removed."))
    return redirect(voucher.get_absolute_url())


@require_POST
def voucher_post(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = _voucher(request, pk)
    try:
        posted = services.post_and_receive(voucher, request.user)
    except ValidationError as exc:
        flash(request, exc)
    else:
        messages.success(request, _("Posted as %(voucher)s.") % {"voucher": posted})
    return redirect(voucher.get_absolute_url())


def voucher_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Correction of a posted VİF (TMY md. 39): a reversing VİF with the reason; the two link each other."""
    voucher = _voucher(request, pk)
    if not request.user.has_perm("inventory.post_voucher"):
        raise PermissionDenied
    form = forms.ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = services.reverse_and_restore(
                voucher, request.user, form.cleaned_data["reason"], on=form.cleaned_data["date"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("%(voucher)s is reversed by %(reversal)s.") % {"voucher": voucher, "reversal": reversal}
            )
            return redirect(reversal.get_absolute_url())
    context = {"object": voucher, "form": form, "meta": Voucher._meta}
    status = 422 if request.method == "POST" else 200
    return render(request, "inventory/movements/voucher_reverse.html", context, status=status)


def voucher_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The Varlık İşlem Fişi to print in at least three copies (TMY md. 10/1-a, 15/1)."""
    voucher = _voucher(request, pk)
    lines = list(voucher.lines.select_related("tasinir_code", "asset"))
    entry = voucher.direction == Voucher.Direction.ENTRY
    officer = voucher.depot.records_officer
    requester = voucher.request.requested_by if voucher.request else None
    context = {
        "voucher": voucher,
        "lines": lines,
        "total": sum((line.amount for line in lines), start=0),
        "quantity": sum((line.quantity for line in lines), start=0),
        "reversed_by": Voucher.objects.select_related("depot").filter(reverses=voucher).first(),
        "deliverer": voucher.counterparty if entry else officer,
        "receiver": officer if entry else (requester or voucher.counterparty),
        "poster": person(voucher.posted_by),
        "municipality": Municipality.cached(),
        "today": timezone.localdate(),
    }
    number = voucher.number if voucher.number is not None else "taslak"
    filename = f"vif-{tr_slugify(voucher.depot.code)}-{voucher.fiscal_year}-{number}.pdf"
    return pdf_response("inventory/movements/pdf/voucher.html", context, filename, request)


# --- Stock items -----------------------------------------------------------------------------------------


class StockItemListView(ObjectListView):
    queryset = StockItem.objects.select_related("depot", "tasinir_code")
    filterset = filtersets.StockItemFilterSet
    table = tables.StockItemTable
    filter_fields = ("depot", "reorder")
    template_name = "inventory/movements/stockitem_list.html"  # adds the stock import button


def stock_reorder(request: HttpRequest) -> HttpResponse:
    """The reorder warnings: the stock list filtered to items at or below their reorder level."""
    require(request.user, StockItem, "view")
    return redirect(f"{reverse('inventory:stockitem_list')}?reorder=true")


class StockItemView(ObjectView):
    queryset = StockItem.objects.select_related("depot", "tasinir_code")
    template_name = "inventory/movements/stockitem.html"
    fields = ("depot", "tasinir_code", "name", "part_number", "unit_of_measure", "quantity_on_hand", "reorder_level")

    def get_extra_context(self, request: HttpRequest, instance: StockItem) -> dict[str, Any]:
        lots = instance.lots.select_related("entry_line__voucher__depot").order_by("-received_on", "-id")
        issues = instance.issues.select_related("exit_line__voucher__depot", "unit", "lot").order_by("-date", "-id")
        return {"lots": lots[:50], "issues": issues[:30], "low": instance.below_reorder_level}


class StockItemEditView(UserFormMixin, ObjectEditView):  # type: ignore[misc]
    queryset = StockItem.objects.all()
    form_class = forms.StockItemForm


class StockItemDeleteView(ObjectDeleteView):
    queryset = StockItem.objects.all()


def _card_year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    year = int(text) if text.isdigit() else timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def stock_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The stock card of an item for a year: opening balance, every posted movement, running balance."""
    require(request.user, StockItem, "view")
    item = get_object_or_404(restrict(StockItem.objects.select_related("depot", "tasinir_code"), request.user), pk=pk)
    year = _card_year(request)
    opening, rows = stock.stock_card(item, year)
    closing = rows[-1].balance if rows else opening
    if request.GET.get("export") == "xlsx":
        return _card_xlsx(item, year, opening, rows)
    context = {"object": item, "year": year, "opening": opening, "rows": rows, "closing": closing}
    return render(request, "inventory/movements/stock_card.html", context)


def _card_xlsx(item: StockItem, year: int, opening: Any, rows: list[stock.CardRow]) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = str(year)
    sheet.append([_("Stock card"), item.name, str(item.depot), item.tasinir_code.code, item.unit_of_measure])
    sheet.append([])
    heads = (_("Date"), _("VİF no"), _("Transaction"), _("In"), _("Out"), _("Balance"), _("Unit price"), _("Amount"))
    sheet.append([str(head) for head in heads])
    sheet.append([None, None, _("Opening balance"), None, None, opening, None, None])
    for row in rows:
        sheet.append(
            [
                row.date,
                str(row.voucher),
                row.kind,
                row.quantity_in,
                row.quantity_out,
                row.balance,
                row.unit_price,
                row.amount,
            ]
        )
        sheet.cell(row=sheet.max_row, column=1).number_format = "DD.MM.YYYY"
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="stok-karti-{item.pk}-{year}.xlsx"'
    return response


# --- Transfer between own units ---------------------------------------------------------------------------


def asset_unit_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Give an asset (with its parts) to another unit of the municipality: no VİF, the change log keeps it."""
    require(request.user, Asset, "change")
    asset = get_object_or_404(restrict(Asset.objects.select_related("owner_unit", "holder"), request.user), pk=pk)
    form = forms.UnitTransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.transfer_to_unit(asset, form.cleaned_data["unit"], request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(count)s item(s) now belong to %(unit)s.")
                % {"count": len(moved), "unit": form.cleaned_data["unit"]},
            )
            return redirect(asset.get_absolute_url() or reverse("inventory:asset_unit_transfer", args=[asset.pk]))
    context = {"object": asset, "form": form, "parts": asset.components.select_related("owner_unit")}
    status = 422 if request.method == "POST" else 200
    return render(request, "inventory/movements/asset_unit_transfer.html", context, status=status)
