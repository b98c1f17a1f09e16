from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from biys.core.changelog import mask
from biys.core.tables import BaseTable, BooleanIconColumn, LinkColumn, MaskedColumn
from biys.org.models import Acknowledgement, Departure, Directive, Duty, DutyAssignment, Leave, Position, Staff, Unit


class UnitTable(BaseTable):
    name = LinkColumn(order_by=("path",))
    parent = tables.Column(linkify=True)
    is_it = BooleanIconColumn()

    class Meta(BaseTable.Meta):
        model = Unit
        fields = ("name", "code", "kind", "parent", "building", "phone", "is_it")


class PositionTable(BaseTable):
    name = LinkColumn()
    unit = tables.Column(linkify=True)
    is_head = BooleanIconColumn()

    class Meta(BaseTable.Meta):
        model = Position
        fields = ("name", "unit", "is_head")


WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class StaffTable(BaseTable):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Two reverse() calls per table instead of two per row.
        self.staff_prefix, self.unit_prefix = reverse("org:staff_list"), reverse("org:unit_list")

    # Only columns an index can order are sortable: sorting 10⁴–10⁵ rows by title or e-mail on every
    # page costs more than the page budget; the filters cover those needs.
    last_name = LinkColumn(verbose_name=_("Name"), order_by=("sort_name", "id"))
    registry_no = tables.Column(attrs=WIDE_ONLY)
    tckn = MaskedColumn(orderable=False, attrs=WIDE_ONLY)
    title = tables.Column(orderable=False)
    unit = tables.Column(linkify=True, order_by=("unit_id", "sort_name", "id"))  # id: no ties between pages
    work_phone = tables.Column(orderable=False, attrs=WIDE_ONLY)
    email = tables.EmailColumn(orderable=False, attrs=WIDE_ONLY)
    status = tables.Column(orderable=False)

    class Meta(BaseTable.Meta):
        model = Staff
        fields = ("last_name", "registry_no", "tckn", "title", "unit", "work_phone", "email", "status")

    def draw_row(self, record: Staff) -> SafeString:
        email = format_html('<a href="mailto:{}">{}</a>', record.email, record.email) if record.email else "—"
        return format_html(
            '<tr><td><a href="{}{}/">{} {}</a></td><td class="d-none d-md-table-cell">{}</td>'
            '<td class="d-none d-md-table-cell">{}</td><td>{}</td><td><a href="{}{}/">{}</a></td>'
            '<td class="d-none d-md-table-cell text-nowrap">{}</td><td class="d-none d-md-table-cell">{}</td>'
            "<td>{}</td></tr>",
            self.staff_prefix,
            record.pk,
            record.first_name,
            record.last_name,
            record.registry_no or "—",
            mask(record.tckn) or "—",  # KVKK md. 12: only the last 4 characters in lists
            record.title or "—",
            self.unit_prefix,
            record.unit_id,
            record.unit.name,
            record.work_phone or "—",
            email,
            record.get_status_display(),
        )

    def value_last_name(self, record: Staff) -> str:
        return f"{record.first_name} {record.last_name}"

    def render_last_name(self, record: Staff) -> str:
        from django.utils.html import format_html

        return format_html('<a href="{}">{} {}</a>', record.get_absolute_url(), record.first_name, record.last_name)


class LeaveTable(BaseTable):
    staff = tables.Column(linkify=True)
    start_date = tables.DateColumn(format="d.m.Y", linkify=True)
    end_date = tables.DateColumn(format="d.m.Y")

    class Meta(BaseTable.Meta):
        model = Leave
        fields = ("staff", "kind", "start_date", "end_date", "note")


class DirectiveTable(BaseTable):
    title = LinkColumn()
    unit = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Directive
        fields = ("title", "source_name", "kind", "unit")


class DutyTable(BaseTable):
    ref = LinkColumn(order_by=("directive", "sort_order"))
    text = tables.Column(attrs={"td": {"class": "text-wrap"}})
    unit = tables.Column(linkify=True)
    is_sensitive = BooleanIconColumn()

    class Meta(BaseTable.Meta):
        model = Duty
        fields = ("ref", "text", "unit", "is_sensitive")

    def render_text(self, value: str) -> str:
        return value if len(value) <= 160 else value[:157] + "…"


class DutyAssignmentTable(BaseTable):
    duty = tables.Column(linkify=True)
    staff = tables.Column(linkify=True)
    deputy = tables.Column(linkify=True)
    valid_from = tables.DateColumn(format="d.m.Y", linkify=True)
    valid_until = tables.DateColumn(format="d.m.Y")

    class Meta(BaseTable.Meta):
        model = DutyAssignment
        fields = ("duty", "staff", "deputy", "valid_from", "valid_until")


class AcknowledgementTable(BaseTable):
    staff = tables.Column(linkify=True)
    version = tables.Column()
    acknowledged_at = tables.DateTimeColumn(format="d.m.Y H:i")

    class Meta(BaseTable.Meta):
        model = Acknowledgement
        fields = ("staff", "version", "acknowledged_at")


class DepartureTable(BaseTable):
    staff = tables.Column(linkify=True)
    last_day = tables.DateColumn(format="d.m.Y", linkify=True)
    successor = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Departure
        fields = ("staff", "reason", "last_day", "successor", "status")
