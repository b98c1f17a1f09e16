"""Throughput of opening tickets through the REST API, against a real gunicorn with 2 sync workers.

The bench starts ``gunicorn biys.wsgi`` on 127.0.0.1 (a free port) on the bench database, issues an API
token to the requester persona, then client threads POST ``/api/servicedesk/tickets/`` with
``Authorization: Token …`` — every request a new ticket through ``services.open_ticket`` (routing, SLA
clock, ticket number, change log). Bounded: at most ``--api-requests`` requests or ``--api-seconds``
seconds, after a short warm-up. The tickets it opened are deleted afterwards, so runs can repeat.

    python -m bench.api_load [--database-url URL] [--api-requests 3000] [--api-seconds 60] [--api-threads 6]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench import config, servicedesk

NAME = "sd_api_create"
TITLE = "Service desk: open a ticket via the REST API, 2 gunicorn workers, token auth (requester)"
BUDGET_PER_SECOND = 100.0
WORKERS = 2


@dataclass
class ThroughputResult:
    """A row of the bench table (same attributes as ``bench.run.Result``), passed on requests per second."""

    name: str
    title: str
    persona: str
    budget_ms: float  # the latency that 100 requests/s on 2 workers allows (20 ms); shown, not judged
    samples_ms: list[float]
    cpu_ms: list[float]
    queries: int
    per_second: float = 0.0
    seconds: float = 0.0
    server_cpu_ms: float = 0.0  # CPU of the gunicorn workers (and PostgreSQL backends) per ticket
    problems: list[str] = field(default_factory=list)
    budget_text: str = f"≥ {BUDGET_PER_SECOND:.0f}/s"

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms) if self.samples_ms else 0.0

    @property
    def p95(self) -> float:
        if len(self.samples_ms) < 2:
            return self.median
        return statistics.quantiles(self.samples_ms, n=20, method="inclusive")[18]

    @property
    def cpu_median(self) -> float:  # the CPU columns show the server's CPU per ticket
        return self.server_cpu_ms

    cpu_p95 = cpu_median

    @property
    def passed(self) -> bool:
        return self.per_second >= BUDGET_PER_SECOND and not self.problems


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--api-requests", type=int, default=3000, help="API create: timed requests (default 3000)")
    parser.add_argument("--api-seconds", type=float, default=60, help="API create: time limit (default 60 s)")
    parser.add_argument("--api-threads", type=int, default=6, help="API create: client threads (default 6)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECURE_COOKIES": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret"),
        # The production settings, as a deployment runs them: notifications are queued as database tasks
        # (a worker sends the mail), connections are kept (one per worker).
        "DJANGO_SETTINGS_MODULE": "biys.settings",
        "TASKS_BACKEND": "database",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "biys.wsgi:application", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
               "--timeout", "60", "--access-logfile", "-", "--log-level", "warning"]  # fmt: skip
    return subprocess.Popen(
        command, cwd=config.REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )


def _wait_ready(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # the group of the gunicorn we started (master and workers)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _server_pids(master: int, url: str) -> list[int]:
    """The gunicorn workers, and on PostgreSQL the backends serving them (all on this machine)."""
    pids: list[int] = []
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    if config.vendor(url) == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'"
            )
            pids += [row[0] for row in cursor.fetchall()]
        connection.close()
    return pids


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes (Linux /proc; 0 elsewhere or for processes that are gone)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.0


def _payloads(count: int) -> list[bytes]:
    from biys.servicedesk.models import ServiceItem

    rng = random.Random(7)
    items = list(ServiceItem.objects.values_list("pk", "code"))
    titles = {code: titles for code, *_rest, titles in servicedesk.ITEMS}
    bodies = []
    for _ in range(count):
        pk, code = rng.choice(items)
        title = rng.choice(titles.get(code, ("Yazıcı çalışmıyor",)))
        description = " ".join(servicedesk._description(rng, title))
        bodies.append(json.dumps({"item": pk, "title": title, "description": description}).encode())
    return bodies


def _token() -> str:
    from biys.users.models import ApiToken, User

    user = User.objects.get(username=servicedesk.REQUESTER_USER)
    ApiToken.objects.filter(user=user, name="bench").delete()
    return ApiToken.issue(user, "bench", days=1)[1]


def run(url: str, requests: int = 3000, seconds: float = 60, threads: int = 6, warmup: int = 60) -> ThroughputResult:
    """Start gunicorn, warm up, then POST until ``requests`` answers or ``seconds`` have passed."""
    from django.db import connections
    from django.utils import timezone

    from biys.servicedesk.models import Ticket, TicketSequence

    key = _token()
    since = timezone.now()
    last_before = Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sequences = dict(TicketSequence.objects.values_list("year", "last"))
    bodies = _payloads(requests + warmup + threads)
    connections.close_all()  # SQLite: let the workers write without our open connection in the way
    port = _free_port()
    log = Path(tempfile.gettempdir()) / f"biys-bench-gunicorn-{port}.log"
    process = _start_server(url, port, log)
    latencies: list[float] = []
    problems: list[str] = []
    lock = threading.Lock()
    counter = iter(range(len(bodies)))
    headers = {"Authorization": f"Token {key}", "Content-Type": "application/json", "Accept": "application/json"}

    def post(body: bytes) -> tuple[int, float, bytes]:
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("POST", "/api/servicedesk/tickets/", body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            return response.status, (time.perf_counter() - started) * 1000, answer
        finally:
            conn.close()

    def worker(deadline: float, limit: int) -> None:
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) + len(problems) >= limit:
                    return
                index = next(counter, None)
            if index is None:
                return
            try:
                code, elapsed, answer = post(bodies[index])
            except OSError as exc:
                with lock:
                    problems.append(f"POST failed: {exc}")
                continue
            with lock:
                if code == 201:
                    latencies.append(elapsed)
                else:
                    problems.append(f"POST answered {code}: {answer[:200].decode(errors='replace')}")

    try:
        _wait_ready(port, process)
        for index in range(warmup):  # one client: start both workers' connections, caches, calendars
            code, _elapsed, answer = post(bodies[next(counter)])
            if code != 201:
                problems.append(f"warm-up POST answered {code}: {answer[:200].decode(errors='replace')}")
                if index > 5:
                    break
        warm_problems = len(problems)
        servers = _server_pids(process.pid, url)
        cpu_before, client_before = _cpu_seconds(servers), time.process_time()
        started = time.perf_counter()
        deadline = time.monotonic() + seconds
        pool = [threading.Thread(target=worker, args=(deadline, requests + warm_problems)) for _ in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        wall = time.perf_counter() - started
        server_cpu = _cpu_seconds(servers) - cpu_before
        client_cpu = time.process_time() - client_before  # the load generator shares the 2 cores
    finally:
        _stop(process)
    created = Ticket.objects.filter(id__gt=last_before).count()
    if created < len(latencies) + warmup - warm_problems:
        problems.append(f"{len(latencies)} answers 201 but only {created} new tickets in the database")
    _remove_created(last_before, sequences, since)
    result = ThroughputResult(
        NAME,
        TITLE,
        servicedesk.REQUESTER_USER,
        1000 * WORKERS / BUDGET_PER_SECOND,
        latencies or [0.0],
        latencies or [0.0],
        0,
        per_second=len(latencies) / wall if wall > 0 else 0.0,
        seconds=wall,
        problems=problems,
    )
    result.server_cpu_ms = 1000 * server_cpu / len(latencies) if latencies else 0.0
    capacity = f", server CPU {result.server_cpu_ms:.1f} ms per ticket" if result.server_cpu_ms else ""
    if latencies:
        capacity += f", load generator CPU {1000 * client_cpu / len(latencies):.1f} ms per ticket"
    result.title = (
        f"{TITLE}: **{result.per_second:.0f}/s** ({len(latencies)} in {wall:.1f} s, {threads} threads{capacity})"
    )
    return result


def _remove_created(last_before: int, sequences: dict[int, int], since: datetime) -> None:
    """Delete the tickets the load test opened, their queued notifications, and restore the number sequences,
    without signals (their change-log entries stay: the log is append-only)."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from biys.servicedesk.models import FollowUp, Ticket, TicketSequence

    with transaction.atomic():
        DBTaskResult.objects.filter(enqueued_at__gte=since).delete()
        followups = FollowUp.objects.filter(ticket_id__gt=last_before)
        followups._raw_delete(followups.db)
        Ticket.assets.through.objects.filter(ticket_id__gt=last_before).delete()
        tickets = Ticket.objects.filter(id__gt=last_before)
        tickets._raw_delete(tickets.db)
        TicketSequence.objects.exclude(year__in=sequences).delete()
        for year, last in sequences.items():
            TicketSequence.objects.filter(year=year).update(last=last)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help=f"bench database (default $BENCH_DATABASE_URL or {config.DEFAULT_URL})")
    add_arguments(parser)
    args = parser.parse_args(argv)
    url = config.resolve_url(args.database_url)
    config.setup(url)
    if config.state() != "bench" or not servicedesk.has_desk():
        print(f"{config.redacted(url)} holds no bench service desk: seed it first.", file=sys.stderr)
        return 2
    config.migrate()
    result = run(url, args.api_requests, args.api_seconds, args.api_threads)
    print(f"  {result.per_second:.1f} tickets/s ({len(result.samples_ms)} in {result.seconds:.1f} s), "
          f"latency median {result.median:.1f} ms, p95 {result.p95:.1f} ms, "
          f"server CPU {result.server_cpu_ms:.1f} ms per ticket", flush=True)  # fmt: skip
    for problem in result.problems[:5]:
        print(f"  {problem}", file=sys.stderr)
    return 2 if result.problems else 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
