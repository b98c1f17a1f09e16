from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from biys.core.tables import BaseTable, BooleanIconColumn, LinkColumn, short_date
from biys.inventory.models import Asset, AssetKind, Contract, Depot, Location, TasinirCode

STATUS_COLOURS: dict[str, str] = {
    Asset.Status.IN_DEPOT: "secondary",
    Asset.Status.COMMISSIONING: "warning",
    Asset.Status.IN_USE: "success",
    Asset.Status.IN_REPAIR: "danger",
    Asset.Status.AT_VENDOR: "danger",
    Asset.Status.LENT: "info",
}


class PlainLinkColumn(LinkColumn):
    """A link on the page, plain text in Excel/CSV exports."""

    def value(self, value: Any) -> Any:
        return value


class TasinirCodeTable(BaseTable):
    code = PlainLinkColumn()
    name = tables.Column(attrs={"td": {"class": "text-wrap"}})
    account = tables.Column(verbose_name=_("Account"), accessor="code", orderable=False)
    is_active = BooleanIconColumn()

    class Meta(BaseTable.Meta):
        model = TasinirCode
        fields = ("code", "name", "level", "account", "list_version", "is_active")

    def render_account(self, record: TasinirCode) -> str:
        return record.account

    def value_account(self, record: TasinirCode) -> str:
        return record.account


class AssetKindTable(BaseTable):
    name = PlainLinkColumn()
    tasinir_code = tables.Column(linkify=True, order_by=("tasinir_code__code",))
    needs_commissioning = BooleanIconColumn()
    has_storage = BooleanIconColumn()

    class Meta(BaseTable.Meta):
        model = AssetKind
        fields = ("name", "category", "tasinir_code", "unit_of_measure", "needs_commissioning", "has_storage")


class DepotTable(BaseTable):
    name = PlainLinkColumn()
    unit = tables.Column(linkify=True, order_by=("unit__name",))
    records_officer = tables.Column(linkify=True, order_by=("records_officer__last_name",))
    control_officer = tables.Column(linkify=True, order_by=("control_officer__last_name",))
    is_active = BooleanIconColumn()

    class Meta(BaseTable.Meta):
        model = Depot
        fields = ("institutional_code", "code", "name", "unit", "records_officer", "control_officer", "is_active")


class LocationTable(BaseTable):
    building = PlainLinkColumn()
    unit = tables.Column(linkify=True, order_by=("unit__name",))
    responsible = tables.Column(linkify=True, order_by=("responsible__last_name",))

    class Meta(BaseTable.Meta):
        model = Location
        fields = ("building", "floor", "room", "unit", "responsible")


class ContractTable(BaseTable):
    name = PlainLinkColumn()
    start_date = tables.DateColumn(format="d.m.Y")
    end_date = tables.DateColumn(format="d.m.Y")

    class Meta(BaseTable.Meta):
        model = Contract
        fields = ("name", "vendor", "start_date", "end_date", "contact")


class StatusColumn(tables.Column):
    def render(self, value: Any, record: Asset) -> str:
        colour = STATUS_COLOURS.get(record.status, "dark")
        return format_html('<span class="badge text-bg-{}">{}</span>', colour, record.get_status_display())

    def value(self, record: Asset, value: Any) -> str:
        return str(record.get_status_display())


def _related_link(prefix: str, record: Any, field: str, attribute: str = "") -> SafeString:
    """A link to the related row's page (its name, or ``attribute`` of it), or a dash when there is none."""
    pk = getattr(record, f"{field}_id")
    if not pk:
        return mark_safe("—")  # a constant
    related = getattr(record, field)
    return format_html('<a href="{}{}/">{}</a>', prefix, pk, getattr(related, attribute) if attribute else related)


