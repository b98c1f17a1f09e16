"""Tests for business time (biys.core.calendar); the pure calendar needs no database.

Weekdays used below (checked in test_weekday_facts): 2026-01-01 Thu, 2026-01-12 Mon, 2026-03-19 Thu,
2026-05-22 Fri, 2026-05-26 Tue, 2026-05-30 Sat, 2026-06-01 Mon, 2026-10-28 Wed, 2026-12-31 Thu,
2027-01-04 Mon, 2027-05-15 Sat.
"""

from __future__ import annotations

import time as time_module
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from biys.core.calendar import ISTANBUL, BusinessCalendar, DayKind, WorkingHours

H = timedelta(hours=1)
CAL = BusinessCalendar()


def ist(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ISTANBUL)


def test_weekday_facts() -> None:
    mon, tue, wed, thu, fri, sat = range(6)
    assert date(2026, 1, 1).weekday() == thu
    assert date(2026, 1, 12).weekday() == mon
    assert date(2026, 3, 19).weekday() == thu
    assert date(2026, 5, 22).weekday() == fri
    assert date(2026, 5, 26).weekday() == tue
    assert date(2026, 5, 30).weekday() == sat
    assert date(2026, 6, 1).weekday() == mon
    assert date(2026, 10, 28).weekday() == wed
    assert date(2026, 12, 31).weekday() == thu
    assert date(2027, 1, 4).weekday() == mon
    assert date(2027, 5, 15).weekday() == sat


# --- what the holidays package says (2429 sayılı Kanun) -------------------------------------------------------


def test_bayram_2026_from_the_package() -> None:
    # Ramazan Bayramı 2026: arife Thu 19 March from 13:00, bayram 20–22 March.
    assert "13.00" in (CAL.holiday_name(date(2026, 3, 19)) or "")
    assert [CAL.holiday_name(date(2026, 3, d)) for d in (20, 21, 22)] == ["Ramazan Bayramı"] * 3
    assert CAL.holiday_name(date(2026, 3, 23)) is None
    # Kurban Bayramı 2026: arife Tue 26 May from 13:00, bayram 27–30 May.
    assert CAL.holiday_name(date(2026, 5, 26)) == "Kurban Bayramı (saat 13.00'ten)"
    assert [CAL.holiday_name(date(2026, 5, d)) for d in (27, 28, 29, 30)] == ["Kurban Bayramı"] * 4
    assert CAL.holiday_name(date(2026, 5, 25)) is None


def test_half_days_keep_the_morning_only() -> None:
    for arife in (date(2026, 3, 19), date(2026, 5, 26), date(2026, 10, 28)):
        assert CAL.is_business_day(arife)
        assert CAL.working_intervals(arife) == [
            (datetime.combine(arife, time(8, 30), ISTANBUL), datetime.combine(arife, time(12, 30), ISTANBUL))
        ]
    for bayram in (date(2026, 3, 20), date(2026, 5, 27), date(2026, 5, 29), date(2026, 10, 29)):
        assert not CAL.is_business_day(bayram)
        assert CAL.working_intervals(bayram) == []


def test_arife_on_a_weekend_is_not_a_business_day() -> None:
    assert "13.00" in (CAL.holiday_name(date(2027, 5, 15)) or "")  # Kurban arife 2027, a Saturday
    assert not CAL.is_business_day(date(2027, 5, 15))


# --- business days -------------------------------------------------------------------------------------------


def test_add_business_days_around_kurban_bayrami_2026() -> None:
    friday = date(2026, 5, 22)
    # Mon 25 (1), Tue 26 arife, a half day but a business day (2); Wed 27 – Sat 30 bayram, Sun 31; Mon 1 June (3).
    assert CAL.add_business_days(friday, 1) == date(2026, 5, 25)
    assert CAL.add_business_days(friday, 2) == date(2026, 5, 26)
    assert CAL.add_business_days(friday, 3) == date(2026, 6, 1)
    # From Mon 25 May: 26 May (1), 1 June (2), 2 June (3).
    assert CAL.add_business_days(date(2026, 5, 25), 3) == date(2026, 6, 2)


