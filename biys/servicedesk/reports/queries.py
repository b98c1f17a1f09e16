"""The service desk's numbers: open tickets by unit / category / status, their ageing, SLA compliance, workload per
technician, satisfaction and root causes.

Every figure starts from ``Ticket.restrict`` (or ``Satisfaction.restrict``, which goes through the ticket's scope):
a technician's dashboard counts only what their queue shows, Yönetici and Denetçi see everything. Each figure is
one ``values().annotate(Count)`` or ``aggregate`` query on the open tickets (the status index) or on the period, so
the dashboard costs the same fixed number of queries at ten tickets or a million, and nothing loops over tickets.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from biys.core.calendar import ISTANBUL
from biys.servicedesk.choices import OPEN_STATUSES, CauseGroup
from biys.servicedesk.models import Ticket

MAX_PERIOD_DAYS = 366
COMMENTS_ON_DASHBOARD = 10
# Ageing of open tickets, in calendar days since they were opened: (label, from days, to days).
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0–1", 0, 1),
    ("1–3", 1, 3),
    ("3–7", 3, 7),
    ("7–30", 7, 30),
    (">30", 30, None),
)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


# --- the period ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end`` (inclusive), local time; ``month`` is "2026-11" for a whole month."""

    start: date
    end: date
    month: str = ""

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=ISTANBUL)

    @property
    def end_at(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=ISTANBUL)

    @property
    def label(self) -> str:
        if self.month:
            return date_format(self.start, "F Y")
        return f"{self.start:%d.%m.%Y} – {self.end:%d.%m.%Y}"

    def query(self) -> str:
        return f"month={self.month}" if self.month else f"start={self.start:%Y-%m-%d}&end={self.end:%Y-%m-%d}"


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), f"{year:04d}-{month:02d}")


def parse_month(text: str) -> Period | None:
    match = _MONTH.match((text or "").strip())
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return month_period(year, month)


def _day(text: str) -> date | None:
    text = (text or "").strip()
    parts = text.split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        try:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            return None
    try:
        return parse_date(text)
    except ValueError:
        return None


def parse_period(params: Any, today: date | None = None) -> tuple[Period, list[str]]:
    """The period a request asks for (``month=2026-11`` or ``start``/``end``), else this month, and the errors."""
    today = today or timezone.localdate()
    current = month_period(today.year, today.month)
    if params.get("start") or params.get("end"):
        start, end = _day(params.get("start", "")), _day(params.get("end", ""))
        if start is None or end is None:
            return current, [_("Enter both dates of the range as dd.mm.yyyy.")]
        if end < start:
            return current, [_("The end of the range is before its start.")]
        if (end - start).days >= MAX_PERIOD_DAYS:
            return current, [_("A range may be at most a year long.")]
        return Period(start, end), []
    if params.get("month"):
        period = parse_month(params["month"])
        if period is None:
            return current, [_("Choose the month as yyyy-mm, e.g. 2026-11.")]
        return period, []
    return current, []


# --- rows ------------------------------------------------------------------------------------------------------


@dataclass
class Bar:
    """One row of a table and its bar: ``pct`` is its share of the largest row (for the bar's width)."""

    label: str
    count: int
    pct: int = 0
    key: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def _bars(rows: list[Bar]) -> list[Bar]:
    top = max((row.count for row in rows), default=0)
    for row in rows:
        row.pct = round(100 * row.count / top) if top else 0
    return rows


def _person(first: str | None, last: str | None, username: str | None) -> str:
    return f"{first or ''} {last or ''}".strip() or username or "—"


def tickets(user: Any) -> QuerySet[Ticket]:
    """The tickets ``user`` may count: the same scope as their lists."""
    return Ticket.restrict(Ticket.objects.all(), user).order_by()


def _open(user: Any) -> QuerySet[Ticket]:
    return tickets(user).filter(status__in=OPEN_STATUSES)


