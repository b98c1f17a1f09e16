"""The service desk dashboard, its satisfaction tab, the Excel export and the monthly report PDF.

Open to IT staff (``servicedesk.work_ticket``) and to whoever may read reports (managers, Yönetici, Denetçi).
Every figure is counted inside the viewer's scope (``reports.queries``): a technician's dashboard shows their
queue's numbers, not the whole municipality's.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core.models import sees_all_units
from biys.core.pdf import pdf_response
from biys.core.text import tr_upper
from biys.org.models import Municipality, Unit
from biys.servicedesk.reports import queries
from biys.servicedesk.reports.xlsx import dashboard_workbook

_CSS_UNSAFE = re.compile(r'[<>"\\\n]')
COMMENTS_PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def may_see_reports(user: Any) -> bool:
    return bool(user.has_perm("servicedesk.view_servicedesk_reports") or user.has_perm("servicedesk.work_ticket"))


def _require(user: Any) -> None:
    if not may_see_reports(user):
        raise PermissionDenied


def scope_label(user: Any) -> str:
    """Whose tickets the figures count, printed on every page and export."""
    if sees_all_units(user):
        return _("All units")
    unit = getattr(user, "unit", None)
    if unit is None:
        return _("Tickets assigned to me")
    return _("%(unit)s and its sub-units, and tickets assigned to me") % {"unit": unit}


def _period(request: HttpRequest) -> queries.Period:
    period, errors = queries.parse_period(request.GET)
    for error in errors:
        messages.error(request, error)
    return period


def _context(request: HttpRequest, period: queries.Period, tab: str) -> dict[str, Any]:
    return {
        "period": period,
        "tab": tab,
        "scope": scope_label(request.user),
        "month_value": period.month or f"{period.start:%Y-%m}",
        "xlsx_url": f"{reverse('servicedesk:dashboard_xlsx')}?{period.query()}",
        "pdf_url": f"{reverse('servicedesk:monthly_report')}?month={period.month or f'{period.start:%Y-%m}'}",
    }


def dashboard(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    period = _period(request)
    data = queries.dashboard(request.user, period)
    context = {
        **_context(request, period, "overview"),
        "data": data,
        "comments": list(queries.comments(request.user, period)[: queries.COMMENTS_ON_DASHBOARD]),
    }
    return render(request, "servicedesk/reports/dashboard.html", context)


def satisfaction(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    period = _period(request)
    page = Paginator(queries.comments(request.user, period), COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **_context(request, period, "satisfaction"),
        "ratings": queries.period_figures(request.user, period).ratings,
        "page": page,
    }
    return render(request, "servicedesk/reports/satisfaction.html", context)


def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    period = _period(request)
    data = queries.dashboard(request.user, period)
    comments = queries.comments(request.user, period)[:1000]
    response = HttpResponse(dashboard_workbook(data, comments, scope_label(request.user)), content_type=XLSX)
    name = period.month or f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="hizmet-masasi-{name}.xlsx"'
    return response


def monthly_report(request: HttpRequest) -> HttpResponse:
    """The month's figures on paper (``?month=2026-11``), under the municipality's letterhead."""
    _require(request.user)
    today = timezone.localdate()
    raw = request.GET.get("month") or f"{today:%Y-%m}"
    period = queries.parse_month(raw)
    if period is None:
        messages.error(request, _("Choose the month as yyyy-mm, e.g. 2026-11."))
        return redirect("servicedesk:dashboard")
    data = queries.dashboard(request.user, period)
    context = {
        **_letterhead(f"BİYS · {_('Service desk monthly report')} · {period.label}"),
        "it_unit": Unit.objects.filter(is_it=True).order_by("depth", "path").first(),
        "period": period,
        "scope": scope_label(request.user),
        "prepared_by": request.user.get_full_name() or request.user.get_username(),
        "data": data,
        "comments": list(queries.comments(request.user, period)[:15]),
    }
    return pdf_response("servicedesk/pdf/monthly_report.html", context, f"hizmet-masasi-{period.month}.pdf", request)


def _letterhead(footer: str) -> dict[str, Any]:
    municipality = Municipality.cached()
    return {
        "municipality": municipality,
        "municipality_name": tr_upper(municipality.name) if municipality else "",
        "printed_on": timezone.localdate(),
        "footer": _CSS_UNSAFE.sub("", footer),  # printed through a CSS string in the page footer
    }
