"""The audit trail: what is logged, how, and that tampering is detected."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from biys.core import changelog
from biys.core.context import acting_as
from biys.core.models import CalendarDay, ChangeLogEntry, ChangeLogHead
from biys.core.testing import make_unit, make_user
from biys.org.models import Staff

pytestmark = pytest.mark.django_db


def _some_changes() -> Staff:
    unit = make_unit("Bilgi İşlem", code="BIM")
    staff = Staff.objects.create(first_name="Ayşe", last_name="Işık", unit=unit, tckn="10000000146")
    staff.title = "Şef"
    staff.save()
    CalendarDay.objects.create(date=date(2026, 12, 31), kind="half_day", description="İdari izin")
    return staff


def test_update_records_before_and_after_of_changed_fields_only() -> None:
    staff = _some_changes()
    entry = ChangeLogEntry.objects.filter(content_type__model="staff", object_id=str(staff.pk), action="update").get()
    assert entry.changed_fields() == [("title", "", "Şef")]


def test_personal_data_is_masked_in_the_log() -> None:
    staff = _some_changes()
    entry = ChangeLogEntry.objects.filter(content_type__model="staff", object_id=str(staff.pk), action="create").get()
    assert entry.after["tckn"] == "•••••••0146"
    assert "10000000146" not in str(entry.after)


def test_a_save_without_changes_is_not_logged() -> None:
    staff = _some_changes()
    count = ChangeLogEntry.objects.count()
    Staff.objects.get(pk=staff.pk).save()
    assert ChangeLogEntry.objects.count() == count


def test_actor_and_request_id_are_recorded() -> None:
    user = make_user("memur")
    with acting_as(user, request_id="req-12345678", ip="10.1.2.3"):
        unit = make_unit("Zabıta", code="ZB")
    entry = ChangeLogEntry.objects.filter(content_type__model="unit", object_id=str(unit.pk), action="create").get()
    assert (entry.user_id, entry.user_name, entry.request_id, entry.ip) == (
        user.pk,
        "memur",
        "req-12345678",
        "10.1.2.3",
    )
    assert unit.created_by_id == user.pk


def test_entries_cannot_be_changed_or_deleted_through_the_orm() -> None:
    _some_changes()
    entry = ChangeLogEntry.objects.first()
    entry.object_repr = "forged"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_verify_accepts_an_intact_chain() -> None:
    _some_changes()
    result = changelog.verify()
    assert result.ok
    assert result.checked == ChangeLogEntry.objects.count() > 3
    call_command("audit", "verify")


def test_verify_names_an_entry_altered_by_sql() -> None:
    _some_changes()
    victim = ChangeLogEntry.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_changelogentry SET object_repr = %s WHERE id = %s", ["forged", victim.id])
    result = changelog.verify()
    assert (result.ok, result.bad_id, result.reason) == (False, victim.id, "altered")
    with pytest.raises(CommandError, match=f"entry #{victim.id} was altered"):
        call_command("audit", "verify")


def test_verify_names_an_entry_deleted_by_sql() -> None:
    _some_changes()
    victim = ChangeLogEntry.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_changelogentry WHERE id = %s", [victim.id])
    result = changelog.verify()
    assert (result.ok, result.bad_id, result.reason) == (False, victim.id, "missing")


def test_verify_detects_entries_cut_from_the_end() -> None:
    _some_changes()
    last = ChangeLogEntry.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_changelogentry WHERE id = %s", [last.id])
    result = changelog.verify()
    assert (result.ok, result.bad_id, result.reason) == (False, last.id, "missing")


def test_verify_detects_a_rehashed_forgery() -> None:
    """Rewriting an entry and recomputing its own hash still breaks the link of the next entry."""
    _some_changes()
    victim = ChangeLogEntry.objects.order_by("id")[1]
    victim.object_repr = "forged"
    new_hash = changelog.compute_hash(victim)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_changelogentry SET object_repr = %s, hash = %s WHERE id = %s", ["forged", new_hash, victim.id]
        )
    result = changelog.verify()
    assert (result.ok, result.bad_id, result.reason) == (False, victim.id + 1, "relinked")


def test_head_tracks_the_last_entry() -> None:
    _some_changes()
    head = ChangeLogHead.objects.get(pk=1)
    last = ChangeLogEntry.objects.order_by("-id").first()
    assert (head.last_id, head.last_hash) == (last.id, last.hash)


def test_auditors_page_through_a_long_change_log(client) -> None:  # type: ignore[no-untyped-def]
    unit = make_unit("Bilgi İşlem", code="BIM")
    for index in range(60):
        CalendarDay.objects.create(
            date=date(2027, 1, 1) + timedelta(days=index), kind="day_off", description=f"{index}"
        )
    client.force_login(make_user("denetci", unit=unit, roles=("denetci",)))
    first = client.get("/changelog/")
    assert first.status_code == 200
    assert client.get("/changelog/?page=2").status_code == 200
    filtered = client.get("/changelog/", {"action": "create", "object_type": "core.calendarday"})
    rows = [row.record for row in filtered.context["table"].page.object_list]
    assert rows and {row.content_type.model for row in rows} == {"calendarday"}


def test_people_read_field_names_not_columns() -> None:
    staff = _some_changes()
    entry = ChangeLogEntry.objects.filter(content_type__model="staff", object_id=str(staff.pk), action="update").get()
    assert entry.changed_fields_display() == [("unvan", "", "Şef")]


def test_the_change_log_is_for_auditors_and_the_head_only(client) -> None:  # type: ignore[no-untyped-def]
    unit = make_unit("Bilgi İşlem", code="BIM")
    client.force_login(make_user("teknisyen", unit=unit, roles=("uzman",)))
    assert client.get("/changelog/").status_code == 403


def test_the_day_filter_keeps_entries_of_that_istanbul_day_only(client) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    unit = make_unit("Bilgi İşlem", code="BIM")
    CalendarDay.objects.create(date=date(2027, 1, 1), kind="day_off", description="bugün")
    today = timezone.localdate()
    client.force_login(make_user("denetci", unit=unit, roles=("denetci",)))
    rows = client.get("/changelog/", {"time_after": today.isoformat(), "time_before": today.isoformat()})
    assert any(row.record.object_repr.startswith("01.01.2027") for row in rows.context["table"].page.object_list)
    tomorrow = (today + timedelta(days=1)).isoformat()
    empty = client.get("/changelog/", {"time_after": tomorrow})
    assert list(empty.context["table"].page.object_list) == []


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 10, 28),
        datetime(2026, 10, 28, 12, 30, 15, 123456, tzinfo=UTC),
        datetime(2026, 10, 28, 12, 30, tzinfo=ZoneInfo("Europe/Istanbul")),
        datetime(2026, 10, 28, 12, 30),
        time(13, 45, 1, 500),
        timedelta(hours=16, minutes=5),
        Decimal("52400.00"),
        Decimal("NaN"),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        [date(2026, 1, 1), Decimal("1.5")],
        {"a": (1, 2)},
        1.25,
    ],
)
def test_snapshot_values_are_what_a_json_round_trip_gives(value: object) -> None:
    from django.core.serializers.json import DjangoJSONEncoder

    assert changelog._json_value(value) == json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def test_a_row_read_under_lock_is_logged_without_a_second_read() -> None:
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    def reads_of_the_row(captured: CaptureQueriesContext) -> int:
        return sum(q["sql"].startswith('SELECT "org_staff"') for q in captured.captured_queries)

    staff = _some_changes()
    with transaction.atomic():
        locked = Staff.objects.select_for_update().get(pk=staff.pk)
        changelog.remember(locked)
        locked.title = "Müdür"
        with CaptureQueriesContext(connection) as first:
            locked.save()
    entry = ChangeLogEntry.objects.filter(content_type__model="staff", object_id=str(staff.pk)).latest("id")
    assert entry.changed_fields() == [("title", "Şef", "Müdür")]
    locked.title = "Şef"
    with CaptureQueriesContext(connection) as second:  # remember() counts for one save only
        locked.save()
    assert (reads_of_the_row(first), reads_of_the_row(second)) == (0, 1)
