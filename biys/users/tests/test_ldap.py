"""LDAP / Active Directory login: the environment parsing, and logins against a real slapd.

The slapd tests (marked ``ldap``) start Debian's OpenLDAP server once per session on 127.0.0.1
(see ``slapd.py``); each test shapes its own people and groups, which are removed afterwards.
Settings are built from a fake environment with ``ldap_settings_from_env`` exactly as
``biys/settings.py`` builds them at start-up.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ldap
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse
from django_auth_ldap.config import ActiveDirectoryGroupType, GroupOfNamesType, PosixGroupType

from biys.core.models import ChangeLogEntry
from biys.users.ldap import DirectoryRefused, directory_id_from_attrs
from biys.users.ldap_settings import ldap_settings_from_env
from biys.users.models import Role, User
from biys.users.tests.slapd import GROUPS, READER_DN, READER_PASSWORD, Directory, Slapd, SlapdError

BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "biys.users.ldap.DirectoryBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "/hesap/giris/"
IT_GROUP = f"cn=bilgi-islem,{GROUPS}"
AUDIT_GROUP = f"cn=denetim,{GROUPS}"
AYSE_PASSWORD = "Ayse-Dizin-2026"


# --- fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Replace every LDAP_* variable of the process environment with the given ones."""

    def set_environ(**variables: str) -> None:
        for name in list(os.environ):
            if name.startswith("LDAP_"):
                monkeypatch.delenv(name)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return set_environ


@pytest.fixture(scope="session")
def slapd_server() -> Iterator[Slapd]:
    server = Slapd()
    try:
        server.start()
    except SlapdError as exc:
        server.stop()
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def directory(slapd_server: Slapd) -> Iterator[Directory]:
    tree = Directory(slapd_server)
    yield tree
    tree.clear()


@pytest.fixture
def use_directory(
    slapd_server: Slapd, environ: Callable[..., None], request: pytest.FixtureRequest
) -> Callable[..., dict[str, Any]]:
    """Configure Django for the test server from LDAP_* variables (defaults + overrides), as at start-up."""

    def configure(**variables: str) -> dict[str, Any]:
        environ(
            **{
                "LDAP_SERVER_URI": slapd_server.uri,
                "LDAP_BIND_DN": READER_DN,
                "LDAP_BIND_PASSWORD": READER_PASSWORD,
                "LDAP_USER_SEARCH_BASE": "ou=people,dc=biys,dc=test",
                "LDAP_GROUP_SEARCH_BASE": GROUPS,
                "LDAP_ROLE_MAP": f"{IT_GROUP}:uzman;{AUDIT_GROUP}:denetci",
                **variables,
            }
        )
        values = ldap_settings_from_env()
        override = override_settings(AUTHENTICATION_BACKENDS=BACKENDS, **values)
        override.enable()
        request.addfinalizer(override.disable)
        return values

    return configure


@pytest.fixture
def ayse(directory: Directory) -> str:
    """Ayşe Yılmaz, a specialist in the IT department's group; returns her entryUUID."""
    entry_uuid = directory.add_person("ayse", AYSE_PASSWORD, "Ayşe", "Yılmaz", "ayse.yilmaz@biys.test")
    directory.add_group("bilgi-islem", "ayse")
    return entry_uuid


def log_in(username: str, password: str) -> tuple[Client, Any]:
    client = Client()
    return client, client.post(LOGIN_URL, {"username": username, "password": password})


def role_codes(user: User) -> set[str]:
    return set(Role.objects.filter(group_ptr__user=user).values_list("code", flat=True))


# --- logging in against slapd -----------------------------------------------------------------------------------


