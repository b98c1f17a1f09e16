"""The register: Taşınır codes, asset kinds, depots, locations, contracts and the assets themselves."""

from __future__ import annotations

from typing import Any, ClassVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.core.models import BaseModel, SearchableModel, sees_all_units, user_unit_path
from biys.org import tree


class TasinirCode(SearchableModel):
    """One code of the Taşınır Kod Listesi (TMY md. 4/1-p), e.g. 255.02.01.01.02 Dizüstü Bilgisayarlar.

    The list is reference data: shipped (2017 snapshot) and re-importable with `biys import_tasinir_codes`
    when the Bakanlık publishes a new one; codes that disappear are deactivated, never deleted.
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=255)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent code"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    list_version = models.CharField(_("list version"), max_length=20, default="2017")
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("Taşınır code")
        verbose_name_plural = _("Taşınır codes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def search_source(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def account(self) -> str:
        """The GYMY account (150, 253, 254, 255): the first segment of the code."""
        return self.code.split(".", 1)[0]

    @property
    def is_durable(self) -> bool:
        # TMY md. 4/1-c: tesis, makine ve cihaz (253), taşıtlar (254), demirbaşlar (255) are durable.
        return self.account in ("253", "254", "255")

    @classmethod
    def scope(cls, user: Any) -> Q:
        return Q() if user.is_authenticated else Q(pk__in=[])


class AssetKind(SearchableModel):
    """What sort of thing an asset is (dizüstü bilgisayar, lazer yazıcı, switch …), mapped to a Taşınır code."""

    class Category(models.TextChoices):
        COMPUTER = "computer", _("Computer")
        SERVER = "server", _("Server")
        MONITOR = "monitor", _("Monitor")
        PRINTER = "printer", _("Printer / scanner")
        NETWORK = "network", _("Network device")
        PHONE = "phone", _("Telephone")
        CAMERA = "camera", _("Camera")
        POWER = "power", _("UPS / power")
        PERIPHERAL = "peripheral", _("Peripheral")
        STORAGE = "storage", _("Storage / backup device")
        CONSUMABLE = "consumable", _("Consumable / spare part")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    tasinir_code = models.ForeignKey(TasinirCode, verbose_name=_("Taşınır code"), on_delete=models.PROTECT)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20, default="Adet")
    needs_commissioning = models.BooleanField(
        _("needs commissioning"),
        default=False,
        help_text=_("Tested, installed and registered on the network before handover (Nizip md. 12/49)."),
    )
    has_storage = models.BooleanField(
        _("holds data"), default=False, help_text=_("Needs wipe or destruction evidence when scrapped (BİG 3.1.1.6).")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("asset kind")
        verbose_name_plural = _("asset kinds")

    def __str__(self) -> str:
        return self.name

    def search_source(self) -> str:
        return f"{self.name} {self.tasinir_code.code} {self.tasinir_code.name}"

    @classmethod
    def scope(cls, user: Any) -> Q:
        return Q() if user.is_authenticated else Q(pk__in=[])


class Depot(SearchableModel):
    """An ambar of a harcama birimi (TMY md. 38: ambar kodu = 2 characters under the kurumsal kod).

    Its kayıt yetkilisi and kontrol yetkilisi must be different people (TMY md. 6/3).
    """

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("spending unit"), on_delete=models.PROTECT, related_name="depots"
    )
    institutional_code = models.CharField(
        _("institutional code"), max_length=30, help_text=_("Kurumsal kod of the harcama birimi.")
    )
    code = models.CharField(
        _("depot code"), max_length=2, validators=[RegexValidator(r"^[0-9A-Z]{2}$", _("Two digits or capitals."))]
    )
    name = models.CharField(_("name"), max_length=120)
    records_officer = models.ForeignKey(
        "org.Staff",
        verbose_name=_("records officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    control_officer = models.ForeignKey(
        "org.Staff",
        verbose_name=_("control officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    scope_unit_field = "unit"

    class Meta:
        ordering = ["institutional_code", "code"]
        verbose_name = _("depot")
        verbose_name_plural = _("depots")
        constraints = [models.UniqueConstraint(fields=["institutional_code", "code"], name="depot_code_unique")]

    def __str__(self) -> str:
        return f"{self.institutional_code}-{self.code} {self.name}"

    def search_source(self) -> str:
        return f"{self.institutional_code} {self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.records_officer_id and self.records_officer_id == self.control_officer_id:
            raise ValidationError(
                {"control_officer": _("The control officer must not be the records officer (TMY md. 6/3).")}
            )


class Location(SearchableModel):
    """A place items stand in: building, floor, room. Shared-area items are listed per location."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="locations")
    building = models.CharField(_("building"), max_length=120)
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    room = models.CharField(_("room"), max_length=60, blank=True)
    responsible = models.ForeignKey(
        "org.Staff",
        verbose_name=_("area responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Signs the Dayanıklı Taşınırlar Listesi of this area."),
    )

    scope_unit_field = "unit"

    class Meta:
        ordering = ["building", "floor", "room"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [models.UniqueConstraint(fields=["building", "floor", "room"], name="location_unique")]

    def __str__(self) -> str:
        return " / ".join(part for part in (self.building, self.floor, self.room) if part)

    def search_source(self) -> str:
        return str(self)


class Contract(SearchableModel):
    """A warranty extension or maintenance/support contract (BİG 3.1.1.2: term and scope)."""

    name = models.CharField(_("name"), max_length=200)
    vendor = models.CharField(_("vendor"), max_length=200)
    vendor_tax_no = models.CharField(_("vendor tax number (VKN)"), max_length=10, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    coverage = models.TextField(_("scope of coverage"), blank=True)

    class Meta:
        ordering = ["-end_date"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return f"{self.name} ({self.vendor})"

    def search_source(self) -> str:
        return f"{self.name} {self.vendor}"

    @classmethod
    def scope(cls, user: Any) -> Q:
        return Q() if user.is_authenticated else Q(pk__in=[])

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class Asset(SearchableModel):
    """One durable item with its own sicil no (TMY md. 36), from purchase to scrapping."""

    class Status(models.TextChoices):
        IN_DEPOT = "in_depot", _("In depot")
        COMMISSIONING = "commissioning", _("Being commissioned")
        IN_USE = "in_use", _("In use")
        IN_REPAIR = "in_repair", _("In repair")
        AT_VENDOR = "at_vendor", _("At vendor")
        LENT = "lent", _("Lent")
        SCRAP_PROPOSED = "scrap_proposed", _("Proposed for scrapping")
        SCRAPPED = "scrapped", _("Scrapped")
        LOST = "lost", _("Lost / stolen")
        TRANSFERRED = "transferred", _("Transferred out")

    sicil_no = models.CharField(_("registry number"), max_length=40, unique=True)
    tasinir_code = models.ForeignKey(TasinirCode, verbose_name=_("Taşınır code"), on_delete=models.PROTECT)
    kind = models.ForeignKey(AssetKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="assets")
    entry_year = models.PositiveSmallIntegerField(_("entry year"))
    sequence = models.PositiveIntegerField(_("entry sequence"))
    name = models.CharField(_("name"), max_length=200)
    brand = models.CharField(_("brand"), max_length=80, blank=True)
    model = models.CharField(_("model"), max_length=120, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True, db_index=True)
    specifications = models.TextField(_("specifications"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_DEPOT)
    depot = models.ForeignKey(Depot, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="assets")
    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="assets"
    )
    holder = models.ForeignKey(
        "org.Staff",
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_assets",
        editable=False,
        help_text=_("Set and cleared only by a Taşınır Teslim Belgesi."),
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.SET_NULL, null=True, blank=True, related_name="assets"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("attached to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="components",
        help_text=_("The computer a monitor or peripheral belongs to."),
    )
    # Purchase (TMY md. 15)
    invoice_no = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    price = models.DecimalField(_("price (TL)"), max_digits=14, decimal_places=2, null=True, blank=True)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    acceptance_report = models.CharField(_("inspection and acceptance report"), max_length=60, blank=True)
    warranty_end = models.DateField(_("warranty end"), null=True, blank=True)
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("maintenance contract"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
    )
    # BİG 3.1.1.2 hardware inventory fields
    hostname = models.CharField(_("host name"), max_length=120, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True, db_index=True)
    hardware_uuid = models.CharField(_("hardware UUID"), max_length=64, blank=True, db_index=True)
    is_approved = models.BooleanField(_("approved by the institution"), default=True)
    commissioned_at = models.DateTimeField(_("commissioned at"), null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(_("last agent contact"), null=True, blank=True, editable=False)

    scope_unit_field = "owner_unit"
    changelog_exclude: ClassVar[tuple[str, ...]] = ("search_key", "last_seen_at")

    class Meta:
        ordering = ["-entry_year", "-sequence"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.UniqueConstraint(fields=["tasinir_code", "entry_year", "sequence"], name="asset_sicil_parts"),
        ]
        indexes = [
            models.Index(fields=["owner_unit", "status", "-entry_year", "-sequence"], name="asset_unit_status"),
            models.Index(fields=["status", "-entry_year", "-sequence"], name="asset_status"),
            # the list's sortable columns (AssetTable); id breaks ties so that pages never overlap. The status
            # filter is the one nearly every list view sets: without the status-first copies SQLite walks the
            # status index and sorts every matching row (0.8 s on 500,000 assets) instead of the order's index.
            models.Index(fields=["name", "id"], name="asset_name"),
            models.Index(fields=["warranty_end", "id"], name="asset_warranty_end"),
            models.Index(fields=["status", "name", "id"], name="asset_status_name"),
            models.Index(fields=["status", "warranty_end", "id"], name="asset_status_warranty_end"),
            models.Index(fields=["status", "sicil_no"], name="asset_status_sicil_no"),
        ]
        permissions = [("view_all_assets", _("Can see the assets of every unit (IT staff)"))]

    def __str__(self) -> str:
        return f"{self.sicil_no} {self.name}"

    def search_source(self) -> str:
        return " ".join(
            part for part in (self.sicil_no, self.name, self.brand, self.model, self.serial, self.hostname) if part
        )

    @classmethod
    def scope(cls, user: Any) -> Q:
        """IT staff see the inventory of every unit they serve; others their unit's and what they hold."""
        if not user.is_authenticated:
            return Q(pk__in=[])
        if sees_all_units(user) or user.has_perm("inventory.view_all_assets"):
            return Q()
        # Both sides of the OR as lists of ids (the unit subtree from the process's copy of the tree, the
        # user's staff rows with one small query), not subqueries: PostgreSQL estimates an OR of two hashed
        # subplans at three quarters of the register and walks the sort index filtering 60,000 rows for a
        # page of a unit's printers (180 ms); with the ids it combines the (owner_unit, …) and holder indexes
        # and sorts the few thousand rows of the unit (12–24 ms). Not ``holder__user_id``: a join on staff under
        # an OR can use no index at all.
        path = user_unit_path(user)
        units = tree.current().subtree_ids(path) if path else []
        holders = list(apps.get_model("org", "Staff").objects.filter(user_id=user.pk).values_list("pk", flat=True))
        query = Q(owner_unit_id__in=units) if units else Q(pk__in=[])
        return query | Q(holder_id__in=holders) if holders else query


class Commissioning(BaseModel):
    """The commissioning checklist of a new computer (Nizip md. 12/49): tested, installed and registered
    on the network before it may be handed to a user."""

    asset = models.OneToOneField(Asset, verbose_name=_("asset"), on_delete=models.CASCADE, related_name="commissioning")
    tested = models.BooleanField(_("tested"), default=False)
    installed = models.BooleanField(_("operating system and software installed"), default=False)
    network_registered = models.BooleanField(_("registered on the network"), default=False)
    note = models.TextField(_("note"), blank=True)
    done_by = models.ForeignKey(
        "org.Staff", verbose_name=_("done by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)

    scope_unit_field = "asset__owner_unit"

    class Meta:
        verbose_name = _("commissioning")
        verbose_name_plural = _("commissionings")

    def __str__(self) -> str:
        return f"{self.asset.sicil_no}"

    @property
    def is_complete(self) -> bool:
        return self.tested and self.installed and self.network_registered
