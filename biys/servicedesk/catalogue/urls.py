from __future__ import annotations

from django.urls import URLPattern

from biys.core.routing import model_urls
from biys.servicedesk.catalogue import views

# Included by biys/servicedesk/urls.py (namespace "servicedesk"): names are <model>_list, <model>, <model>_add …
urlpatterns: list[URLPattern] = [
    *model_urls(
        "catalogue/categories",
        "servicecategory",
        list=views.ServiceCategoryListView,
        detail=views.ServiceCategoryView,
        edit=views.ServiceCategoryEditView,
        delete=views.ServiceCategoryDeleteView,
    ),
    *model_urls(
        "catalogue/items",
        "serviceitem",
        list=views.ServiceItemListView,
        detail=views.ServiceItemView,
        edit=views.ServiceItemEditView,
        delete=views.ServiceItemDeleteView,
    ),
    *model_urls(
        "catalogue/routing-rules",
        "routingrule",
        list=views.RoutingRuleListView,
        detail=views.RoutingRuleView,
        edit=views.RoutingRuleEditView,
        delete=views.RoutingRuleDeleteView,
    ),
    *model_urls(
        "catalogue/root-causes",
        "rootcause",
        list=views.RootCauseListView,
        detail=views.RootCauseView,
        edit=views.RootCauseEditView,
        delete=views.RootCauseDeleteView,
    ),
    *model_urls(
        "catalogue/sla-policies",
        "slapolicy",
        list=views.SlaPolicyListView,
        detail=views.SlaPolicyView,
        edit=views.SlaPolicyEditView,
        delete=views.SlaPolicyDeleteView,
    ),
    *model_urls(
        "knowledge-base",
        "article",
        list=views.ArticleListView,
        detail=views.ArticleView,
        edit=views.ArticleEditView,
        delete=views.ArticleDeleteView,
    ),
]
