"""The change log: who changed what, when, from where — hash-chained so nobody can quietly edit it.

Every create, update and delete of every BİYS model is captured by model signals (so services,
admin, API and shell edits are all covered). Bulk ``QuerySet.update()``, ``bulk_create()`` and
``bulk_update()`` bypass signals: code that writes user data with them logs the rows itself with
``log_created`` / ``log_updated`` / ``log_deleted`` (the agents' import, the asset import); other
uses are derived fields (tree paths, search keys) and the bench seeder.

Appending locks the chain's head row until the transaction ends. ``append`` does that once per
entry; ``append_many`` once per list of entries, and ``batch()`` collects the signal entries of a
block of code and appends them together when it ends (inside the same transaction), so a bulk
path pays one head lock and one multi-row insert instead of one of each per entry.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import ipaddress
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from biys.core import context
from biys.core.models import ChangeLogEntry, ChangeLogHead

GENESIS = "0" * 64
# Authorship columns are in the entry itself; repeating them in before/after is noise.
_ALWAYS_EXCLUDED = frozenset({"created_at", "updated_at", "created_by", "updated_by", "last_login"})
_SECRET_FIELDS = frozenset({"password", "key_hash"})


def is_logged(model: type[models.Model]) -> bool:
    """Every concrete BİYS model is logged, except the log itself and number counters.

    A counter (``changelog_skip = True``) only hands out the next number; the numbered row that takes it
    is logged with its number, so logging the counter too would double the chain's writes for nothing.
    """
    meta = model._meta
    return (
        model.__module__.startswith("biys.")
        and not meta.abstract
        and not meta.auto_created
        and not meta.proxy
        and model not in (ChangeLogEntry, ChangeLogHead)
        and not getattr(model, "changelog_skip", False)
    )


def mask(value: Any) -> Any:
    """Personal data in lists and logs: only the last 4 characters stay visible (KVKK md. 12)."""
    if value in (None, ""):
        return value
    text = str(value)
    return "•" * max(len(text) - 4, 0) + text[-4:]


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's logged field values as JSON primitives."""
    data: dict[str, Any] = {}
    for field, treatment in _snapshot_fields(type(instance)):
        value = field.value_from_object(instance)
        if treatment == "secret":
            value = hashlib.sha256(str(value).encode()).hexdigest()[:12] if value else ""
        elif treatment == "personal":
            value = mask(value)
        elif treatment == "file":
            value = value.name if value else ""
        data[field.attname] = _json_value(value)
    return data


@functools.cache
def _snapshot_fields(model: type[models.Model]) -> tuple[tuple[models.Field[Any, Any], str], ...]:
    """The model's logged fields and how each is written (computed once per model: bulk paths log 10⁵ rows)."""
    excluded = _ALWAYS_EXCLUDED | set(getattr(model, "changelog_exclude", ()))
    personal = set(getattr(model, "personal_fields", ()))
    fields = []
    for field in model._meta.concrete_fields:
        if field.name in excluded or (field.primary_key and field.name != "id"):
            continue
        if field.name in _SECRET_FIELDS:
            treatment = "secret"
        elif field.name in personal:
            treatment = "personal"
        elif isinstance(field, models.FileField):
            treatment = "file"
        else:
            treatment = "plain"
        fields.append((field, treatment))
    return tuple(fields)


_PLAIN_TYPES = (str, int, bool)
# Values DjangoJSONEncoder writes as one string: the round trip gives that string, so it is taken directly.
_TEXT_TYPES = (date, time_of_day, timedelta, Decimal, uuid.UUID)
_ENCODER = DjangoJSONEncoder()


