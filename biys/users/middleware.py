from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# How long a session trusts its "does a role require TOTP?" answer before asking the database again. A role
# gaining the requirement mid-session applies within this many seconds (and at once on the next login).
MFA_CHECK_TTL = 300
_SESSION_KEY = "_biys_mfa_required"


def requires_mfa(request: HttpRequest) -> bool:
    """``user.requires_mfa()``, cached in the session for ``MFA_CHECK_TTL`` seconds (one query less per page)."""
    now = time.time()
    cached = request.session.get(_SESSION_KEY)
    if (
        isinstance(cached, list)
        and len(cached) == 3
        and cached[0] == request.user.pk
        and now - cached[2] < MFA_CHECK_TTL
    ):
        return bool(cached[1])
    return remember_mfa(request, request.user)


def remember_mfa(request: HttpRequest, user: Any) -> bool:
    """Store the answer in the session (at login, so the first page does not write the session again)."""
    required = bool(user.requires_mfa())
    request.session[_SESSION_KEY] = [user.pk, required, time.time()]
    return required


class MFARequiredMiddleware:
    """A user whose role requires TOTP must verify (or first enrol) before any other page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(("/static/", "/api/"))
            and not user.is_verified()  # type: ignore[union-attr]
            and requires_mfa(request)
        ):
            target = reverse("users:mfa")
            if request.path != target and request.path != reverse("users:logout"):
                return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)
