"""The dashboard's tables as an Excel workbook (openpyxl): one sheet per table, numbers as numbers."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from biys.core.exports import _cell
from biys.servicedesk.reports.queries import Bar, Dashboard

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def _sheet(book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Worksheet:
    sheet = book.create_sheet(title=_SHEET_UNSAFE.sub(" ", title)[:31])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for column in sheet.columns:
        width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    return sheet


def _counts(rows: list[Bar]) -> list[tuple[str, int]]:
    return [(row.label, row.count) for row in rows]


def _rated(rows: list[Bar]) -> list[tuple[str, float, int]]:
    return [(row.label, row.extra["average"], row.count) for row in rows]


def dashboard_workbook(data: Dashboard, comments: Iterable[Any], scope: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    s, sla, ratings = data.summary, data.sla, data.ratings
    _sheet(
        book,
        _("Summary"),
        (_("Figure"), _("Value")),
        [
            (_("Period"), data.period.label),
            (_("Scope"), scope),
            (_("Opened in the period"), s.opened),
            (_("Resolved in the period"), s.resolved),
            (_("Open now"), s.open_now),
            (_("Overdue now"), s.overdue_now),
            (_("Resolved with SLA targets"), sla.measured),
            (_("Met both targets"), sla.met),
            (_("SLA compliance (%)"), sla.compliance if sla.compliance is not None else ""),
            (_("Response target missed"), sla.response_missed),
            (_("Resolution target missed"), sla.resolution_missed),
            (_("Average satisfaction (1–5)"), ratings.average if ratings.average is not None else ""),
            (_("Ratings"), ratings.count),
        ],
    )
    _sheet(book, _("Open by unit"), (_("Responsible unit"), _("Open tickets")), _counts(data.by_unit))
    _sheet(book, _("Open by category"), (_("Category"), _("Open tickets")), _counts(data.by_category))
    _sheet(book, _("Open by status"), (_("Status"), _("Open tickets")), _counts(data.by_status))
    _sheet(book, _("Ageing"), (_("Days open"), _("Open tickets")), _counts(data.ageing))
    _sheet(
        book,
        _("SLA by unit"),
        (_("Responsible unit"), _("Resolved"), _("With targets"), _("Met"), _("Compliance (%)")),
        [
            (b.label, b.count, b.extra["sla"].measured, b.extra["sla"].met, b.extra["sla"].compliance or "")
            for b in data.sla_by_unit
        ],
    )
    _sheet(
        book,
        _("Workload"),
        (_("Technician"), _("Open, assigned"), _("Resolved in the period")),
        [(b.label, b.extra["open"], b.extra["resolved"]) for b in data.workload],
    )
    _sheet(book, _("Root causes"), (_("Root cause"), _("Resolved tickets")), _counts(data.root_causes))
    header = (_("Average (1–5)"), _("Ratings"))
    _sheet(book, _("Satisfaction by unit"), (_("Responsible unit"), *header), _rated(ratings.by_unit))
    _sheet(book, _("Satisfaction by technician"), (_("Technician"), *header), _rated(ratings.by_technician))
    _sheet(book, _("Satisfaction by item"), (_("Catalogue item"), *header), _rated(ratings.by_item))
    _sheet(
        book,
        _("Comments"),
        (_("Ticket"), _("Score"), _("Comment"), _("Responsible unit"), _("Catalogue item")),
        [
            (f"#{t.reference}", t.satisfaction.score, t.satisfaction.comment, str(t.assigned_unit), str(t.item))
            for t in comments
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
