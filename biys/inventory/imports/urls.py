from __future__ import annotations

from django.urls import URLPattern, path

from biys.inventory.imports import views

urlpatterns: list[URLPattern] = [
    path("imports/assets/", views.import_assets, name="import_assets"),
    path("imports/assets/preview/", views.import_preview, name="import_preview"),
    path("imports/assets/commit/", views.import_commit, name="import_commit"),
    path("imports/assets/template.xlsx", views.import_template, name="import_template"),
    path("imports/status/<str:job>/", views.import_status, name="import_status"),
]
