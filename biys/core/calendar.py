"""Business time for SLAs and legal deadlines: working hours, Turkish public holidays and idari izin.

Working time is Monday–Friday (657 sayılı DMK md. 99: 40 hours a week, Saturday and Sunday off) in the daily
blocks set under DMK md. 100, by default 08:30–12:30 and 13:30–17:30 with the lunch break not counted.

Public holidays come from the ``holidays`` package (2429 sayılı Kanun). Its ``HALF_DAY`` category holds the days
whose holiday starts at 13:00 (md. 1: 28 Ekim; md. 2: the arife of Ramazan and Kurban Bayramı), named
"... (saat 13.00'ten)"; on those days only working time before 13:00 counts. Extra days off (idari izin granted
by a Cumhurbaşkanlığı genelgesi), afternoon-off days and extra working days are admin-edited ``CalendarDay`` rows,
passed to :class:`BusinessCalendar` as a plain mapping so the logic here needs no database.

All datetimes are aware; naive datetimes are rejected with ``ValueError`` because guessing their zone silently
shifts SLA deadlines by three hours when a UTC value slips through. Results are in Europe/Istanbul.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from biys.core.caching import ProcessCache

__all__ = [
    "ISTANBUL",
    "BusinessCalendar",
    "DayKind",
    "WorkingHours",
    "get_calendar",
]

ISTANBUL = ZoneInfo("Europe/Istanbul")

Block = tuple[time, time]
Interval = tuple[datetime, datetime]

# A calendar with working hours always has a working day within a week; a year without one means the
# configuration (or the exception table) leaves no working time at all, and looping on would never end.
_MAX_IDLE_DAYS = 366
_DEFAULT_EXCEPTION_NAME = "İdari izin"


class DayKind(StrEnum):
    """Kinds of admin-entered calendar exceptions; the values match ``CalendarDay.Kind``."""

    DAY_OFF = "day_off"
    HALF_DAY = "half_day"
    WORKING_DAY = "working_day"


def _validate_blocks(blocks: tuple[Block, ...]) -> None:
    if not blocks:
        raise ValueError("working hours need at least one block")
    previous_end: time | None = None
    for start, end in blocks:
        if start >= end:
            raise ValueError(f"working hours block {start}-{end} does not end after it starts")
        if previous_end is not None and start < previous_end:
            raise ValueError("working hours blocks must be in order and must not overlap")
        previous_end = end


@dataclass(frozen=True)
class WorkingHours:
    """Daily working blocks, the weekdays they apply to, and where a half day (afternoon off) ends.

    ``half_day_cutoff`` is 13:00 because 2429 sayılı Kanun starts the half-day holidays "saat 13.00'ten";
    on such a day the parts of blocks before the cutoff remain (08:30–12:30 with the default hours).
    """

    blocks: tuple[Block, ...] = ((time(8, 30), time(12, 30)), (time(13, 30), time(17, 30)))
    half_day_cutoff: time = time(13, 0)
    weekdays: frozenset[int] = field(default=frozenset(range(5)))  # Monday=0 … Friday=4

    def __post_init__(self) -> None:
        _validate_blocks(self.blocks)
        if not self.weekdays <= frozenset(range(7)):
            raise ValueError("weekdays must be between 0 (Monday) and 6 (Sunday)")

    @classmethod
    def parse(cls, spec: str) -> WorkingHours:
        """Parse the ``BIYS_WORKING_HOURS`` setting format: ``"08:30-12:30,13:30-17:30"``."""
        blocks: list[Block] = []
        for part in spec.split(","):
            start, sep, end = part.strip().partition("-")
            if not sep:
                raise ValueError(f"invalid working hours block {part!r}, expected HH:MM-HH:MM")
            blocks.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
        return cls(blocks=tuple(blocks))

    def half_day_blocks(self) -> tuple[Block, ...]:
        """The blocks, cut at ``half_day_cutoff``."""
        cutoff = self.half_day_cutoff
        return tuple((start, min(end, cutoff)) for start, end in self.blocks if start < cutoff)


@dataclass(frozen=True)
class _YearHolidays:
    full: Mapping[date, str]
    half: Mapping[date, str]


@functools.lru_cache(maxsize=32)
def _holidays_for_year(year: int) -> _YearHolidays:
    """Public holidays of one year, split into full days and half days (cached: building them is slow).

    The package puts the half days in their own category, so two lookups tell them apart without parsing the
    "(saat 13.00'ten)" suffix. A date that is both (never so far) counts as a full holiday.
    """
    full = dict(holidays.country_holidays("TR", years=year, categories=(holidays.PUBLIC,), language="tr"))
    half = holidays.country_holidays("TR", years=year, categories=(holidays.HALF_DAY,), language="tr")
    return _YearHolidays(full=full, half={day: name for day, name in half.items() if day not in full})


def _to_local(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} given; business time needs aware datetimes")
    return value.astimezone(ISTANBUL)


def _as_timedelta(hours: float | timedelta) -> timedelta:
    delta = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
    if delta < timedelta(0):
        raise ValueError("business hours to add must not be negative")
    return delta


class BusinessCalendar:
    """Working days and working time in Europe/Istanbul.

    ``exceptions`` maps dates to :class:`DayKind` values (``CalendarDay`` rows). ``WORKING_DAY`` always wins
    (the office is staffed that day, even on a weekend or holiday); ``DAY_OFF`` and ``HALF_DAY`` are idari izin
    and are ignored when ``observe_idari_izin`` is false. ``count_half_days=False`` treats the statutory half
    days (arife, 28 Ekim) as full working days. Both switches exist because an SLA policy may choose to keep
    its clock running on those days.
    """

    def __init__(
        self,
        hours: WorkingHours | None = None,
        exceptions: Mapping[date, str] | None = None,
        count_half_days: bool = True,
        observe_idari_izin: bool = True,
        exception_names: Mapping[date, str] | None = None,
    ) -> None:
        self.hours = hours if hours is not None else WorkingHours()
        self.count_half_days = count_half_days
        self.observe_idari_izin = observe_idari_izin
        # DayKind(...) rejects unknown kinds early, instead of silently treating them as ordinary days.
        self._exceptions = {day: DayKind(kind) for day, kind in (exceptions or {}).items()}
        self._exception_names = dict(exception_names or {})
        self._half_blocks = self.hours.half_day_blocks()

    def _blocks(self, day: date) -> tuple[Block, ...]:
        kind = self._exceptions.get(day)
        if kind is DayKind.WORKING_DAY:
            return self.hours.blocks
        year = _holidays_for_year(day.year)
        if day.weekday() not in self.hours.weekdays or day in year.full:
            return ()
        idari_izin = kind if self.observe_idari_izin else None
        if idari_izin is DayKind.DAY_OFF:
            return ()
        if idari_izin is DayKind.HALF_DAY or (self.count_half_days and day in year.half):
            return self._half_blocks
        return self.hours.blocks

    def is_business_day(self, d: date) -> bool:
        """Whether ``d`` has any working time (a half day is a business day)."""
        return bool(self._blocks(d))

    def working_intervals(self, d: date) -> list[Interval]:
        """The working time of ``d`` as ordered, aware (Europe/Istanbul) intervals; empty on a day off."""
        return [
            (datetime.combine(d, start, tzinfo=ISTANBUL), datetime.combine(d, end, tzinfo=ISTANBUL))
            for start, end in self._blocks(d)
        ]

    def is_working_time(self, moment: datetime) -> bool:
        """Whether ``moment`` falls inside a working interval (start inclusive, end exclusive)."""
        local = _to_local(moment)
        return any(start <= local < end for start, end in self.working_intervals(local.date()))

    def _intervals_from(self, day: date) -> Iterator[Interval]:
        idle_days = 0
        while True:
            intervals = self.working_intervals(day)
            idle_days = 0 if intervals else idle_days + 1
            if idle_days > _MAX_IDLE_DAYS:
                raise ValueError(f"no working time in the year after {day - timedelta(days=idle_days)}")
            yield from intervals
            day += timedelta(days=1)

    def add_business_days(self, start: date | datetime, days: int) -> date:
        """The date ``days`` business days after ``start``.

        The start day itself never counts (as for legal deadlines, HMK md. 92: "başladığı gün hesaba katılmaz"),
        so a request on Saturday plus one business day is Monday; ``days=0`` returns the start date.
        """
        if days < 0:
            raise ValueError("business days to add must not be negative")
        day = _to_local(start).date() if isinstance(start, datetime) else start
        idle_days = 0
        while days > 0:
            day += timedelta(days=1)
            if self.is_business_day(day):
                days, idle_days = days - 1, 0
            elif (idle_days := idle_days + 1) > _MAX_IDLE_DAYS:
                raise ValueError(f"no business day in the year after {day - timedelta(days=idle_days)}")
        return day

    def add_business_hours(self, start: datetime, hours: float | timedelta) -> datetime:
        """The moment after ``hours`` of working time counted from ``start``.

        A deadline that uses up a block exactly ends at the block's end (12:30, not 13:30). Adding zero returns
        ``start`` itself, even outside working time.
        """
        remaining = _as_timedelta(hours)
        current = _to_local(start)
        if not remaining:
            return current
        for block_start, block_end in self._intervals_from(current.date()):
            if block_end <= current:
                continue
            begin = max(block_start, current)
            available = block_end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        raise AssertionError("unreachable: _intervals_from never ends")  # pragma: no cover

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in ``[start, end)``; zero if ``end`` is not after ``start``."""
        start, end = _to_local(start), _to_local(end)
        total = timedelta(0)
        day = start.date()
        while day <= end.date():
            for block_start, block_end in self.working_intervals(day):
                overlap = min(block_end, end) - max(block_start, start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def holiday_name(self, d: date) -> str | None:
        """The Turkish name of the public holiday on ``d`` (half days end in "(saat 13.00'ten)"), else the
        description of an idari izin exception, else ``None``."""
        year = _holidays_for_year(d.year)
        name = year.full.get(d) or year.half.get(d)
        if name:
            return name
        if self._exceptions.get(d) in (DayKind.DAY_OFF, DayKind.HALF_DAY):
            return self._exception_names.get(d) or _DEFAULT_EXCEPTION_NAME
        return None


# The exception table is small and changes a few times a year, but SLA arithmetic asks for it on every ticket
# save. Each process keeps it for EXCEPTIONS_TTL seconds; a save or delete in this process clears it at once,
# so another worker sees an admin's edit within the TTL.
EXCEPTIONS_TTL = 30.0
_exceptions_cache: ProcessCache[tuple[dict[date, str], dict[date, str]]] = ProcessCache(EXCEPTIONS_TTL)
clear_exceptions_cache = _exceptions_cache.clear


def _exceptions(model: Any) -> tuple[dict[date, str], dict[date, str]]:
    def load() -> tuple[dict[date, str], dict[date, str]]:
        exceptions: dict[date, str] = {}
        names: dict[date, str] = {}
        for day, kind, description in model.objects.values_list("date", "kind", "description"):
            exceptions[day] = kind
            names[day] = description
        return exceptions, names

    return _exceptions_cache.get(load)


def get_calendar(
    *,
    hours: WorkingHours | None = None,
    count_half_days: bool = True,
    observe_idari_izin: bool = True,
) -> BusinessCalendar:
    """The calendar with exceptions from the ``CalendarDay`` table and hours from ``BIYS_WORKING_HOURS``.

    The table is cached per process for ``EXCEPTIONS_TTL`` seconds (cleared at once by a save or delete in
    the same process); callers doing many computations may keep the returned calendar for one request or task.
    """
    from django.conf import settings

    from biys.core.models import CalendarDay

    if hours is None:
        spec = getattr(settings, "BIYS_WORKING_HOURS", None)
        hours = WorkingHours.parse(spec) if isinstance(spec, str) and spec.strip() else WorkingHours()
    exceptions, names = _exceptions(CalendarDay)
    return BusinessCalendar(
        hours=hours,
        exceptions=exceptions,
        count_half_days=count_half_days,
        observe_idari_izin=observe_idari_izin,
        exception_names=names,
    )
