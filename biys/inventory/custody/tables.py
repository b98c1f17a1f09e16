from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from biys.core.tables import BaseTable, BooleanIconColumn
from biys.inventory.models import CustodyDocument, SharedAreaList


class CustodyDocumentTable(BaseTable):
    number = tables.Column(verbose_name=_("Number"), order_by=("year", "number"))
    date = tables.DateColumn(format="d.m.Y")
    staff = tables.Column(order_by=("staff__last_name", "staff__first_name"))
    unit = tables.Column(order_by=("unit__name",))
    issued_by = tables.Column(order_by=("issued_by__last_name", "issued_by__first_name"))
    items_total = tables.Column(verbose_name=_("Items"), attrs={"td": {"class": "text-end"}})
    items_open = tables.Column(verbose_name=_("Still held"), attrs={"td": {"class": "text-end"}})

    class Meta(BaseTable.Meta):
        model = CustodyDocument
        fields = ("number", "date", "staff", "unit", "issued_by", "items_total", "items_open")

    def render_number(self, record: CustodyDocument) -> SafeString:
        return format_html('<a href="{}">{}/{}</a>', record.get_absolute_url(), record.year, record.number)

    def value_number(self, record: CustodyDocument) -> str:
        return f"{record.year}/{record.number}"

    def render_staff(self, record: CustodyDocument) -> SafeString:
        url = reverse("inventory:custody_staff", kwargs={"staff_pk": record.staff_id})
        return format_html('<a href="{}">{}</a>', url, record.staff)

    def value_staff(self, record: CustodyDocument) -> str:
        return str(record.staff)

    def render_items_open(self, value: int) -> Any:
        if not value:
            return format_html('<span class="badge text-bg-light">{}</span>', _("Returned"))
        return format_html('<span class="badge text-bg-warning">{}</span>', value)

    def value_items_open(self, value: int) -> int:
        return value


class SharedAreaListTable(BaseTable):
    location = tables.Column(order_by=("location__building", "location__floor", "location__room"))
    date = tables.DateColumn(format="d.m.Y")
    responsible = tables.Column(order_by=("responsible__last_name", "responsible__first_name"))
    asset_count = tables.Column(verbose_name=_("Items"), attrs={"td": {"class": "text-end"}})
    signed = BooleanIconColumn(verbose_name=_("Signed"), accessor="signed_by_id", orderable=False, empty_values=())

    class Meta(BaseTable.Meta):
        model = SharedAreaList
        fields = ("location", "date", "responsible", "asset_count", "signed")

    def render_location(self, record: SharedAreaList) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.location)

    def value_location(self, record: SharedAreaList) -> str:
        return str(record.location)
