"""What inventory agents report: the agent link of a machine, its software, interfaces, and the review queue.

FusionInventory 2.6, OCS Inventory unix agent 2.10 and GLPI Agent reports are normalised into one
form and imported by one pipeline (biys.inventory.agents). Matching never merges two machines: a
doubtful match goes to the review queue (BİG 3.1.1.3: nothing joins the network unregistered).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.core.models import BaseModel, SearchableModel, sees_all_units

from .register import Asset


class ItStaffScopeMixin:
    """Agent data is technical: IT staff (view_all_assets) see it; others only their unit's machines."""

    scope_unit_field = "asset__owner_unit"

    @classmethod
    def scope(cls, user: Any) -> Q:
        if user.is_authenticated and (sees_all_units(user) or user.has_perm("inventory.view_all_assets")):
            return Q()
        return super().scope(user)  # type: ignore[misc, no-any-return]


class AgentLink(ItStaffScopeMixin, BaseModel):
    """The agent running on one registered machine: its device id, last contact and what it reported last."""

    class AgentType(models.TextChoices):
        FUSION = "fusion", "FusionInventory"
        OCS = "ocs", "OCS Inventory"
        GLPI = "glpi", "GLPI Agent"

    asset = models.OneToOneField(Asset, verbose_name=_("asset"), on_delete=models.CASCADE, related_name="agent")
    device_id = models.CharField(_("agent device id"), max_length=200, unique=True)
    agent_type = models.CharField(_("agent"), max_length=10, choices=AgentType.choices)
    agent_version = models.CharField(_("agent version"), max_length=60, blank=True)
    last_contact = models.DateTimeField(_("last contact"), null=True, blank=True)
    last_inventory = models.DateTimeField(_("last inventory"), null=True, blank=True)
    inventory_hash = models.CharField(max_length=64, blank=True, editable=False)
    os_name = models.CharField(_("operating system"), max_length=120, blank=True)
    os_version = models.CharField(_("OS version"), max_length=120, blank=True)
    logged_user = models.CharField(_("logged-in user"), max_length=120, blank=True)
    antivirus = models.CharField(_("antivirus"), max_length=200, blank=True)
    antivirus_up_to_date = models.BooleanField(_("antivirus up to date"), null=True, blank=True)
    cpu = models.CharField(_("processor"), max_length=200, blank=True)
    memory_mb = models.PositiveIntegerField(_("memory (MB)"), null=True, blank=True)

    changelog_exclude = ("last_contact", "last_inventory", "inventory_hash")

    class Meta:
        ordering = ["-last_contact"]
        verbose_name = _("agent link")
        verbose_name_plural = _("agent links")

    def __str__(self) -> str:
        return f"{self.asset.sicil_no} ({self.get_agent_type_display()})"


class Software(SearchableModel):
    """A software product, normalised (publisher and name folded) so thousands of agents share one row."""

    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=255)
    normalized = models.CharField(max_length=400, unique=True, editable=False)

    changelog_exclude = ("search_key", "normalized")

    class Meta:
        ordering = ["name"]
        verbose_name = _("software")
        verbose_name_plural = _("software")

    def __str__(self) -> str:
        return f"{self.name} ({self.publisher})" if self.publisher else self.name

    def search_source(self) -> str:
        return f"{self.publisher} {self.name}"

    @classmethod
    def scope(cls, user: Any) -> Q:
        return Q() if user.is_authenticated else Q(pk__in=[])


class Installation(ItStaffScopeMixin, BaseModel):
    """A software version installed on a machine, as its agent last reported it."""

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.CASCADE, related_name="installations")
    software = models.ForeignKey(
        Software, verbose_name=_("software"), on_delete=models.PROTECT, related_name="installations"
    )
    version = models.CharField(_("version"), max_length=100, blank=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)

    class Meta:
        ordering = ["software__name"]
        verbose_name = _("installation")
        verbose_name_plural = _("installations")
        constraints = [
            models.UniqueConstraint(fields=["asset", "software", "version"], name="installation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.software} {self.version}"


class NetworkInterface(ItStaffScopeMixin, BaseModel):
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.CASCADE, related_name="interfaces")
    name = models.CharField(_("name"), max_length=100)
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["asset", "name"]
        verbose_name = _("network interface")
        verbose_name_plural = _("network interfaces")
        constraints = [models.UniqueConstraint(fields=["asset", "name", "mac_address"], name="interface_unique")]

    def __str__(self) -> str:
        return f"{self.name} {self.mac_address}"


class DiscoveredDevice(BaseModel):
    """A reporting machine the pipeline could not place with confidence: not registered, or matching
    more than one asset. An IT person links it to an asset, registers it, or ignores it."""

    class Reason(models.TextChoices):
        UNREGISTERED = "unregistered", _("Not in the register")
        AMBIGUOUS = "ambiguous", _("Matches more than one asset")
        CONFLICT = "conflict", _("Identifiers disagree with the matched asset")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        LINKED = "linked", _("Linked to an asset")
        REGISTERED = "registered", _("Registered as a new asset")
        IGNORED = "ignored", _("Ignored")

    device_id = models.CharField(_("agent device id"), max_length=200, unique=True)
    agent_type = models.CharField(_("agent"), max_length=10, choices=AgentLink.AgentType.choices)
    hostname = models.CharField(_("host name"), max_length=120, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    hardware_uuid = models.CharField(_("hardware UUID"), max_length=64, blank=True)
    mac_addresses = models.JSONField(_("MAC addresses"), default=list, blank=True)
    reason = models.CharField(_("review reason"), max_length=20, choices=Reason.choices)
    candidates = models.ManyToManyField(Asset, verbose_name=_("candidate assets"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inventory = models.JSONField(_("last normalised inventory"), default=dict, blank=True)
    last_contact = models.DateTimeField(_("last contact"), null=True, blank=True)

    changelog_exclude = ("inventory", "last_contact")

    class Meta:
        ordering = ["status", "-last_contact"]
        verbose_name = _("discovered device")
        verbose_name_plural = _("discovered devices")

    def __str__(self) -> str:
        return self.hostname or self.device_id

    @classmethod
    def scope(cls, user: Any) -> Q:
        if user.is_authenticated and (sees_all_units(user) or user.has_perm("inventory.view_all_assets")):
            return Q()
        return Q(pk__in=[])
