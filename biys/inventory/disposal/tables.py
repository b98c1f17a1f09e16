from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from biys.core.tables import BaseTable, BooleanIconColumn
from biys.inventory.disposal import counting
from biys.inventory.models import CountLine, CountSession, ScrapProposal
from biys.inventory.movements import stock


def _linked(obj: Any) -> SafeString | str:
    url = obj.get_absolute_url() if obj is not None else ""
    return format_html('<a href="{}">{}</a>', url, obj) if url else str(obj or "—")


def quantity(value: Decimal | None) -> str:
    """A counted quantity as people write it (12, 2,5), or a dash when nothing was entered."""
    return "—" if value is None else stock.fmt(value)


def plain(value: Decimal | None) -> str:
    """A quantity for an ``<input type=number>`` value: dot decimal mark, no trailing zeros."""
    if value is None:
        return ""
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return f"{value:f}"


class ScrapProposalTable(BaseTable):
    number = tables.Column(verbose_name=_("Number"), order_by=("year", "number"), empty_values=())
    date = tables.DateColumn(format="d.m.Y")
    depot = tables.Column(order_by=("depot__institutional_code", "depot__code"))
    asset_count = tables.Column(verbose_name=_("Items"), orderable=True)
    exit_voucher = tables.Column(orderable=False)

    class Meta(BaseTable.Meta):
        model = ScrapProposal
        fields = ("number", "date", "depot", "disposal", "status", "asset_count", "exit_voucher")

    def render_number(self, record: ScrapProposal) -> SafeString:
        return format_html('<a href="{}">{}/{}</a>', record.get_absolute_url(), record.year, record.number or "—")

    def value_number(self, record: ScrapProposal) -> str:
        return f"{record.year}/{record.number or '—'}"

    def render_exit_voucher(self, value: Any) -> SafeString | str:
        return _linked(value)


class CountSessionTable(BaseTable):
    date = tables.DateColumn(format="d.m.Y", linkify=True)
    depot = tables.Column(order_by=("depot__institutional_code", "depot__code"))
    location = tables.Column(order_by=("location__building", "location__floor", "location__room"))
    line_count = tables.Column(verbose_name=_("Lines"))
    freeze_movements = BooleanIconColumn()

    class Meta(BaseTable.Meta):
        model = CountSession
        fields = ("date", "depot", "location", "status", "freeze_movements", "line_count")

    def render_location(self, value: Any) -> str:
        return str(value)


class CountLineTable(BaseTable):
    """The lines of one count, with what the records say and what the board found."""

    item = tables.Column(
        verbose_name=_("Registry number / stock item"),
        empty_values=(),
        order_by=("asset__sicil_no", "stock_item__name"),
    )
    expected = tables.Column(verbose_name=_("Records"))
    first_count = tables.Column()
    second_count = tables.Column()
    result = tables.Column(verbose_name=_("Result"), empty_values=(), orderable=False)
    scanned_by = tables.Column(verbose_name=_("Counted by"), orderable=False)

    class Meta(BaseTable.Meta):
        model = CountLine
        fields = ("item", "expected", "first_count", "second_count", "result", "scanned_by")
        per_page = 100

    def render_item(self, record: CountLine) -> SafeString:
        if record.asset_id:
            asset = record.asset
            note = format_html(' <span class="text-muted small">({})</span>', asset.holder) if asset.holder else ""
            return format_html(
                '<a href="{}">{}</a> {}{}', asset.get_absolute_url() or "#", asset.sicil_no, asset.name, note
            )
        item = record.stock_item
        return format_html('{} <span class="text-muted small">{}</span>', item, item.unit_of_measure)

    def render_expected(self, value: Decimal) -> str:
        return quantity(value)

    def render_first_count(self, value: Decimal | None) -> str:
        return quantity(value)

    def render_second_count(self, value: Decimal | None) -> str:
        return quantity(value)

    def render_result(self, record: CountLine) -> SafeString:
        if counting.is_records_only(record):
            return format_html('<span class="badge text-bg-secondary">{}</span>', _("from records"))
        if record.first_count is None and record.session.status == CountSession.Status.OPEN:
            waiting = _("not yet found") if record.asset_id else _("not yet counted")
            return format_html('<span class="badge text-bg-light">{}</span>', waiting)
        delta = counting.final_count(record) - record.expected
        if delta == 0:
            return format_html('<span class="badge text-bg-success">{}</span>', _("matches"))
        label = _("surplus") if delta > 0 else _("shortage")
        css = "text-bg-warning" if delta > 0 else "text-bg-danger"
        return format_html('<span class="badge {}">{} {}</span>', css, label, quantity(abs(delta)))
