"""Catalogue pages: the generic suites for categories, items, routing rules and root causes, and the SLA policy
page that edits a policy together with its four targets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from biys.core.models import ChangeLogEntry
from biys.core.testing import make_user
from biys.core.testing.views import ViewTestCases
from biys.servicedesk.catalogue.forms import hours_text, parse_hours
from biys.servicedesk.choices import Priority
from biys.servicedesk.models import RootCause, RoutingRule, ServiceCategory, ServiceItem, SlaPolicy, SlaTarget

from .fixtures import make_desk, make_item, make_policy, open_ticket


def make_category(unit: Any = None) -> ServiceCategory:
    return ServiceCategory.objects.create(name=f"Kategori {ServiceCategory.objects.count() + 1}")


class ServiceCategoryViewTests(ViewTestCases.ModelViewTestCase):
    model = ServiceCategory
    scoped = False  # the catalogue is public to every signed-in user
    update_field = "name"

    def make(self, unit: Any) -> ServiceCategory:
        return make_category()

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {"name": "Ağ ve İnternet", "icon": "ethernet", "sort_order": 5}


class ServiceItemViewTests(ViewTestCases.ModelViewTestCase):
    model = ServiceItem
    scoped = False
    update_field = "name"

    def make(self, unit: Any) -> ServiceItem:
        return make_item(unit, f"Yazıcı arızası {ServiceItem.objects.count() + 1}")

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {
            "category": make_category().pk,
            "code": "ag-noktasi",
            "name": "Ağ noktası",
            "responsible_unit": unit.pk,
            "default_priority": Priority.HIGH,
            "fields": '[{"name": "oda", "label": "Oda", "type": "text", "required": true}]',
            "sort_order": 10,
            "is_active": "on",
        }


class RoutingRuleViewTests(ViewTestCases.ModelViewTestCase):
    model = RoutingRule
    scoped = False
    update_field = "note"

    def make(self, unit: Any) -> RoutingRule:
        return RoutingRule.objects.create(requester_unit=unit, target_unit=unit, note="Kural")

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {"requester_unit": unit.pk, "target_unit": unit.pk, "building": "Ek bina", "note": "Ek bina ekibi"}


class RootCauseViewTests(ViewTestCases.ModelViewTestCase):
    model = RootCause
    scoped = False
    update_field = "name"

    def make(self, unit: Any) -> RootCause:
        return RootCause.objects.create(code=f"HW-{RootCause.objects.count() + 50}", name="Disk", group="hardware")

    def form_data(self, unit: Any) -> dict[str, Any]:
        return {"code": "NW-09", "name": "Kablo arızası", "group": "network", "is_active": "on"}


# --- service items: the JSON questions, the SLA policy, deletion ------------------------------------------------

pytestmark = pytest.mark.django_db


def item_data(desk: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "category": desk.item.category_id,
        "code": "yeni-kalem",
        "name": "Yeni kalem",
        "responsible_unit": desk.support.pk,
        "default_priority": Priority.NORMAL,
        "fields": "[]",
        "sort_order": 0,
        "is_active": "on",
    }
    data.update(changes)
    return data


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_manager_adds_an_item_with_questions_as_json() -> None:
    desk = make_desk()
    fields = '[{"name": "dahili_no", "label": "Dahili numara", "type": "text", "required": true}]'
    response = client_for(desk.manager).post(reverse("servicedesk:serviceitem_add"), item_data(desk, fields=fields))
    assert response.status_code == 302
    item = ServiceItem.objects.get(code="yeni-kalem")
    assert item.fields == [{"name": "dahili_no", "label": "Dahili numara", "type": "text", "required": True}]


def test_the_edit_form_shows_the_questions_readably_in_turkish() -> None:
    desk = make_desk()
    desk.item.fields = [{"name": "sorun", "label": "Sorun türü", "type": "choice", "choices": ["Kağıt sıkışıyor"]}]
    desk.item.save()
    response = client_for(desk.manager).get(reverse("servicedesk:serviceitem_edit", kwargs={"pk": desk.item.pk}))
    assert "Kağıt sıkışıyor" in response.content.decode()  # not \\u011f escapes


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("[{", "Enter a valid JSON."),
        ('{"name": "x"}', "Form fields must be a list."),
        ('[{"name": "oda"}]', "Form field 1 needs a name and a label."),
        ('[{"name": "s", "label": "Sistem", "type": "choice"}]', "Form field 1 is a choice without choices."),
    ],
)
def test_bad_questions_are_refused_naming_the_field(fields: str, message: str) -> None:
    desk = make_desk()
    response = client_for(desk.manager).post(reverse("servicedesk:serviceitem_add"), item_data(desk, fields=fields))
    assert response.status_code == 422
    assert message in response.context["form"].errors["fields"]
    assert not ServiceItem.objects.filter(code="yeni-kalem").exists()


def test_an_incomplete_sla_policy_cannot_be_attached() -> None:
    desk = make_desk()
    gappy = SlaPolicy.objects.create(name="Eksik")
    SlaTarget.objects.create(policy=gappy, priority=Priority.NORMAL, response_time=timedelta(hours=4),
                             resolution_time=timedelta(hours=16))  # fmt: skip
    response = client_for(desk.manager).post(
        reverse("servicedesk:serviceitem_add"), item_data(desk, sla_policy=gappy.pk)
    )
    assert response.status_code == 422
    errors = response.context["form"].errors["sla_policy"]
    assert any("SLA policy Eksik has no target for: Critical, High, Low." in e for e in errors)


def test_an_item_with_tickets_is_not_deleted_and_deactivation_is_suggested() -> None:
    desk = make_desk()
    open_ticket(desk)
    perms = ("servicedesk.view_serviceitem", "servicedesk.change_serviceitem", "servicedesk.delete_serviceitem")
    editor = client_for(make_user("katalog", unit=desk.it, perms=perms))
    response = editor.post(reverse("servicedesk:serviceitem_delete", kwargs={"pk": desk.item.pk}), follow=True)
    assert ServiceItem.objects.filter(pk=desk.item.pk).exists()
    text = response.content.decode()
    assert "has tickets and cannot be deleted" in text and "active" in text


def test_a_technician_reads_the_catalogue_but_does_not_edit_it() -> None:
    desk = make_desk()
    technician = client_for(desk.technician)
    assert technician.get(reverse("servicedesk:serviceitem", kwargs={"pk": desk.item.pk})).status_code == 200
    assert technician.get(reverse("servicedesk:serviceitem_edit", kwargs={"pk": desk.item.pk})).status_code == 403
    requester = client_for(desk.requester)
    assert requester.get(reverse("servicedesk:serviceitem_list")).status_code == 200


def test_item_page_shows_questions_targets_and_routing() -> None:
    desk = make_desk()
    desk.item.fields = [{"name": "yer", "label": "Yazıcının yeri", "type": "text", "required": True}]
    desk.item.save()
    RoutingRule.objects.create(item=desk.item, requester_unit=desk.requesting, target_unit=desk.software)
    response = client_for(desk.requester).get(desk.item.get_absolute_url())
    text = response.content.decode()
    assert "Yazıcının yeri" in text and desk.software.name in text and "Standart" in text


# --- SLA policies -----------------------------------------------------------------------------------------------


def policy_data(policy: SlaPolicy | None = None, **rows: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": policy.name if policy else "Kritik sistemler",
        "count_half_days": "on",
        "observe_idari_izin": "on",
        "warn_percent": 80,
        "_version": policy.updated_at.isoformat() if policy else "",
        "response_1": "0,5",
        "resolution_1": "2",
        "response_2": "1",
        "resolution_2": "4",
        "response_3": "2",
        "resolution_3": "8",
        "response_4": "4",
        "resolution_4": "24",
    }
    data.update(rows)
    return data


def test_hours_are_entered_with_a_decimal_comma() -> None:
    assert parse_hours("1,5") == timedelta(minutes=90)
    assert parse_hours("2.25") == timedelta(minutes=135)
    assert parse_hours("1:30") == timedelta(minutes=90)
    assert hours_text(timedelta(hours=40)) == "40"
    for bad in ("bir saat", "-1", "NaN", "1e9"):
        with pytest.raises(ValueError):
            parse_hours(bad)


def test_a_complete_policy_is_saved_with_its_four_targets() -> None:
    desk = make_desk()
    response = client_for(desk.manager).post(reverse("servicedesk:slapolicy_add"), policy_data())
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    policy = SlaPolicy.objects.get(name="Kritik sistemler")
    targets = {t.priority: (t.response_time, t.resolution_time) for t in policy.targets.all()}
    assert targets == {
        Priority.CRITICAL: (timedelta(minutes=30), timedelta(hours=2)),
        Priority.HIGH: (timedelta(hours=1), timedelta(hours=4)),
        Priority.NORMAL: (timedelta(hours=2), timedelta(hours=8)),
        Priority.LOW: (timedelta(hours=4), timedelta(hours=24)),
    }
    assert not policy.is_default  # the fixture's Standart stays the default


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ({"response_2": ""}, "response_2", "High: enter the response time (a policy may not have gaps)."),
        ({"resolution_4": "0"}, "resolution_4", "Low: the resolution time must be longer than zero."),
        ({"response_3": "10"}, "response_3", "Normal: the response time cannot be longer than the resolution time."),
        ({"response_1": "yarım"}, "response_1", "Critical: “yarım” is not a number of hours, e.g. 4 or 1,5."),
    ],
)
def test_a_bad_row_is_refused_naming_the_priority_and_nothing_is_saved(
    rows: dict[str, str], field: str, message: str
) -> None:
    desk = make_desk()
    policy = desk.policy
    before = {t.priority: (t.response_time, t.resolution_time) for t in policy.targets.all()}
    url = reverse("servicedesk:slapolicy_edit", kwargs={"pk": policy.pk})
    response = client_for(desk.manager).post(url, policy_data(policy, name="Standart 2027", **rows))
    assert response.status_code == 422
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    policy.refresh_from_db()
    assert policy.name == "Standart"
    assert {t.priority: (t.response_time, t.resolution_time) for t in policy.targets.all()} == before


def test_editing_changes_only_the_changed_rows_and_logs_them() -> None:
    desk = make_desk()
    policy = desk.policy
    url = reverse("servicedesk:slapolicy_edit", kwargs={"pk": policy.pk})
    form = client_for(desk.manager).get(url).context["form"]
    assert form["resolution_4"].value() == "40"
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    data.update({"count_half_days": "on", "observe_idari_izin": "on", "is_default": "on", "resolution_3": "12"})
    logged = ChangeLogEntry.objects.filter(content_type__model="slatarget").count()
    response = client_for(desk.manager).post(url, data)
    assert response.status_code == 302
    assert policy.targets.get(priority=Priority.NORMAL).resolution_time == timedelta(hours=12)
    assert ChangeLogEntry.objects.filter(content_type__model="slatarget").count() == logged + 1


def test_a_stale_policy_form_is_refused() -> None:
    desk = make_desk()
    policy = desk.policy
    data = policy_data(policy)
    SlaPolicy.objects.get(pk=policy.pk).save()  # someone else saved in between
    response = client_for(desk.manager).post(reverse("servicedesk:slapolicy_edit", kwargs={"pk": policy.pk}), data)
    assert response.status_code == 422
    assert "conflict" in [e.code for e in response.context["form"].non_field_errors().as_data()]


def test_a_second_default_policy_is_refused_with_a_message() -> None:
    desk = make_desk()
    response = client_for(desk.manager).post(reverse("servicedesk:slapolicy_add"), policy_data(is_default="on"))
    assert response.status_code == 422
    assert response.context["form"].errors["is_default"] == [
        "Standart is already the default policy; clear its default box first."
    ]


def test_policy_page_shows_the_targets_and_the_gaps() -> None:
    desk = make_desk()
    gappy = SlaPolicy.objects.create(name="Eksik")
    viewer = client_for(make_user("izleyici", unit=desk.it, roles=("uzman",)))
    text = viewer.get(gappy.get_absolute_url()).content.decode()
    assert "This policy has gaps (Critical, High, Normal, Low)" in text
    text = viewer.get(make_policy("Tam", is_default=False).get_absolute_url()).content.decode()
    assert "gaps" not in text and ">40<" in text
