"""The import pipeline: one normalised inventory → the register, in one transaction per report.

A matched machine updates its Asset (host name, address, MAC, hardware UUID), its AgentLink (OS,
processor, memory, antivirus, logged-in user), its Installation rows and its NetworkInterface rows.
The changes are diffs: a changed machine inserts only new installations, deletes only removed ones
and rewrites only changed install dates. Installations are written with multi-row inserts
(``imports.bulk.insert``), new Software rows with ``bulk_create``, changed dates with ``bulk_update``,
all logged with ``changelog.log_created``/``log_updated``/``log_deleted``; the few other rows go
through ``save()``. The whole report runs in one ``changelog.batch()``, so its change-log entries are
appended together (one head-row lock, one multi-row insert) just before the commit. Only the contact
timestamps and the inventory hash are written with ``QuerySet.update()`` (they are excluded from the
change log). A re-inventory of an unchanged machine (same digest) therefore writes nothing but those
timestamps: no row, no log entry.
Machines the rules cannot place go to the review queue (DiscoveredDevice) — never merged, never
duplicated (BİG 3.1.1.3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from biys.core import changelog, context
from biys.core.text import search_key
from biys.inventory.agents.matching import Match, match_asset
from biys.inventory.agents.normal import Antivirus, Interface, Inventory, SoftwareItem
from biys.inventory.imports import bulk
from biys.inventory.models import AgentLink, Asset, DiscoveredDevice, Installation, NetworkInterface, Software

_IN_CHUNK = 500  # stay far below SQLite's bound-parameter limit
_BULK = 500  # rows per INSERT/UPDATE statement (SQLite splits further by its parameter limit)


@dataclass(frozen=True)
class ImportResult:
    outcome: str  # "unchanged", "updated" or "queued"
    asset_id: int | None = None
    discovered_id: int | None = None
    reason: str = ""
    software_added: int = 0
    software_removed: int = 0


def touch_contact(device_id: str, now: datetime | None = None) -> None:
    """An agent said hello (PROLOG / CONTACT): record the time, nothing else."""
    now = now or timezone.now()
    with transaction.atomic(savepoint=False):  # one commit, not one per table
        if AgentLink.objects.filter(device_id=device_id).update(last_contact=now):
            Asset.objects.filter(agent__device_id=device_id).update(last_seen_at=now)
        DiscoveredDevice.objects.filter(device_id=device_id).update(last_contact=now)


def import_if_unchanged(inventory: Inventory, now: datetime | None = None) -> bool:
    """The fast path: a linked machine whose inventory hash is unchanged gets its timestamps, nothing else."""
    link = (
        AgentLink.objects.filter(device_id=inventory.device_id).values_list("pk", "asset_id", "inventory_hash").first()
    )
    if link is None or link[2] != inventory.digest():
        return False
    now = now or timezone.now()
    with transaction.atomic(savepoint=False):
        AgentLink.objects.filter(pk=link[0]).update(last_contact=now, last_inventory=now)
        Asset.objects.filter(pk=link[1]).update(last_seen_at=now)
    return True


def import_inventory(inventory: Inventory, *, asset: Asset | None = None, now: datetime | None = None) -> ImportResult:
    """Import one report. With ``asset`` (a person's decision in the review queue) no rule is asked."""
    now = now or timezone.now()
    with changelog.batch():
        if asset is None:
            if import_if_unchanged(inventory, now):
                link = AgentLink.objects.filter(device_id=inventory.device_id).values_list("asset_id", flat=True)
                return ImportResult("unchanged", asset_id=link.first())
            match = match_asset(inventory)
            if match.asset is None:
                return _queue(inventory, match, now)
            asset, trusted = match.asset, match.confirmed
            _resolve_queue(inventory)
        else:
            trusted = True
        # The change-log head is locked only when the batch is appended, just before the commit: imports
        # of different machines run side by side and queue only for that moment. Their lock order is the
        # asset row, new software keys (sorted), then the head; a report whose import loses a deadlock
        # anyway is retried by the task.
        return _apply(asset, inventory, trusted, now)


def _apply(asset: Asset, inventory: Inventory, trusted: bool, now: datetime) -> ImportResult:
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    changelog.remember(asset)  # read under the lock: its save needs no second read for the log
    contact = {"last_contact": now, "last_inventory": now, "inventory_hash": inventory.digest()}
    if not _update_asset(asset, inventory, trusted, now):
        Asset.objects.filter(pk=asset.pk).update(last_seen_at=now)
    link, created = _update_link(asset, inventory, contact)
    added = removed = 0
    if inventory.software is not None:
        added, removed = _sync_software(asset, inventory.software)
    if inventory.interfaces is not None:
        _sync_interfaces(asset, inventory.interfaces)
    if not created:
        AgentLink.objects.filter(pk=link.pk).update(**contact)
    return ImportResult("updated", asset_id=asset.pk, software_added=added, software_removed=removed)


def _save_changes(instance: Any, values: dict[str, Any], unlogged: dict[str, Any] | None = None) -> bool:
    """Save only the fields whose value differs, through ``save()`` so the change log sees them; the
    ``unlogged`` values (contact times) ride along when there is a save anyway. True if it saved."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not changed:
        return False
    for name, value in {**values, **(unlogged or {})}.items():
        setattr(instance, name, value)
    instance.save(update_fields=[*changed, *(unlogged or {})])
    return True


def _update_asset(asset: Asset, inventory: Inventory, trusted: bool, now: datetime) -> bool:
    values: dict[str, Any] = {}
    if inventory.hostname:
        values["hostname"] = inventory.hostname
    primary = inventory.primary_interface()
    if primary is not None and primary.ip:
        values["ip_address"] = primary.ip
    if primary is not None and primary.mac:
        values["mac_address"] = primary.mac
    # A UUID already on the asset is replaced only on a person's word (matching calls it a conflict).
    if inventory.hardware_uuid and (trusted or not asset.hardware_uuid):
        values["hardware_uuid"] = inventory.hardware_uuid
    return _save_changes(asset, values, {"last_seen_at": now})


def antivirus_summary(products: list[Antivirus]) -> tuple[str, bool | None]:
    """(names for AgentLink.antivirus, up to date?) — disabled products are marked, unknowns stay None."""
    names = ", ".join(p.name if p.enabled is not False else f"{p.name} (off)" for p in products)[:200]
    active = [p for p in products if p.enabled is not False]
    if not products:
        return "", None
    if not active:
        return names, False
    states = [p.up_to_date for p in active]
    if any(state is False for state in states):
        return names, False
    return names, True if all(state is True for state in states) else None


def _update_link(asset: Asset, inventory: Inventory, contact: dict[str, Any]) -> tuple[AgentLink, bool]:
    """The asset's agent link with what the agent reported (created with its ``contact`` times)."""
    ids = [inventory.device_id, *([inventory.old_device_id] if inventory.old_device_id else [])]
    # The asset's link and any link of another asset with the agent's id, in one locked read; the latter go
    # (logged): the agent now belongs to this asset.
    link = None
    for row in AgentLink.objects.select_for_update().filter(Q(asset=asset) | Q(device_id__in=ids)).order_by("pk"):
        if row.asset_id == asset.pk:
            link = row
        else:
            row.delete()
    antivirus, up_to_date = antivirus_summary(inventory.antivirus)
    values = {
        "device_id": inventory.device_id,
        "agent_type": inventory.agent_type,
        "agent_version": inventory.agent_version,
        "os_name": inventory.os_name,
        "os_version": inventory.os_version,
        "cpu": inventory.cpu,
        "memory_mb": inventory.memory_mb,
        "logged_user": inventory.logged_user,
        "antivirus": antivirus,
        "antivirus_up_to_date": up_to_date,
    }
    if link is None:
        link = AgentLink(asset=asset, **values, **contact)
        link.save()
        return link, True
    changelog.remember(link)
    _save_changes(link, values)
    return link, False


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start : start + _IN_CHUNK]


