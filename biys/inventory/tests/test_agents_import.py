"""The import pipeline: matching without merging, the review queue, no churn, the change log."""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from biys.core.context import acting_as
from biys.core.models import ChangeLogEntry
from biys.inventory.agents import parsers, review, services, tasks
from biys.inventory.agents.matching import match_asset, same_vendor
from biys.inventory.agents.normal import Inventory
from biys.inventory.models import AgentLink, Asset, DiscoveredDevice, Installation, NetworkInterface, Software
from biys.inventory.tests import factories
from biys.inventory.tests.agent_fixtures import glpi, xml_inventory

pytestmark = pytest.mark.django_db
Reason, Status = DiscoveredDevice.Reason, DiscoveredDevice.Status


def report(*args: Any, **kwargs: Any) -> Inventory:
    return parsers.inventory_from_xml(parsers.parse_xml(xml_inventory(*args, **kwargs)))


def make_asset(**fields: Any) -> Asset:
    asset = factories.asset()
    for name, value in fields.items():
        setattr(asset, name, value)
    asset.save()
    return asset


def logged(model: str, action: str) -> int:
    return ChangeLogEntry.objects.filter(content_type__model=model, action=action).count()


# --- Unregistered and matched machines ----------------------------------------------------------------------------


def test_unknown_machine_goes_to_the_review_queue_and_nothing_else_is_written() -> None:
    bystander = make_asset(serial="OTHER-1")
    result = services.import_inventory(report())
    assert result.outcome == "queued" and result.reason == Reason.UNREGISTERED
    device = DiscoveredDevice.objects.get()
    assert (device.hostname, device.serial, device.status) == ("PC-0042", "5CD1234XYZ", Status.PENDING)
    assert device.mac_addresses == ["00:1A:2B:3C:4D:5E"]
    assert len(device.inventory["software"]) == 150
    assert not AgentLink.objects.exists() and not Installation.objects.exists()
    bystander.refresh_from_db()
    assert bystander.hostname == ""


def test_serial_and_manufacturer_match_updates_asset_link_software_and_interfaces() -> None:
    asset = make_asset(serial="5CD1234XYZ", brand="Dell")
    result = services.import_inventory(report())
    assert (result.outcome, result.asset_id, result.software_added) == ("updated", asset.pk, 150)
    asset.refresh_from_db()
    assert (asset.hostname, asset.ip_address, asset.mac_address) == ("PC-0042", "10.46.12.42", "00:1A:2B:3C:4D:5E")
    assert asset.hardware_uuid == "4C4C4544-0034-3010-8048-B6C04F503732"
    assert asset.last_seen_at is not None
    link = AgentLink.objects.get(asset=asset)
    assert (link.agent_type, link.os_name, link.logged_user) == (
        "fusion",
        "Debian GNU/Linux 12 (bookworm)",
        "ayse.yilmaz",
    )
    assert link.memory_mb == 16259 and link.cpu.startswith("Intel(R) Core(TM) i5")
    assert len(link.inventory_hash) == 64 and link.last_inventory is not None
    assert Installation.objects.filter(asset=asset).count() == 150
    assert list(NetworkInterface.objects.filter(asset=asset).values_list("name", flat=True)) == ["eth0"]
    entry = (
        ChangeLogEntry.objects.filter(content_type__model="asset", object_id=str(asset.pk), action="update")
        .order_by("id")
        .last()
    )
    assert entry is not None and {"hostname", "ip_address", "mac_address", "hardware_uuid"} <= {
        name for name, _before, _after in entry.changed_fields()
    }


def test_same_serial_of_another_manufacturer_is_not_a_match() -> None:
    make_asset(serial="5CD1234XYZ", brand="HP")
    assert services.import_inventory(report(uuid="", mac="")).reason == Reason.UNREGISTERED


def test_manufacturer_spellings_compare_by_vendor() -> None:
    assert same_vendor("Dell", "Dell Inc.") and same_vendor("HP", "Hewlett-Packard")
    assert same_vendor("LENOVO", "Lenovo") and same_vendor("", "Anything")
    assert not same_vendor("HP", "Dell Inc.")


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"hardware_uuid": "4c4c4544-0034-3010-8048-b6c04f503732"}, "uuid"),
        ({"mac_address": "00:1a:2b:3c:4d:5e"}, "mac"),
        ({"mac_address": "00:1A:2B:3C:4D:5E"}, "mac"),
    ],
)
def test_uuid_or_mac_of_a_physical_interface_matches(fields: dict[str, str], rule: str) -> None:
    asset = make_asset(**fields)
    match = match_asset(report(serial=""))
    assert match.asset == asset and match.rules == [rule]


