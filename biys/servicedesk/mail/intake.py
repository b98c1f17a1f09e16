"""A parsed mail → a new ticket or a follow-up on the ticket it answers, exactly once.

Threading: the In-Reply-To / References ids against the mails we have seen and sent (``MailMessage``),
else the ticket reference in the subject ("[BİYS #2026-000123]"). A reply is added only when its sender
may answer on that ticket (the requester, or IT staff who see it), or when an outside requester writes
from the address the ticket was opened with; anyone else's mail becomes a new ticket. Every mail taken
is recorded by its Message-ID, so a mail delivered twice (reply-all) or polled twice changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from biys.core.context import acting_as
from biys.org.models import Staff, Unit
from biys.servicedesk import notifications, services
from biys.servicedesk.choices import Channel, FollowUpKind, Status
from biys.servicedesk.mail.parse import ParsedMail, parse_mail
from biys.servicedesk.models import FollowUp, MailMessage, ServiceItem, Ticket

logger = logging.getLogger("biys.servicedesk.mail")

MAX_FILES = 20
TITLE_LENGTH = 200
# Reply and forward prefixes of the usual clients, Turkish Outlook's YNT/İLT included, and our own tag.
REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|ynt|yanıt|cvp|[iİ]lt|aw|wg)\s*:\s*)+", re.IGNORECASE)
OWN_TAG = re.compile(r"\[\s*BİYS\s*#\s*\d{4}-\d{6}\s*\]\s*", re.IGNORECASE)


class MailConfigError(ImproperlyConfigured):
    """The mail intake is not set up; names the setting to fix."""


@dataclass(frozen=True)
class IntakeConfig:
    item: ServiceItem  # BIYS_MAIL_DEFAULT_ITEM
    unit: Unit  # BIYS_MAIL_DEFAULT_UNIT
    own_addresses: frozenset[str]

    @classmethod
    def load(cls) -> IntakeConfig:
        code = settings.BIYS_MAIL_DEFAULT_ITEM
        item = ServiceItem.objects.filter(code=code).first() if code else None
        if item is None or not item.is_active:
            raise MailConfigError(
                f"BIYS_MAIL_DEFAULT_ITEM={code!r} must be the code of an active catalogue item (mail tickets use it)"
            )
        if any(spec.get("required") and spec.get("type") != "boolean" for spec in item.fields or []):
            raise MailConfigError(
                f"BIYS_MAIL_DEFAULT_ITEM={code!r} asks required questions a mail cannot answer; choose a general item"
            )
        unit_code = settings.BIYS_MAIL_DEFAULT_UNIT
        unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
        if unit is None:
            raise MailConfigError(
                f"BIYS_MAIL_DEFAULT_UNIT={unit_code!r} must be the code of a unit (for senders not on the staff list)"
            )
        own = {settings.BIYS_MAIL_FROM, settings.DEFAULT_FROM_EMAIL, settings.BIYS_MAIL_USER}
        return cls(item, unit, frozenset(address.lower() for address in own if address and "@" in address))


@dataclass
class Outcome:
    """What became of one mail: ``created`` a ticket, added a ``followup``, a ``duplicate``, or ``ignored``."""

    result: str
    ticket: Ticket | None = None
    followup: FollowUp | None = None
    notes: list[str] = field(default_factory=list)


def receive(raw: bytes, config: IntakeConfig | None = None) -> Outcome:
    return take(parse_mail(raw), config or IntakeConfig.load())


def take(mail: ParsedMail, config: IntakeConfig) -> Outcome:
    """Take one mail in one transaction; a concurrent poller taking the same mail loses cleanly."""
    request_id = "mail-" + hashlib.sha256(mail.message_id.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    staff = find_staff(mail.sender)
    by = staff.user if staff is not None and staff.user is not None and staff.user.is_active else None
    try:
        with acting_as(by, request_id=request_id), transaction.atomic():
            return _take(mail, config, staff, by)
    except IntegrityError:
        if MailMessage.objects.filter(message_id=mail.message_id).exists():
            return Outcome("duplicate")
        raise


def _take(mail: ParsedMail, config: IntakeConfig, staff: Staff | None, by: Any) -> Outcome:
    if MailMessage.objects.filter(message_id=mail.message_id).exists():
        return Outcome("duplicate")
    if mail.is_automatic or mail.sender.lower() in config.own_addresses:
        logger.info("mail %s from %r ignored: automatic or our own", mail.message_id, mail.sender)
        return Outcome("ignored")
    files, notes = _check_files(mail)
    ticket = find_ticket(mail)
    followup = _reply(ticket, mail, by, files, notes) if ticket is not None else None
    if ticket is None or followup is None:
        ticket = _open(mail, config, staff, by, files, notes)
    MailMessage.objects.create(
        message_id=mail.message_id,
        ticket=ticket,
        followup=followup,
        direction=MailMessage.Direction.IN,
        sender=mail.sender[:255],
        subject=mail.subject[:255],
        created_by=by,
        updated_by=by,
    )
    return Outcome("followup" if followup is not None else "created", ticket, followup, notes)


# -- who and which ticket ---------------------------------------------------------------------------------------


def find_staff(address: str) -> Staff | None:
    """The active staff member with this address (any case); one with a user account first."""
    if not address:
        return None
    return (
        Staff.objects.filter(email__iexact=address, status=Staff.Status.ACTIVE)
        .select_related("user", "unit")
        .order_by(F("user_id").desc(nulls_last=True), "id")
        .first()
    )


def find_ticket(mail: ParsedMail) -> Ticket | None:
    """The ticket a mail answers: by its reference headers (nearest first), else by the subject."""
    if mail.references:
        known = dict(MailMessage.objects.filter(message_id__in=mail.references).values_list("message_id", "ticket_id"))
        for reference in mail.references:
            if reference in known:
                return Ticket.objects.select_related("requester").get(pk=known[reference])
    return Ticket.from_reference(mail.subject)


def _same_address(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.strip().lower() == b.strip().lower()


# -- replies and new tickets --------------------------------------------------------------------------------------


def _reply(ticket: Ticket, mail: ParsedMail, by: Any, files: list[Any], notes: list[str]) -> FollowUp | None:
    """The mail as a comment on ``ticket``, or None when its sender may not answer there."""
    body = _text(mail.body, notes, mail.truncated)
    if (
        by is not None
        and "comment" in services.allowed_actions(ticket, by)
        and Ticket.restrict(Ticket.objects.filter(pk=ticket.pk), by).exists()
    ):
        return services.add_followup(ticket, by, body, files=files)
    if ticket.status != Status.CANCELLED and _same_address(mail.sender, ticket.requester_email):
        return _requester_reply(ticket, body, files)
    return None


def _requester_reply(ticket: Ticket, body: str, files: list[Any]) -> FollowUp:
    """An answer from a requester without a user account (or off the staff list), from the ticket's address."""
    followup = FollowUp(ticket=ticket, kind=FollowUpKind.COMMENT, body=body, is_internal=False)
    followup.full_clean()
    followup.save()
    for upload in files:
        services.add_attachment(ticket, None, upload, followup=followup, check=False)
    if ticket.status == Status.WAITING_REQUESTER:
        Ticket.objects.select_for_update().get(pk=ticket.pk).resume(None)
    transaction.on_commit(lambda: notifications.followup_added(followup))
    return followup


