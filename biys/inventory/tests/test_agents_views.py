"""The review queue pages and API (BİG 3.1.1.3): who sees what, and the link/register/ignore decisions."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from biys.core.testing import make_user
from biys.inventory.agents import parsers, services
from biys.inventory.models import AgentLink, Asset, Depot, DiscoveredDevice, Installation
from biys.inventory.tests import factories
from biys.inventory.tests.agent_fixtures import xml_inventory
from biys.users.models import ApiToken

pytestmark = pytest.mark.django_db
LIST = "/envanter/agents/devices/"
LINKS = "/envanter/agents/links/"


def queue(device_id: str = "PC-0042-2026-03-02-09-00-00", **kwargs: Any) -> DiscoveredDevice:
    inventory = parsers.inventory_from_xml(parsers.parse_xml(xml_inventory(device_id, software=5, **kwargs)))
    services.import_inventory(inventory)
    return DiscoveredDevice.objects.get(device_id=device_id)


def own_depot(unit: Any) -> Depot:
    """A depot of the user's own unit: depots are scoped to their unit."""
    return Depot.objects.create(unit=unit, institutional_code=f"46.{unit.pk}", code="01", name="Bilgi İşlem Ambarı")


@pytest.fixture
def unit() -> Any:
    return factories.unit()


@pytest.fixture
def technician(unit: Any) -> Client:
    client = Client()
    client.force_login(make_user("teknisyen", unit=unit, roles=("uzman",)))
    return client


def page(client: Client, url: str, **data: Any) -> Any:
    return client.get(url, data)


def test_anonymous_is_sent_to_login_and_other_staff_get_403(unit: Any) -> None:
    device = queue()
    for url in (LIST, f"{LIST}{device.pk}/", LINKS):
        response = Client().get(url)
        assert response.status_code == 302 and "/hesap/" in response["Location"]
    requester = Client()
    requester.force_login(make_user("talep", unit=unit, roles=("birim_kullanicisi",)))
    assert requester.get(LIST).status_code == 403
    assert requester.get(f"{LIST}{device.pk}/").status_code == 403


def test_queue_is_for_it_staff_only(unit: Any) -> None:
    device = queue()
    viewer = Client()
    viewer.force_login(make_user("izleyici", unit=unit, perms=("inventory.view_discovereddevice",)))
    assert device.hostname not in viewer.get(LIST).content.decode()
    assert viewer.get(f"{LIST}{device.pk}/").status_code == 404


def test_list_shows_pending_devices_by_default_and_filters(technician: Client) -> None:
    pending = queue(hostname="MALİYE-PC")
    ignored = queue("PC-0099", hostname="ARŞİV-PC", serial="X9", uuid="", mac="00:00:00:00:00:99")
    ignored.status = DiscoveredDevice.Status.IGNORED
    ignored.save()
    body = page(technician, LIST).content.decode()
    assert "MALİYE-PC" in body and "ARŞİV-PC" not in body
    assert "ARŞİV-PC" in page(technician, LIST, status="ignored").content.decode()
    assert "ARŞİV-PC" in page(technician, LIST, status="").content.decode()
    found = page(technician, LIST, q="maliye", status="").content.decode()
    assert "MALİYE-PC" in found and "ARŞİV-PC" not in found
    assert f"{LIST}{pending.pk}/" in body


def test_list_query_count_is_constant(technician: Client) -> None:
    queue()
    technician.get(LIST)
    with CaptureQueriesContext(connection) as few:
        technician.get(LIST)
    for number in range(6):
        queue(f"PC-1{number}", serial=f"S{number}", uuid="", mac=f"00:00:00:00:01:{number:02d}")
    with CaptureQueriesContext(connection) as many:
        technician.get(LIST)
    assert len(few) == len(many)


def test_detail_shows_the_report_candidates_and_history(technician: Client) -> None:
    first = factories.asset()
    first.serial, first.brand = "5CD1234XYZ", "Dell"
    first.save()
    second = factories.asset()
    second.mac_address = "00:1A:2B:3C:4D:5E"
    second.save()
    device = queue()
    assert device.reason == DiscoveredDevice.Reason.AMBIGUOUS
    body = technician.get(f"{LIST}{device.pk}/").content.decode()
    assert first.sicil_no in body and second.sicil_no in body
    assert "Debian GNU/Linux 12 (bookworm)" in body and "00:1A:2B:3C:4D:5E" in body
    history = technician.get(f"{LIST}{device.pk}/history/")
    assert history.status_code == 200 and len(history.context["entries"]) >= 1