def test_mac_known_from_an_earlier_inventory_matches() -> None:
    asset = make_asset()
    NetworkInterface.objects.create(asset=asset, name="eth0", mac_address="00:1A:2B:3C:4D:5E")
    assert match_asset(report(serial="", uuid="")).asset == asset


def test_loopback_and_virtual_macs_never_match() -> None:
    make_asset(mac_address="00:00:00:00:00:00")
    extra = (
        "<NETWORKS><DESCRIPTION>tap0</DESCRIPTION><MACADDR>00:FF:00:00:00:01</MACADDR>"
        "<VIRTUALDEV>1</VIRTUALDEV></NETWORKS>"
    )
    make_asset(mac_address="00:FF:00:00:00:01")
    assert match_asset(report(serial="", uuid="", mac="", extra=extra)).reason == Reason.UNREGISTERED


# --- Never merge --------------------------------------------------------------------------------------------------


def test_rules_pointing_to_two_assets_is_ambiguous_and_neither_is_touched() -> None:
    by_serial = make_asset(serial="5CD1234XYZ", brand="Dell")
    by_mac = make_asset(mac_address="00:1A:2B:3C:4D:5E")
    result = services.import_inventory(report())
    assert result.reason == Reason.AMBIGUOUS
    device = DiscoveredDevice.objects.get()
    assert set(device.candidates.values_list("pk", flat=True)) == {by_serial.pk, by_mac.pk}
    assert not AgentLink.objects.exists() and not Installation.objects.exists()
    for asset in (by_serial, by_mac):
        asset.refresh_from_db()
        assert asset.hostname == "" and asset.last_seen_at is None


def test_one_rule_finding_two_assets_is_ambiguous() -> None:
    first, second = make_asset(mac_address="00:1A:2B:3C:4D:5E"), make_asset(mac_address="00:1A:2B:3C:4D:5E")
    match = match_asset(report(serial="", uuid=""))
    assert (match.reason, match.candidates) == (Reason.AMBIGUOUS, sorted([first.pk, second.pk]))


def test_asset_with_another_uuid_is_a_conflict_not_an_update() -> None:
    asset = make_asset(mac_address="00:1A:2B:3C:4D:5E", hardware_uuid="11111111-2222-3333-4444-555555555555")
    result = services.import_inventory(report(serial=""))
    assert result.reason == Reason.CONFLICT
    assert list(DiscoveredDevice.objects.get().candidates.all()) == [asset]
    asset.refresh_from_db()
    assert asset.hardware_uuid == "11111111-2222-3333-4444-555555555555"


def test_asset_with_another_serial_is_a_conflict() -> None:
    make_asset(hardware_uuid="4C4C4544-0034-3010-8048-B6C04F503732", serial="CN0OTHER")
    assert services.import_inventory(report()).reason == Reason.CONFLICT


def test_scrapped_asset_reporting_is_a_conflict() -> None:
    make_asset(serial="5CD1234XYZ", status=Asset.Status.SCRAPPED)
    assert services.import_inventory(report()).reason == Reason.CONFLICT


# --- No churn -----------------------------------------------------------------------------------------------------


def test_reinventory_of_an_unchanged_machine_writes_only_contact_timestamps() -> None:
    asset = make_asset(serial="5CD1234XYZ", brand="Dell")
    services.import_inventory(report())
    link = AgentLink.objects.get()
    before = (
        ChangeLogEntry.objects.count(),
        sorted(Installation.objects.values_list("pk", flat=True)),
        Software.objects.count(),
        link.updated_at,
        Asset.objects.get(pk=asset.pk).updated_at,
    )
    with CaptureQueriesContext(connection) as queries:
        result = services.import_inventory(report())
    assert result.outcome == "unchanged"
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert not [sql for sql in writes if "INSERT" in sql.upper() or "DELETE" in sql.upper()], writes
    assert all("last_contact" in sql or "last_seen_at" in sql for sql in writes if "UPDATE" in sql.upper()), writes
    link.refresh_from_db()
    after = (
        ChangeLogEntry.objects.count(),
        sorted(Installation.objects.values_list("pk", flat=True)),
        Software.objects.count(),
        link.updated_at,
        Asset.objects.get(pk=asset.pk).updated_at,
    )
    assert after == before
    assert link.last_contact is not None and link.last_contact >= link.created_at


