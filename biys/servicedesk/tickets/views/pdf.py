"""The servis formu: one intervention printed with what was done, the parts and their VİF, the times, and
signature blocks for the technician and the requester."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from biys.core.pdf import pdf_response
from biys.core.text import tr_upper
from biys.core.views import require, restrict
from biys.org.models import Municipality, Staff
from biys.servicedesk.models import Intervention
from biys.servicedesk.tickets.views.ticket import duration_text

_CSS_UNSAFE = re.compile(r'[<>"\\\n]')


def letterhead(footer: str) -> dict[str, Any]:
    municipality = Municipality.cached()
    return {
        "municipality": municipality,
        "municipality_name": tr_upper(municipality.name) if municipality else "",
        "printed_on": timezone.localdate(),
        "footer": _CSS_UNSAFE.sub("", footer),  # printed through a CSS string in the page footer
    }


def person_of(user: Any) -> tuple[str, str]:
    """(name, title) printed under a signature: the staff record when there is one."""
    if user is None:
        return "", ""
    staff = Staff.objects.filter(user_id=user.pk).first()
    if staff is not None:
        return str(staff), staff.title
    return user.get_full_name() or user.get_username(), ""


def intervention_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Intervention, "view")
    queryset = Intervention.objects.select_related(
        "ticket__item",
        "ticket__requester",
        "ticket__requester_unit",
        "ticket__assigned_unit",
        "ticket__location",
        "technician",
    )
    intervention = get_object_or_404(restrict(queryset, request.user), pk=pk)
    ticket = intervention.ticket
    number = f"{intervention.year}/{intervention.number}"
    technician, technician_title = person_of(intervention.technician)
    requester = ticket.requester
    context = {
        **letterhead(f"BİYS · Servis formu {number} · #{ticket.reference}"),
        "intervention": intervention,
        "ticket": ticket,
        "number": number,
        "duration": duration_text(intervention.duration),
        "assets": list(restrict(ticket.assets.select_related("kind"), request.user).order_by("sicil_no")),
        "parts": list(intervention.parts.select_related("stock_item", "voucher__depot").order_by("id")),
        "technician": technician,
        "technician_title": technician_title,
        "requester_name": ticket.requester_name or (str(requester) if requester else ""),
        "signer": intervention.signed_by or ticket.requester_name or (str(requester) if requester else ""),
        "signer_title": requester.title if requester is not None else "",
    }
    filename = f"servis-formu-{intervention.year}-{intervention.number}.pdf"
    return pdf_response("servicedesk/pdf/service_form.html", context, filename, request)