class AssetTable(BaseTable):
    """Each row drawn in Python (``draw_row``), not cell by cell: the register's 50-row page is drawn in a small
    fraction of the time. The cells are the columns of ``Meta.fields``, in that order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asset_prefix, self.kind_prefix = reverse("inventory:asset_list"), reverse("inventory:assetkind_list")
        self.unit_prefix, self.staff_prefix = reverse("org:unit_list"), reverse("org:staff_list")
        self.location_prefix = reverse("inventory:location_list")

    # Only orders an index serves are offered (Asset.Meta.indexes): sorting 500,000 assets by a joined
    # name (kind, unit, location, holder) took 0.5–1.2 s a page. Kind, unit and status have filters instead.
    sicil_no = PlainLinkColumn(attrs={"td": {"class": "text-nowrap"}})
    name = tables.Column(order_by=("name", "id"))
    kind = tables.Column(linkify=True, orderable=False)
    brand = tables.Column(orderable=False)
    model = tables.Column(orderable=False)
    serial = tables.Column(orderable=False)
    status = StatusColumn(order_by=("status", "-entry_year", "-sequence"))
    owner_unit = tables.Column(linkify=True, orderable=False)
    location = tables.Column(linkify=True, orderable=False)
    holder = tables.Column(linkify=True, orderable=False)
    hostname = tables.Column(orderable=False)
    warranty_end = tables.DateColumn(format="d.m.Y", order_by=("warranty_end", "id"))

    def draw_row(self, record: Asset) -> SafeString:
        return format_html(
            '<tr><td class="text-nowrap"><a href="{}{}/">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
            '<td>{}</td><td><span class="badge text-bg-{}">{}</span></td><td>{}</td><td>{}</td><td>{}</td>'
            "<td>{}</td><td>{}</td></tr>",
            self.asset_prefix,
            record.pk,
            record.sicil_no,
            record.name,
            _related_link(self.kind_prefix, record, "kind"),
            record.brand or "—",
            record.model or "—",
            record.serial or "—",
            STATUS_COLOURS.get(record.status, "dark"),
            record.get_status_display(),
            _related_link(self.unit_prefix, record, "owner_unit", "name"),
            _related_link(self.location_prefix, record, "location"),
            _related_link(self.staff_prefix, record, "holder"),
            record.hostname or "—",
            short_date(record.warranty_end) or "—",
        )

    class Meta(BaseTable.Meta):
        model = Asset
        fields = (
            "sicil_no",
            "name",
            "kind",
            "brand",
            "model",
            "serial",
            "status",
            "owner_unit",
            "location",
            "holder",
            "hostname",
            "warranty_end",
        )


class ExpiryTable(BaseTable):
    expiry_group = tables.Column(verbose_name=_("Group"), order_by=("ends_on",))
    ends_on = tables.DateColumn(verbose_name=_("Ends on"), format="d.m.Y")
    days_left = tables.Column(verbose_name=_("Days left"), accessor="ends_on", order_by=("ends_on",))
    sicil_no = PlainLinkColumn(attrs={"td": {"class": "text-nowrap"}})
    name = tables.Column()
    kind = tables.Column(order_by=("kind__name",))
    owner_unit = tables.Column(order_by=("owner_unit__name",))
    warranty_end = tables.DateColumn(format="d.m.Y")
    contract = tables.Column(linkify=True, order_by=("contract__name",))
    contract_end = tables.DateColumn(verbose_name=_("Contract end"), accessor="contract__end_date", format="d.m.Y")

    class Meta(BaseTable.Meta):
        model = Asset
        fields = (
            "expiry_group",
            "ends_on",
            "days_left",
            "sicil_no",
            "name",
            "kind",
            "owner_unit",
            "warranty_end",
            "contract",
            "contract_end",
        )
        order_by = ("ends_on",)

    def render_expiry_group(self, value: str) -> str:
        if value == "expired":
            return format_html('<span class="badge text-bg-danger">{}</span>', _("Expired"))
        return format_html('<span class="badge text-bg-warning">{}</span>', _("Expiring"))

    def value_expiry_group(self, value: str) -> str:
        return str(_("Expired") if value == "expired" else _("Expiring"))

    def render_days_left(self, value: Any) -> int:
        return int((value - timezone.localdate()).days)

    def value_days_left(self, value: Any) -> int:
        return self.render_days_left(value)
