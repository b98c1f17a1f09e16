"""The real agents (Debian's fusioninventory-agent 2.6 and ocsinventory-agent 2.10) against a running
server. They only ever talk to 127.0.0.1: the server URL is the loopback address of the live server,
and they run with an emptied environment (no proxy variables) and an empty configuration file.
Each run is bounded; a missing agent fails the test and says how to install it."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from biys.core.testing import make_user
from biys.inventory.models import AgentLink, Asset, DiscoveredDevice, Installation
from biys.inventory.tests import factories

FUSION = Path("/usr/bin/fusioninventory-agent")
OCS = Path("/usr/bin/ocsinventory-agent")
RUN_TIMEOUT = 60
pytestmark = pytest.mark.django_db(transaction=True)


def require(binary: Path, package: str) -> None:
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(
            f"{binary} is missing: these tests drive the real agent of the Debian package {package}. "
            f"Run `make test` (it installs it) or `apt-get install {package}`.",
            pytrace=False,
        )


def endpoint(live_server: Any, path: str = "/ocsinventory") -> str:
    port = live_server.thread.port
    return f"http://127.0.0.1:{port}{path}"


def run(command: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    try:
        done = subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{command[0]} did not finish within {RUN_TIMEOUT} s: {exc.stderr!r}", pytrace=False)
    assert done.returncode == 0, f"{command[0]} exited {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done


def fusion(
    live_server: Any, tmp_path: Path, *extra: str, path: str = "/ocsinventory"
) -> subprocess.CompletedProcess[str]:
    require(FUSION, "fusioninventory-agent")
    config = tmp_path / "agent.cfg"
    config.write_text("")  # nothing from /etc/fusioninventory: no other server, no proxy, no daemon
    command = [
        str(FUSION),
        f"--conf-file={config}",
        f"--server={endpoint(live_server, path)}",
        "--tasks=inventory",
        "--no-httpd",
        "--logger=stderr",
        "--timeout=30",
        "--backend-collect-timeout=30",
        *extra,
    ]
    return run(command, tmp_path)


def ocs(live_server: Any, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    require(OCS, "ocsinventory-agent")
    command = [
        str(OCS),
        f"--server={endpoint(live_server)}",
        "--nolocal",
        f"--basevardir={tmp_path / 'ocs'}",
        f"--logfile={tmp_path / 'ocs.log'}",
        "--backend-collect-timeout=30",
        *extra,
    ]
    return run(command, tmp_path)


def hostname() -> str:
    return socket.gethostname().split(".")[0]


def physical_mac() -> str:
    """The MAC of a network interface backed by a device (not under /sys/devices/virtual)."""
    for interface in sorted(Path("/sys/class/net").iterdir()):
        address = (interface / "address").read_text().strip().upper() if (interface / "address").exists() else ""
        if "/virtual/" not in str(interface.resolve()) and address and address != "00:00:00:00:00:00":
            return address
    pytest.fail("This machine has no physical network interface to match an asset by MAC.", pytrace=False)


def technician() -> Client:
    client = Client()
    client.force_login(make_user("teknisyen", unit=factories.unit(), roles=("uzman",)))
    return client


def test_fusioninventory_agent_lands_in_the_queue_then_reports_into_the_linked_asset(
    live_server: Any, tmp_path: Path
) -> None:
    fusion(live_server, tmp_path)
    device = DiscoveredDevice.objects.get(hostname=hostname())
    assert (device.agent_type, device.reason, device.status) == ("fusion", "unregistered", "pending")
    assert device.inventory["agent_version"].startswith("FusionInventory-Agent_v2.6")
    assert len(device.inventory["software"]) > 50

    asset = factories.asset()
    response = technician().post(f"/envanter/agents/devices/{device.pk}/link/", {"sicil_no": asset.sicil_no})
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.hostname == hostname()
    link = AgentLink.objects.get(asset=asset)
    assert (link.device_id, link.agent_type) == (device.device_id, "fusion")
    installed = set(Installation.objects.filter(asset=asset).values_list("pk", flat=True))
    assert len(installed) > 50
    first_contact = link.last_contact

    fusion(live_server, tmp_path)  # the second run of the same machine
    assert set(Installation.objects.filter(asset=asset).values_list("pk", flat=True)) == installed
    link.refresh_from_db()
    assert link.last_contact and first_contact and link.last_contact > first_contact
    assert DiscoveredDevice.objects.get(pk=device.pk).status == "linked"


def test_ocs_agent_is_matched_by_mac_and_its_forced_second_run_writes_no_installation(
    live_server: Any, tmp_path: Path
) -> None:
    asset = factories.asset()
    asset.mac_address = physical_mac()
    asset.save()
    ocs(live_server, tmp_path)  # PROLOG → SEND → INVENTORY
    asset.refresh_from_db()
    assert asset.hostname == hostname() and asset.last_seen_at is not None
    link = AgentLink.objects.get(asset=asset)
    assert link.agent_type == "ocs" and link.agent_version.startswith("OCS-NG_unified_unix_agent_v2.10")
    assert link.os_name
    installed = set(Installation.objects.filter(asset=asset).values_list("pk", flat=True))
    assert len(installed) > 50
    assert not DiscoveredDevice.objects.exists()

    ocs(live_server, tmp_path, "--force")  # no PROLOG, straight to INVENTORY
    assert set(Installation.objects.filter(asset=asset).values_list("pk", flat=True)) == installed
    assert Asset.objects.count() == 1


def test_both_agents_speak_basic_auth_when_the_server_demands_it(
    live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.BIYS_AGENT_USER, settings.BIYS_AGENT_PASSWORD, settings.BIYS_AGENT_REALM = (
        "envanter",
        "Ajan-Parola-7",
        "BIYS",
    )
    fusion(live_server, tmp_path, "--user=envanter", "--password=Ajan-Parola-7", path="/front/inventory.php")
    assert DiscoveredDevice.objects.filter(agent_type="fusion").count() == 1
    # The OCS unix agent 2.10 base64-decodes --user and --password (Ocsinventory::Agent::Encrypt).
    user, password = (base64.b64encode(text.encode()).decode() for text in ("envanter", "Ajan-Parola-7"))
    ocs(live_server, tmp_path, f"--user={user}", f"--password={password}", "--realm=BIYS")
    assert DiscoveredDevice.objects.filter(agent_type="ocs").count() == 1
    (tmp_path / "anonymous").mkdir()
    run_without = fusion(live_server, tmp_path / "anonymous")  # refused: nothing new arrives
    assert "authentication required" in run_without.stderr
    assert DiscoveredDevice.objects.count() == 2
