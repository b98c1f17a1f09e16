"""Payload helpers for the agents tests: the captured fixtures, and crafted reports of any size."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

FIXTURES = Path(__file__).resolve().parent
HEADERS: dict[str, dict[str, str]] = json.loads((FIXTURES / "headers.json").read_text())


def raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def inflated(name: str) -> bytes:
    return zlib.decompress(raw(name))


def glpi(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def fixture_headers(name: str) -> dict[str, str]:
    """Django test-client keyword arguments reproducing the agent's headers."""
    headers = HEADERS[name]
    return {"content_type": headers["Content-Type"], "HTTP_USER_AGENT": headers["User-Agent"]}


def xml_inventory(
    device_id: str = "PC-0042-2026-03-02-09-00-00",
    *,
    hostname: str = "PC-0042",
    serial: str = "5CD1234XYZ",
    uuid: str = "4C4C4544-0034-3010-8048-B6C04F503732",
    manufacturer: str = "Dell Inc.",
    mac: str = "00:1a:2b:3c:4d:5e",
    ip: str = "10.46.12.42",
    software: int = 150,
    extra: str = "",
) -> bytes:
    """A FusionInventory-shaped INVENTORY with ``software`` packages (plain XML bytes)."""
    packages = "".join(
        f"<SOFTWARES><NAME>package-{n:04d}</NAME><PUBLISHER>Vendor {n % 17}</PUBLISHER>"
        f"<VERSION>{n}.0.{n % 7}</VERSION><INSTALLDATE>02/03/2025</INSTALLDATE></SOFTWARES>"
        for n in range(software)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<REQUEST><CONTENT>'
        f"<BIOS><SSN>{escape(serial)}</SSN><SMANUFACTURER>{escape(manufacturer)}</SMANUFACTURER>"
        "<SMODEL>OptiPlex 7090</SMODEL></BIOS>"
        f"<HARDWARE><NAME>{escape(hostname)}</NAME><UUID>{uuid}</UUID><MEMORY>16259</MEMORY>"
        "<PROCESSORT>Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz</PROCESSORT>"
        f"<IPADDR>{ip}</IPADDR><LASTLOGGEDUSER>ayse.yilmaz</LASTLOGGEDUSER></HARDWARE>"
        "<OPERATINGSYSTEM><FULL_NAME>Debian GNU/Linux 12 (bookworm)</FULL_NAME><VERSION>12.5</VERSION>"
        "</OPERATINGSYSTEM>"
        f"<NETWORKS><DESCRIPTION>eth0</DESCRIPTION><MACADDR>{mac}</MACADDR><IPADDRESS>{ip}</IPADDRESS>"
        "<VIRTUALDEV>0</VIRTUALDEV><TYPE>ethernet</TYPE></NETWORKS>"
        "<NETWORKS><DESCRIPTION>lo</DESCRIPTION><MACADDR>00:00:00:00:00:00</MACADDR>"
        "<IPADDRESS>127.0.0.1</IPADDRESS><VIRTUALDEV>1</VIRTUALDEV><TYPE>loopback</TYPE></NETWORKS>"
        f"{packages}{extra}<VERSIONCLIENT>FusionInventory-Agent_v2.6-3</VERSIONCLIENT></CONTENT>"
        f"<DEVICEID>{escape(device_id)}</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>\n"
    ).encode()


def xml_prolog(device_id: str = "PC-0042-2026-03-02-09-00-00") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" ?>\n<REQUEST><DEVICEID>{escape(device_id)}</DEVICEID>'
        "<QUERY>PROLOG</QUERY><TOKEN>12345678</TOKEN></REQUEST>\n"
    ).encode()
