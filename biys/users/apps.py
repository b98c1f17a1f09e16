from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: AppConfig, **kwargs: Any) -> None:
    from biys.users.roles import DOMAIN_APPS, sync_roles

    # Permissions are created per app as each one migrates; sync after each of ours (idempotent).
    if sender.label in DOMAIN_APPS:
        sync_roles()


class UsersConfig(AppConfig):
    name = "biys.users"
    label = "users"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from biys.users import permcache, signals  # noqa: F401 - signals connects login event handlers

        permcache.connect()

        post_migrate.connect(_sync_roles, dispatch_uid="biys_sync_roles")
