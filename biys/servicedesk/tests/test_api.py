"""The service desk REST API: opening, reading, correcting and moving tickets, their follow-ups, and the
catalogue — with the same rules, scoping and messages as the pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from biys.core.models import ChangeLogEntry
from biys.core.testing import make_user
from biys.inventory.models import Location
from biys.servicedesk.choices import Channel, FollowUpKind, Priority, Status
from biys.servicedesk.models import Article, FollowUp, ServiceItem, SlaPolicy, SlaTarget, Ticket
from biys.users.models import ApiToken

from .fixtures import Desk, make_desk, make_item, open_ticket

pytestmark = pytest.mark.django_db

TICKETS = "/api/servicedesk/tickets/"


@pytest.fixture
def desk() -> Desk:
    return make_desk()


def token_client(user: Any) -> Client:
    """A client authenticated only by an API token (no session)."""
    key = ApiToken.issue(user, "tests")[1]
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: Any, **headers: Any) -> Any:
    return client.post(url, data, content_type="application/json", **headers)


def patch(client: Client, url: str, data: Any, **headers: Any) -> Any:
    return client.patch(url, data, content_type="application/json", **headers)


def new_request(**extra: Any) -> dict[str, Any]:
    return {"title": "Yazıcı çalışmıyor", "description": "3. kattaki yazıcı kağıt sıkıştırıyor.", **extra}


def action(client: Client, ticket: Ticket, name: str, **fields: Any) -> Any:
    return post(client, f"{TICKETS}{ticket.pk}/actions/", {"action": name, **fields})


# -- opening ---------------------------------------------------------------------------------------------------------


def test_anonymous_gets_401_or_403(desk: Desk) -> None:
    assert Client().get(TICKETS).status_code in (401, 403)
    assert post(Client(), TICKETS, new_request(item=desk.item.code)).status_code in (401, 403)


def test_requester_opens_a_ticket_by_item_code_with_a_token(desk: Desk) -> None:
    client = token_client(desk.requester)
    response = post(client, TICKETS, new_request(item=desk.item.code, contact_phone="1234"))
    assert response.status_code == 201, response.content
    body = response.json()
    ticket = Ticket.objects.get(pk=body["id"])
    assert ticket.channel == Channel.API
    assert ticket.requester == desk.requester_staff  # the caller's own staff record by default
    assert ticket.assigned_unit == desk.support
    assert body["reference"] == ticket.reference and body["status"] == Status.NEW
    assert body["priority"] == Priority.NORMAL
    assert body["requester_display"] == "Ayşe Yılmaz"
    assert body["requester_unit_name"] == desk.requesting.name
    assert body["assigned_unit_name"] == desk.support.name
    assert body["response_due"] and body["resolution_due"]
    assert body["sla_state"] == "ok" and body["response_breached"] is False
    assert body["contact_phone"] == "1234"
    assert set(body["allowed_actions"]) == {"attach", "cancel", "comment"}
    entry = ChangeLogEntry.objects.get(content_type__model="ticket", object_id=str(ticket.pk), action="create")
    assert entry.user_id == desk.requester.pk  # logged as the token's user


def test_an_item_can_be_named_by_its_id(desk: Desk) -> None:
    response = post(signed_in(desk.requester), TICKETS, new_request(item=desk.item.pk))
    assert response.status_code == 201, response.content
    assert response.json()["item"] == desk.item.pk


def test_opening_a_ticket_answers_without_extra_queries_for_the_answer(desk: Desk) -> None:
    client = token_client(desk.requester)
    post(client, TICKETS, new_request(item=desk.item.code))  # warm the caches (permissions, content types)
    with CaptureQueriesContext(connection) as first:
        assert post(client, TICKETS, new_request(item=desk.item.code)).status_code == 201
    make_item(desk.support, name="Ağ arızası", code="ag", policy=desk.policy)
    with CaptureQueriesContext(connection) as reloaded:  # a new item: the desk's configuration is read again
        assert post(client, TICKETS, new_request(item="ag")).status_code == 201
    with CaptureQueriesContext(connection) as second:
        assert post(client, TICKETS, new_request(item="ag")).status_code == 201
    assert len(first) == len(second) < len(reloaded)
    assert len(first) <= 12, [q["sql"][:120] for q in first.captured_queries]
    configuration = ("servicedesk_serviceitem", "servicedesk_routingrule", "servicedesk_slatarget")
    assert not [q["sql"] for q in first.captured_queries if any(table in q["sql"] for table in configuration)]


def test_missing_fields_are_400_with_their_names(desk: Desk) -> None:
    client = signed_in(desk.requester)
    response = post(client, TICKETS, {})
    assert response.status_code == 400
    assert {"item", "title", "description"} <= set(response.json())
    response = client.post(TICKETS, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_unknown_or_inactive_item_is_400(desk: Desk) -> None:
    client = signed_in(desk.requester)
    response = post(client, TICKETS, new_request(item="no-such-item"))
    assert response.status_code == 400
    assert "no-such-item" in response.json()["item"][0]
    desk.item.is_active = False
    desk.item.save()  # the manager's edit: the desk's configuration is read again at once
    response = post(client, TICKETS, new_request(item=desk.item.code))
    assert response.status_code == 400
    assert response.json()["item"] == ["This catalogue item is no longer offered."]
    assert not Ticket.objects.exists()


def test_only_it_staff_set_the_priority(desk: Desk) -> None:
    response = post(signed_in(desk.requester), TICKETS, new_request(item=desk.item.code, priority=Priority.CRITICAL))
    assert response.status_code == 400
    assert response.json() == {"priority": ["Only IT staff set the priority."]}
    response = post(
        signed_in(desk.technician),
        TICKETS,
        new_request(item=desk.item.code, priority=Priority.CRITICAL, requester=desk.requester_staff.pk),
    )
    assert response.status_code == 201, response.content
    assert response.json()["priority"] == Priority.CRITICAL


def test_it_staff_open_on_behalf_of_a_staff_member_but_requesters_only_for_themselves(desk: Desk) -> None:
    response = post(
        signed_in(desk.technician), TICKETS, new_request(item=desk.item.code, requester=desk.requester_staff.pk)
    )
    assert response.status_code == 201
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert (ticket.requester, ticket.requester_unit, ticket.created_by) == (
        desk.requester_staff,
        desk.requesting,
        desk.technician,
    )
    colleague_staff = desk.colleague.staff
    response = post(signed_in(desk.requester), TICKETS, new_request(item=desk.item.code, requester=colleague_staff.pk))
    assert response.status_code == 400
    assert response.json() == {"requester": ["You can open requests only for yourself."]}


def test_a_requester_names_a_place_of_their_own_unit_only(desk: Desk) -> None:
    own = Location.objects.create(unit=desk.requesting, building="Fen İşleri Binası", floor="3", room="301")
    foreign = Location.objects.create(unit=desk.other_unit, building="Zabıta Binası", floor="1", room="12")
    client = signed_in(desk.requester)
    response = post(client, TICKETS, new_request(item=desk.item.code, location=foreign.pk))
    assert response.status_code == 400
    assert response.json() == {"location": ["Choose a place of your own unit."]}
    response = post(client, TICKETS, new_request(item=desk.item.code, location=own.pk))
    assert response.status_code == 201, response.content
    assert response.json()["location_display"] == "Fen İşleri Binası / 3 / 301"
    agent = post(signed_in(desk.technician), TICKETS, new_request(item=desk.item.code, location=foreign.pk))
    assert agent.status_code == 201  # IT staff take calls for any place


def test_a_user_without_a_staff_record_must_name_the_requester(desk: Desk) -> None:
    lone = make_user("yalniz", unit=desk.requesting, roles=("birim_kullanicisi",))
    response = post(signed_in(lone), TICKETS, new_request(item=desk.item.code))
    assert response.status_code == 400
    assert list(response.json()) == ["requester"]


def test_form_answers_are_checked_and_named_per_field(desk: Desk) -> None:
    item = make_item(
        desk.support,
        name="Telefon hattı",
        code="telefon",
        policy=desk.policy,
        fields=[
            {"name": "extension", "label": "Dahili no", "type": "number", "required": True},
            {"name": "needed_on", "label": "Gereken tarih", "type": "date"},
            {"name": "kind", "label": "Tür", "type": "choice", "choices": ["yeni", "iptal"]},
        ],
    )
    client = signed_in(desk.requester)
    bad = {"needed_on": "31.02.2026", "kind": "taşıma"}
    response = post(client, TICKETS, new_request(item=item.code, form_data=bad))
    assert response.status_code == 400
    assert response.json() == {
        "form_extension": ["Dahili no is required."],
        "form_needed_on": ["Gereken tarih must be a date (dd.mm.yyyy)."],
        "form_kind": ["Tür: choose one of the listed values."],
    }
    assert not Ticket.objects.exists()  # nothing half-written
    response = post(client, TICKETS, new_request(item=item.code, form_data="not an object"))
    assert response.status_code == 400 and "form_data" in response.json()
    impossible = {"extension": "1", "needed_on": "2026-02-31"}  # well-formed ISO, but no such day
    response = post(client, TICKETS, new_request(item=item.code, form_data=impossible))
    assert response.status_code == 400
    assert response.json() == {"form_needed_on": ["Gereken tarih must be a date (dd.mm.yyyy)."]}
    good = {"extension": "4 711", "needed_on": "02.03.2026", "kind": "yeni"}
    response = post(client, TICKETS, new_request(item=item.code, form_data={**good, "extension": "4711,5"}))
    assert response.status_code == 201, response.content
    assert response.json()["form_data"] == {"extension": "4711.5", "needed_on": "2026-03-02", "kind": "yeni"}


# -- reading ---------------------------------------------------------------------------------------------------------


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_list_filters(desk: Desk) -> None:
    printer = open_ticket(desk)
    network = open_ticket(desk, title="İnternet yok", description="Bağlantı kesik.")
    urgent = open_ticket(desk, title="Sunucu kapandı", by=desk.technician, priority=Priority.CRITICAL)
    network.cancel(desk.requester, "Düzeldi")
    Ticket.objects.filter(pk=urgent.pk).update(resolution_breached=True)
    client = signed_in(desk.technician)
    assert set(ids(client.get(TICKETS))) == {printer.pk, network.pk, urgent.pk}
    assert set(ids(client.get(TICKETS, {"status": "open"}))) == {printer.pk, urgent.pk}
    assert ids(client.get(TICKETS, {"status": "cancelled"})) == [network.pk]
    assert ids(client.get(TICKETS, {"status": "done"})) == [network.pk]
    assert ids(client.get(TICKETS, {"status": "waiting"})) == []
    assert ids(client.get(TICKETS, {"priority": Priority.CRITICAL})) == [urgent.pk]
    assert ids(client.get(TICKETS, {"q": "YAZICI ÇALIŞMIYOR"})) == [printer.pk]  # folded Turkish search
    assert ids(client.get(TICKETS, {"q": "internet"})) == [network.pk]
    assert ids(client.get(TICKETS, {"breached": "true"})) == [urgent.pk]
    assert set(ids(client.get(TICKETS, {"assigned_unit": desk.it.pk}))) == {printer.pk, network.pk, urgent.pk}
    assert ids(client.get(TICKETS, {"assigned_unit": desk.software.pk})) == []
    assert ids(client.get(TICKETS, {"item": desk.item.pk, "status": "open", "assignee": "none"})) == [
        urgent.pk,
        printer.pk,
    ]
    action(client, printer, "start")
    assert ids(client.get(TICKETS, {"assignee": "me"})) == [printer.pk]
    assert ids(client.get(TICKETS, {"assignee": desk.technician.pk})) == [printer.pk]
    ordered = ids(client.get(TICKETS, {"status": "open", "ordering": "resolution_due"}))
    assert ordered == [urgent.pk, printer.pk]  # 4 business hours before 16
    response = client.get(TICKETS, {"status": "nonsense"})
    assert response.status_code == 400 and "status" in response.json()


def test_sla_breach_filter_sees_running_late_clocks(desk: Desk) -> None:
    late = open_ticket(desk)
    Ticket.objects.filter(pk=late.pk).update(resolution_due=late.created_at - timedelta(hours=1))
    on_time = open_ticket(desk)
    client = signed_in(desk.technician)
    assert ids(client.get(TICKETS, {"breached": "true"})) == [late.pk]
    assert ids(client.get(TICKETS, {"breached": "false"})) == [on_time.pk]
    row = client.get(f"{TICKETS}{late.pk}/").json()
    assert row["sla_state"] == "breached"


def test_the_list_costs_the_same_queries_for_3_or_12_tickets(desk: Desk) -> None:
    client = signed_in(desk.requester)
    for _ in range(3):
        open_ticket(desk)
    done = open_ticket(desk)
    done.resolve(desk.technician, "Düzeldi", desk.cause)  # resolved tickets ask whether it was rated
    client.get(TICKETS)
    with CaptureQueriesContext(connection) as few:
        assert len(ids(client.get(TICKETS))) == 4
    for _ in range(8):
        open_ticket(desk)
    with CaptureQueriesContext(connection) as many:
        assert len(ids(client.get(TICKETS))) == 12
    assert len(many) == len(few), [q["sql"][:150] for q in many.captured_queries]


def test_retrieve_gives_an_etag(desk: Desk) -> None:
    ticket = open_ticket(desk)
    response = signed_in(desk.technician).get(f"{TICKETS}{ticket.pk}/")
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    offered = "assets assign attach cancel comment form note parts priority resolve start transfer vendor worklog"
    assert response.json()["allowed_actions"] == offered.split()


# -- correcting ------------------------------------------------------------------------------------------------------


def test_it_staff_correct_the_wording_with_if_match_and_a_stale_copy_gets_412(desk: Desk) -> None:
    ticket = open_ticket(desk)
    client = token_client(desk.technician)
    url = f"{TICKETS}{ticket.pk}/"
    etag = client.get(url)["ETag"]
    Ticket.objects.get(pk=ticket.pk).save()  # someone else saves in between
    stale = patch(client, url, {"title": "Yazıcı kağıt almıyor"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Ticket.objects.get(pk=ticket.pk).title == "Yazıcı çalışmıyor"
    fresh = client.get(url)["ETag"]
    ok = patch(client, url, {"title": "Yazıcı kağıt almıyor", "impact": "group"}, HTTP_IF_MATCH=fresh)
    assert ok.status_code == 200, ok.content
    assert ok["ETag"] != fresh
    ticket.refresh_from_db()
    assert (ticket.title, ticket.impact) == ("Yazıcı kağıt almıyor", "group")
    entry = ChangeLogEntry.objects.filter(object_id=str(ticket.pk), action="update").latest("id")
    assert entry.user_id == desk.technician.pk


def test_patch_cannot_touch_state_people_or_sla(desk: Desk) -> None:
    ticket = open_ticket(desk)
    client = signed_in(desk.technician)
    response = patch(
        client,
        f"{TICKETS}{ticket.pk}/",
        {"status": "closed", "assignee": desk.technician.pk, "resolution_due": None, "priority": 1, "title": ""},
    )
    assert response.status_code == 400
    assert list(response.json()) == ["title"]
    response = patch(client, f"{TICKETS}{ticket.pk}/", {"status": "closed", "priority": 1})
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee_id) == (Status.NEW, Priority.NORMAL, None)


def test_a_requester_cannot_patch_and_nobody_deletes_or_puts(desk: Desk) -> None:
    ticket = open_ticket(desk)
    url = f"{TICKETS}{ticket.pk}/"
    assert patch(signed_in(desk.requester), url, {"title": "Başka"}).status_code == 403
    head = signed_in(desk.head)
    assert head.delete(url).status_code == 405
    assert head.put(url, new_request(item=desk.item.pk), content_type="application/json").status_code == 405
    assert Ticket.objects.filter(pk=ticket.pk).exists()


# -- actions ---------------------------------------------------------------------------------------------------------


def test_a_ticket_moves_through_the_actions(desk: Desk) -> None:
    ticket = open_ticket(desk)
    manager, technician, requester = signed_in(desk.manager), signed_in(desk.technician), signed_in(desk.requester)
    response = action(manager, ticket, "assign", assignee=desk.technician.pk)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["assignee"]) == (Status.ASSIGNED, desk.technician.pk)
    assert response.json()["assignee_name"] == "Mehmet Kaya"
    body = action(technician, ticket, "start").json()
    assert body["status"] == Status.IN_PROGRESS and body["first_response_at"]
    body = action(technician, ticket, "wait", waiting_for=Status.WAITING_REQUESTER, note="Model?").json()
    assert (body["status"], body["is_paused"], body["sla_state"]) == (Status.WAITING_REQUESTER, True, "paused")
    assert action(technician, ticket, "resume").json()["status"] == Status.IN_PROGRESS
    body = action(technician, ticket, "priority", priority=Priority.HIGH).json()
    assert body["priority"] == Priority.HIGH
    body = action(technician, ticket, "resolve", resolution="Silindir değişti.", root_cause=desk.cause.pk).json()
    assert body["status"] == Status.RESOLVED and body["resolution"] == "Silindir değişti."
    assert {"close", "reopen", "rate"} <= set(requester.get(f"{TICKETS}{ticket.pk}/").json()["allowed_actions"])
    assert action(requester, ticket, "reopen", reason="Yine sıkışıyor").json()["status"] == Status.IN_PROGRESS
    action(technician, ticket, "resolve", resolution="Rulo değişti.", root_cause=desk.cause.pk)
    body = action(requester, ticket, "close").json()
    assert body["status"] == Status.CLOSED and body["reopen_count"] == 1


def test_action_errors_are_400_with_the_message(desk: Desk) -> None:
    ticket = open_ticket(desk)
    client = signed_in(desk.technician)
    response = action(client, ticket, "resolve", resolution="  ")
    assert response.status_code == 400
    assert response.json() == {"resolution": ["Write what was done."], "root_cause": ["Choose the root cause."]}
    response = action(client, ticket, "transfer", to_unit=desk.support.pk, reason="Yanlış birim")
    assert response.json() == {"to_unit": ["The ticket is already in this unit's queue."]}
    response = action(client, ticket, "transfer", reason="Yanlış birim")
    assert response.json() == {"to_unit": ["Choose the unit."]}
    assert action(client, ticket, "assign").json() == {"assignee": ["Choose the assignee (null to unassign)."]}
    response = action(client, ticket, "assign", assignee=desk.requester.pk)
    assert response.status_code == 400 and "does not work tickets" in response.json()["assignee"][0]
    assert "action" in action(client, ticket, "explode").json()
    assert "root_cause" in action(client, ticket, "resolve", resolution="x", root_cause=999999).json()
    ticket.cancel(desk.requester, "Vazgeçtim")
    response = action(client, ticket, "reopen", reason="Tekrar")
    assert response.status_code == 403  # nothing may be done on a cancelled ticket
    assert "cannot do this" in response.json()["detail"]


def test_an_action_not_offered_in_the_current_state_is_403(desk: Desk) -> None:
    ticket = open_ticket(desk)
    client = signed_in(desk.technician)
    action(client, ticket, "start")
    action(client, ticket, "wait", waiting_for=Status.WAITING_PARTS)
    response = action(client, ticket, "wait", waiting_for=Status.WAITING_VENDOR)
    assert response.status_code == 403  # "wait" is not offered while waiting
    assert action(client, ticket, "start").status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == Status.WAITING_PARTS


def test_a_waiting_ticket_can_be_reassigned(desk: Desk) -> None:
    ticket = open_ticket(desk)
    action(signed_in(desk.technician), ticket, "start")
    action(signed_in(desk.technician), ticket, "wait", waiting_for=Status.WAITING_VENDOR)
    assert "assign" in signed_in(desk.manager).get(f"{TICKETS}{ticket.pk}/").json()["allowed_actions"]
    response = action(signed_in(desk.manager), ticket, "assign", assignee=desk.software_technician.pk)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.WAITING_VENDOR


def test_a_requester_starting_work_gets_403_with_a_reason(desk: Desk) -> None:
    ticket = open_ticket(desk)
    response = action(signed_in(desk.requester), ticket, "start")
    assert response.status_code == 403
    assert response.json()["detail"] == f"You cannot do this on ticket {ticket.reference} now."
    assert Ticket.objects.get(pk=ticket.pk).status == Status.NEW


def test_transfer_answers_with_the_new_state_even_when_the_caller_no_longer_sees_it(desk: Desk) -> None:
    ticket = open_ticket(desk)
    client = signed_in(desk.technician)
    response = action(client, ticket, "transfer", to_unit=desk.software.pk, reason="Yazılım sorunu")
    assert response.status_code == 200
    assert response.json()["assigned_unit"] == desk.software.pk and response.json()["status"] == Status.NEW
    assert client.get(f"{TICKETS}{ticket.pk}/").status_code == 404


# -- follow-ups ------------------------------------------------------------------------------------------------------


def test_follow_ups_hide_internal_notes_from_the_requester(desk: Desk) -> None:
    ticket = open_ticket(desk)
    url = f"{TICKETS}{ticket.pk}/followups/"
    technician, requester = signed_in(desk.technician), token_client(desk.requester)
    response = post(technician, url, {"kind": "note", "body": "Kullanıcı toner takmayı bilmiyor."})
    assert response.status_code == 201, response.content
    assert response.json()["is_internal"] is True
    response = post(technician, url, {"kind": "work", "body": "Yerinde bakıldı.", "minutes": 30, "on_site": True})
    assert (response.json()["minutes"], response.json()["on_site"]) == (30, True)
    assert post(requester, url, {"body": "Ne zaman gelirsiniz?"}).status_code == 201
    seen_by_requester = [row["body"] for row in requester.get(url).json()["results"]]
    assert "Kullanıcı toner takmayı bilmiyor." not in seen_by_requester
    assert "Ne zaman gelirsiniz?" in seen_by_requester and "Yerinde bakıldı." in seen_by_requester
    seen_by_technician = [row["body"] for row in technician.get(url).json()["results"]]
    assert "Kullanıcı toner takmayı bilmiyor." in seen_by_technician
    assert requester.get(url).json()["count"] == technician.get(url).json()["count"] - 1


def test_a_requester_cannot_write_an_internal_note_and_an_empty_body_is_400(desk: Desk) -> None:
    ticket = open_ticket(desk)
    url = f"{TICKETS}{ticket.pk}/followups/"
    requester = signed_in(desk.requester)
    assert post(requester, url, {"kind": "note", "body": "gizli"}).status_code == 403
    assert post(requester, url, {"kind": "event", "body": "sahte olay"}).status_code == 400
    response = post(requester, url, {"body": "   "})
    assert response.status_code == 400 and list(response.json()) == ["body"]
    assert not FollowUp.objects.filter(ticket=ticket).exclude(kind=FollowUpKind.EVENT).exists()


def test_the_first_public_staff_comment_meets_the_response_target(desk: Desk) -> None:
    ticket = open_ticket(desk)
    post(signed_in(desk.technician), f"{TICKETS}{ticket.pk}/followups/", {"body": "Bakıyoruz."})
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None and not ticket.response_breached


def test_a_requesters_answer_resumes_a_ticket_waiting_on_them(desk: Desk) -> None:
    ticket = open_ticket(desk)
    action(signed_in(desk.technician), ticket, "start")
    action(signed_in(desk.technician), ticket, "wait", waiting_for=Status.WAITING_REQUESTER)
    post(signed_in(desk.requester), f"{TICKETS}{ticket.pk}/followups/", {"body": "HP LaserJet 400"})
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS and not ticket.is_paused


# -- catalogue and knowledge -----------------------------------------------------------------------------------------


def test_every_signed_in_user_reads_the_catalogue_but_only_managers_write_it(desk: Desk) -> None:
    nobody = make_user("yetkisiz", unit=desk.other_unit)
    client = signed_in(nobody)
    rows = client.get("/api/servicedesk/catalogue-items/").json()["results"]
    assert [row["code"] for row in rows] == [desk.item.code]
    assert client.get("/api/servicedesk/categories/").status_code == 200
    assert client.get("/api/servicedesk/root-causes/").json()["count"] == 1
    new_item = {
        "category": desk.item.category_id,
        "code": "kamera",
        "name": "Kamera arızası",
        "responsible_unit": desk.support.pk,
        "sla_policy": desk.policy.pk,
        "fields": [],
    }
    assert post(client, "/api/servicedesk/catalogue-items/", new_item).status_code == 403
    assert post(signed_in(desk.requester), "/api/servicedesk/catalogue-items/", new_item).status_code == 403
    response = post(signed_in(desk.manager), "/api/servicedesk/catalogue-items/", new_item)
    assert response.status_code == 201, response.content
    assert ServiceItem.objects.get(code="kamera").created_by == desk.manager


def test_a_catalogue_item_with_an_incomplete_sla_policy_is_400(desk: Desk) -> None:
    gap = SlaPolicy.objects.create(name="Eksik")
    SlaTarget.objects.create(
        policy=gap, priority=Priority.NORMAL, response_time=timedelta(hours=4), resolution_time=timedelta(hours=16)
    )
    response = patch(
        signed_in(desk.manager), f"/api/servicedesk/catalogue-items/{desk.item.pk}/", {"sla_policy": gap.pk}
    )
    assert response.status_code == 400
    assert response.json() == {"sla_policy": ["SLA policy Eksik has no target for: Critical, High, Low."]}
    response = patch(
        signed_in(desk.manager), f"/api/servicedesk/catalogue-items/{desk.item.pk}/", {"fields": [{"name": "x"}]}
    )
    assert response.json() == {"fields": ["Form field 1 needs a name and a label."]}


def test_articles_follow_their_scope(desk: Desk) -> None:
    published = Article.objects.create(title="Yazıcı kağıt sıkışması", body="Arka kapağı açın.", status="published")
    Article.objects.create(title="Taslak", body="…")
    Article.objects.create(title="Sunucu şifreleri", body="…", status="published", is_internal=True)
    url = "/api/servicedesk/articles/"
    assert ids(signed_in(desk.requester).get(url)) == [published.pk]
    assert signed_in(desk.requester).get(url).json()["count"] == 1
    assert len(ids(signed_in(desk.technician).get(url))) == 3
    assert ids(signed_in(desk.requester).get(url, {"q": "SIKIŞMA"})) == [published.pk]


def test_the_openapi_schema_describes_the_service_desk(desk: Desk) -> None:
    response = signed_in(desk.requester).get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/servicedesk/tickets/",
        "/api/servicedesk/tickets/{id}/",
        "/api/servicedesk/tickets/{id}/actions/",
        "/api/servicedesk/tickets/{id}/followups/",
        "/api/servicedesk/catalogue-items/",
        "/api/servicedesk/articles/",
    ):
        assert path in paths
    assert "delete" not in paths["/api/servicedesk/tickets/{id}/"]
