"""Service desk, one full path in the browser: a requester asks through the portal, the request lands in the
technician's unit queue, the technician works it, sends the printer to the vendor under warranty, a manager
approves the vendor's service form, the technician records a servis formu and resolves the ticket, the servis
formu prints as a PDF, and the requester rates the work on a phone, which closes the ticket."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, _new_page
from e2e.helpers import assert_fits_width, assert_styled, login, path_of, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PRINTER_ITEM = "yazici-tarayici"
SUPPORT_UNIT = "Teknik Destek Hizmetleri Şefliği"  # answers the printer item (biys/servicedesk/demo/data.py)
TITLE = "Yazıcı çıktıları çizgili ve kağıt sıkışıyor"
DESCRIPTION = "Koridordaki ağ yazıcısı her çıktıda kağıdı sıkıştırıyor; çıkan sayfalar da çizgili ve silik."
VENDOR = "Örnek Bilişim Ltd. Şti."
VENDOR_REFERENCE = "SRV-2026-0815"
WORK_DONE = "Füzer ünitesi üretici servisinden değişmiş döndü; besleme silindiri temizlendi, deneme baskısı alındı."
RESOLUTION = "Füzer ünitesi garanti kapsamında değiştirildi, yazıcı çalışıyor."
RATING_COMMENT = "Hızlı ve güler yüzlü hizmet, teşekkürler."

# A one-page PDF standing in for the vendor's scanned service form.
VENDOR_FORM_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Files uploaded in the test (the vendor's form) go to a throwaway folder, not the checkout's var/media.
    Requested after ``demo``, so the demo's own files stay where every other test finds them."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def submit(page: Any, button: Any) -> None:
    """Click a form's submit button, wait for the page the redirect lands on, and make sure it shows no error."""
    with page.expect_navigation():
        button.click()
    errors = page.locator(".alert-danger, .invalid-feedback")
    assert errors.count() == 0, errors.all_inner_texts()


@contextmanager
def _tab(browser: Any, live_server: Any, viewport: dict[str, int]) -> Iterator[Any]:
    """A fresh browser context (its own cookies: one person at a time) with the checks every e2e page gets:
    its CSS, scripts and fonts load and its scripts run without error (see e2e/conftest.py)."""
    with contextmanager(_new_page)(browser, live_server, viewport) as page:
        yield page


def status_of(page: Any) -> str:
    return str(page.get_by_test_id("ticket-status").get_attribute("data-status"))


