from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


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
            and user.requires_mfa()  # type: ignore[union-attr]
        ):
            target = reverse("users:mfa")
            if request.path != target and request.path != reverse("users:logout"):
                return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)
