"""Every org model gets the generic view and API suites; the tests here add only what is special."""

from __future__ import annotations

from datetime import date
from typing import Any

from biys.core.testing.api import ApiTestCases
from biys.core.testing.views import ViewTestCases
from biys.org.models import Departure, Directive, Duty, DutyAssignment, Leave, Position, Staff, Unit

TCKN_A = "10000000146"
TCKN_B = "12345678950"


def staff_in(unit: Any, n: int = 0, **extra: Any) -> Staff:
    return Staff.objects.create(first_name=f"Ayşe{n}", last_name=f"Işık{Staff.objects.count()}", unit=unit, **extra)


class UnitViewTests(ViewTestCases.ModelViewTestCase):
    model = Unit
    scoped = False  # the organization tree is public inside the municipality
    update_field = "name"

    def make(self, unit: Any) -> Unit:
        return Unit.objects.create(
            name=f"Şeflik {Unit.objects.count()}", code=f"S{Unit.objects.count()}", kind="seflik", parent=unit
        )

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {"name": "Yazılım Şefliği", "code": "YZL", "kind": "seflik", "parent": unit.pk, "is_active": "on"}


class PositionViewTests(ViewTestCases.ModelViewTestCase):
    model = Position
    update_field = "name"

    def make(self, unit: Any) -> Position:
        return Position.objects.create(name="Teknisyen", unit=unit)

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {"name": "Şef", "unit": unit.pk}


class StaffViewTests(ViewTestCases.ModelViewTestCase):
    model = Staff
    update_field = "title"

    def make(self, unit: Any) -> Staff:
        return staff_in(unit)

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {"first_name": "İsmail", "last_name": "Çağlar", "tckn": TCKN_A, "unit": unit.pk, "title": "Tekniker"}


class LeaveViewTests(ViewTestCases.ModelViewTestCase):
    model = Leave
    update_field = "note"

    def make(self, unit: Any) -> Leave:
        return Leave.objects.create(staff=staff_in(unit), start_date=date(2026, 6, 1), end_date=date(2026, 6, 5))

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {
            "staff": staff_in(unit).pk,
            "kind": "annual",
            "start_date": "2026-07-01",
            "end_date": "2026-07-03",
            "note": "Yıllık izin",
        }


class DirectiveViewTests(ViewTestCases.ModelViewTestCase):
    model = Directive
    scoped = False
    update_field = "title"

    def make(self, unit: Any) -> Directive:
        return Directive.objects.create(title="Görev Yönergesi", source_name="Test", unit=unit)

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {"title": "Bilgi İşlem Yönergesi", "source_name": "Test", "kind": "yonerge", "unit": unit.pk}


class DutyAssignmentViewTests(ViewTestCases.ModelViewTestCase):
    model = DutyAssignment
    update_field = "note"

    def make(self, unit: Any) -> DutyAssignment:
        directive = Directive.objects.get_or_create(title="Y", source_name="T", unit=self.root)[0]
        duty = Duty.objects.create(directive=directive, ref=f"T md. {Duty.objects.count()}", article="1", text="Görev")
        return DutyAssignment.objects.create(duty=duty, staff=staff_in(unit), valid_from=date(2026, 1, 1))

    def form_data(self, unit: Any) -> dict[str, Any]:
        directive = Directive.objects.get_or_create(title="Y", source_name="T", unit=self.root)[0]
        duty = Duty.objects.create(directive=directive, ref=f"T md. {Duty.objects.count()}", article="1", text="Görev")
        return {"duty": duty.pk, "staff": staff_in(unit).pk, "valid_from": "2026-01-01", "note": "Vekâlet notu"}

    def setUp(self) -> None:
        # Duties may be given to IT staff only (DutyAssignmentForm), so both test units are IT here.
        Unit.objects.filter(pk__in=[self.own_unit.pk, self.other_unit.pk]).update(is_it=True)


class DepartureViewTests(ViewTestCases.ModelViewTestCase):
    model = Departure
    has_delete = False
    update_field = "chief_report"

    def make(self, unit: Any) -> Departure:
        return Departure.objects.create(staff=staff_in(unit), reason="retirement", last_day=date(2026, 12, 31))

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {"staff": staff_in(unit).pk, "reason": "transfer", "last_day": "2026-12-31", "chief_report": "Tutanak"}


class UnitApiTests(ApiTestCases.ModelApiTestCase):
    model = Unit
    endpoint = "org/units"
    scoped = False
    update_field = "name"

    def make(self, unit: Any) -> Unit:
        return Unit.objects.create(name="Şeflik", code=f"A{Unit.objects.count()}", kind="seflik", parent=unit)

    def api_data(self, unit: Any) -> dict[str, Any]:
        return {"name": "Ağ Şefliği", "code": "AG1", "kind": "seflik", "parent": unit.pk}


class StaffApiTests(ApiTestCases.ModelApiTestCase):
    model = Staff
    endpoint = "org/staff"
    update_field = "title"

    def make(self, unit: Any) -> Staff:
        return staff_in(unit)

    def api_data(self, unit: Any) -> dict[str, Any]:
        return {"first_name": "Gülşen", "last_name": "Öztürk", "tckn": TCKN_B, "unit": unit.pk, "title": "Memur"}


class LeaveApiTests(ApiTestCases.ModelApiTestCase):
    model = Leave
    endpoint = "org/leave"
    update_field = "note"

    def make(self, unit: Any) -> Leave:
        return Leave.objects.create(staff=staff_in(unit), start_date=date(2026, 6, 1), end_date=date(2026, 6, 2))

    def api_data(self, unit: Any) -> dict[str, Any]:
        return {
            "staff": staff_in(unit).pk,
            "kind": "sick",
            "start_date": "2026-06-01",
            "end_date": "2026-06-02",
            "note": "Rapor",
        }
