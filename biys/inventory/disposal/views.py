"""Write-off pages (Kayıttan Düşme Teklif ve Onay Tutanağı, İmha Tutanağı; TMY md. 27-28, BİG 3.1.1.6).

Generic views give list, detail and edit; each workflow step is a POST that calls ``services``.
The count pages are in ``count_views``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from biys.core.pdf import pdf_response
from biys.core.views import ObjectEditView, ObjectListView, ObjectView, require, restrict
from biys.inventory.disposal import filtersets, forms, services, tables
from biys.inventory.models import Asset, DataSanitization, ScrapProposal
from biys.org.models import Municipality

DRAFT = ScrapProposal.Status.DRAFT


def form_errors(form: Any) -> str:
    """A bound form's errors as one line for a message: "field: problem"."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


class ScrapProposalListView(ObjectListView):
    queryset = ScrapProposal.objects.select_related("depot", "exit_voucher__depot").annotate(
        asset_count=Count("assets")
    )
    filterset = filtersets.ScrapProposalFilterSet
    table = tables.ScrapProposalTable
    filter_fields = ("depot", "status", "disposal", "year")


def proposal_assets(proposal: ScrapProposal) -> list[Asset]:
    """The proposal's assets, each with ``sanitizations`` prefetched (the evidence of storage devices)."""
    evidence = Prefetch("sanitizations", queryset=DataSanitization.objects.select_related("done_by"))
    return list(
        proposal.assets.select_related("kind", "tasinir_code", "holder", "location")
        .prefetch_related(evidence)
        .order_by("sicil_no")
    )


class ScrapProposalView(ObjectView):
    queryset = ScrapProposal.objects.select_related("depot__unit", "expert", "approved_by", "exit_voucher__depot")
    template_name = "inventory/disposal/scrapproposal.html"
    fields = (
        "depot",
        "date",
        "disposal",
        "status",
        "reason",
        "expert",
        "approved_by",
        "approved_at",
        "decision_note",
        "exit_voucher",
    )

    def get_extra_context(self, request: HttpRequest, instance: ScrapProposal) -> dict[str, Any]:
        user = request.user
        assets = proposal_assets(instance)
        status = instance.status
        can_change = user.has_perm("inventory.change_scrapproposal")
        can_decide = user.has_perm("inventory.approve_scrapproposal") and status == ScrapProposal.Status.PROPOSED
        return {
            "assets": assets,
            "commission": instance.commission.order_by("last_name", "first_name"),
            "total": sum((asset.price or 0 for asset in assets), 0),
            "problems": self.open_problems(instance, assets),
            "can_propose": can_change and status == DRAFT,
            "can_decide": can_decide,
            "can_complete": can_change and user.has_perm("inventory.post_voucher") and status == "approved",
            "sanitization_form": self.sanitization_form(user, instance, assets),
            "decision_form": forms.DecisionForm() if can_decide else None,
            **({} if status == DRAFT else {"edit_url": ""}),  # signed by the commission: no more edits
        }

    @staticmethod
    def open_problems(proposal: ScrapProposal, assets: list[Asset]) -> list[str]:
        """What still blocks the next step, so the page can say it before anyone presses a button."""
        if proposal.status == DRAFT:
            members = set(proposal.commission.values_list("pk", flat=True))
            problems = services.commission_problems(proposal.disposal, proposal.reason, members, proposal.expert_id)
            return problems + services.asset_problems(assets, proposal.depot, proposal)
        if proposal.status == ScrapProposal.Status.APPROVED:
            missing = services.unsanitized(assets)
            return [
                _("%(asset)s holds data: record its wipe or destruction (BİG 3.1.1.6).") % {"asset": asset.sicil_no}
                for asset in missing
            ]
        return []

    @staticmethod
    def sanitization_form(user: Any, proposal: ScrapProposal, assets: list[Asset]) -> Any:
        open_states = (DRAFT, ScrapProposal.Status.PROPOSED, ScrapProposal.Status.APPROVED)
        if not user.has_perm("inventory.add_datasanitization") or proposal.status not in open_states:
            return None
        if not any(asset.kind.has_storage for asset in assets):
            return None
        return forms.SanitizationForm(proposal=proposal, initial={"done_on": timezone.localdate()})


