"""Knowledge base articles and users' saved list views."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.models import BaseModel, SearchableModel
from biys.servicedesk.choices import ArticleStatus

from .catalogue import ServiceItem
from .tickets import is_it_staff


class Article(SearchableModel):
    """A how-to or known-error article, in Turkish, suggested to requesters as they type their problem."""

    title = models.CharField(pgettext_lazy("article", "title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    items = models.ManyToManyField(ServiceItem, verbose_name=_("catalogue items"), blank=True, related_name="articles")
    status = models.CharField(_("status"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    is_internal = models.BooleanField(_("IT staff only"), default=False)
    views = models.PositiveIntegerField(_("views"), default=0, editable=False)

    changelog_exclude: ClassVar[tuple[str, ...]] = ("search_key", "views")

    class Meta:
        ordering = ["title"]
        verbose_name = _("knowledge base article")
        verbose_name_plural = _("knowledge base articles")

    def __str__(self) -> str:
        return self.title

    def search_source(self) -> str:
        return f"{self.title} {self.summary} {self.body}"

    @classmethod
    def scope(cls, user: Any) -> Q:
        if not user.is_authenticated:
            return Q(pk__in=[])
        if is_it_staff(user):
            return Q()
        return Q(status=ArticleStatus.PUBLISHED, is_internal=False)


class SavedView(BaseModel):
    """A named filter of a list (query string), private or shared with the owner's unit."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="saved_views"
    )
    list_name = models.CharField(
        _("list"), max_length=100, help_text=_("URL name of the list, e.g. servicedesk:ticket_list.")
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    is_shared = models.BooleanField(_("shared with my unit"), default=False)

    class Meta:
        ordering = ["list_name", "name"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [models.UniqueConstraint(fields=["owner", "list_name", "name"], name="saved_view_unique")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope(cls, user: Any) -> Q:
        if not user.is_authenticated:
            return Q(pk__in=[])
        query = Q(owner_id=user.pk)
        if getattr(user, "unit_id", None) is not None:
            query |= Q(is_shared=True, owner__unit_id=user.unit_id)
        return query
