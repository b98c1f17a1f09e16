"""Filters of the ticket list: the technician queue, the manager overview and a requester's own list."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.forms import FastSelect
from biys.org.filtersets import UnitTreeFilter
from biys.servicedesk.choices import OPEN_STATUSES, Priority, Status
from biys.servicedesk.models import ServiceItem, Ticket
from biys.servicedesk.search import search_tickets

OPEN = "open"
STATUS_CHOICES = [(OPEN, _("Open (any)")), *Status.choices]
SLA_CHOICES = [
    ("breached", _("Breached")),
    ("warning", _("About to breach")),
    ("at_risk", _("Breached or about to")),
]


def item_choices() -> list[tuple[int, str]]:
    return list(ServiceItem.objects.order_by("category__sort_order", "sort_order", "name").values_list("pk", "name"))


def _running() -> Q:
    return Q(status__in=OPEN_STATUSES, sla_paused_at__isnull=True)


def sla_filter(value: str, now: datetime) -> Q:
    """Tickets past their resolution target (recorded, or running late now) or in the warning window."""
    breached = Q(resolution_breached=True) | (_running() & Q(resolution_due__lt=now))
    warning = _running() & Q(resolution_breached=False, resolution_warn_at__lte=now, resolution_due__gte=now)
    return {"breached": breached, "warning": warning, "at_risk": breached | warning}.get(value, Q())


class TicketFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        method="by_status", choices=STATUS_CHOICES, label=_("Status"), empty_label=_("All"), widget=FastSelect
    )
    priority = django_filters.ChoiceFilter(
        choices=Priority.choices, label=_("Priority"), empty_label=_("All"), widget=FastSelect
    )
    item = django_filters.ChoiceFilter(
        field_name="item_id", choices=item_choices, label=_("Catalogue item"), empty_label=_("All"), widget=FastSelect
    )
    assigned_unit = UnitTreeFilter(field_path="assigned_unit", label=_("Responsible unit"), literal_ids=True)
    requester_unit = UnitTreeFilter(field_path="requester_unit", label=_("Requester unit"))
    assignee = django_filters.ChoiceFilter(
        method="by_assignee",
        choices=[("me", _("Me")), ("none", _("Unassigned"))],
        label=_("Assignee"),
        empty_label=_("Anyone"),
        widget=FastSelect,
    )
    sla = django_filters.ChoiceFilter(
        method="by_sla", choices=SLA_CHOICES, label=_("SLA"), empty_label=_("All"), widget=FastSelect
    )
    # Day bounds become a time range on created_at, so its index is used.
    created_after = django_filters.DateFilter(
        method="from_day", label=_("Created from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    created_before = django_filters.DateFilter(
        method="to_day", label=_("Created until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Ticket
        fields: list[str] = []

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search_tickets(queryset, value)

    def by_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value) if value else queryset

    def by_assignee(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "me":
            user = getattr(self.request, "user", None)
            return queryset.filter(assignee_id=user.pk) if user is not None and user.pk else queryset.none()
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset

    def by_sla(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(sla_filter(value, timezone.now())) if value else queryset

    def from_day(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return queryset.filter(created_at__gte=_start_of(value))

    def to_day(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return queryset.filter(created_at__lt=_start_of(value + timedelta(days=1)))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
