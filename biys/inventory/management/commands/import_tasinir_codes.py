from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from biys.core.context import acting_as
from biys.inventory.register import services
from biys.inventory.register.codes import DEFAULT_FILE, DEFAULT_VERSION, read_code_file


class Command(BaseCommand):
    help = (
        "Load or reload the Taşınır Kod Listesi (TMY md. 4/1-p). Without a path the shipped 2017 list is "
        "loaded; give the Bakanlık's newer file (columns kod, duzey, ad; ',' or ';'; UTF-8 or Windows-1254) "
        "to update it. New codes are added, names updated, missing codes deactivated (never deleted)."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # "--version" names the code list's version here, not Django's.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_FILE, help="the code list file")
        parser.add_argument("--version", dest="list_version", default=None, help='list version, e.g. "2024"')
        parser.add_argument(
            "--default-kinds", action="store_true", help="also create the usual IT asset kinds that are missing"
        )

    def handle(self, *args: Any, path: Path, list_version: str | None, default_kinds: bool, **options: Any) -> None:
        year = re.search(r"(19|20)\d{2}", path.stem)
        version = list_version or (DEFAULT_VERSION if path == DEFAULT_FILE else year.group(0) if year else "")
        if not version.strip():
            raise CommandError(f"{path}: give the list version with --version (e.g. 2024)")
        started = time.monotonic()
        with acting_as(None, request_id="import-tasinir-codes"):
            try:
                result = services.load_codes(read_code_file(path), version=version.strip()[:20])
                kinds = services.default_kinds() if default_kinds else []
            except ValidationError as exc:
                raise CommandError(f"{path}:\n  " + "\n  ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Taşınır codes ({version}): added {result.created}, updated {result.updated}, "
                f"deactivated {result.deactivated}, unchanged {result.unchanged} "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
        if default_kinds:
            self.stdout.write(f"Asset kinds added: {len(kinds)}.")
