"""The printed forms: Taşınır Teslim Belgesi with its "geri alındı" part, and the Dayanıklı Taşınırlar Listesi."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from biys.core.testing import make_user
from biys.inventory.custody import services
from biys.inventory.models import Location
from biys.inventory.tests.test_custody_services import (  # noqa: F401 - english is an autouse fixture
    MARCH,
    english,
    make_asset,
    person,
    tree,
)
from biys.org.models import Municipality

pytestmark = pytest.mark.django_db


def text_of(response: Any) -> str:
    """The printed text: from the PDF itself with poppler's pdftotext, else from the rendered HTML."""
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        result = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
        )
        return result.stdout.decode()
    return response.context_html  # set by the fallback below


@pytest.fixture(autouse=True)
def html_fallback(monkeypatch: Any) -> None:
    """Keep the HTML each PDF was made from, for machines without poppler-utils."""
    from biys.core import pdf

    render = pdf.render_to_string

    def keep(template: str, context: dict[str, Any], request: Any = None) -> str:
        html = render(template, context, request=request)
        request._custody_html = html
        return html

    monkeypatch.setattr(pdf, "render_to_string", keep)


def get_pdf(client: Client, url: str) -> Any:
    response = client.get(url)
    response.context_html = getattr(response.wsgi_request, "_custody_html", "")
    return response


@pytest.fixture
def setup() -> dict[str, Any]:
    Municipality.objects.create(name="Nizip Belediyesi")
    units = tree()
    clerk = make_user("kayit", unit=units["it"], roles=("tasinir_kayit",))
    officer = person(units["it"], "Mehmet", "Demir", user=clerk, title="Taşınır Kayıt Yetkilisi")
    ayse = person(units["section"], "Ayşe", "Kaya", registry_no="1001", title="Tekniker")
    return {"units": units, "clerk": clerk, "officer": officer, "ayse": ayse}


def test_the_teslim_belgesi_prints_items_statement_and_signature_blocks(client, setup) -> None:  # type: ignore[no-untyped-def]
    laptop = make_asset(setup["units"]["it"], serial="5CD1234XYZ")
    monitor = make_asset(setup["units"]["it"], name="Monitör", brand="Dell", model="P2422H")
    document = services.issue_custody(setup["ayse"], [laptop, monitor], setup["officer"], on=MARCH)
    client.force_login(setup["clerk"])
    url = reverse("inventory:custodydocument_pdf", kwargs={"pk": document.pk})
    text = text_of(get_pdf(client, url))
    spending_unit = " ".join(text.split("Spending unit", 1)[1].split("Received by", 1)[0].split())
    # The harcama birimi is the items' ambar's unit with its kurumsal kod, not the receiver's şeflik.
    assert "Bilgi İşlem Dairesi Başkanlığı" in spending_unit and f"(46.{setup['units']['it'].pk})" in spending_unit
    assert "Teknik Destek" not in spending_unit
    for expected in (
        "NİZİP BELEDİYESİ",
        "TAŞINIR TESLİM BELGESİ",
        "2026/1",
        "02.03.2026",
        "Teknik Destek Şefliği",
        "Ayşe Kaya",
        "1001",
        "Tekniker",
        laptop.sicil_no,
        monitor.sicil_no,
        "255.02.01.01.02",
        "5CD1234XYZ",
        "Adet",
        "will not pass them on to anyone else",
        "HANDED OVER BY",
        "RECEIVED BY",
        "Mehmet Demir",
        "GERİ ALINDI",
        "To be filled in when the items are returned.",
    ):
        assert expected in text, expected


def test_the_geri_alindi_part_lists_each_return_with_its_date_and_signatures(client, setup) -> None:  # type: ignore[no-untyped-def]
    laptop, mouse = make_asset(setup["units"]["it"]), make_asset(setup["units"]["it"], name="Fare")
    document = services.issue_custody(setup["ayse"], [laptop, mouse], setup["officer"], on=MARCH)
    services.return_custody(
        document.items.filter(asset=mouse), setup["officer"], on=date(2026, 6, 1), condition="Sağlam"
    )
    client.force_login(setup["clerk"])
    text = text_of(get_pdf(client, reverse("inventory:custodydocument_pdf", kwargs={"pk": document.pk})))
    returned = text.split("GERİ ALINDI", 1)[1]
    assert mouse.sicil_no in returned and "01.06.2026" in returned and "Sağlam" in returned
    assert laptop.sicil_no not in returned
    assert "RETURNED BY" in returned and "TAKEN BACK BY" in returned
    assert "To be filled in" not in returned


def test_a_document_of_another_unit_does_not_print(client, setup) -> None:  # type: ignore[no-untyped-def]
    document = services.issue_custody(setup["ayse"], [make_asset(setup["units"]["it"])], setup["officer"], on=MARCH)
    outsider = make_user("fen", unit=setup["units"]["other"], perms=("inventory.view_custodydocument",))
    client.force_login(outsider)
    assert client.get(reverse("inventory:custodydocument_pdf", kwargs={"pk": document.pk})).status_code == 404


def test_the_dayanikli_tasinirlar_listesi_prints_with_the_responsibles_signature(client, setup) -> None:  # type: ignore[no-untyped-def]
    units = setup["units"]
    owner = make_user("zeynep", unit=units["it"])
    responsible = person(units["it"], "Zeynep", "Çelik", user=owner, title="Şef")
    room = Location.objects.create(unit=units["it"], building="Hizmet Binası", room="214", responsible=responsible)
    projector = make_asset(units["it"], name="Projeksiyon cihazı", location=room)
    client.force_login(setup["clerk"])
    response = client.post(reverse("inventory:sharedarealist_add"), {"location": room.pk, "date": "2026-03-05"})
    area_list = room.area_lists.get()
    assert response["Location"] == area_list.get_absolute_url()
    services.sign_shared_area_list(area_list, owner)
    text = text_of(get_pdf(client, reverse("inventory:sharedarealist_pdf", kwargs={"pk": area_list.pk})))
    for expected in (
        "DAYANIKLI TAŞINIRLAR LİSTESİ",
        "Hizmet Binası / 214",
        "05.03.2026",
        projector.sicil_no,
        "Projeksiyon cihazı",
        "AREA RESPONSIBLE",
        "Zeynep Çelik",
        "approved in the system by Zeynep Çelik",
        "Mehmet Demir",  # prepared by: the clerk who made the list
    ):
        assert expected in text, expected
