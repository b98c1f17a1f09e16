from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class BaseTable(tables.Table):  # type: ignore[misc]
    """A sortable Bootstrap table; subclasses name their columns and the link column.

    ``row_template`` (optional) renders each body row from one template instead of cell by cell:
    django-tables2 spends ~0.06 ms per cell, which on a 50-row list is most of the page's budget.
    Headers, sorting, pagination and exports still come from the columns.
    """

    row_template: str | None = None

    class Meta:
        # The list's wrapper boosts its sort and page links into #object-table (HTMX); links in the rows
        # lead to other pages and must load as pages, not be swapped into the table.
        attrs = {"class": "table table-sm table-hover align-middle mb-0", "tbody": {"hx-boost": "false"}}
        per_page = 50
        empty_text = _("No records match.")
        order_by_field = "sort"


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
