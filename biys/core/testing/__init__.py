"""Test helpers: personas and the generic test cases every model reuses (see views.py, api.py)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import Permission

from biys.users.models import Role, User

PASSWORD = "Test-Parola-2026"  # noqa: S105 - test fixture


def make_unit(name: str, parent: Any = None, **extra: Any) -> Any:
    from biys.org.models import Unit

    code = extra.pop("code", None) or f"U{Unit.objects.count() + 1:04d}-{abs(hash(name)) % 10000}"
    return Unit.objects.create(name=name, code=code, kind=extra.pop("kind", "birim"), parent=parent, **extra)


def make_user(
    username: str, unit: Any = None, roles: tuple[str, ...] = (), perms: tuple[str, ...] = (), **extra: Any
) -> User:
    """A user of ``unit`` with the named default roles and/or extra "app.codename" permissions."""
    user = User.objects.create_user(username=username, password=PASSWORD, unit=unit, **extra)
    for code in roles:
        user.groups.add(cast(Any, Role.objects).get(code=code).group_ptr)
    for perm in perms:
        app_label, codename = perm.split(".", 1)
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return User.objects.get(pk=user.pk)  # fresh: permission caches start empty
