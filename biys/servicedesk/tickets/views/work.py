"""The POSTs of the ticket page: state changes, follow-ups, devices, vendor cases, service forms, parts and the
rating. Each checks who may do it (403 for anyone who never could), the ticket's ``_version`` token and the
ticket's state, then calls ``services`` in one transaction; a refused step writes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_http_methods, require_POST

from biys.core.views import check_version, require, restrict
from biys.inventory.models import Asset
from biys.servicedesk import services
from biys.servicedesk.choices import FollowUpKind
from biys.servicedesk.models import Ticket, VendorCase
from biys.servicedesk.tickets import forms
from biys.servicedesk.tickets.views.common import (
    ACTION_LABELS,
    NotNow,
    back_to,
    flash_errors,
    flash_form_errors,
    get_ticket,
    perform,
    require_may_ever,
    require_now,
)
from biys.servicedesk.tickets.views.ticket import DANGER_ACTIONS, render_ticket


def vif_refused() -> str:
    return _(
        "Parts are issued from the depot on a consumption VİF, and your account may not post VİFs "
        "(Taşınır Kayıt Yetkilisi). Nothing was recorded."
    )


def sentence_end(name: str) -> str:
    """A name that ends a sentence: "Örnek Ltd. Şti." loses its own full stop to the sentence's."""
    return name.rstrip().rstrip(".")


def _done(request: HttpRequest, ticket: Ticket, action: str) -> None:
    messages.success(
        request,
        _("%(action)s: done. Ticket %(ref)s is “%(status)s”.")
        % {"action": ACTION_LABELS.get(action, action), "ref": ticket.reference, "status": ticket.get_status_display()},
    )


def _simple(request: HttpRequest, ticket: Ticket, action: str, form: Any, work: Any, anchor: str = "") -> HttpResponse:
    """Validate ``form``, run ``work`` under ``perform``; every refusal becomes a message on the ticket page."""
    target = ticket.get_absolute_url() + anchor
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect(target)
    try:
        result = perform(ticket, request.user, action, form.cleaned_data["_version"], lambda: work(form.cleaned_data))
    except NotNow as exc:
        messages.error(request, str(exc))
        return redirect(target)
    except ValidationError as exc:
        flash_errors(request, exc, form)
        return redirect(target)
    return result if isinstance(result, HttpResponse) else redirect(target)


@require_http_methods(["GET", "POST"])
def ticket_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """assign, start, wait, resume, resolve, close, reopen, cancel, transfer, priority → ``services.act``.

    GET shows the action's form: the panel under the ticket page's action bar (HTMX) or, without JavaScript,
    a page of its own. The ticket page does not build these forms itself (their choices cost more than the
    rest of the page)."""
    if action not in forms.ACTION_FORMS:
        raise Http404
    ticket = get_ticket(request, pk)
    user = request.user
    require_may_ever(ticket, user, action)
    if request.method == "GET":
        return action_form(request, ticket, action)
    form = forms.ACTION_FORMS[action](request.POST, ticket=ticket, user=user)

    def work(data: dict[str, Any]) -> HttpResponse:
        changed = services.act(ticket, action, user, **form.action_data())
        _done(request, changed, action)
        return back_to(request, changed)

    return _simple(request, ticket, action, form, work)


def action_form(request: HttpRequest, ticket: Ticket, action: str) -> HttpResponse:
    """The form of one action. ``?v=`` carries the version of the page it was opened from, so that a change
    made by someone else since that page was drawn is still caught when the form is sent."""
    panel = bool(getattr(request, "htmx", False))
    try:
        require_now(ticket, request.user, action)
    except NotNow as exc:
        if panel:
            return render(request, "servicedesk/tickets/inc/action_refused.html", {"message": str(exc)})
        messages.error(request, str(exc))
        return redirect(ticket.get_absolute_url())
    version = request.GET.get("v", "")
    form = forms.ACTION_FORMS[action](
        ticket=ticket, user=request.user, initial={"_version": version} if version else None, auto_id=f"id_{action}_%s"
    )
    context = {
        "ticket": ticket,
        "name": action,
        "label": ACTION_LABELS[action],
        "form": form,
        "danger": action in DANGER_ACTIONS,
    }
    template = "servicedesk/tickets/inc/action_form.html" if panel else "servicedesk/tickets/action.html"
    return render(request, template, context)


