"""Custody API: scoped reads, creation only through issue_custody, returns through the document's action."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission

from biys.core.models import ChangeLogEntry
from biys.core.testing import make_user
from biys.core.testing.api import ApiTestCases
from biys.inventory.custody import services
from biys.inventory.models import Asset, CustodyDocument, CustodyItem, Location, SharedAreaList, Voucher
from biys.inventory.tests.test_custody_services import MARCH, english, make_asset, person  # noqa: F401 - fixture
from biys.users.models import ApiToken


class CustodyDocumentApiTests(ApiTestCases.ModelApiTestCase):
    model = CustodyDocument
    endpoint = "inventory/custody-documents"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.officer = person(cls.own_unit, "Mehmet", "Demir", user=cls.editor)
        cls.editor.user_permissions.add(Permission.objects.get(codename="change_custodyitem"))

    def make(self, unit: Any) -> CustodyDocument:
        return services.issue_custody(person(unit), [make_asset(unit)], self.officer, on=MARCH)

    def api_data(self, unit: Any) -> dict[str, Any]:
        return {"staff": person(unit).pk, "assets": [make_asset(unit).pk], "date": "2026-03-02", "note": "Yeni"}

    def post(self, url: str, data: Any) -> Any:
        return self.client.post(url, data, content_type="application/json", **self.auth())

    def test_create_update_delete_are_logged_as_the_token_user(self) -> None:
        data = self.api_data(self.own_unit)
        response = self.post(self.url(), data)
        self.assertEqual(response.status_code, 201, response.content[:500])
        body = response.json()
        self.assertEqual(
            (body["document_no"], body["staff"], body["issued_by"]), ("2026/1", data["staff"], self.officer.pk)
        )
        self.assertEqual([item["asset"] for item in body["items"]], data["assets"])
        entry = ChangeLogEntry.objects.get(
            object_id=str(body["id"]), action="create", content_type__model="custodydocument"
        )
        self.assertEqual(entry.user_id, self.editor.pk)
        self.assertEqual(Asset.objects.get(pk=data["assets"][0]).holder_id, data["staff"])
        self.assertFalse(Voucher.objects.exists())  # TMY md. 18/3
        # Never edited or deleted through the API.
        patch = self.client.patch(self.url(body["id"]), {"note": "x"}, content_type="application/json", **self.auth())
        self.assertEqual(patch.status_code, 405)
        self.assertEqual(self.client.delete(self.url(body["id"]), **self.auth()).status_code, 405)

    def test_a_held_asset_is_refused_with_its_sicil_no(self) -> None:
        held = self.make(self.own_unit).items.get().asset
        response = self.post(self.url(), {"staff": person(self.own_unit, "Veli", "Işık").pk, "assets": [held.pk]})
        self.assertEqual(response.status_code, 400)
        self.assertIn(f"{held.sicil_no} is already held by Ayşe Kaya (Teslim Belgesi 2026/1).", str(response.json()))
        self.assertEqual(CustodyDocument.objects.count(), 1)

    def test_assets_of_another_unit_cannot_be_named(self) -> None:
        response = self.post(
            self.url(), {"staff": person(self.own_unit).pk, "assets": [make_asset(self.other_unit).pk]}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("assets", response.json())

    def test_return_action_takes_items_back(self) -> None:
        document = self.make(self.own_unit)
        item = document.items.get()
        url = self.url(document.pk) + "return/"
        early = self.post(url, {"items": [item.pk], "date": "2026-03-01"})
        self.assertEqual(early.status_code, 400)
        self.assertIn("cannot be returned before it was handed over", str(early.json()))
        response = self.post(url, {"items": [item.pk], "date": "2026-04-01", "condition": "Sağlam"})
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertEqual(response.json()["items"][0]["returned_at"], "2026-04-01")
        self.assertEqual(CustodyItem.objects.get(pk=item.pk).returned_to, self.officer)

    def test_return_needs_the_change_permission_on_custody_items(self) -> None:
        document = self.make(self.own_unit)
        reader = make_user("okur", unit=self.own_unit, perms=("inventory.view_custodydocument",))
        token = ApiToken.issue(reader, "tests")[1]
        response = self.client.post(
            self.url(document.pk) + "return/",
            {"items": [document.items.get().pk]},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(document.items.get().returned_at)


class SharedAreaListApiTests(ApiTestCases.ModelApiTestCase):
    model = SharedAreaList
    endpoint = "inventory/shared-area-lists"

    def make(self, unit: Any) -> SharedAreaList:
        room = Location.objects.create(
            unit=unit, building="Hizmet Binası", room=f"{Location.objects.count() + 1}", responsible=person(unit)
        )
        make_asset(unit, location=room)
        return services.create_shared_area_list(room, on=MARCH)

    def api_data(self, unit: Any) -> dict[str, Any]:
        return {"location": self.make(unit).location_id, "date": "2026-03-02"}

    def test_create_update_delete_are_logged_as_the_token_user(self) -> None:
        instance = self.make(self.own_unit)
        body = self.client.get(self.url(instance.pk), **self.auth()).json()
        self.assertEqual(body["assets"], list(instance.assets.values_list("pk", flat=True)))
        response = self.client.post(
            self.url(), self.api_data(self.own_unit), content_type="application/json", **self.auth()
        )
        self.assertEqual(response.status_code, 405)  # lists are made on the page, as a snapshot
        self.assertEqual(self.client.delete(self.url(instance.pk), **self.auth()).status_code, 405)

    def test_malformed_payload_is_400_with_field_names(self) -> None:
        response = self.client.post(self.url(), "{not json", content_type="application/json", **self.auth())
        self.assertEqual(response.status_code, 405)  # read-only: nothing is parsed
