"""Generic list, detail, edit, delete and history views. Each app subclasses them with a queryset,
a filterset, a table and a form; scoping, permissions, concurrency and the change log come from here.
"""

from __future__ import annotations

from copy import copy
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views import View
from django_tables2.paginators import LazyPaginator

from biys.core.exports import export_table
from biys.core.models import ChangeLogEntry
from biys.core.pagination import DeferredJoinPaginator


def restrict(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """The only way generic views and viewsets read rows: filtered by the model's ``scope``."""
    scope = getattr(queryset.model, "scope", None)
    return queryset.filter(scope(user)) if scope is not None else queryset.none()


def perm_name(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def require(user: Any, model: type[models.Model], action: str) -> None:
    if not user.has_perm(perm_name(model, action)):
        raise PermissionDenied


def url_name(model: type[models.Model], suffix: str = "") -> str:
    return f"{model._meta.app_label}:{model._meta.model_name}{suffix}"


MAX_PER_PAGE = 100


def capped(request: HttpRequest) -> HttpRequest:
    """A request whose ``per_page`` is at most MAX_PER_PAGE: a page of 10,000 rows is a denial of service."""
    raw = request.GET.get("per_page", "")
    if not raw.isdigit() or int(raw) <= MAX_PER_PAGE:
        return request
    clamped = copy(request)
    query = request.GET.copy()
    query["per_page"] = str(MAX_PER_PAGE)
    clamped.GET = cast(Any, query)
    return clamped


class ObjectListView(View):
    queryset: QuerySet[Any]
    filterset: type[Any]
    table: type[tables.Table]
    template_name = "core/object_list.html"
    per_page = 50
    lazy_pagination = False  # skip COUNT(*) on very large tables (the change log)
    filter_fields: tuple[str, ...] = ()  # extra filterset fields shown beside the search box

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return restrict(self.queryset, request.user)

    def get(self, request: HttpRequest) -> HttpResponse:
        model = self.queryset.model
        require(request.user, model, "view")
        filterset = self.filterset(request.GET or None, queryset=self.get_queryset(request), request=request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        if filterset.is_bound and not filterset.is_valid():
            rows = rows.none()
        # No request here: django-tables2 would configure a counting paginator before ours.
        table = self.table(rows)
        table.lazy_pagination = self.lazy_pagination
        paginate: dict[str, Any] = {"per_page": self.per_page, "paginator_class": DeferredJoinPaginator}
        if self.lazy_pagination:
            paginate["paginator_class"] = LazyPaginator
        tables.RequestConfig(capped(request), paginate=paginate).configure(table)
        export = request.GET.get("export")
        if export in ("xlsx", "csv"):
            return export_table(table, model, export)
        context = {
            "model": model,
            "meta": model._meta,
            "table": table,
            "filterset": filterset,
            "filter_fields": [filterset.form[name] for name in self.filter_fields],
            "can_add": request.user.has_perm(perm_name(model, "add")),
            "add_url": _reverse_or_empty(url_name(model, "_add")),
        }
        htmx = cast(Any, request).htmx  # set by django_htmx's HtmxMiddleware
        template = "core/inc/object_table.html" if htmx.target == "object-table" else self.template_name
        return render(request, template, context)


def _reverse_or_empty(name: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except Exception:
        return ""


class ObjectMixin:
    queryset: QuerySet[Any] = cast("QuerySet[Any]", None)  # set by every subclass

    def get_object(self, request: HttpRequest, pk: Any) -> Any:
        return get_object_or_404(restrict(self.queryset, request.user), pk=pk)


class ObjectView(ObjectMixin, View):
    """A record's detail page; ``fields`` lists the attributes shown in the main panel."""

    template_name = ""
    fields: tuple[str, ...] = ()

    def get_template_names(self) -> list[str]:
        meta = self.queryset.model._meta
        return [self.template_name or f"{meta.app_label}/{meta.model_name}.html", "core/object.html"]

    def get_extra_context(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        model = self.queryset.model
        require(request.user, model, "view")
        instance = self.get_object(request, pk)
        context = {
            "object": instance,
            "model": model,
            "meta": model._meta,
            "attributes": attribute_rows(instance, self.fields),
            "active_tab": "detail",
            **object_actions(request.user, instance),
            **self.get_extra_context(request, instance),
        }
        return render(request, self.get_template_names(), context)


def attribute_rows(instance: Any, names: tuple[str, ...]) -> list[tuple[str, Any, str]]:
    """(label, value, link) for each named field: choices are displayed, relations linked."""
    rows = []
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        link = ""
        if getattr(field, "choices", None):
            value = getattr(instance, f"get_{name}_display")()
        elif isinstance(value, datetime):
            value = date_format(timezone.localtime(value), "d.m.Y H:i")
        elif isinstance(value, date):
            value = date_format(value, "d.m.Y")
        elif isinstance(value, Decimal):  # amounts as Turkish offices write them: 52.400,00
            value = number_format(value, decimal_pos=field.decimal_places, use_l10n=True, force_grouping=True)
        elif isinstance(field, models.ForeignKey | models.OneToOneField) and value is not None:
            link = value.get_absolute_url() if hasattr(value, "get_absolute_url") else ""
        rows.append((str(field.verbose_name), value, link))
    return rows


def object_actions(user: Any, instance: Any) -> dict[str, str]:
    model = type(instance)
    actions = {"history_url": _reverse_or_empty(url_name(model, "_history"), pk=instance.pk)}
    if user.has_perm(perm_name(model, "change")):
        actions["edit_url"] = _reverse_or_empty(url_name(model, "_edit"), pk=instance.pk)
    if user.has_perm(perm_name(model, "delete")):
        actions["delete_url"] = _reverse_or_empty(url_name(model, "_delete"), pk=instance.pk)
    return actions


class ObjectEditView(ObjectMixin, View):
    """Create (no pk) or edit a record. Refuses to overwrite a concurrent change and refuses
    to save a row the user would not be allowed to see (e.g. staff of another unit)."""

    form: type[Any]
    template_name = "core/object_edit.html"

    def get_instance(self, request: HttpRequest, pk: Any) -> Any:
        if pk is None:
            require(request.user, self.queryset.model, "add")
            return self.queryset.model()
        require(request.user, self.queryset.model, "change")
        return self.get_object(request, pk)

    def get_initial(self, request: HttpRequest) -> dict[str, Any]:
        return {key: value for key, value in request.GET.items() if key != "return_url"}

    def render_form(self, request: HttpRequest, form: Any, instance: Any, status: int = 200) -> HttpResponse:
        meta = self.queryset.model._meta
        context = {"form": form, "object": instance, "meta": meta, "model": self.queryset.model}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        instance = self.get_instance(request, pk)
        initial = self.get_initial(request) if pk is None else {}
        return self.render_form(request, self.form(instance=instance, initial=initial), instance)

    def post(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        instance = self.get_instance(request, pk)
        form = self.form(request.POST, request.FILES, instance=instance)
        if not form.is_valid():
            return self.render_form(request, form, instance, status=422)
        try:
            with transaction.atomic():
                saved = self.save(request, form, instance)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_form(request, form, instance, status=422)
        messages.success(request, _("Saved: %(object)s") % {"object": saved})
        return redirect(saved.get_absolute_url() or reverse(url_name(self.queryset.model, "_list")))

    def save(self, request: HttpRequest, form: Any, instance: Any) -> Any:
        model = self.queryset.model
        if instance.pk is not None:
            check_version(model, instance.pk, form.cleaned_data.get("_version", ""))
        saved = form.save()
        if not restrict(model.objects.filter(pk=saved.pk), request.user).exists():
            raise ValidationError(_("You may only save records that belong to your own unit."))
        return saved


def check_version(model: type[models.Model], pk: Any, version: str) -> None:
    """Optimistic concurrency: lock the row and compare its updated_at with the form's token."""
    # order_by("pk"): a model's default ordering over nullable foreign keys would add outer joins, and
    # PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    current: Any = model._default_manager.select_for_update().filter(pk=pk).order_by("pk").first()
    if current is None:
        raise Http404
    if version and current.updated_at.isoformat() != version:
        last = (
            ChangeLogEntry.objects.filter(object_id=str(pk), action=ChangeLogEntry.Action.UPDATE)
            .filter(content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name)
            .order_by("-id")
            .first()
        )
        fields = ", ".join(name for name, _b, _a in last.changed_fields_display()) if last else ""
        who = last.user_name if last else ""
        raise ValidationError(
            _(
                "This record was changed by %(user)s while you were editing it (fields: %(fields)s). "
                "Nothing was saved. Reload the page to see their change, then apply yours again."
            )
            % {"user": who or _("another user"), "fields": fields or "-"},
            code="conflict",
        )


class ObjectDeleteView(ObjectMixin, View):
    template_name = "core/object_delete.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        require(request.user, self.queryset.model, "delete")
        instance = self.get_object(request, pk)
        return render(request, self.template_name, {"object": instance, "meta": instance._meta})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        model = self.queryset.model
        require(request.user, model, "delete")
        instance = self.get_object(request, pk)
        try:
            with transaction.atomic():
                instance.delete()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(instance.get_absolute_url())
        except ProtectedError as exc:
            used_by = ", ".join(sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects}))
            messages.error(
                request,
                _("%(object)s is in use (%(used_by)s) and cannot be deleted.")
                % {
                    "object": instance,
                    "used_by": used_by,
                },
            )
            return redirect(instance.get_absolute_url())
        messages.success(request, _("Deleted: %(object)s") % {"object": instance})
        return redirect(reverse(url_name(model, "_list")))


class ObjectChangeLogView(ObjectMixin, View):
    """The history tab: every logged change of one record, newest first."""

    template_name = "core/object_changelog.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        model = self.queryset.model
        require(request.user, model, "view")
        instance = self.get_object(request, pk)
        entries = ChangeLogEntry.objects.filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
            object_id=str(instance.pk),
        ).order_by("-id")[:200]
        context = {
            "object": instance,
            "meta": model._meta,
            "entries": entries,
            "active_tab": "history",
            **object_actions(request.user, instance),
        }
        return render(request, self.template_name, context)
