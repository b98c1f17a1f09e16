"""Tables to Excel and CSV. CSV is written as UTF-8 with BOM and ';' so Turkish Excel opens it right."""

from __future__ import annotations

import csv
import io
from typing import Any

import django_tables2 as tables
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from biys.core.text import tr_slugify

MAX_EXPORT_ROWS = 100_000


def export_table(table: tables.Table, model: type[models.Model], fmt: str) -> HttpResponse:
    rows = [[_cell(v) for v in row] for row in _limited(table.as_values(exclude_columns=("actions",)))]
    name = f"{tr_slugify(str(model._meta.verbose_name_plural))}-{timezone.localdate():%Y%m%d}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        csv.writer(buffer, delimiter=";").writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(model._meta.verbose_name_plural)[:31])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _limited(values: Any) -> Any:
    for index, row in enumerate(values):
        if index > MAX_EXPORT_ROWS:
            break
        yield row


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float | str):
        # A leading = + - @ would be run as a formula by Excel (CSV injection).
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
            return "'" + value
        return value
    return str(value)
