"""Login, failed login and logout go into the change log (BİG 3.2.1.3)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from biys.core import changelog, context
from biys.core.middleware import client_ip
from biys.core.models import ChangeLogEntry


def _with_request(request: HttpRequest | None, user: Any) -> context.Actor:
    request_id = getattr(request, "request_id", "") if request is not None else ""
    return context.Actor(user=user, request_id=request_id, ip=client_ip(request) if request is not None else None)


@receiver(user_logged_in, dispatch_uid="biys_log_login")
def log_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    token = context.set_actor(_with_request(request, user))
    try:
        changelog.append(ChangeLogEntry.Action.LOGIN, user, user=user)
    finally:
        context.reset(token)
    if request is not None and hasattr(request, "session"):
        from biys.users.middleware import remember_mfa

        remember_mfa(request, user)


@receiver(user_logged_out, dispatch_uid="biys_log_logout")
def log_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    token = context.set_actor(_with_request(request, user))
    try:
        changelog.append(ChangeLogEntry.Action.LOGOUT, user, user=user)
    finally:
        context.reset(token)


@receiver(user_login_failed, dispatch_uid="biys_log_login_failed")
def log_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    token = context.set_actor(_with_request(request, None))
    try:
        name = str(credentials.get("username", ""))[:150]
        changelog.append(ChangeLogEntry.Action.LOGIN_FAILED, None, object_repr=name, after={"username": name})
    finally:
        context.reset(token)
