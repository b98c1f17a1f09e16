"""Generic view tests (NetBox's shape): one subclass per model gets the whole permission,
scoping, change-log, concurrency and query-count suite for free.

A subclass sets ``model`` and implements ``make(unit)`` (a saved row owned by ``unit``) and
``form_data(unit)`` (valid POST data for a new row in ``unit``); ``update_field`` names one
form field to change in the edit test (its new value comes from ``form_data``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from biys.core.models import ChangeLogEntry
from biys.core.testing import make_unit, make_user


class ViewTestCases:
    class ModelViewTestCase(TestCase):
        model: ClassVar[Any]
        scoped: ClassVar[bool] = True  # rows of another unit are invisible (404)
        has_edit: ClassVar[bool] = True
        has_delete: ClassVar[bool] = True
        update_field: ClassVar[str] = ""
        root: ClassVar[Any]
        own_unit: ClassVar[Any]
        other_unit: ClassVar[Any]
        editor: ClassVar[Any]
        outsider: ClassVar[Any]

        @classmethod
        def setUpTestData(cls) -> None:
            cls.root = make_unit("Belediye", code="ROOT", kind="baskanlik")
            cls.own_unit = make_unit("Bilgi İşlem", parent=cls.root, code="BIM")
            cls.other_unit = make_unit("Fen İşleri", parent=cls.root, code="FEN")
            meta = cls.model._meta
            actions = ("view", "add", "change", "delete")
            cls.editor = make_user(
                "editor", unit=cls.own_unit, perms=tuple(f"{meta.app_label}.{a}_{meta.model_name}" for a in actions)
            )
            cls.outsider = make_user("outsider", unit=cls.own_unit)

        # -- to implement ---------------------------------------------------------------------
        def make(self, unit: Any) -> Any:
            raise NotImplementedError

        def form_data(self, unit: Any) -> dict[str, Any]:
            raise NotImplementedError

        # -- helpers ------------------------------------------------------------------------------
        def url(self, suffix: str = "", **kwargs: Any) -> str:
            meta = self.model._meta
            return reverse(f"{meta.app_label}:{meta.model_name}{suffix}", kwargs=kwargs or None)

        def log(self, instance: Any, action: str) -> Any:
            return (
                ChangeLogEntry.objects.filter(
                    content_type__model=self.model._meta.model_name, object_id=str(instance.pk), action=action
                )
                .order_by("-id")
                .first()
            )

        # -- the tests ----------------------------------------------------------------------------
        def test_anonymous_is_sent_to_login(self) -> None:
            instance = self.make(self.own_unit)
            for url in (self.url("_list"), self.url(pk=instance.pk)):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302, url)
                self.assertIn(reverse("users:login"), response["Location"])

        def test_user_without_permission_gets_403(self) -> None:
            instance = self.make(self.own_unit)
            self.client.force_login(self.outsider)
            self.assertEqual(self.client.get(self.url("_list")).status_code, 403)
            self.assertEqual(self.client.get(self.url(pk=instance.pk)).status_code, 403)
            if self.has_edit:
                self.assertEqual(self.client.get(self.url("_add")).status_code, 403)

        def test_list_and_detail_show_own_unit_row(self) -> None:
            instance = self.make(self.own_unit)
            self.client.force_login(self.editor)
            response = self.client.get(self.url("_list"))
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, instance.get_absolute_url())
            self.assertEqual(self.client.get(self.url(pk=instance.pk)).status_code, 200)

        def test_other_units_row_is_404_and_not_listed(self) -> None:
            instance = self.make(self.other_unit)
            self.client.force_login(self.editor)
            if not self.scoped:  # public inside the municipality: visible to every unit
                self.assertEqual(self.client.get(self.url(pk=instance.pk)).status_code, 200)
                return
            self.assertEqual(self.client.get(self.url(pk=instance.pk)).status_code, 404)
            self.assertNotContains(self.client.get(self.url("_list")), instance.get_absolute_url())
            if self.has_edit:
                self.assertEqual(self.client.get(self.url("_edit", pk=instance.pk)).status_code, 404)

        def test_create_saves_and_logs(self) -> None:
            if not self.has_edit:
                self.skipTest("no edit view")
            self.client.force_login(self.editor)
            before = set(self.model.objects.values_list("pk", flat=True))
            response = self.client.post(self.url("_add"), self.form_data(self.own_unit))
            self.assertEqual(response.status_code, 302, _errors(response))
            created = self.model.objects.exclude(pk__in=before).get()
            entry = self.log(created, "create")
            self.assertIsNotNone(entry)
            self.assertEqual(entry.user_id, self.editor.pk)
            self.assertTrue(entry.request_id)

        def test_edit_saves_and_logs_before_and_after(self) -> None:
            if not self.has_edit or not self.update_field:
                self.skipTest("no edit view")
            instance = self.make(self.own_unit)
            self.client.force_login(self.editor)
            form = self.client.get(self.url("_edit", pk=instance.pk)).context["form"]
            data = {**self._initial(form), self.update_field: self.form_data(self.own_unit)[self.update_field]}
            response = self.client.post(self.url("_edit", pk=instance.pk), data)
            self.assertEqual(response.status_code, 302, _errors(response))
            entry = self.log(instance, "update")
            self.assertIsNotNone(entry)
            self.assertIn(self.update_field, {name.removesuffix("_id") for name, _b, _a in entry.changed_fields()})

        def test_stale_edit_is_refused_and_nothing_is_lost(self) -> None:
            if not self.has_edit or not self.update_field:
                self.skipTest("no edit view")
            instance = self.make(self.own_unit)
            self.client.force_login(self.editor)
            form = self.client.get(self.url("_edit", pk=instance.pk)).context["form"]
            stale = self._initial(form)
            # Someone else saves in between.
            self.model.objects.get(pk=instance.pk).save()
            changed = {**stale, self.update_field: self.form_data(self.own_unit)[self.update_field]}
            response = self.client.post(self.url("_edit", pk=instance.pk), changed)
            self.assertEqual(response.status_code, 422)
            self.assertIn("conflict", [e.code for e in response.context["form"].non_field_errors().as_data()])
            self.assertIsNone(self.log(instance, "update"), "the stale form must not have been saved")

        def test_delete_removes_and_logs(self) -> None:
            instance = self.make(self.own_unit)
            if not self.has_delete:  # kept for the record (closed or cancelled instead): no route at all
                with self.assertRaises(NoReverseMatch):
                    self.url("_delete", pk=instance.pk)
                return
            self.client.force_login(self.editor)
            response = self.client.post(self.url("_delete", pk=instance.pk))
            self.assertEqual(response.status_code, 302)
            self.assertFalse(self.model.objects.filter(pk=instance.pk).exists())
            self.assertIsNotNone(self.log(instance, "delete"))

        def test_history_tab_lists_changes(self) -> None:
            instance = self.make(self.own_unit)
            self.client.force_login(self.editor)
            response = self.client.get(self.url("_history", pk=instance.pk))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(
                len(response.context["entries"]),
                ChangeLogEntry.objects.filter(
                    content_type__model=self.model._meta.model_name, object_id=str(instance.pk)
                ).count(),
            )

        def test_list_query_count_is_constant(self) -> None:
            self.make(self.own_unit)
            self.client.force_login(self.editor)
            self.client.get(self.url("_list"))  # warm caches (content types, session)
            with CaptureQueriesContext(connection) as few:
                self.client.get(self.url("_list"))
            for _index in range(6):
                self.make(self.own_unit)
            # Warm again: making rows may create users, after which permissions are read once more (permcache).
            self.client.get(self.url("_list"))
            with CaptureQueriesContext(connection) as many:
                self.client.get(self.url("_list"))
            self.assertEqual(len(few), len(many), [q["sql"] for q in many.captured_queries])

        def _initial(self, form: Any) -> dict[str, Any]:
            data: dict[str, Any] = {}
            for name in form.fields:
                value = form[name].value()
                if value is None:
                    continue
                if isinstance(value, bool):
                    if value:
                        data[name] = "on"
                    continue
                data[name] = value
            return data


def _errors(response: Any) -> Any:
    context = getattr(response, "context", None)
    return context["form"].errors if context and "form" in context else response.content[:500]
