"""Core pages: home, health check, the global change log, calendar exceptions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from biys.core.forms import BaseModelForm
from biys.core.models import CalendarDay, ChangeLogEntry
from biys.core.tables import BaseTable
from biys.core.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    from biys.org.dashboard import dashboard_context

    return render(request, "core/home.html", dashboard_context(request.user))


# --- Change log (auditors) ------------------------------------------------------------------


class ChangeLogFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    user_name = django_filters.CharFilter(label=_("User"), lookup_expr="exact")
    action = django_filters.ChoiceFilter(choices=ChangeLogEntry.Action.choices, label=_("Action"))
    object_type = django_filters.CharFilter(method="by_type", label=_("Object type"))
    request_id = django_filters.CharFilter(label=_("Request id"))
    # Day bounds become a time range (not time::date), so the index on time is used on 10⁶+ rows.
    time_after = django_filters.DateFilter(
        method="from_day", label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    time_before = django_filters.DateFilter(
        method="to_day", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = ChangeLogEntry
        fields = ["user_name", "action", "request_id"]

    def from_day(self, queryset: Any, name: str, value: date) -> Any:
        return queryset.filter(time__gte=_day_start(value))

    def to_day(self, queryset: Any, name: str, value: date) -> Any:
        return queryset.filter(time__lt=_day_start(value + timedelta(days=1)))

    def by_type(self, queryset: Any, name: str, value: str) -> Any:
        app_label, _sep, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class ChangeLogTable(BaseTable):
    id = tables.Column(verbose_name="#")
    time = tables.DateTimeColumn(format="d.m.Y H:i:s")
    user_name = tables.Column(verbose_name=_("User"))
    ip = tables.Column()
    action = tables.Column()
    content_type = tables.Column(verbose_name=_("Object type"), orderable=False)
    object_repr = tables.Column()
    changes = tables.Column(empty_values=(), verbose_name=_("Changed fields"), orderable=False)

    class Meta(BaseTable.Meta):
        model = ChangeLogEntry
        fields = ("id", "time", "user_name", "ip", "action", "content_type", "object_repr", "changes")
        order_by = ("-id",)

    def draw_row(self, record: ChangeLogEntry) -> SafeString:
        kind = record.content_type  # select_related by the list view
        return format_html(
            '<tr><td>{}</td><td class="text-nowrap">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
            '<td>{}<br><small class="text-muted">{}</small></td><td>{}</td></tr>',
            record.id,
            timezone.localtime(record.time).strftime("%d.%m.%Y %H:%M:%S"),
            record.user_name or "—",
            record.ip or "—",
            record.get_action_display(),
            kind.name if kind is not None else "—",
            record.object_repr,
            (record.request_id or "")[:12],
            record.changed_names,
        )

    def render_changes(self, record: ChangeLogEntry) -> str:
        return record.changed_names

    def render_object_repr(self, value: str, record: ChangeLogEntry) -> str:
        return format_html("{}<br><small class='text-muted'>{}</small>", value, record.request_id[:12])


class ChangeLogListView(ObjectListView):
    queryset = ChangeLogEntry.objects.select_related("content_type")
    filterset = ChangeLogFilterSet
    table = ChangeLogTable
    lazy_pagination = True
    filter_fields = ("action", "user_name", "time_after", "time_before")

    def get_queryset(self, request: HttpRequest) -> Any:
        return self.queryset  # the permission is the scope: view_changelogentry = auditor/head


# --- Calendar exceptions ------------------------------------------------------------------------


class CalendarDayFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    kind = django_filters.ChoiceFilter(choices=CalendarDay.Kind.choices, label=_("Kind"))
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year", label=_("Year"))

    class Meta:
        model = CalendarDay
        fields = ["kind"]


class CalendarDayTable(BaseTable):
    date = tables.DateColumn(format="d.m.Y", linkify=True)

    class Meta(BaseTable.Meta):
        model = CalendarDay
        fields = ("date", "kind", "description")


class CalendarDayForm(BaseModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "description"]


class CalendarDayListView(ObjectListView):
    queryset = CalendarDay.objects.all()
    filterset = CalendarDayFilterSet
    table = CalendarDayTable
    filter_fields = ("kind", "year")


class CalendarDayView(ObjectView):
    queryset = CalendarDay.objects.all()
    fields = ("date", "kind", "description")


class CalendarDayEditView(ObjectEditView):
    queryset = CalendarDay.objects.all()
    form = CalendarDayForm


class CalendarDayDeleteView(ObjectDeleteView):
    queryset = CalendarDay.objects.all()
