"""Seed a büyükşehir at scale: a unit tree, staff with Turkish names, users and a hash-chained change log.

``python -m bench.seed --staff 20000 --units 300 --changelog 1000000 [--reset] [--database-url URL]``

Rows are bulk-created, which bypasses ``save()`` and the change-log signals, so this module fills
what ``save()`` would derive (unit paths and depths, search keys) and builds the change log's hash
chain itself, continuing from the head row, so ``changelog.verify()`` still passes.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench import config, names

BATCH = 5000
STAFF_STATUSES = ("active", "leaving", "left", "deceased")
STAFF_STATUS_WEIGHTS = (92, 3, 4, 1)
# Change-log entry kinds and their share of a municipality's real traffic.
ENTRY_KINDS = (
    ("staff_update", 40),
    ("staff_create", 12),
    ("unit_update", 3),
    ("login", 27),
    ("logout", 12),
    ("view_personal", 6),
)
HISTORY_DAYS = 3 * 365
ACTORS = 40
AUDITOR, SPECIALIST = "bench.denetci", "bench.uzman"


@dataclass
class SeedReport:
    units: int = 0
    staff: int = 0
    users: int = 0
    changelog: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def seed(
    staff: int, units: int, changelog: int, *, rng_seed: int = 2026, log: Callable[[str], None] = print
) -> SeedReport:
    """Fill an empty, migrated database. Deterministic for a given ``rng_seed``."""
    rng = random.Random(rng_seed)
    report = SeedReport()

    def step(name: str, func: Callable[[], int]) -> int:
        started = time.perf_counter()
        count = func()
        report.seconds[name] = time.perf_counter() - started
        log(f"  {name:<10} {count:>9,} rows in {report.seconds[name]:6.1f} s")
        return count

    report.units = step("units", lambda: seed_units(units, rng))
    report.staff = step("staff", lambda: seed_staff(staff, rng))
    report.users = step("users", lambda: seed_users(rng))
    report.changelog = step("changelog", lambda: seed_changelog(changelog, rng))
    step("analyze", analyze)
    return report


# --- Units -------------------------------------------------------------------------------------


def _tree_shape(total: int) -> tuple[int, int, int]:
    """(departments, branches, sections) for ``total`` units including the root."""
    if total < 2:
        return 0, 0, 0
    departments = min(len(names.DEPARTMENTS), max(1, (total - 1) // 12))
    rest = total - 1 - departments
    branches = rest // 3
    return departments, branches, rest - branches


def seed_units(total: int, rng: random.Random) -> int:
    from biys.org.models import Municipality, Unit

    Municipality(name="Bench Büyükşehir Belediyesi", short_name="Bench BB", kind="buyuksehir").save()
    departments, branches, sections = _tree_shape(max(total, 1))
    presidency = Unit(name="Bench Büyükşehir Belediye Başkanlığı", code=config.MARKER_CODE, kind=Unit.Kind.PRESIDENCY)
    root = _create_level([presidency], {})
    level1 = _create_level(
        [_department(i, root[0]) for i in range(departments)],
        {root[0].pk: root[0].path},
    )
    level2 = _create_level(
        [_branch(level1[i % departments], i, rng) for i in range(branches)],
        {u.pk: u.path for u in level1},
    )
    parents = level2 or level1 or root
    _create_level(
        [_child(parents[i % len(parents)], rng.choice(names.SECTIONS), i, Unit.Kind.SECTION) for i in range(sections)],
        {u.pk: u.path for u in parents},
    )
    return Unit.objects.count()


def _department(index: int, root: Any) -> Any:
    from biys.org.models import Unit

    # The first directorate is the IT department (Bilgi İşlem), the one BİYS itself serves.
    code, kind = f"B.{index + 1:02d}", Unit.Kind.DEPARTMENT
    return Unit(name=names.DEPARTMENTS[index], code=code, kind=kind, parent=root, is_it=index == 0)


def _branch(parent: Any, index: int, rng: random.Random) -> Any:
    name = rng.choice(names.IT_BRANCHES if parent.is_it else names.BRANCHES)
    return _child(parent, f"{name} Şube Müdürlüğü", index, "sube_mudurlugu")


def _child(parent: Any, name: str, index: int, kind: str) -> Any:
    from biys.org.models import Unit

    return Unit(name=name, code=f"{parent.code}.{index + 1:03d}", kind=kind, parent=parent, is_it=parent.is_it)


def _create_level(units: list[Any], parent_paths: dict[int, str]) -> list[Any]:
    """Bulk-create one tree level, then set what ``Unit.save()`` derives: path, depth, search key."""
    from biys.core.text import search_key
    from biys.org.models import Unit

    for unit in units:
        unit.search_key = search_key(unit.search_source())
    created = Unit.objects.bulk_create(units, batch_size=BATCH)
    for unit in created:
        unit.path = f"{parent_paths[unit.parent_id] if unit.parent_id else ''}{unit.pk}."
        unit.depth = unit.path.count(".") - 1
    Unit.objects.bulk_update(created, ["path", "depth"], batch_size=BATCH)
    return created


# --- Staff -------------------------------------------------------------------------------------


def tckn(rng: random.Random) -> str:
    """A random T.C. identity number with valid check digits (first digit never 0)."""
    from stdnum.tr import tckimlik

    base = str(rng.randint(100_000_000, 999_999_999))
    return base + tckimlik.calc_check_digits(base)


def _ascii_word(text: str) -> str:
    from biys.core.text import search_key

    return search_key(text).replace(" ", "")


def seed_staff(total: int, rng: random.Random) -> int:
    from biys.core.text import search_key
    from biys.org.models import Staff, Unit

    unit_rows = list(Unit.objects.values_list("id", "depth"))
    unit_ids = [pk for pk, _depth in unit_rows]
    # Sections and branches hold most people; the presidency itself very few.
    weights = [(0.2, 1, 2, 3)[min(depth, 3)] for _pk, depth in unit_rows]
    seen_tckn: set[str] = set()
    batch: list[Any] = []
    for i in range(total):
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        if rng.random() < 0.1:
            first = f"{first} {rng.choice(names.FIRST_NAMES)}"
        status = rng.choices(STAFF_STATUSES, STAFF_STATUS_WEIGHTS)[0]
        if i < len(names.FEATURED):
            first, last, status = *names.FEATURED[i], "active"
        number = None
        if rng.random() < 0.9:
            number = tckn(rng)
            while number in seen_tckn:
                number = tckn(rng)
            seen_tckn.add(number)
        person = Staff(
            first_name=first,
            last_name=last,
            tckn=number,
            registry_no=str(100_000 + i),
            title=rng.choice(names.TITLES),
            unit_id=rng.choices(unit_ids, weights)[0],
            work_phone=f"0324 {rng.randint(200, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            mobile_phone=f"05{rng.randint(30, 59)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            email=f"{_ascii_word(first)}.{_ascii_word(last)}{i % 97 or ''}@bench.bel.tr",
            start_date=date(1990, 1, 1) + timedelta(days=rng.randint(0, 35 * 365)),
            status=status,
        )
        person.search_key = search_key(person.search_source())
        person.sort_name = person.collation_key()
        batch.append(person)
        if len(batch) >= BATCH:
            Staff.objects.bulk_create(batch)
            batch = []
    Staff.objects.bulk_create(batch)
    return total


# --- Users ---------------------------------------------------------------------------------------


def seed_users(rng: random.Random) -> int:
    """Two personas (auditor, specialist of the IT department) and the actors the change log names."""
    from django.contrib.auth.hashers import make_password

    from biys.org.models import Unit
    from biys.users.models import Role, User

    it_department = Unit.objects.filter(is_it=True).order_by("depth", "id").first()
    unit_ids = list(Unit.objects.values_list("id", flat=True))
    password = make_password(None)
    users = [
        User(username=AUDITOR, first_name="Denetçi", last_name="Bench", password=password),
        User(username=SPECIALIST, first_name="Uzman", last_name="Bench", password=password, unit=it_department),
    ]
    taken: set[str] = set()
    while len(taken) < ACTORS:
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        username = f"{_ascii_word(first)}.{_ascii_word(last)}"
        if username not in taken:
            taken.add(username)
            users.append(User(username=username, first_name=first, last_name=last, password=password,
                              unit_id=rng.choice(unit_ids)))  # fmt: skip
    created = User.objects.bulk_create(users)
    roles = dict(Role.objects.values_list("code", "pk"))  # type: ignore[misc]  # django-stubs sees Group's fields
    membership = [(created[0], "denetci"), (created[1], "uzman")]
    membership += [(user, rng.choice(("uzman", "sube_muduru", "birim_kullanicisi"))) for user in created[2:]]
    through = User.groups.through
    through.objects.bulk_create([through(user_id=user.pk, group_id=roles[code]) for user, code in membership])
    return len(created)


# --- Change log ----------------------------------------------------------------------------------


@dataclass
class _Sources:
    """What change-log entries refer to, loaded once."""

    staff: list[dict[str, Any]]
    units: list[dict[str, Any]]
    actors: list[tuple[int, str, str]]  # id, username, ip
    types: dict[str, int]


def _load_sources(rng: random.Random) -> _Sources:
    from django.contrib.contenttypes.models import ContentType

    from biys.core.changelog import mask
    from biys.org.models import Staff, Unit
    from biys.users.models import User

    staff_fields = ("id", "first_name", "last_name", "tckn", "registry_no", "title", "unit_id", "position_id",
                    "work_phone", "mobile_phone", "email", "start_date", "end_date", "status", "user_id")  # fmt: skip
    staff = []
    for row in Staff.objects.values(*staff_fields):
        row["tckn"], row["mobile_phone"] = mask(row["tckn"]), mask(row["mobile_phone"])
        row["start_date"] = row["start_date"].isoformat() if row["start_date"] else None
        staff.append(row)
    unit_fields = ("id", "name", "short_name", "code", "kind", "parent_id", "is_it", "manager_id", "building",
                   "location", "phone", "email", "detsis_no", "is_active")  # fmt: skip
    units = list(Unit.objects.values(*unit_fields))
    actors = [
        (pk, username, f"10.{rng.randint(1, 40)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}")
        for pk, username in User.objects.exclude(username__startswith="bench.").values_list("id", "username")
    ]
    types = {str(model._meta.model_name): ContentType.objects.get_for_model(model).pk for model in (Staff, Unit, User)}
    return _Sources(staff, units, actors, types)


def _entry_values(kind: str, src: _Sources, rng: random.Random) -> dict[str, Any]:
    """The object-related fields of one entry of ``kind``: type, id, repr, before, after."""
    if kind in ("login", "logout"):
        actor = rng.choice(src.actors)
        return {"content_type_id": src.types["user"], "object_id": str(actor[0]), "object_repr": actor[1],
                "before": None, "after": None, "actor": actor}  # fmt: skip
    if kind == "unit_update":
        unit = rng.choice(src.units)
        after = {**unit, "phone": f"0324 {rng.randint(200, 999)} {rng.randint(1000, 9999)}"}
        return {"content_type_id": src.types["unit"], "object_id": str(unit["id"]), "object_repr": unit["name"],
                "before": unit, "after": after}  # fmt: skip
    person = rng.choice(src.staff)
    values = {"content_type_id": src.types["staff"], "object_id": str(person["id"]),
              "object_repr": f"{person['first_name']} {person['last_name']}"}  # fmt: skip
    if kind == "view_personal":
        return {**values, "before": None, "after": {"fields": ["tckn", "mobile_phone"]}}
    if kind == "staff_create":
        return {**values, "before": None, "after": person}
    changed = rng.choice(("title", "work_phone", "status", "email"))
    new_value = {"title": rng.choice(names.TITLES), "status": "active",
                 "work_phone": f"0324 {rng.randint(200, 999)} {rng.randint(1000, 9999)}",
                 "email": f"{person['registry_no']}@bench.bel.tr"}[changed]  # fmt: skip
    return {**values, "before": person, "after": {**person, changed: new_value}}


def _entries(count: int, src: _Sources, rng: random.Random, start: datetime) -> Iterator[dict[str, Any]]:
    """Entry field values in time order: ``count`` entries spread evenly over the history window."""
    kinds, weights = zip(*ENTRY_KINDS, strict=True)
    step_us = HISTORY_DAYS * 86_400_000_000 // max(count, 1)
    actions = {"staff_update": "update", "staff_create": "create", "unit_update": "update",
               "login": "login", "logout": "logout", "view_personal": "view_personal"}  # fmt: skip
    for i, kind in enumerate(rng.choices(kinds, weights, k=count)):
        values = _entry_values(kind, src, rng)
        actor = values.pop("actor", None) or rng.choice(src.actors)
        yield {
            "time": start + timedelta(microseconds=i * step_us + rng.randrange(max(step_us, 1))),
            "user_id": actor[0],
            "user_name": actor[1],
            "request_id": f"{rng.getrandbits(128):032x}",
            "ip": actor[2],
            "action": actions[kind],
            **values,
        }


def seed_changelog(count: int, rng: random.Random) -> int:
    """Append ``count`` entries to the chain in batches; each batch commits together with the head row."""
    from django.db import transaction
    from django.utils import timezone

    from biys.core.changelog import GENESIS, compute_hash
    from biys.core.models import ChangeLogEntry, ChangeLogHead

    if count <= 0:
        return 0
    src = _load_sources(rng)
    start = timezone.now().astimezone(UTC) - timedelta(days=HISTORY_DAYS, minutes=5)
    values = _entries(count, src, rng, start)
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        with transaction.atomic():
            head = ChangeLogHead.objects.select_for_update().filter(pk=1).first()
            if head is None:
                head = ChangeLogHead.objects.create(pk=1, last_id=0, last_hash=GENESIS)
            next_id, prev = head.last_id + 1, head.last_hash
            batch = []
            for offset in range(size):
                entry = ChangeLogEntry(id=next_id + offset, prev_hash=prev, **next(values))
                entry.hash = prev = compute_hash(entry)
                batch.append(entry)
            ChangeLogEntry.objects.bulk_create(batch)
            head.last_id, head.last_hash = batch[-1].id, prev
            head.save(update_fields=["last_id", "last_hash"])
        done += size
    return count


def analyze() -> int:
    """PostgreSQL: VACUUM ANALYZE, which autovacuum would do soon after a bulk load in production.
    SQLite: checkpoint the WAL (no ANALYZE: a default deployment never runs it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return 0


# --- Command line --------------------------------------------------------------------------------


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--staff", type=int, default=20_000, help="staff members (default 20000)")
    parser.add_argument("--units", type=int, default=300, help="units in the tree, root included (default 300)")
    parser.add_argument("--changelog", type=int, default=1_000_000, help="change-log entries (default 1000000)")
    parser.add_argument("--database-url", help=f"bench database (default $BENCH_DATABASE_URL or {config.DEFAULT_URL})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.seed", description=__doc__.split("\n\n")[0])
    add_size_arguments(parser)
    parser.add_argument("--reset", action="store_true", help="replace a database that already holds data")
    parser.add_argument("--verify", action="store_true", help="recompute the change-log chain afterwards")
    args = parser.parse_args(argv)
    url = config.resolve_url(args.database_url)
    config.setup(url)
    current = config.state()
    if current != "empty" and not args.reset:
        print(f"{config.redacted(url)} already holds data ({current}); use --reset to replace it.", file=sys.stderr)
        return 2
    if current == "empty":
        config.migrate()
    else:
        config.recreate(url)
    print(
        f"Seeding {config.redacted(url)}: {args.units} units, {args.staff} staff, {args.changelog} change-log entries"
    )
    report = seed(args.staff, args.units, args.changelog)
    print(f"  total      {report.total_seconds:16.1f} s")
    if args.verify:
        return verify_chain()
    return 0


def verify_chain() -> int:
    from biys.core.changelog import verify

    started = time.perf_counter()
    result = verify()
    print(f"  verify     {result.checked:>9,} entries in {time.perf_counter() - started:6.1f} s: "
          f"{'ok' if result.ok else f'FAILED at #{result.bad_id} ({result.reason})'}")  # fmt: skip
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
