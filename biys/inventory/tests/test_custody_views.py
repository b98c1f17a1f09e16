"""Custody pages: the generic view suite for Teslim Belgeleri and Dayanıklı Taşınırlar Listeleri, plus what
is special to them (issue form, return, a person's custody, transfer, successor handover, scoping)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from biys.core.models import ChangeLogEntry
from biys.core.testing import make_unit, make_user
from biys.core.testing.views import ViewTestCases
from biys.inventory.custody import services
from biys.inventory.models import Asset, CustodyDocument, CustodyItem, Location, SharedAreaList
from biys.inventory.tests.test_custody_services import (  # noqa: F401 - english is an autouse fixture
    MARCH,
    english,
    kind,
    make_asset,
    person,
    tree,
)
from biys.org.models import Departure, Staff, Unit

# --- Generic suites ----------------------------------------------------------------------------------


def _officer_for(user: Any, unit: Unit) -> Staff:
    return person(unit, "Mehmet", "Demir", user=user, title="Taşınır Kayıt Yetkilisi")


class CustodyDocumentViewTests(ViewTestCases.ModelViewTestCase):
    model = CustodyDocument
    has_edit = False  # handed over on the issue form; never edited (a return or a new document corrects it)
    has_delete = False

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.officer = _officer_for(cls.editor, cls.own_unit)

    def make(self, unit: Any) -> CustodyDocument:
        return services.issue_custody(person(unit, "Ayşe", "Kaya"), [make_asset(unit)], self.officer, on=MARCH)

    def test_create_saves_and_logs(self) -> None:
        staff, asset = person(self.own_unit), make_asset(self.own_unit)
        self.client.force_login(self.editor)
        data = {"staff": staff.pk, "assets": [asset.pk], "date": "2026-03-02", "note": ""}
        response = self.client.post(self.url("_add"), data)
        self.assertEqual(response.status_code, 302, response.content[:500])
        created = CustodyDocument.objects.get()
        self.assertEqual(response["Location"], created.get_absolute_url())
        entry = self.log(created, "create")
        self.assertEqual((entry.user_id, bool(entry.request_id)), (self.editor.pk, True))
        self.assertEqual(Asset.objects.get(pk=asset.pk).holder, staff)

    def test_edit_saves_and_logs_before_and_after(self) -> None:
        instance = self.make(self.own_unit)
        with self.assertRaises(NoReverseMatch):  # a signed form is never edited
            self.url("_edit", pk=instance.pk)

    def test_stale_edit_is_refused_and_nothing_is_lost(self) -> None:
        # Two clerks hand the same laptop to two people from forms opened at the same time.
        asset = make_asset(self.own_unit)
        first, second = person(self.own_unit, "Ayşe", "Kaya"), person(self.own_unit, "Veli", "Işık")
        self.client.force_login(self.editor)
        for staff in (first, second):
            response = self.client.post(
                self.url("_add"), {"staff": staff.pk, "assets": [asset.pk], "date": "2026-03-02"}
            )
        self.assertEqual(response.status_code, 422)
        self.assertContains(
            response, f"{asset.sicil_no} is already held by Ayşe Kaya (Teslim Belgesi 2026/1).", status_code=422
        )
        self.assertEqual(Asset.objects.get(pk=asset.pk).holder, first)

    def test_user_without_permission_cannot_open_the_issue_form(self) -> None:
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url("_add")).status_code, 403)

    def test_holder_sees_their_own_document_from_another_unit(self) -> None:
        own = self.make(self.own_unit)
        user = make_user("fen-ayse", unit=self.other_unit, perms=("inventory.view_custodydocument",))
        mine = services.issue_custody(
            person(self.own_unit, "Fatma", "Er", user=user), [make_asset(self.own_unit)], self.officer, on=MARCH
        )
        self.client.force_login(user)
        listing = self.client.get(self.url("_list"))
        self.assertContains(listing, mine.get_absolute_url())
        self.assertNotContains(listing, own.get_absolute_url())
        self.assertEqual(self.client.get(self.url(pk=mine.pk)).status_code, 200)
        self.assertEqual(self.client.get(self.url(pk=own.pk)).status_code, 404)

    def test_a_parent_unit_sees_its_subtree_and_it_staff_see_everything(self) -> None:
        below = make_unit("Sistem Şefliği", parent=self.own_unit, code="SIS")
        document = self.make(below)
        other = self.make(self.other_unit)
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(self.url(pk=document.pk)).status_code, 200)
        it = make_user("uzman", unit=self.own_unit, roles=("uzman",))
        self.client.force_login(it)
        self.assertEqual(self.client.get(self.url(pk=other.pk)).status_code, 200)


class SharedAreaListViewTests(ViewTestCases.ModelViewTestCase):
    model = SharedAreaList
    has_edit = False  # a snapshot: a new list replaces it
    has_delete = False

    def make(self, unit: Any) -> SharedAreaList:
        room = Location.objects.create(
            unit=unit, building="Hizmet Binası", room=f"{Location.objects.count() + 1}", responsible=person(unit)
        )
        make_asset(unit, location=room)
        return services.create_shared_area_list(room, on=MARCH)

    def test_create_saves_and_logs(self) -> None:
        room = Location.objects.create(
            unit=self.own_unit, building="Ek Bina", room="12", responsible=person(self.own_unit)
        )
        printer = make_asset(self.own_unit, location=room, name="Yazıcı")
        self.client.force_login(self.editor)
        response = self.client.post(self.url("_add"), {"location": room.pk, "date": "2026-03-02"})
        self.assertEqual(response.status_code, 302, response.content[:500])
        created = SharedAreaList.objects.get()
        self.assertEqual(list(created.assets.all()), [printer])
        self.assertEqual(self.log(created, "create").user_id, self.editor.pk)

    def test_edit_saves_and_logs_before_and_after(self) -> None:
        instance = self.make(self.own_unit)
        with self.assertRaises(NoReverseMatch):
            self.url("_edit", pk=instance.pk)

    def test_stale_edit_is_refused_and_nothing_is_lost(self) -> None:
        # Signing twice (two tabs): the second is refused and the first signature stays.
        instance = self.make(self.own_unit)
        signer = make_user("signer", unit=self.own_unit, perms=("inventory.view_sharedarealist",))
        instance.responsible.user = signer
        instance.responsible.save()
        self.client.force_login(signer)
        sign = reverse("inventory:sharedarealist_sign", kwargs={"pk": instance.pk})
        self.client.post(sign)
        self.client.force_login(self.editor)
        response = self.client.post(sign, follow=True)
        self.assertContains(response, "already been signed")
        self.assertEqual(SharedAreaList.objects.get(pk=instance.pk).signed_by, signer)

    def test_a_location_without_unheld_items_gives_a_clear_error(self) -> None:
        room = Location.objects.create(
            unit=self.own_unit, building="Ek Bina", room="13", responsible=person(self.own_unit)
        )
        self.client.force_login(self.editor)
        response = self.client.post(self.url("_add"), {"location": room.pk, "date": "2026-03-02"})
        self.assertContains(response, "No unheld items are recorded at Ek Bina / 13.", status_code=422)
        self.assertFalse(SharedAreaList.objects.exists())

    def test_list_filters_signed_and_unsigned(self) -> None:
        signed, unsigned = self.make(self.own_unit), self.make(self.own_unit)
        services.sign_shared_area_list(signed, self.editor)
        self.client.force_login(self.editor)
        for value, expected in (("true", signed), ("false", unsigned)):
            response = self.client.get(self.url("_list"), {"signed": value})
            self.assertEqual([row.record for row in response.context["table"].page.object_list], [expected])

    def test_another_units_location_cannot_be_chosen(self) -> None:
        room = Location.objects.create(
            unit=self.other_unit, building="Fen", room="1", responsible=person(self.other_unit)
        )
        make_asset(self.other_unit, location=room)
        self.client.force_login(self.editor)
        response = self.client.post(self.url("_add"), {"location": room.pk, "date": "2026-03-02"})
        self.assertEqual(response.status_code, 422)
        self.assertFalse(SharedAreaList.objects.exists())


# --- Pages -----------------------------------------------------------------------------------------------


@pytest.fixture
def units() -> dict[str, Unit]:
    return tree()


@pytest.fixture
def clerk(units: dict[str, Unit]) -> Any:
    user = make_user("kayit", unit=units["it"], roles=("tasinir_kayit",))
    _officer_for(user, units["it"])
    return user


@pytest.fixture
def ayse(units: dict[str, Unit]) -> Staff:
    user = make_user("ayse", unit=units["section"], roles=("birim_kullanicisi",))
    return person(units["section"], "Ayşe", "Kaya", registry_no="1001", title="Tekniker", user=user)


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_issue_form_lists_only_free_ready_items_and_searches_alternatives(client, units, clerk, ayse) -> None:  # type: ignore[no-untyped-def]
    free = make_asset(units["it"], serial="AAA111")
    other = make_asset(units["it"], serial="BBB222")
    held = make_asset(units["it"], serial="CCC333")
    services.issue_custody(ayse, [held], clerk.staff, on=MARCH)
    unready = make_asset(units["it"], kind=kind("Masaüstü bilgisayar", needs_commissioning=True))
    response = login(client, clerk).get(reverse("inventory:custodydocument_add"))
    assert response.status_code == 200
    shown = {asset.pk for asset in response.context["candidates"]}
    assert shown == {free.pk, other.pk}
    assert held.pk not in shown and unready.pk not in shown
    response = client.get(reverse("inventory:custodydocument_add"), {"asset_q": "aaa111, bbb222", "staff_q": "kaya"})
    assert {asset.pk for asset in response.context["candidates"]} == {free.pk, other.pk}
    assert [p.pk for p in response.context["people"]] == [ayse.pk]
    response = client.get(reverse("inventory:custodydocument_add"), {"asset_q": "aaa111", "assets": [other.pk]})
    assert {asset.pk for asset in response.context["candidates"]} == {free.pk, other.pk}  # the chosen one is kept
    assert response.context["chosen"] == {other.pk}


@pytest.mark.django_db
def test_it_clerk_hands_items_to_a_person_of_any_unit(client, units, clerk) -> None:  # type: ignore[no-untyped-def]
    veli = person(units["other"], "Veli", "Işık")
    asset = make_asset(units["it"])
    page = login(client, clerk).get(reverse("inventory:custodydocument_add"), {"staff_q": "işık"})
    assert [p.pk for p in page.context["people"]] == [veli.pk]
    response = client.post(
        reverse("inventory:custodydocument_add"), {"staff": veli.pk, "assets": [asset.pk], "date": "2026-03-02"}
    )
    document = CustodyDocument.objects.get()
    assert response.status_code == 302 and document.staff == veli and document.unit == units["other"]


@pytest.mark.django_db
def test_issue_without_a_staff_record_is_refused_with_a_message(client, units, ayse) -> None:  # type: ignore[no-untyped-def]
    user = make_user("kayitsiz", unit=units["it"], roles=("tasinir_kayit",))
    asset = make_asset(units["it"])
    response = login(client, user).post(
        reverse("inventory:custodydocument_add"), {"staff": ayse.pk, "assets": [asset.pk], "date": "2026-03-02"}
    )
    assert response.status_code == 422
    assert "not linked to a staff record" in response.content.decode()
    assert not CustodyDocument.objects.exists()


@pytest.mark.django_db
def test_issue_form_reports_missing_choices(client, units, clerk) -> None:  # type: ignore[no-untyped-def]
    response = login(client, clerk).post(reverse("inventory:custodydocument_add"), {"date": "2026-03-02"})
    assert response.status_code == 422
    assert "Choose at least one asset to hand over." in response.content.decode()


@pytest.mark.django_db
def test_document_page_takes_back_selected_items(client, units, clerk, ayse) -> None:  # type: ignore[no-untyped-def]
    laptop, mouse = make_asset(units["it"]), make_asset(units["it"], name="Fare")
    document = services.issue_custody(ayse, [laptop, mouse], clerk.staff, on=MARCH)
    url = reverse("inventory:custodydocument", kwargs={"pk": document.pk})
    page = login(client, clerk).get(url)
    assert page.context["open_count"] == 2 and page.context["return_form"] is not None
    item = document.items.get(asset=laptop)
    back = reverse("inventory:custodydocument_return", kwargs={"pk": document.pk})
    early = client.post(back, {"items": [item.pk], "date": "2026-03-01", "condition": ""}, follow=True)
    assert "cannot be returned before it was handed over (02.03.2026)" in early.content.decode()
    client.post(back, {"items": [item.pk], "date": "2026-06-01", "condition": "Sağlam"})
    item.refresh_from_db()
    assert (item.returned_at, item.returned_to, item.condition) == (date(2026, 6, 1), clerk.staff, "Sağlam")
    assert client.get(url).context["open_count"] == 1


@pytest.mark.django_db
def test_a_unit_user_may_read_but_not_take_back(client, units, clerk, ayse) -> None:  # type: ignore[no-untyped-def]
    document = services.issue_custody(ayse, [make_asset(units["it"])], clerk.staff, on=MARCH)
    page = login(client, ayse.user).get(reverse("inventory:custodydocument", kwargs={"pk": document.pk}))
    assert page.status_code == 200 and page.context["return_form"] is None
    back = reverse("inventory:custodydocument_return", kwargs={"pk": document.pk})
    item = document.items.get()
    assert client.post(back, {"items": [item.pk], "date": "2026-06-01"}).status_code == 403
    assert CustodyItem.objects.get(pk=item.pk).returned_at is None


@pytest.mark.django_db
def test_document_list_filters_by_year_state_unit_and_search(client, units, clerk, ayse) -> None:  # type: ignore[no-untyped-def]
    veli = person(units["other"], "Veli", "Işık")
    old = services.issue_custody(veli, [make_asset(units["it"])], clerk.staff, on=date(2025, 12, 30))
    laptop = make_asset(units["it"])
    current = services.issue_custody(ayse, [laptop], clerk.staff, on=MARCH)
    services.return_custody(old.items.all(), clerk.staff, on=date(2026, 1, 5))
    login(client, clerk)

    def listed(**params: Any) -> set[int]:
        response = client.get(reverse("inventory:custodydocument_list"), params)
        assert response.status_code == 200
        return {row.record.pk for row in response.context["table"].page.object_list}

    assert listed() == {old.pk, current.pk}
    assert listed(year=2025) == {old.pk}
    assert listed(state="open") == {current.pk}
    assert listed(state="returned") == {old.pk}
    assert listed(unit=units["it"].pk) == {current.pk}  # the section is under the IT department
    assert listed(q="isik") == {old.pk}
    assert listed(q=laptop.sicil_no) == {current.pk}
    assert listed(staff=ayse.pk) == {current.pk}
    exported = client.get(reverse("inventory:custodydocument_list"), {"export": "csv", "state": "open"})
    assert exported.status_code == 200
    assert "2026/1;2026-03-02;Ayşe Kaya;Teknik Destek Şefliği;Mehmet Demir;1;1" in exported.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_a_person_sees_what_they_hold_and_what_they_returned(client, units, clerk, ayse) -> None:  # type: ignore[no-untyped-def]
    laptop, phone = make_asset(units["it"]), make_asset(units["it"], name="IP telefon")
    document = services.issue_custody(ayse, [laptop, phone], clerk.staff, on=MARCH)
    services.return_custody(document.items.filter(asset=phone), clerk.staff, on=date(2026, 5, 5))
    url = reverse("inventory:custody_staff", kwargs={"staff_pk": ayse.pk})
    assert url == f"/envanter/custody/staff/{ayse.pk}/"
    page = login(client, ayse.user).get(url)
    assert page.status_code == 200
    assert [item.asset for item in page.context["held"]] == [laptop]
    assert [item.asset for item in page.context["history"]] == [phone]
    assert page.context["return_form"] is None and not page.context["can_issue"]
    stranger = make_user("fen", unit=units["other"], roles=("birim_kullanicisi",))
    assert login(client, stranger).get(url).status_code == 404
    clerk_page = login(client, clerk).get(url)
    assert clerk_page.context["return_form"] is not None and clerk_page.context["can_issue"]


@pytest.mark.django_db
def test_the_person_page_takes_back_and_transfers(client, units, clerk, ayse) -> None:  # type: ignore[no-untyped-def]
    laptop, phone = make_asset(units["it"]), make_asset(units["it"], name="IP telefon")
    services.issue_custody(ayse, [laptop, phone], clerk.staff, on=MARCH)
    veli = person(units["other"], "Veli", "Işık")
    login(client, clerk)
    item = CustodyItem.objects.get(asset=phone)
    client.post(
        reverse("inventory:custody_staff_return", kwargs={"staff_pk": ayse.pk}),
        {"items": [item.pk], "date": "2026-05-05"},
    )
    assert Asset.objects.get(pk=phone.pk).holder is None
    transfer = reverse("inventory:custody_staff_transfer", kwargs={"staff_pk": ayse.pk})
    page = client.get(transfer, {"staff_q": "veli"})
    assert [p.pk for p in page.context["people"]] == [veli.pk]
    held = CustodyItem.objects.get(asset=laptop, returned_at__isnull=True)
    response = client.post(transfer, {"items": [held.pk], "to_staff": veli.pk, "date": "2026-06-01"})
    assert response.status_code == 302
    assert Asset.objects.get(pk=laptop.pk).holder == veli
    refused = client.post(transfer, {"items": [held.pk], "to_staff": veli.pk, "date": "2026-06-01"})
    assert refused.status_code == 422  # that line is no longer Ayşe's


@pytest.mark.django_db
def test_departure_page_hands_everything_to_the_successor(client, units, clerk, ayse) -> None:  # type: ignore[no-untyped-def]
    successor = person(units["section"], "Veli", "Işık")
    departure = Departure.objects.create(
        staff=ayse, reason="transfer", last_day=date(2026, 11, 30), successor=successor
    )
    assets = [make_asset(units["it"]), make_asset(units["it"])]
    services.issue_custody(ayse, assets, clerk.staff, on=MARCH)
    url = reverse("inventory:custody_departure_handover", kwargs={"departure_pk": departure.pk})
    page = login(client, clerk).get(url)
    assert page.status_code == 200 and len(page.context["held"]) == 2
    response = client.post(url, {"date": "2026-11-20"})
    document = CustodyDocument.objects.get(staff=successor)
    assert response["Location"] == document.get_absolute_url()
    assert {a.holder_id for a in Asset.objects.filter(pk__in=[a.pk for a in assets])} == {successor.pk}
    again = client.post(url, {"date": "2026-11-20"})
    assert again.status_code == 422 and "holds no items" in again.content.decode()
    assert login(client, ayse.user).get(url).status_code == 403


@pytest.mark.django_db
def test_the_area_responsible_opens_and_signs_their_list_without_inventory_rights(client, units) -> None:  # type: ignore[no-untyped-def]
    owner = make_user("zeynep", unit=units["other"], roles=("birim_kullanicisi",))
    room = Location.objects.create(
        unit=units["other"], building="Fen Binası", room="3", responsible=person(units["other"], "Zeynep", user=owner)
    )
    make_asset(units["other"], location=room)
    area_list = services.create_shared_area_list(room, on=MARCH)
    url = reverse("inventory:sharedarealist", kwargs={"pk": area_list.pk})
    page = login(client, owner).get(url)
    assert page.status_code == 200 and page.context["can_sign"]
    client.post(reverse("inventory:sharedarealist_sign", kwargs={"pk": area_list.pk}))
    assert SharedAreaList.objects.get(pk=area_list.pk).signed_by == owner
    entry = ChangeLogEntry.objects.filter(object_id=str(area_list.pk), content_type__model="sharedarealist").first()
    assert (entry.action, entry.user_id) == ("update", owner.pk)
    assert "signed_by" in {name.removesuffix("_id") for name, _b, _a in entry.changed_fields()}
    neighbour = make_user("komsu", unit=units["other"], roles=("birim_kullanicisi",))
    assert login(client, neighbour).get(url).status_code == 403
    assert client.post(reverse("inventory:sharedarealist_sign", kwargs={"pk": area_list.pk})).status_code == 403
