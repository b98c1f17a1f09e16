"""The ticket page (everything done on one request: a button for each action the user may take now, whose form
is fetched when pressed — ``work.action_form``), the edit page for IT staff, and the downloads of attachments
and vendors' service forms."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from biys.core.views import ObjectEditView, ObjectView, object_actions, require, restrict
from biys.servicedesk import services, sla
from biys.servicedesk.choices import FieldType, Status, VendorCaseStatus
from biys.servicedesk.models import Attachment, FollowUp, Intervention, PartUsage, Ticket, Transfer, VendorCase
from biys.servicedesk.models.tickets import is_it_staff
from biys.servicedesk.tickets import forms
from biys.servicedesk.tickets.tables import SLA_COLOURS, SLA_LABELS, decorate
from biys.servicedesk.tickets.timeline import render_timeline
from biys.servicedesk.tickets.views.common import ACTION_LABELS, TICKET_QUERYSET, get_ticket

# Order of the action buttons: the usual next step first.
ACTION_ORDER = ("assign", "start", "wait", "resume", "resolve", "transfer", "priority", "close", "reopen", "cancel")
DANGER_ACTIONS = {"cancel"}
CONFIRM_ACTIONS = frozenset({"close", "reopen"})
# Actions whose form asks something (a panel opened on demand); the others are one button with the version.
ASKING_ACTIONS = frozenset(
    name
    for name, form in forms.ACTION_FORMS.items()
    if any(not field.widget.is_hidden for field in form.base_fields.values())
)
TEMPLATE = "servicedesk/tickets/ticket.html"


def duration_text(value: timedelta) -> str:
    minutes = max(int(value.total_seconds() // 60), 0)
    return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


def response_state(ticket: Ticket, now: datetime) -> str:
    if ticket.response_due is None:
        return ""
    if ticket.first_response_at is not None:
        return "breached" if ticket.response_breached else "ok"
    if ticket.response_breached or now > ticket.response_due:
        return "breached"
    return "paused" if ticket.is_paused else "ok"


def answers(ticket: Ticket) -> list[tuple[str, Any]]:
    """The answers to the item's extra questions, labelled as the form asked them."""
    specs = {spec["name"]: spec for spec in ticket.item.fields or []}
    rows = []
    for name, value in (ticket.form_data or {}).items():
        spec = specs.get(name, {})
        shown: Any = value
        if isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        elif spec.get("type") == FieldType.DATE and isinstance(value, str):
            day = parse_date(value)
            shown = day.strftime("%d.%m.%Y") if isinstance(day, date) else value
        rows.append((str(spec.get("label", name)), shown))
    return rows


def has(ticket: Ticket, rows: str) -> bool:
    """Whether the ticket may have ``rows`` ("transfers", "vendor_cases" …): the page's query says so
    (``PAGE_QUERYSET``); a ticket read otherwise is assumed to have some."""
    return bool(getattr(ticket, f"has_{rows}", True))


def timeline(ticket: Ticket, user: Any, files: list[Attachment]) -> list[FollowUp]:
    """The follow-ups ``user`` may see, each with its files from ``files`` (the ticket's, already scoped)."""
    rows = list(
        FollowUp.of_ticket(ticket.followups.all(), user).select_related("created_by").order_by("created_at", "id")
    )
    by_followup: dict[int, list[Attachment]] = {}
    for file in files:
        if file.followup_id is not None:
            by_followup.setdefault(file.followup_id, []).append(file)
    for row in rows:
        row.shown_files = by_followup.get(row.pk, [])  # type: ignore[attr-defined]
    return rows


def vendor_cases(ticket: Ticket, user: Any, now: datetime) -> list[VendorCase]:
    if not has(ticket, "vendor_cases"):
        return []
    cases = list(VendorCase.of_ticket(ticket.vendor_cases.select_related("asset", "contract", "approved_by"), user))
    if cases:
        calendar = sla.calendar_for(ticket.sla_policy)  # one calendar for all cases: it reads the holiday table
        for case in cases:
            case.vendor_time = duration_text(calendar.business_time_between(case.sent_at, case.returned_at or now))
    return cases


