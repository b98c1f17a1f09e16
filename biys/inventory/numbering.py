"""Document and registry numbers: sicil no (TMY md. 36) and yearly document numbers.

Numbers are taken under a row lock on the counter row, so two clerks never get the same number,
and a rolled-back transaction gives its number back (no gaps from failed saves).
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import Max

from biys.inventory.models import Asset, TasinirCode


def sicil_no(code: TasinirCode, year: int, sequence: int) -> str:
    # TMY md. 36: taşınır kodu + last two digits of the entry year + entry sequence (KBS: 255.02.01.01.02-18-00252).
    return f"{code.code}-{year % 100:02d}-{sequence:05d}"


def next_asset_sequence(code: TasinirCode, year: int) -> int:
    """The next entry sequence of a code in a year. Call inside a transaction."""
    with transaction.atomic():
        TasinirCode.objects.select_for_update().filter(pk=code.pk).first()  # serialises writers per code
        current = Asset.objects.filter(tasinir_code=code, entry_year=year).aggregate(top=Max("sequence"))["top"]
    return (current or 0) + 1


def next_number(queryset: models.QuerySet[models.Model], field: str = "number") -> int:
    """The next yearly number in ``queryset`` (already filtered to one depot and year), locking those rows."""
    with transaction.atomic():
        current = queryset.select_for_update().aggregate(top=Max(field))["top"]
    return (current or 0) + 1
