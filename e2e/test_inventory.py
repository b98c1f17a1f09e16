"""Inventory, one full path in the browser, as the IT depot works: the Taşınır kayıt yetkilisi registers a new
laptop (the system gives its sicil no, TMY md. 36), cannot hand it out before its commissioning checklist is
complete (Nizip md. 12/49), completes it, hands the laptop to an engineer on a Taşınır Teslim Belgesi (printed
as a PDF with both signature blocks), takes it back ("geri alındı") into the depot, then enters the depot's
opening consumable stock from a CSV file (upload → preview → commit on a posted VİF). Finally the asset list
and the laptop's page fit a phone's width."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, _new_page
from e2e.helpers import assert_fits_width, assert_styled, login, path_of, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RECORDS_OFFICER = "kayit"  # Oğuz Taş, Taşınır Kayıt Yetkilisi of the Bilgi İşlem Ambarı (biys/org/demo/loader.py)
RECEIVER = "kullanici"  # Mehmet Ilıcak, Mühendis, Yol Yapım Şube Müdürlüğü
LAPTOP_KIND = "Dizüstü bilgisayar"  # Taşınır code 255.02.01.01.02, needs commissioning
SERIAL = "5CD4417XQ2"
CONDITION = "Sağlam, şarj adaptörü ve çantasıyla"

# The depot's opening stock as an office keeps it: ";" between columns, Turkish decimals, one existing item
# (the demo's toner gets a second lot) and two new ones.
STOCK_CSV = (
    "Ambar;Taşınır kodu;Malzeme adı;Parça no;Ölçü birimi;Miktar;Birim fiyat;Kritik stok;Fatura no;Fatura tarihi\n"
    "01;150.01.04.01;HP 26A toner (CF226A);CF226A;Adet;6;1.310,00;5;FTR2026-0311;14.10.2026\n"
    "01;150.01.04.01;HP 59A toner (CF259A);CF259A;Adet;8;2.150,00;3;FTR2026-0311;14.10.2026\n"
    "01;150.13.04.01.01.02;USB optik fare;MS-OPT-USB;Adet;15;185,50;5;;\n"
)
NEW_TONER = "HP 59A toner (CF259A)"
MOUSE = "USB optik fare"
OLD_TONER = "HP 26A toner (CF226A)"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded import files wait under MEDIA_ROOT/imports/ between preview and commit: a throwaway folder here.
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
    """A fresh browser context (its own cookies: one person at a time) with the checks every e2e page gets."""
    with contextmanager(_new_page)(browser, live_server, viewport) as page:
        yield page


def attribute(page: Any, label: str) -> str:
    """The value shown next to ``label`` in a detail page's attribute table (e.g. "Durum")."""
    row = page.locator(".attr-table tr").filter(has=page.locator("th", has_text=re.compile(rf"^{label}$", re.I)))
    expect(row).to_have_count(1)
    return str(row.locator("td").inner_text()).strip()


def success_text(page: Any) -> str:
    return " ".join(page.locator(".alert-success").all_inner_texts())


def assert_fits_phone(page: Any) -> None:
    """``assert_fits_width``, naming the elements that stick out on the right when it fails."""
    wide = page.evaluate(
        """Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-responsive'))
            .slice(0, 3)
            .map(e => `${e.tagName.toLowerCase()}[${e.dataset.testid || e.className}] right=${
                Math.round(e.getBoundingClientRect().right)}: ${(e.innerText || '').slice(0, 60)}`)"""
    )
    try:
        assert_fits_width(page)
    except AssertionError as exc:
        raise AssertionError(f"{exc} on {path_of(page)}; sticking out: {wide}") from None


