"""Who may do what on a ticket: the requester, IT staff of the responsible unit, the head."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from biys.core.models import sees_all_units, user_unit_path
from biys.servicedesk.choices import (
    OPEN_STATUSES,
    WAITING_STATUSES,
    Status,
)
from biys.servicedesk.models import (
    Satisfaction,
    Ticket,
)


def is_requester(ticket: Ticket, user: Any) -> bool:
    """The person the ticket is for: the requester's account, or whoever opened it when it names no staff
    member. An agent who recorded a phone call for someone else is not the requester."""
    if not user.is_authenticated:
        return False
    if ticket.requester_id is not None:
        return bool(ticket.requester.user_id == user.pk)
    return bool(ticket.created_by_id == user.pk)


def is_worker(ticket: Ticket, user: Any) -> bool:
    """IT staff who may work this ticket: its assignee, staff of the responsible unit's subtree, or staff who
    work every unit's tickets (Yönetici). A technician's own request in another unit's queue is not theirs."""
    if not (user.is_authenticated and user.has_perm("servicedesk.work_ticket")):
        return False
    if sees_all_units(user) or ticket.assignee_id == user.pk:
        return True
    path = user_unit_path(user)
    return path is not None and ticket.assigned_unit.path.startswith(path)


def allowed_actions(ticket: Ticket, user: Any) -> set[str]:
    """The actions ``user`` may take on ``ticket`` now (the UI shows these buttons; services enforce them).

    The caller has already checked that the user sees the ticket (``Ticket.restrict``).
    """
    actions: set[str] = set()
    status = ticket.status
    worker = is_worker(ticket, user)
    requester = is_requester(ticket, user)
    if status in OPEN_STATUSES:
        if requester or worker:
            actions |= {"comment", "attach"}
        if requester and status in (Status.NEW, Status.ASSIGNED, Status.WAITING_REQUESTER):
            actions.add("cancel")
    if status in (Status.RESOLVED, Status.CLOSED) and (requester or worker):
        actions.add("comment")
    if worker:
        if status in OPEN_STATUSES:
            actions |= {"assign", "note", "worklog", "transfer", "priority", "resolve", "cancel", "vendor", "form"}
            actions |= {"parts", "assets"}
            if status in (Status.NEW, Status.ASSIGNED):
                actions.add("start")
            if status in (Status.ASSIGNED, Status.IN_PROGRESS):
                actions.add("wait")
            if status in WAITING_STATUSES:
                actions.add("resume")
        if status in (Status.RESOLVED, Status.CLOSED):
            actions |= {"reopen", "note", "form"}
        if status == Status.RESOLVED:
            actions.add("close")
    if requester and status == Status.RESOLVED:
        actions |= {"close", "reopen"}
    if requester and status in (Status.RESOLVED, Status.CLOSED) and not hasattr_satisfaction(ticket):
        actions.add("rate")
    return actions


def hasattr_satisfaction(ticket: Ticket) -> bool:
    try:
        return ticket.satisfaction is not None
    except Satisfaction.DoesNotExist:
        return False


def require_action(ticket: Ticket, user: Any, action: str) -> None:
    if action not in allowed_actions(ticket, user):
        raise PermissionDenied(_("You cannot do this on ticket %(ref)s now.") % {"ref": ticket.reference})
