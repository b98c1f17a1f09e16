"""The endpoint as the agents see it: replies the real agents accept, and bad input that writes nothing."""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.test.utils import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biys.core.models import ChangeLogEntry
from biys.inventory.agents import tasks
from biys.inventory.models import AgentLink, Asset, DiscoveredDevice, Installation, Software
from biys.inventory.tests import factories
from biys.inventory.tests.agent_fixtures import fixture_headers, glpi, raw, xml_inventory, xml_prolog

pytestmark = pytest.mark.django_db
ENDPOINTS = ("/ocsinventory", "/front/inventory.php")
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def post(client: Client, body: bytes, content_type: str = "application/x-compress-zlib", **extra: Any) -> Any:
    return client.post(ENDPOINTS[0], data=body, content_type=content_type, **extra)


def reply_xml(response: Any) -> str:
    content = response.content
    return (zlib.decompress(content) if content[:2] == b"\x78\x9c" else content).decode()


def reply_json(response: Any) -> dict[str, Any]:
    content = response.content
    data: dict[str, Any] = json.loads(zlib.decompress(content) if content[:2] == b"\x78\x9c" else content)
    return data


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (DiscoveredDevice, AgentLink, Installation, Software, ChangeLogEntry)
    )


@pytest.fixture
def untouched() -> Any:
    """Call the returned function at the end of a test: True when no row was written since its start."""
    before = counts()
    return lambda: counts() == before


# --- OCS and FusionInventory, with the captured bodies ------------------------------------------------------------


@pytest.mark.parametrize("agent", ["fusion-2.6", "ocs-2.10"])
def test_prolog_gets_send_with_prolog_freq_zlib_compressed(client: Client, agent: str, untouched: Any) -> None:
    response = post(client, raw(f"{agent}-prolog.zlib"), **fixture_headers(f"{agent}-prolog.zlib"))
    assert response.status_code == 200
    assert response.content[:2] == b"\x78\x9c"  # FusionInventory's client requires this zlib header
    assert response["Content-Type"] == "application/x-compress-zlib"
    text = reply_xml(response)
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?>")
    assert "<PROLOG_FREQ>24</PROLOG_FREQ>" in text and "<RESPONSE>SEND</RESPONSE>" in text
    assert untouched()


@pytest.mark.parametrize("agent", ["fusion-2.6", "ocs-2.10"])
def test_inventory_lands_in_the_review_queue_and_gets_no_account_update(client: Client, agent: str) -> None:
    name = f"{agent}-inventory.zlib"
    response = post(client, raw(name), **fixture_headers(name))
    assert response.status_code == 200
    assert "<RESPONSE>no_account_update</RESPONSE>" in reply_xml(response)
    device = DiscoveredDevice.objects.get()
    assert device.agent_type == agent.split("-")[0]
    assert device.reason == DiscoveredDevice.Reason.UNREGISTERED
    assert len(device.inventory["software"]) > 100


def test_inventory_of_a_registered_machine_imports_and_the_resend_writes_nothing(client: Client) -> None:
    asset = factories.asset()
    asset.serial, asset.brand = "5CD1234XYZ", "Dell"
    asset.save()
    body = zlib.compress(xml_inventory())
    assert post(client, body).status_code == 200
    assert Installation.objects.filter(asset=asset).count() == 150
    entries = ChangeLogEntry.objects.count()
    for endpoint in ENDPOINTS:
        response = client.post(endpoint, data=body, content_type="application/x-compress-zlib")
        assert response.status_code == 200
    assert ChangeLogEntry.objects.count() == entries
    assert AgentLink.objects.get().last_contact is not None


def test_prolog_touches_the_last_contact_of_a_known_agent(client: Client) -> None:
    link = AgentLink.objects.create(asset=factories.asset(), device_id="PC-0042-2026-03-02-09-00-00", agent_type="ocs")
    assert post(client, zlib.compress(xml_prolog())).status_code == 200
    link.refresh_from_db()
    assert link.last_contact is not None
    assert Asset.objects.get().last_seen_at == link.last_contact


@pytest.mark.parametrize(
    ("encode", "content_type", "check"),
    [
        (gzip.compress, "application/x-compress-gzip", gzip.decompress),
        (lambda data: data, "application/xml", lambda data: data),
    ],
)
def test_replies_match_the_request_encoding(client: Client, encode: Any, content_type: str, check: Any) -> None:
    response = post(client, encode(xml_prolog()), content_type)
    assert response.status_code == 200
    assert b"<RESPONSE>SEND</RESPONSE>" in check(response.content)


def test_get_from_a_browser_is_not_allowed(client: Client) -> None:
    response = client.get("/ocsinventory")
    assert response.status_code == 405 and response["Allow"] == "POST"


# --- GLPI Agent JSON ----------------------------------------------------------------------------------------------