@pytest.mark.ldap
@pytest.mark.django_db
def test_directory_user_logs_in_and_gets_an_account_linked_by_entry_uuid(use_directory: Any, ayse: str) -> None:
    use_directory()
    client, response = log_in("ayse", AYSE_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    user = User.objects.get(directory_id=ayse)
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "ayse",
        "Ayşe",
        "Yılmaz",
        "ayse.yilmaz@biys.test",
    )
    assert not user.has_usable_password()
    assert client.session["_auth_user_backend"] == "biys.users.ldap.DirectoryBackend"
    assert ChangeLogEntry.objects.filter(action=ChangeLogEntry.Action.LOGIN, user=user).exists()


@pytest.mark.ldap
@pytest.mark.django_db
def test_wrong_directory_password_rerenders_the_form_and_logs_a_failed_login(use_directory: Any, ayse: str) -> None:
    use_directory()
    client, response = log_in("ayse", "not-her-password")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(directory_id=ayse).exists()
    failed = ChangeLogEntry.objects.get(action=ChangeLogEntry.Action.LOGIN_FAILED)
    assert failed.object_repr == "ayse"


@pytest.mark.ldap
@pytest.mark.django_db
def test_renamed_directory_user_keeps_the_same_account(use_directory: Any, directory: Directory, ayse: str) -> None:
    use_directory()
    log_in("ayse", AYSE_PASSWORD)
    before = User.objects.get(directory_id=ayse)

    directory.rename_person("ayse", "ayse.kaya")
    _client, response = log_in("ayse.kaya", AYSE_PASSWORD)

    assert response.status_code == 302
    after = User.objects.get(directory_id=ayse)
    assert after.pk == before.pk
    assert after.username == "ayse.kaya"
    assert User.objects.count() == 1
    # The old name is gone from the directory, so it no longer opens the account.
    assert log_in("ayse", AYSE_PASSWORD)[1].status_code == 200


@pytest.mark.ldap
@pytest.mark.django_db
def test_names_and_email_follow_the_directory_on_every_login(
    use_directory: Any, directory: Directory, ayse: str
) -> None:
    use_directory()
    log_in("ayse", AYSE_PASSWORD)

    directory.set_attribute("ayse", "sn", "Kaya")
    directory.set_attribute("ayse", "mail", "ayse.kaya@biys.test")
    log_in("ayse", AYSE_PASSWORD)

    user = User.objects.get(directory_id=ayse)
    assert (user.last_name, user.email) == ("Kaya", "ayse.kaya@biys.test")


