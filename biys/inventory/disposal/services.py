"""Write-offs (kayıttan düşme, TMY md. 10/1-e, 27-28; BİG 3.1.1.6) and the movement freeze of a count (md. 32).

A proposal goes draft → proposed (the commission signs; it gets its yearly number per depot) → approved or
rejected by the harcama yetkilisi → completed: an exit VİF with one line per asset is created and posted,
and the assets leave the records (scrapped or lost). Counting lives in ``counting.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core.text import search_key
from biys.inventory import vouchers
from biys.inventory.models import Asset, CountSession, CustodyItem, DataSanitization, Depot, ScrapProposal, Voucher
from biys.inventory.models.disposal import MIN_COMMISSION
from biys.inventory.movements import services as movements
from biys.inventory.numbering import next_number

OPEN_COUNT = (CountSession.Status.OPEN, CountSession.Status.SECOND)
GONE = (Asset.Status.SCRAPPED, Asset.Status.LOST, Asset.Status.TRANSFERRED)
PENDING = (ScrapProposal.Status.PROPOSED, ScrapProposal.Status.APPROVED)
# Stems (search-key folded) that show a loss is backed by a report: "tutanak/tutanağı", "rapor", "zabıt/zaptı".
REPORT_WORDS = ("tutana", "rapor", "report", "zabit", "zapt")
SCRAP_DOCUMENT = "Kayıttan Düşme Teklif ve Onay Tutanağı"


def movements_frozen(depot: Depot | int) -> bool:
    """True while a count of ``depot`` that freezes movements is open (TMY md. 32): no VİF may be posted."""
    return CountSession.objects.filter(depot=depot, freeze_movements=True, status__in=OPEN_COUNT).exists()


def frozen_message() -> str:
    return _("A count of this depot is in progress and movements are frozen (TMY md. 32); try after it is closed.")


def names_report(reason: str) -> bool:
    """Does the reason name the report (tutanak, rapor) that backs a loss? (TMY md. 10/1-e)"""
    key = search_key(reason or "")
    return any(word in key for word in REPORT_WORDS)


def commission_problems(disposal: str, reason: str, member_ids: set[int], expert_id: int | None) -> list[str]:
    """TMY md. 27: a commission of at least three including an expert; a loss backed by a report needs none."""
    problems = []
    if expert_id is not None and expert_id not in member_ids:
        problems.append(_("The expert member must be one of the commission members."))
    if disposal == ScrapProposal.Disposal.LOSS:
        if not names_report(reason) and (len(member_ids) < MIN_COMMISSION or expert_id is None):
            problems.append(
                _(
                    "A loss needs either the report (tutanak) that records it named in the reason, or a commission "
                    "of at least three members including an expert (TMY md. 10/1-e, 27)."
                )
            )
        return problems
    if len(member_ids) < MIN_COMMISSION:
        problems.append(_("The commission needs at least %(count)d members (TMY md. 27).") % {"count": MIN_COMMISSION})
    if expert_id is None:
        problems.append(_("The commission needs an expert member (işin uzmanı, TMY md. 27)."))
    return problems


def asset_problems(assets: Iterable[Asset], depot: Depot, proposal: ScrapProposal | None = None) -> list[str]:
    """Why each asset may not be written off now (one message per problem; empty when all are fine)."""
    assets = list(assets)
    ids = [asset.pk for asset in assets]
    in_custody = set(
        CustodyItem.objects.filter(asset_id__in=ids, returned_at__isnull=True).values_list("asset_id", flat=True)
    )
    others = ScrapProposal.assets.through.objects.filter(asset_id__in=ids, scrapproposal__status__in=PENDING)
    if proposal is not None and proposal.pk is not None:
        others = others.exclude(scrapproposal_id=proposal.pk)
    pending = {row.asset_id: row.scrapproposal for row in others.select_related("scrapproposal")}
    problems = []
    for asset in assets:
        names = {"asset": asset.sicil_no}
        if asset.depot_id != depot.pk:
            problems.append(_("%(asset)s is recorded in another depot.") % names)
        if asset.holder_id is not None:
            problems.append(
                _("%(asset)s is held by %(holder)s: take it back on its Taşınır Teslim Belgesi first.")
                % {**names, "holder": asset.holder}
            )
        elif asset.pk in in_custody:
            problems.append(_("%(asset)s is on an open Taşınır Teslim Belgesi: take it back first.") % names)
        if asset.status in GONE:
            problems.append(
                _("%(asset)s has already left the records (%(status)s).")
                % {**names, "status": asset.get_status_display()}
            )
        if asset.pk in pending:
            problems.append(
                _("%(asset)s is already on write-off proposal %(proposal)s.") % {**names, "proposal": pending[asset.pk]}
            )
    return problems


def unsanitized(assets: Iterable[Asset]) -> list[Asset]:
    """Storage devices without wipe or destruction evidence (BİG 3.1.1.6)."""
    storage = [asset for asset in assets if asset.kind.has_storage]
    done = set(DataSanitization.objects.filter(asset__in=[a.pk for a in storage]).values_list("asset_id", flat=True))
    return [asset for asset in storage if asset.pk not in done]


def _locked(proposal: ScrapProposal, expected: str, message: str) -> ScrapProposal:
    locked = ScrapProposal.objects.select_for_update(of=("self",)).select_related("depot").get(pk=proposal.pk)
    if locked.status != expected:
        raise ValidationError(message)
    return locked


def _assets(proposal: ScrapProposal) -> list[Asset]:
    return list(proposal.assets.select_related("holder", "kind", "tasinir_code").order_by("sicil_no"))


@transaction.atomic
def propose(proposal: ScrapProposal) -> ScrapProposal:
    """The commission signs (TMY md. 27): the proposal is numbered and goes to the harcama yetkilisi."""
    proposal = _locked(proposal, ScrapProposal.Status.DRAFT, _("Only a draft can be proposed."))
    assets = _assets(proposal)
    if not assets:
        raise ValidationError(_("Add at least one asset to the proposal."))
    members = set(proposal.commission.values_list("pk", flat=True))
    problems = commission_problems(proposal.disposal, proposal.reason, members, proposal.expert_id)
    problems += asset_problems(assets, proposal.depot, proposal)
    if problems:
        raise ValidationError(problems)
    proposal.year = proposal.date.year
    Depot.objects.select_for_update(of=("self",)).filter(pk=proposal.depot_id).first()  # the first of a year too
    proposal.number = next_number(ScrapProposal.objects.filter(depot=proposal.depot, year=proposal.year))
    proposal.status = ScrapProposal.Status.PROPOSED
    proposal.save()
    return proposal


@transaction.atomic
def approve(proposal: ScrapProposal, user: Any, note: str = "") -> ScrapProposal:
    """The harcama yetkilisi approves (TMY md. 27/3): the assets are marked as proposed for write-off."""
    if not user.has_perm("inventory.approve_scrapproposal"):
        raise PermissionDenied
    proposal = _locked(proposal, ScrapProposal.Status.PROPOSED, _("Only a proposed write-off can be approved."))
    assets = _assets(proposal)
    problems = asset_problems(assets, proposal.depot, proposal)
    if problems:
        raise ValidationError(problems)
    proposal.status = ScrapProposal.Status.APPROVED
    proposal.approved_by = user
    proposal.approved_at = timezone.now()
    proposal.decision_note = note.strip()
    proposal.save()
    for asset in assets:
        asset.status = Asset.Status.SCRAP_PROPOSED
        asset.save(update_fields=["status"])
    return proposal


@transaction.atomic
def reject(proposal: ScrapProposal, user: Any, note: str) -> ScrapProposal:
    """A rejection is a reasoned decision that goes back with the file (TMY md. 27/2)."""
    if not user.has_perm("inventory.approve_scrapproposal"):
        raise PermissionDenied
    if not (note or "").strip():
        raise ValidationError({"decision_note": _("A rejection needs a reasoned decision (TMY md. 27).")})
    proposal = _locked(proposal, ScrapProposal.Status.PROPOSED, _("Only a proposed write-off can be rejected."))
    proposal.status = ScrapProposal.Status.REJECTED
    proposal.decision_note = note.strip()
    proposal.save()
    return proposal


@transaction.atomic
def complete(proposal: ScrapProposal, user: Any, on: date | None = None) -> ScrapProposal:
    """Write the assets off with an exit VİF, posted at once (TMY md. 27/3, 28); they become scrapped or lost."""
    if not user.has_perm("inventory.post_voucher"):
        raise PermissionDenied
    proposal = _locked(proposal, ScrapProposal.Status.APPROVED, _("Only an approved write-off can be completed."))
    if movements_frozen(proposal.depot):
        raise ValidationError(frozen_message())
    assets = _assets(proposal)
    missing = unsanitized(assets)
    if missing:
        raise ValidationError(
            _("Storage devices need wipe or destruction evidence before the write-off (BİG 3.1.1.6): %(assets)s.")
            % {"assets": ", ".join(asset.sicil_no for asset in missing)}
        )
    voucher = proposal.exit_voucher or _exit_voucher(proposal, assets, on or timezone.localdate())
    _check_voucher_matches(voucher, assets)
    if voucher.status == Voucher.Status.DRAFT:
        voucher = movements.post_and_receive(voucher, user)  # also keeps the control officer out (md. 6/3)
    proposal.exit_voucher = voucher
    proposal.status = ScrapProposal.Status.COMPLETED
    proposal.save()
    final = Asset.Status.LOST if proposal.disposal == ScrapProposal.Disposal.LOSS else Asset.Status.SCRAPPED
    for asset in assets:
        asset.status = final
        asset.save(update_fields=["status"])
    return proposal


def asset_line(asset: Asset) -> vouchers.Line:
    """One VİF line for one durable item: its sicil no, its entry value (or 0 when unknown)."""
    return vouchers.Line(
        tasinir_code=asset.tasinir_code,
        description=f"{asset.sicil_no} {asset.name}"[:200],
        quantity=Decimal(1),
        unit_price=asset.price if asset.price is not None else Decimal("0"),
        unit_of_measure=asset.kind.unit_of_measure,
        asset=asset,
    )


def proposal_reference(proposal: ScrapProposal) -> str:
    return f"{SCRAP_DOCUMENT} {proposal.year}/{proposal.number}"


def _exit_voucher(proposal: ScrapProposal, assets: list[Asset], on: date) -> Voucher:
    kind = Voucher.Kind.LOSS if proposal.disposal == ScrapProposal.Disposal.LOSS else Voucher.Kind.SCRAP
    approved_on = timezone.localdate(proposal.approved_at) if proposal.approved_at else proposal.date
    return vouchers.create_voucher(
        proposal.depot,
        kind,
        on,
        [asset_line(asset) for asset in assets],
        source_document=proposal_reference(proposal),
        source_date=approved_on,
        note=proposal.reason[:500],
    )


def _check_voucher_matches(voucher: Voucher, assets: list[Asset]) -> None:
    # A loss proposal made by a count already carries the posted count-shortage VİF: it must list the same items.
    if voucher.status == Voucher.Status.REVERSED:
        raise ValidationError(
            _("%(voucher)s has been reversed; these items have not left the records (md. 39).") % {"voucher": voucher}
        )
    on_voucher = set(voucher.lines.filter(asset__isnull=False).values_list("asset_id", flat=True))
    if on_voucher != {asset.pk for asset in assets}:
        raise ValidationError(
            _("The assets differ from those on %(voucher)s; correct it with a reversing VİF first (md. 39).")
            % {"voucher": voucher}
        )
