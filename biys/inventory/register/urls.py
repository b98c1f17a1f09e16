from __future__ import annotations

from django.urls import URLPattern, path

from biys.core.routing import model_urls
from biys.core.views import ObjectChangeLogView
from biys.inventory.register import views

urlpatterns: list[URLPattern] = [
    *model_urls("tasinir-codes", "tasinircode", list=views.TasinirCodeListView, detail=views.TasinirCodeView),
    *model_urls(
        "asset-kinds",
        "assetkind",
        list=views.AssetKindListView,
        detail=views.AssetKindView,
        edit=views.AssetKindEditView,
        delete=views.AssetKindDeleteView,
    ),
    path("asset-kinds/defaults/", views.asset_kind_defaults, name="assetkind_defaults"),
    *model_urls(
        "depots",
        "depot",
        list=views.DepotListView,
        detail=views.DepotView,
        edit=views.DepotEditView,
        delete=views.DepotDeleteView,
    ),
    *model_urls(
        "locations",
        "location",
        list=views.LocationListView,
        detail=views.LocationView,
        edit=views.LocationEditView,
        delete=views.LocationDeleteView,
    ),
    *model_urls(
        "contracts",
        "contract",
        list=views.ContractListView,
        detail=views.ContractView,
        edit=views.ContractEditView,
        delete=views.ContractDeleteView,
    ),
    # Assets: "add" registers (the sicil no is given by the system), "edit" never touches the number.
    path("assets/", views.AssetListView.as_view(), name="asset_list"),
    path("assets/add/", views.AssetRegisterView.as_view(), name="asset_add"),
    path("assets/expiring/", views.AssetExpiryReportView.as_view(), name="asset_expiry"),
    path("assets/labels/", views.asset_labels, name="asset_labels"),
    path("assets/<int:pk>/", views.AssetView.as_view(), name="asset"),
    path("assets/<int:pk>/edit/", views.AssetEditView.as_view(), name="asset_edit"),
    path("assets/<int:pk>/delete/", views.AssetDeleteView.as_view(), name="asset_delete"),
    path(
        "assets/<int:pk>/history/",
        ObjectChangeLogView.as_view(queryset=views.AssetView.queryset),
        name="asset_history",
    ),
    path("assets/<int:pk>/label/", views.asset_label, name="asset_label"),
    path("assets/<int:pk>/commissioning/", views.asset_commissioning, name="asset_commissioning"),
]
