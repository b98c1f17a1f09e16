"""SLA arithmetic through the ticket's own transitions, at explicit moments (Europe/Istanbul).

Working time is 08:30–12:30 and 13:30–17:30 (8 hours a day); a half day keeps only 08:30–12:30 (4 hours,
2429 sayılı Kanun: the holiday starts at 13:00). The standard policy of ``make_desk`` gives, in business hours,
(response, resolution): Critical (1, 4), High (2, 8), Normal (4, 16), Low (8, 40); warnings at 80 %.

The 2026 holidays used here, as the ``holidays`` package gives them (checked in the first test):
Ramazan Bayramı arife Thu 19.03 (half), bayram Fri 20.03 – Sun 22.03; 19 Mayıs Tue 19.05; Kurban Bayramı
arife Tue 26.05 (half), bayram Wed 27.05 – Sat 30.05; 28 Ekim Wed 28.10 (half) and 29 Ekim Thu 29.10;
1 Ocak 2027 is a Friday.

Every expected value is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import holidays
import pytest
from django.core.exceptions import ValidationError

from biys.core.calendar import ISTANBUL
from biys.core.models import CalendarDay, ChangeLogEntry
from biys.servicedesk import services, sla
from biys.servicedesk.choices import FollowUpKind, Priority, Status
from biys.servicedesk.models import ServiceItem, SlaPolicy, SlaTarget, Ticket

from .fixtures import Desk, make_desk, make_item, make_policy, open_ticket

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)


def t(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ISTANBUL)


@pytest.fixture
def desk() -> Desk:
    return make_desk()


def opened(desk: Desk, at: datetime, priority: int = Priority.NORMAL, **policy_flags: Any) -> Ticket:
    """A ticket opened at ``at``; with ``policy_flags`` its item has its own policy with those flags."""
    item = desk.item
    if policy_flags:
        policy = make_policy(f"Politika {SlaPolicy.objects.count()}", is_default=False, **policy_flags)
        item = make_item(desk.support, name="Özel", policy=policy)
    extra: dict[str, Any] = {"item": item}
    if priority != item.default_priority:
        extra.update(priority=priority, by=desk.technician)
    return open_ticket(desk, at=at, **extra)


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


# -- the calendar this file relies on --------------------------------------------------------------------------------


def test_the_2026_holidays_are_where_this_file_expects_them() -> None:
    public = holidays.country_holidays("TR", years=[2026, 2027], categories=(holidays.PUBLIC,))
    half = holidays.country_holidays("TR", years=2026, categories=(holidays.HALF_DAY,))
    assert set(half) == {date(2026, 3, 19), date(2026, 5, 26), date(2026, 10, 28)}
    ramazan = [date(2026, 3, d) for d in (20, 21, 22)]
    kurban = [date(2026, 5, d) for d in (27, 28, 29, 30)]
    for day in [*ramazan, *kurban, date(2026, 5, 19), date(2026, 10, 29), date(2027, 1, 1)]:
        assert day in public, day
    assert date(2026, 12, 31) not in public and date(2026, 12, 31) not in half


# -- opening: weekends, lunch, evenings ------------------------------------------------------------------------------


def test_a_friday_afternoon_ticket_runs_over_the_weekend(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 20, 16))  # Friday 16:00
    # response 4 h: Fri 16:00–17:30 = 1.5 h, Mon 23.11 08:30 + 2.5 h = 11:00
    assert ticket.response_due == t(2026, 11, 23, 11)
    # resolution 16 h: Fri 1.5 + Mon 8 = 9.5, Tue 24.11 08:30–12:30 = 13.5, 13:30 + 2.5 h = 16:00
    assert ticket.resolution_due == t(2026, 11, 24, 16)
    # warning at 80 % of 16 h = 12.8 h = 12 h 48 min: Fri 1.5 + Mon 8 = 9.5, Tue 08:30 + 3 h 18 min = 11:48
    assert ticket.resolution_warn_at == t(2026, 11, 24, 11, 48)


def test_a_saturday_ticket_starts_on_monday_and_a_full_block_ends_at_1230(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 21, 10))  # Saturday
    assert ticket.response_due == t(2026, 11, 23, 12, 30)  # Mon 08:30 + 4 h uses the morning exactly
    assert ticket.resolution_due == t(2026, 11, 24, 17, 30)  # Mon 8 h + Tue 8 h


def test_lunch_and_evening_do_not_count(desk: Desk) -> None:
    lunch = opened(desk, t(2026, 11, 23, 12, 45))  # Monday lunch break
    assert lunch.response_due == t(2026, 11, 23, 17, 30)  # 13:30 + 4 h
    evening = opened(desk, t(2026, 11, 23, 18))  # Monday evening
    assert evening.response_due == t(2026, 11, 24, 12, 30)  # Tue 08:30 + 4 h
    critical = opened(desk, t(2026, 11, 23, 12), Priority.CRITICAL)
    # response 1 h: 12:00–12:30 = 0.5, 13:30 + 0.5 = 14:00; resolution 4 h: 0.5 + 13:30 + 3.5 = 17:00
    assert (critical.response_due, critical.resolution_due) == (t(2026, 11, 23, 14), t(2026, 11, 23, 17))


# -- holidays --------------------------------------------------------------------------------------------------------


def test_ramazan_bayrami_arife_counts_the_morning_only(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 3, 19, 10))  # arife, Thursday 10:00
    # response 4 h: Thu 10:00–12:30 = 2.5 (afternoon off), Fri–Sun bayram, Mon 23.03 08:30 + 1.5 = 10:00
    assert ticket.response_due == t(2026, 3, 23, 10)
    # resolution 16 h: Thu 2.5 + Mon 8 = 10.5, Tue 24.03 08:30–12:30 = 14.5, 13:30 + 1.5 = 15:00
    assert ticket.resolution_due == t(2026, 3, 24, 15)


def test_a_ticket_opened_on_the_arife_afternoon_waits_for_the_first_working_hour(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 3, 19, 14))  # arife afternoon: no working time until Monday
    assert ticket.response_due == t(2026, 3, 23, 12, 30)  # Mon 08:30 + 4 h
    assert ticket.resolution_due == t(2026, 3, 24, 17, 30)  # Mon 8 + Tue 8


def test_a_policy_that_counts_half_days_as_full_days(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 3, 19, 10), count_half_days=False)
    # the arife is a full day: 10:00–12:30 = 2.5, 13:30 + 1.5 = 15:00
    assert ticket.response_due == t(2026, 3, 19, 15)
    # resolution 16 h: Thu 2.5 + 4 = 6.5, Mon 23.03 8 = 14.5, Tue 24.03 08:30 + 1.5 = 10:00
    assert ticket.resolution_due == t(2026, 3, 24, 10)


def test_kurban_bayrami_arife_and_four_days_of_bayram(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 5, 26, 11))  # arife, Tuesday 11:00
    # response 4 h: Tue 11:00–12:30 = 1.5, Wed 27 – Sat 30 bayram, Sun, Mon 01.06 08:30 + 2.5 = 11:00
    assert ticket.response_due == t(2026, 6, 1, 11)
    # resolution 16 h: Tue 1.5 + Mon 8 = 9.5, Tue 02.06 08:30–12:30 = 13.5, 13:30 + 2.5 = 16:00
    assert ticket.resolution_due == t(2026, 6, 2, 16)


def test_a_long_target_over_kurban_bayrami(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 5, 25, 8, 30), Priority.LOW)  # Monday before the arife
    assert ticket.response_due == t(2026, 5, 25, 17, 30)  # 8 h: the whole Monday
    # 40 h: Mon 25 8, Tue 26 (arife) 4 = 12, Mon 01.06 8 = 20, Tue 02.06 8 = 28, Wed 03.06 8 = 36,
    # Thu 04.06 08:30 + 4 = 12:30
    assert ticket.resolution_due == t(2026, 6, 4, 12, 30)


def test_19_mayis_is_a_holiday(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 5, 18, 13, 30))  # Monday 13:30
    # response 4 h: Mon 13:30–17:30; resolution 16 h: Mon 4, Tue 19.05 off, Wed 20 8 = 12, Thu 21 08:30 + 4
    assert ticket.response_due == t(2026, 5, 18, 17, 30)
    assert ticket.resolution_due == t(2026, 5, 21, 12, 30)


def test_28_ekim_afternoon_and_29_ekim(desk: Desk) -> None:
    critical = opened(desk, t(2026, 10, 28, 9), Priority.CRITICAL)  # Wednesday 09:00, half day
    assert critical.response_due == t(2026, 10, 28, 10)  # 1 h in the morning
    # 4 h: 09:00–12:30 = 3.5, afternoon off, Thu 29 holiday, Fri 30.10 08:30 + 0.5 = 09:00
    assert critical.resolution_due == t(2026, 10, 30, 9)
    normal = opened(desk, t(2026, 10, 27, 15))  # Tuesday 15:00
    # response 4 h: Tue 15:00–17:30 = 2.5, Wed 28 08:30 + 1.5 = 10:00
    assert normal.response_due == t(2026, 10, 28, 10)
    # resolution 16 h: Tue 2.5, Wed 4 = 6.5, Thu off, Fri 30 8 = 14.5, Mon 02.11 08:30 + 1.5 = 10:00
    assert normal.resolution_due == t(2026, 11, 2, 10)


def test_28_ekim_afternoon_counts_when_the_policy_ignores_half_days(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 10, 28, 9), Priority.CRITICAL, count_half_days=False)
    assert ticket.resolution_due == t(2026, 10, 28, 14)  # 09:00–12:30 = 3.5, 13:30 + 0.5


def test_year_boundary(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 12, 31, 14))  # Thursday 31 December 14:00
    # response 4 h: Thu 14:00–17:30 = 3.5, Fri 01.01.2027 holiday, weekend, Mon 04.01 08:30 + 0.5 = 09:00
    assert ticket.response_due == t(2027, 1, 4, 9)
    # resolution 16 h: Thu 3.5 + Mon 8 = 11.5, Tue 05.01 08:30–12:30 = 15.5, 13:30 + 0.5 = 14:00
    assert ticket.resolution_due == t(2027, 1, 5, 14)


def test_a_pause_across_the_year_end(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 12, 31, 14))
    ticket.start(desk.technician, at=t(2026, 12, 31, 14))
    ticket.wait(Status.WAITING_REQUESTER, desk.technician, at=t(2026, 12, 31, 16))  # used 2 h
    ticket.resume(desk.technician, at=t(2027, 1, 4, 10))
    # paused: Thu 16:00–17:30 = 1.5 + Mon 08:30–10:00 = 1.5 → 3 h; 14 h left from Mon 10:00:
    # Mon 2.5 + 4 = 6.5, Tue 05.01 08:30–12:30 = 10.5, 13:30 + 3.5 = 17:00
    ticket = fresh(ticket)
    assert ticket.sla_paused_total == 3 * H
    assert ticket.resolution_due == t(2027, 1, 5, 17)


# -- idari izin (CalendarDay) ----------------------------------------------------------------------------------------


def test_an_idari_izin_day_off_stops_the_clock(desk: Desk) -> None:
    CalendarDay.objects.create(date=date(2026, 11, 9), kind=CalendarDay.Kind.DAY_OFF, description="İdari izin")
    ticket = opened(desk, t(2026, 11, 6, 13, 30))  # Friday 13:30
    assert ticket.response_due == t(2026, 11, 6, 17, 30)  # 4 h: the afternoon
    # 16 h: Fri 4, Mon 09.11 idari izin, Tue 10 8 = 12, Wed 11 08:30 + 4 = 12:30
    assert ticket.resolution_due == t(2026, 11, 11, 12, 30)


def test_a_policy_may_ignore_idari_izin(desk: Desk) -> None:
    CalendarDay.objects.create(date=date(2026, 11, 9), kind=CalendarDay.Kind.DAY_OFF, description="İdari izin")
    ticket = opened(desk, t(2026, 11, 6, 13, 30), observe_idari_izin=False)
    assert ticket.resolution_due == t(2026, 11, 10, 12, 30)  # Fri 4, Mon 8 = 12, Tue 08:30 + 4


def test_an_idari_izin_half_day_and_a_working_saturday(desk: Desk) -> None:
    CalendarDay.objects.create(date=date(2026, 11, 13), kind=CalendarDay.Kind.HALF_DAY, description="Yarım gün")
    CalendarDay.objects.create(date=date(2026, 11, 14), kind=CalendarDay.Kind.WORKING_DAY, description="Telafi")
    ticket = opened(desk, t(2026, 11, 12, 8, 30), Priority.LOW)  # Thursday
    assert ticket.response_due == t(2026, 11, 12, 17, 30)  # 8 h: Thursday
    # 40 h: Thu 8, Fri 13 half 4 = 12, Sat 14 worked 8 = 20, Mon 16 8 = 28, Tue 17 8 = 36, Wed 18 08:30 + 4
    assert ticket.resolution_due == t(2026, 11, 18, 12, 30)
    ignoring = opened(desk, t(2026, 11, 12, 8, 30), Priority.LOW, observe_idari_izin=False)
    # the half day counts in full, the extra working Saturday still counts (the office is staffed):
    # Thu 8, Fri 8 = 16, Sat 8 = 24, Mon 8 = 32, Tue 17 8 = 40 → 17:30
    assert ignoring.resolution_due == t(2026, 11, 17, 17, 30)


# -- pauses ----------------------------------------------------------------------------------------------------------


def test_a_pause_spanning_a_holiday_costs_nothing(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 3, 16, 8, 30))  # Monday before Ramazan Bayramı
    assert ticket.resolution_due == t(2026, 3, 17, 17, 30)  # 16 h: Mon + Tue
    ticket.start(desk.technician, at=t(2026, 3, 16, 9))
    ticket.wait(Status.WAITING_VENDOR, desk.technician, at=t(2026, 3, 17, 8, 30))  # used: Monday, 8 h
    ticket.resume(desk.technician, at=t(2026, 3, 23, 10))
    ticket = fresh(ticket)
    # paused: Tue 17 8 + Wed 18 8 + Thu 19 (arife) 4 + bayram 0 + Mon 23 08:30–10:00 1.5 = 21.5 h
    assert ticket.sla_paused_total == timedelta(hours=21, minutes=30)
    assert sla.active_time(ticket, t(2026, 3, 23, 10)) == 8 * H
    # 8 h left from Mon 10:00: 2.5 + 4 = 6.5, Tue 24.03 08:30 + 1.5 = 10:00
    assert ticket.resolution_due == t(2026, 3, 24, 10)
    assert not ticket.resolution_breached


def test_a_pause_over_the_bayram_itself_adds_only_the_working_minutes(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 3, 18, 8, 30))  # Wednesday
    ticket.start(desk.technician, at=t(2026, 3, 18, 8, 30))
    ticket.wait(Status.WAITING_REQUESTER, desk.technician, at=t(2026, 3, 19, 12))  # used: Wed 8 + Thu 3.5
    ticket.resume(desk.technician, at=t(2026, 3, 23, 8, 30))
    ticket = fresh(ticket)
    # paused: arife 12:00–12:30 only; the afternoon, the bayram and the weekend are not working time
    assert ticket.sla_paused_total == timedelta(minutes=30)
    # used 11.5 h → 4.5 h left from Mon 23.03 08:30: 08:30–12:30 = 4, 13:30 + 0.5 = 14:00
    assert ticket.resolution_due == t(2026, 3, 23, 14)


def test_several_pauses_add_up(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))  # Monday; due Tue 03.11 17:30
    ticket.start(desk.technician, at=t(2026, 11, 2, 8, 30))
    ticket.wait(Status.WAITING_REQUESTER, desk.technician, at=t(2026, 11, 2, 10))  # used 1.5
    ticket.resume(desk.technician, at=t(2026, 11, 2, 11))  # paused 1 h
    ticket.wait(Status.WAITING_VENDOR, desk.technician, at=t(2026, 11, 2, 14))  # used 1.5 + 1.5 + 0.5 = 3.5
    assert fresh(ticket).sla_paused_at == t(2026, 11, 2, 14)
    assert sla.state(fresh(ticket), t(2026, 11, 20, 9)) == "paused"  # a paused clock never shows late
    ticket.resume(desk.technician, at=t(2026, 11, 3, 9))  # paused 14:00–17:30 3.5 + Tue 08:30–09:00 0.5 = 4
    ticket = fresh(ticket)
    assert ticket.sla_paused_total == 5 * H
    assert sla.active_time(ticket, t(2026, 11, 3, 9)) == timedelta(hours=3, minutes=30)
    # 12.5 h left from Tue 09:00: 3.5 + 4 = 7.5, Wed 04.11 08:30–12:30 = 11.5, 13:30 + 1 = 14:30
    # (= the original Tue 17:30 moved by the 5 paused hours)
    assert ticket.resolution_due == t(2026, 11, 4, 14, 30)


def test_a_resume_on_the_arife_carries_the_rest_over_the_bayram(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 5, 21, 8, 30))  # Thursday before Kurban Bayramı
    ticket.start(desk.technician, at=t(2026, 5, 21, 8, 30))
    ticket.wait(Status.WAITING_REQUESTER, desk.technician, at=t(2026, 5, 21, 10, 30))  # used 2 h
    ticket.resume(desk.technician, at=t(2026, 5, 26, 12, 20))  # arife, 10 minutes before the holiday
    ticket = fresh(ticket)
    # paused: Thu 2 + 4, Fri 22 8, Mon 25 8, Tue 26 08:30–12:20 3 h 50 → 25 h 50 min
    assert ticket.sla_paused_total == timedelta(hours=25, minutes=50)
    # 14 h left: Tue 12:20–12:30 10 min, bayram, Mon 01.06 8 h (→ 5 h 50 left), Tue 02.06 08:30–12:30 4 h
    # (→ 1 h 50 left), 13:30 + 1 h 50 = 15:20
    assert ticket.resolution_due == t(2026, 6, 2, 15, 20)


def test_a_resume_after_hours_on_the_arife_starts_after_the_bayram(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 5, 21, 8, 30))
    ticket.start(desk.technician, at=t(2026, 5, 21, 8, 30))
    ticket.wait(Status.WAITING_REQUESTER, desk.technician, at=t(2026, 5, 21, 10, 30))  # used 2 h
    ticket.resume(desk.technician, at=t(2026, 5, 26, 17, 20))
    ticket = fresh(ticket)
    assert ticket.sla_paused_total == 26 * H  # Thu 6 + Fri 8 + Mon 8 + arife morning 4
    # 14 h left from the first working hour after the bayram: Mon 01.06 8, Tue 02.06 4 + 13:30 + 2 = 15:30
    assert ticket.resolution_due == t(2026, 6, 2, 15, 30)


def test_waiting_for_parts_does_not_pause_by_default(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))
    ticket.start(desk.technician, at=t(2026, 11, 2, 8, 30))
    ticket.wait(Status.WAITING_PARTS, desk.technician, at=t(2026, 11, 2, 10))
    assert fresh(ticket).sla_paused_at is None
    assert sla.state(fresh(ticket), t(2026, 11, 3, 17, 31)) == "breached"  # the clock ran on
    ticket.resume(desk.technician, at=t(2026, 11, 3, 10))
    ticket = fresh(ticket)
    assert ticket.sla_paused_total == timedelta(0)
    assert ticket.resolution_due == t(2026, 11, 3, 17, 30)  # unchanged: Mon + Tue


def test_a_policy_may_pause_while_waiting_for_parts(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30), pause_on_parts=True)
    ticket.start(desk.technician, at=t(2026, 11, 2, 8, 30))
    ticket.wait(Status.WAITING_PARTS, desk.technician, at=t(2026, 11, 2, 10))  # used 1.5
    assert fresh(ticket).sla_paused_at == t(2026, 11, 2, 10)
    ticket.resume(desk.technician, at=t(2026, 11, 3, 10))  # paused: Mon 2.5 + 4 = 6.5, Tue 1.5 → 8 h
    ticket = fresh(ticket)
    assert ticket.sla_paused_total == 8 * H
    # 14.5 h left from Tue 10:00: 2.5 + 4 = 6.5, Wed 04.11 8 → 17:30 (the original due + 8 h)
    assert ticket.resolution_due == t(2026, 11, 4, 17, 30)


def test_a_transfer_of_a_waiting_ticket_restarts_its_clock(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))
    ticket.start(desk.technician, at=t(2026, 11, 2, 8, 30))
    ticket.wait(Status.WAITING_REQUESTER, desk.technician, at=t(2026, 11, 2, 12, 30))  # used 4 h
    ticket.transfer(desk.software, "Yazılım sorunu", desk.technician, at=t(2026, 11, 3, 8, 30))
    ticket = fresh(ticket)
    assert (ticket.status, ticket.sla_paused_at) == (Status.NEW, None)
    assert ticket.sla_paused_total == 4 * H  # Mon afternoon
    assert ticket.resolution_due == t(2026, 11, 4, 12, 30)  # 12 h left from Tue 08:30: Tue 8 + Wed 4


# -- priority, resolution, reopening ---------------------------------------------------------------------------------


def test_a_priority_change_keeps_the_time_already_used(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))  # Normal: response 12:30, resolution Tue 17:30
    assert ticket.response_due == t(2026, 11, 2, 12, 30)
    ticket.set_priority(Priority.HIGH, desk.technician, at=t(2026, 11, 2, 11, 30))  # used 3 h
    ticket = fresh(ticket)
    # High: resolution 8 h - 3 = 5 h from 11:30: 1 + 13:30 + 4 = 17:30 Monday
    assert ticket.resolution_due == t(2026, 11, 2, 17, 30)
    # response 2 h is already used up (3 h) and the old due (12:30) is still ahead: due now
    assert ticket.response_due == t(2026, 11, 2, 11, 30)
    # warning at 80 % of 8 h = 6 h 24 min - 3 h = 3 h 24 min: 11:30–12:30 1 h, 13:30 + 2 h 24 = 15:54
    assert ticket.resolution_warn_at == t(2026, 11, 2, 15, 54)
    ticket.set_priority(Priority.LOW, desk.technician, at=t(2026, 11, 2, 14, 30))  # used 3 + 1 + 1 = 5 h
    ticket = fresh(ticket)
    # Low: 40 - 5 = 35 h from Mon 14:30: Mon 3, Tue–Thu 24 = 27, Fri 06.11 8 → 17:30
    assert ticket.resolution_due == t(2026, 11, 6, 17, 30)
    assert ticket.response_due == t(2026, 11, 2, 17, 30)  # 8 - 5 = 3 h from 14:30


def test_a_priority_change_while_paused_counts_nothing_for_the_pause(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))
    ticket.start(desk.technician, at=t(2026, 11, 2, 8, 30))
    ticket.wait(Status.WAITING_REQUESTER, desk.technician, at=t(2026, 11, 2, 10, 30))  # used 2 h
    ticket.set_priority(Priority.HIGH, desk.technician, at=t(2026, 11, 3, 9))
    ticket.resume(desk.technician, at=t(2026, 11, 3, 10))
    ticket = fresh(ticket)
    # High 8 h - 2 h used = 6 h from Tue 10:00: 2.5 + 13:30 + 3.5 = 17:00
    assert ticket.resolution_due == t(2026, 11, 3, 17)


def test_resolving_late_records_the_breach_and_stops_the_clock(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30), Priority.CRITICAL)  # resolution 4 h: the morning block
    assert ticket.resolution_due == t(2026, 11, 2, 12, 30)
    ticket.start(desk.technician, at=t(2026, 11, 2, 9))
    ticket.resolve(desk.technician, "Kablo değişti.", desk.cause, at=t(2026, 11, 2, 15))
    ticket = fresh(ticket)
    assert ticket.resolution_breached and not ticket.response_breached
    assert (ticket.sla_paused_at, ticket.resolved_at) == (t(2026, 11, 2, 15), t(2026, 11, 2, 15))
    assert sla.state(ticket, t(2026, 11, 2, 16)) == "breached"


def test_resolving_in_time_is_ok_even_later(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))
    ticket.start(desk.technician, at=t(2026, 11, 2, 9))
    ticket.resolve(desk.technician, "Toner değişti.", desk.cause, at=t(2026, 11, 2, 11))
    ticket = fresh(ticket)
    assert not ticket.resolution_breached
    assert sla.state(ticket, t(2026, 12, 1, 9)) == "ok"


def test_a_reopen_resumes_the_clock_where_it_stopped(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))
    ticket.start(desk.technician, at=t(2026, 11, 2, 8, 30))
    ticket.resolve(desk.technician, "Toner değişti.", desk.cause, at=t(2026, 11, 2, 12, 30))  # used 4 h
    ticket.reopen(desk.requester, "Yine çizgili basıyor", at=t(2026, 11, 4, 9))
    ticket = fresh(ticket)
    assert (ticket.status, ticket.reopen_count, ticket.resolved_at, ticket.sla_paused_at) == (
        Status.IN_PROGRESS,
        1,
        None,
        None,
    )
    # stopped: Mon 13:30–17:30 4 + Tue 8 + Wed 08:30–09:00 0.5 = 12.5 h
    assert ticket.sla_paused_total == timedelta(hours=12, minutes=30)
    # 12 h left from Wed 09:00: 3.5 + 4 = 7.5, Thu 05.11 08:30–12:30 = 11.5, 13:30 + 0.5 = 14:00
    assert ticket.resolution_due == t(2026, 11, 5, 14)


def test_a_reopen_after_closing_also_resumes_from_the_resolution(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))
    ticket.start(desk.technician, at=t(2026, 11, 2, 8, 30))
    ticket.resolve(desk.technician, "Toner değişti.", desk.cause, at=t(2026, 11, 2, 12, 30))
    ticket.close(desk.requester, at=t(2026, 11, 3, 9))
    ticket.reopen(desk.technician, "Aynı arıza", at=t(2026, 11, 4, 9))
    ticket = fresh(ticket)
    assert ticket.closed_at is None
    assert ticket.resolution_due == t(2026, 11, 5, 14)  # as above: closing does not move the clock


def test_start_on_a_resolved_ticket_is_refused(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))
    ticket.start(desk.technician, at=t(2026, 11, 2, 8, 30))
    ticket.resolve(desk.technician, "Toner değişti.", desk.cause, at=t(2026, 11, 2, 12, 30))
    with pytest.raises(ValidationError):
        ticket.start(desk.technician, at=t(2026, 11, 4, 9))


# -- the response target ---------------------------------------------------------------------------------------------


def test_the_response_target_is_met_by_starting(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))  # response due 12:30
    ticket.start(desk.technician, at=t(2026, 11, 2, 12, 30))  # exactly at the due moment: still in time
    ticket = fresh(ticket)
    assert ticket.first_response_at == t(2026, 11, 2, 12, 30)
    assert not ticket.response_breached


def test_the_response_target_is_met_by_the_first_public_staff_comment(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))
    services.add_followup(ticket, desk.requester, "Acil lütfen", at=t(2026, 11, 2, 9))  # the requester's own
    services.add_followup(ticket, desk.technician, "Toner modeli?", kind=FollowUpKind.NOTE, at=t(2026, 11, 2, 9))
    assert fresh(ticket).first_response_at is None  # neither counts
    services.add_followup(ticket, desk.technician, "Öğleden sonra geliyorum.", at=t(2026, 11, 2, 10))
    fresh(ticket).start(desk.technician, at=t(2026, 11, 2, 15))
    ticket = fresh(ticket)
    assert ticket.first_response_at == t(2026, 11, 2, 10)  # the start later does not move it
    assert not ticket.response_breached


def test_a_late_start_misses_the_response_target(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))
    ticket.start(desk.technician, at=t(2026, 11, 2, 13, 31))  # due 12:30
    ticket = fresh(ticket)
    assert ticket.response_breached and not ticket.resolution_breached


# -- marking breaches and the state shown in lists -------------------------------------------------------------------


def test_mark_breaches_marks_only_running_late_clocks_and_logs_each(desk: Desk) -> None:
    monday = t(2026, 11, 2, 8, 30)
    late = opened(desk, monday, Priority.CRITICAL)  # response 09:30, resolution 12:30
    late.start(desk.technician, at=t(2026, 11, 2, 9))
    paused = opened(desk, monday, Priority.CRITICAL)
    paused.start(desk.technician, at=t(2026, 11, 2, 9))
    paused.wait(Status.WAITING_REQUESTER, desk.technician, at=t(2026, 11, 2, 10))
    done = opened(desk, monday, Priority.CRITICAL)
    done.resolve(desk.technician, "Düzeldi.", desk.cause, at=t(2026, 11, 2, 9))
    unanswered = opened(desk, monday)  # response 12:30, resolution Tue 17:30
    on_time = opened(desk, monday, Priority.LOW)  # response 17:30

    marked = sla.mark_breaches(now=t(2026, 11, 2, 14))
    assert {ticket.pk for ticket in marked} == {late.pk, unanswered.pk}
    late, unanswered = fresh(late), fresh(unanswered)
    assert (late.resolution_breached, late.response_breached) == (True, False)
    assert (unanswered.resolution_breached, unanswered.response_breached) == (False, True)
    for ticket in (paused, done, on_time):
        ticket = fresh(ticket)
        assert not ticket.resolution_breached and not ticket.response_breached
    entry = ChangeLogEntry.objects.filter(content_type__model="ticket", object_id=str(late.pk), action="update").latest(
        "id"
    )
    assert entry.before["resolution_breached"] is False and entry.after["resolution_breached"] is True
    assert sla.mark_breaches(now=t(2026, 11, 2, 15)) == []  # nothing twice


def test_sla_state_values(desk: Desk) -> None:
    ticket = opened(desk, t(2026, 11, 2, 8, 30))  # due Tue 17:30, warning from Tue 14:18 (12.8 h)
    assert ticket.resolution_warn_at == t(2026, 11, 3, 14, 18)
    assert sla.state(ticket, t(2026, 11, 3, 14, 17)) == "ok"
    assert sla.state(ticket, t(2026, 11, 3, 14, 18)) == "warning"
    assert sla.state(ticket, t(2026, 11, 3, 17, 30)) == "warning"  # due, not yet past
    assert sla.state(ticket, t(2026, 11, 3, 17, 31)) == "breached"
    ticket.start(desk.technician, at=t(2026, 11, 2, 9))
    ticket.wait(Status.WAITING_VENDOR, desk.technician, at=t(2026, 11, 2, 10))
    assert sla.state(fresh(ticket), t(2026, 11, 30, 9)) == "paused"
    breached = opened(desk, t(2026, 11, 2, 8, 30))
    Ticket.objects.filter(pk=breached.pk).update(resolution_breached=True)
    assert sla.state(fresh(breached), t(2026, 11, 2, 9)) == "breached"  # recorded breach wins


def test_a_ticket_without_a_policy_has_no_due_dates(desk: Desk) -> None:
    SlaPolicy.objects.filter(pk=desk.policy.pk).update(is_default=False)
    item = make_item(desk.support, name="Politikasız", policy=None)
    ticket = open_ticket(desk, item=item, at=t(2026, 11, 2, 8, 30))
    assert (ticket.sla_policy, ticket.response_due, ticket.resolution_due) == (None, None, None)
    assert sla.state(ticket) == ""
    ticket.start(desk.technician, at=t(2026, 11, 2, 9))
    assert not fresh(ticket).response_breached


def test_an_item_falls_back_to_the_default_policy(desk: Desk) -> None:
    item = make_item(desk.support, name="Varsayılan", policy=None)
    ticket = open_ticket(desk, item=item, at=t(2026, 11, 2, 8, 30))
    assert ticket.sla_policy == desk.policy
    assert ticket.resolution_due == t(2026, 11, 3, 17, 30)


# -- a policy with a gap ---------------------------------------------------------------------------------------------


def test_an_item_with_an_incomplete_policy_is_refused_naming_the_missing_priorities(desk: Desk) -> None:
    gap = SlaPolicy.objects.create(name="Eksik")
    for priority in (Priority.CRITICAL, Priority.NORMAL):
        SlaTarget.objects.create(policy=gap, priority=priority, response_time=H, resolution_time=4 * H)
    item = ServiceItem(
        category=desk.item.category, code="eksik", name="Eksik", responsible_unit=desk.support, sla_policy=gap
    )
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert error.value.message_dict == {"sla_policy": ["SLA policy Eksik has no target for: High, Low."]}
    assert gap.missing_priorities() == [Priority.HIGH, Priority.LOW]


def test_a_target_must_be_positive_and_response_within_resolution(desk: Desk) -> None:
    target = SlaTarget(policy=desk.policy, priority=Priority.LOW, response_time=timedelta(0), resolution_time=H)
    with pytest.raises(ValidationError) as error:
        target.clean()
    assert error.value.message_dict == {"response_time": ["The time must be longer than zero."]}
    target.response_time = 2 * H
    with pytest.raises(ValidationError) as error:
        target.clean()
    assert error.value.message_dict == {
        "response_time": ["The response time cannot be longer than the resolution time."]
    }
