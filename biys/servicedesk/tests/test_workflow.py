"""A ticket's life through the transition methods and services."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from biys.core.calendar import ISTANBUL
from biys.servicedesk import services
from biys.servicedesk.choices import Status
from biys.servicedesk.models import FollowUp, Ticket

from .fixtures import make_desk, open_ticket

pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ISTANBUL)


def test_a_request_is_numbered_routed_and_on_the_clock() -> None:
    desk = make_desk()
    ticket = open_ticket(desk, at=at(23, 9))  # Monday 09:00
    assert ticket.reference.startswith(f"{ticket.year}-")
    assert ticket.assigned_unit == desk.support
    assert ticket.status == Status.NEW
    assert ticket.response_due == at(23, 14)  # 4 business hours: 3.5 before lunch (12:30-13:30), 0.5 after
    assert ticket.resolution_due == at(25, 9)  # 16 business hours = two full days


def test_full_path_from_start_to_close() -> None:
    desk = make_desk()
    ticket = open_ticket(desk, at=at(23, 9))
    services.act(ticket, "assign", desk.manager, assignee=desk.technician)
    ticket = services.act(ticket, "start", desk.technician)
    assert ticket.status == Status.IN_PROGRESS and ticket.first_response_at is not None
    ticket = services.act(ticket, "wait", desk.technician, waiting_for=Status.WAITING_REQUESTER, note="Model?")
    assert ticket.is_paused
    services.add_followup(ticket, desk.requester, "HP LaserJet 400")  # the answer resumes the clock
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS and not ticket.is_paused
    ticket = services.act(ticket, "resolve", desk.technician, resolution="Silindir değişti.", root_cause=desk.cause)
    services.rate(ticket, desk.requester, 5, "Teşekkürler")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert FollowUp.objects.filter(ticket=ticket, kind="event").count() >= 5


def test_a_closed_ticket_cannot_be_resolved_again() -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    ticket.cancel(desk.requester, "Vazgeçtim")
    with pytest.raises(ValidationError, match="cannot go from"):
        Ticket.objects.get(pk=ticket.pk).resolve(desk.technician, "x", desk.cause)


def test_a_requester_cannot_work_a_ticket() -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    with pytest.raises(PermissionDenied):
        services.act(ticket, "start", desk.requester)


def test_the_number_counter_is_not_logged_but_the_numbered_ticket_is() -> None:
    from biys.core.changelog import is_logged
    from biys.core.models import ChangeLogEntry
    from biys.servicedesk.models import TicketSequence

    desk = make_desk()
    before = ChangeLogEntry.objects.count()
    ticket = open_ticket(desk)
    assert not is_logged(TicketSequence) and is_logged(Ticket)
    created = ChangeLogEntry.objects.filter(id__gt=before, action="create")
    assert [e.object_repr for e in created if e.content_type.model == "ticket"] == [str(ticket)]
    assert not [e for e in created if e.content_type.model == "ticketsequence"]


def test_ticket_numbers_count_per_year_and_a_rolled_back_intake_gives_its_number_back() -> None:
    from django.db import transaction

    from biys.servicedesk.models import TicketSequence

    assert [TicketSequence.take(2031), TicketSequence.take(2031), TicketSequence.take(2032)] == [1, 2, 1]
    with pytest.raises(RuntimeError), transaction.atomic():
        assert TicketSequence.take(2031) == 3
        raise RuntimeError("the intake failed")
    assert TicketSequence.take(2031) == 3
    assert dict(TicketSequence.objects.values_list("year", "last")) == {2031: 3, 2032: 1}
