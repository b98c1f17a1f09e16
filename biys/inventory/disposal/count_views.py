"""Count pages (sayım, TMY md. 32-34): list, detail, opening, the phone scanning page and the Sayım Tutanağı."""

from __future__ import annotations

from functools import partial
from typing import Any

import django_tables2 as dt2
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from biys.core.pdf import pdf_response
from biys.core.views import ObjectEditView, ObjectListView, ObjectView, require, restrict
from biys.inventory.disposal import counting, filtersets, forms, tables
from biys.inventory.disposal.views import form_errors
from biys.inventory.models import CountLine, CountSession, ScrapProposal
from biys.org.models import Municipality

CLOSED = CountSession.Status.CLOSED
LINE_FILTERS = ("all", "differences", "missing", "records", "stock")


class CountSessionListView(ObjectListView):
    queryset = CountSession.objects.select_related("depot", "location").annotate(line_count=Count("lines"))
    filterset = filtersets.CountSessionFilterSet
    table = tables.CountSessionTable
    filter_fields = ("depot", "status", "year")


def filter_lines(lines: QuerySet[CountLine], show: str) -> QuerySet[CountLine]:
    if show == "differences":
        return counting.first_differences(lines)
    if show == "missing":
        return lines.filter(asset__isnull=False, expected__gt=0, first_count__isnull=True)
    if show == "records":
        return lines.filter(counting.records_only_q())
    if show == "stock":
        return lines.filter(stock_item__isnull=False)
    return lines


class CountSessionView(ObjectView):
    queryset = CountSession.objects.select_related("depot__records_officer", "location")
    template_name = "inventory/disposal/countsession.html"
    fields = ("depot", "location", "date", "status", "freeze_movements")

    def get_extra_context(self, request: HttpRequest, instance: CountSession) -> dict[str, Any]:
        user = request.user
        show = request.GET.get("show", "all")
        show = show if show in LINE_FILTERS else "all"
        lines = instance.lines.select_related("session", "asset__holder", "stock_item", "scanned_by")
        table = tables.CountLineTable(filter_lines(lines, show), request=request)
        dt2.RequestConfig(request, paginate={"per_page": 100}).configure(table)
        vouchers = list(counting.count_vouchers(instance))
        is_open = instance.status != CLOSED
        can_manage = user.has_perm("inventory.change_countsession") and is_open
        return {
            "board": instance.board.order_by("sort_name"),
            "summary": counting.summary(instance),
            "line_table": table,
            "show": show,
            "line_filters": LINE_FILTERS,
            "vouchers": vouchers,
            "loss_proposals": ScrapProposal.objects.filter(exit_voucher__in=[v.pk for v in vouchers]),
            "can_count": user.has_perm("inventory.change_countline") and is_open,
            "can_second": can_manage and instance.status == CountSession.Status.OPEN,
            "can_close": can_manage and user.has_perm("inventory.post_voucher"),
            **({} if is_open else {"edit_url": ""}),
        }