def pdf_text(body: bytes, path: Path) -> str:
    path.write_bytes(body)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_laptop_registered_commissioned_handed_out_taken_back_and_stock_imported(
    browser: Any, live_server: Any, demo: None, media: Path
) -> None:
    from django.db.models import Max

    from biys.inventory.models import Asset, AssetKind, CustodyDocument, Depot, StockItem, Voucher
    from biys.org.models import Staff
    from biys.users.models import User

    officer = User.objects.get(username=RECORDS_OFFICER)
    assert officer.groups.filter(role__code="tasinir_kayit").exists()
    receiver = Staff.objects.select_related("unit").get(user__username=RECEIVER)
    kind = AssetKind.objects.select_related("tasinir_code").get(name=LAPTOP_KIND)
    depot = Depot.objects.get(name="Bilgi İşlem Ambarı")
    year = timezone.localdate().year
    last = Asset.objects.filter(tasinir_code=kind.tasinir_code, entry_year=year).aggregate(top=Max("sequence"))["top"]
    # TMY md. 36: Taşınır code + last two digits of the entry year + entry sequence of that code in that year.
    expected_sicil = f"{kind.tasinir_code.code}-{year % 100:02d}-{(last or 0) + 1:05d}"

    with _tab(browser, live_server, DESKTOP) as page:
        login(page, RECORDS_OFFICER)

        # 1. Register the new laptop from the asset list ("Taşınır kaydet").
        page.goto("/envanter/assets/")
        assert_styled(page)
        with page.expect_navigation():
            page.get_by_role("link", name="Taşınır kaydet").click()
        assert path_of(page) == "/envanter/assets/add/"
        expect(page.locator("h1")).to_have_text("Taşınır kaydet")
        form = page.get_by_test_id("register-form")
        form.locator("select[name=kind]").select_option(str(kind.pk))
        form.locator("select[name=depot]").select_option(str(depot.pk))
        form.locator("select[name=owner_unit]").select_option(str(depot.unit_id))
        assert form.locator("input[name=entry_year]").input_value() == str(year)
        assert form.locator("input[name=quantity]").input_value() == "1"
        form.locator("input[name=brand]").fill("HP")
        form.locator("input[name=model]").fill("EliteBook 840 G11")
        form.locator("textarea[name=serials]").fill(SERIAL)
        form.locator("textarea[name=specifications]").fill("Intel Core Ultra 7, 32 GB RAM, 1 TB SSD, 14 inç")
        form.locator("input[name=invoice_no]").fill("FTR2026-0298")
        form.locator("input[name=invoice_date]").fill(f"{year}-10-06")
        form.locator("input[name=price]").fill("52400.00")
        form.locator("input[name=supplier]").fill("Örnek Bilişim Ltd. Şti.")
        form.locator("input[name=warranty_end]").fill(f"{year + 3}-10-06")
        shot(page, "inventory-register-form")
        submit(page, page.get_by_test_id("register-submit"))

        laptop = Asset.objects.get(serial=SERIAL)
        assert path_of(page) == laptop.get_absolute_url()
        # The number the system gave, in md. 36 format, on the page and in the confirmation.
        assert laptop.sicil_no == expected_sicil
        assert re.fullmatch(r"\d{3}(\.\d{2})+-\d{2}-\d{5}", laptop.sicil_no)
        expect(page.locator("h1")).to_contain_text(expected_sicil)
        assert f"Kaydedildi: {expected_sicil}" in success_text(page)
        assert attribute(page, "Sicil numarası") == expected_sicil
        assert attribute(page, "Seri numarası") == SERIAL
        assert attribute(page, "Durum") == "Kullanıma hazırlanıyor"
        commissioning = page.get_by_test_id("commissioning")
        expect(commissioning).to_contain_text("Tamamlanmadı: taşınır henüz kullanıcıya teslim edilemez.")
        expect(commissioning.locator(".bi-check-square")).to_have_count(0)
        expect(page.get_by_test_id("hand-over-link")).to_have_count(0)  # not free to hand over yet
        shot(page, "inventory-asset-registered")

        # 1b. Not handed out before commissioning: not offered among the free items, and refused when forced.
        page.goto(f"/envanter/custody-documents/add/?asset_q={expected_sicil}")
        expect(page.get_by_test_id("issue-candidates")).to_contain_text("Aramayla eşleşen boşta taşınır yok.")
        page.goto(f"/envanter/custody-documents/add/?staff={receiver.pk}&assets={laptop.pk}")
        expect(page.locator(f"#asset-{laptop.pk}")).to_be_checked()
        with page.expect_navigation():
            page.get_by_test_id("issue-submit").click()
        refusal = page.get_by_test_id("form-errors")
        expect(refusal).to_contain_text(expected_sicil)
        expect(refusal).to_contain_text("Nizip md. 12/49")
        shot(page, "inventory-issue-refused-before-commissioning")
        assert not CustodyDocument.objects.filter(items__asset=laptop).exists()

        # 1c. The commissioning checklist: a partial save keeps it in commissioning, all three complete it.
        page.goto(laptop.get_absolute_url())
        with page.expect_navigation():
            page.get_by_test_id("commissioning-link").click()
        assert path_of(page) == f"{laptop.get_absolute_url()}commissioning/"
        page.locator("input[name=tested]").check()
        submit(page, page.get_by_test_id("commissioning-submit"))
        expect(page.locator(".alert-info")).to_have_text(
            "Kontrol listesi kaydedildi; taşınır kullanıma hazırlanma aşamasında kalıyor."
        )
        shot(page, "inventory-asset-commissioning-partial")
        assert attribute(page, "Durum") == "Kullanıma hazırlanıyor"
        expect(page.get_by_test_id("commissioning").locator(".bi-check-square")).to_have_count(1)
        with page.expect_navigation():
            page.get_by_test_id("commissioning-link").click()
        expect(page.locator("input[name=tested]")).to_be_checked()
        page.locator("input[name=installed]").check()
        page.locator("input[name=network_registered]").check()
        page.locator("textarea[name=note]").fill("Windows 11 Pro kuruldu, etki alanına alındı, BitLocker açık.")
        done_by = page.locator("select[name=done_by]")
        assert done_by.input_value() == str(officer.staff.pk)  # the signed-in officer by default
        shot(page, "inventory-commissioning-form")
        submit(page, page.get_by_test_id("commissioning-submit"))
        assert "Kullanıma hazırlama tamamlandı; taşınır teslim edilebilir." in success_text(page)
        assert attribute(page, "Durum") == "Ambarda"
        commissioning = page.get_by_test_id("commissioning")
        expect(commissioning.locator(".badge")).to_have_text("Tamamlandı")
        expect(commissioning.locator(".bi-check-square")).to_have_count(3)
        shot(page, "inventory-asset-commissioned")

        # 2. Hand it to the engineer on a Taşınır Teslim Belgesi: from the laptop's page (now free to hand over,
        # so the button shows), find the person and the item, tick, issue.
        with page.expect_navigation():
            page.get_by_test_id("hand-over-link").click()
        expect(page.locator(f"#asset-{laptop.pk}")).to_be_checked()
        page.locator("#staff_q").fill(receiver.last_name)
        page.locator("#asset_q").fill(expected_sicil)
        with page.expect_navigation():
            page.locator("#issue-search button[type=submit]").click()
        candidates = page.get_by_test_id("issue-candidates").locator("tbody tr")
        expect(candidates).to_have_count(1)
        expect(candidates).to_contain_text(expected_sicil)
        expect(candidates).to_contain_text(SERIAL)
        page.locator("#id_staff").select_option(str(receiver.pk))
        page.locator(f"#asset-{laptop.pk}").check()
        page.locator("#id_note").fill("Saha çalışmaları için.")
        shot(page, "inventory-issue-form")
        submit(page, page.get_by_test_id("issue-submit"))

        document = CustodyDocument.objects.get(items__asset=laptop)
        label = f"{document.year}/{document.number}"
        assert path_of(page) == document.get_absolute_url()
        assert f"Teslim Belgesi {label}" in success_text(page)
        expect(page.locator("h1")).to_contain_text(label)
        items = page.get_by_test_id("custody-items").locator("tbody tr")
        expect(items).to_have_count(1)
        expect(items).to_contain_text(expected_sicil)
        expect(items.locator(".badge")).to_have_text("Zimmette")
        assert attribute(page, "Teslim alan") == str(receiver)
        shot(page, "inventory-custody-document")

        # The printed Teslim Belgesi: the sicil no, the person and both signature blocks.
        href = page.get_by_test_id("custody-pdf").get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        text = pdf_text(response.body(), media / "teslim-belgesi.pdf")
        assert "TAŞINIR TESLİM BELGESİ" in text, text
        assert expected_sicil in text, text
        assert str(receiver) in text and receiver.title in text, text
        assert "TESLİM EDEN" in text and "TESLİM ALAN" in text and "İmza" in text, text
        assert str(officer.staff) in text, text  # the officer who handed it over, under "TESLİM EDEN"
        assert label in text, text

        # The person's custody page lists the laptop among what they hold now.
        with page.expect_navigation():
            page.get_by_test_id("custody-staff-link").click()
        assert path_of(page) == f"/envanter/custody/staff/{receiver.pk}/"
        held = page.get_by_test_id("held").locator("tbody tr", has_text=expected_sicil)
        expect(held).to_have_count(1)
        expect(held).to_contain_text(label)
        expect(held).to_contain_text("EliteBook 840 G11")
        shot(page, "inventory-staff-custody")

        page.goto(laptop.get_absolute_url())
        assert attribute(page, "Durum") == "Kullanımda"
        assert attribute(page, "Zimmetli olduğu personel") == str(receiver)

        # 3. Taken back ("geri alındı") on the same document: back in the depot, the document is closed.
        page.goto(document.get_absolute_url())
        page.get_by_label(expected_sicil).check()
        page.locator("input[name=condition]").fill(CONDITION)
        submit(page, page.get_by_test_id("take-back-submit"))
        assert f"Geri alındı: {expected_sicil}." in success_text(page)
        items = page.get_by_test_id("custody-items").locator("tbody tr")
        expect(items).to_contain_text(timezone.localdate().strftime("%d.%m.%Y"))
        expect(items).to_contain_text(CONDITION)
        expect(page.locator(".card-header .badge")).to_have_text("Tümü iade edildi")
        shot(page, "inventory-custody-document-returned")

        page.goto(laptop.get_absolute_url())
        assert attribute(page, "Durum") == "Ambarda"
        assert attribute(page, "Zimmetli olduğu personel") == "—"
        history = page.get_by_test_id("custody-history").locator("tbody tr", has_text=label)
        expect(history).to_contain_text(str(receiver))
        expect(history).to_contain_text(CONDITION)
        shot(page, "inventory-asset-back-in-depot")

        page.goto(f"/envanter/assets/?q={expected_sicil}")
        row = page.locator("#object-table tbody tr", has_text=expected_sicil)
        expect(row).to_have_count(1)
        expect(row.locator(".badge")).to_have_text("Ambarda")

        page.goto(f"/envanter/custody/staff/{receiver.pk}/")
        expect(page.get_by_test_id("held").locator("tbody tr", has_text=expected_sicil)).to_have_count(0)
        expect(page.get_by_test_id("history").locator("tbody tr", has_text=expected_sicil)).to_have_count(1)

        # 4. The depot's opening stock from a CSV file: upload → preview → commit.
        old_toner = StockItem.objects.get(depot=depot, name=OLD_TONER)
        old_quantity = old_toner.quantity_on_hand
        page.goto("/envanter/stock-items/")
        with page.expect_navigation():
            page.get_by_test_id("stock-import-link").click()
        assert path_of(page) == "/envanter/imports/stock/"
        csv_file = media / "acilis-stoku.csv"
        csv_file.write_text(STOCK_CSV, encoding="utf-8")
        page.locator("input[name=file]").set_input_files(str(csv_file))
        shot(page, "inventory-stock-import-upload")
        submit(page, page.get_by_test_id("stock-upload-submit"))
        assert path_of(page).startswith("/envanter/imports/stock/preview/?token=")
        expect(page.get_by_test_id("summary")).to_contain_text("3")
        totals = page.get_by_test_id("totals").locator("tbody tr")
        expect(totals).to_have_count(1)
        cells = totals.locator("td")
        expect(cells.nth(2)).to_have_text("3")  # lines
        expect(cells.nth(3)).to_have_text("2")  # new items
        expect(cells.nth(4)).to_have_text("29")  # 6 + 8 + 15
        expect(cells.nth(5)).to_have_text("27.842,50")  # 7.860 + 17.200 + 2.782,50
        preview = page.get_by_test_id("preview").locator("tbody tr")
        expect(preview).to_have_count(3)
        expect(preview.nth(0).locator(".badge")).to_have_text("mevcut")
        expect(preview.nth(1).locator(".badge")).to_have_text("yeni")
        expect(preview.nth(2)).to_contain_text(MOUSE)
        expect(preview.nth(2)).to_contain_text("185,50")
        assert not StockItem.objects.filter(name=NEW_TONER).exists()  # the preview writes nothing
        shot(page, "inventory-stock-import-preview")
        submit(page, page.get_by_test_id("stock-commit"))

        voucher = Voucher.objects.get(kind=Voucher.Kind.INVENTORY_ENTRY, depot=depot)
        assert voucher.status == Voucher.Status.POSTED and voucher.posted_by_id == officer.pk
        assert path_of(page) == "/envanter/stock-items/"
        assert str(voucher) in success_text(page)
        for name, quantity in ((NEW_TONER, "8"), (MOUSE, "15"), (OLD_TONER, f"{old_quantity + 6:.0f}")):
            row = page.locator("#object-table tbody tr", has=page.get_by_role("link", name=name, exact=True))
            expect(row).to_have_count(1)
            expect(row.locator("td").nth(4)).to_have_text(quantity)
            expect(row).to_contain_text("Adet")
        shot(page, "inventory-stock-list-after-import")

        # The new item's page: its one lot, received on the posted inventory-entry VİF.
        with page.expect_navigation():
            page.get_by_role("link", name=NEW_TONER, exact=True).click()
        lots = page.get_by_test_id("lots").locator("tbody tr")
        expect(lots).to_have_count(1)
        expect(lots.locator("td").nth(2)).to_have_text("8")
        expect(lots.locator("td").nth(4)).to_have_text("2.150,00")
        with page.expect_navigation():
            lots.get_by_role("link", name=str(voucher)).click()
        assert path_of(page) == voucher.get_absolute_url()
        expect(page.locator("h1 .badge")).to_have_text("Kaydedildi")
        assert attribute(page, "VİF işlem çeşidi") == "Envanter girişi (md. 15/5)"
        lines = page.get_by_test_id("voucher-lines").locator("tbody tr")
        expect(lines).to_have_count(3)
        expect(lines.filter(has_text=NEW_TONER)).to_contain_text("17.200,00")
        shot(page, "inventory-stock-voucher")

    assert StockItem.objects.get(pk=old_toner.pk).quantity_on_hand == old_quantity + 6

    # 5. On a phone: the asset list and the laptop's page fit the width.
    with _tab(browser, live_server, PHONE) as phone:
        login(phone, RECORDS_OFFICER)
        phone.goto("/envanter/assets/")
        expect(phone.locator("#object-table")).to_be_visible()
        shot(phone, "inventory-asset-list-phone")
        assert_fits_phone(phone)
        phone.goto(laptop.get_absolute_url())
        expect(phone.locator("h1")).to_contain_text(expected_sicil)
        assert attribute(phone, "Durum") == "Ambarda"
        shot(phone, "inventory-asset-phone")
        assert_fits_phone(phone)
        shot(phone, "inventory-asset-phone")
