"""Parsing what the real agents send into the one normalised form (no database needed)."""

from __future__ import annotations

import gzip
import json
import zlib

import pytest

from biys.inventory.agents import parsers, wire
from biys.inventory.agents.normal import (
    Antivirus,
    Inventory,
    clean_serial,
    clean_uuid,
    normalize_mac,
    parse_date,
    software_key,
)
from biys.inventory.agents.wire import WireError
from biys.inventory.tests.agent_fixtures import glpi, inflated, raw, xml_inventory

LIMIT = 20 * 1024 * 1024


def fusion() -> Inventory:
    return parsers.inventory_from_xml(parsers.parse_xml(inflated("fusion-2.6-inventory.zlib")))


def ocs() -> Inventory:
    root = parsers.parse_xml(inflated("ocs-2.10-inventory.zlib"))
    return parsers.inventory_from_xml(root, "OCS-NG_unified_unix_agent_v2.10.0")


# --- Wire ---------------------------------------------------------------------------------------------


def test_zlib_gzip_deflate_and_plain_bodies_decode_to_the_same_bytes() -> None:
    xml = inflated("fusion-2.6-inventory.zlib")
    deflater = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    bodies = {
        "zlib": (raw("fusion-2.6-inventory.zlib"), "application/x-compress-zlib"),
        "gzip": (gzip.compress(xml), "application/x-compress-gzip"),
        "deflate": (deflater.compress(xml) + deflater.flush(), "application/x-compress-deflate"),
        "plain": (xml, "application/xml"),
    }
    for encoding, (body, content_type) in bodies.items():
        decoded = wire.decode(body, content_type, LIMIT)
        assert (decoded.data, decoded.encoding) == (xml, encoding)


def test_ocs_content_type_without_zlib_in_its_name_is_recognised_by_the_magic_bytes() -> None:
    decoded = wire.decode(raw("ocs-2.10-prolog.zlib"), "application/x-compress", LIMIT)
    assert decoded.encoding == "zlib"
    assert b"<QUERY>PROLOG</QUERY>" in decoded.data


def test_replies_are_compressed_like_the_request_and_fusion_finds_the_zlib_header() -> None:
    reply = wire.encode(b"<REPLY/>", "zlib")
    assert reply[:2] == b"\x78\x9c"  # FusionInventory's OCS client looks for exactly this header
    assert zlib.decompress(reply) == b"<REPLY/>"
    assert gzip.decompress(wire.encode(b"{}", "gzip")) == b"{}"
    assert wire.encode(b"{}", "plain") == b"{}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "Empty"),
        (b"\x00\x01garbage", "Unknown compression"),
        (zlib.compress(b"<REQUEST/>" * 100)[:-20], "truncated"),
        (b"\x78\x9c" + b"\xff" * 40, "not valid zlib"),
        (b"\x1f\x8b\x08" + b"\x00" * 30, "not valid gzip"),
    ],
)
def test_wrong_or_truncated_compression_is_refused(body: bytes, message: str) -> None:
    with pytest.raises(WireError, match=message) as caught:
        wire.decode(body, "application/x-compress-zlib", LIMIT)
    assert caught.value.status == 400


def test_a_zip_bomb_stops_at_the_limit_instead_of_inflating() -> None:
    bomb = zlib.compress(b"<" + b"A" * (5 * 1024 * 1024))
    assert len(bomb) < 10_000
    with pytest.raises(WireError) as caught:
        wire.decode(bomb, "application/x-compress-zlib", 1024 * 1024)
    assert caught.value.status == 413


# --- FusionInventory 2.6 and OCS 2.10 (captured bodies) ----------------------------------------------------


def test_fusioninventory_inventory_becomes_the_normalised_form() -> None:
    inventory = fusion()
    assert inventory.agent_type == "fusion"
    assert inventory.agent_version == "FusionInventory-Agent_v2.6-3"
    assert inventory.device_id.startswith(inventory.hostname + "-")
    assert inventory.os_name == "Debian GNU/Linux 12 (bookworm)"
    assert inventory.memory_mb and inventory.memory_mb > 1000
    assert inventory.cpu
    assert inventory.software is not None and len(inventory.software) > 100
    assert all(item.name for item in inventory.software)
    names = [i.name for i in inventory.interfaces or []]
    assert "lo" not in names
    assert len(names) == len(set(names))  # IPv4/IPv6 lines of one interface are merged
    assert inventory.logged_user != "wtmp"


