"""Background jobs of the service desk (django-tasks; `biys db_worker` runs them).

Cron queues the periodic ones: `biys mail_poll` every minute or two (the IMAP intake) and
`biys servicedesk_tick` every few minutes (SLA breaches and warnings, auto-close). Notifications are
queued by ``notifications`` after each committed change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from biys.core.context import acting_as
from biys.servicedesk import notifications, services, sla
from biys.servicedesk.choices import OPEN_STATUSES
from biys.servicedesk.models import Ticket


@task()
def send_notification(event: str, ticket_id: int, **data: Any) -> int:
    """Mail one ticket event (see ``notifications``); the number of messages sent."""
    return notifications.deliver(event, ticket_id, **data)


@task()
def poll_mail() -> dict[str, int]:
    """Read the desk's mailbox once (``biys.servicedesk.mail.imap``)."""
    from biys.servicedesk.mail import imap

    with acting_as(None, request_id="mail-poll"):
        return imap.poll().as_dict()


@task()
def sla_tick() -> dict[str, int]:
    return tick()


def tick(now: datetime | None = None) -> dict[str, int]:
    """Record breaches and mail them, warn before breaches, close resolved tickets nobody answered."""
    now = now or timezone.now()
    with acting_as(None, request_id="servicedesk-tick"):
        breached = send_breaches(now)
        warned = send_warnings(now)
        closed = len(services.auto_close(now))
    return {"breached": breached, "warned": warned, "closed": closed}


def send_breaches(now: datetime) -> int:
    tickets = sla.mark_breaches(now)
    for ticket in tickets:
        notifications.sla_breached(ticket)
    return len(tickets)


# A warning is due once the warning point has passed, and again only if the clock was given more time since
# (a pause, a reopen or a priority change moved the warning point past the last warning).
WARNING_DUE = Q(warned_at__isnull=True) | Q(warned_at__lt=F("resolution_warn_at"))


def send_warnings(now: datetime) -> int:
    """Warn the assignee and the unit's managers of running tickets past ``resolution_warn_at``."""
    due = Ticket.objects.filter(
        WARNING_DUE,
        status__in=OPEN_STATUSES,
        sla_paused_at__isnull=True,
        resolution_breached=False,
        resolution_warn_at__lte=now,
    ).order_by("resolution_warn_at", "pk")
    warned = 0
    for ticket in due:
        # Claim the warning first: two ticks running at once send it once.
        if Ticket.objects.filter(WARNING_DUE, pk=ticket.pk).update(warned_at=now):
            notifications.sla_warning(ticket)
            warned += 1
    return warned
