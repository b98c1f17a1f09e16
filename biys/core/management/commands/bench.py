"""`biys bench seed|run …`: the bench suite (``bench/`` in a source checkout), in its own process.

The bench must not run inside this process: it points Django at its own database with DEBUG off
before Django starts. So this command only re-executes ``python -m bench.<action>`` with the
remaining arguments, from the source checkout that holds ``bench/``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Seed the bench database or run the bench (see docs/performance.md). Options pass through."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("seed", "run"))
        parser.add_argument("bench_args", nargs=argparse.REMAINDER, help="passed to python -m bench.<action>")

    def handle(self, *args: Any, action: str, bench_args: list[str], **options: Any) -> None:
        root = Path(settings.BASE_DIR).parent
        if not (root / "bench" / "run.py").is_file():
            raise CommandError(
                f"The bench suite is not in this installation ({root / 'bench'}): use a source checkout."
            )
        command = [sys.executable, "-m", f"bench.{action}", *bench_args]
        code = subprocess.call(command, cwd=root)  # noqa: S603 - our own interpreter and module
        if code:
            raise SystemExit(code)
