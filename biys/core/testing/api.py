"""Generic API tests: the same permissions and scoping as the pages, through token and session auth.

A subclass sets ``model`` and ``endpoint`` ("org/staff") and implements ``make(unit)`` and
``api_data(unit)`` (a valid JSON body for a new row in ``unit``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.test import TestCase

from biys.core.models import ChangeLogEntry
from biys.core.testing import make_unit, make_user
from biys.users.models import ApiToken


class ApiTestCases:
    class ModelApiTestCase(TestCase):
        model: ClassVar[Any]
        endpoint: ClassVar[str]
        scoped: ClassVar[bool] = True
        update_field: ClassVar[str] = ""
        root: ClassVar[Any]
        own_unit: ClassVar[Any]
        other_unit: ClassVar[Any]
        editor: ClassVar[Any]
        outsider: ClassVar[Any]
        token: ClassVar[str]

        @classmethod
        def setUpTestData(cls) -> None:
            cls.root = make_unit("Belediye", code="ROOT", kind="baskanlik")
            cls.own_unit = make_unit("Bilgi İşlem", parent=cls.root, code="BIM")
            cls.other_unit = make_unit("Fen İşleri", parent=cls.root, code="FEN")
            meta = cls.model._meta
            perms = tuple(f"{meta.app_label}.{a}_{meta.model_name}" for a in ("view", "add", "change", "delete"))
            cls.editor = make_user("api-editor", unit=cls.own_unit, perms=perms)
            cls.outsider = make_user("api-outsider", unit=cls.own_unit)
            cls.token = ApiToken.issue(cls.editor, "tests")[1]

        def make(self, unit: Any) -> Any:
            raise NotImplementedError

        def api_data(self, unit: Any) -> dict[str, Any]:
            raise NotImplementedError

        def url(self, pk: Any = None) -> str:
            return f"/api/{self.endpoint}/" + (f"{pk}/" if pk is not None else "")

        def auth(self) -> dict[str, Any]:
            return {"HTTP_AUTHORIZATION": f"Token {self.token}"}

        def test_anonymous_gets_401_or_403(self) -> None:
            self.assertIn(self.client.get(self.url()).status_code, (401, 403))

        def test_without_permission_gets_403(self) -> None:
            self.client.force_login(self.outsider)
            self.assertEqual(self.client.get(self.url()).status_code, 403)

        def test_list_with_token_shows_own_unit_only(self) -> None:
            own = self.make(self.own_unit)
            other = self.make(self.other_unit)
            response = self.client.get(self.url(), **self.auth())
            self.assertEqual(response.status_code, 200)
            ids = {row["id"] for row in response.json()["results"]}
            self.assertIn(own.pk, ids)
            if self.scoped:
                self.assertNotIn(other.pk, ids)
                self.assertEqual(self.client.get(self.url(other.pk), **self.auth()).status_code, 404)

        def test_create_update_delete_are_logged_as_the_token_user(self) -> None:
            response = self.client.post(
                self.url(), self.api_data(self.own_unit), content_type="application/json", **self.auth()
            )
            self.assertEqual(response.status_code, 201, response.content[:500])
            pk = response.json()["id"]
            entry = ChangeLogEntry.objects.filter(
                object_id=str(pk), action="create", content_type__model=self.model._meta.model_name
            ).get()
            self.assertEqual(entry.user_id, self.editor.pk)
            if self.update_field:
                value = self.api_data(self.own_unit)[self.update_field]
                patched = self.client.patch(
                    self.url(pk), {self.update_field: value}, content_type="application/json", **self.auth()
                )
                self.assertEqual(patched.status_code, 200, patched.content[:500])
            deleted = self.client.delete(self.url(pk), **self.auth())
            self.assertEqual(deleted.status_code, 204)
            self.assertTrue(ChangeLogEntry.objects.filter(object_id=str(pk), action="delete").exists())

        def test_stale_update_with_if_match_is_refused(self) -> None:
            if not self.update_field:
                return
            instance = self.make(self.own_unit)
            etag = self.client.get(self.url(instance.pk), **self.auth())["ETag"]
            self.model.objects.get(pk=instance.pk).save()  # someone else saves in between
            value = self.api_data(self.own_unit)[self.update_field]
            stale = self.client.patch(
                self.url(instance.pk), {self.update_field: value}, content_type="application/json",
                HTTP_IF_MATCH=etag, **self.auth(),
            )  # fmt: skip
            self.assertEqual(stale.status_code, 412)
            fresh = self.client.get(self.url(instance.pk), **self.auth())["ETag"]
            ok = self.client.patch(
                self.url(instance.pk), {self.update_field: value}, content_type="application/json",
                HTTP_IF_MATCH=fresh, **self.auth(),
            )  # fmt: skip
            self.assertEqual(ok.status_code, 200, ok.content[:300])

        def test_malformed_payload_is_400_with_field_names(self) -> None:
            response = self.client.post(self.url(), "{not json", content_type="application/json", **self.auth())
            self.assertEqual(response.status_code, 400)
            response = self.client.post(self.url(), {}, content_type="application/json", **self.auth())
            self.assertEqual(response.status_code, 400)
            self.assertIsInstance(response.json(), dict)
