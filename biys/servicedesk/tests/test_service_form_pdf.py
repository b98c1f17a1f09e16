"""The printed servis formu: numbered, with the ticket, requester, devices, work, times, parts with their VİF and
two signature blocks, in correct Turkish letters."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from biys.core.calendar import ISTANBUL
from biys.org.models import Municipality, Staff
from biys.servicedesk import services

from .fixtures import make_desk, open_ticket
from .test_ticket_actions import may_post_vouchers, stocked_depot
from .test_ticket_views import login, make_device

pytestmark = pytest.mark.django_db


def text_of(response: Any) -> str:
    """The printed text, from the PDF itself with poppler's pdftotext."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed to read the PDF"
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True)
    return result.stdout.decode()


@pytest.fixture
def printed() -> dict[str, Any]:
    Municipality.objects.create(name="Mersin Büyükşehir Belediyesi")
    desk = make_desk()
    Staff.objects.filter(user=desk.technician).update(title="Bilgisayar İşletmeni")
    Staff.objects.filter(user=desk.requester).update(title="Şef", work_phone="0324 555 12 34")
    toner = stocked_depot(desk)
    may_post_vouchers(desk.technician)
    device = make_device(desk, name="Lazer yazıcı", serial="VNB3K12345", brand="HP", model="LaserJet M402")
    ticket = open_ticket(desk, assets=[device], description="Kağıt sıkışıyor, ışık turuncu yanıyor.")
    services.act(ticket, "start", desk.technician)
    start = datetime(2026, 3, 4, 10, 15, tzinfo=ISTANBUL)
    intervention = services.record_intervention(
        ticket,
        desk.technician,
        started_at=start,
        ended_at=start + timedelta(minutes=95),
        work_done="Silindir temizlendi, toner değiştirildi; çıktı denendi.",
        place="Hizmet binası 3. kat 312",
        parts=[(toner, Decimal(1))],
    )
    return {"desk": desk, "ticket": ticket, "intervention": intervention, "device": device}


def url(intervention: Any) -> str:
    return reverse("servicedesk:intervention_pdf", args=[intervention.pk])


def test_the_service_form_prints_every_part_in_turkish(client: Client, printed: dict[str, Any]) -> None:
    desk, ticket, intervention = printed["desk"], printed["ticket"], printed["intervention"]
    login(client, desk.technician)
    text = text_of(client.get(url(intervention)))
    voucher = intervention.parts.get().voucher
    for expected in (
        "MERSİN BÜYÜKŞEHİR BELEDİYESİ",
        "SERVİS FORMU",
        f"{intervention.year}/{intervention.number}",
        f"#{ticket.reference}",
        "Ayşe Yılmaz",
        "Fen İşleri Dairesi",
        "Teknik Destek Şefliği",
        "0324 555 12 34",
        printed["device"].sicil_no,
        "VNB3K12345",
        "LaserJet M402",
        "Yazıcı çalışmıyor",
        "Kağıt sıkışıyor, ışık turuncu yanıyor.",
        "Silindir temizlendi, toner değiştirildi; çıktı denendi.",
        "Hizmet binası 3. kat 312",
        "04.03.2026 10:15",
        "04.03.2026 11:50",
        "1 h 35 min",
        "HP 26A toner",
        str(voucher),
        "TECHNICIAN",
        "REQUESTER",
        "Mehmet Kaya",
        "Bilgisayar İşletmeni",
        "Şef",
        "Signature",
    ):
        assert expected in text, expected


def test_the_requester_prints_their_own_form_but_others_do_not(client: Client, printed: dict[str, Any]) -> None:
    desk, intervention = printed["desk"], printed["intervention"]
    login(client, desk.requester)
    assert "SERVİS FORMU" in text_of(client.get(url(intervention)))
    for stranger in (desk.outsider, desk.colleague, desk.software_technician):
        login(client, stranger)
        assert client.get(url(intervention)).status_code == 404, stranger
