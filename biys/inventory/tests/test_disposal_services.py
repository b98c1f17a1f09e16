"""Write-off rules (TMY md. 10/1-e, 27-28; BİG 3.1.1.6): commission, approval, exit VİF, sanitization gate.

``World`` and ``add_asset`` build the data every disposal test needs; the count and page tests import them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from biys.core.testing import make_unit, make_user
from biys.inventory.disposal import counting, services
from biys.inventory.models import (
    Asset,
    AssetKind,
    CustodyDocument,
    CustodyItem,
    DataSanitization,
    Depot,
    ScrapProposal,
    TasinirCode,
    Voucher,
)
from biys.inventory.numbering import next_asset_sequence, sicil_no
from biys.org.models import Staff, Unit

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 10)
_serial = count(1)


@dataclass
class World:
    """One depot of an IT unit with its officers, a commission, two asset kinds and the two key users."""

    unit: Unit
    depot: Depot
    officer: Staff  # the depot's taşınır kayıt yetkilisi
    members: list[Staff]  # three more staff: commission or count board
    laptop: AssetKind  # holds data (BİG 3.1.1.6)
    monitor: AssetKind
    clerk: Any  # tasinir_kayit: keeps records, posts VİFs
    approver: Any  # harcama yetkilisi: approves write-offs

    @property
    def expert(self) -> Staff:
        return self.members[2]


def person(unit: Unit, first: str, last: str, title: str = "") -> Staff:
    return Staff.objects.create(first_name=first, last_name=f"{last}{next(_serial)}", unit=unit, title=title)


def tasinir_code(code: str, name: str) -> TasinirCode:
    return TasinirCode.objects.get_or_create(code=code, defaults={"level": 5, "name": name})[0]


def make_world(unit: Unit | None = None, depot_code: str = "01") -> World:
    n = next(_serial)
    unit = unit or make_unit(f"Bilgi İşlem {n}", code=f"BI{n}", is_it=True)
    officer = person(unit, "Kayıt", "Yetkilisi", "Taşınır Kayıt Yetkilisi")
    control = person(unit, "Kontrol", "Yetkilisi")
    depot = Depot.objects.create(
        unit=unit,
        institutional_code=f"46.33.{n:02d}",
        code=depot_code,
        name="Bilgi İşlem Ambarı",
        records_officer=officer,
        control_officer=control,
    )
    members = [person(unit, "Ayşe", "Kaya"), person(unit, "İsmail", "Çelik"), person(unit, "Şule", "Uzman", "Mühendis")]
    laptop = AssetKind.objects.get_or_create(
        name="Dizüstü bilgisayar",
        defaults={
            "category": "computer",
            "has_storage": True,
            "tasinir_code": tasinir_code("255.02.01.01.02", "Dizüstü Bilgisayarlar"),
        },
    )[0]
    monitor = AssetKind.objects.get_or_create(
        name="Monitör", defaults={"category": "monitor", "tasinir_code": tasinir_code("255.02.01.01.01.03", "Ekranlar")}
    )[0]
    clerk = make_user(f"kayit{n}", unit=unit, roles=("tasinir_kayit",))
    approver = make_user(
        f"harcama{n}", unit=unit, perms=("inventory.view_scrapproposal", "inventory.approve_scrapproposal")
    )
    return World(unit, depot, officer, members, laptop, monitor, clerk, approver)


def add_asset(
    world: World,
    kind: AssetKind | None = None,
    *,
    price: str | None = "12500.00",
    status: str = Asset.Status.IN_USE,
    depot: Depot | None = None,
    **extra: Any,
) -> Asset:
    kind = kind or world.monitor
    sequence = next_asset_sequence(kind.tasinir_code, 2024)
    return Asset.objects.create(
        sicil_no=sicil_no(kind.tasinir_code, 2024, sequence),
        tasinir_code=kind.tasinir_code,
        kind=kind,
        entry_year=2024,
        sequence=sequence,
        name=kind.name,
        brand="Dell",
        status=status,
        depot=depot or world.depot,
        owner_unit=world.unit,
        price=Decimal(price) if price else None,
        **extra,
    )


def draft(
    world: World,
    assets: list[Asset],
    *,
    disposal: str = "scrap",
    reason: str = "",
    commission: bool = True,
    expert: Staff | None = None,
    on: date = DAY,
) -> ScrapProposal:
    proposal = ScrapProposal.objects.create(
        depot=world.depot,
        year=on.year,
        date=on,
        disposal=disposal,
        reason=reason or "Ekonomik ömrünü doldurdu, onarımı ekonomik değil.",
        expert=expert if expert is not None else (world.expert if commission else None),
    )
    proposal.assets.set(assets)
    if commission:
        proposal.commission.set(world.members)
    return proposal


def approved(world: World, assets: list[Asset], **kwargs: Any) -> ScrapProposal:
    proposal = services.propose(draft(world, assets, **kwargs))
    return services.approve(proposal, world.approver)


def wiped(world: World, asset: Asset) -> DataSanitization:
    return DataSanitization.objects.create(
        asset=asset, method="wipe", done_on=DAY, done_by=world.members[0], tool="nwipe DoD 5220.22-M"
    )


@pytest.fixture(autouse=True)
def english(settings: Any) -> Any:
    """Messages are asserted as their English msgids, whatever Turkish translations are added later."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def world() -> World:
    return make_world()


