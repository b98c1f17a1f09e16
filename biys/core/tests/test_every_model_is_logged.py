"""Every concrete BİYS model is covered by the change log: create, update and delete of each one
are written, whichever code path saves it. New models must add a factory in their app's
``tests/factories.py`` (``FACTORIES``) or this test fails and names them."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps

from biys.core import changelog
from biys.core.models import ChangeLogEntry


def _factories() -> dict[Any, Any]:
    found: dict[Any, Any] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("biys."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.factories")
        except ModuleNotFoundError:
            continue
        found.update(module.FACTORIES)
    return found


LOGGED = sorted((m for m in apps.get_models() if changelog.is_logged(m)), key=lambda m: m._meta.label)


def test_every_logged_model_has_a_factory() -> None:
    missing = [m._meta.label for m in LOGGED if m not in _factories()]
    assert missing == []


def test_the_log_itself_is_not_logged() -> None:
    labels = {m._meta.label for m in LOGGED}
    assert "core.ChangeLogEntry" not in labels
    assert "core.ChangeLogHead" not in labels
    assert {"org.Staff", "org.Unit", "users.User", "users.Role"} <= labels


@pytest.mark.django_db
@pytest.mark.parametrize("model", LOGGED, ids=lambda m: m._meta.label)
def test_create_update_delete_are_logged(model: Any) -> None:
    make, field, value = _factories()[model]
    instance = make()
    label = model._meta.model_name

    def entries(action: str) -> int:
        return ChangeLogEntry.objects.filter(
            content_type__model=label, object_id=str(instance.pk), action=action
        ).count()

    assert entries("create") == 1
    setattr(instance, field, value)
    instance.save()
    assert entries("update") == 1
    pk = instance.pk
    instance.delete()
    instance.pk = pk
    assert entries("delete") == 1
    assert changelog.verify().ok