def _sync_software(asset: Asset, items: list[SoftwareItem]) -> tuple[int, int]:
    """Insert only new installations, delete only removed ones, fix changed install dates."""
    wanted = {item.key: item for item in items}
    rows = (
        Installation.objects.filter(asset=asset)
        .order_by()
        .values_list("pk", "software__normalized", "version", "installed_on")
    )
    existing: dict[tuple[str, str], tuple[int, date | None]] = {(n, v): (pk, d) for pk, n, v, d in rows}
    removed = [pk for key, (pk, _day) in existing.items() if key not in wanted]
    _delete_installations(removed)
    added = [item for key, item in wanted.items() if key not in existing]
    software = _software(added)
    user = context.current_user()
    user_id = user.pk if user is not None else None
    new_rows = [
        Installation(
            asset_id=asset.pk,  # ids where the row needs no object: the descriptors' checks cost 2 µs each
            software=software[item.key[0]],  # its name is the row's text in the change log
            version=item.version,
            installed_on=_day(item.installed_on),
            created_by_id=user_id,
            updated_by_id=user_id,
        )
        for item in added
    ]
    bulk.insert(new_rows, ("software", "version"), asset_id=asset.pk)
    changelog.log_created(new_rows)
    redated = {
        pk: _day(wanted[key].installed_on)
        for key, (pk, day) in existing.items()
        if key in wanted and _day(wanted[key].installed_on) != day
    }
    _redate_installations(redated, user)
    return len(added), len(removed)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _delete_installations(pks: list[int]) -> None:
    """Delete removed installations with one statement per chunk, logging each row as a delete would."""
    for chunk in _chunks(pks):
        doomed = Installation.objects.filter(pk__in=chunk).select_related("software")
        changelog.log_deleted(list(doomed))
        # Nothing references an installation: a raw delete skips only the per-row signals, logged above.
        Installation.objects.filter(pk__in=chunk)._raw_delete(Installation.objects.db)  # type: ignore[attr-defined]


