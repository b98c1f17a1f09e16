"""Intake and the everyday work on a ticket: routing, the catalogue item's questions, files, follow-ups and
state changes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from biys.servicedesk import deskconfig, notifications, sla
from biys.servicedesk.choices import (
    Channel,
    FieldType,
    FollowUpKind,
    Status,
)
from biys.servicedesk.models import (
    Attachment,
    FollowUp,
    RoutingRule,
    ServiceItem,
    Ticket,
)
from biys.servicedesk.models.tickets import is_it_staff
from biys.servicedesk.services.access import is_requester, is_worker, require_action

# What a file on a ticket may be: the first bytes decide, not the name.
ALLOWED_UPLOADS: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    # docx/xlsx/odt and zip archives of logs
    "application/zip": (b"PK\x03\x04",),
}
TEXT_EXTENSIONS = (".txt", ".log", ".csv")


def route(item: ServiceItem, requester_unit: Any, location: Any = None) -> Any:
    """The unit whose queue receives a request: the most specific routing rule, else the item's unit."""
    building = getattr(location, "building", "") or ""
    path = requester_unit.path if requester_unit is not None else ""
    best: tuple[int, int, RoutingRule] | None = None
    for rule in deskconfig.current().rules:
        if rule.item_id is not None and rule.item_id != item.pk:
            continue
        if rule.requester_unit_id is not None and not path.startswith(rule.requester_unit.path):
            continue
        if rule.building and rule.building != building:
            continue
        # item beats unit beats building; a deeper unit beats a shallower one
        score = (4 if rule.item_id else 0) + (2 if rule.requester_unit_id else 0) + (1 if rule.building else 0)
        depth = len(rule.requester_unit.path) if rule.requester_unit_id else 0
        if best is None or (score, depth) > best[:2]:
            best = (score, depth, rule)
    return best[2].target_unit if best is not None else item.responsible_unit


def clean_form_data(item: ServiceItem, data: dict[str, Any]) -> dict[str, Any]:
    """The answers to the item's extra questions, typed; errors name the field (``form_<name>``)."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in item.fields or []:
        name, label = spec["name"], spec["label"]
        raw = data.get(name)
        raw = raw.strip() if isinstance(raw, str) else raw
        kind = spec.get("type", FieldType.TEXT)
        if raw in (None, "") or (kind == FieldType.BOOLEAN and raw is False):
            if spec.get("required") and kind != FieldType.BOOLEAN:
                errors[f"form_{name}"] = _("%(field)s is required.") % {"field": label}
            elif kind == FieldType.BOOLEAN:
                cleaned[name] = False
            continue
        if kind == FieldType.NUMBER:
            number = _parse_number(str(raw))
            if number is None:
                errors[f"form_{name}"] = _("%(field)s must be a number.") % {"field": label}
            else:
                cleaned[name] = str(number)
        elif kind == FieldType.DATE:
            value = raw if isinstance(raw, date) else _parse_day(str(raw))
            if value is None:
                errors[f"form_{name}"] = _("%(field)s must be a date (dd.mm.yyyy).") % {"field": label}
            else:
                cleaned[name] = value.isoformat()
        elif kind == FieldType.CHOICE:
            if str(raw) not in [str(c) for c in spec.get("choices", [])]:
                errors[f"form_{name}"] = _("%(field)s: choose one of the listed values.") % {"field": label}
            else:
                cleaned[name] = str(raw)
        elif kind == FieldType.BOOLEAN:
            cleaned[name] = str(raw).lower() in ("1", "true", "on", "yes", "evet")
        else:
            cleaned[name] = str(raw)[:2000]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _parse_number(text: str) -> Decimal | None:
    """A number as Turkish offices write it: "1.234,5", "1234,5" or "1234.5"; never NaN or infinity."""
    text = text.strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _parse_day(text: str) -> date | None:
    parts = text.split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        try:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            return None
    if not text[:4].isdigit():
        return None
    try:
        return parse_date(text)
    except ValueError:  # well-formed but impossible, e.g. 2026-02-31
        return None


@transaction.atomic
def open_ticket(
    *,
    item: ServiceItem,
    title: str,
    description: str,
    by: Any,
    requester: Any = None,
    requester_unit: Any = None,
    requester_email: str = "",
    requester_name: str = "",
    channel: str = Channel.PORTAL,
    priority: int | None = None,
    impact: str | None = None,
    location: Any = None,
    contact_phone: str = "",
    form_data: dict[str, Any] | None = None,
    assets: Iterable[Any] = (),
    files: Iterable[Any] = (),
    at: datetime | None = None,
) -> Ticket:
    """A new ticket, routed and on the clock. ``by`` is the requester (portal) or the agent (phone, walk-in)."""
    if not item.is_active:
        raise ValidationError({"item": _("This catalogue item is no longer offered.")})
    unit = requester_unit or (requester.unit if requester is not None else None)
    if unit is None:
        raise ValidationError({"requester": _("Choose the requester or their unit.")})
    if priority is not None and priority != item.default_priority and not is_it_staff(by):
        raise ValidationError({"priority": _("Only IT staff set the priority.")})
    ticket = Ticket(
        item=item,
        title=(title or "").strip(),
        description=(description or "").strip(),
        form_data=clean_form_data(item, form_data or {}),
        requester=requester,
        requester_unit=unit,
        requester_email=requester_email or (requester.email if requester is not None else ""),
        requester_name=requester_name,
        channel=channel,
        priority=priority or item.default_priority,
        location=location,
        contact_phone=contact_phone or (requester.work_phone if requester is not None else ""),
        assigned_unit=route(item, unit, location),
        created_by=by,
        updated_by=by,
    )
    if impact:
        ticket.impact = impact
    ticket.open(by, at)
    assets = list(assets)
    if assets:
        ticket.assets.set(assets)
    for upload in files:
        add_attachment(ticket, by, upload, check=False)
    transaction.on_commit(lambda: notifications.ticket_opened(ticket))
    return ticket


# -- work --------------------------------------------------------------------------------------------------------


@transaction.atomic
def add_followup(
    ticket: Ticket,
    by: Any,
    body: str,
    *,
    kind: str = FollowUpKind.COMMENT,
    minutes: int = 0,
    on_site: bool = False,
    files: Iterable[Any] = (),
    at: datetime | None = None,
) -> FollowUp:
    """A comment, an internal note or a work log. A requester's answer resumes a ticket waiting on them;
    IT staff's first public answer meets the response target."""
    at = at or timezone.now()
    action = {FollowUpKind.COMMENT: "comment", FollowUpKind.NOTE: "note", FollowUpKind.WORK: "worklog"}.get(kind)
    if action is None:
        raise ValidationError({"kind": _("Unknown follow-up kind.")})
    require_action(ticket, by, action)
    followup = FollowUp(
        ticket=ticket,
        kind=kind,
        body=(body or "").strip(),
        is_internal=kind == FollowUpKind.NOTE,
        minutes=minutes if kind == FollowUpKind.WORK else 0,
        on_site=on_site if kind == FollowUpKind.WORK else False,
        created_by=by,
        updated_by=by,
    )
    followup.full_clean()
    followup.save()
    for upload in files:
        add_attachment(ticket, by, upload, followup=followup, internal=followup.is_internal, check=False)
    if kind == FollowUpKind.COMMENT and ticket.is_open:
        if is_requester(ticket, by) and ticket.status == Status.WAITING_REQUESTER:
            ticket.resume(by, at)
        elif is_worker(ticket, by) and not is_requester(ticket, by) and ticket.first_response_at is None:
            sla.respond(ticket, at)
            ticket.save(update_fields=["first_response_at", "response_breached"])
    if not followup.is_internal:
        transaction.on_commit(lambda: notifications.followup_added(followup))
    return followup


