from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from biys.servicedesk.tasks import sla_tick


class Command(BaseCommand):
    help = "Queue the service desk's periodic work: SLA breaches and warnings, auto-close of resolved tickets. Cron."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Run now instead of queueing the task.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["now"]:
            result = sla_tick.enqueue()
            self.stdout.write(f"Service desk tick queued ({result.id}).")
            return
        report = sla_tick.call()
        self.stdout.write("Service desk tick: " + ", ".join(f"{name} {count}" for name, count in report.items()))
