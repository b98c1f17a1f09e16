"""The home page's numbers. Every count goes through the same scoping as the lists (no leaks)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core.views import restrict
from biys.org import services
from biys.org.models import Departure, Directive, Leave, Staff, Unit


def dashboard_context(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    cards = [
        {
            "key": "units",
            "label": _("Units"),
            "value": restrict(Unit.objects.all(), user).count(),
            "url": reverse("org:unit_tree"),
        },
    ]
    if user.has_perm("org.view_staff"):
        staff = restrict(Staff.objects.filter(status=Staff.Status.ACTIVE), user)
        cards.append(
            {"key": "staff", "label": _("Active staff"), "value": staff.count(), "url": reverse("org:staff_list")}
        )
    if user.has_perm("org.view_leave"):
        on_leave = restrict(Leave.objects.filter(start_date__lte=today, end_date__gte=today), user).count()
        cards.append(
            {
                "key": "leave",
                "label": _("On leave today"),
                "value": on_leave,
                "url": reverse("org:leave_list") + f"?on={today}",
            }
        )
    if user.has_perm("org.view_duty"):
        unassigned = services.unassigned_duties(today).count()
        cards.append(
            {
                "key": "unassigned",
                "label": _("Unassigned duties"),
                "value": unassigned,
                "url": reverse("org:duty_list") + "?unassigned=true",
                "warn": unassigned > 0,
            }
        )
    if user.has_perm("org.view_departure"):
        open_departures = restrict(Departure.objects.exclude(status__in=["completed", "cancelled"]), user).count()
        cards.append(
            {
                "key": "handovers",
                "label": _("Open handovers"),
                "value": open_departures,
                "url": reverse("org:departure_list"),
            }
        )
    directives = list(restrict(Directive.objects.select_related("unit"), user))
    overdue = 0
    if user.has_perm("org.view_acknowledgement"):
        scoped_staff = restrict(Staff.objects.all(), user)
        for directive in directives:
            overdue += sum(1 for p in services.pending_acknowledgements(directive, scoped_staff) if p.overdue)
        cards.append(
            {
                "key": "overdue",
                "label": _("Overdue acknowledgements"),
                "value": overdue,
                "url": reverse("org:directive_list"),
                "warn": overdue > 0,
            }
        )
    return {
        "cards": cards,
        "pending_mine": _pending_for(user, directives),
        "reviews_due": [(d, services.review_due(d)) for d in directives]
        if user.has_perm("org.change_directive")
        else [],
        "today": today,
    }


def _pending_for(user: Any, directives: list[Directive]) -> list[services.PendingAcknowledgement]:
    staff = Staff.objects.filter(user=user).first()
    if staff is None:
        return []
    mine = Staff.objects.filter(pk=staff.pk)
    return [p for d in directives for p in services.pending_acknowledgements(d, mine)]
