"""Default roles: who may do what (the permission matrix of the foundation)."""

from __future__ import annotations

import pytest

from biys.users.models import Role
from biys.users.roles import REQUESTER, ROLES, sync_roles

pytestmark = pytest.mark.django_db


def perms(code: str) -> set[str]:
    role = Role.objects.get(code=code)
    return {f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.select_related("content_type")}


@pytest.mark.parametrize(
    "code", ["uzman", "evrak", "tasinir_kayit", "tasinir_kontrol", "sube_muduru", "birim_kullanicisi"]
)
def test_ordinary_roles_do_not_see_all_units_or_the_change_log(code: str) -> None:
    assert perms(code).isdisjoint({"users.view_all_units", "core.view_changelogentry"})


def test_the_auditor_reads_everything_and_changes_nothing() -> None:
    granted = perms("denetci")
    assert {"users.view_all_units", "core.view_changelogentry", "org.view_staff", "org.view_departure"} <= granted
    assert not [p for p in granted if p.split(".")[1].startswith(("add_", "change_", "delete_"))]
    assert "users.view_personal_data" not in granted


def test_the_head_may_do_everything_and_manages_roles() -> None:
    granted = perms("yonetici")
    assert {"users.view_all_units", "users.view_personal_data", "org.delete_unit", "users.change_role"} <= granted


def test_branch_managers_manage_staff_work_but_not_units() -> None:
    granted = perms("sube_muduru")
    assert {"org.add_dutyassignment", "org.change_departure", "org.change_staff"} <= granted
    assert "org.change_unit" not in granted and "users.change_role" not in granted


def test_a_requester_sees_units_directives_and_asks_the_depot() -> None:
    assert perms("birim_kullanicisi") == {
        "org.view_unit",
        "org.view_municipality",
        "org.view_directive",
        "org.view_directiveversion",
        "inventory.view_asset",
        "inventory.view_custodydocument",
        "inventory.add_stockrequest",
        "inventory.add_stockrequestline",
        "inventory.view_stockrequest",
    } | set(REQUESTER)


def test_a_requester_asks_and_follows_but_never_works_tickets() -> None:
    granted = perms("birim_kullanicisi")
    assert {"servicedesk.add_ticket", "servicedesk.add_followup", "servicedesk.add_satisfaction"} <= granted
    assert granted.isdisjoint(
        {"servicedesk.work_ticket", "servicedesk.view_internal_notes", "servicedesk.change_ticket"}
    )


def test_technicians_work_tickets_and_managers_also_keep_the_catalogue() -> None:
    technician, manager = perms("uzman"), perms("sube_muduru")
    assert {"servicedesk.work_ticket", "servicedesk.view_internal_notes", "servicedesk.change_ticket"} <= technician
    assert "servicedesk.change_slapolicy" not in technician and "servicedesk.approve_vendorcase" not in technician
    assert {
        "servicedesk.change_slapolicy",
        "servicedesk.change_serviceitem",
        "servicedesk.approve_vendorcase",
    } <= manager


def test_records_and_control_officers_are_separate_roles() -> None:
    records, control = perms("tasinir_kayit"), perms("tasinir_kontrol")
    assert {"inventory.post_voucher", "inventory.add_voucher", "inventory.change_custodydocument"} <= records
    inventory = [p for p in control if p.startswith("inventory.")]
    assert not [p for p in inventory if p.split(".")[1].startswith(("add_", "change_", "delete_", "post_"))]


def test_only_managers_approve_written_orders_and_write_offs() -> None:
    for code in ("uzman", "tasinir_kayit", "tasinir_kontrol", "birim_kullanicisi", "denetci"):
        assert "inventory.approve_stockrequest" not in perms(code), code
    assert "inventory.approve_stockrequest" in perms("sube_muduru")
    assert "inventory.approve_scrapproposal" in perms("yonetici")


def test_sync_is_idempotent_and_keeps_admin_settings() -> None:
    Role.objects.filter(code="yonetici").update(require_mfa=False)
    before = {code: perms(code) for code in (r.code for r in ROLES)}
    sync_roles()
    assert {code: perms(code) for code in before} == before
    assert Role.objects.get(code="yonetici").require_mfa is False


def test_the_auditor_can_read_pages_but_every_write_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    from biys.core.testing import make_unit, make_user
    from biys.org.models import Staff

    unit = make_unit("Teftiş Kurulu", code="TK")
    staff = Staff.objects.create(first_name="Ali", last_name="Veli", unit=make_unit("Fen İşleri", code="FEN"))
    client.force_login(make_user("denetci", unit=unit, roles=("denetci",)))
    assert client.get(f"/teskilat/staff/{staff.pk}/").status_code == 200
    assert client.get("/changelog/").status_code == 200
    assert client.get("/teskilat/staff/add/").status_code == 403
    assert client.post(f"/teskilat/staff/{staff.pk}/edit/", {"first_name": "X"}).status_code == 403
    assert client.post(f"/teskilat/staff/{staff.pk}/delete/").status_code == 403
    assert client.post("/api/org/staff/", {}, content_type="application/json").status_code == 403
    assert client.post(f"/teskilat/staff/{staff.pk}/personal/").status_code == 403
    assert Staff.objects.get(pk=staff.pk).first_name == "Ali"
