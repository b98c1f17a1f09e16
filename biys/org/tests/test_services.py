"""Organization rules: the unit tree, duties and deputies, acknowledgements, departures."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from biys.core.testing import make_unit, make_user
from biys.org import services
from biys.org.directives import parse_directive
from biys.org.handover import HandoverLine
from biys.org.models import (
    Acknowledgement,
    Departure,
    Directive,
    DirectiveVersion,
    Duty,
    DutyAssignment,
    Leave,
    Staff,
    Unit,
)
from biys.org.tests.test_directives import MERSIN_FILE, NIZIP_FILE

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture
def tree() -> dict[str, Unit]:
    root = make_unit("Belediye", code="ROOT", kind="baskanlik")
    it = make_unit("Bilgi İşlem Dairesi Başkanlığı", parent=root, code="BIDB", kind="daire_baskanligi", is_it=True)
    branch = make_unit("Sistem ve Donanım Şube Müdürlüğü", parent=it, code="SD", kind="sube_mudurlugu", is_it=True)
    section = make_unit("Teknik Destek Hizmetleri Şefliği", parent=branch, code="TD", kind="seflik", is_it=True)
    other = make_unit("Fen İşleri Dairesi Başkanlığı", parent=root, code="FEN", kind="daire_baskanligi")
    return {"root": root, "it": it, "branch": branch, "section": section, "other": other}


def person(unit: Unit, name: str = "Ali", **extra: object) -> Staff:
    return Staff.objects.create(first_name=name, last_name="Işık", unit=unit, **extra)


# --- Unit tree -------------------------------------------------------------------------------


def test_paths_follow_the_tree_and_a_move_carries_the_subtree(tree: dict[str, Unit]) -> None:
    section = Unit.objects.get(pk=tree["section"].pk)
    assert section.path == "".join(f"{u.pk:08d}." for u in (tree["root"], tree["it"], tree["branch"], section))
    branch = Unit.objects.get(pk=tree["branch"].pk)
    branch.parent = tree["other"]
    branch.save()
    section.refresh_from_db()
    assert section.path == "".join(f"{u.pk:08d}." for u in (tree["root"], tree["other"], branch, section))
    assert section.depth == 3
    assert list(tree["other"].descendants().values_list("pk", flat=True).order_by("pk")) == [branch.pk, section.pk]


def test_the_tree_lists_depth_first_whatever_the_ids(tree: dict[str, Unit]) -> None:
    # Ids 9 and 10 under the same parent: unpadded paths would sort "10." before "9.".
    while Unit.objects.order_by("-pk").first().pk < 8:
        make_unit("Dolgu", parent=tree["other"], code=f"X{Unit.objects.count()}")
    ninth = make_unit("Dokuzuncu", parent=tree["root"], code="N9")
    tenth = make_unit("Onuncu", parent=tree["root"], code="N10")
    order = [u.pk for u in Unit.objects.filter(parent=tree["root"]).order_by("path")]
    assert order.index(ninth.pk) < order.index(tenth.pk)


def test_a_unit_cannot_be_moved_under_itself_or_its_descendants(tree: dict[str, Unit]) -> None:
    it = Unit.objects.get(pk=tree["it"].pk)
    for new_parent in (it, tree["section"]):
        it.parent = new_parent
        with pytest.raises(ValidationError) as error:
            it.full_clean()
        assert "parent" in error.value.message_dict
    it.parent = tree["section"]
    with pytest.raises(ValidationError):
        it.save()  # the rule holds outside forms too
    assert Unit.objects.get(pk=it.pk).parent_id == tree["root"].pk


def test_a_unit_with_staff_or_children_cannot_be_deleted(tree: dict[str, Unit]) -> None:
    with pytest.raises(ValidationError, match=r"sub-units|alt birim"):
        Unit.objects.get(pk=tree["branch"].pk).delete()
    person(tree["section"])
    with pytest.raises(ValidationError, match=r"staff|personel"):
        Unit.objects.get(pk=tree["section"].pk).delete()
    assert Unit.objects.filter(pk=tree["section"].pk).exists()


def test_deleting_a_unit_in_use_through_the_page_shows_a_message(client, tree: dict[str, Unit]) -> None:  # type: ignore[no-untyped-def]
    user = make_user("baskan", unit=tree["root"], perms=("org.view_unit", "org.delete_unit"))
    client.force_login(user)
    response = client.post(f"/teskilat/units/{tree['branch'].pk}/delete/", follow=True)
    assert Unit.objects.filter(pk=tree["branch"].pk).exists()
    assert any("Sistem ve Donanım" in str(m) for m in response.context["messages"])


def test_invalid_tckn_is_refused_with_the_field_named(client, tree: dict[str, Unit]) -> None:  # type: ignore[no-untyped-def]
    user = make_user("sef", unit=tree["it"], perms=("org.view_staff", "org.add_staff"))
    client.force_login(user)
    response = client.post(
        "/teskilat/staff/add/",
        {"first_name": "Ayşe", "last_name": "Kaya", "tckn": "12345678901", "unit": tree["it"].pk},
    )
    assert response.status_code == 422
    assert "tckn" in response.context["form"].errors
    assert not Staff.objects.exists()


# --- Duties, leave, deputies -----------------------------------------------------------------


@pytest.fixture
def duty(tree: dict[str, Unit]) -> Duty:
    directive = Directive.objects.create(title="Yönerge", source_name="Mersin", unit=tree["it"])
    return Duty.objects.create(directive=directive, ref="Mersin md. 7/2-f", article="7", text="Sızma testi yapmak")


def test_the_holder_is_responsible_and_the_deputy_takes_over_during_leave(duty: Duty, tree: dict[str, Unit]) -> None:
    holder, deputy = person(tree["section"], "Ayşe"), person(tree["section"], "Veli")
    DutyAssignment.objects.create(duty=duty, staff=holder, deputy=deputy, valid_from=date(2026, 1, 1))
    assert services.responsible_for(duty, TODAY).staff == holder
    Leave.objects.create(staff=holder, start_date=TODAY, end_date=TODAY + timedelta(days=3))
    answer = services.responsible_for(duty, TODAY)
    assert (answer.staff, answer.as_deputy) == (deputy, True)
    Leave.objects.create(staff=deputy, start_date=TODAY, end_date=TODAY)
    assert services.responsible_for(duty, TODAY).staff is None
    assert services.responsible_for(duty, TODAY + timedelta(days=1)).staff == deputy


def test_expired_assignments_leave_a_duty_unassigned(duty: Duty, tree: dict[str, Unit]) -> None:
    assert list(services.unassigned_duties(TODAY)) == [duty]
    DutyAssignment.objects.create(
        duty=duty, staff=person(tree["section"]), valid_from=date(2026, 1, 1), valid_until=date(2026, 6, 30)
    )
    assert list(services.unassigned_duties(date(2026, 6, 30))) == []
    assert list(services.unassigned_duties(TODAY)) == [duty]


def test_the_deputy_must_be_another_person(duty: Duty, tree: dict[str, Unit]) -> None:
    holder = person(tree["section"])
    with pytest.raises(ValidationError) as error:
        DutyAssignment(duty=duty, staff=holder, deputy=holder, valid_from=TODAY).full_clean()
    assert "deputy" in error.value.message_dict


# --- Duty catalog ---------------------------------------------------------------------------------


def test_both_directives_load_into_the_catalog_and_reload_is_idempotent(tree: dict[str, Unit]) -> None:
    mersin = Directive.objects.create(title="Mersin Yönergesi", source_name="Mersin", unit=tree["it"])
    nizip_unit = make_unit("Bilgi İşlem Müdürlüğü", code="NBIM", kind="mudurluk", is_it=True)
    nizip = Directive.objects.create(title="Nizip Yönetmeliği", source_name="Nizip", unit=nizip_unit)
    mersin_text = MERSIN_FILE.read_text(encoding="utf-8")
    created, updated = services.load_duties(mersin, mersin_text)
    assert (created, updated) == (len(parse_directive(mersin_text, "Mersin")), 0)
    services.load_duties(nizip, NIZIP_FILE.read_text(encoding="utf-8"))
    assert Duty.objects.get(directive=nizip, ref="Nizip md. 12/24").text.startswith("Gerektiğinde donanım")
    pentest = Duty.objects.get(directive=mersin, ref="Mersin md. 7/2-f")
    assert "Sızma testi" in pentest.text
    assert created == services.load_duties(mersin, mersin_text)[1]  # second run only updates


def test_duties_are_matched_to_the_unit_named_in_the_text(tree: dict[str, Unit]) -> None:
    mersin = Directive.objects.create(title="Mersin Yönergesi", source_name="Mersin", unit=tree["it"])
    services.load_duties(mersin, MERSIN_FILE.read_text(encoding="utf-8"))
    assert Duty.objects.get(directive=mersin, ref="Mersin md. 7/3-d").unit == tree["section"]
    assert Duty.objects.get(directive=mersin, ref="Mersin md. 6/ı").unit == tree["it"]


def test_a_duty_missing_from_a_new_text_is_kept_but_not_in_force(tree: dict[str, Unit]) -> None:
    directive = Directive.objects.create(title="Küçük yönerge", source_name="Test", unit=tree["it"])
    text = "MADDE 5- (1) Birimin görevleri şunlardır:\na) Yedek almak,\nb) Kamera bakımı yapmak.\n"
    services.load_duties(directive, text)
    services.load_duties(directive, text.replace("b) Kamera bakımı yapmak.\n", ""))
    assert Duty.objects.get(directive=directive, ref="Test md. 5/b").is_active is False
    with pytest.raises(ValidationError):
        services.load_duties(directive, "no articles at all")


# --- Directive acknowledgement ------------------------------------------------------------------


@pytest.fixture
def version(tree: dict[str, Unit]) -> DirectiveVersion:
    directive = Directive.objects.create(title="Yönerge", source_name="Mersin", unit=tree["it"])
    return DirectiveVersion.objects.create(
        directive=directive, label="2017/1", effective_date=date(2017, 5, 12), text="…"
    )


def test_new_staff_must_acknowledge_within_five_business_days(version: DirectiveVersion, tree: dict[str, Unit]) -> None:
    # Started Friday 22 May 2026: 25 May, 26 May (Kurban arife, half day counts), then 27–30 May is Kurban
    # Bayramı, so days 3–5 are 1, 2 and 3 June.
    newcomer = person(tree["section"], start_date=date(2026, 5, 22))
    assert services.acknowledgement_due(newcomer, version) == date(2026, 6, 3)


def test_acknowledging_the_current_version_once(version: DirectiveVersion, tree: dict[str, Unit]) -> None:
    user = make_user("teknisyen", unit=tree["section"])
    staff = person(tree["section"], user=user, start_date=date(2026, 11, 2))
    pending = services.pending_acknowledgements(version.directive)
    assert [p.staff for p in pending] == [staff]
    services.acknowledge(version, staff, user)
    assert services.pending_acknowledgements(version.directive) == []
    with pytest.raises(ValidationError, match=r"already|zaten"):
        services.acknowledge(version, staff, user)


def test_a_superseded_version_cannot_be_acknowledged(version: DirectiveVersion, tree: dict[str, Unit]) -> None:
    user = make_user("teknisyen", unit=tree["section"])
    staff = person(tree["section"], user=user)
    DirectiveVersion.objects.create(
        directive=version.directive, label="2026/1", effective_date=date(2026, 1, 1), text="…"
    )
    with pytest.raises(ValidationError, match=r"superseded|yürürlükten"):
        services.acknowledge(version, staff, user)
    assert not Acknowledgement.objects.exists()


def test_nobody_acknowledges_for_someone_else_or_outside_the_directive(version: DirectiveVersion, tree) -> None:  # type: ignore[no-untyped-def]
    user = make_user("teknisyen", unit=tree["section"])
    staff = person(tree["section"], user=user)
    other = person(tree["section"], "Veli")
    with pytest.raises(ValidationError):
        services.acknowledge(version, other, user)
    outsider_user = make_user("fenci", unit=tree["other"])
    outsider = person(tree["other"], user=outsider_user)
    with pytest.raises(ValidationError):
        services.acknowledge(version, outsider, outsider_user)
    assert staff.acknowledgements.count() == 0


def test_overdue_acknowledgements_are_listed(version: DirectiveVersion, tree: dict[str, Unit]) -> None:
    late = person(tree["section"], start_date=timezone.localdate() - timedelta(days=30))
    fresh = person(tree["section"], "Veli", start_date=timezone.localdate())
    overdue = {p.staff for p in services.pending_acknowledgements(version.directive) if p.overdue}
    assert overdue == {late}
    assert fresh not in overdue


# --- Departure and handover -----------------------------------------------------------------


@pytest.fixture
def departure(duty: Duty, tree: dict[str, Unit]) -> Departure:
    leaving = person(tree["section"], "Ayşe", user=make_user("ayse", unit=tree["section"]))
    successor = person(tree["section"], "Veli", user=make_user("veli", unit=tree["section"]))
    DutyAssignment.objects.create(duty=duty, staff=leaving, valid_from=date(2026, 1, 1))
    return Departure.objects.create(staff=leaving, reason="retirement", last_day=TODAY, successor=successor)


def test_the_handover_lists_duties_and_what_other_apps_provide(departure: Departure) -> None:
    items = services.prepare_handover(departure)
    assert [(i.kind, i.reference) for i in items] == [("duty", "Mersin md. 7/2-f")]
    departure.refresh_from_db()
    assert departure.status == "prepared"
    assert departure.staff.status == "leaving"
    custody = HandoverLine(kind="custody", reference="255.02.01.01.02-24-00001", description="Dizüstü bilgisayar")
    with mock.patch("biys.org.handover.providers", return_value=[lambda staff: [custody]]):
        assert [i.kind for i in services.prepare_handover(departure)] == ["custody"]


def test_a_departure_cannot_complete_before_the_successor_accepts(departure: Departure) -> None:
    with pytest.raises(ValidationError):
        services.complete_departure(departure)
    services.prepare_handover(departure)
    with pytest.raises(ValidationError, match=r"successor|devralan"):
        services.accept_handover(departure, departure.staff.user)
    services.accept_handover(departure, departure.successor.user)
    services.complete_departure(departure)
    departure.staff.refresh_from_db()
    assert departure.staff.status == "left"
    assert departure.staff.end_date == TODAY
    assert departure.staff.user.is_active is False
    taken_over = DutyAssignment.objects.get(staff=departure.successor)
    assert taken_over.valid_from == TODAY + timedelta(days=1)


def test_a_handover_without_successor_cannot_be_accepted(departure: Departure) -> None:
    departure.successor = None
    departure.save()
    services.prepare_handover(departure)
    with pytest.raises(ValidationError, match=r"successor|devralan"):
        services.accept_handover(departure, departure.staff.user)
    assert Departure.objects.get(pk=departure.pk).status == "prepared"


def test_on_death_the_unit_chiefs_report_is_required(departure: Departure, tree: dict[str, Unit]) -> None:
    departure.reason = "death"
    departure.save()
    services.prepare_handover(departure)
    with pytest.raises(ValidationError, match=r"report|tutanak"):
        services.accept_handover(departure, departure.successor.user)
    departure.chief = person(tree["branch"], "Şef")
    departure.chief_report = "Zimmetli eşyalar ve dosyalar tutanakla teslim edilmiştir."
    departure.save()
    services.accept_handover(departure, departure.successor.user)
    services.complete_departure(departure)
    assert Staff.objects.get(pk=departure.staff_id).status == "deceased"


def test_the_handover_list_prints_as_pdf(client, departure: Departure, tree) -> None:  # type: ignore[no-untyped-def]
    services.prepare_handover(departure)
    client.force_login(make_user("sef", unit=tree["it"], perms=("org.view_departure",)))
    response = client.get(f"/teskilat/departures/{departure.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pending_acknowledgements_cover_only_staff_bound_by_the_directive(version: DirectiveVersion, tree) -> None:  # type: ignore[no-untyped-def]
    inside = person(tree["section"])
    person(tree["other"], "Fen")
    everyone = Staff.objects.all()
    assert [p.staff for p in services.pending_acknowledgements(version.directive, everyone)] == [inside]


def test_the_load_duties_command_reads_any_directive_file(tree: dict[str, Unit], tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import CommandError, call_command

    call_command("load_duties", str(NIZIP_FILE), source="Nizip", unit="BIDB")
    directive = Directive.objects.get(source_name="Nizip")
    assert directive.duties.filter(ref="Nizip md. 15/4").exists()
    empty = tmp_path / "bos.txt"
    empty.write_text("Bu metinde madde yok.", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bos\.txt"):
        call_command("load_duties", str(empty), source="Bos", unit="BIDB")
    assert not Directive.objects.filter(source_name="Bos").exists()
    with pytest.raises(CommandError, match="--unit"):
        call_command("load_duties", str(NIZIP_FILE), source="Nizip", unit="YOK")


def test_reminders_mail_overdue_acknowledgements_and_due_reviews(version: DirectiveVersion, tree, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    from biys.org.tasks import send_reminders

    late = person(tree["section"], email="gec@example.gov.tr", start_date=timezone.localdate() - timedelta(days=30))
    person(tree["section"], "Veli", email="yeni@example.gov.tr", start_date=timezone.localdate())
    manager = person(tree["it"], "Müdür", email="mudur@example.gov.tr")
    tree["it"].manager = manager
    tree["it"].save()
    Acknowledgement.objects.create(
        version=version, staff=manager, user=make_user("mudur", unit=tree["it"])
    )  # the manager has read it
    result = send_reminders.call()
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert result == {"acknowledgement": 1, "review": 1}
    assert recipients == ["gec@example.gov.tr", "mudur@example.gov.tr"]
    assert late.email in mailoutbox[0].to


def test_a_departure_called_off_is_kept_and_the_person_is_active_again(departure: Departure, client, tree) -> None:  # type: ignore[no-untyped-def]
    services.prepare_handover(departure)
    assert Staff.objects.get(pk=departure.staff_id).status == "leaving"
    client.force_login(make_user("mudur", unit=tree["it"], perms=("org.view_departure", "org.change_departure")))
    client.post(f"/teskilat/departures/{departure.pk}/cancel/")
    departure.refresh_from_db()
    assert departure.status == "cancelled"
    assert departure.items.count() == 1
    assert Staff.objects.get(pk=departure.staff_id).status == "active"
    with pytest.raises(ValidationError):
        services.complete_departure(departure)


def test_blocking_handover_lines_stop_the_departure_until_settled(departure: Departure) -> None:
    services.prepare_handover(departure)
    services.accept_handover(departure, departure.successor.user)
    laptop = HandoverLine(kind="custody", reference="255.02.01.01.02-24-00001", description="Dizüstü", blocking=True)
    providers = mock.patch("biys.org.handover.providers", return_value=[lambda staff: [laptop]])
    with providers, pytest.raises(ValidationError, match=r"255\.02\.01\.01\.02-24-00001"):
        services.complete_departure(departure)
    assert Departure.objects.get(pk=departure.pk).status == "accepted"
    services.complete_departure(departure)  # returned: nothing blocks any more
    assert Departure.objects.get(pk=departure.pk).status == "completed"


def test_duties_go_to_it_staff_only(client, duty: Duty, tree: dict[str, Unit]) -> None:  # type: ignore[no-untyped-def]
    outsider = person(tree["other"], "Fen")
    perms = ("org.add_dutyassignment", "org.view_dutyassignment", "users.view_all_units")
    client.force_login(make_user("sef", unit=tree["it"], perms=perms))
    data = {"duty": duty.pk, "staff": outsider.pk, "valid_from": "2026-01-01"}
    response = client.post("/teskilat/duty-assignments/add/", data)
    assert response.status_code == 422
    assert "staff" in response.context["form"].errors
    assert not DutyAssignment.objects.filter(staff=outsider).exists()
