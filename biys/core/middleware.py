from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse

from biys.core import context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request: HttpRequest) -> str | None:
    if settings.BIYS_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Gives every request an id (kept from X-Request-ID when sane) and records the actor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = header if _REQUEST_ID.match(header) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = context.set_actor(context.Actor(user=request.user, request_id=request_id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a login, except views marked ``login_not_required``.

    The API answers 401/403 itself (DRF), so it is left to DRF's authentication.
    """

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        return cast("HttpResponse | None", super().process_view(request, view_func, view_args, view_kwargs))


class SessionRenewMiddleware:
    """The idle timeout: activity pushes the session's expiry back, but at most once a minute.

    Django's SESSION_SAVE_EVERY_REQUEST would write the session row on every request; a list page
    answering in a few milliseconds should not pay a database write for it. Only a session that holds a
    login is renewed: a request authenticated otherwise (an API token) must not create a session row.
    """

    RENEW_EVERY = 60  # seconds

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated and SESSION_KEY in session:
            now = int(time.time())
            if now - int(session.get("_renewed", 0)) >= self.RENEW_EVERY:
                session["_renewed"] = now  # marks the session modified: saved with a fresh expiry
        return response
