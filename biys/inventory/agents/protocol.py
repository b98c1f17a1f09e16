"""The agents' dialogues, as the unmodified agents expect them.

OCS Inventory unix agent 2.10 and FusionInventory agent 2.6 (XML):
  PROLOG    → ``<REPLY><PROLOG_FREQ>24</PROLOG_FREQ><RESPONSE>SEND</RESPONSE></REPLY>``
  INVENTORY → ``<REPLY><RESPONSE>no_account_update</RESPONSE></REPLY>``
  Replies are compressed the way the request was (both agents inflate zlib; FusionInventory finds it
  by the ``78 9C`` header). Busy: ``RESPONSE STOP`` with ``PROLOG_FREQ 1`` (come back in an hour).
GLPI Agent (JSON, ``GLPI-Agent-ID`` header):
  a PROLOG from it, or ``{"action": "contact"}`` → ``{"status": "ok", "expiration": 24, "tasks": …}``
  ``{"action": "inventory"}`` → ``{"status": "ok", "expiration": 24}``
  Busy: ``{"status": "pending", "expiration": "600s"}``; the agent waits and asks again with a GET.
Inventories that cannot be queued (queue full, database locked) get HTTP 503 with Retry-After.
Bad input gets 400 (413 for a body over the limit) with the protocol's error reply; nothing is written.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import secrets
from typing import Any
from xml.sax.saxutils import escape

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from biys.inventory.agents import conf, parsers, services, tasks, wire
from biys.inventory.agents.normal import Inventory
from biys.inventory.agents.wire import PLAIN, WireError

logger = logging.getLogger("biys.agents")

XML_TYPE, JSON_TYPE = "application/xml", "application/json"
# Tasks a GLPI Agent may run that this server does not serve: the agent is told not to plan them.
_INVENTORY_ONLY = "inventory"


class Busy(Exception):
    """The server cannot take this report now; the agent is told to come back later."""


# --- Entry point ----------------------------------------------------------------------------------


def handle(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _retry_after_pending(request)
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    denied = _check_auth(request)
    if denied is not None:
        return denied
    encoding, json_like = PLAIN, _speaks_json(request)
    try:
        limit = conf.max_body_bytes()
        body = wire.decode(wire.read_body(request, limit), request.content_type or "", limit)
        encoding = body.encoding
        if body.data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
            json_like = True
            return _json_request(request, parsers.parse_json(body.data), encoding)
        json_like = False
        return _xml_request(request, parsers.parse_xml(body.data), encoding)
    except WireError as exc:
        logger.info("agent request refused (%s): %s", exc.status, exc.message)
        if json_like:
            return _json_reply({"status": "error", "message": exc.message}, encoding, exc.status)
        return _xml_reply({"ERROR": exc.message}, encoding, exc.status)


def _speaks_json(request: HttpRequest) -> bool:
    return bool(wire.header(request, "GLPI-Agent-ID")) or "json" in (request.content_type or "")


def _check_auth(request: HttpRequest) -> HttpResponse | None:
    """Optional HTTP Basic check (BIYS_AGENT_PASSWORD); all three agents answer a 401 with --user/--password."""
    user, password = conf.credentials()
    if not password:
        return None
    scheme, _sep, token = wire.header(request, "Authorization").partition(" ")
    if scheme.lower() == "basic":
        try:
            given_user, _colon, given_password = base64.b64decode(token, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            given_user = given_password = ""
        if hmac.compare_digest(given_user.encode(), user.encode()) & hmac.compare_digest(
            given_password.encode(), password.encode()
        ):
            return None
    response = HttpResponse(status=401)
    response["WWW-Authenticate"] = f'Basic realm="{conf.realm()}"'
    return response


# --- OCS / FusionInventory XML ----------------------------------------------------------------------


def _xml_request(request: HttpRequest, root: Any, encoding: str) -> HttpResponse:
    query, device_id = parsers.xml_query(root)
    if query == "PROLOG":
        if wire.header(request, "GLPI-Agent-ID"):
            # A GLPI Agent starts with a legacy PROLOG; a JSON answer switches it to its own protocol.
            return _contact_answer(device_id, encoding)
        return _prolog(device_id, encoding)
    if query == "INVENTORY":
        inventory = parsers.inventory_from_xml(root, wire.header(request, "User-Agent"))
        return _inventory(request, inventory, encoding, json_reply=False)
    raise WireError(f"Unknown QUERY: {query or '(empty)'}.")


def _prolog(device_id: str, encoding: str) -> HttpResponse:
    try:
        _refuse_when_busy()
        services.touch_contact(device_id)
    except (Busy, DatabaseError):
        retry_hours = max(1, -(-conf.retry_seconds() // 3600))
        return _xml_reply({"PROLOG_FREQ": str(retry_hours), "RESPONSE": "STOP"}, encoding)
    return _xml_reply({"PROLOG_FREQ": str(conf.frequency_hours()), "RESPONSE": "SEND"}, encoding)


# --- GLPI Agent JSON ----------------------------------------------------------------------------------


def _json_request(request: HttpRequest, message: dict[str, Any], encoding: str) -> HttpResponse:
    action = str(message.get("action") or "inventory").lower()
    if action == "contact":
        return _contact_answer(parsers.json_device_id(message), encoding, message.get("enabled-tasks"))
    if action == "inventory":
        return _inventory(request, parsers.inventory_from_json(message), encoding, json_reply=True)
    raise WireError(f"Unsupported action: {action[:40]}.")


def _contact_answer(device_id: str, encoding: str, enabled: Any = None) -> HttpResponse:
    try:
        _refuse_when_busy()
        if device_id:
            services.touch_contact(device_id)
    except (Busy, DatabaseError):
        return _pending(encoding)
    answer: dict[str, Any] = {
        "status": "ok",
        "expiration": conf.frequency_hours(),
        "tasks": {"inventory": {"server": "glpi"}},
    }
    planned = {task.lower() for task in (enabled if isinstance(enabled, list) else ()) if isinstance(task, str)}
    others = sorted(planned - {_INVENTORY_ONLY, "remoteinventory"})
    if others:
        answer["disabled"] = others
    return _json_reply(answer, encoding)


def _pending(encoding: str) -> HttpResponse:
    response = _json_reply({"status": "pending", "expiration": f"{conf.retry_seconds()}s"}, encoding)
    response["GLPI-Request-ID"] = secrets.token_hex(4).upper()
    return response


def _retry_after_pending(request: HttpRequest) -> HttpResponse:
    """After a pending answer the GLPI Agent asks again with a bodiless GET."""
    if not wire.header(request, "GLPI-Agent-ID"):
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    denied = _check_auth(request)
    return denied if denied is not None else _contact_answer("", PLAIN)


# --- Inventories (all protocols) ------------------------------------------------------------------------


def _inventory(request: HttpRequest, inventory: Inventory, encoding: str, *, json_reply: bool) -> HttpResponse:
    try:
        if not services.import_if_unchanged(inventory):
            _refuse_when_busy()
            tasks.import_inventory.enqueue(
                inventory=inventory.to_dict(), request_id=getattr(request, "request_id", ""), ip=_client_ip(request)
            )
    except (Busy, DatabaseError) as exc:
        logger.warning("agent inventory of %s deferred: %s", inventory.device_id, exc or "queue full")
        return _busy_reply(encoding, json_reply)
    if json_reply:
        return _json_reply({"status": "ok", "expiration": conf.frequency_hours()}, encoding)
    return _xml_reply({"RESPONSE": "no_account_update"}, encoding)


def _refuse_when_busy() -> None:
    queued = tasks.queued_imports()
    if queued is not None and queued >= conf.max_queued():
        raise Busy


def _busy_reply(encoding: str, json_reply: bool) -> HttpResponse:
    message = "The server is busy; send the inventory again later."
    if json_reply:
        response = _json_reply(
            {"status": "error", "message": message, "expiration": f"{conf.retry_seconds()}s"}, encoding, 503
        )
    else:
        response = _xml_reply({"ERROR": message}, encoding, 503)
    response["Retry-After"] = str(conf.retry_seconds())
    return response


def _client_ip(request: HttpRequest) -> str | None:
    from biys.core.middleware import client_ip

    return client_ip(request)


# --- Replies ---------------------------------------------------------------------------------------------


def _xml_reply(entries: dict[str, str], encoding: str, status: int = 200) -> HttpResponse:
    lines = "".join(f"  <{tag}>{escape(value)}</{tag}>\n" for tag, value in entries.items())
    text = f"<?xml version='1.0' encoding='UTF-8'?>\n<REPLY>\n{lines}</REPLY>\n"
    return _reply(text.encode(), encoding, XML_TYPE, status)


def _json_reply(message: dict[str, Any], encoding: str, status: int = 200) -> HttpResponse:
    return _reply(json.dumps(message).encode(), encoding, JSON_TYPE, status)


def _reply(data: bytes, encoding: str, plain_type: str, status: int) -> HttpResponse:
    response = HttpResponse(wire.encode(data, encoding), content_type=wire.content_type(encoding, plain_type))
    response.status_code = status
    response["Cache-Control"] = "no-cache"
    return response
