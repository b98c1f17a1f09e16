"""Write-off and count pages, under /envanter/ (app namespace "inventory")."""

from __future__ import annotations

from django.urls import URLPattern, path

from biys.core.routing import model_urls
from biys.inventory.disposal import count_views, views

urlpatterns: list[URLPattern] = [
    *model_urls(
        "scrap-proposals",
        "scrapproposal",
        list=views.ScrapProposalListView,
        detail=views.ScrapProposalView,
        edit=views.ScrapProposalEditView,
    ),
    path("scrap-proposals/<int:pk>/propose/", views.scrapproposal_propose, name="scrapproposal_propose"),
    path("scrap-proposals/<int:pk>/approve/", views.scrapproposal_approve, name="scrapproposal_approve"),
    path("scrap-proposals/<int:pk>/reject/", views.scrapproposal_reject, name="scrapproposal_reject"),
    path("scrap-proposals/<int:pk>/complete/", views.scrapproposal_complete, name="scrapproposal_complete"),
    path(
        "scrap-proposals/<int:pk>/sanitizations/", views.scrapproposal_sanitization, name="scrapproposal_sanitization"
    ),
    path("scrap-proposals/<int:pk>/pdf/", views.scrapproposal_pdf, name="scrapproposal_pdf"),
    path(
        "scrap-proposals/<int:pk>/destruction-pdf/",
        views.scrapproposal_destruction_pdf,
        name="scrapproposal_destruction_pdf",
    ),
    path("sanitizations/<int:pk>/evidence/", views.datasanitization_evidence, name="datasanitization_evidence"),
    *model_urls(
        "counts",
        "countsession",
        list=count_views.CountSessionListView,
        detail=count_views.CountSessionView,
        edit=count_views.CountSessionEditView,
    ),
    path("counts/<int:pk>/scan/", count_views.countsession_scan, name="countsession_scan"),
    path("counts/<int:pk>/second-count/", count_views.countsession_second, name="countsession_second"),
    path("counts/<int:pk>/close/", count_views.countsession_close, name="countsession_close"),
    path("counts/<int:pk>/pdf/", count_views.countsession_pdf, name="countsession_pdf"),
    path("counts/<int:pk>/lines/<int:line_pk>/quantity/", count_views.countline_quantity, name="countline_quantity"),
    path("counts/<int:pk>/lines/<int:line_pk>/undo/", count_views.countline_undo, name="countline_undo"),
]
