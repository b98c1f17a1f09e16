"""Write-off and count pages: the generic suite per model, the workflows through the pages, the PDFs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.urls import reverse

from biys.core.models import ChangeLogEntry
from biys.core.testing import make_user
from biys.core.testing.views import ViewTestCases
from biys.inventory.disposal import counting, services
from biys.inventory.models import CountSession, DataSanitization, ScrapProposal, Voucher
from biys.inventory.tests.test_disposal_counting import line_of, stock
from biys.inventory.tests.test_disposal_services import World, add_asset, approved, draft, english, make_world

DAY = date(2026, 11, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTMX = {"HTTP_HX_REQUEST": "true"}


__all__ = ["english"]  # autouse: messages are asserted in English


class SinceMakeMixin:
    """``make`` sets many-to-many rows (assets, commission, board), which the change log records as updates
    of the new row; the edit tests must look only at what the request under test wrote."""

    baseline = 0

    def remember(self, instance: Any) -> Any:
        self.baseline = ChangeLogEntry.objects.aggregate(top=Max("id"))["top"] or 0
        return instance

    def log(self, instance: Any, action: str) -> Any:
        return (
            ChangeLogEntry.objects.filter(
                content_type__model=self.model._meta.model_name,  # type: ignore[attr-defined]
                object_id=str(instance.pk),
                action=action,
                id__gt=self.baseline,
            )
            .order_by("id")
            .last()
        )


class ScrapProposalViewTests(SinceMakeMixin, ViewTestCases.ModelViewTestCase):
    model = ScrapProposal
    has_delete = False  # kept for the record; a rejected proposal stays rejected
    update_field = "reason"

    def make(self, unit: Any) -> ScrapProposal:
        world = make_world(unit)
        return self.remember(draft(world, [add_asset(world)]))

    def form_data(self, unit: Any) -> dict[str, Any]:
        world = make_world(unit)
        return {
            "depot": world.depot.pk,
            "date": "2026-11-02",
            "disposal": "scrap",
            "reason": "Arızalı; onarımı ekonomik değil.",
            "asset_codes": f"{add_asset(world).sicil_no}\n{add_asset(world).sicil_no}",
            "commission": [member.pk for member in world.members],
            "expert": world.expert.pk,
        }


class CountSessionViewTests(SinceMakeMixin, ViewTestCases.ModelViewTestCase):
    model = CountSession
    has_delete = False  # a count is closed, never deleted
    update_field = "freeze_movements"

    def make(self, unit: Any) -> CountSession:
        world = make_world(unit)
        add_asset(world)
        return self.remember(counting.open_count(world.depot, DAY, [world.officer, *world.members[:2]]))

    def form_data(self, unit: Any) -> dict[str, Any]:
        world = make_world(unit)
        add_asset(world)
        return {
            "depot": world.depot.pk,
            "date": "2026-11-02",
            "board": [world.officer.pk, world.members[0].pk, world.members[1].pk],
            "freeze_movements": False,
        }


# --- Pages, pytest style ---------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def texts(response: Any) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_a_write_off_runs_through_the_pages(client: Any, world: World, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    laptop, monitor = add_asset(world, world.laptop), add_asset(world)
    client.force_login(world.clerk)
    data = {
        "depot": world.depot.pk,
        "date": "2026-11-02",
        "disposal": "scrap",
        "reason": "Ekonomik ömrünü doldurdu.",
        "asset_codes": f"{laptop.sicil_no}\n{monitor.sicil_no}",
        "commission": [m.pk for m in world.members],
        "expert": world.expert.pk,
    }
    response = client.post(reverse("inventory:scrapproposal_add"), data)
    assert response.status_code == 302
    proposal = ScrapProposal.objects.get()
    assert set(proposal.assets.all()) == {laptop, monitor}
    response = client.post(reverse("inventory:scrapproposal_propose", args=[proposal.pk]))
    assert "sent for approval" in texts(response)
    page = client.get(proposal.get_absolute_url())
    assert b"decision" not in page.content  # the clerk does not decide
    client.force_login(world.approver)
    assert b'id="decision"' in client.get(proposal.get_absolute_url()).content
    response = client.post(reverse("inventory:scrapproposal_reject", args=[proposal.pk]), {"note": ""})
    assert "reasoned decision" in texts(response)
    client.post(reverse("inventory:scrapproposal_approve", args=[proposal.pk]), {"note": "Uygundur."})
    assert ScrapProposal.objects.get(pk=proposal.pk).status == "approved"
    client.force_login(world.clerk)
    response = client.post(reverse("inventory:scrapproposal_complete", args=[proposal.pk]))
    assert laptop.sicil_no in texts(response) and not Voucher.objects.exists()
    evidence = {"asset": laptop.pk, "method": "shred", "done_on": "2026-11-03", "done_by": world.members[0].pk}
    sanitize = reverse("inventory:scrapproposal_sanitization", args=[proposal.pk])
    fake = SimpleUploadedFile("kanit.pdf", b"not a pdf at all", content_type="application/pdf")
    assert "not a PDF" in texts(client.post(sanitize, {**evidence, "evidence": fake}))
    assert not DataSanitization.objects.exists()
    client.post(
        sanitize, {**evidence, "evidence": SimpleUploadedFile("kanit.pdf", PDF, content_type="application/pdf")}
    )
    record = DataSanitization.objects.get()
    download = client.get(reverse("inventory:datasanitization_evidence", args=[record.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    response = client.post(reverse("inventory:scrapproposal_complete", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == "completed"
    assert str(proposal.exit_voucher) in texts(response)


def test_the_proposal_form_names_bad_rows(client: Any, world: World) -> None:
    held = add_asset(world, holder=world.members[0])
    client.force_login(world.clerk)
    data = {
        "depot": world.depot.pk,
        "date": "2026-11-02",
        "disposal": "scrap",
        "reason": "Arızalı",
        "asset_codes": f"{held.sicil_no}, 255.00-26-00000",
        "commission": [m.pk for m in world.members],
        "expert": world.officer.pk,
    }
    response = client.post(reverse("inventory:scrapproposal_add"), data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "255.00-26-00000" in str(errors["asset_codes"])
    assert "must be one of the commission" in str(errors["expert"])
    data["asset_codes"] = held.sicil_no
    errors = client.post(reverse("inventory:scrapproposal_add"), data).context["form"].errors
    assert "held by" in str(errors["asset_codes"])
    assert not ScrapProposal.objects.exists()


def test_only_a_draft_is_edited(client: Any, world: World) -> None:
    proposal = services.propose(draft(world, [add_asset(world)]))
    client.force_login(world.clerk)
    response = client.get(reverse("inventory:scrapproposal_edit", args=[proposal.pk]))
    assert response.status_code == 302
    assert "Only a draft" in texts(response)


def test_the_write_off_pdfs(client: Any, world: World) -> None:
    asset = add_asset(world, world.laptop, serial="5CD1234XYZ")
    scrap = approved(world, [asset])
    destroy = approved(world, [add_asset(world)], disposal="destroy")
    client.force_login(world.clerk)
    response = client.get(reverse("inventory:scrapproposal_pdf", args=[scrap.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(reverse("inventory:scrapproposal_destruction_pdf", args=[scrap.pk])).status_code == 404
    response = client.get(reverse("inventory:scrapproposal_destruction_pdf", args=[destroy.pk]))
    assert response.content.startswith(b"%PDF")


def test_a_harcama_yetkilisi_of_no_unit_cannot_see_other_depots(client: Any, world: World) -> None:
    other = make_world()
    proposal = draft(other, [add_asset(other)])
    client.force_login(world.approver)
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert client.post(reverse("inventory:scrapproposal_approve", args=[proposal.pk])).status_code == 404


# --- Counting pages ---------------------------------------------------------------------------------------


def open_session(world: World) -> CountSession:
    return counting.open_count(world.depot, DAY, [world.officer, *world.members[:2]])


def test_opening_a_count_on_the_page_lists_the_lines_and_checks_the_board(client: Any, world: World) -> None:
    add_asset(world)
    add_asset(world, holder=world.members[2])
    client.force_login(world.clerk)
    data = {"depot": world.depot.pk, "date": "2026-11-02", "freeze_movements": "on"}
    response = client.post(reverse("inventory:countsession_add"), {**data, "board": [m.pk for m in world.members]})
    assert response.status_code == 422
    assert "records officer" in str(response.context["form"].errors["board"])
    board = [world.officer.pk, world.members[0].pk, world.members[1].pk]
    response = client.post(reverse("inventory:countsession_add"), {**data, "board": board})
    session = CountSession.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert session.lines.count() == 2
    page = client.get(session.get_absolute_url() + "?show=records")
    assert page.status_code == 200
    assert page.context["line_table"].paginator.count == 1


def test_the_phone_scan_page_counts_without_reloading(client: Any, world: World) -> None:
    asset = add_asset(world)
    toner = stock(world, "HP 26A toner", "4")
    session = open_session(world)
    client.force_login(make_user("sayim", unit=world.unit, roles=("uzman",)))
    url = reverse("inventory:countsession_scan", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="code"' in page.content and b"autofocus" in page.content
    assert f"stock-line-{line_of(session, toner).pk}".encode() in page.content
    found = client.post(url, {"code": asset.sicil_no}, **HTMX)
    assert found.status_code == 200
    assert b'data-outcome="found"' in found.content and b'hx-swap-oob="true"' in found.content
    assert b"1 / 1" in found.content
    unknown = client.post(url, {"code": "YOK-123"}, **HTMX)
    assert b'data-outcome="unknown"' in unknown.content and b"surplus candidate" in unknown.content
    line = line_of(session, toner)
    quantity = client.post(
        reverse("inventory:countline_quantity", args=[session.pk, line.pk]), {"quantity": "3.5"}, **HTMX
    )
    assert quantity.status_code == 200 and b'value="3.5"' in quantity.content
    assert line_of(session, toner).first_count == Decimal("3.5")
    negative = client.post(
        reverse("inventory:countline_quantity", args=[session.pk, line.pk]), {"quantity": "-2"}, **HTMX
    )
    assert b"text-danger" in negative.content
    undo = client.post(reverse("inventory:countline_undo", args=[session.pk, line_of(session, asset).pk]), **HTMX)
    assert b'data-outcome="undone"' in undo.content
    assert line_of(session, asset).first_count is None
    plain = client.post(url, {"code": asset.sicil_no})  # without JavaScript: a normal form post
    assert plain.status_code == 302 and plain["Location"] == url


def test_a_counter_may_scan_but_not_close(client: Any, world: World) -> None:
    session = open_session(world)
    client.force_login(make_user("sayim", unit=world.unit, roles=("uzman",)))
    assert client.post(reverse("inventory:countsession_close", args=[session.pk])).status_code == 403
    client.force_login(make_user("misafir", unit=world.unit, perms=("inventory.view_countsession",)))
    assert client.get(reverse("inventory:countsession_scan", args=[session.pk])).status_code == 403


def test_a_count_is_recounted_and_closed_on_the_page(client: Any, world: World) -> None:
    asset = add_asset(world)
    session = open_session(world)
    client.force_login(world.clerk)
    response = client.post(reverse("inventory:countsession_close", args=[session.pk]))
    assert "second count" in texts(response)
    client.post(reverse("inventory:countsession_second", args=[session.pk]))
    assert CountSession.objects.get(pk=session.pk).status == "second"
    response = client.post(reverse("inventory:countsession_close", args=[session.pk]))
    assert "Count closed" in texts(response)
    voucher = Voucher.objects.get(kind="count_shortage")
    assert voucher.lines.get().asset == asset
    detail = client.get(session.get_absolute_url())
    assert str(voucher).encode() in detail.content
    assert reverse("inventory:countsession_scan", args=[session.pk]).encode() not in detail.content
    assert client.get(reverse("inventory:countsession_edit", args=[session.pk])).status_code == 302


def test_the_count_report_pdf(client: Any, world: World) -> None:
    add_asset(world)
    add_asset(world, holder=world.members[2])
    stock(world, "Toner", "2")
    session = open_session(world)
    client.force_login(world.clerk)
    response = client.get(reverse("inventory:countsession_pdf", args=[session.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
