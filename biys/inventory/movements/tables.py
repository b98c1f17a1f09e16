"""Tables of the VİF, stock item and İstek Belgesi lists."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from biys.core.tables import BaseTable, LinkColumn
from biys.inventory.models import StockItem, StockRequest, Voucher
from biys.inventory.movements.stock import fmt

RIGHT = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


def money(value: Decimal | None) -> str:
    return number_format(value if value is not None else Decimal(0), decimal_pos=2, use_l10n=True, force_grouping=True)


class VoucherTable(BaseTable):
    number = tables.Column(verbose_name=_("VİF no"), order_by=("fiscal_year", "number", "id"), empty_values=())
    date = tables.DateColumn(format="d.m.Y")
    depot = tables.Column(order_by=("depot__institutional_code", "depot__code"))
    total_amount = tables.Column(verbose_name=_("total (TL)"), attrs=RIGHT)

    class Meta(BaseTable.Meta):
        model = Voucher
        fields = (
            "number",
            "date",
            "depot",
            "kind",
            "direction",
            "status",
            "counterparty",
            "source_document",
            "total_amount",
        )

    def render_number(self, record: Voucher) -> str:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), str(record))

    def value_number(self, record: Voucher) -> str:
        return str(record)

    def render_total_amount(self, value: Decimal | None) -> str:
        return money(value)


class StockItemTable(BaseTable):
    name = LinkColumn()
    depot = tables.Column(order_by=("depot__institutional_code", "depot__code"))
    tasinir_code = tables.Column(accessor="tasinir_code__code", verbose_name=_("Taşınır code"))
    quantity_on_hand = tables.Column(attrs=RIGHT)
    reorder_level = tables.Column(attrs=RIGHT)
    warning = tables.Column(verbose_name=_("Reorder"), accessor="pk", orderable=False)

    class Meta(BaseTable.Meta):
        model = StockItem
        fields = (
            "name",
            "depot",
            "tasinir_code",
            "part_number",
            "quantity_on_hand",
            "unit_of_measure",
            "reorder_level",
        )

    def render_quantity_on_hand(self, value: Decimal) -> str:
        return fmt(value)

    def render_reorder_level(self, value: Decimal) -> str:
        return fmt(value)

    def render_warning(self, record: StockItem) -> str:
        if not record.below_reorder_level:
            return ""
        return format_html('<span class="badge text-bg-warning">{}</span>', _("Reorder"))

    def value_warning(self, record: StockItem) -> str:
        return str(_("Reorder")) if record.below_reorder_level else ""


class StockRequestTable(BaseTable):
    number = tables.Column(verbose_name=_("number"), order_by=("year", "number", "id"), empty_values=())
    date = tables.DateColumn(format="d.m.Y")
    depot = tables.Column(order_by=("depot__institutional_code", "depot__code"))
    unit = tables.Column(order_by=("unit__name",))
    requested_by = tables.Column(order_by=("requested_by__last_name", "requested_by__first_name"))

    class Meta(BaseTable.Meta):
        model = StockRequest
        fields = ("number", "date", "depot", "unit", "requested_by", "status", "approved_by")

    def render_number(self, record: StockRequest) -> str:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), number_of(record))

    def value_number(self, record: StockRequest) -> str:
        return number_of(record)


def number_of(record: Any) -> str:
    """The document number as printed: depot/year/number, or "draft" before submission."""
    if record.number is None:
        return str(_("draft"))
    return f"{record.depot.code}/{record.year}/{record.number}"