def test_portal_request_is_routed_worked_sent_to_vendor_resolved_printed_and_rated(
    browser: Any, live_server: Any, demo: None, media: Path
) -> None:
    from biys.core.views import restrict
    from biys.inventory.models import Asset
    from biys.servicedesk import services
    from biys.servicedesk.choices import Status, VendorCaseStatus
    from biys.servicedesk.models import Intervention, RootCause, Ticket, VendorCase
    from biys.users.models import User

    requester = User.objects.get(username="kullanici")
    technician = User.objects.get(username="teknisyen")
    assert requester.has_perm("servicedesk.add_ticket") and not requester.has_perm("servicedesk.work_ticket")
    assert not requester.unit.is_it  # Yol Yapım Şube Müdürlüğü: a unit the IT department serves

    # 1. The requester asks for a printer repair through the portal.
    with _tab(browser, live_server, DESKTOP) as page:
        login(page, "kullanici")
        page.goto("/destek/")
        assert_styled(page)
        item_link = page.get_by_test_id(f"item-{PRINTER_ITEM}")
        expect(item_link).to_be_visible()
        shot(page, "servicedesk-portal")
        item_link.click()
        page.wait_for_url(f"**/destek/yeni/{PRINTER_ITEM}/")
        form = page.get_by_test_id("new-ticket-form")
        form.locator("input[name=title]").fill(TITLE)
        page.get_by_test_id("description").fill(DESCRIPTION)
        form.locator("select[name=form_sorun]").select_option("Kağıt sıkıştırıyor")
        form.locator("input[name=form_yazici_yeri]").fill("2. kat koridor, HP LaserJet")
        form.locator("input[name=contact_phone]").fill("0324 000 44 12")
        shot(page, "servicedesk-new-request")
        submit(page, page.get_by_test_id("submit-request"))

        reference = page.get_by_test_id("ticket-reference").inner_text().strip().lstrip("#")
        ticket = Ticket.objects.select_related("assigned_unit", "requester").get(pk=int(path_of(page).split("/")[-2]))
        assert reference == ticket.reference
        assert reference in page.locator(".alert-success").inner_text()  # "recorded with reference …"
        assert status_of(page) == Status.NEW
        # Routed by the catalogue item to the şeflik that repairs printers, for the requester's own staff record.
        assert ticket.assigned_unit.name == SUPPORT_UNIT
        assert ticket.requester.user_id == requester.pk
        assert ticket.form_data["sorun"] == "Kağıt sıkıştırıyor"
        assert page.get_by_test_id("assigned-unit").inner_text().strip() == SUPPORT_UNIT
        assert page.get_by_test_id("action-assign").count() == 0  # a requester does not work tickets

    ticket_url = ticket.get_absolute_url()
    printer = (
        restrict(Asset.objects.filter(name="Lazer yazıcı"), technician).select_related("contract").order_by("sicil_no")
    ).first()
    assert printer is not None, "the demo has a laser printer the technician may see"
    cover = services.warranty_cover(printer)
    assert cover.covered, "the demo's laser printer is under warranty or a maintenance contract"

    # 2. A technician of that şeflik finds it in the unit's queue, takes it and works it.
    with _tab(browser, live_server, DESKTOP) as page:
        login(page, "teknisyen")
        page.goto("/destek/talepler/")
        page.get_by_test_id("queue-unit").click()
        page.wait_for_url(f"**assigned_unit={technician.unit_id}**")
        row = page.locator("#object-table tbody tr", has_text=reference)
        expect(row).to_have_count(1)
        expect(page.get_by_test_id("queue-unit")).to_have_class(re.compile(r"\bactive\b"))
        shot(page, "servicedesk-queue-unit")
        with page.expect_navigation():
            row.get_by_role("link", name=reference).click()
        assert path_of(page) == ticket_url
        assert page.locator("#object-table").count() == 0  # a page of its own, not swapped into the list

        page.get_by_test_id("action-assign").click()  # the form is fetched into the panel, the page stays
        page.get_by_test_id("form-assign").locator("select[name=assignee]").select_option(str(technician.pk))
        assert path_of(page) == ticket_url
        shot(page, "servicedesk-ticket-action-panel")
        submit(page, page.get_by_test_id("submit-assign"))
        assert status_of(page) == Status.ASSIGNED
        assert page.get_by_test_id("assignee").inner_text().strip() == technician.get_full_name()

        submit(page, page.get_by_test_id("action-start"))
        assert status_of(page) == Status.IN_PROGRESS

        followup = page.get_by_test_id("followup-form")
        followup.locator("select[name=kind]").select_option("work")
        followup.locator("textarea[name=body]").fill("Yerinde bakıldı: füzer ünitesi arızalı, garanti kapsamında.")
        followup.locator("input[name=minutes]").fill("35")
        followup.locator("input[name=on_site]").check()
        submit(page, page.get_by_test_id("followup-submit"))
        work = page.get_by_test_id("timeline").locator("[data-kind=work]", has_text="füzer ünitesi arızalı")
        expect(work).to_have_count(1)
        expect(work).to_contain_text("35")

        # The printer by its registry number; the page shows its warranty / contract cover.
        page.get_by_test_id("device-add-form").locator("input[name=sicil_no]").fill(printer.sicil_no)
        submit(page, page.get_by_test_id("device-add-submit"))
        expect(page.get_by_test_id(f"device-{printer.pk}")).to_contain_text(printer.sicil_no)
        expect(page.get_by_test_id(f"cover-{printer.pk}")).to_have_class(re.compile(r"\btext-bg-success\b"))

        # Sent to the vendor: the ticket waits for the vendor (its SLA clock pauses).
        page.get_by_test_id("vendor-open-toggle").click()
        vendor_form = page.get_by_test_id("vendor-open-form")
        expect(vendor_form).to_be_visible()
        # Prefilled from the linked device's warranty: whom to send it to.
        assert vendor_form.locator("select[name=asset]").input_value() == str(printer.pk)
        assert vendor_form.locator("input[name=vendor]").input_value() == cover.vendor
        vendor_form.locator("input[name=vendor]").fill(VENDOR)
        vendor_form.locator("input[name=contact]").fill("Servis: 0324 111 22 33")
        vendor_form.locator("input[name=vendor_reference]").fill(VENDOR_REFERENCE)
        submit(page, page.get_by_test_id("vendor-open-submit"))
        assert status_of(page) == Status.WAITING_VENDOR
        expect(page.get_by_test_id("sla-paused")).to_be_visible()
        case = VendorCase.objects.get(ticket=ticket)
        assert (case.vendor, case.vendor_reference, case.asset_id) == (VENDOR, VENDOR_REFERENCE, printer.pk)
        assert case.status == VendorCaseStatus.SENT

        # Back from the vendor with the vendor's service form (PDF).
        vendor_pdf = media / "tedarikci-servis-formu.pdf"
        vendor_pdf.write_bytes(VENDOR_FORM_PDF)
        returned = page.get_by_test_id(f"vendor-return-form-{case.pk}")
        returned.locator("input[name=service_form]").set_input_files(str(vendor_pdf))
        returned.locator("input[name=note]").fill("Füzer ünitesi değişti.")
        submit(page, page.get_by_test_id(f"vendor-return-submit-{case.pk}"))
        assert status_of(page) == Status.IN_PROGRESS
        expect(page.get_by_test_id(f"vendor-status-{case.pk}")).to_be_visible()
        expect(page.get_by_test_id(f"vendor-form-{case.pk}")).to_be_visible()
        case.refresh_from_db()
        assert case.status == VendorCaseStatus.RETURNED and case.returned_at is not None and case.service_form
        # A technician may not approve the vendor's form: no review form for them.
        assert page.get_by_test_id(f"vendor-review-form-{case.pk}").count() == 0
        shot(page, "servicedesk-ticket-technician-vendor")

        # 2b. The branch manager approves the vendor's service form.
        with _tab(browser, live_server, DESKTOP) as manager:
            login(manager, "mudur")
            manager.goto(ticket_url)
            # The uploaded vendor form is the PDF the manager reviews.
            href = manager.get_by_test_id(f"vendor-form-{case.pk}").get_attribute("href")
            download = manager.request.get(href)
            assert download.status == 200 and download.headers["content-type"] == "application/pdf"
            assert download.body() == VENDOR_FORM_PDF
            review = manager.get_by_test_id(f"vendor-review-form-{case.pk}")
            review.locator("input[name=decision][value=approve]").check()
            review.locator("input[name=note]").fill("Servis formu uygun.")
            submit(manager, manager.get_by_test_id(f"vendor-review-submit-{case.pk}"))
            case.refresh_from_db()
            assert case.status == VendorCaseStatus.APPROVED
            assert case.approved_by.username == "mudur"
            expect(manager.get_by_test_id(f"vendor-status-{case.pk}")).to_contain_text(case.get_status_display())

        # 3. The technician records the servis formu and resolves the ticket.
        page.reload()
        page.get_by_test_id("intervention-add").click()
        page.wait_for_url(f"**{ticket_url}servis-formu/")
        form = page.get_by_test_id("intervention-form")
        assert form.locator("input[name=signed_by]").input_value() == str(ticket.requester)  # prefilled
        form.locator("textarea[name=work_done]").fill(WORK_DONE)
        submit(page, page.get_by_test_id("intervention-submit"))
        intervention = Intervention.objects.get(ticket=ticket)
        assert intervention.technician_id == technician.pk
        expect(page.get_by_test_id("interventions")).to_contain_text(f"{intervention.year}/{intervention.number}")

        cause = RootCause.objects.get(code="HW-03")  # a default coded root cause: printer mechanism fault
        page.get_by_test_id("action-resolve").click()
        resolve = page.get_by_test_id("form-resolve")
        resolve.locator("textarea[name=resolution]").fill(RESOLUTION)
        resolve.locator("select[name=root_cause]").select_option(str(cause.pk))
        submit(page, page.get_by_test_id("submit-resolve"))
        assert status_of(page) == Status.RESOLVED
        expect(page.get_by_test_id("resolution")).to_contain_text(RESOLUTION)
        shot(page, "servicedesk-ticket-technician-resolved")

        # The servis formu as a PDF: the ticket reference and Turkish text survive into the printed page.
        href = page.get_by_test_id(f"intervention-pdf-{intervention.pk}").get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        body = response.body()
        assert body.startswith(b"%PDF-")
        pdf_path = media / "servis-formu.pdf"
        pdf_path.write_bytes(body)
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert f"#{reference}" in text, text
        assert "SERVİS FORMU" in text, text
        assert "MERSİN BÜYÜKŞEHİR BELEDİYESİ" in text, text
        assert "Füzer ünitesi" in text and SUPPORT_UNIT in text, text
        assert f"{intervention.year}/{intervention.number}" in text, text

    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert ticket.root_cause_id == cause.pk and ticket.resolution == RESOLUTION

    # 4. The requester, on a phone, sees the resolved request and rates it; rating confirms and closes it.
    with _tab(browser, live_server, PHONE) as phone:
        login(phone, "kullanici")
        phone.goto("/destek/")
        mine = phone.get_by_test_id(f"request-{ticket.pk}")
        expect(mine).to_contain_text(reference)
        # Solved and waiting for the requester: on the first screen, not under the whole catalogue.
        expect(mine.get_by_test_id(f"confirm-{ticket.pk}")).to_be_visible()
        assert mine.bounding_box()["y"] < PHONE["height"]
        assert_fits_width(phone)
        shot(phone, "servicedesk-portal-phone")
        with phone.expect_navigation():
            mine.get_by_role("link").first.click()
        assert path_of(phone) == ticket_url
        assert status_of(phone) == Status.RESOLVED
        expect(phone.get_by_test_id("resolution")).to_contain_text(RESOLUTION)
        # The requester confirms or reopens, comments and rates; working the ticket is not theirs.
        assert phone.get_by_test_id("action-assign").count() == 0
        assert phone.get_by_test_id("intervention-add").count() == 0
        assert phone.get_by_test_id("followup-form").count() == 1  # may still comment
        rating = phone.get_by_test_id("rating-form")
        expect(rating).to_be_visible()
        # "Is your problem solved?" is the first thing on the page, above the request and its timeline.
        assert phone.get_by_test_id("confirm-card").bounding_box()["y"] < PHONE["height"] / 2
        assert_fits_width(phone)
        shot(phone, "servicedesk-ticket-requester-phone")
        rating.get_by_test_id("score-5").click()  # the five-star button of the row
        expect(rating.locator("input[name=score][value='5']")).to_be_checked()
        rating.locator("textarea[name=comment]").fill(RATING_COMMENT)
        submit(phone, phone.get_by_test_id("rating-submit"))
        assert status_of(phone) == Status.CLOSED
        expect(phone.get_by_test_id("satisfaction")).to_have_attribute("data-score", "5")
        expect(phone.get_by_test_id("rating-form")).to_have_count(0)
        assert_fits_width(phone)
        shot(phone, "servicedesk-ticket-requester-phone-rated")

    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.closed_at is not None
    assert ticket.satisfaction.score == 5
    assert ticket.satisfaction.comment == RATING_COMMENT
    assert ticket.satisfaction.created_by_id == requester.pk