@require_POST
def followup_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment, an internal note or a work log, with files. On any refusal the page comes back with the text
    kept in the form (and a fresh token after a conflict), so nothing typed is lost."""
    ticket = get_ticket(request, pk)
    user = request.user
    kind = request.POST.get("kind") or FollowUpKind.COMMENT
    action = forms.FOLLOWUP_ACTIONS.get(kind, "comment")  # type: ignore[call-overload]
    require_may_ever(ticket, user, action)
    actions = services.allowed_actions(ticket, user)
    form = forms.FollowUpForm(
        request.POST, request.FILES, ticket=ticket, user=user, actions=actions, auto_id="id_followup_%s"
    )
    if not form.is_valid():
        return render_ticket(request, ticket, followup_form=form, status=422)
    data = form.cleaned_data

    def work() -> Any:
        if data["body"].strip() or not data["uploads"]:
            return services.add_followup(
                ticket,
                user,
                data["body"],
                kind=data["kind"],
                minutes=data["minutes"] or 0,
                on_site=data["on_site"],
                files=data["uploads"],
            )
        internal = data["kind"] == FollowUpKind.NOTE
        return [services.add_attachment(ticket, user, upload, internal=internal) for upload in data["uploads"]]

    try:
        perform(ticket, user, action, data["_version"], work)
    except (NotNow, ValidationError) as exc:
        if isinstance(exc, NotNow):
            form.add_error(None, str(exc))
        else:
            forms.apply_errors(form, exc)
        fresh = get_ticket(request, pk)
        data_copy = cast(QueryDict, form.data).copy()
        data_copy["_version"] = fresh.updated_at.isoformat()
        form.data = data_copy  # the text is kept; a second click now saves it
        conflict = getattr(exc, "code", None) == "conflict"
        return render_ticket(request, fresh, followup_form=form, status=409 if conflict else 422)
    messages.success(request, _("Added to ticket %(ref)s.") % {"ref": ticket.reference})
    return redirect(ticket.get_absolute_url() + "#timeline")


@require_POST
def asset_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a device by its sicil no; only a device the user may see in the inventory."""
    ticket = get_ticket(request, pk)
    user = request.user
    require_may_ever(ticket, user, "assets")
    form = forms.AssetLinkForm(request.POST, ticket=ticket, user=user)

    def work(data: dict[str, Any]) -> None:
        number = data["sicil_no"].strip()
        asset = restrict(Asset.objects.filter(sicil_no=number), user).first()
        if asset is None:
            raise ValidationError(
                {"sicil_no": _("No device with registry number %(no)s is visible to you.") % {"no": number}}
            )
        if ticket.assets.filter(pk=asset.pk).exists():
            raise ValidationError({"sicil_no": _("%(asset)s is already linked to this ticket.") % {"asset": asset}})
        ticket.assets.add(asset)
        ticket.record_event(user, _("Device linked: %(asset)s") % {"asset": asset})
        messages.success(request, _("Device linked: %(asset)s") % {"asset": asset})

    return _simple(request, ticket, "assets", form, work, "#devices")


@require_POST
def asset_remove(request: HttpRequest, pk: int, asset_pk: int) -> HttpResponse:
    ticket = get_ticket(request, pk)
    user = request.user
    require_may_ever(ticket, user, "assets")
    form = forms.VersionedForm(request.POST, ticket=ticket, user=user)

    def work(data: dict[str, Any]) -> None:
        asset = ticket.assets.filter(pk=asset_pk).first()
        if asset is None:
            raise Http404
        ticket.assets.remove(asset)
        ticket.record_event(user, _("Device unlinked: %(asset)s") % {"asset": asset})
        messages.success(request, _("Device unlinked: %(asset)s") % {"asset": asset})

    return _simple(request, ticket, "assets", form, work, "#devices")


@require_POST
def vendorcase_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the device to the vendor under its warranty or contract; the ticket waits for the vendor."""
    ticket = get_ticket(request, pk)
    user = request.user
    require_may_ever(ticket, user, "vendor")
    form = forms.VendorCaseForm(request.POST, ticket=ticket, user=user)

    def work(data: dict[str, Any]) -> None:
        case = services.open_vendor_case(
            ticket,
            user,
            vendor=data["vendor"],
            asset=data["asset"],
            contract=data["contract"],
            contact=data["contact"],
            vendor_reference=data["vendor_reference"],
            note=data["note"],
        )
        messages.success(request, _("Vendor case opened: %(vendor)s.") % {"vendor": sentence_end(case.vendor)})

    return _simple(request, ticket, "vendor", form, work, "#vendor")


def _case(request: HttpRequest, pk: int) -> tuple[VendorCase, Ticket]:
    require(request.user, VendorCase, "view")
    case = get_object_or_404(restrict(VendorCase.objects.all(), request.user), pk=pk)
    return case, get_ticket(request, case.ticket_id)


@require_POST
def vendorcase_return(request: HttpRequest, pk: int) -> HttpResponse:
    """The device is back from the vendor, with the vendor's service form (PDF) for a manager to approve."""
    case, ticket = _case(request, pk)
    user = request.user
    require_may_ever(ticket, user, "vendor")
    form = forms.VendorReturnForm(request.POST, request.FILES, ticket=ticket, user=user)

    def work(data: dict[str, Any]) -> None:
        services.vendor_returned(
            case, user, returned_at=data["returned_at"], service_form=data["service_form"], note=data["note"]
        )
        messages.success(
            request, _("Vendor case marked as returned: %(vendor)s.") % {"vendor": sentence_end(case.vendor)}
        )

    return _simple(request, ticket, "vendor", form, work, "#vendor")


