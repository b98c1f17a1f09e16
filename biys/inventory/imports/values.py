"""Cell values as Turkish offices type them: ``dd.mm.yyyy`` dates (also ISO and Excel date cells) and
amounts with a decimal comma (``38.900,00``, ``38900,00``) or a decimal point (``38900.00``); what could be
read two ways (``38.900``) is refused rather than guessed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from biys.core.text import search_key

_TR_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_ONE_POINT_THOUSANDS = re.compile(r"^[1-9]\d{0,2}\.\d{3}$")  # "1.500": one thousand five hundred, or 1,5?
CENT = Decimal("0.01")
FLOAT_NOISE = Decimal("0.000001")


def map_headers(headers: list[str], columns: Mapping[str, tuple[str, Iterable[str]]]) -> dict[str, int]:
    """Field name → index of the first header that folds (``search_key``) to one of the field's aliases;
    ``columns`` maps each field to (its template header, its aliases)."""
    by_key = {search_key(alias): name for name, (_label, aliases) in columns.items() for alias in aliases}
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = by_key.get(search_key(header))
        if name is not None and name not in found:
            found[name] = index
    return found


def refuse_missing(labels: list[str]) -> None:
    """The file's error when required columns (``labels``, as the template names them) are absent."""
    if labels:
        raise ValidationError(
            _("Missing columns: %(columns)s. The first row must hold the column headers; download the template.")
            % {"columns": ", ".join(labels)}
        )


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores "2026" or a numeric serial as 2026.0
    return str(value).strip()


def parse_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    if not raw:
        return None
    match = _TR_DATE.match(raw)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _ISO_DATE.match(raw)
        if not match:
            raise ValidationError(_("“%(value)s” is not a date; write it as dd.mm.yyyy.") % {"value": raw})
        year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValidationError(_("“%(value)s” is not a valid date.") % {"value": raw}) from exc


def parse_decimal(value: Any, not_a_number: str = "") -> Decimal | None:
    """An amount or quantity with at most two decimals, never misread or silently rounded.

    "1.500" is refused as ambiguous (one thousand five hundred as a Turkish office writes it, or 1,5 as a
    program writes it); so is a third decimal ("12,345"). An Excel number cell is taken as it is, rounded only
    by the binary float's own noise (0.1 + 0.2). ``not_a_number`` is the message for text that is no number
    (with ``%(value)s``).
    """
    if value is None or value == "":
        return None
    message = not_a_number or _("“%(value)s” is not an amount (e.g. 38.900,00).")
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not exact.is_finite() or exact < 0:
            raise ValidationError(message % {"value": text(value)})
        amount = exact.quantize(CENT)
        if abs(amount - exact) > FLOAT_NOISE:
            raise ValidationError(_("At most two decimal places (“%(value)s”).") % {"value": text(value)})
        return amount
    raw = text(value).replace(" ", "").replace("\u00a0", "").removesuffix("TL").removesuffix("₺")
    if not raw:
        return None
    if _ONE_POINT_THOUSANDS.match(raw):
        raise ValidationError(
            _("“%(value)s” is ambiguous: write thousands without a point (1500) and decimals with a comma (1,5).")
            % {"value": raw}
        )
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")  # 38.900,00 → 38900.00
    elif raw.count(".") > 1:
        raw = raw.replace(".", "")  # 1.250.000 → 1250000
    try:
        amount = Decimal(raw)
    except InvalidOperation as exc:
        raise ValidationError(message % {"value": text(value)}) from exc
    if not amount.is_finite() or amount < 0:
        raise ValidationError(message % {"value": text(value)})
    if amount != amount.quantize(CENT):
        raise ValidationError(_("At most two decimal places (“%(value)s”).") % {"value": text(value)})
    return amount.quantize(CENT)


def parse_int(value: Any, default: int | None = None) -> int | None:
    raw = text(value)
    if not raw:
        return default
    if not re.fullmatch(r"\d{1,9}", raw):
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": raw})
    return int(raw)
