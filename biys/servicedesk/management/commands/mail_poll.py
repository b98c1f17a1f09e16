from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from biys.servicedesk.tasks import poll_mail


class Command(BaseCommand):
    help = "Queue one read of the service desk's IMAP mailbox (new mail → tickets, replies → follow-ups). Cron."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Read the mailbox now instead of queueing the task.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["now"]:
            result = poll_mail.enqueue()
            self.stdout.write(f"Mail poll queued ({result.id}).")
            return
        from biys.servicedesk.mail.imap import MailboxError
        from biys.servicedesk.mail.intake import MailConfigError

        try:
            report = poll_mail.call()
        except (MailConfigError, MailboxError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Mail poll: " + ", ".join(f"{name} {count}" for name, count in report.items()))