def test_add_business_days_edges() -> None:
    saturday = date(2026, 1, 10)
    assert CAL.add_business_days(saturday, 0) == saturday  # zero days: the start date itself
    assert CAL.add_business_days(saturday, 1) == date(2026, 1, 12)  # the start day never counts
    # A datetime counts from its Istanbul date: 2026-01-09 22:30 UTC is Saturday 01:30 in Istanbul.
    assert CAL.add_business_days(datetime(2026, 1, 9, 22, 30, tzinfo=UTC), 1) == date(2026, 1, 12)
    # 31 Dec 2026 (Thu) + 1: 1 Jan 2027 (Fri) is Yılbaşı, 2–3 Jan weekend → Mon 4 Jan 2027.
    assert CAL.add_business_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    with pytest.raises(ValueError, match="negative"):
        CAL.add_business_days(saturday, -1)
    with pytest.raises(ValueError, match="naive"):
        CAL.add_business_days(datetime(2026, 1, 9, 10, 0), 1)


# --- business hours ------------------------------------------------------------------------------------------


def test_add_business_hours_over_kurban_bayrami() -> None:
    # Tue 26 May 10:00–12:30 uses 2h30 (arife: the afternoon is off); 27–30 May bayram, 31 May Sunday;
    # the remaining 1h30 runs from Mon 1 June 08:30 to 10:00.
    assert CAL.add_business_hours(ist(2026, 5, 26, 10), 4) == ist(2026, 6, 1, 10)
    # Using up the arife morning exactly ends at 12:30, not at the next working moment.
    assert CAL.add_business_hours(ist(2026, 5, 26, 10), timedelta(hours=2, minutes=30)) == ist(2026, 5, 26, 12, 30)


def test_28_ekim_afternoon_and_29_ekim() -> None:
    # 28 Ekim is a working morning only: 09:00–12:30 = 3h30; 29 Ekim (Thu) is Cumhuriyet Bayramı.
    assert CAL.business_time_between(ist(2026, 10, 28, 9), ist(2026, 10, 28, 17)) == timedelta(hours=3, minutes=30)
    assert CAL.holiday_name(date(2026, 10, 29)) == "Cumhuriyet Bayramı"
    assert CAL.business_time_between(ist(2026, 10, 29), ist(2026, 10, 30)) == timedelta(0)
    # Wed 28 12:00 + 1h: 30 min to 12:30, 29 off, Fri 30 08:30 + 30 min = 09:00.
    assert CAL.add_business_hours(ist(2026, 10, 28, 12), 1) == ist(2026, 10, 30, 9)


def test_year_boundary() -> None:
    # Thu 31 Dec 2026 16:00–17:30 uses 1h30; 1 Jan 2027 Yılbaşı (Fri), 2–3 Jan weekend;
    # Mon 4 Jan 2027 08:30 + 1h30 = 10:00.
    assert CAL.add_business_hours(ist(2026, 12, 31, 16), 3) == ist(2027, 1, 4, 10)
    assert CAL.business_time_between(ist(2026, 12, 31, 16), ist(2027, 1, 4, 10)) == 3 * H


def test_lunch_break_is_not_counted() -> None:
    monday = (2026, 1, 12)
    # 12:00–12:30 and 13:30–14:00.
    assert CAL.business_time_between(ist(*monday, 12), ist(*monday, 14)) == H
    assert CAL.add_business_hours(ist(*monday, 12), 1) == ist(*monday, 14)
    assert CAL.add_business_hours(ist(*monday, 12), 0.5) == ist(*monday, 12, 30)
    assert CAL.add_business_hours(ist(*monday, 12, 45), 0.5) == ist(*monday, 14)  # start inside the break
    assert CAL.business_time_between(ist(*monday, 12, 30), ist(*monday, 13, 30)) == timedelta(0)