# --- The commission (TMY md. 27) -------------------------------------------------------------------------


def test_a_commission_of_three_including_the_expert_proposes_and_the_proposal_is_numbered(world: World) -> None:
    proposal = services.propose(draft(world, [add_asset(world)]))
    assert (proposal.status, proposal.year, proposal.number) == ("proposed", 2026, 1)


def test_a_commission_of_two_cannot_propose(world: World) -> None:
    proposal = draft(world, [add_asset(world)], expert=world.members[0])
    proposal.commission.set(world.members[:2])
    with pytest.raises(ValidationError, match="at least 3 members"):
        services.propose(proposal)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.number) == ("draft", None)


def test_the_commission_needs_an_expert_and_the_expert_must_sit_on_it(world: World) -> None:
    without_expert = draft(world, [add_asset(world)])
    without_expert.expert = None
    without_expert.save()
    with pytest.raises(ValidationError, match="expert member"):
        services.propose(without_expert)
    outsider = person(world.unit, "Dış", "Uzman")
    with pytest.raises(ValidationError, match="must be one of the commission"):
        services.propose(draft(world, [add_asset(world)], expert=outsider))


def test_a_loss_backed_by_a_report_needs_no_commission(world: World) -> None:
    reason = "Hırsızlık: Emniyet zaptı ve olay tutanağı 12.03.2026/45 ile tespit edildi."
    proposal = services.propose(draft(world, [add_asset(world)], disposal="loss", reason=reason, commission=False))
    assert proposal.status == "proposed"
    assert not proposal.commission.exists()


def test_a_loss_without_a_report_still_needs_the_commission(world: World) -> None:
    proposal = draft(world, [add_asset(world)], disposal="loss", reason="Bulunamadı.", commission=False)
    with pytest.raises(ValidationError, match=r"report \(tutanak\)"):
        services.propose(proposal)
    with_commission = draft(world, [add_asset(world)], disposal="loss", reason="Bulunamadı.")
    assert services.propose(with_commission).status == "proposed"


def test_scrap_needs_the_commission_even_when_a_report_is_named(world: World) -> None:
    proposal = draft(world, [add_asset(world)], reason="Arıza raporu ekte.", commission=False)
    with pytest.raises(ValidationError, match="at least 3 members"):
        services.propose(proposal)


# --- Which assets may be proposed ------------------------------------------------------------------------


def test_an_asset_held_by_someone_cannot_be_proposed(world: World) -> None:
    held = add_asset(world, holder=world.members[0])
    with pytest.raises(ValidationError, match="held by"):
        services.propose(draft(world, [held]))