def glpi_post(client: Client, message: dict[str, Any], compress: bool = True) -> Any:
    body = json.dumps(message).encode()
    return client.post(
        "/front/inventory.php",
        data=zlib.compress(body) if compress else body,
        content_type="application/x-compress-zlib" if compress else "application/json",
        HTTP_GLPI_AGENT_ID="3a8c8e1e-1b8c-4f3c-9d4e-2a1b5c6d7e8f",
        HTTP_USER_AGENT="GLPI-Agent_v1.7",
    )


def test_glpi_contact_gets_ok_expiration_inventory_task_and_disables_other_tasks(client: Client) -> None:
    response = glpi_post(client, glpi("glpi-contact.json"))
    assert response.status_code == 200 and response["Content-Type"] == "application/x-compress-zlib"
    answer = reply_json(response)
    assert answer["status"] == "ok" and answer["expiration"] == 24
    assert answer["tasks"] == {"inventory": {"server": "glpi"}}
    assert answer["disabled"] == ["collect", "deploy", "wakeonlan"]


def test_glpi_inventory_plain_json_is_queued_and_answered_ok(client: Client) -> None:
    response = glpi_post(client, glpi("glpi-inventory.json"), compress=False)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert reply_json(response) == {"status": "ok", "expiration": 24}
    device = DiscoveredDevice.objects.get()
    assert (device.hostname, device.agent_type, device.serial) == ("BIM-PC-042", "glpi", "5CD1234XYZ")


def test_glpi_agent_prolog_is_answered_in_json_to_switch_it_to_its_protocol(client: Client) -> None:
    response = post(client, zlib.compress(xml_prolog()), HTTP_GLPI_AGENT_ID="3a8c8e1e-1b8c-4f3c-9d4e-2a1b5c6d7e8f")
    answer = reply_json(response)
    assert answer["status"] == "ok" and answer["expiration"] == 24


def test_unknown_glpi_action_is_an_error_status(client: Client, untouched: Any) -> None:
    response = glpi_post(client, {"action": "netdiscovery", "deviceid": "x"})
    assert response.status_code == 400
    assert reply_json(response)["status"] == "error"
    assert untouched()


# --- Bad input: a clear protocol error, nothing written, never a 500 ----------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"", "application/x-compress-zlib"),
        (b"\x00\x01\x02 not compressed", "application/x-compress-zlib"),
        (raw("fusion-2.6-inventory.zlib")[:5000], "application/x-compress-zlib"),
        (zlib.compress(zlib.decompress(raw("ocs-2.10-inventory.zlib"))[:20_000]), "application/x-compress"),
        (b"<REQUEST><DEVICEID>pc</DEVICEID><QUERY>SNMPQUERY</QUERY></REQUEST>", "application/xml"),
        (b"<REQUEST><QUERY>INVENTORY</QUERY></REQUEST>", "application/xml"),
        (b"<REQUEST><DEVICEID>pc</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>", "application/xml"),
        (b'<!DOCTYPE REQUEST [<!ENTITY a "b">]><REQUEST><DEVICEID>&a;</DEVICEID></REQUEST>', "application/xml"),
        (b"{not json", "application/json"),
        (b"[" * 50_000 + b"]" * 50_000, "application/json"),
        (
            json.dumps({"action": "inventory", "deviceid": "x", "content": {"softwares": 7}}).encode(),
            "application/json",
        ),
    ],
    ids=[
        "empty",
        "wrong-compression",
        "truncated-zlib",
        "truncated-xml",
        "unknown-query",
        "no-deviceid",
        "no-content",
        "entity-declaration",
        "malformed-json",
        "deep-json",
        "wrong-json-types",
    ],
)
def test_bad_input_is_a_4xx_protocol_error_and_writes_nothing(
    client: Client, body: bytes, content_type: str, untouched: Any
) -> None:
    response = post(client, body, content_type)
    assert response.status_code == 400
    text = reply_xml(response)
    assert "<ERROR>" in text or '"status": "error"' in text
    assert untouched()


@override_settings(BIYS_AGENT_MAX_BODY_MB=1)
def test_body_over_the_limit_is_413_before_reading_it(client: Client, untouched: Any) -> None:
    response = post(client, b"<" + b"x" * (1024 * 1024 + 1), "application/xml")
    assert response.status_code == 413
    assert "<ERROR>Request body is too large.</ERROR>" in response.content.decode()
    assert untouched()


def test_a_50_mb_body_is_refused_with_413(client: Client, untouched: Any) -> None:
    response = post(client, b"\x78\x9c" + b"\x00" * (50 * 1024 * 1024), "application/x-compress-zlib")
    assert response.status_code == 413
    assert untouched()


@override_settings(BIYS_AGENT_MAX_BODY_MB=1)
def test_a_small_zip_bomb_is_413(client: Client, untouched: Any) -> None:
    response = post(client, zlib.compress(b"<" + b"A" * (8 * 1024 * 1024)))
    assert response.status_code == 413
    assert untouched()


# --- Busy: come back later ----------------------------------------------------------------------------------------