def interventions(ticket: Ticket, user: Any) -> list[Intervention]:
    if not has(ticket, "interventions"):
        return []
    parts = Prefetch("parts", queryset=PartUsage.objects.select_related("stock_item", "voucher__depot"))
    rows = list(Intervention.of_ticket(ticket.interventions.select_related("technician"), user).prefetch_related(parts))
    for row in rows:
        row.duration_text = duration_text(row.duration)
    return rows


def work_forms(ticket: Ticket, user: Any, actions: set[str], cases: list[VendorCase]) -> dict[str, Any]:
    """An unbound form for every action the user may take now (each with its own element ids)."""
    made: dict[str, Any] = {}
    common = {"ticket": ticket, "user": user}
    if "assets" in actions:
        made["asset_form"] = forms.AssetLinkForm(auto_id="id_asset_%s", **common)
    if "vendor" in actions:
        made["vendor_form"] = forms.VendorCaseForm(auto_id="id_vendor_%s", **common)
    can_review = user.has_perm("servicedesk.approve_vendorcase")
    for case in cases:  # each case carries the forms that apply to it now
        case.return_form = (  # type: ignore[attr-defined]
            forms.VendorReturnForm(auto_id=f"id_vc{case.pk}_%s", **common)
            if "vendor" in actions and case.status == VendorCaseStatus.SENT
            else None
        )
        case.review_form = (  # type: ignore[attr-defined]
            forms.VendorReviewForm(auto_id=f"id_vr{case.pk}_%s", **common)
            if can_review and case.status == VendorCaseStatus.RETURNED and case.service_form
            else None
        )
    if "parts" in actions:
        made["part_form"] = forms.PartUseForm(auto_id="id_part_%s", **common)
    if "rate" in actions:
        made["rating_form"] = forms.RatingForm(auto_id="id_rating_%s", **common)
    return made


def ticket_context(request: HttpRequest, ticket: Ticket, followup_form: Any = None) -> dict[str, Any]:
    """Everything the ticket page shows. ``ticket`` was read through ``Ticket.scope`` (``get_ticket``), so its
    rows are listed with their own rules only (``TicketPart.of_ticket``)."""
    user = request.user
    now = timezone.now()
    actions = services.allowed_actions(ticket, user)
    decorate(ticket, now)
    reply = response_state(ticket, now)
    assets = (
        list(restrict(ticket.assets.select_related("contract", "kind", "location"), user))
        if has(ticket, "assets")
        else []
    )
    files = (
        list(Attachment.of_ticket(ticket.attachments.select_related("created_by").order_by("id"), user))
        if has(ticket, "attachments")
        else []
    )
    cases = vendor_cases(ticket, user, now) if user.has_perm("servicedesk.view_vendorcase") else []
    if followup_form is None and actions & {"comment", "note", "worklog"}:
        followup_form = forms.FollowUpForm(ticket=ticket, user=user, actions=actions, auto_id="id_followup_%s")
    # A requester's resolved ticket asks "is your problem solved?" at the top of the page: rating (which
    # confirms and closes), closing without a rating and reopening all live in that card, not in the action bar.
    confirm = ticket.status == Status.RESOLVED and "rate" in actions
    in_card = CONFIRM_ACTIONS if confirm else frozenset()
    # The action bar holds buttons only; a form that asks something is fetched when its button is pressed.
    buttons = [
        (name, ACTION_LABELS[name], name in ASKING_ACTIONS)
        for name in ACTION_ORDER
        if name in actions and name not in in_card
    ]
    card = {
        name: forms.ACTION_FORMS[name](ticket=ticket, user=user, auto_id=f"id_{name}_%s")
        for name in in_card
        if name in actions
    }
    return {
        "ticket": ticket,
        "actions": actions,
        "action_buttons": buttons,
        "confirm": confirm,
        "close_form": card.get("close"),
        "reopen_form": card.get("reopen"),
        "danger_actions": DANGER_ACTIONS,
        "followup_form": followup_form,
        "it_staff": is_it_staff(user),
        "is_requester": services.is_requester(ticket, user),
        "response_state": reply,
        "response_colour": SLA_COLOURS.get(reply, "light"),
        "response_label": SLA_LABELS.get(reply, ""),
        "answers": answers(ticket),
        "assets": [(asset, services.warranty_cover(asset)) for asset in assets],
        "timeline_html": render_timeline(timeline(ticket, user, files)),
        "attachments": files,
        "transfers": (
            list(Transfer.of_ticket(ticket.transfers.select_related("from_unit", "to_unit", "created_by"), user))
            if user.has_perm("servicedesk.view_transfer") and has(ticket, "transfers")
            else []
        ),
        "vendor_cases": cases,
        "interventions": interventions(ticket, user) if user.has_perm("servicedesk.view_intervention") else [],
        "parts": (
            list(PartUsage.of_ticket(ticket.parts.select_related("stock_item", "voucher__depot", "intervention"), user))
            if user.has_perm("servicedesk.view_partusage") and has(ticket, "parts")
            else []
        ),
        "satisfaction": ticket.satisfaction if services.hasattr_satisfaction(ticket) else None,
        "intervention_url": reverse("servicedesk:intervention_add", kwargs={"pk": ticket.pk})
        if "form" in actions
        else "",
        "version": ticket.updated_at.isoformat(),
        **work_forms(ticket, user, actions, cases),
    }


