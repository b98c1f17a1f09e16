"""The one normalised form every agent report becomes (FusionInventory, OCS, GLPI Agent).

Parsers fill it, the import pipeline reads it, the task queue and the review queue store it as
JSON (``to_dict`` / ``from_dict``). Every text is trimmed and cut to the column it ends up in, so
saving never fails on a long value; ``digest`` is the sha256 that tells an unchanged machine apart.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from biys.core.text import search_key

# Column sizes of the models the values end up in (inventory.models.agents / register).
DEVICE_ID_MAX = 200
SOFTWARE_KEY_MAX = 400

_SPACES = re.compile(r"\s+")
_MAC_DIGITS = re.compile(r"^[0-9A-F]{12}$")
_MAC_SEPARATORS = re.compile(r"[\s:.\-]")
# Values BIOSes put where a serial number or UUID should be; matching on them would merge machines.
_JUNK_SERIALS = {
    junk.strip(" .")
    for junk in (
        "",
        "0",
        "00000000",
        "0123456789",
        "1234567890",
        "123456789",
        "chassis serial number",
        "default string",
        "invalid",
        "n/a",
        "na",
        "none",
        "not applicable",
        "not available",
        "not specified",
        "o.e.m.",
        "oem",
        "serial",
        "system serial number",
        "to be filled by o.e.m.",
        "unknown",
        "xxxxxxxxxx",
    )
}
_JUNK_UUIDS = {
    "00000000-0000-0000-0000-000000000000",
    "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
    "03000200-0400-0500-0006-000700080009",
    "00020003-0004-0005-0006-000700080009",
}
_JUNK_MACS = {"00:00:00:00:00:00", "FF:FF:FF:FF:FF:FF"}
# `last` prints "wtmp begins …" on a fresh system; FusionInventory then reports "wtmp" as the user.
_JUNK_USERS = {"wtmp", "reboot", "(unknown)", "unknown"}
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})(?:$|[ T])")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:$|[ T])")


def clean(value: Any, limit: int) -> str:
    """A value as one trimmed line of at most ``limit`` characters ('' for None, lists, objects)."""
    if value is None or isinstance(value, dict | list):
        return ""
    return _SPACES.sub(" ", str(value)).strip()[:limit]


def clean_serial(value: Any) -> str:
    text = clean(value, 100)
    return "" if text.lower().strip(" .") in _JUNK_SERIALS or set(text) <= {"0", " ", "-"} else text


def clean_uuid(value: Any) -> str:
    text = clean(value, 64).upper()
    return "" if text in _JUNK_UUIDS or not text.strip("0-") else text


def clean_user(value: Any) -> str:
    text = clean(value, 120)
    return "" if text.lower() in _JUNK_USERS else text


def normalize_mac(value: Any) -> str:
    """Any common MAC spelling as ``AA:BB:CC:DD:EE:FF``; '' when it is not a usable address."""
    digits = _MAC_SEPARATORS.sub("", clean(value, 40)).upper()
    if not _MAC_DIGITS.match(digits):
        return ""
    mac = ":".join(digits[i : i + 2] for i in range(0, 12, 2))
    return "" if mac in _JUNK_MACS else mac


def normalize_ip(value: Any) -> str | None:
    """A valid IPv4/IPv6 address in its compressed form, else None."""
    text = clean(value, 60).split("%", 1)[0]
    try:
        return ipaddress.ip_address(text).compressed if text else None
    except ValueError:
        return None


def is_routable(ip: str | None) -> bool:
    if not ip:
        return False
    address = ipaddress.ip_address(ip)
    return not (address.is_loopback or address.is_link_local or address.is_unspecified)


def parse_date(value: Any) -> str | None:
    """An install date in any format the agents use, as ISO ``YYYY-MM-DD``; None when unreadable.

    OCS sends "2025/04/20 00:00:00", FusionInventory "20/04/2025", GLPI Agent "2025-04-20", Windows
    registries "20250420"; a day-first date that cannot be one is read month-first.
    """
    text = clean(value, 40)
    match = _YEAR_FIRST.match(text)
    if match:
        candidates = [(match[1], match[2], match[3])]
    else:
        match = _DAY_FIRST.match(text)
        if match is None:
            return None
        candidates = [(match[3], match[2], match[1]), (match[3], match[1], match[2])]
    for year, month, day in candidates:
        try:
            parsed = date(int(year), int(month), int(day))
        except ValueError:
            continue
        return parsed.isoformat() if date(1980, 1, 1) <= parsed <= date(2100, 1, 1) else None
    return None


def parse_int(value: Any) -> int | None:
    text = clean(value, 20)
    try:
        number = int(float(text))
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


def parse_flag(value: Any) -> bool | None:
    """Agents say 1/0, true/false, yes/no or give a JSON boolean; None when they say nothing."""
    if isinstance(value, bool):
        return value
    text = clean(value, 10).lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    return None


@functools.lru_cache(maxsize=65536)  # a worker sees the same products on thousands of machines
def software_key(publisher: str, name: str) -> str:
    """``Software.normalized``: folded publisher and name, so every agent shares one row per product."""
    return f"{search_key(publisher)}|{search_key(name)}"[:SOFTWARE_KEY_MAX]


@dataclass(frozen=True)
class Interface:
    name: str
    mac: str
    ip: str | None
    physical: bool


@dataclass(frozen=True)
class SoftwareItem:
    publisher: str
    name: str
    version: str
    installed_on: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return software_key(self.publisher, self.name), self.version


@dataclass(frozen=True)
class Antivirus:
    name: str
    enabled: bool | None = None
    up_to_date: bool | None = None


@dataclass
class Inventory:
    """One machine as its agent described it. ``interfaces``/``software`` None = not reported."""

    device_id: str
    agent_type: str
    agent_version: str = ""
    hostname: str = ""
    serial: str = ""
    hardware_uuid: str = ""
    manufacturer: str = ""
    model: str = ""
    os_name: str = ""
    os_version: str = ""
    cpu: str = ""
    memory_mb: int | None = None
    main_ip: str | None = None
    logged_user: str = ""
    old_device_id: str = ""
    interfaces: list[Interface] | None = None
    software: list[SoftwareItem] | None = None
    antivirus: list[Antivirus] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """``dataclasses.asdict(self)``, without its deep copies (every value is a str, int, bool or None)."""
        data = {name: getattr(self, name) for name in _SCALARS}
        data["interfaces"] = None if self.interfaces is None else [asdict_flat(item) for item in self.interfaces]
        data["software"] = None if self.software is None else [asdict_flat(item) for item in self.software]
        data["antivirus"] = [asdict_flat(item) for item in self.antivirus]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Inventory:
        """Rebuild from ``to_dict`` output (the task argument or DiscoveredDevice.inventory)."""
        values = dict(data)
        interfaces, software = values.pop("interfaces", None), values.pop("software", None)
        antivirus = values.pop("antivirus", None) or []
        known = {name for name in cls.__dataclass_fields__ if name not in ("interfaces", "software", "antivirus")}
        inventory = cls(**{key: value for key, value in values.items() if key in known})
        inventory.interfaces = None if interfaces is None else [Interface(**item) for item in interfaces]
        inventory.software = None if software is None else [SoftwareItem(**item) for item in software]
        inventory.antivirus = [Antivirus(**item) for item in antivirus]
        return inventory

    def digest(self) -> str:
        """sha256 of the canonical JSON: equal digests mean nothing to write but the contact time."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def physical_macs(self) -> list[str]:
        return sorted({i.mac for i in self.interfaces or () if i.physical and i.mac})

    def primary_interface(self) -> Interface | None:
        """The interface carrying the agent's main address, else the first physical one with an address."""
        interfaces = self.interfaces or []
        by_main_ip = [i for i in interfaces if self.main_ip and i.ip == self.main_ip]
        with_address = [i for i in interfaces if i.physical and is_routable(i.ip)]
        physical = [i for i in interfaces if i.physical and i.mac]
        for group in (by_main_ip, with_address, physical):
            if group:
                return group[0]
        return None

    def finish(self) -> Inventory:
        """Deduplicate and sort the lists so the same machine always gives the same digest."""
        if self.software is not None:
            unique: dict[tuple[str, str], SoftwareItem] = {}
            for item in self.software:
                unique.setdefault(item.key, item)
            self.software = [unique[key] for key in sorted(unique)]
        if self.interfaces is not None:
            self.interfaces = _merge_interfaces(self.interfaces)
        self.antivirus = sorted(set(self.antivirus), key=lambda a: (a.name, str(a.enabled), str(a.up_to_date)))
        return self


_SCALARS = tuple(name for name in Inventory.__dataclass_fields__ if name not in ("interfaces", "software", "antivirus"))


def asdict_flat(item: Interface | SoftwareItem | Antivirus) -> dict[str, Any]:
    return {name: getattr(item, name) for name in item.__dataclass_fields__}


def _merge_interfaces(interfaces: list[Interface]) -> list[Interface]:
    """Agents list an interface once per address; keep one row per (name, MAC), IPv4 preferred."""
    merged: dict[tuple[str, str], Interface] = {}
    for item in interfaces:
        key = (item.name, item.mac)
        current = merged.get(key)
        if current is None or _address_rank(item.ip) < _address_rank(current.ip):
            merged[key] = item
    return [merged[key] for key in sorted(merged)]


def _address_rank(ip: str | None) -> int:
    if not ip:
        return 3
    if not is_routable(ip):
        return 2
    return 0 if ipaddress.ip_address(ip).version == 4 else 1