def _redate_installations(days: dict[int, date | None], user: Any) -> None:
    if not days:
        return
    now = timezone.now()
    changed = []
    for chunk in _chunks(sorted(days)):
        for row in Installation.objects.filter(pk__in=chunk).select_related("software"):
            changed.append((row, changelog.snapshot(row)))
            row.installed_on, row.updated_at, row.updated_by = days[row.pk], now, user
    Installation.objects.bulk_update(
        [row for row, _before in changed], ["installed_on", "updated_at", "updated_by"], batch_size=_BULK
    )
    changelog.log_updated(changed)


def _software(items: list[SoftwareItem]) -> dict[str, Software]:
    """Software rows are shared by every machine: find them, create the missing ones (sorted, so
    concurrent imports take the unique-key locks in one order)."""
    by_key = {item.key[0]: item for item in items}
    found: dict[str, Software] = {}
    for chunk in _chunks(sorted(by_key)):
        rows = Software.objects.filter(normalized__in=chunk).order_by().only("pk", "publisher", "name", "normalized")
        found.update((row.normalized, row) for row in rows)
    missing = sorted(set(by_key) - set(found))
    if missing:
        found.update(_create_software(missing, by_key))
    return found


def _create_software(keys: list[str], by_key: dict[str, SoftwareItem]) -> dict[str, Software]:
    user = context.current_user()
    rows = []
    for key in keys:
        row = Software(
            publisher=by_key[key].publisher, name=by_key[key].name, normalized=key, created_by=user, updated_by=user
        )
        row.search_key = search_key(row.search_source())  # what SearchableModel.save() derives
        rows.append(row)
    try:
        with transaction.atomic():
            Software.objects.bulk_create(rows, batch_size=_BULK)
            changelog.log_created(rows)
    except IntegrityError:  # another import created some of them in the meantime: one by one
        return {key: _create_one_software(key, by_key[key]) for key in keys}
    return {row.normalized: row for row in rows}


def _create_one_software(key: str, item: SoftwareItem) -> Software:
    try:
        with transaction.atomic():
            software = Software(publisher=item.publisher, name=item.name, normalized=key)
            software.save()
            return software
    except IntegrityError:  # another import created it in the meantime
        return Software.objects.get(normalized=key)


def _sync_interfaces(asset: Asset, interfaces: list[Interface]) -> None:
    wanted = {(item.name[:100], item.mac): item for item in interfaces}
    existing = {
        (name, mac): (pk, ip)
        for pk, name, mac, ip in NetworkInterface.objects.filter(asset=asset)
        .order_by()
        .values_list("pk", "name", "mac_address", "ip_address")
    }
    gone = [pk for key, (pk, _ip) in existing.items() if key not in wanted]
    if gone:
        NetworkInterface.objects.filter(pk__in=gone).delete()
    for key, item in wanted.items():
        if key not in existing:
            NetworkInterface(asset=asset, name=key[0], mac_address=item.mac, ip_address=item.ip).save()
        elif existing[key][1] != item.ip:
            row = NetworkInterface.objects.get(pk=existing[key][0])
            row.ip_address = item.ip
            row.save(update_fields=["ip_address"])


def _resolve_queue(inventory: Inventory) -> None:
    """A queued device the rules now place by themselves leaves the queue (the deletion is logged)."""
    for device in DiscoveredDevice.objects.filter(
        device_id=inventory.device_id, status__in=(DiscoveredDevice.Status.PENDING, DiscoveredDevice.Status.IGNORED)
    ):
        device.delete()


def _new_device(device_id: str, now: datetime, values: dict[str, Any]) -> tuple[DiscoveredDevice, bool]:
    try:
        with transaction.atomic():
            device = DiscoveredDevice(device_id=device_id, last_contact=now, **values)
            device.save()
            return device, True
    except IntegrityError:  # a parallel import of the same agent queued it first: refresh that row
        return DiscoveredDevice.objects.select_for_update().get(device_id=device_id), False


def _queue(inventory: Inventory, match: Match, now: datetime) -> ImportResult:
    """Put the report in the review queue, or refresh its queued entry; an ignored device stays ignored."""
    AgentLink.objects.filter(device_id=inventory.device_id).update(last_contact=now)
    values: dict[str, Any] = {
        "agent_type": inventory.agent_type,
        "hostname": inventory.hostname,
        "serial": inventory.serial,
        "hardware_uuid": inventory.hardware_uuid,
        "mac_addresses": inventory.physical_macs(),
        "reason": match.reason,
        "inventory": inventory.to_dict(),
    }
    device = DiscoveredDevice.objects.select_for_update().filter(device_id=inventory.device_id).first()
    created = False
    if device is None:
        device, created = _new_device(inventory.device_id, now, values)
    if not created:
        if device.status in (DiscoveredDevice.Status.LINKED, DiscoveredDevice.Status.REGISTERED):
            values["status"] = DiscoveredDevice.Status.PENDING  # the earlier decision no longer holds
        _save_changes(device, values)
        DiscoveredDevice.objects.filter(pk=device.pk).update(last_contact=now)
    current = set(device.candidates.values_list("pk", flat=True))
    if current != set(match.candidates):
        device.candidates.set(match.candidates)
    return ImportResult("queued", discovered_id=device.pk, reason=match.reason)
