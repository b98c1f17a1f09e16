from __future__ import annotations

from datetime import date, datetime
from typing import Any

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _


class BaseTable(tables.Table):  # type: ignore[misc]
    """A sortable Bootstrap table; subclasses name their columns and the link column.

    Body rows of the big lists are not drawn cell by cell (django-tables2 spends ~0.06 ms per cell, most
    of a 50-row page's budget):
    - ``row_template`` renders each row from one template;
    - ``draw_row(record)``, when a subclass defines it, draws each row in Python with ``format_html``,
      several times faster again (the lists of 10⁵–10⁶ rows use it). It must give the same cells, in the
      same order, as the visible columns.
    Headers, sorting, pagination and exports still come from the columns.
    """

    row_template: str | None = None

    def draw_row(self, record: Any) -> SafeString:
        raise NotImplementedError  # a subclass that draws its rows defines it

    @property
    def draws_rows(self) -> bool:
        """Whether this table draws its rows itself (``table.html`` asks)."""
        return type(self).draw_row is not BaseTable.draw_row

    def rows_html(self) -> SafeString:
        """The body rows drawn by ``draw_row``, or the "no records" row."""
        drawn = [(self.draw_row(row.record),) for row in self.paginated_rows]
        if not drawn:
            colspan = sum(1 for column in self.columns if column.visible)
            return format_html('<tr><td colspan="{}">{}</td></tr>', colspan, self.empty_text)
        return format_html_join("", "{}", drawn)

    class Meta:
        # The list's wrapper boosts its sort and page links into #object-table (HTMX); links in the rows
        # lead to other pages and must load as pages, not be swapped into the table.
        attrs = {"class": "table table-sm table-hover align-middle mb-0", "tbody": {"hx-boost": "false"}}
        per_page = 50
        empty_text = _("No records match.")
        order_by_field = "sort"


def short_datetime(value: datetime | None) -> str:
    """dd.mm.yyyy hh:mm in Istanbul time, "" for None: ``strftime`` is ten times quicker than the ``date``
    filter, which matters at three dates a row."""
    return localtime(value).strftime("%d.%m.%Y %H:%M") if value is not None else ""


def short_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value is not None else ""


class LinkColumn(tables.Column):  # type: ignore[misc]
    """The record's name, linking to its detail page."""

    def render(self, value: Any, record: Any) -> str:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def value(self, value: Any) -> Any:
        return value  # exports get the text, not the link


class MaskedColumn(tables.Column):  # type: ignore[misc]
    """Personal data shown masked in lists (KVKK md. 12): only the last 4 characters."""

    def render(self, value: Any) -> str:
        from biys.core.changelog import mask

        return str(mask(value))


class BooleanIconColumn(tables.BooleanColumn):  # type: ignore[misc]
    def render(self, value: Any, record: Any, bound_column: Any) -> str:
        icon = "bi-check-circle-fill text-success" if value else "bi-dash text-muted"
        return format_html('<i class="bi {}" aria-label="{}"></i>', icon, _("Yes") if value else _("No"))
