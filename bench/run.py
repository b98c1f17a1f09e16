"""Seed the bench database, time every scenario, print a table and update ``docs/performance.md``.

    python -m bench.run [--database-url URL] [--staff 20000 --units 300 --changelog 1000000]
                        [--tickets 1000000 --followups 5000000] [--api-requests 3000 --api-seconds 60]
                        [--skip-seed] [--reset] [--runs 50] [--warmup 30] [--only NAME ...] [--no-write]

Exit status: 0 all budgets met, 1 a budget missed, 2 a page answered wrongly (status or empty list).
CI smoke run (small data, about a minute; fails only on wrong answers):

    python -m bench.run --staff 300 --units 30 --changelog 2000 --tickets 5000 --followups 25000 --runs 5 \
        --no-write --ignore-budgets --api-requests 100 --api-seconds 10
"""

from __future__ import annotations

import argparse
import gc
import random
import shlex
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from bench import api_load, config, report, servicedesk
from bench.scenarios import SCENARIOS as PAGE_SCENARIOS
from bench.seed import SeedReport, add_size_arguments, seed

SCENARIOS = (*PAGE_SCENARIOS, *servicedesk.SCENARIOS)


@dataclass
class Result:
    name: str
    title: str
    persona: str
    budget_ms: float
    samples_ms: list[float]
    cpu_ms: list[float]  # CPU time of the request's thread (Python + SQLite; not the PostgreSQL server)
    queries: int
    problems: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return _p95(self.samples_ms)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def cpu_p95(self) -> float:
        return _p95(self.cpu_ms)

    @property
    def passed(self) -> bool:
        return self.p95 <= self.budget_ms and not self.problems


