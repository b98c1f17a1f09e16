"""The pages the bench times: who asks, which URL (varied on every request), the budget, what must be shown.

Requests go through Django's test ``Client`` in-process after ``force_login``: the whole server side
(middleware, session, scoping, SQL, template rendering) is timed, without network or browser noise.
Query strings vary per request (terms, pages, units, sort orders, days) so no single plan or row set
is measured warm over and over.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from bench import names
from bench.seed import AUDITOR, SPECIALIST

BUDGET_MS = 50.0


@dataclass(frozen=True)
class BenchData:
    """Facts about the seeded database the URL builders draw from."""

    staff_pages: int
    unit_ids: list[int]
    specialist_unit_ids: list[int]
    actor_names: list[str]
    log_days: list[date]  # days that have change-log entries


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    persona: str  # a username created by the seeder
    url: Callable[[BenchData, random.Random], str]
    count_rows: Callable[[str], int]
    min_rows: int = 1  # every response must list at least this many rows
    budget_ms: float = BUDGET_MS


def _query(path: str, params: dict[str, Any]) -> str:
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{path}?{urlencode(params)}" if params else path


def table_rows(html: str) -> int:
    """Data rows of the django-tables2 table (its "no records" row does not count)."""
    body = html.split("<tbody", 1)[-1].split("</tbody>", 1)[0]
    return body.count("<tr") - body.count("<tr><td colspan=")


def tree_rows(html: str) -> int:
    return html.count('class="list-group-item py-1"')


# --- URL builders --------------------------------------------------------------------------------

STAFF_SORTS = (
    None,
    None,
    None,
    "last_name",
    "-last_name",
    "registry_no",
    "-registry_no",
    "unit",
    "-unit",
)  # every sortable column


def staff_list(data: BenchData, rng: random.Random) -> str:
    return _query("/teskilat/staff/", {"page": rng.randint(1, min(data.staff_pages, 20)),
                                       "sort": rng.choice(STAFF_SORTS)})  # fmt: skip


def staff_list_deep(data: BenchData, rng: random.Random) -> str:
    return _query("/teskilat/staff/", {"page": rng.randint(1, data.staff_pages)})


def staff_list_own_unit(data: BenchData, rng: random.Random) -> str:
    unit = rng.choice((None, None, *data.specialist_unit_ids))
    return _query("/teskilat/staff/", {"unit": unit, "status": rng.choice((None, "active")),
                                       "page": rng.choice((1, 1, 2))})  # fmt: skip


def staff_search(data: BenchData, rng: random.Random) -> str:
    return _query("/teskilat/staff/", {"q": rng.choice(names.SEARCHES), "status": rng.choice((None, None, "active")),
                                       "page": rng.choice((1, 1, 1, 2))})  # fmt: skip


def staff_search_unit(data: BenchData, rng: random.Random) -> str:
    return _query("/teskilat/staff/", {"q": rng.choice(names.SEARCHES), "unit": rng.choice(data.unit_ids[:26])})


def unit_tree(data: BenchData, rng: random.Random) -> str:
    return "/teskilat/agac/"


def changelog_list(data: BenchData, rng: random.Random) -> str:
    return _query("/changelog/", {"page": rng.choice((1, 1, 1, *range(2, 21)))})


def changelog_filtered(data: BenchData, rng: random.Random) -> str:
    params: dict[str, Any] = rng.choice((
        {"action": rng.choice(("update", "create", "login", "view_personal")), "page": rng.choice((1, 1, 2, 3))},
        {"user_name": rng.choice(data.actor_names)},
        {"user_name": rng.choice(data.actor_names), "action": "login"},
        {"object_type": "org.staff", "page": rng.choice((1, 1, 2, 3))},
    ))  # fmt: skip
    return _query("/changelog/", params)


def changelog_day(data: BenchData, rng: random.Random) -> str:
    day = rng.choice(data.log_days)
    return _query("/changelog/", {"time_after": day.isoformat(), "time_before": day.isoformat()})


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("staff_list", "Staff list, all units (auditor), pages 1–20, all sort orders", AUDITOR, staff_list,
             table_rows),
    Scenario("staff_list_deep", "Staff list, any page up to the last (auditor)", AUDITOR, staff_list_deep, table_rows),
    Scenario("staff_list_scoped", "Staff list, own unit subtree (specialist), unit/status filters", SPECIALIST,
             staff_list_own_unit, table_rows),
    Scenario("staff_search", "Staff search, Turkish query (auditor): yılmaz, ÖZTÜRK, isik, şahin, gul …", AUDITOR,
             staff_search, table_rows),
    Scenario("staff_search_unit", "Staff search within a directorate's subtree (auditor)", AUDITOR,
             staff_search_unit, table_rows, min_rows=0),
    Scenario("unit_tree", "Unit tree page with staff counts (auditor)", AUDITOR, unit_tree, tree_rows),
    Scenario("changelog_list", "Change log list, pages 1–20 (auditor)", AUDITOR, changelog_list, table_rows),
    Scenario("changelog_filtered", "Change log filtered by action / user / object type (auditor)", AUDITOR,
             changelog_filtered, table_rows),
    Scenario("changelog_day", "Change log of one day (date filter, auditor)", AUDITOR, changelog_day, table_rows),
)  # fmt: skip


def load_data() -> BenchData:
    from django.utils import timezone

    from biys.core.models import ChangeLogEntry
    from biys.org.models import Staff, Unit
    from biys.users.models import User

    specialist_unit = User.objects.select_related("unit").get(username=SPECIALIST).unit
    assert specialist_unit is not None, "the seeder gives the specialist a unit"
    last_id = ChangeLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sample = random.Random(0).sample(range(1, last_id + 1), min(200, last_id))
    times = ChangeLogEntry.objects.filter(id__in=sample).values_list("time", flat=True)
    return BenchData(
        staff_pages=max(1, -(-Staff.objects.count() // 50)),
        unit_ids=list(Unit.objects.order_by("depth", "id").values_list("id", flat=True)),
        specialist_unit_ids=list(
            Unit.objects.filter(path__startswith=specialist_unit.path).values_list("id", flat=True)
        ),
        actor_names=list(User.objects.exclude(username__startswith="bench.").values_list("username", flat=True)),
        log_days=sorted({timezone.localdate(moment) for moment in times}) or [timezone.localdate()],
    )