def test_starts_outside_working_hours() -> None:
    assert CAL.add_business_hours(ist(2026, 1, 12, 7), 1) == ist(2026, 1, 12, 9, 30)  # before 08:30
    assert CAL.add_business_hours(ist(2026, 1, 12, 18), 1) == ist(2026, 1, 13, 9, 30)  # after 17:30
    assert CAL.add_business_hours(ist(2026, 1, 10, 11), 1) == ist(2026, 1, 12, 9, 30)  # Saturday
    assert CAL.add_business_hours(ist(2026, 1, 12, 17), 8) == ist(2026, 1, 13, 17)  # 30 min + a day less 30 min
    assert CAL.add_business_hours(ist(2026, 1, 10, 11), 0) == ist(2026, 1, 10, 11)  # zero: unchanged


def test_week_and_year_totals() -> None:
    # DMK md. 99: 40 hours a week.
    assert CAL.business_time_between(ist(2026, 1, 12), ist(2026, 1, 17)) == 40 * H
    # 2026: 261 weekdays (365 days from a Thursday: 52 weeks + one Thursday). Full holidays on weekdays: 1 Jan,
    # 20 Mar, 23 Apr, 1 May, 19 May, 27–29 May, 15 Jul, 29 Oct = 10 → 251 business days, 3 of them half days
    # (19 Mar, 26 May, 28 Oct): 248 * 8h + 3 * 4h = 1996h.
    started = time_module.perf_counter()
    assert CAL.business_time_between(ist(2026, 1, 1), ist(2027, 1, 1)) == 1996 * H
    assert CAL.add_business_hours(ist(2026, 1, 1), 1996) == ist(2026, 12, 31, 17, 30)
    assert time_module.perf_counter() - started < 1.0  # day by day, never minute by minute


def test_add_business_hours_is_fast() -> None:
    CAL.add_business_hours(ist(2026, 1, 5, 9), 1)  # warm the per-year holiday cache
    started = time_module.perf_counter()
    end = CAL.add_business_hours(ist(2026, 1, 5, 9), 1000)
    assert time_module.perf_counter() - started < 0.2
    assert CAL.business_time_between(ist(2026, 1, 5, 9), end) == 1000 * H


def test_time_zones() -> None:
    # 06:00 UTC is 09:00 in Istanbul (UTC+3); results come back in Istanbul time.
    result = CAL.add_business_hours(datetime(2026, 1, 12, 6, tzinfo=UTC), 1)
    assert result == ist(2026, 1, 12, 10)
    assert result.tzinfo == ISTANBUL
    assert CAL.working_intervals(date(2026, 1, 12))[0][0].utcoffset() == timedelta(hours=3)
    with pytest.raises(ValueError, match="naive"):
        CAL.add_business_hours(datetime(2026, 1, 12, 9), 1)
    with pytest.raises(ValueError, match="naive"):
        CAL.business_time_between(datetime(2026, 1, 12, 9), ist(2026, 1, 12, 10))
    with pytest.raises(ValueError, match="negative"):
        CAL.add_business_hours(ist(2026, 1, 12, 9), -1)


def test_end_before_start_is_zero() -> None:
    assert CAL.business_time_between(ist(2026, 1, 13, 10), ist(2026, 1, 12, 10)) == timedelta(0)


def test_is_working_time() -> None:
    assert CAL.is_working_time(ist(2026, 1, 12, 8, 30))
    assert not CAL.is_working_time(ist(2026, 1, 12, 12, 30))
    assert not CAL.is_working_time(ist(2026, 5, 26, 14))  # arife afternoon
    assert BusinessCalendar(count_half_days=False).is_working_time(ist(2026, 5, 26, 14))


# --- exceptions (CalendarDay) and options -------------------------------------------------------------------


