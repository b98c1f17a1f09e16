"""Factories for the every-model change-log test: model -> (make, field to change, new value)."""

from __future__ import annotations

from datetime import date

from biys.org.models import (
    Acknowledgement,
    Departure,
    Directive,
    DirectiveReview,
    DirectiveVersion,
    Duty,
    DutyAssignment,
    HandoverItem,
    Leave,
    Municipality,
    Position,
    Staff,
    Unit,
)
from biys.users.models import User


def unit() -> Unit:
    return Unit.objects.create(name="Bilgi İşlem", code=f"F{Unit.objects.count()}", kind="mudurluk")


def staff() -> Staff:
    return Staff.objects.create(first_name="Ali", last_name="Öz", unit=unit())


def directive() -> Directive:
    return Directive.objects.create(title="Yönerge", source_name="F", unit=unit())


def version() -> DirectiveVersion:
    return DirectiveVersion.objects.create(directive=directive(), label="1", effective_date=date(2020, 1, 1), text="x")


def duty() -> Duty:
    return Duty.objects.create(directive=directive(), ref="F md. 1", article="1", text="Görev")


def departure() -> Departure:
    return Departure.objects.create(staff=staff(), reason="transfer", last_day=date(2026, 12, 1))


FACTORIES = {
    Municipality: (lambda: Municipality.objects.create(name="Nizip Belediyesi"), "detsis_no", "12345678"),
    Unit: (unit, "name", "Bilgi İşlem Müdürlüğü"),
    Position: (lambda: Position.objects.create(name="Şef", unit=unit()), "is_head", True),
    Staff: (staff, "title", "Tekniker"),
    Leave: (
        lambda: Leave.objects.create(staff=staff(), start_date=date(2026, 1, 5), end_date=date(2026, 1, 6)),
        "note",
        "Rapor",
    ),
    Directive: (directive, "title", "Görev Yönetmeliği"),
    DirectiveVersion: (version, "approval", "Başkan Oluru"),
    Duty: (duty, "is_sensitive", True),
    DutyAssignment: (
        lambda: DutyAssignment.objects.create(duty=duty(), staff=staff(), valid_from=date(2026, 1, 1)),
        "note",
        "Vekil",
    ),
    Acknowledgement: (
        lambda: Acknowledgement.objects.create(version=version(), staff=staff(), user=User.objects.create_user("okur")),
        "acknowledged_at",
        "2026-01-02T10:00:00+03:00",
    ),
    DirectiveReview: (
        lambda: DirectiveReview.objects.create(
            directive=directive(), reviewed_on=date(2026, 1, 2), outcome="no_change"
        ),
        "note",
        "Değişiklik yok",
    ),
    Departure: (departure, "chief_report", "Tutanak"),
    HandoverItem: (
        lambda: HandoverItem.objects.create(departure=departure(), kind="other", description="Dosyalar"),
        "note",
        "Teslim edildi",
    ),
}