def _json_value(value: Any) -> Any:
    """``value`` as it comes back from a JSON round trip (dates and decimals as text, tuples as lists)."""
    if value is None or type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, _TEXT_TYPES):  # a bulk path snapshots 10⁵ rows, each with two or three times
        return _ENCODER.default(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _canonical_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def canonical(entry: ChangeLogEntry) -> bytes:
    data = {
        "id": entry.id,
        "time": entry.time.astimezone(UTC).isoformat(),
        "user_id": entry.user_id,
        "user_name": entry.user_name,
        "request_id": entry.request_id,
        "ip": entry.ip,
        "action": entry.action,
        "content_type_id": entry.content_type_id,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "prev_hash": entry.prev_hash,
    }
    return _canonical_json(data)


def compute_hash(entry: ChangeLogEntry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def _normal_ip(ip: str | None) -> str | None:
    try:
        return ipaddress.ip_address(ip).compressed if ip else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Change:
    """One entry before it has a place in the chain: what happened, to what, and who did it.

    Everything is resolved when the change is recorded (the object's text, the actor of the
    moment), so an entry written later by ``append_many`` says what ``append`` would have said.
    """

    action: str
    content_type_id: int | None = None
    object_id: str = ""
    object_repr: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    user_id: int | None = None
    user_name: str = ""
    request_id: str = ""
    ip: str | None = None

    @classmethod
    def of(
        cls,
        action: str,
        obj: models.Model | None = None,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        object_repr: str = "",
        user: Any = None,
    ) -> Change:
        actor = context.current()
        user = user or context.current_user()
        return cls(
            action=action,
            content_type_id=(
                ContentType.objects.get_for_model(obj, for_concrete_model=False).pk if obj is not None else None
            ),
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
            before=before,
            after=after,
            user_id=user.pk if user is not None else None,
            user_name=(user.get_username() if user is not None else "")[:150],
            request_id=actor.request_id,
            ip=_normal_ip(actor.ip),
        )

    def canonical_data(self, entry_id: int, time_text: str, prev_hash: str) -> dict[str, Any]:
        """What ``canonical()`` hashes for this change at ``entry_id`` after ``prev_hash``."""
        return {
            "id": entry_id,
            "time": time_text,
            "user_id": self.user_id,
            "user_name": self.user_name,
            "request_id": self.request_id,
            "ip": self.ip,
            "action": self.action,
            "content_type_id": self.content_type_id,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "before": self.before,
            "after": self.after,
            "prev_hash": prev_hash,
        }


@dataclass(frozen=True)
class _Link:
    """A change with its place in the chain."""

    change: Change
    id: int
    prev_hash: str
    hash: str


def append_many(changes: Iterable[Change]) -> list[ChangeLogEntry]:
    """Append entries in the given order under one lock of the head row, with one multi-row insert.

    The chain is built exactly as ``append`` builds it, entry after entry (``prev_hash`` of each is
    the hash of the one before), so ``verify()`` cannot tell batch entries from single ones. All
    entries of one call share the time at which the head was locked.
    """
    time, links = _append(list(changes))
    return [
        ChangeLogEntry(id=link.id, time=time, prev_hash=link.prev_hash, hash=link.hash, **_entry_values(link.change))
        for link in links
    ]


def _entry_values(change: Change) -> dict[str, Any]:
    return {name: getattr(change, name) for name in change.__dataclass_fields__}


def _append(changes: list[Change]) -> tuple[datetime, list[_Link]]:
    if not changes:
        return timezone.now(), []
    # No savepoint of its own: an entry that cannot be written must fail the change it records (and a
    # savepoint costs two round trips per append on PostgreSQL).
    with transaction.atomic(savepoint=False):
        head = ChangeLogHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChangeLogHead.objects.create(pk=1)
        now, prev, next_id = timezone.now(), head.last_hash, head.last_id + 1
        time_text = now.astimezone(UTC).isoformat()  # as canonical() writes it for every entry
        links = []
        for offset, change in enumerate(changes):
            data = change.canonical_data(next_id + offset, time_text, prev)
            digest = hashlib.sha256(_canonical_json(data)).hexdigest()
            links.append(_Link(change, next_id + offset, prev, digest))
            prev = digest
        _insert(links, now)
        head.last_id, head.last_hash = links[-1].id, prev
        head.save(update_fields=["last_id", "last_hash"])
    return now, links


_COLUMNS = ("id", "time", "user", "user_name", "request_id", "ip", "action", "content_type", "object_id",
            "object_repr", "before", "after", "prev_hash", "hash")  # fmt: skip


def _insert(links: list[_Link], time: datetime) -> None:
    """Insert the entries without the SQL compiler of ``bulk_create`` (about 70 µs per entry, more
    than the rest of an append). The values the driver cannot take as they are (the time, the IP,
    the JSON snapshots) are converted by the fields' own ``get_db_prep_save``, so the rows read back
    exactly as ``bulk_create`` would have stored them."""
    meta = ChangeLogEntry._meta
    fields: dict[str, models.Field[Any, Any]] = {field.name: field for field in meta.concrete_fields}
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the ``connection`` proxy costs a lookup per use
    prep_time, prep_ip = fields["time"].get_db_prep_save(time, db), fields["ip"].get_db_prep_save
    prep_before, prep_after = fields["before"].get_db_prep_save, fields["after"].get_db_prep_save
    rows = []
    for link in links:
        change = link.change
        rows.append((
            link.id, prep_time, change.user_id, change.user_name, change.request_id, prep_ip(change.ip, db),
            change.action, change.content_type_id, change.object_id, change.object_repr,
            prep_before(change.before, db), prep_after(change.after, db), link.prev_hash, link.hash,
        ))  # fmt: skip
    insert_rows(meta.db_table, [str(fields[name].column) for name in _COLUMNS], rows)


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows of values already converted for the database (``Field.get_db_prep_save``).

    SQLite: one ``executemany`` (in-process, no round trips). PostgreSQL: ``COPY … FROM STDIN``,
    which needs neither a statement per row nor a multi-row statement for the driver to parse
    (about 10× faster than ``executemany`` for 150 change-log entries).
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})", rows)  # noqa: S608