def _p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def measure(scenario: Any, client: Any, data: Any, runs: int, warmup: int, max_seconds: float) -> Result:
    """Warm up, then time ``runs`` requests with varied URLs; check every response.

    A page far over budget would take hours at full counts: after ``max_seconds`` the scenario stops
    with what it has (at least 5 timed requests), and the report shows how many were timed.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from biys.core import caching

    caching.clear_all()  # the seeder's bulk inserts send no signals: per-process copies are read again
    rng = random.Random(scenario.name)
    problems: list[str] = []  # every failing URL; the report shows the first few
    cpu: list[float] = []
    deadline = time.monotonic() + max_seconds

    def get(url: str) -> float:
        started, cpu_started = time.perf_counter(), time.thread_time()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        cpu.append((time.thread_time() - cpu_started) * 1000)
        if response.status_code != 200:
            error = f" ({response.exc_info[0].__name__})" if getattr(response, "exc_info", None) else ""
            problems.append(f"{url} answered {response.status_code}{error}")
        elif scenario.count_rows(response.content.decode()) < scenario.min_rows:
            problems.append(f"{url} listed nothing")
        return elapsed

    for _ in range(warmup):
        get(scenario.url(data, rng))
        if time.monotonic() > deadline - max_seconds * 2 / 3:
            break
    samples: list[float] = []
    cpu.clear()
    while len(samples) < runs and (len(samples) < 5 or time.monotonic() < deadline):
        samples.append(get(scenario.url(data, rng)))
    timed_cpu = cpu[:]
    with CaptureQueriesContext(connection) as captured:
        get(scenario.url(data, rng))
    return Result(scenario.name, scenario.title, scenario.persona, scenario.budget_ms, samples, timed_cpu,
                  len(captured.captured_queries), problems)  # fmt: skip


def run_scenarios(names: list[str] | None, runs: int, warmup: int, max_seconds: float) -> list[Result]:
    from django.test import Client

    from bench.scenarios import load_data
    from biys.users.models import User

    data = load_data()
    clients: dict[str, Client] = {}
    results = []
    for scenario in SCENARIOS:
        if names and scenario.name not in names:
            continue
        if scenario.persona not in clients:
            clients[scenario.persona] = Client(raise_request_exception=False)
            clients[scenario.persona].force_login(User.objects.get(username=scenario.persona))
        result = measure(scenario, clients[scenario.persona], data, runs, warmup, max_seconds)
        verdict = "FAIL" if result.problems else "ok" if result.passed else "MISS"
        print(f"  {result.name:<20} median {result.median:8.1f} ms   p95 {result.p95:8.1f} ms   "
              f"cpu {result.cpu_median:7.1f}/{result.cpu_p95:7.1f} ms  {len(result.samples_ms):>3} runs  "
              f"{result.queries:>2} queries   {verdict}", flush=True)  # fmt: skip
        results.append(result)
    return results


def prepare_database(args: argparse.Namespace, url: str) -> SeedReport | None:
    """Seed unless told to reuse; a database the bench made before is replaced, any other one refused."""
    config.setup(url)
    current = config.state()
    if args.skip_seed:
        if current != "bench":
            raise SystemExit(f"--skip-seed: {config.redacted(url)} holds no bench data; run without it first.")
        config.migrate()
        return None
    if current == "foreign" and not args.reset:
        raise SystemExit(f"{config.redacted(url)} holds data the bench did not make; use --reset to replace it.")
    if current == "empty":
        config.migrate()
    else:
        config.recreate(url)  # also when its migration history no longer matches the code
    # Seed only what the chosen scenarios read: the service desk needs units and staff, not the change log.
    if args.only and all(name.startswith("sd_") for name in args.only):
        args.changelog = 0
    if args.only and not any(name.startswith("sd_") for name in args.only):
        args.tickets = 0
    print(f"Seeding {config.redacted(url)}: {args.units} units, {args.staff} staff, {args.changelog} log entries")
    seeded = seed(args.staff, args.units, args.changelog)
    if args.tickets > 0:
        print(f"Seeding the service desk: {args.tickets} tickets, {args.followups} follow-ups")
        desk = servicedesk.seed(args.tickets, args.followups)
        seeded.seconds.update({f"desk {name}": value for name, value in desk.seconds.items()})
    return seeded


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    add_size_arguments(parser)
    servicedesk.add_size_arguments(parser)
    api_load.add_arguments(parser)
    parser.add_argument("--skip-seed", action="store_true", help="time the data already in the bench database")
    parser.add_argument("--reset", action="store_true", help="replace a database the bench did not make")
    parser.add_argument("--runs", type=int, default=50, help="timed requests per scenario (default 50)")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests first (default 30)")
    parser.add_argument("--max-seconds", type=float, default=60, help="time limit per scenario (default 60)")
    names = [scenario.name for scenario in SCENARIOS] + [api_load.NAME]
    parser.add_argument("--only", nargs="+", choices=names, metavar="NAME", help=f"only these: {', '.join(names)}")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    parser.add_argument(
        "--ignore-budgets", action="store_true", help="exit 0 on missed budgets (smoke runs: only wrong answers fail)"
    )
    parser.add_argument("--output", default=str(config.REPO / "docs" / "performance.md"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup not negative")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = config.resolve_url(args.database_url)
    started = time.perf_counter()

    seeded = prepare_database(args, url)
    gc.collect()  # the seeder's garbage must not be collected inside a timed request
    print(f"Timing {args.runs} requests per scenario after {args.warmup} warm-up requests:")
    busy = report.CpuBusy()
    results: list[Any] = run_scenarios(args.only, args.runs, args.warmup, args.max_seconds)
    if not args.only or api_load.NAME in args.only:
        load = api_load.run(url, args.api_requests, args.api_seconds, args.api_threads)
        verdict = "FAIL" if load.problems else "ok" if load.passed else "MISS"
        print(f"  {load.name:<20} {load.per_second:.1f} tickets/s   median {load.median:.1f} ms   "
              f"p95 {load.p95:.1f} ms   {verdict}", flush=True)  # fmt: skip
        results.append(load)
    args.other_cpu = busy.others()
    argv_shown = [config.redacted(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    command = shlex.join(["python", "-m", "bench.run", *argv_shown])
    section = report.section(results, seeded, command, args, time.perf_counter() - started)
    if not args.no_write:
        report.write(args.output, section)
        print(f"Wrote the {report.vendor_title()} section of {args.output}")
    for result in results:
        for problem in result.problems[:3]:
            print(f"  {result.name}: {problem}", file=sys.stderr)
    if any(result.problems for result in results):
        return 2
    return 0 if args.ignore_budgets or all(result.passed for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
