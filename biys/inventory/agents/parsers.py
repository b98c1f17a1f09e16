"""Agent messages → Python: the OCS/FusionInventory XML protocol and the GLPI Agent JSON protocol.

XML is parsed with defusedxml and a DTD is refused outright, so entity expansion ("billion
laughs") and external entities never run. Payloads decode as UTF-8, else as Windows-1254 (Turkish
Windows agents that send their code page while declaring UTF-8); characters XML 1.0 forbids are
dropped instead of refusing a whole inventory for one control character in a software name.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from biys.inventory.agents.normal import (
    Antivirus,
    Interface,
    Inventory,
    SoftwareItem,
    clean,
    clean_serial,
    clean_user,
    clean_uuid,
    normalize_ip,
    normalize_mac,
    parse_date,
    parse_flag,
    parse_int,
)
from biys.inventory.agents.wire import WireError

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_VIRTUAL_TYPES = {"loopback", "bridge", "tunnel", "virtual", "vpn", "ppp"}


def decode_text(data: bytes) -> str:
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1254", errors="replace")
    return _XML_INVALID.sub("", text)


# --- XML (OCS Inventory unix agent 2.10, FusionInventory agent 2.6) ---------------------------------


def parse_xml(data: bytes) -> Element:
    try:
        root: Element = fromstring(decode_text(data), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise WireError("XML with a DTD or entity declarations is refused.") from exc
    except ParseError as exc:
        raise WireError(f"Malformed XML: {exc}") from exc
    if root.tag != "REQUEST":
        raise WireError("The XML root element must be REQUEST.")
    return root


def xml_query(root: Element) -> tuple[str, str]:
    """(QUERY upper-cased, DEVICEID) of a request; DEVICEID is required."""
    device_id = clean(root.findtext("DEVICEID"), 1000)
    if not device_id:
        raise WireError("DEVICEID is missing.")
    if len(device_id) > 200:
        raise WireError("DEVICEID is longer than 200 characters.")
    return clean(root.findtext("QUERY"), 40).upper(), device_id


def _text(element: Element | None, tag: str, limit: int = 255) -> str:
    return clean(element.findtext(tag), limit) if element is not None else ""


def _first(*values: str) -> str:
    return next((value for value in values if value), "")


def inventory_from_xml(root: Element, user_agent: str = "") -> Inventory:
    """An INVENTORY request of the OCS/FusionInventory protocol as the normalised form."""
    _query, device_id = xml_query(root)
    content = root.find("CONTENT")
    if content is None:
        raise WireError("INVENTORY without CONTENT.")
    hardware, bios, system = content.find("HARDWARE"), content.find("BIOS"), content.find("OPERATINGSYSTEM")
    cpus = content.find("CPUS")
    version = _first(_text(content, "VERSIONCLIENT", 60), clean(user_agent, 60))
    users = [clean_user(el.findtext("LOGIN")) for el in content.findall("USERS")]
    return Inventory(
        device_id=device_id,
        agent_type=_agent_type(version),
        agent_version=version,
        hostname=_text(hardware, "NAME", 120),
        serial=clean_serial(_text(bios, "SSN")),
        hardware_uuid=clean_uuid(_text(hardware, "UUID")),
        manufacturer=_first(_text(bios, "SMANUFACTURER", 80), _text(bios, "MMANUFACTURER", 80)),
        model=_first(_text(bios, "SMODEL", 120), _text(bios, "MMODEL", 120)),
        os_name=_first(_text(system, "FULL_NAME", 120), _text(system, "NAME", 120), _text(hardware, "OSNAME", 120)),
        os_version=_text(system, "VERSION", 120) if system is not None else _text(hardware, "OSVERSION", 120),
        cpu=_first(_text(hardware, "PROCESSORT", 200), _text(cpus, "NAME", 200), _text(cpus, "TYPE", 200)),
        memory_mb=parse_int(_text(hardware, "MEMORY")),
        main_ip=next(filter(None, map(normalize_ip, _text(hardware, "IPADDR").split("/"))), None),
        logged_user=_first(*users, clean_user(_text(hardware, "LASTLOGGEDUSER", 120))),
        old_device_id=clean(root.findtext("OLD_DEVICEID"), 200),
        interfaces=_xml_interfaces(content),
        software=_xml_software(content),
        antivirus=[
            Antivirus(_text(el, "NAME", 120), parse_flag(el.findtext("ENABLED")), parse_flag(el.findtext("UPTODATE")))
            for el in content.findall("ANTIVIRUS")
            if _text(el, "NAME", 120)
        ],
    ).finish()


def _agent_type(version: str) -> str:
    lowered = version.lower()
    if lowered.startswith("fusioninventory"):
        return "fusion"
    if lowered.startswith("glpi"):
        return "glpi"
    return "ocs"


def _xml_interfaces(content: Element) -> list[Interface] | None:
    elements = content.findall("NETWORKS")
    if not elements:
        return None
    rows = [
        _interface(
            _text(el, "DESCRIPTION", 100),
            el.findtext("MACADDR"),
            _first(_text(el, "IPADDRESS", 60), _text(el, "IPADDRESS6", 60)),
            el.findtext("VIRTUALDEV"),
            _text(el, "TYPE", 40),
        )
        for el in elements
    ]
    return [row for row in rows if row is not None]


def _interface(name: str, mac_value: Any, ip_value: Any, virtual: Any, kind: str) -> Interface | None:
    mac, kind = normalize_mac(mac_value), kind.lower()
    if kind == "loopback" or name == "lo" or (not name and not mac):
        return None
    physical = bool(mac) and parse_flag(virtual) is not True and kind not in _VIRTUAL_TYPES
    return Interface(name=name or mac, mac=mac, ip=normalize_ip(ip_value), physical=physical)


def _xml_software(content: Element) -> list[SoftwareItem] | None:
    elements = content.findall("SOFTWARES")
    if not elements:
        return None
    return [
        SoftwareItem(
            publisher=_text(el, "PUBLISHER", 200),
            name=_text(el, "NAME", 255),
            version=_text(el, "VERSION", 100),
            installed_on=parse_date(el.findtext("INSTALLDATE")),
        )
        for el in elements
        if _text(el, "NAME", 255)
    ]


# --- JSON (GLPI Agent protocol) -----------------------------------------------------------------------


def parse_json(data: bytes) -> dict[str, Any]:
    try:
        message = json.loads(decode_text(data))
    except (ValueError, RecursionError) as exc:
        raise WireError("Malformed JSON.") from exc
    if not isinstance(message, dict):
        raise WireError("The JSON message must be an object.")
    return message


def json_device_id(message: dict[str, Any]) -> str:
    device_id = clean(message.get("deviceid"), 1000)
    if not device_id:
        raise WireError("deviceid is missing.")
    if len(device_id) > 200:
        raise WireError("deviceid is longer than 200 characters.")
    return device_id


def _section(content: dict[str, Any], name: str) -> dict[str, Any]:
    value = content.get(name)
    return value if isinstance(value, dict) else {}


def _rows(content: dict[str, Any], name: str) -> list[dict[str, Any]] | None:
    value = content.get(name)
    if value is None:
        return None
    if not isinstance(value, list):
        raise WireError(f"content.{name} must be a list.")
    return [row for row in value if isinstance(row, dict)]


def inventory_from_json(message: dict[str, Any]) -> Inventory:
    """An ``inventory`` action of the GLPI Agent protocol (inventory_format schema) as the normalised form."""
    device_id = json_device_id(message)
    content = message.get("content")
    if not isinstance(content, dict):
        raise WireError("content must be an object.")
    hardware, bios = _section(content, "hardware"), _section(content, "bios")
    system = _section(content, "operatingsystem")
    cpus = _rows(content, "cpus") or [{}]
    users = [clean_user(row.get("login")) for row in _rows(content, "users") or []]
    version = clean(content.get("versionclient"), 60)
    return Inventory(
        device_id=device_id,
        agent_type="glpi",
        agent_version=version,
        hostname=clean(hardware.get("name"), 120),
        serial=clean_serial(bios.get("ssn")),
        hardware_uuid=clean_uuid(hardware.get("uuid")),
        manufacturer=_first(clean(bios.get("smanufacturer"), 80), clean(bios.get("mmanufacturer"), 80)),
        model=_first(clean(bios.get("smodel"), 120), clean(bios.get("mmodel"), 120)),
        os_name=_first(clean(system.get("full_name"), 120), clean(system.get("name"), 120)),
        os_version=clean(system.get("version"), 120),
        cpu=clean(cpus[0].get("name"), 200),
        memory_mb=parse_int(hardware.get("memory")),
        logged_user=_first(*users, clean_user(hardware.get("lastloggeduser"))),
        interfaces=_json_interfaces(content),
        software=_json_software(content),
        antivirus=[
            Antivirus(clean(row.get("name"), 120), parse_flag(row.get("enabled")), parse_flag(row.get("uptodate")))
            for row in _rows(content, "antivirus") or []
            if clean(row.get("name"), 120)
        ],
    ).finish()


def _json_interfaces(content: dict[str, Any]) -> list[Interface] | None:
    rows = _rows(content, "networks")
    if rows is None:
        return None
    interfaces = [
        _interface(
            clean(row.get("description"), 100),
            row.get("mac"),
            _first(clean(row.get("ipaddress"), 60), clean(row.get("ipaddress6"), 60)),
            row.get("virtualdev"),
            clean(row.get("type"), 40),
        )
        for row in rows
    ]
    return [item for item in interfaces if item is not None]


def _json_software(content: dict[str, Any]) -> list[SoftwareItem] | None:
    rows = _rows(content, "softwares")
    if rows is None:
        return None
    return [
        SoftwareItem(
            publisher=clean(row.get("publisher"), 200),
            name=clean(row.get("name"), 255),
            version=clean(row.get("version"), 100),
            installed_on=parse_date(row.get("install_date")),
        )
        for row in rows
        if clean(row.get("name"), 255)
    ]
