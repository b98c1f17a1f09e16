"""Platform: settings from the environment, the health check, the business calendar's table, uploads."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.test import Client

from biys.core import env
from biys.core.calendar import ISTANBUL, get_calendar
from biys.core.models import CalendarDay
from biys.core.validators import validate_image_upload


def test_env_helpers_refuse_bad_values_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIYS_X_BOOL", "belki")
    with pytest.raises(ImproperlyConfigured, match="BIYS_X_BOOL"):
        env.env_bool("BIYS_X_BOOL")
    monkeypatch.setenv("BIYS_X_INT", "on iki")
    with pytest.raises(ImproperlyConfigured, match="BIYS_X_INT"):
        env.env_int("BIYS_X_INT", 1)
    monkeypatch.setenv("BIYS_X_INT", "0")
    with pytest.raises(ImproperlyConfigured, match="minimum"):
        env.env_int("BIYS_X_INT", 1, minimum=1)
    monkeypatch.setenv("BIYS_X_CHOICE", "celery")
    with pytest.raises(ImproperlyConfigured, match="database, immediate"):
        env.env_choice("BIYS_X_CHOICE", "database", ("database", "immediate"))


def test_env_helpers_read_good_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIYS_X_BOOL", "Evet")
    monkeypatch.setenv("BIYS_X_LIST", "a.gov.tr, ,b.gov.tr")
    assert env.env_bool("BIYS_X_BOOL") is True
    assert env.env_list("BIYS_X_LIST") == ["a.gov.tr", "b.gov.tr"]
    assert env.env_int("BIYS_X_UNSET", 7) == 7


def test_secrets_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n", encoding="utf-8")
    monkeypatch.setenv("BIYS_X_SECRET_FILE", str(secret))
    assert env.env_secret("BIYS_X_SECRET") == "s3cr3t"
    monkeypatch.setenv("BIYS_X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="BIYS_X_SECRET_FILE"):
        env.env_secret("BIYS_X_SECRET")


@pytest.mark.django_db
def test_health_reports_the_database(client: Client) -> None:
    response = client.get("/health/")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})


@pytest.mark.django_db
def test_health_answers_503_when_the_database_is_down(client: Client) -> None:
    with mock.patch("biys.core.pages.connection.cursor", side_effect=DatabaseError("connection refused")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_calendar_exceptions_from_the_table_change_business_time() -> None:
    # Friday 8 May 2026 is an ordinary working day until an idari izin is declared.
    start = datetime(2026, 5, 8, 9, 0, tzinfo=ISTANBUL)
    assert get_calendar().add_business_days(date(2026, 5, 6), 2) == date(2026, 5, 8)
    CalendarDay.objects.create(date=date(2026, 5, 8), kind=CalendarDay.Kind.DAY_OFF, description="İdari izin")
    calendar = get_calendar()
    assert calendar.add_business_days(date(2026, 5, 6), 2) == date(2026, 5, 11)
    assert calendar.add_business_hours(start, 1) == datetime(2026, 5, 11, 9, 30, tzinfo=ISTANBUL)
    assert get_calendar(observe_idari_izin=False).is_business_day(date(2026, 5, 8))


def test_an_upload_that_is_not_an_image_is_refused() -> None:
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError, match=r"PNG|JPEG"):
        validate_image_upload(fake)
    png = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, content_type="image/png")
    validate_image_upload(png)


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served_to_signed_in_users(client: Client) -> None:
    from biys.core.testing import make_user

    assert client.get("/api/schema/").status_code in (401, 403)
    client.force_login(make_user("gelistirici"))
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/org/staff/" in paths and "/api/org/units/{id}/" in paths
    assert "tokenAuth" in schema.json()["components"]["securitySchemes"]
    assert client.get("/api/docs/").status_code == 200


def _cache_round_trip(tmp_path, env: dict[str, str], code: str) -> str:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "biys.settings",  # the production settings, not the test suite's
        "SECRET_KEY": "x" * 50,
        "BIYS_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    }
    script = f"import django; django.setup()\nfrom django.core.cache import cache, caches\n{code}"
    command = [sys.executable, "-c", script]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_cache_is_shared_between_processes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An import's progress is written by the task worker and read by a web worker: another process."""
    env = {"REDIS_URL": ""}
    _cache_round_trip(tmp_path, env, "cache.set('biys:test', {'state': 'running', 'done': 7}, 60)")
    shown = _cache_round_trip(tmp_path, env, "print(cache.get('biys:test'), type(caches['default']).__name__)")
    assert shown == "{'state': 'running', 'done': 7} FileBasedCache"


def test_redis_is_used_when_configured(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The machine's own Redis on 127.0.0.1 (the deployment of several hosts)."""
    env = {"REDIS_URL": "redis://127.0.0.1:6379/15"}
    _cache_round_trip(tmp_path, env, "cache.set('biys:test:redis', 'açık', 60)")
    shown = _cache_round_trip(
        tmp_path, env, "print(cache.get('biys:test:redis'), type(caches['default']).__name__); cache.clear()"
    )
    assert shown == "açık RedisCache"


@pytest.mark.django_db
def test_the_navigation_menu_is_cached_per_permission_set(client: Client) -> None:
    from django.core.cache import cache

    from biys.core.testing import make_unit, make_user

    cache.clear()
    unit = make_unit("Bilgi İşlem")
    auditor = make_user("denetci", unit=unit, roles=("denetci",))
    requester = make_user("talep", unit=unit, roles=("birim_kullanicisi",))
    other_auditor = make_user("denetci2", unit=unit, roles=("denetci",))

    def menu(user: Any) -> str:
        client.force_login(user)
        html = client.get("/").content.decode()
        return html[html.index('id="mainnav"') : html.index('data-testid="user-menu"')]

    audit_menu = menu(auditor)
    assert "/changelog/" in audit_menu
    plain_menu = menu(requester)
    assert plain_menu != audit_menu and "/changelog/" not in plain_menu
    assert menu(other_auditor) == audit_menu  # the same roles share one rendering
    # A role given later shows at once: the key follows the permissions.
    from biys.users.models import Role

    requester.groups.add(Role.objects.get(code="denetci").group_ptr)
    assert "/changelog/" in menu(type(requester).objects.get(pk=requester.pk))
