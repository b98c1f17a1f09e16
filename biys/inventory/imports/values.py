"""Cell values as Turkish offices type them: ``dd.mm.yyyy`` dates (also ISO and Excel date cells) and
amounts with a decimal comma (``38.900,00``, ``38900,00``) or a decimal point (``38900.00``)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_TR_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


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


def parse_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    raw = text(value).replace(" ", "").replace("\u00a0", "").removesuffix("TL").removesuffix("₺")
    if not raw:
        return None
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")  # 38.900,00 → 38900.00
    elif raw.count(".") > 1:
        raw = raw.replace(".", "")  # 1.250.000 → 1250000
    try:
        amount = Decimal(raw)
    except InvalidOperation as exc:
        raise ValidationError(_("“%(value)s” is not an amount (e.g. 38.900,00).") % {"value": text(value)}) from exc
    if not amount.is_finite() or amount < 0:
        raise ValidationError(_("“%(value)s” is not an amount (e.g. 38.900,00).") % {"value": text(value)})
    return amount.quantize(Decimal("0.01"))


def parse_int(value: Any, default: int | None = None) -> int | None:
    raw = text(value)
    if not raw:
        return default
    if not re.fullmatch(r"\d{1,9}", raw):
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": raw})
    return int(raw)
