"""The ticket list: each row drawn in Python (``draw_row``; django-tables2 renders cell by cell otherwise, which
is most of a 50-row page's budget); the columns still give headers, sorting and Excel/CSV exports.

The page shows seven columns that fit a 1366 px laptop (the subject under the reference, the unit under the
requester and the assignee, the SLA state under the due time); the exports get every field in its own column,
from the hidden (``visible=False``) columns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from biys.core.tables import BaseTable, short_datetime
from biys.servicedesk import sla
from biys.servicedesk.choices import Priority, Status
from biys.servicedesk.models import Ticket

# Bootstrap colours of the badges; "outline-<colour>" is a hollow badge (a border and coloured text).
STATUS_COLOURS: dict[str, str] = {
    Status.NEW: "primary",
    Status.ASSIGNED: "info",
    Status.IN_PROGRESS: "warning",
    Status.WAITING_REQUESTER: "secondary",
    Status.WAITING_VENDOR: "secondary",
    Status.WAITING_PARTS: "secondary",
    Status.RESOLVED: "success",
    Status.CLOSED: "dark",
    Status.CANCELLED: "outline-secondary",
}
PRIORITY_COLOURS = {1: "danger", 2: "warning", 3: "secondary", 4: "outline-secondary"}
SLA_COLOURS = {"ok": "success", "warning": "warning", "breached": "danger", "paused": "secondary"}
SLA_LABELS = {
    "ok": _("On time"),
    "warning": _("About to breach"),
    "breached": _("Breached"),
    "paused": _("Paused"),
}
MD_UP = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}
LG_UP = {"th": {"class": "d-none d-lg-table-cell"}, "td": {"class": "d-none d-lg-table-cell"}}
XL_UP = {"th": {"class": "d-none d-xl-table-cell text-nowrap"}, "td": {"class": "d-none d-xl-table-cell"}}
NOWRAP = {"th": {"class": "text-nowrap"}, "td": {"class": "text-nowrap"}}
SM_UP_NOWRAP = {"th": {"class": "d-none d-sm-table-cell text-nowrap"}, "td": {"class": "d-none d-sm-table-cell"}}


def badge_class(colour: str) -> str:
    """The classes of a badge in ``colour`` (see STATUS_COLOURS)."""
    if colour.startswith("outline-"):
        name = colour.removeprefix("outline-")
        return f"bg-body border border-{name} text-{name}-emphasis"
    return f"text-bg-{colour}"


def decorate(ticket: Ticket, now: datetime) -> Ticket:
    """Display attributes a row needs (colours, the SLA state) computed once per shown ticket."""
    state = sla.state(ticket, now)
    ticket.sla_state = state  # type: ignore[attr-defined]
    ticket.sla_colour = SLA_COLOURS.get(state, "secondary")  # type: ignore[attr-defined]
    ticket.sla_label = SLA_LABELS.get(state, "")  # type: ignore[attr-defined]
    ticket.status_colour = STATUS_COLOURS.get(ticket.status, "secondary")  # type: ignore[attr-defined]
    ticket.status_badge = badge_class(ticket.status_colour)  # type: ignore[attr-defined]
    ticket.priority_colour = PRIORITY_COLOURS.get(ticket.priority, "secondary")  # type: ignore[attr-defined]
    ticket.priority_badge = badge_class(ticket.priority_colour)  # type: ignore[attr-defined]
    ticket.priority_notable = ticket.priority != Priority.NORMAL  # type: ignore[attr-defined]
    return ticket


def export_only(**kwargs: Any) -> tables.Column:
    """A column that is not shown (its value is part of a merged cell) but is exported on its own."""
    return tables.Column(visible=False, orderable=False, **kwargs)


class TicketTable(BaseTable):
    # Only columns an index can order are sortable (10⁶ tickets): the filters cover the rest.
    ticket = tables.Column(
        verbose_name=_("Ticket"), accessor="pk", order_by=("year", "number"), exclude_from_export=True
    )
    reference = export_only(verbose_name=_("Reference"), accessor="pk")
    title = export_only()
    status = tables.Column(order_by=("status", "resolution_due"), attrs=NOWRAP)
    priority = tables.Column(order_by=("priority", "resolution_due"), attrs=LG_UP)
    requester = tables.Column(orderable=False, empty_values=(), attrs=MD_UP)
    requester_unit = export_only()
    assigned_unit = export_only()
    assignee = tables.Column(orderable=False, attrs=MD_UP)
    resolution_due = tables.Column(order_by=("resolution_due", "id"), attrs=SM_UP_NOWRAP)
    sla = export_only(verbose_name=_("SLA"), accessor="pk")
    created_at = tables.Column(verbose_name=_("Created"), attrs=XL_UP)

    class Meta(BaseTable.Meta):
        model = Ticket
        fields = (
            "ticket",
            "reference",
            "title",
            "status",
            "priority",
            "requester",
            "requester_unit",
            "assigned_unit",
            "assignee",
            "resolution_due",
            "sla",
            "created_at",
        )

    def __init__(self, *args: Any, unit_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ticket_prefix = reverse("servicedesk:ticket_list")
        self.now = timezone.now()
        # The list is filtered to this unit's queue: its name is not repeated on every row.
        self.unit_id = unit_id
        self._decorated = False
        # Labels in the request's language, translated once per page (``get_status_display`` and a lazy label
        # cost a hash of the choices and a translation lookup on every call).
        self.status_labels = {value: str(label) for value, label in Status.choices}
        self.priority_labels = {value: str(label) for value, label in Priority.choices}
        self.sla_labels = {state: str(label) for state, label in SLA_LABELS.items()}

    @property
    def paginated_rows(self) -> Any:
        rows = super().paginated_rows
        if not self._decorated:
            for row in rows:  # the page's queryset is evaluated once and cached: the row template sees these
                decorate(row.record, self.now)
            self._decorated = True
        return rows

    def draw_row(self, record: Any) -> SafeString:
        notable = (
            format_html(
                '<div class="d-lg-none"><span class="badge {}">{}</span></div>',
                record.priority_badge,
                self.priority_labels.get(record.priority, record.priority),
            )
            if record.priority_notable
            else ""
        )
        due = short_datetime(record.resolution_due)
        sla_small = sla_badge = ""
        if record.sla_state:
            sla_small = format_html(
                '<div class="d-sm-none"><span class="badge text-bg-{}" title="{}">{}</span></div>',
                record.sla_colour,
                due,
                self.sla_labels.get(record.sla_state, ""),
            )
            sla_badge = format_html(
                '<div><span class="badge text-bg-{}" data-sla="{}">{}</span></div>',
                record.sla_colour,
                record.sla_state,
                self.sla_labels.get(record.sla_state, ""),
            )
        assignee = record.assignee
        who = (
            format_html("{}", assignee.get_full_name() or assignee.username)
            if assignee is not None
            else mark_safe('<span class="text-muted">—</span>')  # a constant
        )
        unit = (
            format_html('<div class="small text-muted" data-testid="row-unit">{}</div>', record.assigned_unit.name)
            if record.assigned_unit_id != self.unit_id and record.assigned_unit_id is not None
            else ""
        )
        requester = record.requester_name or (str(record.requester) if record.requester_id else "—")
        requester_unit = record.requester_unit.name if record.requester_unit_id else ""
        return format_html(
            '<tr data-testid="ticket-row-{}"><td><a class="text-nowrap fw-semibold" href="{}{}/">{}</a>'
            '<div class="small">{}</div></td>'
            '<td class="text-nowrap"><span class="badge {}">{}</span>{}{}</td>'
            '<td class="d-none d-lg-table-cell"><span class="badge {}">{}</span></td>'
            '<td class="d-none d-md-table-cell">{}<div class="small text-muted">{}</div></td>'
            '<td class="d-none d-md-table-cell">{}{}</td>'
            '<td class="d-none d-sm-table-cell text-nowrap">{}{}</td>'
            '<td class="d-none d-xl-table-cell text-nowrap small">{}</td></tr>',
            record.pk,
            self.ticket_prefix,
            record.pk,
            record.reference,
            record.title,
            record.status_badge,
            self.status_labels.get(record.status, record.status),
            notable,
            sla_small,
            record.priority_badge,
            self.priority_labels.get(record.priority, record.priority),
            requester,
            requester_unit,
            who,
            unit,
            due or "—",
            sla_badge,
            short_datetime(record.created_at),
        )

    # Exports: plain values, one field a column.
    def value_reference(self, record: Ticket) -> str:
        return record.reference

    def value_status(self, record: Ticket) -> str:
        return str(record.get_status_display())

    def value_priority(self, record: Ticket) -> str:
        return str(record.get_priority_display())

    def value_requester(self, record: Ticket) -> str:
        return record.requester_name or (str(record.requester) if record.requester_id else "")

    def value_requester_unit(self, record: Ticket) -> str:
        return record.requester_unit.name if record.requester_unit_id else ""

    def value_assigned_unit(self, record: Ticket) -> str:
        return record.assigned_unit.name

    def value_assignee(self, record: Ticket) -> str:
        user = record.assignee
        return (user.get_full_name() or user.get_username()) if user is not None else ""

    def value_resolution_due(self, record: Ticket) -> str:
        due = record.resolution_due
        return timezone.localtime(due).strftime("%d.%m.%Y %H:%M") if due else ""

    def value_sla(self, record: Ticket) -> str:
        return str(SLA_LABELS.get(sla.state(record, self.now), ""))

    def value_created_at(self, record: Ticket) -> str:
        return timezone.localtime(record.created_at).strftime("%d.%m.%Y %H:%M")