def _in_period(user: Any, field: str, period: Period) -> QuerySet[Ticket]:
    """The user's tickets whose ``field`` (a time) falls in ``period``, written so each database starts from the
    time's index: SQLite needs the window as "pk IN (window)", else it prefers an OR of the scope's indexes
    (1 s); PostgreSQL needs the plain range, else it scans every ticket to hash-join the window (300 ms)."""
    window = {f"{field}__gte": period.start_at, f"{field}__lt": period.end_at}
    if connection.vendor == "sqlite":
        return tickets(user).filter(pk__in=Ticket.objects.filter(**window).values("pk"))
    return tickets(user).filter(**window)


def _resolved_in(user: Any, period: Period) -> QuerySet[Ticket]:
    return _in_period(user, "resolved_at", period)


class _Tally:
    """Adds up grouped rows into bars: ``add(key, label, **counts)``, then ``bars(by)``."""

    def __init__(self) -> None:
        self.rows: dict[Any, Bar] = {}

    def add(self, key: Any, label: str, **counts: int) -> Bar:
        bar = self.rows.setdefault(key, Bar(label, 0, key=key, extra=dict.fromkeys(counts, 0)))
        for name, value in counts.items():
            bar.extra[name] = bar.extra.get(name, 0) + (value or 0)
        return bar

    def _copies(self, field: str) -> list[Bar]:
        # Copies: the same tally gives several tables (resolved, rated), each with its own count and bar.
        return [
            replace(bar, count=bar.extra[field], extra=dict(bar.extra))
            for bar in self.rows.values()
            if bar.extra.get(field)
        ]

    def counted(self, field: str) -> list[Bar]:
        """Bars counting ``field``, largest first."""
        return _bars(sorted(self._copies(field), key=lambda b: (-b.count, b.label)))

    def rated(self) -> list[Bar]:
        """Bars of the average score (a full bar is 5), most ratings first."""
        rows = self._copies("rated")
        for bar in rows:
            bar.extra["average"] = round(bar.extra["score"] / bar.count, 2)
            bar.pct = round(bar.extra["average"] * 20)
        return sorted(rows, key=lambda b: (-b.count, b.label))


# --- open tickets: one grouped pass on the status index ---------------------------------------------------------


@dataclass
class OpenFigures:
    by_unit: list[Bar]
    by_category: list[Bar]
    by_status: list[Bar]
    ageing: list[Bar]
    by_assignee: dict[Any, Bar]
    count: int
    overdue: int


def _age_bucket(now: datetime) -> Case:
    whens = [
        When(created_at__gt=now - timedelta(days=high), then=Value(index))
        for index, (_label, _low, high) in enumerate(AGE_BUCKETS)
        if high is not None
    ]
    return Case(*whens, default=Value(len(AGE_BUCKETS) - 1), output_field=IntegerField())


def _overdue(now: datetime) -> Case:
    late = Q(resolution_breached=True) | Q(sla_paused_at__isnull=True, resolution_due__lt=now)
    return Case(When(late, then=Value(1)), default=Value(0), output_field=IntegerField())