def test_an_asset_on_an_open_teslim_belgesi_cannot_be_proposed_until_returned(world: World) -> None:
    asset = add_asset(world)
    document = CustodyDocument.objects.create(
        year=2026, number=1, date=DAY, staff=world.members[0], unit=world.unit, issued_by=world.officer
    )
    item = CustodyItem.objects.create(document=document, asset=asset)
    proposal = draft(world, [asset])
    with pytest.raises(ValidationError, match="open Taşınır Teslim Belgesi"):
        services.propose(proposal)
    item.returned_at = DAY
    item.save()
    assert services.propose(proposal).status == "proposed"


def test_assets_of_another_depot_or_already_gone_or_on_another_proposal_are_refused(world: World) -> None:
    other = make_world(depot_code="02")
    foreign = add_asset(other)
    gone = add_asset(world, status=Asset.Status.SCRAPPED)
    pending = add_asset(world)
    services.propose(draft(world, [pending]))
    with pytest.raises(ValidationError) as error:
        services.propose(draft(world, [foreign, gone, pending]))
    text = " ".join(error.value.messages)
    assert f"{foreign.sicil_no} is recorded in another depot" in text
    assert f"{gone.sicil_no} has already left the records" in text
    assert f"{pending.sicil_no} is already on write-off proposal" in text


def test_an_empty_proposal_cannot_be_proposed(world: World) -> None:
    with pytest.raises(ValidationError, match="at least one asset"):
        services.propose(draft(world, []))


# --- Approval and rejection (harcama yetkilisi) -------------------------------------------------------------


def test_only_the_harcama_yetkilisi_approves_and_the_assets_are_then_marked(world: World) -> None:
    assets = [add_asset(world), add_asset(world)]
    proposal = services.propose(draft(world, assets))
    with pytest.raises(PermissionDenied):
        services.approve(proposal, world.clerk)
    assert set(Asset.objects.filter(pk__in=[a.pk for a in assets]).values_list("status", flat=True)) == {"in_use"}
    done = services.approve(proposal, world.approver, "Uygundur.")
    assert (done.status, done.approved_by, done.decision_note) == ("approved", world.approver, "Uygundur.")
    assert set(Asset.objects.filter(pk__in=[a.pk for a in assets]).values_list("status", flat=True)) == {
        "scrap_proposed"
    }


def test_a_draft_cannot_be_approved_before_the_commission_signs(world: World) -> None:
    with pytest.raises(ValidationError, match="Only a proposed"):
        services.approve(draft(world, [add_asset(world)]), world.approver)


def test_a_rejection_needs_a_reasoned_decision(world: World) -> None:
    asset = add_asset(world)
    proposal = services.propose(draft(world, [asset]))
    with pytest.raises(ValidationError) as error:
        services.reject(proposal, world.approver, "   ")
    assert "decision_note" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.reject(proposal, world.clerk, "Onarılabilir.")
    rejected = services.reject(proposal, world.approver, "Onarılabilir; garanti kapsamında değiştirilecek.")
    assert (rejected.status, rejected.decision_note) == ("rejected", "Onarılabilir; garanti kapsamında değiştirilecek.")
    asset.refresh_from_db()
    assert asset.status == "in_use"
    assert services.propose(draft(world, [asset])).status == "proposed"  # the item may be proposed again


# --- Completion: the exit VİF -------------------------------------------------------------------------------


def test_completion_posts_an_exit_vif_with_one_line_per_asset(world: World) -> None:
    priced, unpriced = add_asset(world, price="8450.50"), add_asset(world, price=None)
    proposal = services.complete(approved(world, [priced, unpriced]), world.clerk)
    voucher = proposal.exit_voucher
    assert (proposal.status, voucher.status, voucher.kind, voucher.direction) == (
        "completed",
        "posted",
        "scrap",
        "exit",
    )
    today = timezone.localdate()  # not before the approval, its source document (TMY md. 10/1-a)
    assert (voucher.fiscal_year, voucher.number, voucher.date) == (today.year, 1, today)
    assert voucher.source_document == "Kayıttan Düşme Teklif ve Onay Tutanağı 2026/1"
    lines = {line.asset_id: line for line in voucher.lines.all()}
    assert set(lines) == {priced.pk, unpriced.pk}
    assert (lines[priced.pk].unit_price, lines[priced.pk].quantity) == (Decimal("8450.50"), Decimal(1))
    assert lines[unpriced.pk].unit_price == Decimal("0")
    assert lines[priced.pk].description.startswith(priced.sicil_no)
    assert voucher.posted_by == world.clerk
    assert set(Asset.objects.filter(pk__in=lines).values_list("status", flat=True)) == {"scrapped"}