def _open(
    mail: ParsedMail, config: IntakeConfig, staff: Staff | None, by: Any, files: list[Any], notes: list[str]
) -> Ticket:
    common: dict[str, Any] = {
        "item": config.item,
        "title": clean_subject(mail.subject) or _("(no subject)"),
        "description": _text(mail.body, notes, mail.truncated),
        "by": by,
        "channel": Channel.EMAIL,
        "files": files,
    }
    if staff is not None:
        return services.open_ticket(requester=staff, requester_email=staff.email or _valid(mail.sender), **common)
    return services.open_ticket(
        requester_unit=config.unit,
        requester_email=_valid(mail.sender),
        requester_name=(mail.sender_name or mail.sender)[:150],
        **common,
    )


def clean_subject(subject: str) -> str:
    """A ticket title from a subject: no "Re:"/"YNT:" prefixes, no ticket tag, at most 200 characters."""
    title = subject
    for _round in range(5):
        stripped = OWN_TAG.sub("", REPLY_PREFIX.sub("", title)).strip()
        if stripped == title:
            break
        title = stripped
    return title[:TITLE_LENGTH].strip()


def _valid(address: str) -> str:
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address[:254]


def _text(body: str, notes: list[str], truncated: bool) -> str:
    parts = [body.strip() or _("(The mail had no text.)")]
    if truncated:
        parts.append(_("(The mail was longer; only its beginning is kept.)"))
    parts.extend(notes)
    return "\n\n".join(parts)


def _check_files(mail: ParsedMail) -> tuple[list[Any], list[str]]:
    """The attachments the desk keeps (``services.validate_upload`` decides), and a note for each refused."""
    accepted: list[Any] = []
    notes: list[str] = []
    for index, attached in enumerate(mail.files):
        upload = SimpleUploadedFile(attached.name, attached.content, attached.content_type)
        if index >= MAX_FILES:
            notes.append(_("Attachment “%(name)s” was not kept: too many files in one mail.") % {"name": upload.name})
            continue
        try:
            services.validate_upload(upload)
        except ValidationError as exc:
            reason = " ".join(exc.messages)
            notes.append(_("Attachment not kept: %(reason)s") % {"reason": reason})
            continue
        accepted.append(upload)
    return accepted, notes
