"""Accounts: login and its log, lockout, sessions, the TOTP second factor, API tokens."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from biys.core.models import ChangeLogEntry
from biys.core.testing import PASSWORD, make_unit, make_user
from biys.users.models import ApiToken, Role

pytestmark = pytest.mark.django_db
LOGIN = "/hesap/giris/"


@pytest.fixture
def unit():  # type: ignore[no-untyped-def]
    return make_unit("Bilgi İşlem", code="BIM")


def test_login_page_is_turkish_and_needs_no_login(client: Client) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'lang="tr"' in response.content


def test_successful_login_renews_the_session_and_is_logged(client: Client, unit) -> None:  # type: ignore[no-untyped-def]
    user = make_user("ayse", unit=unit)
    client.get(LOGIN)
    before = client.cookies.get(settings.SESSION_COOKIE_NAME)
    response = client.post(LOGIN, {"username": "ayse", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before is None or before.value != after
    entry = ChangeLogEntry.objects.filter(action="login").get()
    assert (entry.user_id, entry.ip) == (user.pk, "10.0.0.7")


def test_failed_login_is_logged_without_the_password(client: Client, unit) -> None:  # type: ignore[no-untyped-def]
    make_user("ayse", unit=unit)
    response = client.post(LOGIN, {"username": "ayse", "password": "yanlis-parola"})
    assert response.status_code == 200
    entry = ChangeLogEntry.objects.filter(action="login_failed").get()
    assert entry.object_repr == "ayse"
    assert "yanlis-parola" not in str(entry.after)


def test_logout_is_logged(client: Client, unit) -> None:  # type: ignore[no-untyped-def]
    make_user("ayse", unit=unit)
    client.post(LOGIN, {"username": "ayse", "password": PASSWORD})
    client.post(reverse("users:logout"))
    assert ChangeLogEntry.objects.filter(action="logout", user_name="ayse").exists()


def test_repeated_failures_lock_the_account_even_for_the_right_password(client: Client, unit) -> None:  # type: ignore[no-untyped-def]
    make_user("ayse", unit=unit)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "ayse", "password": "yanlis"})
    response = client.post(LOGIN, {"username": "ayse", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_idle_sessions_expire_after_the_idle_timeout_and_activity_renews_them(client: Client, unit) -> None:  # type: ignore[no-untyped-def]
    import time

    from django.contrib.sessions.models import Session

    make_user("ayse", unit=unit)
    client.post(LOGIN, {"username": "ayse", "password": PASSWORD})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = Session.objects.get(session_key=key)
    assert timedelta(minutes=29) < session.expire_date - timezone.now() <= timedelta(minutes=30)
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(pk=key).update(expire_date=soon)
    client.get("/")  # within the minute: no session write
    assert Session.objects.get(pk=key).expire_date == soon
    with mock.patch("biys.core.middleware.time.time", return_value=time.time() + 61):
        client.get("/")  # a minute later, activity pushes the expiry back to the full idle timeout
    assert Session.objects.get(pk=key).expire_date - timezone.now() > timedelta(minutes=29)
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_passwords_are_hashed_with_argon2_in_production() -> None:
    from biys import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_role_requiring_mfa_sends_user_to_enrol_then_lets_them_in(client: Client, unit) -> None:  # type: ignore[no-untyped-def]
    user = make_user("baskan", unit=unit, roles=("yonetici",))
    assert Role.objects.get(code="yonetici").require_mfa
    client.post(LOGIN, {"username": "baskan", "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("users:mfa"))
    page = client.get(reverse("users:mfa"))
    assert b"<svg" in page.content  # the QR code for enrolment
    device = TOTPDevice.objects.get(user=user)
    wrong = client.post(reverse("users:mfa"), {"code": "000000"})
    assert wrong.status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down retries after a failure; this test is not about that
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert client.post(reverse("users:mfa"), {"code": code, "next": "/"}).status_code == 302
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_role_without_mfa_goes_straight_in(client: Client, unit) -> None:  # type: ignore[no-untyped-def]
    make_user("teknisyen", unit=unit, roles=("uzman",))
    client.post(LOGIN, {"username": "teknisyen", "password": PASSWORD})
    assert client.get("/").status_code == 200


def test_api_token_is_stored_hashed_and_authenticates(client: Client, unit) -> None:  # type: ignore[no-untyped-def]
    user = make_user("betik", unit=unit, perms=("org.view_unit",))
    token, key = ApiToken.issue(user, "betik")
    assert key not in token.key_hash and token.prefix == key[:8]
    response = client.get("/api/org/units/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_requests_create_no_session(client: Client, unit) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.sessions.models import Session

    user = make_user("betik", unit=unit, perms=("org.view_unit",))
    _token, key = ApiToken.issue(user, "betik")
    for _ in range(3):
        response = client.get("/api/org/units/", HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 200
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


def test_revoked_or_expired_token_is_refused(client: Client, unit) -> None:  # type: ignore[no-untyped-def]
    user = make_user("betik", unit=unit, perms=("org.view_unit",))
    revoked, revoked_key = ApiToken.issue(user, "eski")
    revoked.revoke()
    expired, expired_key = ApiToken.issue(user, "süreli", days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    for key in (revoked_key, expired_key, "uydurma-anahtar"):
        assert client.get("/api/org/units/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_user_creates_and_revokes_a_token_on_the_profile_page(client: Client, unit) -> None:  # type: ignore[no-untyped-def]
    user = make_user("ayse", unit=unit)
    client.force_login(user)
    response = client.post(reverse("users:profile"), {"name": "Yedekleme betiği", "days": "30"})
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=user)
    assert token.prefix == key[:8]
    client.post(reverse("users:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    other = make_user("mehmet", unit=unit)
    foreign, _key = ApiToken.issue(other, "başkasının")
    assert client.post(reverse("users:token_revoke", args=[foreign.pk])).status_code == 404