@require_POST
def vendorcase_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A manager approves or rejects the vendor's service form (Nizip md. 12/24)."""
    case, ticket = _case(request, pk)
    user = request.user
    if not user.has_perm("servicedesk.approve_vendorcase"):
        raise PermissionDenied
    form = forms.VendorReviewForm(request.POST, ticket=ticket, user=user)
    target = ticket.get_absolute_url() + "#vendor"
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect(target)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            check_version(Ticket, ticket.pk, data["_version"])
            services.review_vendor_form(case, user, approve=data["decision"] == "approve", note=data["note"])
    except ValidationError as exc:
        flash_errors(request, exc, form)
        return redirect(target)
    messages.success(request, _("Vendor's service form: %(status)s.") % {"status": case.get_status_display()})
    return redirect(target)


class InterventionAddView(View):
    """Record a visit or repair as a numbered servis formu, with the parts used (issued on a consumption VİF)."""

    template_name = "servicedesk/tickets/intervention_add.html"

    def prepare(self, request: HttpRequest, pk: int) -> tuple[Ticket, set[str]]:
        ticket = get_ticket(request, pk)
        require_may_ever(ticket, request.user, "form")
        return ticket, services.allowed_actions(ticket, request.user)

    def formset(self, request: HttpRequest, actions: set[str], data: Any = None) -> Any:
        if "parts" not in actions:
            return None
        return forms.PartFormSet(data, prefix="parts", form_kwargs={"stock": forms.stock_choices(request.user)})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket, actions = self.prepare(request, pk)
        if "form" not in actions:
            messages.error(
                request, _("A service form cannot be recorded on ticket %(ref)s now.") % {"ref": ticket.reference}
            )
            return redirect(ticket.get_absolute_url())
        form = forms.InterventionForm(ticket=ticket, user=request.user)
        return self.render_page(request, ticket, form, self.formset(request, actions))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket, actions = self.prepare(request, pk)
        user = request.user
        form = forms.InterventionForm(request.POST, ticket=ticket, user=user)
        formset = self.formset(request, actions, request.POST)
        if form.is_valid() and (formset is None or formset.is_valid()):
            data = form.cleaned_data
            parts = self.parts(formset)
            try:
                intervention = perform(
                    ticket,
                    user,
                    "form",
                    data["_version"],
                    lambda: services.record_intervention(
                        ticket,
                        user,
                        started_at=data["started_at"],
                        ended_at=data["ended_at"],
                        work_done=data["work_done"],
                        on_site=data["on_site"],
                        place=data["place"],
                        signed_by=data["signed_by"],
                        parts=parts,
                    ),
                )
            except NotNow as exc:
                messages.error(request, str(exc))
                return redirect(ticket.get_absolute_url())
            except PermissionDenied:  # the inventory refuses the VİF (the action itself was checked above)
                form.add_error(None, vif_refused())
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Service form %(number)s is recorded.")
                    % {"number": f"{intervention.year}/{intervention.number}"},
                )
                return redirect(ticket.get_absolute_url() + "#forms")
        return self.render_page(request, ticket, form, formset, status=422)

    def parts(self, formset: Any) -> list[tuple[Any, Decimal]]:
        if formset is None:
            return []
        return [
            (row.cleaned_data["stock_item"], row.cleaned_data["quantity"])
            for row in formset.forms
            if row.cleaned_data.get("stock_item") is not None
        ]

    def render_page(
        self, request: HttpRequest, ticket: Ticket, form: Any, formset: Any, status: int = 200
    ) -> HttpResponse:
        context = {"ticket": ticket, "object": ticket, "form": form, "formset": formset}
        return render(request, self.template_name, context, status=status)


@require_POST
def part_use(request: HttpRequest, pk: int) -> HttpResponse:
    """A part used on the repair outside a service form."""
    ticket = get_ticket(request, pk)
    user = request.user
    require_may_ever(ticket, user, "parts")
    form = forms.PartUseForm(request.POST, ticket=ticket, user=user)

    def work(data: dict[str, Any]) -> None:
        usage = services.use_part(ticket, user, data["stock_item"], data["quantity"])
        messages.success(request, _("Part used: %(part)s.") % {"part": usage})

    try:
        return _simple(request, ticket, "parts", form, work, "#parts")
    except PermissionDenied:
        messages.error(request, vif_refused())
        return redirect(ticket.get_absolute_url() + "#parts")


@require_POST
def ticket_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester's rating (1–5 and a comment); rating a resolved ticket confirms and closes it."""
    ticket = get_ticket(request, pk)
    user = request.user
    require_may_ever(ticket, user, "rate")
    form = forms.RatingForm(request.POST, ticket=ticket, user=user)

    def work(data: dict[str, Any]) -> None:
        services.rate(ticket, user, data["score"], data["comment"])
        messages.success(request, _("Thank you for your rating."))

    return _simple(request, ticket, "rate", form, work)
