"""What every ticket page and action shares: reading a ticket through its scope, deciding whether an action
is refused (403) or just not possible now (a message), the concurrency token, and error messages that name
their field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from biys.core.views import check_version, require, restrict
from biys.servicedesk import deskconfig, services
from biys.servicedesk.models import Ticket
from biys.servicedesk.tickets.forms import error_messages, field_label

T = TypeVar("T")

ACTION_LABELS: dict[str, Any] = {
    "assign": pgettext_lazy("ticket", "Assign"),
    "start": gettext_lazy("Start work"),
    "wait": gettext_lazy("Wait"),
    "resume": gettext_lazy("Resume work"),
    "resolve": gettext_lazy("Resolve"),
    "close": gettext_lazy("Close"),
    "reopen": gettext_lazy("Reopen"),
    "cancel": gettext_lazy("Cancel the request"),
    "transfer": gettext_lazy("Transfer"),
    "priority": gettext_lazy("Change priority"),
    "comment": gettext_lazy("Comment"),
    "note": gettext_lazy("Internal note"),
    "worklog": gettext_lazy("Work log"),
    "attach": gettext_lazy("Attach files"),
    "assets": gettext_lazy("Devices"),
    "vendor": gettext_lazy("Vendor case"),
    "form": gettext_lazy("Service form"),
    "parts": gettext_lazy("Parts used"),
    "rate": gettext_lazy("Rate"),
}
# Who could ever take an action; anyone else gets 403, these get "not possible now" in the wrong state.
REQUESTER_ACTIONS = frozenset({"comment", "attach", "cancel", "close", "reopen", "rate"})
WORKER_ACTIONS = frozenset(ACTION_LABELS) - {"rate"}

# The catalogue item and the SLA policy come from the desk's configuration (``with_configuration``), not a join.
TICKET_QUERYSET = Ticket.objects.select_related(
    "requester__unit",
    "requester_unit",
    "assigned_unit",
    "assignee",
    "location",
    "root_cause",
    "satisfaction",
    "created_by",
)


class NotNow(Exception):
    """The user may take this action on this ticket, just not in its current state."""


def get_ticket(request: HttpRequest, pk: Any, queryset: QuerySet[Ticket] | None = None) -> Ticket:
    """The ticket if the user may see it (404 otherwise, never 403: a hidden ticket does not exist)."""
    require(request.user, Ticket, "view")
    ticket: Ticket = get_object_or_404(
        restrict(queryset if queryset is not None else TICKET_QUERYSET, request.user), pk=pk
    )
    return with_configuration(ticket)


def with_configuration(ticket: Ticket) -> Ticket:
    """``ticket`` with its catalogue item and SLA policy from the desk's configuration (no query); one that is
    not there yet (added with SQL a moment ago) is read as usual when used."""
    config = deskconfig.current()
    item = config.items.get(ticket.item_id)
    if item is not None:
        ticket.item = item
    policy = config.policies.get(ticket.sla_policy_id) if ticket.sla_policy_id is not None else None
    if policy is not None:
        ticket.sla_policy = policy
    return ticket


def may_ever(ticket: Ticket, user: Any, action: str) -> bool:
    return (services.is_worker(ticket, user) and action in WORKER_ACTIONS) or (
        services.is_requester(ticket, user) and action in REQUESTER_ACTIONS
    )


def require_may_ever(ticket: Ticket, user: Any, action: str) -> None:
    if action in services.allowed_actions(ticket, user):
        return
    if not may_ever(ticket, user, action):
        raise PermissionDenied(_("You cannot do this on ticket %(ref)s.") % {"ref": ticket.reference})


def require_now(ticket: Ticket, user: Any, action: str) -> None:
    if action not in services.allowed_actions(ticket, user):
        raise NotNow(
            _("%(action)s is not possible on ticket %(ref)s while it is “%(status)s”.")
            % {
                "action": ACTION_LABELS.get(action, action),
                "ref": ticket.reference,
                "status": ticket.get_status_display(),
            }
        )


def perform(ticket: Ticket, user: Any, action: str, version: str, work: Callable[[], T]) -> T:
    """Run ``work`` in one transaction after the concurrency token and the action are checked: a stale
    token (someone changed the ticket since the page was shown) or a refused step writes nothing."""
    require_may_ever(ticket, user, action)
    with transaction.atomic():
        check_version(Ticket, ticket.pk, version)
        require_now(ticket, user, action)
        return work()


def flash_errors(request: HttpRequest, exc: ValidationError, form: Any = None) -> None:
    """Each message of a service's error, with the name of the field it is about in front."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            messages.error(request, message)
        return
    for field, errors in exc.message_dict.items():
        if field == NON_FIELD_ERRORS:
            label = ""
        elif form is not None and field in form.fields:
            label = str(form.fields[field].label or field)
        else:
            label = field_label(field)
        for message in errors:
            messages.error(request, f"{label}: {message}" if label else message)


def flash_form_errors(request: HttpRequest, form: Any) -> None:
    for message in error_messages(form):
        messages.error(request, message)


def back_to(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    """The ticket page, or the list when the user no longer sees the ticket (e.g. transferred away)."""
    if restrict(Ticket.objects.filter(pk=ticket.pk), request.user).exists():
        return redirect(ticket.get_absolute_url())
    messages.info(request, _("Ticket %(ref)s has left your queue.") % {"ref": ticket.reference})
    return redirect("servicedesk:ticket_list")


def optional_url(name: str, **kwargs: Any) -> str:
    """A link to a page another part of the service desk provides, or "" while it does not exist yet."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