def test_changed_software_inserts_only_new_and_deletes_only_removed_installations() -> None:
    make_asset(serial="5CD1234XYZ", brand="Dell")
    services.import_inventory(report(software=10))
    names = [f"package-{n:04d}" for n in range(1, 10)]
    kept = set(Installation.objects.filter(software__name__in=names).values_list("pk", flat=True))
    created, deleted = logged("installation", "create"), logged("installation", "delete")
    changed = report(software=12, ip="10.46.12.43")
    changed.software = [item for item in changed.software or [] if item.name != "package-0000"]
    result = services.import_inventory(changed)
    assert (result.software_added, result.software_removed) == (2, 1)
    assert kept <= set(Installation.objects.values_list("pk", flat=True))
    assert Installation.objects.count() == 11
    assert (logged("installation", "create") - created, logged("installation", "delete") - deleted) == (2, 1)
    assert Asset.objects.get().ip_address == "10.46.12.43"
    assert NetworkInterface.objects.get().ip_address == "10.46.12.43"


def test_software_rows_are_shared_between_machines_and_folded() -> None:
    make_asset(serial="5CD1234XYZ", brand="Dell")
    make_asset(serial="5CD9999ABC", brand="Dell")
    services.import_inventory(report(software=20))
    services.import_inventory(
        report("PC-0043-x", hostname="PC-0043", serial="5CD9999ABC", uuid="", mac="", software=25)
    )
    assert Software.objects.count() == 25
    assert Installation.objects.count() == 45
    software = Software.objects.get(name="package-0003")
    assert software.normalized == "vendor 3|package-0003"


def test_partial_report_without_software_keeps_installations() -> None:
    message = glpi("glpi-inventory.json")
    asset = make_asset(serial="5CD1234XYZ", brand="HP")
    services.import_inventory(parsers.inventory_from_json(message))
    assert Installation.objects.filter(asset=asset).count() == 6
    message["partial"] = True
    del message["content"]["softwares"]
    message["content"]["hardware"]["lastloggeduser"] = "mehmet.kaya"
    del message["content"]["users"]
    services.import_inventory(parsers.inventory_from_json(message))
    assert Installation.objects.filter(asset=asset).count() == 6
    assert AgentLink.objects.get().logged_user == "mehmet.kaya"


def test_glpi_report_fills_antivirus_and_os_of_the_link() -> None:
    make_asset(serial="5CD1234XYZ", brand="HP")
    services.import_inventory(parsers.inventory_from_json(glpi("glpi-inventory.json")))
    link = AgentLink.objects.get()
    assert (link.agent_type, link.antivirus, link.antivirus_up_to_date) == ("glpi", "Windows Defender", True)
    assert (link.os_name, link.os_version, link.agent_version) == (
        "Microsoft Windows 10 Pro",
        "22H2",
        "GLPI-Agent_v1.7",
    )


def test_antivirus_summary() -> None:
    from biys.inventory.agents.normal import Antivirus

    assert services.antivirus_summary([]) == ("", None)
    assert services.antivirus_summary([Antivirus("ESET", False, True)]) == ("ESET (off)", False)
    assert services.antivirus_summary([Antivirus("ESET", True, False)]) == ("ESET", False)
    assert services.antivirus_summary([Antivirus("ESET", True, None)]) == ("ESET", None)


# --- Device ids, the queue over time, configuration ---------------------------------------------------------------


def test_linked_device_id_is_enough_later_and_a_new_device_id_moves_the_link() -> None:
    asset = make_asset(serial="5CD1234XYZ", brand="Dell")
    services.import_inventory(report())
    assert match_asset(report(serial="", uuid="", mac="")).asset == asset
    renamed = report("PC-0042-2026-04-01-08-00-00")
    renamed.old_device_id = "PC-0042-2026-03-02-09-00-00"
    services.import_inventory(renamed)
    assert list(AgentLink.objects.values_list("device_id", flat=True)) == ["PC-0042-2026-04-01-08-00-00"]


