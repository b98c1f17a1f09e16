from __future__ import annotations

from django.urls import URLPattern, path

from biys.servicedesk.reports import views

# Included by biys/servicedesk/urls.py (namespace "servicedesk", mounted at /destek/).
urlpatterns: list[URLPattern] = [
    path("pano/", views.dashboard, name="dashboard"),
    path("pano/satisfaction/", views.satisfaction, name="satisfaction"),
    path("pano/export.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("reports/monthly/", views.monthly_report, name="monthly_report"),
]
