from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from biys.core.filtersets import BaseFilterSet
from biys.org.filtersets import UnitTreeFilter
from biys.servicedesk.choices import ArticleStatus, CauseGroup, Priority
from biys.servicedesk.models import Article, RootCause, RoutingRule, ServiceCategory, ServiceItem, SlaPolicy


class ServiceCategoryFilterSet(django_filters.FilterSet):
    class Meta:
        model = ServiceCategory
        fields: list[str] = []


class ServiceItemFilterSet(BaseFilterSet):
    category = django_filters.ModelChoiceFilter(queryset=ServiceCategory.objects.all(), label=_("Category"))
    responsible_unit = UnitTreeFilter(field_path="responsible_unit", label=_("Responsible unit"))
    default_priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("Priority"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = ServiceItem
        fields = ["category", "default_priority", "is_active"]


class RoutingRuleFilterSet(django_filters.FilterSet):
    item = django_filters.ModelChoiceFilter(queryset=ServiceItem.objects.order_by("name"), label=_("Catalogue item"))
    target_unit = UnitTreeFilter(field_path="target_unit", label=_("Route to"))

    class Meta:
        model = RoutingRule
        fields = ["item"]


class RootCauseFilterSet(django_filters.FilterSet):
    group = django_filters.ChoiceFilter(choices=CauseGroup.choices, label=_("Group"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = RootCause
        fields = ["group", "is_active"]


class SlaPolicyFilterSet(django_filters.FilterSet):
    class Meta:
        model = SlaPolicy
        fields = ["is_default"]


class ArticleFilterSet(BaseFilterSet):
    """Articles by Turkish-folded search ("yazici" finds "YAZICI"), catalogue item and status."""

    item = django_filters.ModelChoiceFilter(
        field_name="items", queryset=ServiceItem.objects.order_by("name"), label=_("Catalogue item")
    )
    status = django_filters.ChoiceFilter(choices=ArticleStatus.choices, label=_("Status"))

    class Meta:
        model = Article
        fields = ["status", "is_internal"]
