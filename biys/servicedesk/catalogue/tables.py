from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from biys.core.tables import BaseTable, BooleanIconColumn, LinkColumn
from biys.servicedesk.choices import ArticleStatus, Priority
from biys.servicedesk.models import Article, RootCause, RoutingRule, ServiceCategory, ServiceItem, SlaPolicy

NUMBER = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class ServiceCategoryTable(BaseTable):
    name = LinkColumn()
    icon = tables.Column()
    item_count = tables.Column(verbose_name=_("Services"), attrs=NUMBER)

    class Meta(BaseTable.Meta):
        model = ServiceCategory
        fields = ("name", "icon", "sort_order", "item_count")

    def render_icon(self, value: str) -> SafeString:
        return format_html(
            '<i class="bi bi-{}" aria-hidden="true"></i> <span class="small text-muted">{}</span>', value, value
        )

    def value_icon(self, value: str) -> str:
        return value


class ServiceItemTable(BaseTable):
    name = LinkColumn()
    category = tables.Column(order_by=("category__sort_order", "category__name"))
    responsible_unit = tables.Column(order_by=("responsible_unit__name",))
    sla_policy = tables.Column(order_by=("sla_policy__name",), default="—")
    is_active = BooleanIconColumn()

    class Meta(BaseTable.Meta):
        model = ServiceItem
        fields = ("name", "code", "category", "responsible_unit", "default_priority", "sla_policy", "is_active")


class RoutingRuleTable(BaseTable):
    rule = tables.Column(verbose_name=_("Rule"), accessor="pk", order_by=("item__name", "requester_unit__name"))
    item = tables.Column(order_by=("item__name",), default=_("Any item"))
    requester_unit = tables.Column(order_by=("requester_unit__name",), default=_("Any unit"))
    building = tables.Column(default="—")
    target_unit = tables.Column(order_by=("target_unit__name",))

    class Meta(BaseTable.Meta):
        model = RoutingRule
        fields = ("rule", "item", "requester_unit", "building", "target_unit", "note")

    def render_rule(self, record: RoutingRule) -> SafeString:
        return format_html('<a href="{}">#{}</a>', record.get_absolute_url(), record.pk)

    def value_rule(self, record: RoutingRule) -> str:
        return str(record.pk)


class RootCauseTable(BaseTable):
    code = LinkColumn()
    is_active = BooleanIconColumn()

    class Meta(BaseTable.Meta):
        model = RootCause
        fields = ("code", "name", "group", "is_active")


class SlaPolicyTable(BaseTable):
    name = LinkColumn()
    is_default = BooleanIconColumn()
    target_count = tables.Column(verbose_name=_("Targets"), attrs=NUMBER)

    class Meta(BaseTable.Meta):
        model = SlaPolicy
        fields = ("name", "is_default", "count_half_days", "observe_idari_izin", "pause_on_parts", "target_count")

    def render_target_count(self, value: int) -> Any:
        if value < len(Priority):
            return format_html('<span class="badge text-bg-danger">{}/{} · {}</span>', value, len(Priority), _("gaps"))
        return format_html('<span class="badge text-bg-success">{}/{}</span>', value, len(Priority))

    def value_target_count(self, value: int) -> int:
        return value


class ArticleTable(BaseTable):
    title = LinkColumn()
    status = tables.Column()
    is_internal = BooleanIconColumn()
    views = tables.Column(attrs=NUMBER)
    updated_at = tables.DateTimeColumn(format="d.m.Y", verbose_name=_("Updated"))

    class Meta(BaseTable.Meta):
        model = Article
        fields = ("title", "summary", "status", "is_internal", "views", "updated_at")

    def render_status(self, record: Article) -> SafeString:
        css = {ArticleStatus.PUBLISHED: "text-bg-success", ArticleStatus.DRAFT: "text-bg-warning"}
        return format_html(
            '<span class="badge {}">{}</span>', css.get(record.status, "text-bg-secondary"), record.get_status_display()
        )

    def value_status(self, record: Article) -> str:
        return str(record.get_status_display())
