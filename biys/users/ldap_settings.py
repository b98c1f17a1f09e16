"""LDAP / Active Directory login, configured from the environment (see docs/ldap.md).

``biys/settings.py`` imports this module only when ``LDAP_SERVER_URI`` is set; then every
setting below becomes an ``AUTH_LDAP_*`` Django setting read by ``biys.users.ldap.DirectoryBackend``.
A bad value stops the server at start-up with a message naming the variable.

Variables:

``LDAP_SERVER_URI``
    ``ldap://dc1.belediye.local`` or ``ldaps://…``; several URIs separated by spaces are tried in turn.
``LDAP_BIND_DN``, ``LDAP_BIND_PASSWORD`` (or ``LDAP_BIND_PASSWORD_FILE``)
    The read-only service account that searches for users. Empty = anonymous search.
``LDAP_USER_SEARCH_BASE``
    Where people are searched (whole subtree), e.g. ``ou=people,dc=belediye,dc=bel,dc=tr``. Required.
``LDAP_USER_FILTER``
    ``(uid=%(user)s)`` by default; ``(sAMAccountName=%(user)s)`` for Active Directory.
``LDAP_START_TLS``
    Boolean: upgrade an ``ldap://`` connection with StartTLS (not with ``ldaps://``, which is TLS already).
``LDAP_CA_CERT_FILE``
    PEM file of the CA that signed the directory's certificate; the certificate is then always verified.
``LDAP_TIMEOUT``
    Seconds to wait for the directory (default 5), so a dead server cannot hang the login page.
``LDAP_ID_ATTRIBUTE``
    The immutable id BİYS matches accounts on: ``entryUUID`` (default, OpenLDAP) or ``objectGUID``
    (Active Directory, binary; stored in its canonical string form).
``LDAP_ATTR_FIRST_NAME``, ``LDAP_ATTR_LAST_NAME``, ``LDAP_ATTR_EMAIL``
    Attributes copied on every login: ``givenName``, ``sn``, ``mail`` by default; empty = don't copy.
``LDAP_GROUP_SEARCH_BASE``, ``LDAP_GROUP_TYPE``
    Where groups are searched and how membership is recorded: ``groupOfNames`` (default),
    ``posix`` (posixGroup/memberUid) or ``ad`` (Active Directory ``group``). Needed by LDAP_ROLE_MAP.
``LDAP_ROLE_MAP``
    ``<group DN>:<role code>`` entries separated by ``;``, e.g.
    ``cn=bilgi-islem,ou=groups,dc=…:uzman;cn=denetim,ou=groups,dc=…:denetci``. A group may map to
    several roles (repeat it). Custom roles live only in the database, so the codes are checked against
    the Role table when a directory user logs in: an unknown code stops that login with an error naming
    LDAP_ROLE_MAP (local accounts still log in, so an administrator can fix it).
``LDAP_DEFAULT_ROLE``
    The role every directory user gets (default ``birim_kullanicisi``: everyone may open requests);
    empty = none.
``LDAP_MIRROR_ROLES``
    Boolean: also remove mapped roles the directory no longer grants. Roles outside the map are never
    touched, whatever this says.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import ldap
import ldap.dn
from django.core.exceptions import ImproperlyConfigured
from django_auth_ldap.config import (
    ActiveDirectoryGroupType,
    GroupOfNamesType,
    LDAPGroupType,
    LDAPSearch,
    PosixGroupType,
)

from biys.core.env import env_bool, env_choice, env_int, env_secret, env_str

URI_SCHEMES = ("ldap://", "ldaps://")
GROUP_TYPES: dict[str, tuple[type[LDAPGroupType], str]] = {
    "groupOfNames": (GroupOfNamesType, "(objectClass=groupOfNames)"),
    "posix": (PosixGroupType, "(objectClass=posixGroup)"),
    "ad": (ActiveDirectoryGroupType, "(objectClass=group)"),
}
_ATTRIBUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$")  # a name or an OID (RFC 4512)
_ROLE_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")  # Role.code is a SlugField


def ldap_settings_from_env() -> dict[str, Any]:
    """The ``AUTH_LDAP_*`` settings described in the module docstring, from the process environment."""
    uri = _server_uri()
    start_tls = env_bool("LDAP_START_TLS", False)
    if start_tls and uri.startswith("ldaps://"):
        raise ImproperlyConfigured("LDAP_START_TLS=1 cannot be combined with an ldaps:// LDAP_SERVER_URI")
    id_attribute = _attribute("LDAP_ID_ATTRIBUTE", "entryUUID", required=True)
    role_map = parse_role_map(env_str("LDAP_ROLE_MAP"))
    group_base = _dn("LDAP_GROUP_SEARCH_BASE", required=False)
    if role_map and not group_base:
        raise ImproperlyConfigured("LDAP_ROLE_MAP needs LDAP_GROUP_SEARCH_BASE (where to look for the groups)")
    default_role = env_str("LDAP_DEFAULT_ROLE", "birim_kullanicisi").strip()
    if default_role and not _ROLE_CODE.match(default_role):
        raise ImproperlyConfigured(f"LDAP_DEFAULT_ROLE={default_role!r} is not a role code (letters, digits, - and _)")
    return {
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": _dn("LDAP_BIND_DN", required=False),
        "AUTH_LDAP_BIND_PASSWORD": env_secret("LDAP_BIND_PASSWORD"),
        "AUTH_LDAP_START_TLS": start_tls,
        "AUTH_LDAP_CONNECTION_OPTIONS": _connection_options(),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            _dn("LDAP_USER_SEARCH_BASE", required=True),
            ldap.SCOPE_SUBTREE,
            _user_filter(),
            # entryUUID is operational: it comes back only when asked for by name.
            attrlist=["*", id_attribute],
        ),
        "AUTH_LDAP_USER_ATTR_MAP": _attr_map(),
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        **_group_settings(group_base),
        # BİYS's own settings, read by DirectoryBackend under the same prefix.
        "AUTH_LDAP_ID_ATTRIBUTE": id_attribute,
        "AUTH_LDAP_ROLE_MAP": role_map,
        "AUTH_LDAP_DEFAULT_ROLE": default_role,
        "AUTH_LDAP_MIRROR_ROLES": env_bool("LDAP_MIRROR_ROLES", False),
    }


def parse_role_map(raw: str) -> dict[str, tuple[str, ...]]:
    """``"<dn>:<code>;<dn>:<code>"`` -> {normalized group DN: role codes}."""
    role_map: dict[str, tuple[str, ...]] = {}
    for entry in (part.strip() for part in raw.split(";")):
        if not entry:
            continue
        dn, sep, code = entry.rpartition(":")
        dn, code = dn.strip(), code.strip()
        if not sep or not dn or not code:
            raise ImproperlyConfigured(f"LDAP_ROLE_MAP entry {entry!r} must look like <group DN>:<role code>")
        if not _ROLE_CODE.match(code):
            raise ImproperlyConfigured(f"LDAP_ROLE_MAP entry {entry!r}: {code!r} is not a role code")
        try:
            key = normalize_dn(dn)
        except ldap.DECODING_ERROR as exc:
            raise ImproperlyConfigured(f"LDAP_ROLE_MAP entry {entry!r}: {dn!r} is not a valid DN") from exc
        if code not in role_map.get(key, ()):
            role_map[key] = (*role_map.get(key, ()), code)
    return role_map


def normalize_dn(dn: str) -> str:
    """One spelling per DN (spaces and case vary between directories and configurations)."""
    return str(ldap.dn.dn2str(ldap.dn.str2dn(dn))).lower()


def _server_uri() -> str:
    uri = env_str("LDAP_SERVER_URI").strip()
    if not uri:
        raise ImproperlyConfigured("LDAP_SERVER_URI must be set to use LDAP login")
    for part in uri.split():
        scheme, _sep, host = part.partition("://")
        if f"{scheme}://" not in URI_SCHEMES or not host.strip("/"):
            raise ImproperlyConfigured(f"LDAP_SERVER_URI={uri!r}: each URI must start with ldap:// or ldaps://")
    return uri


def _dn(name: str, *, required: bool) -> str:
    value = env_str(name).strip()
    if not value:
        if required:
            raise ImproperlyConfigured(f"{name} must be set when LDAP_SERVER_URI is set")
        return ""
    if not ldap.dn.is_dn(value):
        raise ImproperlyConfigured(f"{name}={value!r} is not a valid DN")
    return value


def _attribute(name: str, default: str, *, required: bool = False) -> str:
    value = env_str(name, default).strip()
    if not value and not required:
        return ""
    if not _ATTRIBUTE.match(value):
        raise ImproperlyConfigured(f"{name}={value!r} is not an LDAP attribute name")
    return value


def _user_filter() -> str:
    value = env_str("LDAP_USER_FILTER", "(uid=%(user)s)").strip()
    try:
        probe = value % {"user": "probe"}
    except (KeyError, ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"LDAP_USER_FILTER={value!r} is not a valid filter template: {exc}") from exc
    if "%(user)s" not in value or probe == value or not (value.startswith("(") and value.endswith(")")):
        raise ImproperlyConfigured(f"LDAP_USER_FILTER={value!r} must be a filter in parentheses containing %(user)s")
    return value


def _attr_map() -> dict[str, str]:
    fields = {
        "first_name": _attribute("LDAP_ATTR_FIRST_NAME", "givenName"),
        "last_name": _attribute("LDAP_ATTR_LAST_NAME", "sn"),
        "email": _attribute("LDAP_ATTR_EMAIL", "mail"),
    }
    return {field: attr for field, attr in fields.items() if attr}


def _connection_options() -> dict[int, Any]:
    timeout = env_int("LDAP_TIMEOUT", 5, minimum=1, maximum=120)
    # AD answers searches at the domain root with referrals that python-ldap would chase unbound.
    options: dict[int, Any] = {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: timeout, ldap.OPT_TIMEOUT: timeout}
    ca_file = env_str("LDAP_CA_CERT_FILE").strip()
    if ca_file:
        if not Path(ca_file).is_file():
            raise ImproperlyConfigured(f"LDAP_CA_CERT_FILE={ca_file!r} is not a readable file")
        options[ldap.OPT_X_TLS_CACERTFILE] = ca_file
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # must come last: builds the TLS context from the options above
    return options


def _group_settings(base: str) -> dict[str, Any]:
    kind = env_choice("LDAP_GROUP_TYPE", "groupOfNames", tuple(GROUP_TYPES))
    if not base:
        return {}
    group_type, object_filter = GROUP_TYPES[kind]
    return {
        "AUTH_LDAP_GROUP_SEARCH": LDAPSearch(base, ldap.SCOPE_SUBTREE, object_filter),
        "AUTH_LDAP_GROUP_TYPE": group_type(),
    }


_SETTINGS = ldap_settings_from_env() if env_str("LDAP_SERVER_URI").strip() else {}
globals().update(_SETTINGS)
__all__ = sorted(_SETTINGS)  # what `from biys.users.ldap_settings import *` in settings.py takes
