"""Ticket pages: intake (portal), the queue, the ticket page and its work, and the service form PDF."""

from __future__ import annotations

from .pdf import intervention_pdf
from .portal import AgentTicketView, TicketNewView, portal, suggest, ticket_add
from .queue import TicketListView, savedview_add, savedview_delete
from .ticket import TicketEditView, TicketView, attachment_download, vendor_form_download
from .work import (
    InterventionAddView,
    asset_add,
    asset_remove,
    followup_add,
    part_use,
    ticket_action,
    ticket_rate,
    vendorcase_open,
    vendorcase_return,
    vendorcase_review,
)

__all__ = [
    "AgentTicketView",
    "InterventionAddView",
    "TicketEditView",
    "TicketListView",
    "TicketNewView",
    "TicketView",
    "asset_add",
    "asset_remove",
    "attachment_download",
    "followup_add",
    "intervention_pdf",
    "part_use",
    "portal",
    "savedview_add",
    "savedview_delete",
    "suggest",
    "ticket_action",
    "ticket_add",
    "ticket_rate",
    "vendor_form_download",
    "vendorcase_open",
    "vendorcase_return",
    "vendorcase_review",
]
