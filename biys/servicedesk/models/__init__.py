"""Service desk models: the catalogue and its SLA policies, tickets and their work, knowledge."""

from .catalogue import RootCause, RoutingRule, ServiceCategory, ServiceItem, SlaPolicy, SlaTarget
from .knowledge import Article, SavedView
from .tickets import FollowUp, Ticket, TicketSequence
from .work import Attachment, Intervention, MailMessage, PartUsage, Satisfaction, Transfer, VendorCase

__all__ = [
    "Article",
    "Attachment",
    "FollowUp",
    "Intervention",
    "MailMessage",
    "PartUsage",
    "RootCause",
    "RoutingRule",
    "Satisfaction",
    "SavedView",
    "ServiceCategory",
    "ServiceItem",
    "SlaPolicy",
    "SlaTarget",
    "Ticket",
    "TicketSequence",
    "Transfer",
    "VendorCase",
]