def append(
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_repr: str = "",
    user: Any = None,
) -> ChangeLogEntry:
    """Append one entry to the chain at once (even inside ``batch()``). The head row is locked so
    concurrent writers queue."""
    change = Change.of(action, obj, before=before, after=after, object_repr=object_repr, user=user)
    return append_many([change])[0]


# --- Batches -----------------------------------------------------------------------------------


class _Batch:
    """The entries recorded inside ``batch()``, each tagged with the savepoints open when it was made.

    A savepoint rolled back inside the block (``transaction.atomic()`` that raised, an
    ``IntegrityError`` caught and retried) must take its entries with it, as it would have taken the
    rows ``append`` wrote. Django drops the ``on_commit`` callbacks registered inside a savepoint
    that is rolled back; each savepoint stack gets a no-op callback as its marker, and an entry is
    written only while its marker is still registered.
    """

    def __init__(self, max_pending: int) -> None:
        self.max_pending = max_pending
        self.pending: list[tuple[_Marker, Change]] = []
        self.markers: dict[tuple[str | None, ...], _Marker] = {}
        self.written = 0

    def add(self, change: Change) -> None:
        stack = tuple(connection.savepoint_ids)
        marker = self.markers.get(stack)
        if marker is None:
            marker = self.markers[stack] = _Marker()
            transaction.on_commit(marker)
        self.pending.append((marker, change))
        if len(self.pending) >= self.max_pending:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        alive = {id(item[1]) for item in connection.run_on_commit}  # (savepoint ids, callback, robust)
        changes = [change for marker, change in self.pending if id(marker) in alive]
        self.pending = []
        self.written += len(_append(changes)[1])


class _Marker:
    def __call__(self) -> None:
        """Nothing to do after the commit: the entries were written before it."""


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("biys_changelog_batch", default=None)
MAX_PENDING = 5000


@contextmanager
def batch(max_pending: int = MAX_PENDING) -> Iterator[_Batch]:
    """Run a block in one transaction and write its change-log entries together at its end.

    Entries from the model signals and from ``log_created`` / ``log_updated`` / ``log_deleted``
    wait in memory (at most ``max_pending``; more are appended early, which then holds the head
    lock until the commit) and are appended with ``append_many`` just before the block's
    transaction commits. An exception discards them with the rows. A ``batch()`` inside another
    one joins it. ``append()`` called directly inside the block still writes at once.
    """
    current = _batch.get()
    if current is not None:
        with transaction.atomic():
            yield current
        return
    collected = _Batch(max_pending)
    token = _batch.set(collected)
    try:
        with transaction.atomic():
            yield collected
            if not transaction.get_rollback():
                collected.flush()
    finally:
        _batch.reset(token)


def record(changes: Iterable[Change]) -> None:
    """Log changes: into the running ``batch()``, else appended at once (one head lock for all)."""
    current = _batch.get()
    if current is None:
        _append(list(changes))
        return
    for change in changes:
        current.add(change)


def log_created(objects: Iterable[models.Model]) -> None:
    """Log rows inserted without ``save()`` (primary keys set) as the post_save signal would."""
    record(_changes(ChangeLogEntry.Action.CREATE, ((obj, None, snapshot(obj)) for obj in objects)))


def log_updated(changed: Iterable[tuple[models.Model, dict[str, Any]]]) -> None:
    """Log rows written with ``bulk_update``: (instance as saved, ``snapshot()`` taken before the change).
    A row whose logged fields did not change is not logged, as with ``save()``."""
    pairs = ((obj, before, snapshot(obj)) for obj, before in changed)
    record(_changes(ChangeLogEntry.Action.UPDATE, ((o, b, a) for o, b, a in pairs if a != b)))


def log_deleted(objects: Iterable[models.Model]) -> None:
    """Log rows removed without the per-row delete signal (``QuerySet._raw_delete``, SQL)."""
    record(_changes(ChangeLogEntry.Action.DELETE, ((obj, snapshot(obj), None) for obj in objects)))


