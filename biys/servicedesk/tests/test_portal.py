"""The requester portal: the catalogue, a new request with the item's own questions, the device picker, file
uploads, suggestions while typing, and the agent's phone / walk-in entry."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from biys.inventory.models import CustodyDocument, CustodyItem
from biys.org.models import Staff
from biys.servicedesk import services
from biys.servicedesk.choices import ArticleStatus, Channel, Priority, Status
from biys.servicedesk.models import Article, Attachment, Ticket

from .fixtures import Desk, make_desk, make_item, open_ticket
from .test_ticket_views import PDF, PNG, login, make_device, messages_of

pytestmark = pytest.mark.django_db

PORTAL = "/destek/"


def new_url(desk: Desk, item: Any = None) -> str:
    return reverse("servicedesk:ticket_new", args=[(item or desk.item).code])


def request_data(**extra: Any) -> dict[str, Any]:
    data = {
        "title": "Yazıcı kağıt sıkıştırıyor",
        "description": "3. kattaki yazıcı her sayfada durdu.",
        "impact": "person",
    }
    data.update(extra)
    return data


def test_the_portal_shows_the_active_catalogue_by_category(client: Client) -> None:
    desk = make_desk()
    make_item(desk.support, "Ağ prizi arızası", category="Ağ", code="ag-prizi")
    make_item(desk.support, "Faks arızası", code="faks", is_active=False)
    login(client, desk.requester)
    html = client.get(PORTAL).content.decode()
    assert "Donanım" in html and "Ağ" in html
    assert 'data-testid="item-ag-prizi"' in html and desk.item.name in html
    assert "Faks arızası" not in html
    assert client.get(reverse("servicedesk:ticket_new", args=["faks"])).status_code == 404


def test_my_requests_are_newest_first_with_status_and_paginated(client: Client) -> None:
    desk = make_desk()
    tickets = [open_ticket(desk, title=f"Talep {number:02d}") for number in range(23)]
    tickets[-1].cancel(desk.requester, "Gerek kalmadı")
    login(client, desk.requester)
    html = client.get(PORTAL).content.decode()
    assert html.index("Talep 22") < html.index("Talep 21")
    assert "Talep 02" not in html and "Page 1 of 2" in html
    assert "Cancelled" in html
    assert "Talep 02" in client.get(PORTAL + "?tab=mine&page=2").content.decode()


def pane_classes(html: str, pane: str) -> list[str]:
    """The classes of the portal pane with id ``pane`` (a phone shows the ``active`` one)."""
    tag = html[: html.index(f'id="{pane}"')]
    return tag[tag.rindex("<section") :].split('class="', 1)[1].split('"', 1)[0].split()


def test_a_solved_request_waits_on_top_with_a_rate_confirm_button(client: Client) -> None:
    desk = make_desk()
    solved = services.act(open_ticket(desk, title="Eski yazıcı arızası"), "start", desk.technician)
    solved = services.act(solved, "resolve", desk.technician, resolution="Düzeldi.", root_cause=desk.cause)
    newer = open_ticket(desk, title="Yeni talep")
    closed = services.act(open_ticket(desk, title="Kapanmış talep"), "start", desk.technician)
    closed = services.act(closed, "resolve", desk.technician, resolution="Düzeldi.", root_cause=desk.cause)
    closed = services.act(closed, "close", desk.requester)  # closed without a rating
    login(client, desk.requester)
    response = client.get(PORTAL)
    html = response.content.decode()
    # What waits for the requester first, then newest first (the closed one was opened after the new one).
    order = [html.index(f'data-testid="request-{ticket.pk}"') for ticket in (solved, closed, newer)]
    assert order == sorted(order)
    assert f'data-testid="confirm-{solved.pk}"' in html and "Rate / confirm" in html
    assert f'data-testid="confirm-{newer.pk}"' not in html and f'data-testid="confirm-{closed.pk}"' not in html
    assert f'data-testid="rate-{closed.pk}"' in html  # closed, never rated: a smaller "Rate" link
    assert (response.context["waiting"], response.context["open_count"]) == (1, 1)
    # On a phone the requests come first while something waits for the requester.
    assert "active" in pane_classes(html, "pane-requests") and "active" not in pane_classes(html, "pane-catalogue")


def test_with_nothing_to_confirm_a_phone_shows_the_catalogue_first(client: Client) -> None:
    desk = make_desk()
    open_ticket(desk)
    login(client, desk.requester)
    html = client.get(PORTAL).content.decode()
    assert "active" in pane_classes(html, "pane-catalogue") and "active" not in pane_classes(html, "pane-requests")
    # Both panes stand side by side on a laptop.
    assert "d-lg-block" in pane_classes(html, "pane-catalogue") and "d-lg-block" in pane_classes(html, "pane-requests")
    # Paging through the requests keeps them in view.
    assert "active" in pane_classes(client.get(PORTAL + "?tab=mine").content.decode(), "pane-requests")


def test_a_new_request_is_recorded_and_shows_its_reference(client: Client) -> None:
    desk = make_desk()
    login(client, desk.requester)
    response = client.post(new_url(desk), request_data(contact_phone="4321"))
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert any(ticket.reference in message for message in messages_of(response))
    assert (ticket.channel, ticket.requester, ticket.assigned_unit, ticket.status) == (
        Channel.PORTAL,
        desk.requester_staff,
        desk.support,
        Status.NEW,
    )
    assert (ticket.contact_phone, ticket.created_by) == ("4321", desk.requester)


def test_a_requester_cannot_set_the_priority(client: Client) -> None:
    desk = make_desk()
    login(client, desk.requester)
    client.post(new_url(desk), request_data(priority=Priority.CRITICAL))
    assert Ticket.objects.get().priority == desk.item.default_priority


QUESTIONS = [
    {"name": "dahili", "label": "Dahili no", "type": "text", "required": True},
    {"name": "adet", "label": "Adet", "type": "number", "required": True},
    {"name": "tarih", "label": "İhtiyaç tarihi", "type": "date"},
    {"name": "tur", "label": "Hat türü", "type": "choice", "choices": ["Sabit", "GSM"], "required": True},
    {"name": "acil", "label": "Acil", "type": "boolean"},
]


def test_the_items_questions_are_asked_and_errors_name_each_field(client: Client) -> None:
    desk = make_desk()
    item = make_item(desk.support, "Yeni telefon hattı", code="hat", fields=QUESTIONS)
    login(client, desk.requester)
    page = client.get(new_url(desk, item)).content.decode()
    for label in ("Dahili no", "Adet", "İhtiyaç tarihi", "Hat türü", "Acil"):
        assert label in page
    assert 'name="form_tarih"' in page and 'type="date"' in page
    response = client.post(new_url(desk, item), request_data(form_adet="çok", form_tur="Uydu"))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["form_dahili"] == ["Dahili no is required."]
    assert errors["form_tur"] == ["Hat türü: choose one of the listed values."]
    response = client.post(new_url(desk, item), request_data(form_dahili="1234", form_adet="çok", form_tur="GSM"))
    assert response.status_code == 422
    assert response.context["form"].errors["form_adet"] == ["Adet must be a number."]
    assert "Adet must be a number." in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_answers_are_stored_typed(client: Client) -> None:
    desk = make_desk()
    item = make_item(desk.support, "Yeni telefon hattı", code="hat", fields=QUESTIONS)
    login(client, desk.requester)
    data = request_data(form_dahili="1234", form_adet="2,5", form_tarih="2026-05-04", form_tur="GSM", form_acil="on")
    assert client.post(new_url(desk, item), data).status_code == 302
    assert Ticket.objects.get().form_data == {
        "dahili": "1234",
        "adet": "2.5",
        "tarih": "2026-05-04",
        "tur": "GSM",
        "acil": True,
    }


def hand_over(desk: Desk, asset: Any) -> None:
    """Put ``asset`` in the requester's custody on a Taşınır Teslim Belgesi."""
    officer = Staff.objects.create(first_name="Kerem", last_name="Kayıtçı", unit=desk.it)
    document = CustodyDocument.objects.create(
        year=2026,
        number=CustodyDocument.objects.count() + 1,
        date=date(2026, 3, 2),
        staff=desk.requester_staff,
        unit=desk.requesting,
        issued_by=officer,
    )
    CustodyItem.objects.create(document=document, asset=asset)
    asset.holder = desk.requester_staff
    asset.save()