def test_a_loss_is_written_off_with_a_loss_vif_and_the_assets_become_lost(world: World) -> None:
    asset = add_asset(world)
    proposal = approved(world, [asset], disposal="loss", reason="Kayıp tutanağı no. 7", commission=False)
    done = services.complete(proposal, world.clerk)
    assert done.exit_voucher.kind == "loss"
    asset.refresh_from_db()
    assert asset.status == "lost"


def test_vif_and_proposal_numbers_run_per_depot_and_year(world: World) -> None:
    other = make_world(depot_code="02")
    first = services.complete(approved(world, [add_asset(world)]), world.clerk)
    second = services.complete(approved(world, [add_asset(world)]), world.clerk)
    elsewhere = services.complete(approved(other, [add_asset(other)]), other.clerk)
    next_year = services.propose(draft(world, [add_asset(world)], on=date(2027, 1, 5)))
    assert [(p.year, p.number) for p in (first, second, elsewhere, next_year)] == [
        (2026, 1),
        (2026, 2),
        (2026, 1),
        (2027, 1),
    ]
    assert [p.exit_voucher.number for p in (first, second, elsewhere)] == [1, 2, 1]


def test_storage_devices_are_not_written_off_without_sanitization_evidence(world: World) -> None:
    laptop, monitor = add_asset(world, world.laptop), add_asset(world)
    proposal = approved(world, [laptop, monitor])
    with pytest.raises(ValidationError, match=laptop.sicil_no) as error:
        services.complete(proposal, world.clerk)
    assert monitor.sicil_no not in str(error.value)
    assert not Voucher.objects.exists()
    assert ScrapProposal.objects.get(pk=proposal.pk).status == "approved"
    wiped(world, laptop)
    assert services.complete(proposal, world.clerk).status == "completed"


def test_the_exit_vif_is_not_dated_before_the_approval(world: World) -> None:
    proposal = approved(world, [add_asset(world)])
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError, match="before its source document"):
        services.complete(proposal, world.clerk, on=yesterday)
    assert not Voucher.objects.exists()
    assert ScrapProposal.objects.get(pk=proposal.pk).status == "approved"


def test_the_control_officer_does_not_post_the_write_off(world: World) -> None:
    proposal = approved(world, [add_asset(world)])
    controller = make_user("kontrol", unit=world.unit, roles=("tasinir_kayit",))
    world.depot.control_officer.user = controller
    world.depot.control_officer.save()
    with pytest.raises(ValidationError, match="records and control are kept by different people"):
        services.complete(proposal, controller)
    assert not Voucher.objects.exists()


def test_the_poster_needs_the_post_voucher_right(world: World) -> None:
    proposal = approved(world, [add_asset(world)])
    with pytest.raises(PermissionDenied):
        services.complete(proposal, world.approver)
    assert not Voucher.objects.exists()


def test_completion_waits_while_a_count_freezes_the_depot(world: World) -> None:
    proposal = approved(world, [add_asset(world)])
    session = counting.open_count(world.depot, DAY, [world.officer, *world.members[:2]])
    assert services.movements_frozen(world.depot)
    with pytest.raises(ValidationError, match="movements are frozen"):
        services.complete(proposal, world.clerk)
    session.freeze_movements = False
    session.save()
    assert not services.movements_frozen(world.depot)
    assert services.complete(proposal, world.clerk).status == "completed"


def test_only_an_approved_proposal_is_completed(world: World) -> None:
    proposal = services.propose(draft(world, [add_asset(world)]))
    with pytest.raises(ValidationError, match="Only an approved"):
        services.complete(proposal, world.clerk)


def test_names_report_understands_turkish_suffixes() -> None:
    assert services.names_report("Olay TUTANAĞI ile")
    assert services.names_report("Emniyet raporuna göre")
    assert services.names_report("ZABIT VARAKASI")
    assert not services.names_report("Kayboldu")