def validate_upload(upload: Any) -> str:
    """The content type of an acceptable upload; refuses oversized files and types we do not keep."""
    limit = settings.BIYS_MAX_UPLOAD_MB * 1024 * 1024
    name = getattr(upload, "name", "") or ""
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": settings.BIYS_MAX_UPLOAD_MB}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, signatures in ALLOWED_UPLOADS.items():
        if any(head.startswith(signature) for signature in signatures):
            return content_type
    if name.lower().endswith(TEXT_EXTENSIONS):
        sample = upload.read(4096)
        upload.seek(0)
        if b"\x00" not in sample:
            return "text/plain"
    raise ValidationError(
        _("%(name)s is not an accepted file type (PDF, PNG, JPEG, GIF, ZIP/Office, text).") % {"name": name}
    )


@transaction.atomic
def add_attachment(
    ticket: Ticket,
    by: Any,
    upload: Any,
    *,
    followup: FollowUp | None = None,
    internal: bool = False,
    check: bool = True,
) -> Attachment:
    if check:
        require_action(ticket, by, "attach")
    content_type = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (getattr(upload, "name", "") or "dosya").replace("/", "_").replace("\\", "_")[-200:]
    attachment = Attachment(
        ticket=ticket,
        followup=followup,
        name=name,
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        is_internal=internal,
        created_by=by,
        updated_by=by,
    )
    attachment.file.save(attachment.sha256[:16], upload, save=False)
    attachment.save()
    return attachment


def act(ticket: Ticket, action: str, by: Any, **data: Any) -> Any:
    """Run a state change on a locked, fresh copy of the ticket; returns the changed ticket.

    ``data`` carries the action's fields: assignee, reason/note, waiting_for, resolution, root_cause,
    to_unit, priority. Raises ValidationError (bad input, move not allowed) or PermissionDenied.
    """
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        require_action(locked, by, action)  # on the locked row: a stale copy must not pass
        if action == "assign":
            assignee = data.get("assignee")
            if assignee is not None and not (assignee.is_superuser or assignee.has_perm("servicedesk.work_ticket")):
                raise ValidationError({"assignee": _("%(user)s does not work tickets.") % {"user": assignee}})
            locked.assign(assignee, by)
        elif action == "start":
            locked.start(by)
        elif action == "wait":
            locked.wait(data.get("waiting_for", ""), by, data.get("note", ""))
        elif action == "resume":
            locked.resume(by)
        elif action == "resolve":
            locked.resolve(by, data.get("resolution", ""), data.get("root_cause"))
        elif action == "close":
            locked.close(by)
        elif action == "reopen":
            locked.reopen(by, data.get("reason", ""))
        elif action == "cancel":
            locked.cancel(by, data.get("reason", ""))
        elif action == "transfer":
            to_unit = data.get("to_unit")
            if to_unit is None:
                raise ValidationError({"to_unit": _("Choose the unit.")})
            locked.transfer(to_unit, data.get("reason", ""), by)
        elif action == "priority":
            locked.set_priority(int(data.get("priority") or 0), by)
        else:
            raise ValidationError(_("Unknown action."))
    transaction.on_commit(lambda: notifications.ticket_changed(locked, action, by))
    return locked