def test_queued_device_leaves_the_queue_when_its_asset_is_registered() -> None:
    services.import_inventory(report())
    assert DiscoveredDevice.objects.exists()
    asset = make_asset(serial="5CD1234XYZ", brand="Dell")
    assert services.import_inventory(report()).outcome == "updated"
    assert not DiscoveredDevice.objects.exists()
    assert AgentLink.objects.get().asset == asset
    assert logged("discovereddevice", "delete") == 1


def test_ignored_device_stays_ignored_but_its_report_is_refreshed() -> None:
    services.import_inventory(report(software=3))
    device = DiscoveredDevice.objects.get()
    review.ignore_device(device)
    services.import_inventory(report(software=5, hostname="PC-0042-NEW"))
    device.refresh_from_db()
    assert (device.status, device.hostname, len(device.inventory["software"])) == (Status.IGNORED, "PC-0042-NEW", 5)


def test_unchanged_queued_report_only_touches_last_contact() -> None:
    services.import_inventory(report())
    device = DiscoveredDevice.objects.get()
    entries = ChangeLogEntry.objects.count()
    services.import_inventory(report())
    refreshed = DiscoveredDevice.objects.get()
    assert (refreshed.updated_at, ChangeLogEntry.objects.count()) == (device.updated_at, entries)
    assert refreshed.last_contact and device.last_contact and refreshed.last_contact > device.last_contact


def test_a_persons_link_is_trusted_at_the_next_reports() -> None:
    asset = make_asset(mac_address="00:1A:2B:3C:4D:5E", hardware_uuid="11111111-2222-3333-4444-555555555555")
    services.import_inventory(report(serial=""))
    device = DiscoveredDevice.objects.get()
    result = review.link_device(device, asset)
    assert result.outcome == "updated"
    asset.refresh_from_db()
    assert asset.hardware_uuid == "4C4C4544-0034-3010-8048-B6C04F503732"  # a person's word replaces it
    device.refresh_from_db()
    assert (device.status, device.asset) == (Status.LINKED, asset)
    other = make_asset(mac_address="00:1A:2B:3C:4D:5E")  # would make the MAC rule ambiguous
    assert services.import_inventory(report(serial="", software=151)).outcome == "updated"
    other.refresh_from_db()
    assert other.hostname == "" and Installation.objects.filter(asset=asset).count() == 151


@override_settings(BIYS_AGENT_MATCH_RULES="device_id,uuid")
def test_match_rules_are_configurable() -> None:
    make_asset(serial="5CD1234XYZ", brand="Dell")
    assert match_asset(report(uuid="")).reason == Reason.UNREGISTERED


@override_settings(BIYS_AGENT_MATCH_RULES="uuid,hostname")
def test_unknown_match_rule_is_a_configuration_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="hostname"):
        match_asset(report())


# --- Task, change log, speed --------------------------------------------------------------------------------------


def test_task_imports_the_json_argument_and_the_change_log_names_the_request() -> None:
    asset = make_asset(serial="5CD1234XYZ", brand="Dell")
    result = tasks.import_inventory.enqueue(inventory=report().to_dict(), request_id="agent-req-0001", ip="10.46.12.42")
    assert result.return_value["outcome"] == "updated"
    entry = (
        ChangeLogEntry.objects.filter(content_type__model="asset", object_id=str(asset.pk), action="update")
        .order_by("id")
        .last()
    )
    assert entry is not None and (entry.request_id, entry.ip, entry.user_id) == ("agent-req-0001", "10.46.12.42", None)


def test_unchanged_import_of_150_software_takes_well_under_50_ms(capsys: pytest.CaptureFixture[str]) -> None:
    make_asset(serial="5CD1234XYZ", brand="Dell")
    body = xml_inventory(software=150)
    started = time.perf_counter()
    services.import_inventory(report(software=150))
    first = time.perf_counter() - started
    timings = []
    for _round in range(15):
        started = time.perf_counter()
        with acting_as(None):
            inventory = parsers.inventory_from_xml(parsers.parse_xml(body))
            outcome = services.import_inventory(inventory).outcome
        timings.append(time.perf_counter() - started)
        assert outcome == "unchanged"
    median = statistics.median(timings) * 1000
    summary = (
        f"first import of 150 software: {first * 1000:.0f} ms; unchanged re-import (parse + import): "
        f"median {median:.1f} ms, max {max(timings) * 1000:.1f} ms ({connection.vendor})"
    )
    with capsys.disabled():
        print(f"\n[agents] {summary}")
    assert median < 50