def render_ticket(
    request: HttpRequest, ticket: Ticket, *, followup_form: Any = None, status: int = 200
) -> HttpResponse:
    user = request.user
    links = object_actions(user, ticket)
    if not services.is_worker(ticket, user):
        links.pop("edit_url", None)  # only IT staff correct a ticket's text
    links.pop("delete_url", None)  # tickets are never deleted
    context = {
        "object": ticket,
        "model": Ticket,
        "meta": Ticket._meta,
        "active_tab": "detail",
        **links,
        **ticket_context(request, ticket, followup_form),
    }
    return render(request, TEMPLATE, context, status=status)


def _exists(model: Any, link: str = "ticket") -> Exists:
    return Exists(model.objects.filter(**{link: OuterRef("pk")}))


# The ticket with a flag for each list of its page: most tickets have no transfer, vendor case, service form,
# part or device, and an index probe in the ticket's own query is cheaper than a query per empty list.
PAGE_QUERYSET = TICKET_QUERYSET.annotate(
    has_attachments=_exists(Attachment),
    has_transfers=_exists(Transfer),
    has_vendor_cases=_exists(VendorCase),
    has_interventions=_exists(Intervention),
    has_parts=_exists(PartUsage),
    has_assets=_exists(Ticket.assets.through),
)


class TicketView(ObjectView):
    queryset = TICKET_QUERYSET
    template_name = TEMPLATE

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return render_ticket(request, get_ticket(request, pk, PAGE_QUERYSET))


class TicketEditView(ObjectEditView):
    """IT staff correct the subject, text, impact, location or phone; everything else changes by actions."""

    queryset = Ticket.objects.select_related("requester_unit")
    form = forms.TicketForm

    def get_instance(self, request: HttpRequest, pk: Any) -> Any:
        if pk is None:
            raise Http404  # tickets are opened through the portal or the agent entry
        instance = super().get_instance(request, pk)
        if not services.is_worker(instance, request.user):
            raise PermissionDenied
        self.form = partial(forms.TicketForm, user=request.user)  # type: ignore[assignment]
        return instance


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file of a ticket, always as a download with its checked type (never shown inline as a page)."""
    require(request.user, Attachment, "view")
    attachment = get_object_or_404(restrict(Attachment.objects.all(), request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def vendor_form_download(request: HttpRequest, pk: int) -> FileResponse:
    """The vendor's service form (PDF) of a vendor case, for IT staff."""
    require(request.user, VendorCase, "view")
    case = get_object_or_404(restrict(VendorCase.objects.all(), request.user), pk=pk)
    if not case.service_form or not is_it_staff(request.user):
        raise Http404
    try:
        handle = case.service_form.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    name = f"tedarikci-servis-formu-{case.vendor_reference or case.pk}.pdf".replace("/", "-")
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