def open_figures(user: Any, now: datetime | None = None) -> OpenFigures:
    """Open tickets by unit, category, status, assignee, age and lateness: one GROUP BY over the open tickets
    (groups, not tickets, are added up here)."""
    now = now or timezone.now()
    rows = (
        _open(user)
        .annotate(age=_age_bucket(now), late=_overdue(now))
        .values(
            "assigned_unit_id",
            "assigned_unit__name",
            "item__category_id",
            "item__category__name",
            "status",
            *_PERSON,
            "age",
            "late",
        )
        .annotate(n=Count("pk"))
    )
    units, categories, people = _Tally(), _Tally(), _Tally()
    statuses: dict[str, int] = {}
    ages = [0] * len(AGE_BUCKETS)
    count = overdue = 0
    for r in rows:
        n = r["n"]
        units.add(r["assigned_unit_id"], r["assigned_unit__name"], open=n)
        categories.add(r["item__category_id"], r["item__category__name"], open=n)
        if r["assignee_id"] is not None:
            people.add(r["assignee_id"], _person_of(r), open=n)
        statuses[r["status"]] = statuses.get(r["status"], 0) + n
        ages[r["age"]] += n
        count += n
        overdue += n * r["late"]
    return OpenFigures(
        by_unit=units.counted("open"),
        by_category=categories.counted("open"),
        by_status=_bars([Bar(str(s.label), statuses.get(s.value, 0), key=s.value) for s in OPEN_STATUSES]),
        ageing=_bars([Bar(label, ages[i], key=label) for i, (label, _l, _h) in enumerate(AGE_BUCKETS)]),
        by_assignee=people.rows,
        count=count,
        overdue=overdue,
    )


# --- the period: one grouped pass over the tickets resolved in it -----------------------------------------------


@dataclass
class Sla:
    """Tickets resolved in the period that had targets, and how many met both (response and resolution)."""

    resolved: int = 0
    measured: int = 0
    met: int = 0
    response_missed: int = 0
    resolution_missed: int = 0

    @property
    def compliance(self) -> float | None:
        return round(100 * self.met / self.measured, 1) if self.measured else None


_SLA_COUNTS = {
    "resolved": Count("pk"),
    "measured": Count("pk", filter=Q(resolution_due__isnull=False)),
    "met": Count("pk", filter=Q(resolution_due__isnull=False, response_breached=False, resolution_breached=False)),
    "response_missed": Count("pk", filter=Q(resolution_due__isnull=False, response_breached=True)),
    "resolution_missed": Count("pk", filter=Q(resolution_due__isnull=False, resolution_breached=True)),
}
_PERSON = ("assignee_id", "assignee__first_name", "assignee__last_name", "assignee__username")
_PERIOD_GROUP = (
    "assigned_unit_id",
    "assigned_unit__name",
    *_PERSON,
    "item_id",
    "item__name",
    "root_cause_id",
    "root_cause__code",
    "root_cause__name",
    "root_cause__group",
    "satisfaction__score",
)


def _person_of(row: dict[str, Any]) -> str:
    if row["assignee_id"] is None:
        return _("(unassigned)")
    return _person(row["assignee__first_name"], row["assignee__last_name"], row["assignee__username"])


@dataclass
class Ratings:
    """Ratings of the tickets resolved in the period (ISO 9001, Nizip md. 7/27)."""

    average: float | None
    count: int
    by_unit: list[Bar]
    by_technician: list[Bar]
    by_item: list[Bar]
    distribution: list[Bar]


@dataclass
class PeriodFigures:
    sla: Sla
    sla_by_unit: list[Bar]
    resolved_by: dict[Any, Bar]
    root_causes: list[Bar]
    ratings: Ratings


def period_figures(user: Any, period: Period) -> PeriodFigures:
    """SLA compliance, who resolved what, root causes and ratings: one GROUP BY over the period's resolved
    tickets (a few hundred groups: unit × technician × item × cause × score), added up here."""
    rows = _resolved_in(user, period).values(*_PERIOD_GROUP).annotate(**_SLA_COUNTS, rated=Count("satisfaction__pk"))
    sla = Sla()
    scores: dict[int, int] = {}
    units, people, items, causes = _Tally(), _Tally(), _Tally(), _Tally()
    groups = dict(CauseGroup.choices)
    for r in rows:
        counts = {name: r[name] or 0 for name in _SLA_COUNTS}
        for name, value in counts.items():
            setattr(sla, name, getattr(sla, name) + value)
        n_rated, score = r["rated"] or 0, r["satisfaction__score"] or 0
        rating = {"rated": n_rated, "score": n_rated * score}
        if n_rated:
            scores[score] = scores.get(score, 0) + n_rated
        units.add(r["assigned_unit_id"], r["assigned_unit__name"], **counts, **rating)
        people.add(r["assignee_id"], _person_of(r), **counts, **rating)
        items.add(r["item_id"], r["item__name"], **rating)
        if r["root_cause_id"] is not None:
            cause = causes.add(
                r["root_cause_id"], f"{r['root_cause__code']} {r['root_cause__name']}", resolved=counts["resolved"]
            )
            cause.extra["group"] = groups.get(r["root_cause__group"], "")
    by_unit = units.counted("resolved")
    for bar in by_unit:
        figures = Sla(*(bar.extra[name] for name in _SLA_COUNTS))
        bar.extra["sla"] = figures
        bar.pct = round(figures.compliance) if figures.compliance is not None else 0
    ratings = _ratings(units, people, items, scores)
    return PeriodFigures(sla, by_unit, people.rows, causes.counted("resolved")[:15], ratings)


