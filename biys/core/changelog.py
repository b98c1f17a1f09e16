"""The change log: who changed what, when, from where — hash-chained so nobody can quietly edit it.

Every create, update and delete of every BİYS model is captured by model signals (so services,
admin, API and shell edits are all covered). Bulk ``QuerySet.update()`` and ``bulk_create()``
bypass signals: BİYS code uses them only for derived fields (tree paths, search keys) and for
the bench seeder, never for user data.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from biys.core import context
from biys.core.models import ChangeLogEntry, ChangeLogHead

GENESIS = "0" * 64
# Authorship columns are in the entry itself; repeating them in before/after is noise.
_ALWAYS_EXCLUDED = frozenset({"created_at", "updated_at", "created_by", "updated_by", "last_login"})
_SECRET_FIELDS = frozenset({"password", "key_hash"})


def is_logged(model: type[models.Model]) -> bool:
    """Every concrete BİYS model is logged, except the log itself."""
    meta = model._meta
    return (
        model.__module__.startswith("biys.")
        and not meta.abstract
        and not meta.auto_created
        and not meta.proxy
        and model not in (ChangeLogEntry, ChangeLogHead)
    )


def mask(value: Any) -> Any:
    """Personal data in lists and logs: only the last 4 characters stay visible (KVKK md. 12)."""
    if value in (None, ""):
        return value
    text = str(value)
    return "•" * max(len(text) - 4, 0) + text[-4:]


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's logged field values as JSON primitives."""
    model = type(instance)
    excluded = _ALWAYS_EXCLUDED | set(getattr(model, "changelog_exclude", ()))
    personal = set(getattr(model, "personal_fields", ()))
    data: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.name in excluded or (field.primary_key and field.name != "id"):
            continue
        value = field.value_from_object(instance)
        if field.name in _SECRET_FIELDS:
            value = hashlib.sha256(str(value).encode()).hexdigest()[:12] if value else ""
        elif field.name in personal:
            value = mask(value)
        elif isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.attname] = value
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return result


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
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(entry: ChangeLogEntry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def _normal_ip(ip: str | None) -> str | None:
    try:
        return ipaddress.ip_address(ip).compressed if ip else None
    except ValueError:
        return None


def append(
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_repr: str = "",
    user: Any = None,
) -> ChangeLogEntry:
    """Append one entry to the chain. The head row is locked so concurrent writers queue."""
    actor = context.current()
    user = user or context.current_user()
    with transaction.atomic():
        head = ChangeLogHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChangeLogHead.objects.create(pk=1)
        entry = ChangeLogEntry(
            id=head.last_id + 1,
            time=timezone.now(),
            user=user,
            user_name=(user.get_username() if user is not None else "")[:150],
            request_id=actor.request_id,
            ip=_normal_ip(actor.ip),
            action=action,
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False) if obj is not None else None,
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
            before=before,
            after=after,
            prev_hash=head.last_hash,
        )
        entry.hash = compute_hash(entry)
        entry.save(force_insert=True)
        head.last_id, head.last_hash = entry.id, entry.hash
        head.save(update_fields=["last_id", "last_hash"])
    return entry


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


def _before_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not is_logged(sender) or instance._state.adding or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._changelog_before = snapshot(old) if old is not None else None  # type: ignore[attr-defined]


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw or not is_logged(sender):
        return
    after = snapshot(instance)
    if created:
        append(ChangeLogEntry.Action.CREATE, instance, after=after)
        return
    before = getattr(instance, "_changelog_before", None)
    if before == after:
        return  # a save that changed nothing is not a change
    append(ChangeLogEntry.Action.UPDATE, instance, before=before, after=after)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if is_logged(sender):
        append(ChangeLogEntry.Action.DELETE, instance, before=snapshot(instance))


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
            append(ChangeLogEntry.Action.UPDATE, instance, before={name: before}, after={name: after})


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="biys_changelog_pre_save")
    post_save.connect(_after_save, dispatch_uid="biys_changelog_post_save")
    post_delete.connect(_after_delete, dispatch_uid="biys_changelog_post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="biys_changelog_m2m")