def test_link_to_an_asset_imports_the_stored_report(technician: Client) -> None:
    device = queue()
    asset = factories.asset()
    response = technician.post(f"{LIST}{device.pk}/link/", {"sicil_no": asset.sicil_no})
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.status, device.asset) == (DiscoveredDevice.Status.LINKED, asset)
    assert AgentLink.objects.get(asset=asset).device_id == device.device_id
    assert Installation.objects.filter(asset=asset).count() == 5
    asset.refresh_from_db()
    assert asset.hostname == "PC-0042"


def test_link_to_an_unknown_registry_number_changes_nothing(technician: Client) -> None:
    device = queue()
    response = technician.post(f"{LIST}{device.pk}/link/", {"sicil_no": "255.99-26-00001"}, follow=True)
    assert "No asset with registry number 255.99-26-00001" in response.content.decode()
    device.refresh_from_db()
    assert device.status == DiscoveredDevice.Status.PENDING and not AgentLink.objects.exists()


def test_link_to_a_scrapped_asset_is_refused(technician: Client) -> None:
    device = queue()
    asset = factories.asset()
    asset.status = Asset.Status.SCRAPPED
    asset.save()
    response = technician.post(f"{LIST}{device.pk}/link/", {"sicil_no": asset.sicil_no}, follow=True)
    assert "has left the register" in response.content.decode()
    assert not AgentLink.objects.exists()


def test_register_as_a_new_asset_uses_the_register_and_the_report(technician: Client, unit: Any) -> None:
    device = queue()
    form = technician.get(f"{LIST}{device.pk}/register/")
    assert form.status_code == 200
    kind, depot = factories.kind(), own_depot(unit)
    data = {"kind": kind.pk, "depot": depot.pk, "owner_unit": unit.pk, "entry_year": timezone.localdate().year}
    response = technician.post(f"{LIST}{device.pk}/register/", {**data, "name": "Maliye bilgisayarı"})
    assert response.status_code == 302, response.content[:2000]
    asset = Asset.objects.get(serial="5CD1234XYZ")
    assert (asset.name, asset.hostname, asset.brand, asset.mac_address) == (
        "Maliye bilgisayarı",
        "PC-0042",
        "Dell Inc.",
        "00:1A:2B:3C:4D:5E",
    )
    assert asset.sicil_no.startswith(kind.tasinir_code.code)
    device.refresh_from_db()
    assert (device.status, device.asset) == (DiscoveredDevice.Status.REGISTERED, asset)
    assert Installation.objects.filter(asset=asset).count() == 5
    again = technician.post(f"{LIST}{device.pk}/register/", data)
    assert again.status_code == 422 and "already been linked" in again.content.decode()


def test_register_with_an_already_registered_serial_shows_the_error(technician: Client, unit: Any) -> None:
    device = queue(mac="", uuid="")
    other = factories.asset()
    other.serial, other.brand = "5CD1234XYZ", "HP"  # another vendor: not a match, but the serial is taken
    other.save()
    kind, depot = factories.kind(), own_depot(unit)
    data = {"kind": kind.pk, "depot": depot.pk, "owner_unit": unit.pk, "entry_year": timezone.localdate().year}
    response = technician.post(f"{LIST}{device.pk}/register/", data)
    assert response.status_code == 422
    assert "Already registered" in response.content.decode()
    assert Asset.objects.count() == 1 and DiscoveredDevice.objects.get().status == DiscoveredDevice.Status.PENDING


def test_ignore_and_auditors_cannot_decide(technician: Client, unit: Any) -> None:
    device = queue()
    auditor = Client()
    auditor.force_login(make_user("denetci", unit=unit, roles=("denetci",)))
    assert auditor.get(f"{LIST}{device.pk}/").status_code == 200
    assert auditor.post(f"{LIST}{device.pk}/ignore/").status_code == 403
    assert auditor.post(f"{LIST}{device.pk}/link/", {"sicil_no": "x"}).status_code == 403
    assert technician.post(f"{LIST}{device.pk}/ignore/").status_code == 302
    device.refresh_from_db()
    assert device.status == DiscoveredDevice.Status.IGNORED


