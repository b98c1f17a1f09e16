"""The SLA clock of a ticket, in business time of ``core.calendar``.

The clock runs from ``sla_started_at``. Waiting on the requester or the vendor (and on parts, when the policy
says so) pauses it; so does resolving (a reopen resumes it). The business time spent paused adds up in
``sla_paused_total``; the time used at any moment is

    business_time_between(sla_started_at, now) - sla_paused_total - (the current pause, if any)

and the due dates are "now + what is left" in business time, recomputed on every resume and on a priority
change. So a pause that spans a holiday, a weekend or a year end costs nothing, and a resume at 17:20 on
the arife before Kurban Bayramı carries the remainder over to the first working hour after the holiday.

These functions change the ticket in memory; the caller saves it (the ticket's transition methods do).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from biys.core.calendar import BusinessCalendar, get_calendar
from biys.servicedesk import deskconfig
from biys.servicedesk.choices import OPEN_STATUSES, Status

if TYPE_CHECKING:
    from biys.servicedesk.models import SlaPolicy, SlaTarget, Ticket

ZERO = timedelta(0)


def calendar_for(policy: SlaPolicy | None) -> BusinessCalendar:
    if policy is None:
        return get_calendar()
    return get_calendar(count_half_days=policy.count_half_days, observe_idari_izin=policy.observe_idari_izin)


def target_for(ticket: Ticket) -> SlaTarget | None:
    return deskconfig.current().target(ticket.sla_policy_id, ticket.priority)


def active_time(ticket: Ticket, at: datetime, calendar: BusinessCalendar | None = None) -> timedelta:
    """Business time the clock has run until ``at``."""
    if ticket.sla_started_at is None:
        return ZERO
    calendar = calendar or calendar_for(ticket.sla_policy)
    used = calendar.business_time_between(ticket.sla_started_at, at) - ticket.sla_paused_total
    if ticket.sla_paused_at is not None:
        used -= calendar.business_time_between(ticket.sla_paused_at, at)
    return max(used, ZERO)


def _due(calendar: BusinessCalendar, at: datetime, left: timedelta, current: datetime | None) -> datetime:
    if left > ZERO:
        return calendar.add_business_hours(at, left)
    # Already used up: an earlier due date stays (the breach happened then), else it is due now.
    return current if current is not None and current <= at else at


def recompute(ticket: Ticket, at: datetime) -> None:
    """Set the due dates from the target of the ticket's priority and the time already used."""
    target = target_for(ticket)
    if target is None:
        ticket.response_due = ticket.resolution_due = ticket.resolution_warn_at = None
        return
    calendar = calendar_for(ticket.sla_policy)
    used = active_time(ticket, at, calendar)
    if ticket.first_response_at is None:
        ticket.response_due = _due(calendar, at, target.response_time - used, ticket.response_due)
    ticket.resolution_due = _due(calendar, at, target.resolution_time - used, ticket.resolution_due)
    warn_after = target.resolution_time * ticket.sla_policy.warn_percent / 100
    ticket.resolution_warn_at = _due(calendar, at, warn_after - used, ticket.resolution_warn_at)


def start(ticket: Ticket, at: datetime) -> None:
    ticket.sla_policy = deskconfig.current().policy_of(ticket.item)
    ticket.sla_started_at = at
    ticket.sla_paused_at = None
    ticket.sla_paused_total = ZERO
    recompute(ticket, at)


def respond(ticket: Ticket, at: datetime) -> None:
    """The first answer of IT staff: meets (or misses) the response target once."""
    if ticket.first_response_at is not None:
        return
    ticket.first_response_at = at
    ticket.response_breached = ticket.response_due is not None and at > ticket.response_due


def pauses(ticket: Ticket, waiting_for: str) -> bool:
    if waiting_for in (Status.WAITING_REQUESTER, Status.WAITING_VENDOR):
        return True
    return waiting_for == Status.WAITING_PARTS and ticket.sla_policy is not None and ticket.sla_policy.pause_on_parts


def _record_breach(ticket: Ticket, at: datetime) -> None:
    if ticket.resolution_due is not None and at > ticket.resolution_due:
        ticket.resolution_breached = True
    if ticket.first_response_at is None and ticket.response_due is not None and at > ticket.response_due:
        ticket.response_breached = True


def pause(ticket: Ticket, at: datetime) -> None:
    if ticket.sla_paused_at is not None:
        return
    _record_breach(ticket, at)
    ticket.sla_paused_at = at


def resume(ticket: Ticket, at: datetime) -> None:
    if ticket.sla_paused_at is None:
        return
    calendar = calendar_for(ticket.sla_policy)
    ticket.sla_paused_total += calendar.business_time_between(ticket.sla_paused_at, at)
    ticket.sla_paused_at = None
    recompute(ticket, at)


def finish(ticket: Ticket, at: datetime) -> None:
    """Resolved or cancelled: the breach (if any) is recorded and the clock stops until a reopen."""
    pause(ticket, at)


def state(ticket: Ticket, now: datetime | None = None) -> str:
    """What a list shows beside the due date: paused, breached, warning, ok, or "" without a target."""
    if ticket.resolution_due is None:
        return ""
    if ticket.resolution_breached:
        return "breached"
    if ticket.status not in OPEN_STATUSES:
        return "ok"
    if ticket.sla_paused_at is not None:
        return "paused"
    now = now or timezone.now()
    if now > ticket.resolution_due:
        return "breached"
    if ticket.resolution_warn_at is not None and now >= ticket.resolution_warn_at:
        return "warning"
    return "ok"


def mark_breaches(now: datetime | None = None) -> list[Any]:
    """Record breaches of running clocks (a periodic task). Each is saved, so each is in the change log."""
    from biys.servicedesk.models import Ticket

    now = now or timezone.now()
    running = Ticket.objects.filter(status__in=OPEN_STATUSES, sla_paused_at__isnull=True)
    late = running.filter(resolution_due__lt=now, resolution_breached=False) | running.filter(
        first_response_at__isnull=True, response_due__lt=now, response_breached=False
    )
    marked = []
    for ticket in late.select_related("sla_policy"):
        _record_breach(ticket, now)
        ticket.save(update_fields=["resolution_breached", "response_breached"])
        marked.append(ticket)
    return marked