class ScrapProposalEditView(ObjectEditView):
    """Create or edit a draft; once the commission has signed, the proposal is no longer edited."""

    queryset = ScrapProposal.objects.all()

    @property
    def form(self) -> Any:  # type: ignore[override]
        return partial(forms.ScrapProposalForm, user=self.request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pk = kwargs.get("pk")
        if pk is not None:
            require(request.user, ScrapProposal, "change")
            instance = self.get_object(request, pk)
            if instance.status != DRAFT:
                messages.error(request, _("Only a draft can be edited."))
                return redirect(instance.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)


def _proposal(request: HttpRequest, pk: int) -> ScrapProposal:
    require(request.user, ScrapProposal, "view")
    queryset = ScrapProposal.objects.select_related("depot__unit__manager", "depot__records_officer", "approved_by")
    return get_object_or_404(restrict(queryset, request.user), pk=pk)


def _scrap_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    proposal = _proposal(request, pk)
    note = request.POST.get("note", "")
    try:
        if step == "propose":
            require(request.user, ScrapProposal, "change")
            done = services.propose(proposal)
            messages.success(request, _("Proposal %(number)s sent for approval.") % {"number": done})
        elif step == "approve":
            services.approve(proposal, request.user, note)
            messages.success(request, _("Write-off approved."))
        elif step == "reject":
            services.reject(proposal, request.user, note)
            messages.success(request, _("Write-off rejected; the decision is recorded."))
        else:
            require(request.user, ScrapProposal, "change")
            done = services.complete(proposal, request.user)
            messages.success(request, _("Written off with %(voucher)s.") % {"voucher": done.exit_voucher})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(proposal.get_absolute_url())


@require_POST
def scrapproposal_propose(request: HttpRequest, pk: int) -> HttpResponse:
    return _scrap_step(request, pk, "propose")


@require_POST
def scrapproposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _scrap_step(request, pk, "approve")


@require_POST
def scrapproposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _scrap_step(request, pk, "reject")


@require_POST
def scrapproposal_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _scrap_step(request, pk, "complete")


@require_POST
def scrapproposal_sanitization(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the wipe or destruction of one storage device of the proposal (BİG 3.1.1.6)."""
    proposal = _proposal(request, pk)
    require(request.user, DataSanitization, "add")
    if proposal.status in (ScrapProposal.Status.COMPLETED, ScrapProposal.Status.REJECTED):
        messages.error(request, _("This proposal is closed."))
        return redirect(proposal.get_absolute_url())
    form = forms.SanitizationForm(request.POST, request.FILES, proposal=proposal)
    if form.is_valid():
        with transaction.atomic():
            record = form.save()
        messages.success(request, _("Recorded: %(record)s") % {"record": record})
    else:
        messages.error(request, form_errors(form))
    return redirect(proposal.get_absolute_url())


def datasanitization_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, DataSanitization, "view")
    record = get_object_or_404(restrict(DataSanitization.objects.all(), request.user), pk=pk)
    if not record.evidence:
        raise Http404
    try:
        handle = record.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type="application/pdf", filename=f"imha-kaniti-{record.pk}.pdf")


def _pdf_context(proposal: ScrapProposal) -> dict[str, Any]:
    assets = proposal_assets(proposal)
    commission = list(proposal.commission.order_by("last_name", "first_name"))
    return {
        "proposal": proposal,
        "assets": assets,
        "total": sum((asset.price or 0 for asset in assets), 0),
        "commission": commission,
        "municipality": Municipality.cached(),
        "approver": proposal.approved_by,
        "approver_staff": getattr(proposal.approved_by, "staff", None),  # name and title as signed
        "today": timezone.localdate(),
    }


def scrapproposal_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    name = f"kayittan-dusme-{proposal.year}-{proposal.number or 'taslak'}.pdf"
    return pdf_response("inventory/disposal/pdf/scrap_report.html", _pdf_context(proposal), name, request)


def scrapproposal_destruction_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The separate İmha Tutanağı (TMY md. 28): what was destroyed, how, witnessed by the commission."""
    proposal = _proposal(request, pk)
    if proposal.disposal != ScrapProposal.Disposal.DESTROY:
        raise Http404
    if proposal.status not in (ScrapProposal.Status.APPROVED, ScrapProposal.Status.COMPLETED):
        messages.error(request, _("Destruction follows the harcama yetkilisi's approval (TMY md. 28)."))
        return redirect(proposal.get_absolute_url())
    name = f"imha-tutanagi-{proposal.year}-{proposal.number}.pdf"
    return pdf_response("inventory/disposal/pdf/destruction_report.html", _pdf_context(proposal), name, request)
