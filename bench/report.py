"""The per-database section of ``docs/performance.md``: machine, data sizes, command, numbers.

Each database vendor owns the text between its two markers; a run replaces only its own section
and leaves the rest of the file (the other vendor, the hand-written findings) as it was.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

HEADER = """# Performance

Budgets are proven with the bench suite (`bench/`), not with timed unit tests. The numbers below
are written by `python -m bench.run` (one section per database; a run replaces only its own).
How to run, what is measured and the findings are described after the results.
"""


def vendor_title() -> str:
    from django.db import connection

    return "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"


def _markers(vendor: str) -> tuple[str, str]:
    return f"<!-- bench:{vendor}:begin -->", f"<!-- bench:{vendor}:end -->"


def machine() -> dict[str, str]:
    from django import get_version
    from django.db import connection

    cpu = ""
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        database = f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"
    memory = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory = f", {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB RAM"
    return {
        "machine": f"{os.cpu_count()} CPUs ({cpu or platform.machine()}){memory}, "
        f"{platform.system()} {platform.release()}",
        "software": f"Python {platform.python_version()}, Django {get_version()}, {database}",
    }


class CpuBusy:
    """How busy the machine was outside this process while timing: other work inflates the numbers."""

    def __init__(self) -> None:
        self.started, self.machine, self.own = time.monotonic(), self._machine(), self._own()

    @staticmethod
    def _machine() -> float:
        stat = Path("/proc/stat")
        if not stat.exists():
            return 0.0
        fields = [int(value) for value in stat.read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _own() -> float:
        times = os.times()
        return times.user + times.system

    def others(self) -> str:
        wall = time.monotonic() - self.started
        if not Path("/proc/stat").exists() or wall <= 0:
            return "n/a"
        other = (self._machine() - self.machine) - (self._own() - self.own)
        return f"{max(other, 0) / wall:.2f} of {os.cpu_count()} CPUs"


def _counts() -> dict[str, int]:
    from biys.core.models import ChangeLogEntry
    from biys.org.models import Staff, Unit
    from biys.servicedesk.models import FollowUp, Ticket
    from biys.users.models import User

    last = ChangeLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return {"units": Unit.objects.count(), "staff": Staff.objects.count(), "users": User.objects.count(),
            "changelog": last, "tickets": Ticket.objects.count(), "followups": FollowUp.objects.count()}  # fmt: skip


def section(results: list[Any], seeded: Any, command: str, args: Any, seconds: float) -> str:
    from django.utils import timezone

    info, counts = machine(), _counts()
    title = vendor_title()
    lines = [
        f"## {title}",
        "",
        f"- date: {timezone.localtime():%Y-%m-%d %H:%M %Z}",
        f"- machine: {info['machine']}",
        f"- software: {info['software']}",
        f"- data: {counts['units']:,} units, {counts['staff']:,} staff, {counts['users']:,} users, "
        f"{counts['changelog']:,} change-log entries, {counts['tickets']:,} tickets, "
        f"{counts['followups']:,} follow-ups",
        f"- command: `{command}`",
        f"- CPU busy outside the bench process while timing (other work, and the PostgreSQL server): {args.other_cpu}",
        f"- method: up to {args.warmup} warm-up then {args.runs} timed requests per scenario (at most "
        f"{args.max_seconds:.0f} s each, then at least 5), in-process test client; whole run {seconds / 60:.1f} min",
    ]
    if seeded is not None:
        steps = ", ".join(f"{name} {value:.1f} s" for name, value in seeded.seconds.items())
        lines.append(f"- seeding: {seeded.total_seconds:.0f} s ({steps})")
    else:
        lines.append("- seeding: reused the existing bench database (--skip-seed)")
    lines += [
        "",
        "| scenario | what | runs | median ms | p95 ms | max ms | CPU median / p95 ms | queries | budget (p95) "
        "| result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        verdict = "pass" if r.passed else "**MISS**"
        if r.problems:
            verdict = f"**FAIL**: {len(r.problems)} wrong answers, e.g. `{r.problems[0]}`"
        cpu = f"{r.cpu_median:.1f} / {r.cpu_p95:.1f}"
        numbers = f"{len(r.samples_ms)} | {r.median:.1f} | {r.p95:.1f} | {max(r.samples_ms):.1f} | {cpu} | {r.queries}"
        budget = getattr(r, "budget_text", "") or f"{r.budget_ms:.0f} ms"  # the API load test: requests/s
        lines.append(f"| `{r.name}` | {r.title} | {numbers} | {budget} | {verdict} |")
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    lines += ["", f"<!-- written by bench.run {stamp}; python {sys.version.split()[0]} -->"]
    return "\n".join(lines)


def write(path: str, text: str) -> None:
    """Replace this vendor's section of ``path`` (creating the file or the section if missing)."""
    from django.db import connection

    target = Path(path)
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    begin, end = _markers(vendor)
    block = f"{begin}\n{text}\n{end}"
    if not target.exists():
        sqlite_block = block if vendor == "sqlite" else "\n".join(_markers("sqlite"))
        pg_block = block if vendor == "postgresql" else "\n".join(_markers("postgresql"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{HEADER}\n{sqlite_block}\n\n{pg_block}\n", encoding="utf-8")
        return
    current = target.read_text(encoding="utf-8")
    if begin in current and end in current:
        before, rest = current.split(begin, 1)
        after = rest.split(end, 1)[1]
        target.write_text(f"{before}{block}{after}", encoding="utf-8")
    else:
        target.write_text(f"{current.rstrip()}\n\n{block}\n", encoding="utf-8")
