from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "biys.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from biys.core import changelog

        changelog.connect()