def _changes(action: str, rows: Iterable[tuple[models.Model, Any, Any]]) -> list[Change]:
    """``Change.of`` for many rows: the actor and each model's content type are looked up once."""
    actor, user = context.current(), context.current_user()
    user_id, user_name = (user.pk, user.get_username()[:150]) if user is not None else (None, "")
    origin = (actor.request_id, _normal_ip(actor.ip))
    types: dict[type[models.Model], int | None] = {}
    changes = []
    for obj, before, after in rows:
        model = type(obj)
        if model not in types:
            logged = is_logged(model)
            types[model] = ContentType.objects.get_for_model(obj, for_concrete_model=False).pk if logged else None
        content_type_id = types[model]
        if content_type_id is None:
            continue
        text = str(obj)[:200]
        changes.append(Change(action, content_type_id, str(obj.pk), text, before, after, user_id, user_name, *origin))
    return changes


def _log(action: str, obj: models.Model, **values: Any) -> None:
    """The signal handlers' way in: collected by a running ``batch()``, else appended at once."""
    current = _batch.get()
    if current is None:
        append(action, obj, **values)
    else:
        current.add(Change.of(action, obj, **values))


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""


def verify(entries: Iterable[ChangeLogEntry] | None = None) -> VerifyResult:
    """Recompute the chain; name the first entry that was altered, removed or re-linked."""
    if entries is None:
        entries = ChangeLogEntry.objects.order_by("id").iterator(chunk_size=5000)
    expected_id, prev = 1, GENESIS
    for entry in entries:
        if entry.id != expected_id:
            return VerifyResult(False, expected_id - 1, expected_id, "missing")
        if entry.prev_hash != prev:
            return VerifyResult(False, expected_id - 1, entry.id, "relinked")
        if compute_hash(entry) != entry.hash:
            return VerifyResult(False, expected_id - 1, entry.id, "altered")
        prev, expected_id = entry.hash, expected_id + 1
    head = ChangeLogHead.objects.filter(pk=1).first()
    if head is not None and (head.last_id != expected_id - 1 or head.last_hash != prev):
        return VerifyResult(False, expected_id - 1, expected_id, "missing")
    return VerifyResult(True, expected_id - 1)


# --- Signal handlers ---------------------------------------------------------------------------


def remember(instance: models.Model) -> None:
    """Take ``instance``'s values as the stored ones for the log entry of its next save, instead of reading the
    row again. Only for a row the caller has just read with ``select_for_update`` in this transaction and not
    yet changed: nobody else can have changed it since."""
    instance._changelog_before = snapshot(instance)  # type: ignore[attr-defined]
    instance._changelog_before_known = True  # type: ignore[attr-defined]


def _before_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not is_logged(sender) or instance._state.adding or instance.pk is None:
        return
    if instance.__dict__.pop("_changelog_before_known", False):
        return  # remember(): the values read under the lock are the before
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._changelog_before = snapshot(old) if old is not None else None  # type: ignore[attr-defined]


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw or not is_logged(sender):
        return
    after = snapshot(instance)
    if created:
        _log(ChangeLogEntry.Action.CREATE, instance, after=after)
        return
    before = getattr(instance, "_changelog_before", None)
    if before == after:
        return  # a save that changed nothing is not a change
    _log(ChangeLogEntry.Action.UPDATE, instance, before=before, after=after)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if is_logged(sender):
        _log(ChangeLogEntry.Action.DELETE, instance, before=snapshot(instance))


def _m2m_field_name(instance: models.Model, through: type[models.Model]) -> str | None:
    for field in type(instance)._meta.many_to_many:
        if field.remote_field.through is through:
            return field.name
    return None


def _m2m_changed(sender: Any, instance: models.Model, action: str, reverse: bool, **kwargs: Any) -> None:
    if reverse or not is_logged(type(instance)):
        return
    name = _m2m_field_name(instance, sender)
    if name is None:
        return
    if action in ("pre_add", "pre_remove", "pre_clear"):
        instance._changelog_m2m = sorted(getattr(instance, name).values_list("pk", flat=True))  # type: ignore[attr-defined]
    elif action in ("post_add", "post_remove", "post_clear"):
        before = getattr(instance, "_changelog_m2m", [])
        after = sorted(getattr(instance, name).values_list("pk", flat=True))
        if before != after:
            _log(ChangeLogEntry.Action.UPDATE, instance, before={name: before}, after={name: after})


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="biys_changelog_pre_save")
    post_save.connect(_after_save, dispatch_uid="biys_changelog_post_save")
    post_delete.connect(_after_delete, dispatch_uid="biys_changelog_post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="biys_changelog_m2m")
