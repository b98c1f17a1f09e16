"""Outgoing e-mail of the service desk, through Django's mail settings.

``services`` calls ``ticket_opened``, ``followup_added`` and ``ticket_changed`` after commit; they queue a
task (``tasks.send_notification``) so that a slow SMTP server never slows a request, and the task calls
``deliver``. The SLA task calls ``sla_warning`` / ``sla_breached``, which send at once.

Who gets what:
- opened: the requester (acknowledgement) and the IT staff of the responsible unit;
- a public comment or work log: the other side (staff wrote → requester; requester wrote → the assignee,
  or the unit's staff while unassigned). Internal notes are never mailed;
- assign → the assignee; transfer → the new unit's staff; waiting for the requester, resolved → the
  requester; reopened, cancelled → the requester, or the assignee (unit staff) when the requester did it;
- SLA warning and breach → the assignee and the managers of the responsible unit.

Every message carries its own Message-ID, recorded as an outgoing ``MailMessage``, so that a reply to it
threads back onto the ticket. Failures are logged, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from biys.servicedesk.choices import FollowUpKind, Status
from biys.servicedesk.models import FollowUp, MailMessage, Ticket, Transfer

logger = logging.getLogger("biys.servicedesk.mail")

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
MAILED_KINDS = (FollowUpKind.COMMENT, FollowUpKind.WORK)


# -- the hooks services call (after commit) ----------------------------------------------------------------------


def ticket_opened(ticket: Any) -> None:
    _enqueue("opened", ticket.pk)


def followup_added(followup: Any) -> None:
    if followup.is_internal or followup.kind == FollowUpKind.NOTE:
        return  # never mailed, not even queued
    _enqueue("followup", followup.ticket_id, followup_id=followup.pk)


def ticket_changed(ticket: Any, action: str, by: Any) -> None:
    _enqueue("changed", ticket.pk, action=action, status=ticket.status, by_id=getattr(by, "pk", None))


def sla_warning(ticket: Any) -> int:
    return deliver("sla_warning", ticket.pk)


def sla_breached(ticket: Any) -> int:
    return deliver("sla_breached", ticket.pk)


def _enqueue(event: str, ticket_id: int, **data: Any) -> None:
    if not settings.BIYS_MAIL_NOTIFY:
        return
    try:
        from biys.servicedesk.tasks import send_notification

        send_notification.enqueue(event, ticket_id, **data)
    except Exception:
        logger.exception("notification %s of ticket %s could not be queued", event, ticket_id)


# -- delivery ---------------------------------------------------------------------------------------------------


@dataclass
class Letter:
    """One message to write: to whom, with which template and what else it shows."""

    to: list[str]
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    followup: FollowUp | None = None


def deliver(event: str, ticket_id: int, **data: Any) -> int:
    """Send the mails of one event now; returns how many messages went out. Never raises."""
    if not settings.BIYS_MAIL_NOTIFY:
        return 0
    try:
        ticket = Ticket.objects.select_related(
            "requester__user", "assignee", "assigned_unit__manager", "item", "requester_unit"
        ).get(pk=ticket_id)
        with translation.override(settings.LANGUAGE_CODE):
            letters = EVENTS[event](ticket, **data)
    except Exception:
        logger.exception("notification %s of ticket %s could not be prepared", event, ticket_id)
        return 0
    return sum(_send(ticket, letter) for letter in letters)


def _send(ticket: Ticket, letter: Letter) -> int:
    recipients = _clean(letter.to)
    if not recipients:
        return 0
    sender = settings.BIYS_MAIL_FROM or settings.DEFAULT_FROM_EMAIL
    try:
        with translation.override(settings.LANGUAGE_CODE):
            subject = " ".join(f"[BİYS #{ticket.reference}] {ticket.title}".split())
            body = render_to_string(
                f"servicedesk/mail/{letter.template}.txt", {"ticket": ticket, "link": link(ticket), **letter.context}
            )
        message_id = make_msgid(domain=_domain(sender))
        headers = {"Message-ID": message_id, "Auto-Submitted": "auto-generated", "X-BIYS-Ticket": ticket.reference}
        headers.update(_thread_headers(ticket))
        EmailMessage(subject, body, sender, recipients, headers=headers).send()
        MailMessage.objects.create(
            message_id=message_id,
            ticket=ticket,
            followup=letter.followup,
            direction=MailMessage.Direction.OUT,
            sender=sender[:255],
            subject=subject[:255],
        )
    except Exception:
        logger.exception("mail %s of ticket %s to %s failed", letter.template, ticket.reference, recipients)
        return 0
    return 1


def _clean(addresses: Iterable[str]) -> list[str]:
    own = {(settings.BIYS_MAIL_FROM or "").lower(), (settings.DEFAULT_FROM_EMAIL or "").lower()}
    own |= {parseaddr(address)[1].lower() for address in list(own)}
    seen: dict[str, str] = {}
    for address in addresses:
        address = (address or "").strip()
        if "@" in address and address.lower() not in own:
            seen.setdefault(address.lower(), address)
    return sorted(seen.values())


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rsplit("@", 1)[1] if "@" in address else "biys.invalid"


def _thread_headers(ticket: Ticket) -> dict[str, str]:
    """Replies of mail clients thread under the ticket's first mail and answer its latest one."""
    ids = list(ticket.mails.order_by("created_at", "id").values_list("message_id", flat=True))
    if not ids:
        return {}
    references = ids[0] if ids[0] == ids[-1] else f"{ids[0]} {ids[-1]}"
    return {"In-Reply-To": ids[-1], "References": references}


def link(ticket: Ticket) -> str:
    """The ticket's page (the portal's start page if the URL is not there)."""
    return settings.SITE_URL.rstrip("/") + (ticket.get_absolute_url() or "/destek/")


