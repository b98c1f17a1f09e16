"""A user's permissions, read once and kept per process until they change.

Every request asks ``has_perm`` (the menu, row scoping, the API's model permissions), and Django's
ModelBackend reads the user's own and their groups' permissions with two queries on each request. Here a
process keeps each user's set, valid while the *permission version* in the shared cache (files under the
data dir, or Redis: ``settings.CACHES``) is the one it was read under. Every change to a group's
permissions, to a user's groups or permissions, and to a user's active or superuser flag goes through the
ORM and bumps the version (the signals in :func:`connect`), so the next request of every process reads
again. A change made behind the ORM's back (SQL) applies after ``MAX_AGE`` seconds at the latest, and so
does a change on another host when several hosts share only files, not Redis.

The set is handed to ModelBackend as the ``_perm_cache`` it keeps on the user object for one request, so
``has_perm`` and the template's ``perms`` work unchanged.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from biys.core import caching

VERSION_KEY = "biys:permissions:version"
MAX_AGE = 60.0
FLAGS = frozenset({"is_active", "is_superuser"})


class _Known:
    """user id → (version, read at, permissions); cleared with the other per-process caches in tests."""

    def __init__(self) -> None:
        self.entries: dict[int, tuple[str, float, frozenset[str]]] = {}

    def clear(self, *args: Any, **kwargs: Any) -> None:
        self.entries.clear()


_known = _Known()
caching.register(_known)


_version = caching.SharedVersion(VERSION_KEY)


def current_version() -> str:
    return _version.current()


def bump(*args: Any, **kwargs: Any) -> None:
    """Every process reads permissions again on its next request: this one at once, the others once the change
    is committed (a process that read the old rows under a version bumped before the commit would keep them)."""
    _known.clear()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    _version.renew()
    _known.clear()


def prime(user: Any) -> None:
    """Give ``user`` (a freshly loaded user of this request) its permissions from memory when still current."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or hasattr(user, "_perm_cache"):
        return
    version, now = current_version(), monotonic()
    entry = _known.entries.get(user.pk)
    if entry is not None and entry[0] == version and now - entry[1] < MAX_AGE:
        user._perm_cache = set(entry[2])
        return
    granted = ModelBackend().get_all_permissions(user)  # two queries; also sets user._perm_cache
    _known.entries[user.pk] = (version, now, frozenset(granted))


def _user_saved(sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    # A login saves last_login only: that changes nobody's permissions.
    if created or update_fields is None or FLAGS & set(update_fields):
        bump()


def connect() -> None:
    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(bump, sender=through, dispatch_uid=f"biys_perm_version_{through._meta.label}")
    for model in (Group, Permission):
        post_save.connect(bump, sender=model, dispatch_uid=f"biys_perm_version_save_{model._meta.label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"biys_perm_version_delete_{model._meta.label}")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="biys_perm_version_user_saved")
    post_delete.connect(bump, sender=user_model, dispatch_uid="biys_perm_version_user_deleted")


class PermissionCacheMiddleware:
    """Right after AuthenticationMiddleware: the signed-in user's permissions without two queries."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        prime(request.user)
        return self.get_response(request)
