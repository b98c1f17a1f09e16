"""Catalogue pages (categories, items, routing rules, root causes, SLA policies) and the knowledge base.

All of it is data managers edit (``servicedesk.add_*`` / ``change_*``); every signed-in user reads the
catalogue, and requesters read only published, non-internal articles (``Article.scope``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from biys.core.models import ChangeLogEntry
from biys.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    attribute_rows,
    object_actions,
    require,
)
from biys.servicedesk.catalogue import filtersets, forms, tables
from biys.servicedesk.catalogue.forms import hours_text
from biys.servicedesk.choices import FieldType, Priority
from biys.servicedesk.models import Article, RootCause, RoutingRule, ServiceCategory, ServiceItem, SlaPolicy
from biys.servicedesk.models.tickets import is_it_staff

# --- categories ------------------------------------------------------------------------------------------------


class ServiceCategoryListView(ObjectListView):
    queryset = ServiceCategory.objects.annotate(item_count=Count("items"))
    filterset = filtersets.ServiceCategoryFilterSet
    table = tables.ServiceCategoryTable


class ServiceCategoryView(ObjectView):
    queryset = ServiceCategory.objects.all()
    template_name = "servicedesk/catalogue/servicecategory.html"
    fields = ("name", "icon", "sort_order")

    def get_extra_context(self, request: HttpRequest, instance: ServiceCategory) -> dict[str, Any]:
        items = ServiceItem.restrict(instance.items.select_related("responsible_unit"), request.user)
        return {"items": items.order_by("sort_order", "name")}


class ServiceCategoryEditView(ObjectEditView):
    queryset = ServiceCategory.objects.all()
    form = forms.ServiceCategoryForm


class ServiceCategoryDeleteView(ObjectDeleteView):
    queryset = ServiceCategory.objects.all()


# --- items -----------------------------------------------------------------------------------------------------


class ServiceItemListView(ObjectListView):
    queryset = ServiceItem.objects.select_related("category", "responsible_unit", "sla_policy")
    filterset = filtersets.ServiceItemFilterSet
    table = tables.ServiceItemTable
    filter_fields = ("category", "responsible_unit", "is_active")


class ServiceItemView(ObjectView):
    queryset = ServiceItem.objects.select_related("category", "responsible_unit", "sla_policy")
    template_name = "servicedesk/catalogue/serviceitem.html"
    fields = (
        "code",
        "category",
        "description",
        "responsible_unit",
        "sla_policy",
        "default_priority",
        "asks_for_asset",
        "directive_ref",
        "is_active",
        "sort_order",
    )

    def get_extra_context(self, request: HttpRequest, instance: ServiceItem) -> dict[str, Any]:
        policy = instance.policy()
        rules = RoutingRule.restrict(
            RoutingRule.objects.filter(item=instance).select_related("requester_unit", "target_unit"), request.user
        )
        return {
            "questions": _questions(instance.fields),
            "policy": policy,
            "targets": _target_rows(policy) if policy is not None else [],
            "rules": rules,
            "articles": Article.restrict(instance.articles.all(), request.user).order_by("title")[:20],
        }


def _questions(specs: Any) -> list[dict[str, Any]]:
    types = dict(FieldType.choices)
    return [
        {
            "name": spec.get("name", ""),
            "label": spec.get("label", ""),
            "type": types.get(spec.get("type", FieldType.TEXT), spec.get("type", "")),
            "required": bool(spec.get("required")),
            "choices": ", ".join(str(c) for c in spec.get("choices", []) or []),
        }
        for spec in specs or []
        if isinstance(spec, dict)
    ]


class ServiceItemEditView(ObjectEditView):
    queryset = ServiceItem.objects.all()
    form = forms.ServiceItemForm


class ServiceItemDeleteView(ObjectDeleteView):
    """Items with tickets are kept (the tickets refer to them): deactivate them instead."""

    queryset = ServiceItem.objects.all()

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        require(request.user, ServiceItem, "delete")
        instance = self.get_object(request, pk)
        if instance.tickets.exists():
            messages.error(
                request,
                _(
                    "%(item)s has tickets and cannot be deleted. Clear “active” on the edit page instead: the item "
                    "then disappears from the portal and its tickets keep their history."
                )
                % {"item": instance},
            )
            return redirect(reverse("servicedesk:serviceitem_edit", kwargs={"pk": instance.pk}))
        return super().post(request, pk)


# --- routing rules and root causes -----------------------------------------------------------------------------


class RoutingRuleListView(ObjectListView):
    queryset = RoutingRule.objects.select_related("item", "requester_unit", "target_unit")
    filterset = filtersets.RoutingRuleFilterSet
    table = tables.RoutingRuleTable
    filter_fields = ("item", "target_unit")


class RoutingRuleView(ObjectView):
    queryset = RoutingRule.objects.select_related("item", "requester_unit", "target_unit")
    fields = ("item", "requester_unit", "building", "target_unit", "note")


class RoutingRuleEditView(ObjectEditView):
    queryset = RoutingRule.objects.all()
    form = forms.RoutingRuleForm

    def save(self, request: HttpRequest, form: Any, instance: RoutingRule) -> Any:
        # core.views.check_version locks with .first(), which orders by Meta.ordering; a routing rule is ordered
        # by nullable foreign keys and PostgreSQL refuses FOR UPDATE on the outer join that ordering needs.
        # So the row is locked here without ordering, and the version compared the same way.
        if instance.pk is not None:
            current = RoutingRule.objects.select_for_update().filter(pk=instance.pk).order_by("pk").first()
            if current is None:
                raise Http404
            version = form.cleaned_data.get("_version", "")
            if version and current.updated_at.isoformat() != version:
                raise _conflict(RoutingRule, instance.pk)
        return form.save()


def _conflict(model: type[Any], pk: Any) -> ValidationError:
    """The message core.views.check_version gives for a stale form (who changed which fields)."""
    last = (
        ChangeLogEntry.objects.filter(object_id=str(pk), action=ChangeLogEntry.Action.UPDATE)
        .filter(content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name)
        .order_by("-id")
        .first()
    )
    fields = ", ".join(name for name, _b, _a in last.changed_fields_display()) if last else ""
    return ValidationError(
        _(
            "This record was changed by %(user)s while you were editing it (fields: %(fields)s). "
            "Nothing was saved. Reload the page to see their change, then apply yours again."
        )
        % {"user": (last.user_name if last else "") or _("another user"), "fields": fields or "-"},
        code="conflict",
    )


class RoutingRuleDeleteView(ObjectDeleteView):
    queryset = RoutingRule.objects.all()


class RootCauseListView(ObjectListView):
    queryset = RootCause.objects.all()
    filterset = filtersets.RootCauseFilterSet
    table = tables.RootCauseTable
    filter_fields = ("group", "is_active")


class RootCauseView(ObjectView):
    queryset = RootCause.objects.all()
    fields = ("code", "name", "group", "is_active")


class RootCauseEditView(ObjectEditView):
    queryset = RootCause.objects.all()
    form = forms.RootCauseForm


class RootCauseDeleteView(ObjectDeleteView):
    queryset = RootCause.objects.all()


# --- SLA policies ----------------------------------------------------------------------------------------------


def _target_rows(policy: SlaPolicy) -> list[dict[str, Any]]:
    """One row per priority, in order, with the gap left visible (``None`` times)."""
    targets = {t.priority: t for t in policy.targets.all()}
    rows = []
    for priority in Priority:
        target = targets.get(priority.value)
        rows.append(
            {
                "priority": priority.label,
                "response": hours_text(target.response_time) if target else None,
                "resolution": hours_text(target.resolution_time) if target else None,
            }
        )
    return rows


class SlaPolicyListView(ObjectListView):
    queryset = SlaPolicy.objects.annotate(target_count=Count("targets"))
    filterset = filtersets.SlaPolicyFilterSet
    table = tables.SlaPolicyTable


class SlaPolicyView(ObjectView):
    queryset = SlaPolicy.objects.all()
    template_name = "servicedesk/catalogue/slapolicy.html"
    fields = ("name", "is_default", "count_half_days", "observe_idari_izin", "pause_on_parts", "warn_percent")

    def get_extra_context(self, request: HttpRequest, instance: SlaPolicy) -> dict[str, Any]:
        items = ServiceItem.restrict(instance.items.select_related("category"), request.user).order_by("name")
        return {
            "targets": _target_rows(instance),
            "missing": [str(p.label) for p in instance.missing_priorities()],
            "items": items[:100],
        }


class SlaPolicyEditView(ObjectEditView):
    """The policy and its four targets in one form and one transaction (``SlaPolicyForm.save``)."""

    queryset = SlaPolicy.objects.all()
    form = forms.SlaPolicyForm
    template_name = "servicedesk/catalogue/slapolicy_edit.html"


class SlaPolicyDeleteView(ObjectDeleteView):
    queryset = SlaPolicy.objects.all()


# --- knowledge base --------------------------------------------------------------------------------------------


class ArticleListView(ObjectListView):
    queryset = Article.objects.all()
    filterset = filtersets.ArticleFilterSet
    table = tables.ArticleTable
    filter_fields = ("item", "status")
    template_name = "servicedesk/knowledge/article_list.html"


class ArticleView(ObjectView):
    """An article; each reading counts (an UPDATE of the counter only: views stay out of the change log)."""

    queryset = Article.objects.all()
    template_name = "servicedesk/knowledge/article.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        require(request.user, Article, "view")
        article = self.get_object(request, pk)
        Article.objects.filter(pk=article.pk).update(views=F("views") + 1)
        article.views += 1
        staff = is_it_staff(request.user)
        actions = object_actions(request.user, article)
        if not staff:
            actions.pop("history_url", None)  # the history tab is for the editors
        context = {
            "object": article,
            "model": Article,
            "meta": Article._meta,
            "active_tab": "detail",
            "attributes": attribute_rows(article, ("status", "is_internal", "updated_at")),
            "items": ServiceItem.restrict(article.items.select_related("category"), request.user).order_by("name"),
            "staff": staff,
            **actions,
        }
        return render(request, self.get_template_names(), context)


class ArticleEditView(ObjectEditView):
    queryset = Article.objects.all()
    form = forms.ArticleForm


class ArticleDeleteView(ObjectDeleteView):
    queryset = Article.objects.all()
