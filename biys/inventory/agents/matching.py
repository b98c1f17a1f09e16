"""Which registered asset is the reporting machine? Configurable rules that never merge two machines.

Rules (BIYS_AGENT_MATCH_RULES, default in this order): the agent's device id already linked through
an AgentLink → hardware UUID → serial number with the same manufacturer → MAC of a physical interface.
Every configured rule is asked; when they point to different assets, or one rule points to several,
the report is *ambiguous*; when the single asset found holds a different UUID or serial (or has left
the register), it is a *conflict*. Both go to the review queue, as do machines no rule finds (BİG
3.1.1.3: nothing joins the network unregistered). A device a person linked in the review queue is
trusted on its device id alone, so their decision is not questioned at every inventory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from biys.core.text import search_key
from biys.inventory.agents import conf
from biys.inventory.agents.normal import Inventory
from biys.inventory.models import AgentLink, Asset, DiscoveredDevice, NetworkInterface

Reason = DiscoveredDevice.Reason
# Assets that left the register: a machine reporting as one of them needs a person's look.
_GONE = (Asset.Status.SCRAPPED, Asset.Status.TRANSFERRED)
_VENDOR_ALIASES = {
    "hewlett-packard": "hp",
    "hewlett": "hp",
    "hpe": "hp",
    "asustek": "asus",
    "micro-star": "msi",
    "lenovo": "lenovo",
    "fujitsu-siemens": "fujitsu",
    "ibm": "lenovo",
}


@dataclass
class Match:
    asset: Asset | None = None
    reason: str = ""
    candidates: list[int] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    confirmed: bool = False  # a person linked this device to the asset in the review queue


def match_asset(inventory: Inventory, rules: tuple[str, ...] | None = None) -> Match:
    rules = conf.match_rules() if rules is None else rules
    hits: dict[int, list[str]] = {}
    for rule in rules:
        asset_ids = RULES[rule](inventory)
        if rule == "device_id" and len(asset_ids) == 1:
            confirmed = _confirmed(inventory, next(iter(asset_ids)))
            if confirmed is not None:
                return confirmed
        for asset_id in asset_ids:
            hits.setdefault(asset_id, []).append(rule)
    if not hits:
        return Match(reason=Reason.UNREGISTERED)
    if len(hits) > 1:
        rules_hit = sorted({rule for matched in hits.values() for rule in matched})
        return Match(reason=Reason.AMBIGUOUS, candidates=sorted(hits), rules=rules_hit)
    asset_id, matched_by = next(iter(hits.items()))
    asset = Asset.objects.get(pk=asset_id)
    if disagrees(asset, inventory):
        return Match(reason=Reason.CONFLICT, candidates=[asset_id], rules=matched_by)
    return Match(asset=asset, rules=matched_by)


def disagrees(asset: Asset, inventory: Inventory) -> bool:
    """The asset holds another UUID or serial than the machine reports, or has left the register."""
    if asset.status in _GONE:
        return True
    uuid = asset.hardware_uuid.strip().upper()
    if inventory.hardware_uuid and uuid and uuid != inventory.hardware_uuid:
        return True
    serial = asset.serial.strip().upper()
    return bool(inventory.serial and serial and serial != inventory.serial.upper())


def _confirmed(inventory: Inventory, asset_id: int) -> Match | None:
    decided = DiscoveredDevice.objects.filter(
        device_id=inventory.device_id,
        asset_id=asset_id,
        status__in=(DiscoveredDevice.Status.LINKED, DiscoveredDevice.Status.REGISTERED),
    ).exists()
    if not decided:
        return None
    return Match(asset=Asset.objects.get(pk=asset_id), rules=["device_id"], confirmed=True)


def _by_device_id(inventory: Inventory) -> set[int]:
    ids = [inventory.device_id, *([inventory.old_device_id] if inventory.old_device_id else [])]
    return set(AgentLink.objects.filter(device_id__in=ids).order_by().values_list("asset_id", flat=True))


def _by_uuid(inventory: Inventory) -> set[int]:
    uuid = inventory.hardware_uuid
    if not uuid:
        return set()
    return set(Asset.objects.filter(hardware_uuid__in={uuid, uuid.lower()}).order_by().values_list("pk", flat=True))


def _by_serial(inventory: Inventory) -> set[int]:
    serial = inventory.serial
    if not serial:
        return set()
    rows = (
        Asset.objects.filter(serial__in={serial, serial.upper(), serial.lower()}).order_by().values_list("pk", "brand")
    )
    return {pk for pk, brand in rows if same_vendor(brand, inventory.manufacturer)}


def _by_mac(inventory: Inventory) -> set[int]:
    macs = inventory.physical_macs()
    if not macs:
        return set()
    spellings = {*macs, *(mac.lower() for mac in macs)}
    ids = set(Asset.objects.filter(mac_address__in=spellings).order_by().values_list("pk", flat=True))
    # No order: the model's ("asset", "name") would join every match to the asset table to sort a set.
    ids |= set(NetworkInterface.objects.filter(mac_address__in=spellings).order_by().values_list("asset_id", flat=True))
    return ids


def vendor(text: str) -> str:
    """The first word of a manufacturer name, folded: "Dell Inc." → "dell", "Hewlett-Packard" → "hp"."""
    words = search_key(text).replace(",", " ").split()
    first = words[0].strip(".") if words else ""
    return _VENDOR_ALIASES.get(first, first)


def same_vendor(brand: str, manufacturer: str) -> bool:
    """Serials are unique per manufacturer only; an unknown side does not contradict."""
    return not brand or not manufacturer or vendor(brand) == vendor(manufacturer)


RULES: dict[str, Callable[[Inventory], set[int]]] = {
    "device_id": _by_device_id,
    "uuid": _by_uuid,
    "serial": _by_serial,
    "mac": _by_mac,
}