@override_settings(TASKS=DATABASE_QUEUE, BIYS_AGENT_MAX_QUEUED=1)
def test_full_queue_tells_every_agent_to_come_back_later(client: Client) -> None:
    first = post(client, zlib.compress(xml_inventory()))
    assert first.status_code == 200  # queued, not yet imported: no worker in this test
    assert tasks.queued_imports() == 1
    prolog = post(client, zlib.compress(xml_prolog()))
    assert prolog.status_code == 200
    assert "<RESPONSE>STOP</RESPONSE>" in reply_xml(prolog) and "<PROLOG_FREQ>1</PROLOG_FREQ>" in reply_xml(prolog)
    inventory = post(client, zlib.compress(xml_inventory("PC-0043", hostname="PC-0043")))
    assert (inventory.status_code, inventory["Retry-After"]) == (503, "600")
    contact = glpi_post(client, glpi("glpi-contact.json"))
    assert reply_json(contact) == {"status": "pending", "expiration": "600s"}
    assert len(contact["GLPI-Request-ID"]) == 8
    retry = client.get("/front/inventory.php", HTTP_GLPI_AGENT_ID="3a8c8e1e-1b8c-4f3c-9d4e-2a1b5c6d7e8f")
    assert json.loads(retry.content)["status"] == "pending"
    glpi_inventory = glpi_post(client, glpi("glpi-inventory.json"))
    assert glpi_inventory.status_code == 503 and reply_json(glpi_inventory)["status"] == "error"
    assert tasks.queued_imports() == 1
    assert not DiscoveredDevice.objects.exists()


@override_settings(TASKS=DATABASE_QUEUE)
def test_pending_glpi_agent_gets_its_contact_answer_when_it_asks_again(client: Client) -> None:
    retry = client.get("/front/inventory.php", HTTP_GLPI_AGENT_ID="3a8c8e1e-1b8c-4f3c-9d4e-2a1b5c6d7e8f")
    assert retry.status_code == 200 and json.loads(retry.content)["status"] == "ok"


def test_locked_database_means_come_back_later_not_500(client: Client, untouched: Any) -> None:
    locked = OperationalError("database is locked")
    with mock.patch("biys.inventory.agents.services.touch_contact", side_effect=locked):
        prolog = post(client, zlib.compress(xml_prolog()))
    assert prolog.status_code == 200 and "<RESPONSE>STOP</RESPONSE>" in reply_xml(prolog)
    with mock.patch("biys.inventory.agents.tasks.import_inventory") as task:
        task.enqueue.side_effect = locked
        inventory = post(client, zlib.compress(xml_inventory()))
    assert task.enqueue.called
    assert inventory.status_code == 503 and inventory["Retry-After"] == "600"
    assert untouched()


# --- Optional HTTP Basic check ------------------------------------------------------------------------------------


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@override_settings(BIYS_AGENT_USER="envanter", BIYS_AGENT_PASSWORD="Gizli-Parola-1", BIYS_AGENT_REALM="BIYS")
def test_basic_auth_when_a_password_is_set(client: Client) -> None:
    anonymous = post(client, zlib.compress(xml_prolog()))
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == 'Basic realm="BIYS"'
    wrong = post(client, zlib.compress(xml_prolog()), HTTP_AUTHORIZATION=basic("envanter", "yanlis"))
    assert wrong.status_code == 401
    garbage = post(client, zlib.compress(xml_prolog()), HTTP_AUTHORIZATION="Basic %%%")
    assert garbage.status_code == 401
    good = post(client, zlib.compress(xml_inventory()), HTTP_AUTHORIZATION=basic("envanter", "Gizli-Parola-1"))
    assert good.status_code == 200 and DiscoveredDevice.objects.exists()


def test_endpoint_needs_no_login_and_no_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = post(client, zlib.compress(xml_prolog()))
    assert response.status_code == 200


# --- Fuzzing: whatever arrives, the answer is a protocol reply, never a 500 ------------------------------------------


VALID = xml_inventory(software=3)
CONTENT_TYPES = st.sampled_from(
    [
        "application/x-compress-zlib",
        "application/x-compress",
        "application/x-compress-gzip",
        "application/x-compress-deflate",
        "application/xml",
        "application/json",
        "text/plain",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=400).map(zlib.compress),
        st.integers(0, len(VALID) - 1).map(lambda cut: VALID[:cut]),
        st.tuples(st.integers(0, len(VALID) - 1), st.binary(min_size=1, max_size=3)).map(
            lambda edit: VALID[: edit[0]] + edit[1] + VALID[edit[0] + len(edit[1]) :]
        ),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
            max_leaves=20,
        ).map(lambda value: json.dumps({"action": "inventory", "deviceid": "fuzz", "content": value}).encode()),
    ),
    content_type=CONTENT_TYPES,
)
def test_random_and_mangled_bodies_never_cause_a_server_error(client: Client, body: bytes, content_type: str) -> None:
    response = post(client, body, content_type)
    assert response.status_code in (200, 400, 413)