def test_idari_izin_day_off() -> None:
    izin = {date(2026, 1, 2): "day_off"}  # Fri 2 Jan 2026, between Yılbaşı and the weekend
    cal = BusinessCalendar(exceptions=izin, exception_names={date(2026, 1, 2): "Yılbaşı idari izni"})
    assert not cal.is_business_day(date(2026, 1, 2))
    assert cal.add_business_days(date(2025, 12, 31), 1) == date(2026, 1, 5)
    assert cal.holiday_name(date(2026, 1, 2)) == "Yılbaşı idari izni"
    assert BusinessCalendar(exceptions=izin).holiday_name(date(2026, 1, 2)) == "İdari izin"
    ignoring = BusinessCalendar(exceptions=izin, observe_idari_izin=False)
    assert ignoring.is_business_day(date(2026, 1, 2))
    assert ignoring.add_business_days(date(2025, 12, 31), 1) == date(2026, 1, 2)


def test_working_day_on_a_saturday() -> None:
    saturday = date(2026, 1, 10)
    for observe in (True, False):
        cal = BusinessCalendar(exceptions={saturday: DayKind.WORKING_DAY}, observe_idari_izin=observe)
        assert cal.is_business_day(saturday)
        assert cal.add_business_hours(ist(2026, 1, 10, 10), 1) == ist(2026, 1, 10, 11)
        assert cal.add_business_days(date(2026, 1, 9), 1) == saturday
        assert cal.business_time_between(ist(2026, 1, 10), ist(2026, 1, 11)) == 8 * H


def test_working_day_overrides_a_half_day() -> None:
    cal = BusinessCalendar(exceptions={date(2026, 5, 26): "working_day"})
    assert cal.business_time_between(ist(2026, 5, 26), ist(2026, 5, 27)) == 8 * H


def test_half_day_exception() -> None:
    wednesday = date(2026, 1, 14)
    cal = BusinessCalendar(exceptions={wednesday: "half_day"})
    assert cal.business_time_between(ist(2026, 1, 14, 9), ist(2026, 1, 14, 17)) == timedelta(hours=3, minutes=30)
    ignoring = BusinessCalendar(exceptions={wednesday: "half_day"}, observe_idari_izin=False)
    # 09:00–12:30 and 13:30–17:00.
    assert ignoring.business_time_between(ist(2026, 1, 14, 9), ist(2026, 1, 14, 17)) == 7 * H


def test_unknown_exception_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="holiday"):
        BusinessCalendar(exceptions={date(2026, 1, 14): "holiday"})


def test_count_half_days_false() -> None:
    cal = BusinessCalendar(count_half_days=False)
    # 28 Ekim counts fully: 09:00–12:30 and 13:30–17:00.
    assert cal.business_time_between(ist(2026, 10, 28, 9), ist(2026, 10, 28, 17)) == 7 * H
    # Arife 26 May: 10:00–12:30 (2h30) then 13:30 + 1h30 = 15:00.
    assert cal.add_business_hours(ist(2026, 5, 26, 10), 4) == ist(2026, 5, 26, 15)
    assert not cal.is_business_day(date(2026, 5, 27))  # the bayram itself stays off


# --- working hours -------------------------------------------------------------------------------------------


def test_working_hours_parse_and_validation() -> None:
    assert WorkingHours.parse("08:30-12:30,13:30-17:30") == WorkingHours()
    assert WorkingHours.parse(" 09:00 - 18:00 ").blocks == ((time(9), time(18)),)
    for bad in ("", "08:30", "12:30-08:30", "08:00-12:00,11:00-15:00", "13:00-17:00,08:00-12:00", "8h-12h"):
        with pytest.raises(ValueError):
            WorkingHours.parse(bad)
    with pytest.raises(ValueError, match="weekdays"):
        WorkingHours(weekdays=frozenset({7}))