# -- who ----------------------------------------------------------------------------------------------------------


def requester_address(ticket: Ticket) -> str:
    if ticket.requester_email:
        return ticket.requester_email
    requester = ticket.requester
    if requester is None:
        return ""
    return requester.email or (requester.user.email if requester.user is not None else "")


def unit_staff(unit: Any, exclude: Any = None) -> list[str]:
    """The active IT staff of the unit's queue (``servicedesk.work_ticket``) who have an address."""
    users = (
        get_user_model()
        .objects.with_perm("servicedesk.work_ticket", include_superusers=False, backend=MODEL_BACKEND)
        .filter(unit=unit)
        .exclude(email="")
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users.values_list("email", flat=True))


def managers(unit: Any) -> list[str]:
    """The unit's own manager, and the branch managers (``approve_vendorcase``) of the unit or above it;
    those who see every unit (the head) are not warned about each ticket."""
    users = get_user_model().objects
    unit_ids = [int(part) for part in unit.path.split(".") if part] or [unit.pk]
    chiefs = users.with_perm("servicedesk.approve_vendorcase", include_superusers=False, backend=MODEL_BACKEND).filter(
        unit_id__in=unit_ids
    )
    everyone = users.with_perm("users.view_all_units", include_superusers=False, backend=MODEL_BACKEND)
    found = list(chiefs.exclude(pk__in=everyone.values("pk")).exclude(email="").values_list("email", flat=True))
    manager = unit.manager
    if manager is not None and manager.email and manager.status == manager.Status.ACTIVE:
        found.append(manager.email)
    return found


def _assignee(ticket: Ticket) -> list[str]:
    assignee = ticket.assignee
    return [assignee.email] if assignee is not None and assignee.is_active and assignee.email else []


def _workers(ticket: Ticket, exclude: Any = None) -> list[str]:
    """Whoever works the ticket: its assignee, else its unit's queue."""
    assigned = ticket.assignee_id is not None and (exclude is None or ticket.assignee_id != exclude.pk)
    return (_assignee(ticket) if assigned else []) or unit_staff(ticket.assigned_unit, exclude)


def on_requester_side(ticket: Ticket, user: Any) -> bool:
    """Whether ``user`` speaks for the requester (None: a mail from the requester's address)."""
    if user is None:
        return True
    if ticket.requester is not None and ticket.requester.user_id == user.pk:
        return True
    return not (user.is_superuser or user.has_perm("servicedesk.work_ticket"))


def _name(user: Any, ticket: Ticket) -> str:
    if user is None:
        return ticket.requester_name or requester_address(ticket)
    return str(user.get_full_name() or user.get_username())


def _last_event(ticket: Ticket) -> str:
    event = ticket.followups.filter(kind=FollowUpKind.EVENT).order_by("-created_at", "-id").first()
    return event.body if event is not None else ""


# -- what ---------------------------------------------------------------------------------------------------------


def _opened(ticket: Ticket, **data: Any) -> list[Letter]:
    return [
        Letter([requester_address(ticket)], "opened_requester"),
        Letter(unit_staff(ticket.assigned_unit, exclude=ticket.created_by), "opened_staff"),
    ]


def _followup(ticket: Ticket, followup_id: int, **data: Any) -> list[Letter]:
    followup = FollowUp.objects.select_related("created_by").filter(pk=followup_id, ticket=ticket).first()
    if followup is None or followup.is_internal or followup.kind not in MAILED_KINDS:
        return []
    author = followup.created_by
    to = _workers(ticket, exclude=author) if on_requester_side(ticket, author) else [requester_address(ticket)]
    if author is not None and author.email:
        to = [address for address in to if address.lower() != author.email.lower()]
    context = {"followup": followup, "author": _name(author, ticket)}
    return [Letter(to, "followup", context, followup=followup)]


def _changed(ticket: Ticket, action: str, status: str = "", by_id: int | None = None, **data: Any) -> list[Letter]:
    by = get_user_model().objects.filter(pk=by_id).first() if by_id is not None else None
    context: dict[str, Any] = {"event": _last_event(ticket), "by_name": _name(by, ticket) if by is not None else ""}
    if action == "assign":
        if ticket.assignee_id is None or ticket.assignee_id == by_id:
            return []
        return [Letter(_assignee(ticket), "assigned", context)]
    if action == "transfer":
        transfer = Transfer.objects.filter(ticket=ticket).order_by("-created_at", "-id").first()
        context["reason"] = transfer.reason if transfer is not None else ""
        return [Letter(unit_staff(ticket.assigned_unit, exclude=by), "transferred", context)]
    if action == "wait" and (status or ticket.status) == Status.WAITING_REQUESTER:
        return [Letter([requester_address(ticket)], "waiting", context)]
    if action == "resolve":
        context["autoclose_days"] = settings.BIYS_TICKET_AUTOCLOSE_DAYS
        return [Letter([requester_address(ticket)], "resolved", context)]
    if action in ("reopen", "cancel"):
        template = "reopened" if action == "reopen" else "cancelled"
        if on_requester_side(ticket, by):
            return [Letter(_workers(ticket, exclude=by), template, context)]
        return [Letter([requester_address(ticket)], template, context)]
    return []


def _sla(template: str) -> Callable[..., list[Letter]]:
    def letters(ticket: Ticket, **data: Any) -> list[Letter]:
        return [Letter(_assignee(ticket) + managers(ticket.assigned_unit), template)]

    return letters


EVENTS: dict[str, Callable[..., list[Letter]]] = {
    "opened": _opened,
    "followup": _followup,
    "changed": _changed,
    "sla_warning": _sla("sla_warning"),
    "sla_breached": _sla("sla_breached"),
}
