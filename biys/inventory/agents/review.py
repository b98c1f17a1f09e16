"""The review queue's decisions (BİG 3.1.1.3): link a reported machine to an asset, register it as a
new asset, or ignore it. Linking and registering re-import the stored report against the chosen asset
in the same transaction, and the decision is kept (status linked/registered) so the matching rules
trust it from then on.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.inventory.agents import services
from biys.inventory.agents.normal import Inventory
from biys.inventory.models import Asset, AssetKind, Depot, DiscoveredDevice

Status = DiscoveredDevice.Status


def stored_inventory(device: DiscoveredDevice) -> Inventory:
    try:
        return Inventory.from_dict(device.inventory)
    except (TypeError, ValueError, KeyError) as exc:
        raise ValidationError(_("No usable inventory is stored for this device; wait for its next report.")) from exc


def _locked(device: DiscoveredDevice) -> DiscoveredDevice:
    current = DiscoveredDevice.objects.select_for_update().get(pk=device.pk)
    if current.status in (Status.LINKED, Status.REGISTERED):
        raise ValidationError(_("This device has already been linked to %(asset)s.") % {"asset": current.asset})
    return current


@transaction.atomic
def link_device(device: DiscoveredDevice, asset: Asset) -> services.ImportResult:
    """A person says the reporting machine is ``asset``: import its report there and remember the decision."""
    device = _locked(device)
    if asset.status in (Asset.Status.SCRAPPED, Asset.Status.TRANSFERRED):
        raise ValidationError(_("%(asset)s has left the register and cannot receive an agent.") % {"asset": asset})
    result = services.import_inventory(stored_inventory(device), asset=asset, now=device.last_contact)
    device.status, device.asset = Status.LINKED, asset
    device.save(update_fields=["status", "asset"])
    return result


@transaction.atomic
def register_device(
    device: DiscoveredDevice, kind: AssetKind, depot: Depot, owner_unit: Any, entry_year: int, name: str = ""
) -> Asset:
    """Register the reporting machine as a new asset (sicil no by the register's rules), then link it."""
    from biys.inventory.register.services import register_asset

    device = _locked(device)
    inventory = stored_inventory(device)
    primary = inventory.primary_interface()
    fields = {
        "name": name or inventory.hostname or kind.name,
        "serial": inventory.serial,
        "brand": inventory.manufacturer[:80],
        "model": inventory.model[:120],
        "hostname": inventory.hostname,
        "ip_address": primary.ip if primary is not None else None,
        "mac_address": primary.mac if primary is not None else "",
        "hardware_uuid": inventory.hardware_uuid,
    }
    asset = register_asset(kind, depot, owner_unit, entry_year, **fields)
    services.import_inventory(inventory, asset=asset, now=device.last_contact or timezone.now())
    device.status, device.asset = Status.REGISTERED, asset
    device.save(update_fields=["status", "asset"])
    return asset


@transaction.atomic
def ignore_device(device: DiscoveredDevice) -> None:
    """Not ours to register (a visitor's laptop, a test machine): keep it out of the pending list."""
    device = _locked(device)
    if device.status != Status.IGNORED:
        device.status = Status.IGNORED
        device.save(update_fields=["status"])
