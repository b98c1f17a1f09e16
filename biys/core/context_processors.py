from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest


def menu_key(request: HttpRequest) -> Callable[[], str]:
    """The navigation menu's cache key: a digest of the user's permissions (the menu shows what they grant,
    so users of the same roles share one rendering). A function, so anonymous pages never compute it."""

    def key() -> str:
        user: Any = request.user
        granted = sorted(user.get_all_permissions()) if user.is_authenticated else []
        return hashlib.sha256("|".join(granted).encode()).hexdigest()[:32]

    return key


def biys(request: HttpRequest) -> dict[str, Any]:
    """The municipality's name and logo for the page header (cached per process by org.models), and the key
    of the cached navigation menu."""
    from biys.org.models import Municipality

    return {"municipality": Municipality.cached(), "menu_key": menu_key(request)}
