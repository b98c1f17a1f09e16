"""Permissions kept per process: read once, read again after any change to them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from biys.core.testing import make_unit, make_user
from biys.users import permcache
from biys.users.models import Role, User

pytestmark = pytest.mark.django_db

STAFF_LIST = "/teskilat/staff/"


def permission_queries(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, sum('"auth_permission"' in q["sql"] for q in queries.captured_queries)


def fresh(user: Any) -> Any:
    return User.objects.get(pk=user.pk)


def test_permissions_are_read_once_and_not_on_every_request(client: Client) -> None:
    user = make_user("denetci", unit=make_unit("Bilgi İşlem"), roles=("denetci",))
    client.force_login(user)
    assert permission_queries(client, STAFF_LIST) == (200, 2)  # the first request reads them
    assert permission_queries(client, STAFF_LIST) == (200, 0)
    assert permission_queries(client, "/") == (200, 0)


def test_a_role_given_or_taken_applies_on_the_next_request(client: Client) -> None:
    user = make_user("kullanici", unit=make_unit("Fen İşleri"), roles=("birim_kullanicisi",))
    client.force_login(user)
    assert permission_queries(client, STAFF_LIST)[0] == 403
    auditors = Role.objects.get(code="denetci").group_ptr
    user.groups.add(auditors)
    assert permission_queries(client, STAFF_LIST) == (200, 2)
    user.groups.remove(auditors)
    assert client.get(STAFF_LIST).status_code == 403


def test_a_permission_taken_from_a_role_applies_on_the_next_request(client: Client) -> None:
    user = make_user("denetci", unit=make_unit("Bilgi İşlem"), roles=("denetci",))
    client.force_login(user)
    assert client.get(STAFF_LIST).status_code == 200
    view_staff = Permission.objects.get(content_type__app_label="org", codename="view_staff")
    Role.objects.get(code="denetci").group_ptr.permissions.remove(view_staff)
    assert client.get(STAFF_LIST).status_code == 403


def test_a_login_does_not_make_every_process_read_again(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user = make_user("denetci", unit=make_unit("Bilgi İşlem"), roles=("denetci",))
    version = permcache.current_version()
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(user)  # saves last_login
        fresh(user).save(update_fields=["last_login"])
    assert permcache.current_version() == version
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        fresh(user).save(update_fields=["is_superuser"])
        assert permcache.current_version() == version  # not before the change is committed
    assert callbacks and permcache.current_version() != version


def test_an_old_entry_is_read_again_after_max_age(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user("denetci", unit=make_unit("Bilgi İşlem"), roles=("denetci",))
    client.force_login(user)
    client.get(STAFF_LIST)
    clock = [permcache.monotonic() + permcache.MAX_AGE + 1]
    monkeypatch.setattr(permcache, "monotonic", lambda: clock[0])
    assert permission_queries(client, STAFF_LIST) == (200, 2)
