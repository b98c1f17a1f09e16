from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceDeskConfig(AppConfig):
    name = "biys.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service desk")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from biys.servicedesk import deskconfig
        from biys.servicedesk.search import ensure_sqlite_index

        deskconfig.connect()

        # Rebuilding the ticket table on SQLite (to alter a column) drops the search triggers: recreate them.
        post_migrate.connect(ensure_sqlite_index, sender=self, dispatch_uid="servicedesk_sqlite_search")
