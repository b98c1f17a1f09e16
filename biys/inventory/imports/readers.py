"""Reading spreadsheets as Turkish offices make them: .xlsx, and CSV in UTF-8, UTF-8 with BOM or
Windows-1254 with ``;`` or ``,`` between the columns. The result is a header row and the data rows,
each with its row number as the user sees it in Excel (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["MAX_ROWS", "Sheet", "read_sheet"]

MAX_ROWS = 100_000
EXTENSIONS = ("xlsx", "csv")


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number in the file, cell values)


def read_sheet(data: bytes, extension: str) -> Sheet:
    """Parse the file; raises ValidationError with a message the user can act on."""
    if extension not in EXTENSIONS:
        raise ValidationError(_("Upload an Excel (.xlsx) or CSV (.csv) file."))
    if not data.strip():
        raise ValidationError(_("The file is empty."))
    rows = _xlsx_rows(data) if extension == "xlsx" else _csv_rows(data)
    return _collect(rows)


def _collect(rows: Iterator[list[Any]]) -> Sheet:
    headers: list[str] | None = None
    body: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(rows, start=1):
        if headers is None:
            headers = [str(v).strip() if v is not None else "" for v in values]
            continue
        if all(v is None or str(v).strip() == "" for v in values):
            continue  # blank lines between or after the rows
        if len(body) >= MAX_ROWS:
            raise ValidationError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
        body.append((number, values))
    if headers is None:
        raise ValidationError(_("The file is empty."))
    return Sheet(headers, body)


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(_("The file is not an Excel (.xlsx) workbook. Old .xls files: save as .xlsx first."))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        book.close()
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise ValidationError(_("The Excel file could not be read; it may be damaged.")) from exc
    return iter(rows)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, Windows-1254 (Turkish Excel's "CSV") as the fallback."""
    if b"\x00" in data:
        # UTF-16 ("Unicode text") or a binary file: neither is a CSV we can read safely.
        raise ValidationError(
            _("The file is not readable text. Save it as “CSV UTF-8” or “CSV (comma delimited)”, or as Excel .xlsx.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1254")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is neither UTF-8 nor Windows-1254 (Turkish) text. Save it as “CSV UTF-8” or as Excel .xlsx.")
        ) from exc
    if sum(1 for ch in text if not ch.isprintable() and ch not in "\r\n\t") > len(text) // 100:
        raise ValidationError(_("The file is not readable text. Save it as “CSV UTF-8” or as Excel .xlsx."))
    return text


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    # Turkish Excel writes ";" (the comma is the decimal separator); count on the header line only.
    delimiter = ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","
    if "\t" in first_line and not (";" in first_line or "," in first_line):
        delimiter = "\t"
    try:
        return iter(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    except csv.Error as exc:
        raise ValidationError(_("The CSV file could not be read: %(error)s") % {"error": exc}) from exc
