from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "biys.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from biys.core import changelog
        from biys.core.calendar import clear_exceptions_cache

        changelog.connect()
        post_save.connect(clear_exceptions_cache, sender="core.CalendarDay", dispatch_uid="calendar_saved")
        post_delete.connect(clear_exceptions_cache, sender="core.CalendarDay", dispatch_uid="calendar_deleted")
