"""Factories for the every-model change-log test: model -> (make, field to change, new value)."""

from __future__ import annotations

from datetime import date

from biys.core.models import CalendarDay

FACTORIES = {
    CalendarDay: (
        lambda: CalendarDay.objects.create(date=date(2026, 4, 24), kind="day_off", description="İdari izin"),
        "description",
        "Köprü günü",
    ),
}
