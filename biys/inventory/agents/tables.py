from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from biys.core.tables import BaseTable
from biys.inventory.models import AgentLink, DiscoveredDevice

_DATETIME = "d.m.Y H:i"


def _local(value: Any) -> str:
    """Exports show the local time as people read it, not the stored UTC value."""
    return f"{timezone.localtime(value):%d.%m.%Y %H:%M}" if value else ""


class DiscoveredDeviceTable(BaseTable):
    hostname = tables.Column(verbose_name=_("Host name"), order_by=("hostname", "device_id"))
    last_contact = tables.DateTimeColumn(format=_DATETIME)
    asset = tables.Column(order_by=("asset__sicil_no",))

    class Meta(BaseTable.Meta):
        model = DiscoveredDevice
        fields = ("hostname", "device_id", "agent_type", "serial", "reason", "status", "asset", "last_contact")

    def value_hostname(self, value: str, record: DiscoveredDevice) -> str:
        return value or record.device_id

    def value_asset(self, value: Any) -> str:
        return value.sicil_no if value else ""

    def value_last_contact(self, value: Any) -> str:
        return _local(value)

    def render_hostname(self, value: str, record: DiscoveredDevice) -> str:
        url = reverse("agents:agents_device", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value or record.device_id)

    def render_asset(self, value: Any) -> str:
        url = value.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, value.sicil_no) if url else value.sicil_no


class AgentLinkTable(BaseTable):
    asset = tables.Column(verbose_name=_("Asset"), order_by=("asset__sicil_no",))
    hostname = tables.Column(verbose_name=_("Host name"), accessor="asset__hostname", order_by=("asset__hostname",))
    last_contact = tables.DateTimeColumn(format=_DATETIME)
    last_inventory = tables.DateTimeColumn(format=_DATETIME)
    antivirus_up_to_date = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = AgentLink
        fields = (
            "asset",
            "hostname",
            "agent_type",
            "agent_version",
            "os_name",
            "logged_user",
            "antivirus",
            "antivirus_up_to_date",
            "last_contact",
            "last_inventory",
        )

    def value_asset(self, value: Any) -> str:
        return f"{value.sicil_no} {value.name}"

    def value_last_contact(self, value: Any) -> str:
        return _local(value)

    def value_last_inventory(self, value: Any) -> str:
        return _local(value)

    def render_asset(self, value: Any) -> str:
        url = value.get_absolute_url()
        label = f"{value.sicil_no} {value.name}"
        return format_html('<a href="{}">{}</a>', url, label) if url else label
