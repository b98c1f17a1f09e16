from __future__ import annotations

from django.urls import URLPattern, path

from biys.inventory.imports import stock_views, views

urlpatterns: list[URLPattern] = [
    path("imports/assets/", views.import_assets, name="import_assets"),
    path("imports/assets/preview/", views.import_preview, name="import_preview"),
    path("imports/assets/commit/", views.import_commit, name="import_commit"),
    path("imports/assets/template.xlsx", views.import_template, name="import_template"),
    path("imports/status/<str:job>/", views.import_status, name="import_status"),
    # Consumables and spare parts: opening quantities on one inventory-entry VİF per depot
    path("imports/stock/", stock_views.import_stock, name="import_stock"),
    path("imports/stock/preview/", stock_views.import_stock_preview, name="import_stock_preview"),
    path("imports/stock/commit/", stock_views.import_stock_commit, name="import_stock_commit"),
    path("imports/stock/template.xlsx", stock_views.import_stock_template, name="import_stock_template"),
]
