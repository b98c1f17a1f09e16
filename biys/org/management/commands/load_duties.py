from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from biys.core.context import acting_as
from biys.org import services
from biys.org.models import Directive, Unit


class Command(BaseCommand):
    help = (
        "Load (or reload) a directive's duty catalog from its text file. Any municipality's directive "
        'in the usual shape ("MADDE n-", items "a)" or "(1)") works; items are matched on their reference.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the directive text (UTF-8, Markdown or plain text)")
        parser.add_argument("--source", required=True, help='short name used in references, e.g. "Nizip"')
        parser.add_argument("--unit", required=True, help="code of the unit the directive governs")
        parser.add_argument("--title", help="title of a new directive (default: the first line of the file)")

    def handle(self, *args: Any, file: Path, source: str, unit: str, title: str | None, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: cannot read the file as UTF-8 text ({exc})") from exc
        governed = Unit.objects.filter(code=unit).first()
        if governed is None:
            raise CommandError(f"--unit {unit}: no unit has this code")
        first_line = next((line.strip("*# ") for line in text.splitlines() if line.strip()), source)
        with transaction.atomic(), acting_as(None, request_id="load-duties"):
            directive, _created = Directive.objects.get_or_create(
                source_name=source, unit=governed, defaults={"title": (title or first_line)[:300]}
            )
            try:
                created, updated = services.load_duties(directive, text)
            except ValidationError as exc:
                raise CommandError(f"{file}: {' '.join(exc.messages)}") from exc
        self.stdout.write(self.style.SUCCESS(f"{directive}: duties added: {created}, updated: {updated}."))
