"""Who gets which mail, and what never leaves the building. Django's locmem outbox is the SMTP sink."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse

from biys.servicedesk import notifications, services
from biys.servicedesk.choices import FollowUpKind, Status
from biys.servicedesk.models import MailMessage, Ticket

from .fixtures import make_desk, open_ticket
from .mail_helpers import ADDRESSES, with_addresses

pytestmark = pytest.mark.django_db

AYSE = ADDRESSES["requester"]
MEHMET = ADDRESSES["technician"]
ZEYNEP = ADDRESSES["software_technician"]
SEF = ADDRESSES["manager"]
DESK = "destek@belediye.test"


@pytest.fixture
def desk(settings: Any) -> Any:
    settings.SITE_URL = "https://biys.belediye.test/"
    settings.BIYS_MAIL_FROM = DESK
    return with_addresses(make_desk())


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run a service call and what it does after commit (queueing the notification), as in production."""

    def run(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def ticket(desk: Any, after_commit: Callable[..., Any]) -> Ticket:
    opened = after_commit(open_ticket, desk)
    mail.outbox.clear()
    return opened


def sent() -> list[tuple[list[str], str]]:
    """(recipients, first line of the body) of each message sent."""
    return [(sorted(m.to), m.body.splitlines()[0]) for m in mail.outbox]


def recipients() -> list[list[str]]:
    return [sorted(m.to) for m in mail.outbox]


# -- opening -------------------------------------------------------------------------------------------------------


def test_opening_acknowledges_the_requester_and_tells_the_units_staff(
    desk: Any, after_commit: Callable[..., Any]
) -> None:
    ticket = after_commit(open_ticket, desk)

    ack, queue = sorted(mail.outbox, key=lambda m: m.to)
    assert ack.to == [AYSE]
    assert ack.subject == f"[BİYS #{ticket.reference}] Yazıcı çalışmıyor"
    assert ack.from_email == DESK
    assert f"registered as ticket #{ticket.reference}" in ack.body
    page = "https://biys.belediye.test" + reverse("servicedesk:ticket", kwargs={"pk": ticket.pk})
    assert f"Open the ticket: {page}" in ack.body
    # Teknik Destek's technician, not Yazılım's, not the manager, not the head or the auditor
    assert queue.to == [MEHMET]
    assert "3. kattaki yazıcı kağıt sıkıştırıyor." in queue.body


def test_each_message_has_its_own_recorded_message_id(desk: Any, after_commit: Callable[..., Any]) -> None:
    ticket = after_commit(open_ticket, desk)

    sent_ids = sorted(m.extra_headers["Message-ID"] for m in mail.outbox)
    recorded = MailMessage.objects.filter(ticket=ticket, direction=MailMessage.Direction.OUT)
    assert sorted(recorded.values_list("message_id", flat=True)) == sent_ids
    assert all(m.message()["Message-ID"] == m.extra_headers["Message-ID"] for m in mail.outbox)
    assert all(m.message()["Auto-Submitted"] == "auto-generated" for m in mail.outbox)
    assert all(message_id.endswith("@belediye.test>") for message_id in sent_ids)


def test_later_mails_thread_under_the_first(ticket: Ticket, desk: Any, after_commit: Callable[..., Any]) -> None:
    first = MailMessage.objects.filter(ticket=ticket).order_by("created_at", "id").first()
    after_commit(services.add_followup, ticket, desk.technician, "Geliyorum.")
    [message] = mail.outbox
    assert message.message()["References"].startswith(first.message_id)
    assert message.message()["In-Reply-To"]


def test_a_requester_without_an_address_gets_no_ack_and_nothing_breaks(
    desk: Any, after_commit: Callable[..., Any]
) -> None:
    desk.requester_staff.email = ""
    desk.requester_staff.save()
    desk.requester.email = ""
    desk.requester.save()
    after_commit(open_ticket, desk)
    assert recipients() == [[MEHMET]]


# -- follow-ups --------------------------------------------------------------------------------------------------


def test_a_staff_comment_goes_to_the_requester(ticket: Ticket, desk: Any, after_commit: Callable[..., Any]) -> None:
    after_commit(services.add_followup, ticket, desk.technician, "Yarın geliyorum.")

    [message] = mail.outbox
    assert message.to == [AYSE]
    assert "Mehmet Kaya wrote on the ticket:" in message.body
    assert "Yarın geliyorum." in message.body
    followup = ticket.followups.get(kind=FollowUpKind.COMMENT)
    assert MailMessage.objects.get(message_id=message.extra_headers["Message-ID"]).followup == followup


def test_a_requester_comment_goes_to_the_units_staff_while_unassigned(
    ticket: Ticket, desk: Any, after_commit: Callable[..., Any]
) -> None:
    after_commit(services.add_followup, ticket, desk.requester, "Acil lütfen.")
    assert recipients() == [[MEHMET]]


def test_a_requester_comment_goes_to_the_assignee_once_assigned(
    ticket: Ticket, desk: Any, after_commit: Callable[..., Any]
) -> None:
    desk.software_technician.unit = desk.support  # a second technician in the queue
    desk.software_technician.save()
    after_commit(services.act, ticket, "assign", desk.manager, assignee=desk.software_technician)
    mail.outbox.clear()

    after_commit(services.add_followup, ticket, desk.requester, "Acil lütfen.")

    assert recipients() == [[ZEYNEP]]


def test_internal_notes_are_never_mailed(ticket: Ticket, desk: Any, after_commit: Callable[..., Any]) -> None:
    after_commit(services.add_followup, ticket, desk.technician, "Kullanıcı yine kağıdı ters takmış.", kind="note")
    assert mail.outbox == []
    # even if something asks for it directly
    note = ticket.followups.get(kind=FollowUpKind.NOTE)
    assert notifications.deliver("followup", ticket.pk, followup_id=note.pk) == 0
    assert mail.outbox == []


def test_work_logs_are_public_and_reach_the_requester(
    ticket: Ticket, desk: Any, after_commit: Callable[..., Any]
) -> None:
    after_commit(services.add_followup, ticket, desk.technician, "Silindir temizlendi.", kind="work", minutes=30)
    [message] = mail.outbox
    assert message.to == [AYSE]
    assert "Time spent: 30 minutes." in message.body


# -- state changes -------------------------------------------------------------------------------------------------


def test_assigning_tells_the_assignee_only(ticket: Ticket, desk: Any, after_commit: Callable[..., Any]) -> None:
    after_commit(services.act, ticket, "assign", desk.manager, assignee=desk.technician)
    assert sent() == [([MEHMET], "This ticket has been assigned to you.")]


def test_taking_a_ticket_yourself_sends_nothing(ticket: Ticket, desk: Any, after_commit: Callable[..., Any]) -> None:
    after_commit(services.act, ticket, "assign", desk.technician, assignee=desk.technician)
    after_commit(services.act, ticket, "start", desk.technician)
    assert mail.outbox == []


def test_transfer_tells_the_new_units_staff(ticket: Ticket, desk: Any, after_commit: Callable[..., Any]) -> None:
    after_commit(services.act, ticket, "transfer", desk.technician, to_unit=desk.software, reason="Yazılım hatası")
    [message] = mail.outbox
    assert message.to == [ZEYNEP]
    assert "Reason: Yazılım hatası" in message.body


def test_waiting_for_the_requester_asks_them(ticket: Ticket, desk: Any, after_commit: Callable[..., Any]) -> None:
    ticket = after_commit(services.act, ticket, "start", desk.technician)
    after_commit(services.act, ticket, "wait", desk.technician, waiting_for=Status.WAITING_REQUESTER, note="Model?")
    [message] = mail.outbox
    assert message.to == [AYSE]
    assert "Model?" in message.body


def test_waiting_for_the_vendor_does_not_bother_the_requester(
    ticket: Ticket, desk: Any, after_commit: Callable[..., Any]
) -> None:
    ticket = after_commit(services.act, ticket, "start", desk.technician)
    after_commit(services.act, ticket, "wait", desk.technician, waiting_for=Status.WAITING_VENDOR, note="Servis")
    assert mail.outbox == []


def test_resolving_asks_the_requester_to_confirm_and_rate(
    ticket: Ticket, desk: Any, after_commit: Callable[..., Any], settings: Any
) -> None:
    settings.BIYS_TICKET_AUTOCLOSE_DAYS = 5
    after_commit(
        services.act, ticket, "resolve", desk.technician, resolution="Silindir değişti.", root_cause=desk.cause
    )

    [message] = mail.outbox
    assert message.to == [AYSE]
    assert "Your request has been resolved." in message.body
    assert "Silindir değişti." in message.body
    assert "Please confirm the solution and rate our work on the ticket's page: https://biys.belediye.test/" in (
        message.body
    )
    assert "after 5 working days" in message.body


def test_reopening_by_the_requester_tells_the_assignee(
    ticket: Ticket, desk: Any, after_commit: Callable[..., Any]
) -> None:
    ticket = after_commit(services.act, ticket, "assign", desk.manager, assignee=desk.technician)
    ticket = after_commit(services.act, ticket, "resolve", desk.technician, resolution="Tamam", root_cause=desk.cause)
    mail.outbox.clear()

    after_commit(services.act, ticket, "reopen", desk.requester, reason="Yine sıkıştı")

    [message] = mail.outbox
    assert message.to == [MEHMET]
    assert "Reopened: Yine sıkıştı" in message.body


def test_cancelling_by_staff_tells_the_requester(ticket: Ticket, desk: Any, after_commit: Callable[..., Any]) -> None:
    after_commit(services.act, ticket, "cancel", desk.technician, reason="Mükerrer kayıt")
    [message] = mail.outbox
    assert message.to == [AYSE]
    assert "Cancelled: Mükerrer kayıt" in message.body


def test_cancelling_by_the_requester_tells_the_queue(
    ticket: Ticket, desk: Any, after_commit: Callable[..., Any]
) -> None:
    after_commit(services.act, ticket, "cancel", desk.requester, reason="Vazgeçtim")
    assert recipients() == [[MEHMET]]


# -- SLA -----------------------------------------------------------------------------------------------------------


def test_sla_warning_goes_to_the_assignee_and_the_units_managers(
    ticket: Ticket, desk: Any, after_commit: Callable[..., Any]
) -> None:
    ticket = after_commit(services.act, ticket, "assign", desk.manager, assignee=desk.technician)
    mail.outbox.clear()

    assert notifications.sla_warning(ticket) == 1

    [message] = mail.outbox
    # the chief of Bilgi İşlem (above Teknik Destek) is warned; the head, the auditor and the requester are not
    assert sorted(message.to) == [MEHMET, SEF]
    assert "close to its resolution target" in message.body


def test_sla_breach_also_reaches_the_units_own_manager(ticket: Ticket, desk: Any) -> None:
    from biys.org.models import Staff

    chief = Staff.objects.create(first_name="Deniz", last_name="Şef", unit=desk.support, email="deniz@belediye.test")
    desk.support.manager = chief
    desk.support.save()
    ticket.resolution_breached = True
    ticket.save()

    notifications.sla_breached(ticket)

    [message] = mail.outbox
    assert sorted(message.to) == ["deniz@belediye.test", SEF]
    assert "Resolution target missed" in message.body


# -- failures and switches ---------------------------------------------------------------------------------------


def test_a_failing_mail_server_never_breaks_the_request(
    desk: Any, after_commit: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(self: EmailMessage, fail_silently: bool = False) -> int:
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", refuse)

    ticket = after_commit(open_ticket, desk)

    assert Ticket.objects.filter(pk=ticket.pk).exists()
    assert "SMTP down" in caplog.text
    assert not MailMessage.objects.filter(direction=MailMessage.Direction.OUT).exists()


def test_notifications_can_be_switched_off(desk: Any, after_commit: Callable[..., Any], settings: Any) -> None:
    settings.BIYS_MAIL_NOTIFY = False
    after_commit(open_ticket, desk)
    assert mail.outbox == []


def test_an_unknown_ticket_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    assert notifications.deliver("opened", 987654) == 0
    assert "could not be prepared" in caplog.text


def test_our_own_address_is_never_a_recipient(desk: Any, after_commit: Callable[..., Any]) -> None:
    desk.requester_staff.email = DESK.upper()  # a misconfigured staff record
    desk.requester_staff.save()
    after_commit(open_ticket, desk)
    assert recipients() == [[MEHMET]]