def test_ocs_inventory_becomes_the_normalised_form() -> None:
    inventory = ocs()
    assert inventory.agent_type == "ocs"
    assert inventory.agent_version == "OCS-NG_unified_unix_agent_v2.10.0"
    assert inventory.os_name == "Debian GNU/Linux 12"
    assert inventory.os_version == "12"
    assert inventory.software is not None and len(inventory.software) > 100
    dated = [item for item in inventory.software if item.installed_on]
    assert dated and all(len(item.installed_on or "") == 10 for item in dated)  # "2025/04/20 00:00:00" → ISO


def test_both_agents_on_the_same_machine_report_the_same_hostname_and_physical_macs() -> None:
    assert fusion().hostname == ocs().hostname
    assert set(fusion().physical_macs()) & set(ocs().physical_macs())


def test_digest_is_stable_and_changes_with_the_software_list() -> None:
    first, second = fusion(), fusion()
    assert first.digest() == second.digest()
    assert first.software is not None
    first.software = first.software[1:]
    assert first.digest() != second.digest()


def test_round_trip_through_json_keeps_everything() -> None:
    inventory = parsers.inventory_from_json(glpi("glpi-inventory.json"))
    again = Inventory.from_dict(json.loads(json.dumps(inventory.to_dict())))
    assert again == inventory
    assert again.digest() == inventory.digest()


def test_crafted_inventory_fields() -> None:
    inventory = parsers.inventory_from_xml(parsers.parse_xml(xml_inventory(software=3, mac="00-1A-2B-3C-4D-5E")))
    assert (inventory.serial, inventory.hardware_uuid) == ("5CD1234XYZ", "4C4C4544-0034-3010-8048-B6C04F503732")
    assert inventory.manufacturer == "Dell Inc."
    assert inventory.physical_macs() == ["00:1A:2B:3C:4D:5E"]
    assert inventory.main_ip == "10.46.12.42"
    primary = inventory.primary_interface()
    assert primary is not None and (primary.name, primary.ip) == ("eth0", "10.46.12.42")
    assert [item.installed_on for item in inventory.software or []] == ["2025-03-02"] * 3  # dd/mm/yyyy


# --- GLPI Agent JSON --------------------------------------------------------------------------------------------


def test_glpi_inventory_becomes_the_normalised_form() -> None:
    inventory = parsers.inventory_from_json(glpi("glpi-inventory.json"))
    assert inventory.agent_type == "glpi"
    assert inventory.hostname == "BIM-PC-042"
    assert inventory.serial == "5CD1234XYZ"
    assert inventory.hardware_uuid == "6F1C2A4E-9B3D-4E1A-8C7F-2D5E6A7B8C90"
    assert inventory.manufacturer == "HP"
    assert inventory.os_name == "Microsoft Windows 10 Pro"
    assert inventory.logged_user == "ayse.yilmaz"
    assert inventory.antivirus == [Antivirus("Windows Defender", True, True)]
    assert inventory.physical_macs() == ["A0:8C:FD:12:34:56"]
    software = inventory.software or []
    assert len(software) == 6  # the duplicated Edge line is one installation
    assert {"e-İmza Aracı", "Akıllı Kart Sürücüsü"} <= {item.name for item in software}


def test_partial_glpi_inventory_without_software_leaves_software_unreported() -> None:
    message = glpi("glpi-inventory.json")
    message["partial"] = True
    del message["content"]["softwares"], message["content"]["networks"]
    inventory = parsers.inventory_from_json(message)
    assert inventory.software is None and inventory.interfaces is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "Malformed JSON"),
        (b"[1, 2]", "must be an object"),
        (b"[" * 100_000 + b"]" * 100_000, "Malformed JSON"),
    ],
)
def test_bad_json_is_refused(body: bytes, message: str) -> None:
    with pytest.raises(WireError, match=message):
        parsers.parse_json(body)