@pytest.mark.ldap
@pytest.mark.django_db
def test_directory_login_does_not_take_over_a_local_account_with_the_same_name(
    use_directory: Any, ayse: str, caplog: pytest.LogCaptureFixture
) -> None:
    use_directory()
    local = User.objects.create_user("ayse", password="Yerel-Parola-2026", first_name="Yerel")

    with caplog.at_level(logging.WARNING, logger="biys.users.ldap"):
        client, response = log_in("ayse", AYSE_PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    local.refresh_from_db()
    assert (local.directory_id, local.first_name) == (None, "Yerel")
    assert User.objects.count() == 1
    assert "an administrator must rename that account or link it" in caplog.text
    # The local account itself is untouched and still opens with its own password.
    assert log_in("ayse", "Yerel-Parola-2026")[1].status_code == 302


@pytest.mark.ldap
@pytest.mark.django_db
def test_new_directory_person_does_not_inherit_a_former_persons_account(use_directory: Any, ayse: str) -> None:
    use_directory()
    former = User.objects.create_user("ayse", directory_id=str(uuid.uuid4()))
    former.set_unusable_password()
    former.save()

    _client, response = log_in("ayse", AYSE_PASSWORD)

    assert response.status_code == 200
    assert list(User.objects.values_list("pk", flat=True)) == [former.pk]
    assert not User.objects.filter(directory_id=ayse).exists()


@pytest.mark.ldap
@pytest.mark.django_db
def test_an_administrator_links_a_local_account_and_the_person_then_logs_into_it(use_directory: Any, ayse: str) -> None:
    use_directory()
    local = User.objects.create_user("ayse", password="Yerel-Parola-2026")
    User.objects.filter(pk=local.pk).update(directory_id=ayse)

    _client, response = log_in("ayse", AYSE_PASSWORD)

    assert response.status_code == 302
    assert User.objects.get(directory_id=ayse).pk == local.pk


@pytest.mark.ldap
@pytest.mark.django_db
def test_member_of_a_mapped_group_gets_the_role_and_everyone_gets_the_default_role(
    use_directory: Any, directory: Directory, ayse: str
) -> None:
    use_directory()
    directory.add_person("can", "Can-Dizin-2026", "Can", "Demir", "can.demir@biys.test")

    log_in("ayse", AYSE_PASSWORD)
    log_in("can", "Can-Dizin-2026")

    assert role_codes(User.objects.get(username="ayse")) == {"uzman", "birim_kullanicisi"}
    assert role_codes(User.objects.get(username="can")) == {"birim_kullanicisi"}


@pytest.mark.ldap
@pytest.mark.django_db
def test_with_mirroring_leaving_the_group_removes_the_role_on_next_login(
    use_directory: Any, directory: Directory, ayse: str
) -> None:
    use_directory(LDAP_MIRROR_ROLES="1")
    log_in("ayse", AYSE_PASSWORD)
    user = User.objects.get(username="ayse")
    user.groups.add(Role.objects.get(code="evrak"))  # given in BİYS, not by the directory

    directory.remove_member(IT_GROUP, "ayse")
    log_in("ayse", AYSE_PASSWORD)

    assert role_codes(user) == {"birim_kullanicisi", "evrak"}


@pytest.mark.ldap
@pytest.mark.django_db
def test_without_mirroring_leaving_the_group_keeps_the_role(
    use_directory: Any, directory: Directory, ayse: str
) -> None:
    use_directory(LDAP_MIRROR_ROLES="0")
    log_in("ayse", AYSE_PASSWORD)

    directory.remove_member(IT_GROUP, "ayse")
    log_in("ayse", AYSE_PASSWORD)

    assert role_codes(User.objects.get(username="ayse")) == {"uzman", "birim_kullanicisi"}


@pytest.mark.ldap
@pytest.mark.django_db
def test_a_role_map_naming_an_unknown_role_is_a_configuration_error(use_directory: Any, ayse: str) -> None:
    use_directory(LDAP_ROLE_MAP=f"{IT_GROUP}:sistem_yoneticisi")

    with pytest.raises(ImproperlyConfigured, match=r"LDAP_ROLE_MAP.*sistem_yoneticisi"):
        log_in("ayse", AYSE_PASSWORD)
    assert not User.objects.exists()


@pytest.mark.ldap
@pytest.mark.django_db
def test_the_break_glass_account_logs_in_even_when_the_role_map_is_wrong(use_directory: Any, ayse: str) -> None:
    use_directory(LDAP_ROLE_MAP=f"{IT_GROUP}:sistem_yoneticisi")
    User.objects.create_user("acil.yonetici", password="Acil-Durum-2026", is_superuser=True, is_staff=True)

    assert log_in("acil.yonetici", "Acil-Durum-2026")[1].status_code == 302


@pytest.mark.ldap
@pytest.mark.django_db
def test_local_break_glass_account_still_logs_in_with_ldap_configured(use_directory: Any, ayse: str) -> None:
    use_directory()
    User.objects.create_user("acil.yonetici", password="Acil-Durum-2026", is_superuser=True, is_staff=True)

    client, response = log_in("acil.yonetici", "Acil-Durum-2026")

    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"


@pytest.mark.ldap
@pytest.mark.django_db
def test_a_person_removed_from_the_directory_can_no_longer_log_in(
    use_directory: Any, directory: Directory, ayse: str
) -> None:
    use_directory()
    log_in("ayse", AYSE_PASSWORD)

    directory.delete_person("ayse")

    assert log_in("ayse", AYSE_PASSWORD)[1].status_code == 200


@pytest.mark.ldap
@pytest.mark.django_db
def test_a_deactivated_account_stays_locked_although_the_directory_accepts_the_password(
    use_directory: Any, ayse: str
) -> None:
    use_directory()
    log_in("ayse", AYSE_PASSWORD)
    User.objects.filter(directory_id=ayse).update(is_active=False)

    client, response = log_in("ayse", AYSE_PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- reading the environment ------------------------------------------------------------------------------------


def test_a_minimal_environment_gives_openldap_defaults(environ: Callable[..., None]) -> None:
    environ(LDAP_SERVER_URI="ldap://ldap.belediye.local", LDAP_USER_SEARCH_BASE="ou=people,dc=belediye,dc=local")

    values = ldap_settings_from_env()

    assert values["AUTH_LDAP_SERVER_URI"] == "ldap://ldap.belediye.local"
    search = values["AUTH_LDAP_USER_SEARCH"]
    assert (search.base_dn, search.filterstr, search.attrlist) == (
        "ou=people,dc=belediye,dc=local",
        "(uid=%(user)s)",
        ["*", "entryUUID"],
    )
    assert values["AUTH_LDAP_USER_ATTR_MAP"] == {"first_name": "givenName", "last_name": "sn", "email": "mail"}
    assert values["AUTH_LDAP_START_TLS"] is False
    assert values["AUTH_LDAP_ID_ATTRIBUTE"] == "entryUUID"
    assert values["AUTH_LDAP_DEFAULT_ROLE"] == "birim_kullanicisi"
    assert values["AUTH_LDAP_MIRROR_ROLES"] is False
    assert values["AUTH_LDAP_ROLE_MAP"] == {}
    assert "AUTH_LDAP_GROUP_SEARCH" not in values


def test_an_active_directory_environment(environ: Callable[..., None], tmp_path: Path) -> None:
    password_file = tmp_path / "bind-password"
    password_file.write_text("Servis-Parola\n", encoding="utf-8")
    environ(
        LDAP_SERVER_URI="ldap://dc1.belediye.local ldap://dc2.belediye.local",
        LDAP_BIND_DN="CN=svc-biys,OU=Servisler,DC=belediye,DC=local",
        LDAP_BIND_PASSWORD_FILE=str(password_file),
        LDAP_USER_SEARCH_BASE="OU=Personel,DC=belediye,DC=local",
        LDAP_USER_FILTER="(&(objectCategory=person)(sAMAccountName=%(user)s))",
        LDAP_START_TLS="evet",
        LDAP_ID_ATTRIBUTE="objectGUID",
        LDAP_GROUP_SEARCH_BASE="OU=Gruplar,DC=belediye,DC=local",
        LDAP_GROUP_TYPE="ad",
        LDAP_ROLE_MAP="CN=Bilgi Islem, OU=Gruplar,DC=belediye,DC=local:uzman;"
        "cn=bilgi islem,ou=gruplar,dc=belediye,dc=local:tasinir_kayit;"
        "CN=Denetim,OU=Gruplar,DC=belediye,DC=local:denetci",
        LDAP_MIRROR_ROLES="yes",
    )

    values = ldap_settings_from_env()

    assert values["AUTH_LDAP_BIND_PASSWORD"] == "Servis-Parola"
    assert values["AUTH_LDAP_START_TLS"] is True
    assert values["AUTH_LDAP_USER_SEARCH"].attrlist == ["*", "objectGUID"]
    assert isinstance(values["AUTH_LDAP_GROUP_TYPE"], ActiveDirectoryGroupType)
    assert values["AUTH_LDAP_GROUP_SEARCH"].filterstr == "(objectClass=group)"
    assert values["AUTH_LDAP_ROLE_MAP"] == {
        "cn=bilgi islem,ou=gruplar,dc=belediye,dc=local": ("uzman", "tasinir_kayit"),
        "cn=denetim,ou=gruplar,dc=belediye,dc=local": ("denetci",),
    }
    assert values["AUTH_LDAP_MIRROR_ROLES"] is True


@pytest.mark.parametrize(("kind", "group_type"), [("groupOfNames", GroupOfNamesType), ("posix", PosixGroupType)])
def test_group_types(environ: Callable[..., None], kind: str, group_type: type) -> None:
    environ(
        LDAP_SERVER_URI="ldaps://ldap.belediye.local",
        LDAP_USER_SEARCH_BASE="dc=belediye,dc=local",
        LDAP_GROUP_SEARCH_BASE="ou=groups,dc=belediye,dc=local",
        LDAP_GROUP_TYPE=kind,
    )

    assert isinstance(ldap_settings_from_env()["AUTH_LDAP_GROUP_TYPE"], group_type)


def test_a_ca_certificate_file_makes_tls_verify_against_it(environ: Callable[..., None], tmp_path: Path) -> None:
    ca_file = tmp_path / "belediye-ca.pem"
    ca_file.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    environ(LDAP_SERVER_URI="ldaps://dc1", LDAP_USER_SEARCH_BASE="dc=belediye", LDAP_CA_CERT_FILE=str(ca_file))

    options = ldap_settings_from_env()["AUTH_LDAP_CONNECTION_OPTIONS"]

    assert options[ldap.OPT_X_TLS_CACERTFILE] == str(ca_file)
    assert options[ldap.OPT_X_TLS_REQUIRE_CERT] == ldap.OPT_X_TLS_DEMAND
    assert list(options)[-1] == ldap.OPT_X_TLS_NEWCTX


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"LDAP_START_TLS": "belki"}, "LDAP_START_TLS='belki' is not a boolean"),
        ({"LDAP_SERVER_URI": "http://dc1"}, "LDAP_SERVER_URI='http://dc1'"),
        ({"LDAP_SERVER_URI": "ldaps://dc1", "LDAP_START_TLS": "1"}, "LDAP_START_TLS=1 cannot be combined"),
        ({"LDAP_USER_SEARCH_BASE": ""}, "LDAP_USER_SEARCH_BASE must be set"),
        ({"LDAP_USER_SEARCH_BASE": "personel"}, "LDAP_USER_SEARCH_BASE='personel' is not a valid DN"),
        ({"LDAP_BIND_DN": "svc-biys"}, "LDAP_BIND_DN='svc-biys' is not a valid DN"),
        ({"LDAP_USER_FILTER": "(uid=%s)"}, "LDAP_USER_FILTER='(uid=%s)' must be a filter"),
        ({"LDAP_USER_FILTER": "uid=%(user)s"}, "must be a filter in parentheses containing %(user)s"),
        ({"LDAP_ID_ATTRIBUTE": "object GUID"}, "LDAP_ID_ATTRIBUTE='object GUID' is not an LDAP attribute name"),
        ({"LDAP_ATTR_EMAIL": "e-posta adresi"}, "LDAP_ATTR_EMAIL="),
        ({"LDAP_GROUP_TYPE": "novell"}, "LDAP_GROUP_TYPE='novell' must be one of: groupOfNames, posix, ad"),
        ({"LDAP_CA_CERT_FILE": "/yok/ca.pem"}, "LDAP_CA_CERT_FILE='/yok/ca.pem' is not a readable file"),
        ({"LDAP_TIMEOUT": "on saniye"}, "LDAP_TIMEOUT='on saniye' is not an integer"),
        ({"LDAP_DEFAULT_ROLE": "Birim Kullanıcısı"}, "LDAP_DEFAULT_ROLE='Birim Kullanıcısı' is not a role code"),
        ({"LDAP_ROLE_MAP": "cn=bilgi-islem,ou=groups,dc=biys,dc=test:uzman"}, "LDAP_ROLE_MAP needs LDAP_GROUP_SEARCH"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(
    environ: Callable[..., None], variables: dict[str, str], message: str
) -> None:
    environ(**{"LDAP_SERVER_URI": "ldap://dc1", "LDAP_USER_SEARCH_BASE": "dc=belediye,dc=local", **variables})

    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        ldap_settings_from_env()


@pytest.mark.parametrize(
    ("role_map", "message"),
    [
        ("cn=bilgi-islem,ou=groups,dc=biys,dc=test", "'cn=bilgi-islem,ou=groups,dc=biys,dc=test' must look like"),
        ("cn=bilgi-islem,ou=groups,dc=biys,dc=test:", "must look like <group DN>:<role code>"),
        (":uzman", "':uzman' must look like"),
        ("bilgi-islem:uzman", "'bilgi-islem' is not a valid DN"),
        ("cn=denetim,ou=groups,dc=biys,dc=test:Denetçi Rolü", "'Denetçi Rolü' is not a role code"),
    ],
)
def test_a_bad_role_map_entry_is_refused_with_the_entry_named(
    environ: Callable[..., None], role_map: str, message: str
) -> None:
    environ(
        LDAP_SERVER_URI="ldap://dc1",
        LDAP_USER_SEARCH_BASE="dc=biys,dc=test",
        LDAP_GROUP_SEARCH_BASE="ou=groups,dc=biys,dc=test",
        LDAP_ROLE_MAP=f"cn=denetim,ou=groups,dc=biys,dc=test:denetci;{role_map}",
    )

    with pytest.raises(ImproperlyConfigured, match=f"LDAP_ROLE_MAP entry .*{re.escape(message)}"):
        ldap_settings_from_env()


def test_a_bad_ldap_variable_stops_the_server_from_starting() -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LDAP_", "DJANGO_"))}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "biys.test_settings",
        "LDAP_SERVER_URI": "ldap://dc1.belediye.local",
        "LDAP_USER_SEARCH_BASE": "dc=belediye,dc=local",
    }
    probe = "import django; django.setup(); from django.conf import settings; print(settings.AUTHENTICATION_BACKENDS)"

    good = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False)
    bad = subprocess.run(
        [sys.executable, "-c", probe],
        env={**env, "LDAP_START_TLS": "belki"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert good.returncode == 0, good.stderr
    assert "'biys.users.ldap.DirectoryBackend', 'django.contrib.auth.backends.ModelBackend'" in good.stdout
    assert bad.returncode != 0
    assert "LDAP_START_TLS='belki' is not a boolean" in bad.stderr


# --- the directory id -------------------------------------------------------------------------------------------


def test_active_directory_object_guid_is_stored_in_its_canonical_form() -> None:
    guid = uuid.UUID("c0ffee00-1234-4bcd-8e0f-a1b2c3d4e5f6")
    undecodable = guid.bytes_le  # not valid UTF-8: django-auth-ldap leaves it as bytes
    ascii_only = uuid.UUID(bytes_le=bytes(range(16)))  # valid UTF-8: django-auth-ldap hands over a str

    assert directory_id_from_attrs({"objectGUID": [undecodable]}, "objectGUID") == str(guid)
    assert directory_id_from_attrs({"objectguid": [bytes(range(16)).decode()]}, "objectguid") == str(ascii_only)


def test_entry_uuid_is_taken_as_it_is() -> None:
    value = "eb9a4a72-79bb-1041-94ee-f3c614dfc29f"

    assert directory_id_from_attrs({"entryUUID": [value]}, "entryUUID") == value


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({}, "has no entryUUID"),
        ({"entryUUID": ["x" * 65]}, "must have 1-64 characters"),
        ({"entryUUID": [b"\xff\xfe"]}, "is binary"),
    ],
)
def test_an_entry_without_a_usable_id_is_refused(attrs: dict[str, list[Any]], message: str) -> None:
    with pytest.raises(DirectoryRefused, match=message):
        directory_id_from_attrs(attrs, "entryUUID")


def test_a_guid_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(DirectoryRefused, match="objectGUID has 4 bytes"):
        directory_id_from_attrs({"objectGUID": [b"\xff\xfe\xfd\xfc"]}, "objectGUID")
