"""Who sees and does what through the service desk API, as a table: every persona of ``make_desk`` against
the same three tickets.

The tickets:
- ``printer``: the requester's (Fen İşleri), routed to Teknik Destek, with an internal note and a public comment;
- ``zabita``: the outsider's (Zabıta), also in Teknik Destek's queue;
- ``software``: the requester's colleague's (Fen İşleri), routed to the Yazılım şeflik.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from biys.core.testing import make_user
from biys.servicedesk import services
from biys.servicedesk.choices import FollowUpKind, Status
from biys.servicedesk.models import Ticket

from .fixtures import Desk, make_desk, make_item, make_staff, open_ticket

pytestmark = pytest.mark.django_db

TICKETS = "/api/servicedesk/tickets/"
NOTE = "Toner sahte, tedarikçiye bildirilecek."
COMMENT = "Yarın sabah geliyoruz."


@dataclass(frozen=True)
class Row:
    persona: str
    listed: frozenset[str]  # which tickets the list shows (and counts)
    retrieve: int  # GET printer
    start: int  # POST printer/actions/ {"action": "start"}
    patch: int  # PATCH printer {"title": ...}
    sees_note: bool | None  # the internal note in printer/followups/ (None: the timeline is 404)


ALL = frozenset({"printer", "zabita", "software"})
MATRIX = [
    Row("requester", frozenset({"printer"}), 200, 403, 403, False),
    Row("colleague", frozenset({"software"}), 404, 404, 403, None),
    Row("unit_viewer", frozenset({"printer", "software"}), 200, 403, 403, False),
    Row("technician", frozenset({"printer", "zabita"}), 200, 200, 200, True),
    Row("software_technician", frozenset({"software"}), 404, 404, 404, None),
    Row("manager", ALL, 200, 200, 200, True),
    Row("head", ALL, 200, 200, 200, True),
    Row("auditor", ALL, 200, 403, 403, True),
    Row("outsider", frozenset({"zabita"}), 404, 404, 403, None),
]


@dataclass
class World:
    desk: Desk
    users: dict[str, Any]
    tickets: dict[str, Ticket]


def build() -> World:
    desk = make_desk()
    # A colleague of the requester allowed to follow their unit's requests.
    unit_viewer = make_user(
        "birimci", unit=desk.requesting, roles=("birim_kullanicisi",), perms=("servicedesk.view_unit_tickets",)
    )
    make_staff(unit_viewer, desk.requesting, "Elif", "Şahin")
    software_item = make_item(desk.software, name="EBYS sorunu", code="ebys", policy=desk.policy)
    printer = open_ticket(desk)
    zabita = open_ticket(desk, title="Zabıta yazıcısı", requester=desk.outsider.staff, by=desk.outsider)
    software = open_ticket(
        desk,
        item=software_item,
        title="EBYS açılmıyor",
        description="Oturum açarken hata veriyor.",
        requester=desk.colleague.staff,
        by=desk.colleague,
    )
    services.add_followup(printer, desk.technician, NOTE, kind=FollowUpKind.NOTE)
    services.add_followup(printer, desk.technician, COMMENT)
    users = {
        "requester": desk.requester,
        "colleague": desk.colleague,
        "unit_viewer": unit_viewer,
        "technician": desk.technician,
        "software_technician": desk.software_technician,
        "manager": desk.manager,
        "head": desk.head,
        "auditor": desk.auditor,
        "outsider": desk.outsider,
    }
    return World(desk, users, {"printer": printer, "zabita": zabita, "software": software})


@pytest.fixture
def world() -> World:
    return build()


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.persona)
def test_permission_matrix(world: World, row: Row) -> None:
    client = client_for(world.users[row.persona])
    names = {ticket.pk: name for name, ticket in world.tickets.items()}
    printer = world.tickets["printer"]

    listing = client.get(TICKETS)
    assert listing.status_code == 200
    assert {names[r["id"]] for r in listing.json()["results"]} == row.listed
    assert listing.json()["count"] == len(row.listed)  # the count obeys the scope too

    assert client.get(f"{TICKETS}{printer.pk}/").status_code == row.retrieve

    timeline = client.get(f"{TICKETS}{printer.pk}/followups/")
    if row.sees_note is None:
        assert timeline.status_code == 404
    else:
        assert timeline.status_code == 200
        bodies = [r["body"] for r in timeline.json()["results"]]
        assert COMMENT in bodies
        assert (NOTE in bodies) is row.sees_note

    patched = client.patch(f"{TICKETS}{printer.pk}/", {"title": "Yazıcı arızalı"}, content_type="application/json")
    assert patched.status_code == row.patch

    started = client.post(f"{TICKETS}{printer.pk}/actions/", {"action": "start"}, content_type="application/json")
    assert started.status_code == row.start
    expected = Status.IN_PROGRESS if row.start == 200 else Status.NEW
    assert Ticket.objects.get(pk=printer.pk).status == expected


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.persona)
def test_a_search_never_counts_tickets_out_of_scope(world: World, row: Row) -> None:
    """Every ticket matches "yazıcı" or "ebys"; the counts still show only the persona's own rows."""
    client = client_for(world.users[row.persona])
    printers = client.get(TICKETS, {"q": "yazici"}).json()
    assert printers["count"] == len(row.listed & {"printer", "zabita"})
    software = client.get(TICKETS, {"q": "EBYS", "status": "open"}).json()
    assert software["count"] == len(row.listed & {"software"})


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.persona)
def test_writing_on_a_ticket_out_of_scope_is_404_and_writes_nothing(world: World, row: Row) -> None:
    client = client_for(world.users[row.persona])
    zabita = world.tickets["zabita"]
    before = zabita.followups.count()
    response = client.post(f"{TICKETS}{zabita.pk}/followups/", {"body": "Merhaba"}, content_type="application/json")
    if "zabita" in row.listed:
        # auditors read everything but write nothing; the rest may comment on what they see
        assert response.status_code == (403 if row.persona == "auditor" else 201)
    else:
        assert response.status_code == 404
        assert zabita.followups.count() == before


def test_the_same_holds_with_a_token(world: World) -> None:
    from biys.users.models import ApiToken

    key = ApiToken.issue(world.desk.software_technician, "betik")[1]
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    printer = world.tickets["printer"]
    assert client.get(f"{TICKETS}{printer.pk}/").status_code == 404
    assert client.get(TICKETS).json()["count"] == 1
    response = client.post(f"{TICKETS}{printer.pk}/actions/", {"action": "start"}, content_type="application/json")
    assert response.status_code == 404


def test_a_technician_does_not_work_their_own_request_in_another_units_queue(world: World) -> None:
    desk = world.desk
    own = open_ticket(
        desk, title="Monitörüm titriyor", requester=desk.software_technician.staff, by=desk.software_technician
    )
    assert own.assigned_unit == desk.support
    client = client_for(desk.software_technician)
    assert client.get(f"{TICKETS}{own.pk}/").status_code == 200  # they follow it as its requester
    started = client.post(f"{TICKETS}{own.pk}/actions/", {"action": "start"}, content_type="application/json")
    assert started.status_code == 403
