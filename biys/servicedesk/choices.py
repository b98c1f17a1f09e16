"""Choice lists of the service desk."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_REQUESTER = "waiting_requester", _("Waiting for requester")
    WAITING_VENDOR = "waiting_vendor", _("Waiting for vendor")
    WAITING_PARTS = "waiting_parts", _("Waiting for parts")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (
    Status.NEW,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.WAITING_REQUESTER,
    Status.WAITING_VENDOR,
    Status.WAITING_PARTS,
)
WAITING_STATUSES = (Status.WAITING_REQUESTER, Status.WAITING_VENDOR, Status.WAITING_PARTS)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED, Status.CANCELLED)


class Priority(models.IntegerChoices):
    CRITICAL = 1, _("Critical")
    HIGH = 2, _("High")
    NORMAL = 3, _("Normal")
    LOW = 4, _("Low")


class Impact(models.TextChoices):
    PERSON = "person", _("One person")
    GROUP = "group", _("Several people")
    UNIT = "unit", _("A whole unit")
    MUNICIPALITY = "municipality", _("The whole municipality / citizens")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    EMAIL = "email", _("E-mail")
    API = "api", _("API")


class FollowUpKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    NOTE = "note", _("Internal note")
    WORK = "work", _("Work log")
    EVENT = "event", _("Event")


class CauseGroup(models.TextChoices):
    HARDWARE = "hardware", _("Hardware")
    SOFTWARE = "software", _("Software")
    NETWORK = "network", _("Network")
    USER = "user", _("User error / training")
    EXTERNAL = "external", _("External (power, vendor, ISP)")
    OTHER = "other", _("Other")


class VendorCaseStatus(models.TextChoices):
    SENT = "sent", _("Sent to vendor")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Service form approved")
    REJECTED = "rejected", _("Service form rejected")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class FieldType(models.TextChoices):
    """Types of the extra fields a catalogue item asks for."""

    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    BOOLEAN = "boolean", _("Yes / no")