def test_agent_links_list_shows_last_contact_with_constant_queries(technician: Client) -> None:
    def linked(number: int) -> None:
        asset = factories.asset()
        AgentLink.objects.create(
            asset=asset, device_id=f"pc-{number}", agent_type="ocs", os_name="Pardus 23", last_contact=timezone.now()
        )

    linked(0)
    response = technician.get(LINKS)
    assert response.status_code == 200 and "Pardus 23" in response.content.decode()
    with CaptureQueriesContext(connection) as few:
        technician.get(LINKS)
    for number in range(1, 6):
        linked(number)
    with CaptureQueriesContext(connection) as many:
        technician.get(LINKS)
    assert len(few) == len(many)


# --- API ----------------------------------------------------------------------------------------------------------


def token(username: str, unit: Any, roles: tuple[str, ...]) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {ApiToken.issue(make_user(username, unit=unit, roles=roles), 'tests')[1]}"}


def test_api_lists_devices_and_links_read_only(client: Client, unit: Any) -> None:
    device = queue()
    auth = token("api-uzman", unit, ("uzman",))
    listed = client.get("/api/inventory/agents/devices/", **auth)
    assert listed.status_code == 200
    assert [row["device_id"] for row in listed.json()["results"]] == [device.device_id]
    assert client.post("/api/inventory/agents/devices/", {}, content_type="application/json", **auth).status_code == 405
    detail = client.patch(f"/api/inventory/agents/devices/{device.pk}/", {}, content_type="application/json", **auth)
    assert detail.status_code == 405
    assert client.get("/api/inventory/agents/links/", **auth).status_code == 200
    outsider = token("api-talep", unit, ("birim_kullanicisi",))
    assert client.get("/api/inventory/agents/devices/", **outsider).status_code == 403


def test_api_link_register_and_ignore(client: Client, unit: Any) -> None:
    auth = token("api-uzman", unit, ("uzman",))
    device = queue()
    asset = factories.asset()
    linked = client.post(
        f"/api/inventory/agents/devices/{device.pk}/link/", {"asset": asset.pk}, content_type="application/json", **auth
    )
    assert linked.status_code == 200 and linked.json()["status"] == "linked"
    assert AgentLink.objects.get().asset == asset
    again = client.post(
        f"/api/inventory/agents/devices/{device.pk}/link/", {"asset": asset.pk}, content_type="application/json", **auth
    )
    assert again.status_code == 400
    other = queue("PC-0077", hostname="PC-0077", serial="CZC7777", uuid="", mac="00:00:00:00:07:77")
    kind, depot = factories.kind(), own_depot(unit)
    payload = {"kind": kind.pk, "depot": depot.pk, "owner_unit": unit.pk, "entry_year": timezone.localdate().year}
    registered = client.post(
        f"/api/inventory/agents/devices/{other.pk}/register/", payload, content_type="application/json", **auth
    )
    assert registered.status_code == 200, registered.content
    assert Asset.objects.filter(serial="CZC7777", hostname="PC-0077").exists()
    third = queue("PC-0088", hostname="PC-0088", serial="CZC8888", uuid="", mac="00:00:00:00:08:88")
    ignored = client.post(f"/api/inventory/agents/devices/{third.pk}/ignore/", **auth)
    assert ignored.status_code == 200 and ignored.json()["status"] == "ignored"
    auditor = token("api-denetci", unit, ("denetci",))
    refused = client.post(f"/api/inventory/agents/devices/{third.pk}/ignore/", **auditor)
    assert refused.status_code == 403


def test_queue_exports_to_csv(technician: Client) -> None:
    queue(hostname="MALİYE-PC")
    response = technician.get(LIST, {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "MALİYE-PC" in text and "<a" not in text


def test_asset_agent_panel_renders_what_the_agent_reported() -> None:
    from django.template.loader import render_to_string

    from biys.inventory.agents.panels import asset_agent_panel

    asset = factories.asset()
    asset.serial, asset.brand = "5CD1234XYZ", "Dell"
    asset.save()
    services.import_inventory(parsers.inventory_from_xml(parsers.parse_xml(xml_inventory(software=4))))
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("inventory/agents/inc/asset_agent.html", asset_agent_panel(asset))
    assert "Debian GNU/Linux 12 (bookworm)" in html and "package-0003" in html and "00:1A:2B:3C:4D:5E" in html
    assert len(queries) <= 4
    empty = render_to_string("inventory/agents/inc/asset_agent.html", asset_agent_panel(factories.asset()))
    assert 'data-testid="asset-agent"' in empty and "package" not in empty