def test_the_device_picker_offers_only_what_the_requester_holds(client: Client) -> None:
    desk = make_desk()
    item = make_item(desk.support, "Bilgisayar arızası", code="pc", asks_for_asset=True)
    held = make_device(desk, name="Masaüstü bilgisayar")
    other = make_device(desk, name="Başkasının bilgisayarı")
    hand_over(desk, held)
    returned = make_device(desk, name="İade edilmiş monitör")
    hand_over(desk, returned)
    CustodyItem.objects.filter(asset=returned).update(returned_at=date(2026, 3, 10))
    login(client, desk.requester)
    page = client.get(new_url(desk, item)).content.decode()
    assert held.sicil_no in page and other.sicil_no not in page and returned.sicil_no not in page
    response = client.post(new_url(desk, item), request_data(assets=[other.pk]))
    assert response.status_code == 422 and "assets" in response.context["form"].errors
    client.post(new_url(desk, item), request_data(assets=[held.pk]))
    assert list(Ticket.objects.get().assets.all()) == [held]
    assert 'data-testid="device-picker"' not in client.get(new_url(desk)).content.decode()


def test_files_are_kept_with_their_checked_type(client: Client) -> None:
    desk = make_desk()
    login(client, desk.requester)
    files = [
        SimpleUploadedFile("ekran.png", PNG),
        SimpleUploadedFile("hata.log", b"E: 42"),
        SimpleUploadedFile("f.pdf", PDF),
    ]
    client.post(new_url(desk), request_data(uploads=files))
    kept = dict(Attachment.objects.values_list("name", "content_type"))
    assert kept == {"ekran.png": "image/png", "hata.log": "text/plain", "f.pdf": "application/pdf"}


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("kurulum.exe", b"MZ\x90\x00" + b"\x00" * 64, "kurulum.exe is not an accepted file type"),
        ("tarama.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1), "tarama.pdf is larger than 1 MB"),
    ],
)
def test_a_bad_file_names_itself_and_no_ticket_is_written(
    client: Client, settings: Any, name: str, content: bytes, expected: str
) -> None:
    settings.BIYS_MAX_UPLOAD_MB = 1
    desk = make_desk()
    login(client, desk.requester)
    files = [SimpleUploadedFile("iyi.png", PNG), SimpleUploadedFile(name, content)]
    response = client.post(new_url(desk), request_data(uploads=files))
    assert response.status_code == 422
    assert expected in response.content.decode()
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_suggestions_while_typing_show_articles_and_resolved_tickets(client: Client) -> None:
    desk = make_desk()
    Article.objects.create(title="Yazıcıda kağıt sıkışması", body="Kapağı açın…", status=ArticleStatus.PUBLISHED)
    Article.objects.create(title="Yazıcı taslak makalesi", body="…", status=ArticleStatus.DRAFT)
    Article.objects.create(title="Yazıcı iç not", body="…", status=ArticleStatus.PUBLISHED, is_internal=True)
    old = open_ticket(desk, title="Yazıcı kağıt almıyor")
    services.act(old, "start", desk.technician)
    services.act(old, "resolve", desk.technician, resolution="Kağıt yolu temizlendi.", root_cause=desk.cause)
    login(client, desk.requester)
    response = client.get(reverse("servicedesk:suggest"), {"description": "YAZICI kağıt", "title": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Yazıcıda kağıt sıkışması" in html and "Kağıt yolu temizlendi." in html
    assert "taslak" not in html and "iç not" not in html
    assert client.get(reverse("servicedesk:suggest"), {"description": "a"}).content.decode().strip() == ""
    login(client, desk.outsider)  # another unit's resolved ticket is not suggested to them
    assert (
        "Kağıt yolu temizlendi."
        not in client.get(reverse("servicedesk:suggest"), {"description": "yazıcı"}).content.decode()
    )


def test_the_new_request_page_asks_for_suggestions_as_the_requester_types(client: Client) -> None:
    desk = make_desk()
    login(client, desk.requester)
    html = client.get(new_url(desk)).content.decode()
    assert f'hx-get="{reverse("servicedesk:suggest")}"' in html and 'hx-target="#suggestions"' in html


# --- agent entry ------------------------------------------------------------------------------------------------


def test_the_agent_finds_the_person_and_records_a_phone_request(client: Client) -> None:
    desk = make_desk()
    colleague = Staff.objects.get(user=desk.colleague)
    login(client, desk.technician)
    url = reverse("servicedesk:ticket_agent_new")
    page = client.get(url, {"item": desk.item.pk, "staff_q": "DEMİR"}).content.decode()
    assert "Can Demir" in page and "Ayşe Yılmaz" not in page
    response = client.post(
        url,
        {
            **request_data(),
            "item": desk.item.pk,
            "staff": colleague.pk,
            "channel": Channel.PHONE,
            "priority": Priority.HIGH,
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert (ticket.requester, ticket.channel, ticket.priority, ticket.created_by) == (
        colleague,
        Channel.PHONE,
        Priority.HIGH,
        desk.technician,
    )
    assert ticket.requester_unit == desk.requesting and ticket.assigned_unit == desk.support


def test_the_agent_must_choose_the_person(client: Client) -> None:
    desk = make_desk()
    login(client, desk.technician)
    response = client.post(
        reverse("servicedesk:ticket_agent_new"),
        {**request_data(), "item": desk.item.pk, "channel": Channel.WALK_IN, "priority": Priority.NORMAL},
    )
    assert response.status_code == 422 and "staff" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_new_on_the_list_leads_it_staff_to_the_agent_entry_and_others_to_the_portal(client: Client) -> None:
    desk = make_desk()
    login(client, desk.technician)
    assert client.get(reverse("servicedesk:ticket_add"))["Location"] == reverse("servicedesk:ticket_agent_new")
    login(client, desk.requester)
    assert client.get(reverse("servicedesk:ticket_add"))["Location"] == reverse("servicedesk:portal")
    assert client.get(reverse("servicedesk:ticket_agent_new")).status_code == 403
