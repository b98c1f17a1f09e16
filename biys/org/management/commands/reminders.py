from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from biys.org.tasks import send_reminders


class Command(BaseCommand):
    help = "Queue the daily reminder mails (acknowledgements due, yearly directive reviews). Run from cron."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_reminders.enqueue()
        self.stdout.write(f"Reminders queued ({result.id}).")