def _ratings(units: _Tally, people: _Tally, items: _Tally, scores: dict[int, int]) -> Ratings:
    count = sum(bar.extra["rated"] for bar in units.rows.values())
    total = sum(bar.extra["score"] for bar in units.rows.values())
    return Ratings(
        average=round(total / count, 2) if count else None,
        count=count,
        by_unit=units.rated(),
        by_technician=people.rated(),
        by_item=items.rated(),
        distribution=_bars([Bar(f"{s} ★", scores.get(s, 0), key=s) for s in range(5, 0, -1)]),
    )


def comments(user: Any, period: Period) -> QuerySet[Ticket]:
    """Tickets resolved in the period whose requester left a comment with the rating, newest rating first."""
    return (
        _resolved_in(user, period)
        .filter(satisfaction__comment__gt="")
        .select_related("satisfaction", "assigned_unit", "assignee", "item")
        .order_by("-satisfaction__created_at", "-pk")
    )


# --- the dashboard -----------------------------------------------------------------------------------------------


@dataclass
class Summary:
    opened: int
    resolved: int
    open_now: int
    overdue_now: int


@dataclass
class Dashboard:
    period: Period
    summary: Summary
    by_unit: list[Bar]
    by_category: list[Bar]
    by_status: list[Bar]
    ageing: list[Bar]
    sla: Sla
    sla_by_unit: list[Bar]
    workload: list[Bar]
    root_causes: list[Bar]
    ratings: Ratings


def _workload(open_by: dict[Any, Bar], resolved_by: dict[Any, Bar]) -> list[Bar]:
    """Per technician: open tickets assigned to them now, and tickets they resolved in the period."""
    people = _Tally()
    for key, bar in open_by.items():
        people.add(key, bar.label, open=bar.extra["open"], resolved=0)
    for key, bar in resolved_by.items():
        if key is not None:
            people.add(key, bar.label, open=0, resolved=bar.extra["resolved"])
    rows = list(people.rows.values())
    for bar in rows:
        bar.count = bar.extra["open"] + bar.extra["resolved"]
    return _bars(sorted(rows, key=lambda b: (-b.extra["open"], -b.extra["resolved"], b.label)))


def dashboard(user: Any, period: Period, now: datetime | None = None) -> Dashboard:
    """Every figure of the dashboard: three queries whatever the number of tickets."""
    now = now or timezone.now()
    opened = _in_period(user, "created_at", period).count()
    current = open_figures(user, now)
    done = period_figures(user, period)
    return Dashboard(
        period=period,
        summary=Summary(opened, done.sla.resolved, current.count, current.overdue),
        by_unit=current.by_unit,
        by_category=current.by_category,
        by_status=current.by_status,
        ageing=current.ageing,
        sla=done.sla,
        sla_by_unit=done.sla_by_unit,
        workload=_workload(current.by_assignee, done.resolved_by),
        root_causes=done.root_causes,
        ratings=done.ratings,
    )
