"""Batch appends to the change log: one head lock per batch, the same chain as single appends."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

from biys.core import changelog
from biys.core.context import acting_as
from biys.core.models import CalendarDay, ChangeLogEntry, ChangeLogHead
from biys.core.testing import make_unit, make_user

pytestmark = pytest.mark.django_db
START = date(2030, 1, 1)


def day(offset: int, description: str = "") -> CalendarDay:
    return CalendarDay(date=START + timedelta(days=offset), kind="day_off", description=description or f"gün {offset}")


def entries_of(model: str) -> list[ChangeLogEntry]:
    return list(ChangeLogEntry.objects.filter(content_type__model=model).order_by("id"))


def head() -> tuple[int, str] | None:
    row = ChangeLogHead.objects.filter(pk=1).first()
    return (row.last_id, row.last_hash) if row is not None else None


def test_append_many_chains_entries_in_order_and_verify_accepts_them() -> None:
    start = ChangeLogEntry.objects.count()  # migrations log what they create (roles …)
    changelog.append(ChangeLogEntry.Action.LOGIN, object_repr="before")
    changes = [changelog.Change.of(ChangeLogEntry.Action.LOGIN, object_repr=f"batch {n}") for n in range(5)]
    written = changelog.append_many(changes)
    changelog.append(ChangeLogEntry.Action.LOGOUT, object_repr="after")
    rows = list(ChangeLogEntry.objects.order_by("id"))[start:]
    assert [row.object_repr for row in rows] == ["before", *(f"batch {n}" for n in range(5)), "after"]
    assert [row.id for row in rows] == list(range(start + 1, start + 8))
    assert [row.prev_hash for row in rows[1:]] == [row.hash for row in rows[:-1]]
    assert [entry.hash for entry in written] == [row.hash for row in rows[1:6]]
    assert changelog.verify().ok and changelog.verify().checked == start + 7
    assert head() == (start + 7, rows[-1].hash)
    assert changelog.append_many([]) == []


def test_signal_entries_of_a_batch_are_written_together_at_its_end() -> None:
    user = make_user("kayit")
    with acting_as(user, request_id="req-batch-1", ip="10.0.0.7"):
        before = ChangeLogEntry.objects.count()
        with changelog.batch() as collected:
            unit = make_unit("Bilgi İşlem", code="BIM")
            first = day(0)
            first.save()
            first.description = "İdari izin"
            first.save()
            day(1).save()
            CalendarDay.objects.get(date=START + timedelta(days=1)).delete()
            assert ChangeLogEntry.objects.count() == before  # nothing appended yet
        assert collected.written == 5
    rows = list(ChangeLogEntry.objects.filter(id__gt=before).order_by("id"))
    assert [(row.action, row.content_type.model) for row in rows] == [
        ("create", "unit"),
        ("create", "calendarday"),
        ("update", "calendarday"),
        ("create", "calendarday"),
        ("delete", "calendarday"),
    ]
    assert rows[0].object_id == str(unit.pk)
    assert rows[2].changed_fields() == [("description", "gün 0", "İdari izin")]
    assert {(row.user_id, row.request_id, row.ip) for row in rows} == {(user.pk, "req-batch-1", "10.0.0.7")}
    assert len({row.time for row in rows}) == 1  # one append, one time
    assert changelog.verify().ok


def test_batch_entries_equal_what_single_appends_write() -> None:
    single = day(0, "tek")
    single.save()
    with changelog.batch():
        batched = day(1, "tek")
        batched.save()
    one, other = entries_of("calendarday")
    assert {**one.after, "id": None, "date": None} == {**other.after, "id": None, "date": None}
    assert (one.action, one.user_name, one.request_id) == (other.action, other.user_name, other.request_id)


def test_bulk_written_rows_are_logged_like_saved_ones() -> None:
    saved = day(0, "kaydedilen")
    saved.save()
    with changelog.batch():
        rows = CalendarDay.objects.bulk_create([day(1, "toplu"), day(2, "toplu")])
        changelog.log_created(rows)
        snapshots = [(row, changelog.snapshot(row)) for row in rows]
        rows[0].description = "değişti"
        CalendarDay.objects.bulk_update(rows, ["description"])
        changelog.log_updated(snapshots)  # rows[1] did not change: not logged
        changelog.log_deleted([rows[1]])
        CalendarDay.objects.filter(pk=rows[1].pk)._raw_delete(connection.alias)  # type: ignore[attr-defined]
    entries = entries_of("calendarday")
    assert [(e.action, e.object_id) for e in entries] == [
        ("create", str(saved.pk)),
        ("create", str(rows[0].pk)),
        ("create", str(rows[1].pk)),
        ("update", str(rows[0].pk)),
        ("delete", str(rows[1].pk)),
    ]
    assert set(entries[0].after) == set(entries[1].after)
    assert entries[1].object_repr == str(rows[0]) and entries[1].after["description"] == "toplu"
    assert entries[3].changed_fields() == [("description", "toplu", "değişti")]
    assert changelog.verify().ok


def test_log_helpers_outside_a_batch_append_at_once() -> None:
    rows = CalendarDay.objects.bulk_create([day(0), day(1)])
    changelog.log_created(rows)
    assert [e.object_id for e in entries_of("calendarday")] == [str(rows[0].pk), str(rows[1].pk)]
    assert changelog.verify().ok


def test_tampering_with_one_batch_entry_is_detected_and_named() -> None:
    with changelog.batch():
        for offset in range(6):
            day(offset).save()
    victim = entries_of("calendarday")[3]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_changelogentry SET object_repr = %s WHERE id = %s", ["forged", victim.id])
    result = changelog.verify()
    assert (result.ok, result.bad_id, result.reason) == (False, victim.id, "altered")


def test_a_rolled_back_batch_leaves_no_entries_and_the_head_unchanged() -> None:
    day(0).save()
    count, before = ChangeLogEntry.objects.count(), head()
    with pytest.raises(RuntimeError), changelog.batch(max_pending=1000):
        for offset in range(1, 5):
            day(offset).save()
        raise RuntimeError("boom")
    assert (ChangeLogEntry.objects.count(), head()) == (count, before)
    assert CalendarDay.objects.count() == 1
    assert changelog.verify().ok


def test_a_batch_flushed_early_and_then_rolled_back_leaves_nothing_either() -> None:
    day(0).save()
    count, before = ChangeLogEntry.objects.count(), head()
    with pytest.raises(RuntimeError), changelog.batch(max_pending=2):
        for offset in range(1, 6):
            day(offset).save()
        assert ChangeLogEntry.objects.count() == count + 4  # two early appends of two entries
        raise RuntimeError("boom")
    assert (ChangeLogEntry.objects.count(), head()) == (count, before)
    assert changelog.verify().ok


def test_entries_of_a_savepoint_rolled_back_inside_the_batch_are_dropped() -> None:
    day(0).save()
    with changelog.batch():
        day(1, "kalır").save()
        try:
            with transaction.atomic():
                day(2, "geri alınır").save()
                day(0).save()  # the same date again: IntegrityError, the savepoint is rolled back
        except IntegrityError:
            pass
        with transaction.atomic():
            day(3, "kalır").save()
        day(4, "kalır").save()
    after = [entry.after["description"] for entry in entries_of("calendarday")[1:]]
    assert after == ["kalır", "kalır", "kalır"]
    assert CalendarDay.objects.count() == 4
    assert changelog.verify().ok


def test_a_nested_batch_joins_the_outer_one() -> None:
    start = ChangeLogEntry.objects.count()
    with changelog.batch() as outer:
        day(0).save()
        with changelog.batch() as inner:
            day(1).save()
            assert inner is outer
        assert ChangeLogEntry.objects.count() == start
    assert outer.written == 2 and changelog.verify().ok


def test_a_direct_append_inside_a_batch_is_written_at_once_and_the_chain_holds() -> None:
    start = ChangeLogEntry.objects.count()
    with changelog.batch():
        day(0).save()
        changelog.append(ChangeLogEntry.Action.VIEW_PERSONAL, object_repr="now")
        assert ChangeLogEntry.objects.count() == start + 1
        day(1).save()
    actions = [e.action for e in ChangeLogEntry.objects.order_by("id")[start:]]
    assert actions == ["view_personal", "create", "create"]
    assert changelog.verify().ok


# --- Concurrency (PostgreSQL: row locks on the head) ----------------------------------------------


def _in_thread(errors: list[BaseException], work: Callable[[], None]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_concurrent_single_appends_and_a_batch_interleave_into_one_valid_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks on the head row: PostgreSQL only (SQLite writers take the whole database)")
    batch_started, singles_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def batch_writer() -> None:
        with changelog.batch():
            for offset in range(40):
                day(offset, "toplu").save()
            batch_started.set()
            assert singles_done.wait(20)  # the singles were not blocked: the batch holds no head lock yet

    def single_writer() -> None:
        assert batch_started.wait(20)
        for offset in range(100, 110):
            day(offset, "tek").save()
        singles_done.set()

    threads = [_in_thread(errors, batch_writer), _in_thread(errors, single_writer)]
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    rows = list(ChangeLogEntry.objects.filter(content_type__model="calendarday").order_by("id"))
    assert [row.after["description"] for row in rows] == ["tek"] * 10 + ["toplu"] * 40
    assert rows[-1].id - rows[10].id == 39  # the batch's entries are consecutive
    assert changelog.verify().ok


@pytest.mark.django_db(transaction=True)
def test_single_appends_wait_for_a_batch_that_holds_the_head_and_follow_it() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks on the head row: PostgreSQL only (SQLite writers take the whole database)")
    flushed, single_started = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    single_finished: list[float] = []
    batch_committed: list[float] = []

    def batch_writer() -> None:
        with changelog.batch(max_pending=10):
            for offset in range(25):
                day(offset, "toplu").save()  # two early appends: the head is locked until the commit
            flushed.set()
            assert single_started.wait(20)
            time.sleep(0.5)  # the single writer is now waiting for the head
        batch_committed.append(time.monotonic())

    def single_writer() -> None:
        assert flushed.wait(20)
        single_started.set()
        for offset in range(100, 103):
            day(offset, "tek").save()
        single_finished.append(time.monotonic())

    threads = [_in_thread(errors, batch_writer), _in_thread(errors, single_writer)]
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert single_finished[0] >= batch_committed[0]
    rows = list(ChangeLogEntry.objects.filter(content_type__model="calendarday").order_by("id"))
    assert [row.after["description"] for row in rows] == ["toplu"] * 25 + ["tek"] * 3
    assert changelog.verify().ok
