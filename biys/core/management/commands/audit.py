from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from biys.core.changelog import verify


class Command(BaseCommand):
    help = "Audit trail tools. `biys audit verify` recomputes the hash chain of the change log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        result = verify()
        if not result.ok:
            reasons = {
                "missing": "is missing (deleted, or the chain was cut after it)",
                "altered": "was altered after it was written",
                "relinked": "does not link to the entry before it",
            }
            raise CommandError(
                f"Change log verification FAILED after {result.checked} good entries: "
                f"entry #{result.bad_id} {reasons[result.reason]}."
            )
        self.stdout.write(self.style.SUCCESS(f"Change log verified: {result.checked} entries, chain intact."))
