"""The periodic work of the service desk: SLA breaches and warnings, auto-close, and the queued notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import task_backends

from biys.core.calendar import ISTANBUL
from biys.servicedesk import services
from biys.servicedesk.choices import Priority, Status
from biys.servicedesk.models import Ticket
from biys.servicedesk.tasks import send_notification, tick

from .fixtures import make_desk, open_ticket
from .mail_helpers import ADDRESSES, with_addresses

pytestmark = pytest.mark.django_db

MEHMET = ADDRESSES["technician"]
SEF = ADDRESSES["manager"]


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ISTANBUL)


@pytest.fixture
def desk() -> Any:
    return with_addresses(make_desk())


@pytest.fixture
def ticket(desk: Any) -> Ticket:
    """Opened Monday 23 November 09:00 (normal priority: 16 business hours, warned at 80 %), assigned, started."""
    opened = open_ticket(desk, at=at(23, 9))
    opened.assign(desk.technician, desk.manager, at=at(23, 9, 5))
    opened.start(desk.technician, at=at(23, 9, 10))
    mail.outbox.clear()
    return Ticket.objects.get(pk=opened.pk)


def test_the_warning_point_is_where_the_arithmetic_says(ticket: Ticket) -> None:
    # 12.8 business hours from Monday 09:00: 7.5 on Monday, 4 on Tuesday morning, 1.3 after lunch
    assert ticket.resolution_warn_at == at(24, 14, 48)
    assert ticket.resolution_due == at(25, 9)


def test_a_ticket_past_its_warning_point_is_warned_once(ticket: Ticket) -> None:
    assert tick(at(24, 14, 30)) == {"breached": 0, "warned": 0, "closed": 0}
    assert mail.outbox == []

    assert tick(at(24, 15)) == {"breached": 0, "warned": 1, "closed": 0}

    [message] = mail.outbox
    assert sorted(message.to) == [MEHMET, SEF]
    assert "close to its resolution target" in message.body
    ticket.refresh_from_db()
    assert ticket.warned_at == at(24, 15)
    assert tick(at(24, 16))["warned"] == 0
    assert len(mail.outbox) == 1


def test_paused_tickets_are_neither_warned_nor_breached(ticket: Ticket, desk: Any) -> None:
    ticket.wait(Status.WAITING_REQUESTER, desk.technician, "Model?", at=at(23, 11))

    assert tick(at(27, 16)) == {"breached": 0, "warned": 0, "closed": 0}
    assert mail.outbox == []


def test_more_time_after_a_warning_earns_a_new_warning_later(ticket: Ticket, desk: Any) -> None:
    tick(at(24, 15))
    ticket.refresh_from_db()
    ticket.set_priority(Priority.LOW, desk.manager, at=at(24, 15, 10))  # 40 hours now: warned at 32
    mail.outbox.clear()

    assert tick(at(24, 16))["warned"] == 0
    ticket.refresh_from_db()
    assert tick(ticket.resolution_warn_at)["warned"] == 1
    assert len(mail.outbox) == 1


def test_a_breach_is_recorded_and_mailed_once(ticket: Ticket) -> None:
    result = tick(at(25, 10))

    assert result == {"breached": 1, "warned": 0, "closed": 0}
    ticket.refresh_from_db()
    assert ticket.resolution_breached and not ticket.response_breached
    [message] = mail.outbox
    assert sorted(message.to) == [MEHMET, SEF]
    assert "Resolution target missed (due 25.11.2026 09:00)." in message.body
    assert "Response target missed" not in message.body
    assert tick(at(25, 11)) == {"breached": 0, "warned": 0, "closed": 0}
    assert len(mail.outbox) == 1


def test_resolved_tickets_close_after_the_business_days_without_an_answer(
    ticket: Ticket, desk: Any, settings: Any
) -> None:
    settings.BIYS_TICKET_AUTOCLOSE_DAYS = 5
    ticket.resolve(desk.technician, "Silindir değişti.", desk.cause, at=at(24, 10))

    assert tick(at(30, 17))["closed"] == 0  # Tuesday + 5 business days = Tuesday 1 December
    assert tick(at(1, 9, month=12))["closed"] == 1
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_a_missed_response_target_is_a_breach_too(desk: Any) -> None:
    open_ticket(desk, at=at(23, 9))  # nobody answers; response due 14:00 (4 business hours)

    assert tick(at(23, 14, 30))["breached"] == 1

    [message] = mail.outbox
    assert "Response target missed (due 23.11.2026 14:00)." in message.body
    assert "Resolution target missed" not in message.body
    assert message.to == [SEF]  # nobody is assigned yet: the managers


def test_the_tick_command_runs_now_or_queues(ticket: Ticket, capsys: Any) -> None:
    call_command("servicedesk_tick", "--now")
    assert "Service desk tick: breached" in capsys.readouterr().out
    call_command("servicedesk_tick")
    assert "Service desk tick queued" in capsys.readouterr().out


def test_notifications_are_queued_not_sent_in_the_request(
    desk: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        opened = open_ticket(desk)
        services.add_followup(opened, desk.technician, "Not", kind="note")  # internal: not even queued
        services.add_followup(opened, desk.technician, "Geliyorum")

    queued = task_backends["default"].results
    assert [(r.task.name, r.args, r.kwargs.get("followup_id") is not None) for r in queued] == [
        ("send_notification", ["opened", opened.pk], False),
        ("send_notification", ["followup", opened.pk], True),
    ]
    assert mail.outbox == []


def test_the_notification_task_sends(ticket: Ticket) -> None:
    result = send_notification.enqueue("opened", ticket.pk)
    assert result.return_value == 2
    assert len(mail.outbox) == 2


def test_the_mail_poll_command_queues_the_poll(settings: Any, capsys: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("mail_poll")
    assert "Mail poll queued" in capsys.readouterr().out
    assert [r.task.name for r in task_backends["default"].results] == ["poll_mail"]
