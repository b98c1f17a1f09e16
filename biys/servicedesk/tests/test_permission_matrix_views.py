"""Who sees and does what on the ticket pages, persona by persona (the issue's permission matrix):
requester: own tickets (and the unit's when granted), never internal notes; technician: their şeflik's queue
and what is assigned to them; manager: their branch; Yönetici: all; Denetçi: read-only all."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from biys.core.testing import make_user
from biys.org.models import Staff
from biys.servicedesk import services
from biys.servicedesk.choices import FollowUpKind, Status
from biys.servicedesk.models import FollowUp, Ticket

from .fixtures import Desk, make_desk, make_item, open_ticket
from .test_ticket_views import PNG, fresh, login, version

pytestmark = pytest.mark.django_db

LIST = "/destek/talepler/?status="


@pytest.fixture
def desk() -> Desk:
    return make_desk()


def colleague_with_unit_view(desk: Desk) -> Any:
    user = make_user(
        "birim-sefi", unit=desk.requesting, roles=("birim_kullanicisi",), perms=("servicedesk.view_unit_tickets",)
    )
    Staff.objects.create(first_name="Deniz", last_name="Ak", unit=desk.requesting, user=user)
    return user


def persona(desk: Desk, name: str) -> Any:
    return colleague_with_unit_view(desk) if name == "unit_viewer" else getattr(desk, name)


# Who sees a ticket of the support şeflik's queue, opened by the requester.
SEES_SUPPORT_TICKET = {
    "requester": True,
    "colleague": False,  # same unit, without servicedesk.view_unit_tickets
    "unit_viewer": True,  # same unit, with it
    "outsider": False,
    "technician": True,  # support şeflik
    "software_technician": False,
    "manager": True,  # IT department: both şeflik queues
    "head": True,
    "auditor": True,
}


@pytest.mark.parametrize(("name", "sees"), SEES_SUPPORT_TICKET.items())
def test_who_sees_a_support_ticket_on_its_page_and_in_the_list(
    client: Client, desk: Desk, name: str, sees: bool
) -> None:
    ticket = open_ticket(desk)
    login(client, persona(desk, name))
    assert client.get(ticket.get_absolute_url()).status_code == (200 if sees else 404)
    assert client.get(reverse("servicedesk:ticket_history", args=[ticket.pk])).status_code == (200 if sees else 404)
    listed = client.get(LIST)
    assert listed.status_code == 200
    assert (ticket.get_absolute_url() in listed.content.decode()) == sees


def test_the_software_technician_sees_the_ticket_once_it_is_transferred_to_them(client: Client, desk: Desk) -> None:
    ticket = open_ticket(desk)
    login(client, desk.software_technician)
    assert client.get(ticket.get_absolute_url()).status_code == 404
    services.act(ticket, "transfer", desk.technician, to_unit=desk.software, reason="Yazılım hatası")
    assert client.get(ticket.get_absolute_url()).status_code == 200
    login(client, desk.technician)
    assert client.get(ticket.get_absolute_url()).status_code == 404
    login(client, desk.manager)
    assert client.get(ticket.get_absolute_url()).status_code == 200


def test_a_technician_sees_a_ticket_of_another_queue_assigned_to_them(client: Client, desk: Desk) -> None:
    ticket = open_ticket(desk)
    services.act(ticket, "transfer", desk.technician, to_unit=desk.software, reason="Yazılım")
    services.act(ticket, "assign", desk.manager, assignee=desk.software_technician)
    services.act(ticket, "assign", desk.head, assignee=desk.technician)  # the head may assign anyone working tickets
    login(client, desk.technician)
    assert client.get(ticket.get_absolute_url()).status_code == 200


def test_the_portal_lists_only_the_users_own_requests(client: Client, desk: Desk) -> None:
    mine = open_ticket(desk, title="Benim talebim")
    colleague_staff = Staff.objects.get(user=desk.colleague)
    theirs = open_ticket(desk, title="Komşunun talebi", requester=colleague_staff, by=desk.colleague)
    login(client, desk.requester)
    html = client.get(reverse("servicedesk:portal")).content.decode()
    assert mine.title in html and theirs.title not in html
    assert 'data-testid="tab-unit"' not in html
    unit_tab = client.get(reverse("servicedesk:portal") + "?tab=unit").content.decode()
    assert theirs.title not in unit_tab  # without the right, the unit tab falls back to "mine"
    login(client, colleague_with_unit_view(desk))
    unit_tab = client.get(reverse("servicedesk:portal") + "?tab=unit").content.decode()
    assert mine.title in unit_tab and theirs.title in unit_tab


# --- internal notes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reads"),
    [
        ("requester", False),
        ("unit_viewer", False),
        ("technician", True),
        ("manager", True),
        ("head", True),
        ("auditor", True),
    ],
)
def test_internal_notes_only_for_it_staff_and_auditors(client: Client, desk: Desk, name: str, reads: bool) -> None:
    ticket = open_ticket(desk)
    services.add_followup(
        ticket,
        desk.technician,
        "Dahili: eski sürücü sorunlu",
        kind=FollowUpKind.NOTE,
        files=[SimpleUploadedFile("dahili-ekran.png", PNG)],
    )
    login(client, persona(desk, name))
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert ("Dahili: eski sürücü sorunlu" in html) == reads
    assert ("dahili-ekran.png" in html) == reads
    attachment = ticket.attachments.get()
    assert client.get(reverse("servicedesk:attachment", args=[attachment.pk])).status_code == (200 if reads else 404)


# --- the auditor reads everything and changes nothing ------------------------------------------------------------


def every_post(desk: Desk, ticket: Ticket) -> list[tuple[str, dict[str, Any]]]:
    token = version(ticket)
    posts = [
        (reverse("servicedesk:ticket_action", args=[ticket.pk, action]), {"_version": token})
        for action in (
            "assign",
            "start",
            "wait",
            "resume",
            "resolve",
            "close",
            "reopen",
            "cancel",
            "transfer",
            "priority",
        )
    ]
    return [
        *posts,
        (reverse("servicedesk:ticket_followup", args=[ticket.pk]), {"_version": token, "kind": "comment", "body": "x"}),
        (reverse("servicedesk:ticket_followup", args=[ticket.pk]), {"_version": token, "kind": "note", "body": "x"}),
        (reverse("servicedesk:ticket_asset_add", args=[ticket.pk]), {"_version": token, "sicil_no": "1"}),
        (reverse("servicedesk:vendorcase_open", args=[ticket.pk]), {"_version": token, "vendor": "Firma"}),
        (reverse("servicedesk:intervention_add", args=[ticket.pk]), {"_version": token}),
        (reverse("servicedesk:ticket_part", args=[ticket.pk]), {"_version": token}),
        (reverse("servicedesk:ticket_rate", args=[ticket.pk]), {"_version": token, "score": "5"}),
    ]


def test_the_auditor_reads_everything_but_every_action_is_403_and_no_button_is_shown(
    client: Client, desk: Desk
) -> None:
    ticket = open_ticket(desk)
    services.add_followup(ticket, desk.technician, "Dahili not", kind=FollowUpKind.NOTE)
    login(client, desk.auditor)
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert "Dahili not" in html
    hidden = ("ticket-actions", "followup-form", "intervention-add", "rating-form", "device-add-form")
    for marker in hidden:
        assert f'data-testid="{marker}"' not in html, marker
    assert "/edit/" not in html
    before = (fresh(ticket).status, fresh(ticket).updated_at, FollowUp.objects.count())
    for url, data in every_post(desk, ticket):
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("servicedesk:intervention_add", args=[ticket.pk])).status_code == 403
    assert client.get(reverse("servicedesk:ticket_edit", args=[ticket.pk])).status_code == 403
    assert client.get(reverse("servicedesk:ticket_agent_new")).status_code == 403
    assert (fresh(ticket).status, fresh(ticket).updated_at, FollowUp.objects.count()) == before


def test_a_requester_posting_technician_actions_gets_403(client: Client, desk: Desk) -> None:
    ticket = open_ticket(desk)
    login(client, desk.requester)
    token = version(ticket)
    for action in ("assign", "start", "resolve", "transfer", "priority"):
        url = reverse("servicedesk:ticket_action", args=[ticket.pk, action])
        assert client.post(url, {"_version": token}).status_code == 403, action
    assert fresh(ticket).status == Status.NEW


def test_nobody_acts_on_a_ticket_they_cannot_see(client: Client, desk: Desk) -> None:
    ticket = open_ticket(desk)
    for stranger in (desk.software_technician, desk.outsider, desk.colleague):
        login(client, stranger)
        response = client.post(
            reverse("servicedesk:ticket_action", args=[ticket.pk, "start"]), {"_version": version(ticket)}
        )
        assert response.status_code == 404
    assert fresh(ticket).status == Status.NEW


@pytest.mark.parametrize(
    ("name", "agent", "edit"),
    [
        ("requester", 403, 403),
        ("technician", 200, 200),
        ("software_technician", 200, 404),
        ("manager", 200, 200),
        ("head", 200, 200),
        ("auditor", 403, 403),
    ],
)
def test_agent_entry_and_edit_are_for_it_staff(client: Client, desk: Desk, name: str, agent: int, edit: int) -> None:
    ticket = open_ticket(desk)
    login(client, persona(desk, name))
    assert client.get(reverse("servicedesk:ticket_agent_new")).status_code == agent
    assert client.get(reverse("servicedesk:ticket_edit", args=[ticket.pk])).status_code == edit


def test_anonymous_users_are_sent_to_the_login(client: Client, desk: Desk) -> None:
    ticket = open_ticket(desk)
    for url in (
        reverse("servicedesk:portal"),
        reverse("servicedesk:ticket_list"),
        ticket.get_absolute_url(),
        reverse("servicedesk:ticket_new", args=[desk.item.code]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("users:login") in response["Location"], url


def test_the_manager_sees_both_seflik_queues_and_the_head_and_auditor_everything(client: Client, desk: Desk) -> None:
    support = open_ticket(desk, title="Destek kuyruğundaki iş")
    software = open_ticket(desk, title="Yazılım kuyruğundaki iş")
    services.act(software, "transfer", desk.technician, to_unit=desk.software, reason="Yazılım")
    elsewhere_item = make_item(desk.other_unit, "Zabıta telsiz arızası", code="telsiz")
    elsewhere = open_ticket(desk, item=elsewhere_item, title="Başka birimin kuyruğu")
    expected = {
        "manager": {support, software},
        "technician": {support},
        "software_technician": {software},
        "head": {support, software, elsewhere},
        "auditor": {support, software, elsewhere},
    }
    for name, visible in expected.items():
        login(client, getattr(desk, name))
        html = client.get(LIST).content.decode()
        for ticket in (support, software, elsewhere):
            assert (ticket.title in html) == (ticket in visible), (name, ticket.title)
