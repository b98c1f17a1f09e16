"""Login against LDAP / Active Directory (django-auth-ldap), matching accounts on the directory id.

Configuration: ``biys.users.ldap_settings`` (environment) and docs/ldap.md.

The matching rule. A directory person is the BİYS account whose ``directory_id`` equals their
immutable id (entryUUID / objectGUID), never "the account with the same login name":

- found by id: that account, with its user name updated if the directory renamed the person;
- not found, and no account has the login name: a new account (no usable password);
- not found, but an account already has the login name (a local account, or one linked to another
  directory person): the login is refused and a warning is logged. An administrator decides who
  that account belongs to, by renaming it or by setting its directory id. Taking it over silently
  would hand one person's records, roles and change-log history to another.

Local accounts (no directory id) keep signing in through ModelBackend, which follows this backend in
AUTHENTICATION_BACKENDS: that is the break-glass administrator when the directory is down. Directory
accounts have no usable password, so only the directory can let them in.

Roles: every login adds LDAP_DEFAULT_ROLE and the roles LDAP_ROLE_MAP gives the person's groups; with
LDAP_MIRROR_ROLES it also removes mapped roles the directory no longer gives. Roles outside the map
are BİYS's own business and are never touched.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

import ldap
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_auth_ldap.backend import LDAPBackend

from biys.users.ldap_settings import normalize_dn
from biys.users.models import Role, User

if TYPE_CHECKING:
    from django_auth_ldap.backend import _LDAPUser

logger = logging.getLogger(__name__)

DIRECTORY_ID_MAX_LENGTH = 64  # User.directory_id


class DirectoryRefused(Exception):
    """The directory accepted the password but BİYS will not sign this person in (logged as a warning)."""


class DirectoryBackend(LDAPBackend):  # type: ignore[misc]  # django-auth-ldap ships no type hints
    """django-auth-ldap, plus id-based account matching and the directory-group → role map."""

    default_settings = {
        "ID_ATTRIBUTE": "entryUUID",
        "ROLE_MAP": {},
        "DEFAULT_ROLE": "birim_kullanicisi",
        "MIRROR_ROLES": False,
    }

    def ldap_to_django_username(self, username: str) -> str:
        return username.strip().lower()

    def get_or_build_user(self, username: str, ldap_user: _LDAPUser) -> tuple[User, bool]:
        # Checked here, after the directory accepted the password: a wrong map must not stop local
        # (break-glass) logins, and must stop a directory login before an account is created.
        self.role_ids()
        try:
            return self._match(username, ldap_user)
        except DirectoryRefused as exc:
            logger.warning("LDAP login refused for %r: %s", username, exc)
            raise ldap_user.AuthenticationFailed(str(exc)) from exc

    def authenticate_ldap_user(self, ldap_user: _LDAPUser, password: str) -> User | None:
        user: User | None = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        if not user.is_active:
            logger.info("LDAP login refused for %r: the BİYS account is deactivated", user.username)
            return None
        try:
            self.sync_roles(user, ldap_user, self.role_ids())
        except ldap.LDAPError as exc:
            # Stale roles are worse than no login: with mirroring, a revoked role would survive.
            logger.warning("LDAP login refused for %r: the groups could not be read: %s", user.username, exc)
            return None
        return user

    def _match(self, username: str, ldap_user: _LDAPUser) -> tuple[User, bool]:
        directory_id = directory_id_from_attrs(ldap_user.attrs, self.settings.ID_ATTRIBUTE)
        user = User.objects.filter(directory_id=directory_id).first()
        holder = User.objects.filter(username__iexact=username).exclude(directory_id=directory_id).first()
        if holder is not None:
            owner = (
                f"directory id {holder.directory_id}" if holder.directory_id else "no directory id (a local account)"
            )
            raise DirectoryRefused(
                f"the BİYS account {holder.username!r} (id {holder.pk}) has {owner}, not {directory_id}; "
                "an administrator must rename that account or link it to this person"
            )
        if user is not None:
            if user.username != username:
                logger.info("Directory renamed %r to %r (directory id %s)", user.username, username, directory_id)
                user.username = username
            return user, False
        return User(username=username, directory_id=directory_id), True

    def role_ids(self) -> dict[str, int]:
        """{code: pk} of every role the configuration names; an unknown code is a configuration error."""
        role_map: dict[str, tuple[str, ...]] = self.settings.ROLE_MAP
        known = {code for codes in role_map.values() for code in codes}
        if self.settings.DEFAULT_ROLE:
            known.add(self.settings.DEFAULT_ROLE)
        roles = dict(Role.objects.filter(code__in=known).values_list("code", "pk"))
        if missing := sorted(known - roles.keys()):
            existing = ", ".join(Role.objects.order_by("code").values_list("code", flat=True))
            raise ImproperlyConfigured(
                f"LDAP_ROLE_MAP / LDAP_DEFAULT_ROLE name roles that do not exist: {', '.join(missing)} "
                f"(existing role codes: {existing})"
            )
        return roles

    def sync_roles(self, user: User, ldap_user: _LDAPUser, roles: dict[str, int]) -> None:
        """Add the default and mapped roles; with mirroring, remove mapped roles no longer given."""
        role_map: dict[str, tuple[str, ...]] = self.settings.ROLE_MAP
        if not roles:
            return
        member_of = {normalize_dn(dn) for dn in ldap_user.group_dns} if role_map else set()
        wanted = {code for dn, codes in role_map.items() if dn in member_of for code in codes}
        if self.settings.DEFAULT_ROLE:
            wanted.add(self.settings.DEFAULT_ROLE)
        current = set(user.groups.filter(pk__in=roles.values()).values_list("role__code", flat=True))
        to_add = wanted - current
        to_remove = (current - wanted) if self.settings.MIRROR_ROLES else set()
        with transaction.atomic():
            if to_add:
                user.groups.add(*(roles[code] for code in sorted(to_add)))
            if to_remove:
                user.groups.remove(*(roles[code] for code in sorted(to_remove)))
        if to_add or to_remove:
            logger.info("Directory roles of %r: added %s, removed %s", user.username, sorted(to_add), sorted(to_remove))


def directory_id_from_attrs(attrs: Any, attribute: str) -> str:
    """The person's immutable id as BİYS stores it; AD's binary objectGUID in its canonical form."""
    values = attrs.get(attribute) if attrs is not None else None
    if not values:
        raise DirectoryRefused(f"the directory entry has no {attribute} (check LDAP_ID_ATTRIBUTE)")
    value = values[0]
    if attribute.lower() == "objectguid":
        # django-auth-ldap decodes every value it can as UTF-8, so a GUID arrives as str or bytes.
        raw = value.encode("utf-8") if isinstance(value, str) else value
        if len(raw) != 16:
            raise DirectoryRefused(f"objectGUID has {len(raw)} bytes, not 16")
        return str(uuid.UUID(bytes_le=raw))
    if isinstance(value, bytes):
        raise DirectoryRefused(f"{attribute} is binary; only objectGUID is converted (check LDAP_ID_ATTRIBUTE)")
    text = str(value).strip()
    if not text or len(text) > DIRECTORY_ID_MAX_LENGTH:
        raise DirectoryRefused(f"{attribute} must have 1-{DIRECTORY_ID_MAX_LENGTH} characters, has {len(text)}")
    return text