def test_custom_hours_and_half_day_cutoff() -> None:
    cal = BusinessCalendar(hours=WorkingHours.parse("09:00-18:00"))
    assert cal.business_time_between(ist(2026, 1, 12), ist(2026, 1, 13)) == 9 * H
    # A single block is cut at 13:00 on a half day.
    assert cal.business_time_between(ist(2026, 5, 26), ist(2026, 5, 27)) == 4 * H
    six_days = BusinessCalendar(hours=WorkingHours(weekdays=frozenset(range(6))))
    assert six_days.is_business_day(date(2026, 1, 10))
    assert not six_days.is_business_day(date(2026, 1, 11))


def test_calendar_without_working_time_does_not_loop_forever() -> None:
    cal = BusinessCalendar(hours=WorkingHours(weekdays=frozenset()))
    with pytest.raises(ValueError, match="no working time"):
        cal.add_business_hours(ist(2026, 1, 12, 9), 1)
    with pytest.raises(ValueError, match="no business day"):
        cal.add_business_days(date(2026, 1, 12), 1)


# --- properties ----------------------------------------------------------------------------------------------

# Europe/Istanbul has had no DST since 2016, so every wall-clock time in this range exists exactly once.
moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(ISTANBUL))
hour_amounts = st.one_of(
    st.floats(min_value=0, max_value=200, allow_nan=False),
    st.timedeltas(min_value=timedelta(0), max_value=200 * H),
)
exception_tables = st.dictionaries(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31)),
    st.sampled_from([kind.value for kind in DayKind]),
    max_size=30,
)
calendars = st.builds(
    BusinessCalendar,
    exceptions=exception_tables,
    count_half_days=st.booleans(),
    observe_idari_izin=st.booleans(),
)


def _as_delta(hours: float | timedelta) -> timedelta:
    return hours if isinstance(hours, timedelta) else timedelta(hours=hours)


@given(start=moments, hours=hour_amounts)
def test_between_inverts_add_from_working_time(start: datetime, hours: float | timedelta) -> None:
    start = CAL.add_business_hours(start, timedelta(microseconds=1))  # move into working time
    assume(CAL.is_working_time(start))
    assert CAL.business_time_between(start, CAL.add_business_hours(start, hours)) == _as_delta(hours)


@given(cal=calendars, start=moments, hours=hour_amounts)
def test_between_inverts_add_anywhere(cal: BusinessCalendar, start: datetime, hours: float | timedelta) -> None:
    end = cal.add_business_hours(start, hours)
    assert end >= start
    assert cal.business_time_between(start, end) == _as_delta(hours)
    if end > start:
        # The deadline is the earliest such moment: it lies at the end of or inside working time.
        assert cal.is_working_time(end - timedelta(microseconds=1))


@given(cal=calendars, start=moments, span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)))
def test_add_inverts_between(cal: BusinessCalendar, start: datetime, span: timedelta) -> None:
    # An end whose last microsecond is working time is exactly the deadline of the working time before it.
    end = cal.add_business_hours(start + span, timedelta(microseconds=1))
    assert cal.is_working_time(end - timedelta(microseconds=1))
    assert cal.add_business_hours(start, cal.business_time_between(start, end)) == end


@given(cal=calendars, start=moments, split=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)))
def test_between_is_additive(cal: BusinessCalendar, start: datetime, split: timedelta) -> None:
    middle, end = start + split, start + 2 * split
    total = cal.business_time_between(start, end)
    assert total == cal.business_time_between(start, middle) + cal.business_time_between(middle, end)
    assert total <= end - start


@given(cal=calendars, start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
def test_add_business_days_lands_on_business_days(cal: BusinessCalendar, start: date) -> None:
    for days in (1, 2, 5):
        result = cal.add_business_days(start, days)
        assert cal.is_business_day(result)
        business_days_between = [
            start + timedelta(days=offset)
            for offset in range(1, (result - start).days + 1)
            if cal.is_business_day(start + timedelta(days=offset))
        ]
        assert len(business_days_between) == days
