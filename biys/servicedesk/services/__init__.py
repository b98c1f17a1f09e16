"""Service desk workflows: intake, routing, work, vendor cases, service forms, parts, ratings.

Views, the API and the mail intake call these; each runs in one transaction and checks who may do it
(``allowed_actions``). Notifications go out after commit (``notifications``).

- ``access``: who may do what (``allowed_actions``, ``require_action``)
- ``intake``: routing, the item's questions, opening, follow-ups, files, state changes (``act``)
- ``work``: vendor cases, service forms, parts, ratings, auto-close, suggestions, handover
"""

from biys.servicedesk.services.access import (
    allowed_actions,
    hasattr_satisfaction,
    is_requester,
    is_worker,
    require_action,
)
from biys.servicedesk.services.intake import (
    ALLOWED_UPLOADS,
    TEXT_EXTENSIONS,
    act,
    add_attachment,
    add_followup,
    clean_form_data,
    open_ticket,
    route,
    validate_upload,
)
from biys.servicedesk.services.work import (
    PRIORITY_LABELS,
    Cover,
    auto_close,
    handover_lines,
    open_vendor_case,
    rate,
    record_intervention,
    review_vendor_form,
    suggest,
    use_part,
    vendor_returned,
    warranty_cover,
)

__all__ = [
    "ALLOWED_UPLOADS",
    "PRIORITY_LABELS",
    "TEXT_EXTENSIONS",
    "Cover",
    "act",
    "add_attachment",
    "add_followup",
    "allowed_actions",
    "auto_close",
    "clean_form_data",
    "handover_lines",
    "hasattr_satisfaction",
    "is_requester",
    "is_worker",
    "open_ticket",
    "open_vendor_case",
    "rate",
    "record_intervention",
    "require_action",
    "review_vendor_form",
    "route",
    "suggest",
    "use_part",
    "validate_upload",
    "vendor_returned",
    "warranty_cover",
]