class CountSessionEditView(ObjectEditView):
    """Open a count (its lines are listed from the records at once) or change the board of an open one."""

    queryset = CountSession.objects.all()

    @property
    def form(self) -> Any:  # type: ignore[override]
        return partial(forms.CountSessionForm, user=self.request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pk = kwargs.get("pk")
        if pk is not None:
            require(request.user, CountSession, "change")
            instance = self.get_object(request, pk)
            if instance.status == CLOSED:
                messages.error(request, _("A closed count cannot be changed."))
                return redirect(instance.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def save(self, request: HttpRequest, form: Any, instance: Any) -> Any:
        if instance.pk is not None:
            return super().save(request, form, instance)
        data = form.cleaned_data
        return counting.open_count(
            data["depot"],
            data["date"],
            data["board"],
            location=data["location"],
            freeze_movements=data["freeze_movements"],
        )


def _session(request: HttpRequest, pk: int) -> CountSession:
    require(request.user, CountSession, "view")
    return get_object_or_404(restrict(CountSession.objects.select_related("depot", "location"), request.user), pk=pk)


def _scan_url(session: CountSession) -> str:
    return reverse("inventory:countsession_scan", kwargs={"pk": session.pk})


def for_entry(line: CountLine, second: bool) -> CountLine:
    """Give a stock line the value its quantity field shows: this round's entry. The records' figure is not
    shown on the scan page, so the counters count blind."""
    line.entered = tables.plain(line.second_count if second else line.first_count)  # type: ignore[attr-defined]
    return line


def live_context(session: CountSession) -> dict[str, Any]:
    """What the scan page refreshes after every entry: the progress and the list still to be recounted."""
    second = session.status == CountSession.Status.SECOND
    recount: QuerySet[CountLine] = CountLine.objects.none()
    if second:
        assets = session.lines.filter(asset__isnull=False).select_related("asset")
        recount = counting.first_differences(assets).order_by("asset__sicil_no")
    return {"session": session, "summary": counting.summary(session), "recount_lines": recount, "second": second}


def scan_context(session: CountSession) -> dict[str, Any]:
    context = live_context(session)
    lines = session.lines.select_related("asset", "stock_item", "scanned_by")
    stock = lines.filter(stock_item__isnull=False).order_by("stock_item__name")
    if context["second"]:
        stock = counting.first_differences(stock)
    recent = lines.filter(asset__isnull=False, scanned_by__isnull=False).order_by("-updated_at")[:8]
    return {**context, "stock_lines": [for_entry(line, context["second"]) for line in stock], "recent": recent}


def countsession_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page: one big field that takes a typed or scanned registry number (HTMX, no reload)."""
    session = _session(request, pk)
    require(request.user, CountLine, "change")
    if request.method != "POST":
        return render(request, "inventory/disposal/count_scan.html", scan_context(session))
    form = forms.ScanForm(request.POST)
    result, error = None, ""
    if form.is_valid():
        try:
            result = counting.scan(session, form.cleaned_data["code"], request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = form_errors(form)
    if request.htmx:
        context = {**live_context(session), "result": result, "error": error}
        return render(request, "inventory/disposal/inc/scan_result.html", context)
    if error:
        messages.error(request, error)
    elif result is not None:
        (messages.success if result.counted else messages.warning)(request, result.message)
    return redirect(_scan_url(session))


def _line(request: HttpRequest, pk: int, line_pk: int) -> tuple[CountSession, CountLine]:
    session = _session(request, pk)
    require(request.user, CountLine, "change")
    line = get_object_or_404(session.lines.select_related("asset", "stock_item"), pk=line_pk)
    return session, line


@require_POST
def countline_quantity(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    """The counted quantity of one stock line (first count, or second count of a difference)."""
    session, line = _line(request, pk, line_pk)
    form = forms.QuantityForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            line = counting.record_quantity(session, line, form.cleaned_data["quantity"], request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = form_errors(form)
    if request.htmx:
        session.refresh_from_db()
        context = live_context(session)
        context.update(line=for_entry(line, context["second"]), error=error, refresh=True)
        return render(request, "inventory/disposal/inc/stock_line.html", context)
    if error:
        messages.error(request, error)
    return redirect(_scan_url(session))


@require_POST
def countline_undo(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    """Take back a mistaken scan."""
    session, line = _line(request, pk, line_pk)
    result, error = None, ""
    try:
        line = counting.undo(session, line, request.user)
        result = counting.ScanResult("undone", _("%(asset)s taken back.") % {"asset": line.asset}, line, line.asset)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        context = {**live_context(session), "result": result, "error": error}
        return render(request, "inventory/disposal/inc/scan_result.html", context)
    if error:
        messages.error(request, error)
    elif result is not None:
        messages.info(request, result.message)
    return redirect(_scan_url(session))


def _count_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    session = _session(request, pk)
    require(request.user, CountSession, "change")
    try:
        if step == "second":
            counting.start_second_count(session)
            messages.success(request, _("Second count started: only the differences are counted again."))
        else:
            outcome = counting.close_count(session, request.user)
            documents = [str(voucher) for voucher in outcome.vouchers]
            if outcome.loss_proposal is not None:
                documents.append(_("draft write-off %(proposal)s") % {"proposal": outcome.loss_proposal})
            messages.success(
                request,
                _("Count closed. %(documents)s")
                % {"documents": ", ".join(documents) if documents else _("No differences.")},
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(session.get_absolute_url())


@require_POST
def countsession_second(request: HttpRequest, pk: int) -> HttpResponse:
    return _count_step(request, pk, "second")


@require_POST
def countsession_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _count_step(request, pk, "close")


def countsession_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The Sayım Tutanağı (TMY md. 10/1-g, 32): what was counted, the differences, the board's signatures."""
    session = _session(request, pk)
    lines = session.lines.select_related(
        "asset__holder", "asset__kind", "asset__tasinir_code", "stock_item__tasinir_code"
    ).order_by("stock_item__name", "asset__sicil_no", "id")
    rows = counting.rows(lines)
    counted = [row for row in rows if not row["records_only"]]
    context = {
        "session": session,
        "board": list(session.board.order_by("sort_name")),
        "counted": counted,
        "records": [row for row in rows if row["records_only"]],
        "differences": [row for row in counted if row["delta"] != 0],
        "vouchers": list(counting.count_vouchers(session)),
        "municipality": Municipality.cached(),
        "today": timezone.localdate(),
    }
    name = f"sayim-tutanagi-{session.depot.code}-{session.pk}.pdf"
    return pdf_response("inventory/disposal/pdf/count_report.html", context, name, request)
