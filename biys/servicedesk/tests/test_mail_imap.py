"""E-mail intake against a real IMAP server: Debian's dovecot, started once per session on 127.0.0.1.

Each test delivers mail into the desk's mailbox with IMAP APPEND, runs the poller and checks what became
of it: tickets, follow-ups, attachments, flags on the server. Notifications go to Django's locmem outbox.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.management import CommandError, call_command

from biys.core.testing import make_unit
from biys.servicedesk import services
from biys.servicedesk.choices import Channel, FollowUpKind, Status
from biys.servicedesk.mail import imap, intake
from biys.servicedesk.mail.imap import FAILED_FLAG, MailboxError
from biys.servicedesk.models import Attachment, FollowUp, MailMessage, Ticket

from .fixtures import make_desk, open_ticket
from .mail_helpers import (
    ADDRESSES,
    PASSWORD,
    TURKISH_PASSWORD,
    TURKISH_USER,
    USER,
    Dovecot,
    DovecotError,
    Mailbox,
    fixture,
    mail,
    with_addresses,
)

pytestmark = pytest.mark.django_db

AYSE = ADDRESSES["requester"]
DESK_ADDRESS = "destek@belediye.test"


# --- fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot()
    try:
        server.start()
    except DovecotError as exc:
        server.stop()
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def desk(settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "https://biys.belediye.test"
    settings.BIYS_MAIL_FROM = DESK_ADDRESS
    desk = with_addresses(make_desk())
    desk.public = make_unit("Halkla İlişkiler Müdürlüğü", kind="mudurluk")
    settings.BIYS_MAIL_DEFAULT_ITEM = desk.item.code
    settings.BIYS_MAIL_DEFAULT_UNIT = desk.public.code
    return desk


@pytest.fixture
def mailbox(dovecot: Dovecot, settings: Any) -> Iterator[Mailbox]:
    settings.BIYS_MAIL_HOST = "127.0.0.1"
    settings.BIYS_MAIL_PORT = dovecot.port
    settings.BIYS_MAIL_SECURITY = "none"
    settings.BIYS_MAIL_USER = USER
    settings.BIYS_MAIL_PASSWORD = PASSWORD
    settings.BIYS_MAIL_FOLDER = "INBOX"
    settings.BIYS_MAIL_DONE_FOLDER = ""
    box = Mailbox(dovecot)
    yield box
    box.clear()


@pytest.fixture
def poll(django_capture_on_commit_callbacks: Any) -> Callable[..., imap.PollReport]:
    """Run the poller; what services do after commit (notifications) runs too."""

    def run(**options: Any) -> imap.PollReport:
        with django_capture_on_commit_callbacks(execute=True):
            return imap.poll(**options)

    return run


def only_ticket() -> Ticket:
    [ticket] = Ticket.objects.all()
    return ticket


def comments(ticket: Ticket) -> list[FollowUp]:
    return list(ticket.followups.filter(kind=FollowUpKind.COMMENT).order_by("id"))


# --- new mail → ticket --------------------------------------------------------------------------------------------


def test_new_mail_from_a_staff_member_opens_a_ticket_for_them(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    mailbox.deliver(mail(sender=f"Ayşe Yılmaz <{AYSE.upper()}>", message_id="<yeni-1@belediye.test>"))

    report = poll()

    assert report.as_dict() == {"created": 1, "followups": 0, "duplicates": 0, "ignored": 0, "failed": 0}
    ticket = only_ticket()
    assert ticket.channel == Channel.EMAIL
    assert ticket.requester == desk.requester_staff
    assert ticket.created_by == desk.requester  # the change log names her, not "the system"
    assert ticket.title == "Yazıcı çalışmıyor"
    assert ticket.description == "3. kattaki yazıcı kağıt sıkıştırıyor."
    assert ticket.item == desk.item and ticket.assigned_unit == desk.support
    assert MailMessage.objects.filter(message_id="<yeni-1@belediye.test>", direction="in", ticket=ticket).exists()
    assert mailbox.flags() == [{"\\Seen"}]
    # the acknowledgement and the queue's mail went out, and are recorded for threading
    assert sorted(m.to[0] for m in django_mail.outbox) == [AYSE, ADDRESSES["technician"]]
    assert MailMessage.objects.filter(ticket=ticket, direction="out").count() == 2


def test_windows_1254_body_and_rfc2047_subject_arrive_as_turkish(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    mailbox.deliver(fixture("cp1254_outlook.eml"))

    poll()

    ticket = only_ticket()
    assert ticket.title == "Ağ bağlantısı yok, İnternet çalışmıyor"
    assert ticket.description == (
        "Günaydın,\nİmar Müdürlüğü 2. kattaki ağ prizi çalışmıyor; ışıklar yanmıyor.\nŞükrü Işık"
    )
    # not on the staff list: the default unit, the sender's own name and address
    assert ticket.requester is None
    assert ticket.requester_unit == desk.public
    assert ticket.requester_name == "Şükrü Işık"
    assert ticket.requester_email == "sukru.isik@belediye.test"
    assert ticket.created_by is None


@pytest.mark.parametrize(
    ("name", "title", "text"),
    [
        ("utf8_base64.eml", "Şifre sıfırlama: EBYS girişi olmuyor", "EBYS şifremi unuttum"),
        ("iso8859_9.eml", "Kamera kaydı görüntülenemiyor", "Çarşı girişindeki kameranın kaydı ışık"),
        ("latin1_turkish.eml", "Yazıcı çalışmıyor", "Karşıyaka şubesindeki yazıcı çalışmıyor."),
    ],
)
def test_other_turkish_encodings_arrive_correctly(
    desk: Any, mailbox: Mailbox, poll: Any, name: str, title: str, text: str
) -> None:
    mailbox.deliver(fixture(name))
    poll()
    ticket = only_ticket()
    assert ticket.title == title
    assert text in ticket.description


def test_html_only_mail_becomes_a_text_description(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    mailbox.deliver(fixture("html_only.eml"))
    poll()
    ticket = only_ticket()
    assert ticket.title == "Telefon hattı"
    assert ticket.description == (
        "Merhaba,\n\nDahili hat 4512 & 4513 çalışmıyor.\n\n- Santral: A blok\n- Kat: 3\n\nTeşekkürler"
    )
    assert "<" not in ticket.description and "alert" not in ticket.description


def test_pdf_attachment_is_kept_and_exe_refused_with_a_note(
    desk: Any, mailbox: Mailbox, poll: Any, settings: Any
) -> None:
    mailbox.deliver(fixture("attachments.eml"))

    report = poll()

    assert report.created == 1
    ticket = only_ticket()
    [attachment] = Attachment.objects.filter(ticket=ticket)
    assert attachment.name == "arıza raporu.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.file.read().startswith(b"%PDF-1.4")
    # stored under its hash, never under a name the mail chose
    assert Path(attachment.file.name).name == attachment.sha256[:16]
    stored = [path.name for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    assert stored == [attachment.sha256[:16]]
    assert "Hata raporu ektedir." in ticket.description
    assert "Attachment not kept: kurulum.exe is not an accepted file type" in ticket.description
    assert mailbox.flags() == [{"\\Seen"}]


def test_mail_without_subject_gets_a_translated_title(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    mailbox.deliver(fixture("no_subject.eml"))
    poll()
    ticket = only_ticket()
    assert ticket.title == "(no subject)"
    assert ticket.description == "Fare calismiyor."
    assert ticket.requester == desk.requester_staff


def test_mail_with_attachments_only_still_makes_a_ticket(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    mailbox.deliver(mail(body="", files=[("ekran.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40, "image/png")]))
    poll()
    ticket = only_ticket()
    assert ticket.description == "(The mail had no text.)"
    assert ticket.attachments.get().name == "ekran.png"


def test_broken_mime_is_taken_as_best_effort_text(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    mailbox.deliver(fixture("broken_mime.eml"))
    report = poll()
    assert report.created == 1 and report.failed == 0
    ticket = only_ticket()
    assert "monitör görüntü vermiyor" in ticket.description
    assert mailbox.flags() == [{"\\Seen"}]


def test_unknown_charset_falls_back_to_turkish(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    mailbox.deliver(fixture("unknown_charset.eml"))
    poll()
    ticket = only_ticket()
    assert ticket.title == "Yazıcı toneri"
    assert "Yazıcının toneri bitti, şimdi de çöp kutusu doldu." in ticket.description
    assert "İşleri hızlandırın lütfen." in ticket.description


def test_automatic_replies_never_become_tickets(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    mailbox.deliver(fixture("auto_reply.eml"))
    mailbox.deliver(mail(sender=DESK_ADDRESS, subject="[BİYS #2026-000001] loop"))
    report = poll()
    assert report.ignored == 2
    assert not Ticket.objects.exists()
    assert mailbox.flags() == [{"\\Seen"}, {"\\Seen"}]


# --- replies → follow-ups ---------------------------------------------------------------------------------------------


def portal_ticket(desk: Any, capture: Any) -> tuple[Ticket, str]:
    """A ticket opened on the portal, and the Message-ID of the acknowledgement the requester got."""
    with capture(execute=True):
        ticket = open_ticket(desk)
    ack = next(m for m in MailMessage.objects.filter(ticket=ticket, direction="out") if _sent_to(m, AYSE))
    django_mail.outbox.clear()
    return ticket, ack.message_id


def _sent_to(message: MailMessage, address: str) -> bool:
    return any(m.extra_headers["Message-ID"] == message.message_id and address in m.to for m in django_mail.outbox)


def test_reply_with_in_reply_to_threads_and_resumes_the_waiting_ticket(
    desk: Any, mailbox: Mailbox, poll: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket, ack_id = portal_ticket(desk, django_capture_on_commit_callbacks)
    ticket = services.act(ticket, "assign", desk.manager, assignee=desk.technician)
    ticket = services.act(ticket, "start", desk.technician)
    services.act(ticket, "wait", desk.technician, waiting_for=Status.WAITING_REQUESTER, note="Model?")
    mailbox.deliver(
        mail(subject="Ynt: bilgi", body="HP LaserJet 400\n\n> Model?", in_reply_to=ack_id, references=ack_id)
    )

    report = poll()

    assert report.followups == 1 and report.created == 0
    [reply] = comments(ticket)
    assert reply.body == "HP LaserJet 400\n\n> Model?"
    assert reply.created_by == desk.requester and not reply.is_internal
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS and not ticket.is_paused
    assert Ticket.objects.count() == 1
    # the assignee hears of it
    assert [m.to for m in django_mail.outbox if "wrote on the ticket" in m.body] == [[ADDRESSES["technician"]]]


def test_reply_with_only_the_ticket_number_in_the_subject_threads(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    ticket = open_ticket(desk)
    mailbox.deliver(mail(subject=f"YNT: [BİYS #{ticket.reference}] {ticket.title}", body="Hâlâ çalışmıyor."))

    poll()

    assert Ticket.objects.count() == 1
    assert [f.body for f in comments(ticket)] == ["Hâlâ çalışmıyor."]


def test_reply_all_delivered_twice_makes_one_followup(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    ticket = open_ticket(desk)
    reply = mail(
        subject=f"RE: [BİYS #{ticket.reference}]", body="Teşekkürler", message_id="<reply-all-1@belediye.test>"
    )
    mailbox.deliver(reply)
    mailbox.deliver(reply)  # once through To, once through Cc

    report = poll()

    assert (report.followups, report.duplicates) == (1, 1)
    assert len(comments(ticket)) == 1
    assert mailbox.flags() == [{"\\Seen"}, {"\\Seen"}]


def test_a_technician_answering_by_mail_writes_a_comment_to_the_requester(
    desk: Any, mailbox: Mailbox, poll: Any
) -> None:
    ticket = open_ticket(desk)
    mailbox.deliver(
        mail(
            subject=f"[BİYS #{ticket.reference}] {ticket.title}",
            sender=f"Mehmet Kaya <{ADDRESSES['technician']}>",
            body="Yarın 10:00'da geliyorum.",
        )
    )

    poll()

    [answer] = comments(ticket)
    assert answer.created_by == desk.technician
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None  # the first answer of IT staff meets the response target
    assert [m.to for m in django_mail.outbox if "wrote on the ticket" in m.body] == [[AYSE]]


def test_a_reply_from_someone_else_opens_a_new_ticket(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    ticket = open_ticket(desk)
    mailbox.deliver(
        mail(
            subject=f"RE: [BİYS #{ticket.reference}] {ticket.title}",
            sender=ADDRESSES["outsider"],  # another unit's requester: may not write on Ayşe's ticket
            body="Bizde de aynı sorun var.",
        )
    )

    poll()

    assert comments(ticket) == []
    new = Ticket.objects.exclude(pk=ticket.pk).get()
    assert new.title == ticket.title  # "RE:" and the tag are gone
    assert new.requester.user == desk.outsider


def test_an_outside_requester_answers_from_the_address_of_the_ticket(
    desk: Any, mailbox: Mailbox, poll: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mailbox.deliver(fixture("cp1254_outlook.eml"))
    poll()
    ticket = only_ticket()
    ticket = services.act(ticket, "start", desk.technician)
    services.act(ticket, "wait", desk.technician, waiting_for=Status.WAITING_REQUESTER, note="Oda no?")
    mailbox.deliver(
        mail(
            subject="Ynt: oda",
            sender="Şükrü Işık <Sukru.Isik@belediye.test>",
            body="Oda 214.",
            in_reply_to="<cp1254-outlook-1@belediye.test>",
        )
    )

    poll()

    [answer] = comments(ticket)
    assert answer.body == "Oda 214." and answer.created_by is None and not answer.is_internal
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_a_reply_to_a_cancelled_ticket_opens_a_new_one(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    ticket = open_ticket(desk)
    services.act(ticket, "cancel", desk.requester, reason="Vazgeçtim")
    mailbox.deliver(mail(subject=f"RE: [BİYS #{ticket.reference}] {ticket.title}", body="Yine bozuldu."))

    poll()

    assert comments(ticket) == []
    assert Ticket.objects.count() == 2


def test_a_reply_with_a_refused_attachment_is_still_taken(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    ticket = open_ticket(desk)
    mailbox.deliver(
        mail(
            subject=f"[BİYS #{ticket.reference}]",
            body="Log ektedir.",
            files=[("hata.log", b"ERROR 42\n", "text/plain"), ("virus.exe", b"MZ\x90\x00", "application/x-msdownload")],
        )
    )

    poll()

    [answer] = comments(ticket)
    assert answer.body.startswith("Log ektedir.")
    assert "virus.exe is not an accepted file type" in answer.body
    assert [a.name for a in answer.files.all()] == ["hata.log"]


# --- never twice, never stuck -----------------------------------------------------------------------------------


def test_running_the_poller_again_creates_nothing_new(desk: Any, mailbox: Mailbox, poll: Any) -> None:
    mailbox.deliver(mail(message_id="<tekrar-1@belediye.test>"))
    mailbox.deliver(fixture("no_message_id.eml"))
    assert poll().created == 2

    assert poll().as_dict() == {"created": 0, "followups": 0, "duplicates": 0, "ignored": 0, "failed": 0}

    # the poller died after the commit but before marking the mails: the next run only marks them
    mailbox.conn.select("INBOX")
    mailbox.conn.store("1:*", "-FLAGS", "(\\Seen)")
    assert poll().duplicates == 2
    assert Ticket.objects.count() == 2
    assert mailbox.flags() == [{"\\Seen"}, {"\\Seen"}]


def test_a_failing_mail_is_flagged_and_the_others_go_on(
    desk: Any, mailbox: Mailbox, poll: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real_take = intake.take

    def take(parsed: Any, config: Any) -> Any:
        if parsed.subject == "PATLA":
            raise RuntimeError("disk full")
        return real_take(parsed, config)

    monkeypatch.setattr(intake, "take", take)
    mailbox.deliver(mail(subject="PATLA", message_id="<patla@belediye.test>"))
    mailbox.deliver(mail(subject="Sağlam", message_id="<saglam@belediye.test>"))

    report = poll()

    assert (report.failed, report.created) == (1, 1)
    assert Ticket.objects.get().title == "Sağlam"
    assert mailbox.flags() == [{FAILED_FLAG}, {"\\Seen"}]
    assert "<patla@belediye.test>" in caplog.text and "disk full" in caplog.text
    # never retried by itself
    assert poll().as_dict()["failed"] == 0


def test_processed_mail_moves_to_a_turkish_named_folder(desk: Any, mailbox: Mailbox, poll: Any, settings: Any) -> None:
    settings.BIYS_MAIL_DONE_FOLDER = "İşlenenler"
    mailbox.deliver(mail())

    poll()

    assert Ticket.objects.count() == 1
    assert mailbox.count("INBOX") == 0
    assert mailbox.flags(imap.mailbox_name("İşlenenler")) == [{"\\Seen"}]


def test_without_the_move_extension_mail_is_copied_and_expunged(
    desk: Any, mailbox: Mailbox, poll: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.BIYS_MAIL_DONE_FOLDER = "Done"
    monkeypatch.setattr(imap, "_capabilities", lambda conn: {b"IMAP4REV1", b"UIDPLUS"})
    mailbox.deliver(mail(subject="Birinci"))
    mailbox.deliver(mail(subject="İkinci"))

    assert poll().created == 2

    assert mailbox.count("INBOX") == 0
    assert mailbox.flags("Done") == [{"\\Seen"}, {"\\Seen"}]


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_connections_with_the_municipal_ca(
    desk: Any, mailbox: Mailbox, poll: Any, settings: Any, dovecot: Dovecot, security: str
) -> None:
    settings.BIYS_MAIL_SECURITY = security
    settings.BIYS_MAIL_PORT = dovecot.ssl_port if security == "ssl" else dovecot.port
    settings.BIYS_MAIL_CA_FILE = dovecot.ca_file
    mailbox.deliver(mail())
    assert poll().created == 1


def test_an_untrusted_certificate_is_refused(desk: Any, mailbox: Mailbox, settings: Any, dovecot: Dovecot) -> None:
    settings.BIYS_MAIL_SECURITY = "ssl"
    settings.BIYS_MAIL_PORT = dovecot.ssl_port
    settings.BIYS_MAIL_CA_FILE = ""
    with pytest.raises(MailboxError, match="CERTIFICATE_VERIFY_FAILED"):
        imap.poll()


def test_a_wrong_password_is_a_clear_error(desk: Any, mailbox: Mailbox, settings: Any) -> None:
    settings.BIYS_MAIL_PASSWORD = "yanlış-değil-ama-yanlis"
    mailbox.deliver(mail())
    with pytest.raises(CommandError, match=r"IMAP 127\.0\.0\.1:\d+ \(none\)"):
        call_command("mail_poll", "--now")
    assert not Ticket.objects.exists()


def test_a_password_with_turkish_letters_logs_in(desk: Any, mailbox: Mailbox, settings: Any) -> None:
    settings.BIYS_MAIL_USER = TURKISH_USER
    settings.BIYS_MAIL_PASSWORD = TURKISH_PASSWORD
    conn = imap.connect()
    try:
        assert conn.state == "AUTH"
    finally:
        conn.logout()


def test_missing_settings_are_named(desk: Any, mailbox: Mailbox, settings: Any) -> None:
    settings.BIYS_MAIL_DEFAULT_ITEM = "yok"
    with pytest.raises(CommandError, match="BIYS_MAIL_DEFAULT_ITEM='yok'"):
        call_command("mail_poll", "--now")
    desk.item.fields = [{"name": "sicil", "label": "Sicil no", "type": "text", "required": True}]
    desk.item.save()
    settings.BIYS_MAIL_DEFAULT_ITEM = desk.item.code
    with pytest.raises(CommandError, match="asks required questions"):
        call_command("mail_poll", "--now")
    desk.item.fields = []
    desk.item.save()
    settings.BIYS_MAIL_DEFAULT_UNIT = ""
    with pytest.raises(CommandError, match="BIYS_MAIL_DEFAULT_UNIT"):
        call_command("mail_poll", "--now")
    settings.BIYS_MAIL_DEFAULT_UNIT = desk.public.code
    settings.BIYS_MAIL_HOST = ""
    with pytest.raises(CommandError, match="BIYS_MAIL_HOST"):
        call_command("mail_poll", "--now")


def test_the_command_reads_the_mailbox_and_reports(desk: Any, mailbox: Mailbox, capsys: Any) -> None:
    mailbox.deliver(mail())
    call_command("mail_poll", "--now")
    assert "created 1" in capsys.readouterr().out
    assert Ticket.objects.count() == 1