def test_glpi_inventory_without_deviceid_or_content_is_refused() -> None:
    with pytest.raises(WireError, match="deviceid"):
        parsers.inventory_from_json({"action": "inventory", "content": {}})
    with pytest.raises(WireError, match="content"):
        parsers.inventory_from_json({"action": "inventory", "deviceid": "x", "content": "nope"})
    with pytest.raises(WireError, match="softwares"):
        parsers.inventory_from_json({"deviceid": "x", "content": {"softwares": "nope"}})


# --- Hostile and malformed XML ------------------------------------------------------------------------------------


def test_entity_expansion_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE REQUEST [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<REQUEST><DEVICEID>&c;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"
    )
    with pytest.raises(WireError, match="DTD"):
        parsers.parse_xml(bomb)


def test_external_entities_are_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE REQUEST [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<REQUEST><DEVICEID>&x;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"
    )
    with pytest.raises(WireError, match="DTD"):
        parsers.parse_xml(xxe)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (inflated("fusion-2.6-inventory.zlib")[:5000], "Malformed XML"),
        (b"<html><body>hello</body></html>", "root element must be REQUEST"),
        (b"<REQUEST><QUERY>PROLOG</QUERY></REQUEST>", "DEVICEID is missing"),
        (b"<REQUEST><DEVICEID>" + b"x" * 300 + b"</DEVICEID></REQUEST>", "longer than 200"),
    ],
)
def test_malformed_or_incomplete_xml_is_refused(body: bytes, message: str) -> None:
    with pytest.raises(WireError, match=message):
        parsers.xml_query(parsers.parse_xml(body))


def test_inventory_without_content_is_refused() -> None:
    with pytest.raises(WireError, match="CONTENT"):
        parsers.inventory_from_xml(parsers.parse_xml(b"<REQUEST><DEVICEID>a</DEVICEID></REQUEST>"))


def test_windows_1254_bytes_and_control_characters_do_not_lose_the_inventory() -> None:
    body = xml_inventory(software=1, hostname="MALİYE-PC").decode().replace("package-0000", "Ağ\x07 Sürücüsü")
    inventory = parsers.inventory_from_xml(parsers.parse_xml(body.encode("cp1254")))
    assert inventory.hostname == "MALİYE-PC"
    assert [item.name for item in inventory.software or []] == ["Ağ Sürücüsü"]


# --- Normalisation helpers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("aa-bb-cc-dd-ee-ff", "AA:BB:CC:DD:EE:FF"),
        ("aabb.ccdd.eeff", "AA:BB:CC:DD:EE:FF"),
        ("AABBCCDDEEFF", "AA:BB:CC:DD:EE:FF"),
        ("00:00:00:00:00:00", ""),
        ("not a mac", ""),
        (None, ""),
    ],
)
def test_mac_addresses_are_normalised_to_upper_colon_form(value: object, expected: str) -> None:
    assert normalize_mac(value) == expected


def test_placeholder_serials_and_uuids_never_match_anything() -> None:
    for junk in ("To Be Filled By O.E.M.", "Default string", "System Serial Number", "0000000", " "):
        assert clean_serial(junk) == ""
    assert clean_serial(" 5CD1234XYZ ") == "5CD1234XYZ"
    assert clean_uuid("00000000-0000-0000-0000-000000000000") == ""
    assert clean_uuid("03000200-0400-0500-0006-000700080009") == ""
    assert clean_uuid("4c4c4544-0034") == "4C4C4544-0034"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025/04/20 00:00:00", "2025-04-20"),
        ("20/04/2025", "2025-04-20"),
        ("2025-04-20", "2025-04-20"),
        ("20250420", "2025-04-20"),
        ("20.04.2025", "2025-04-20"),
        ("12/31/2024", "2024-12-31"),
        ("2025-04-20T10:00:00", "2025-04-20"),
        ("1970-00-01", None),
        ("garbage", None),
    ],
)
def test_install_dates_in_every_agent_format(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


def test_software_key_folds_turkish_and_case() -> None:
    assert software_key("TÜBİTAK BİLGEM", "e-İmza Aracı") == software_key("tübitak bilgem", "E-İMZA ARACI")
    assert software_key("Mozilla", "Firefox") != software_key("Mozilla", "Thunderbird")
