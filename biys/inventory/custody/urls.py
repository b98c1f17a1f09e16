from __future__ import annotations

from django.urls import URLPattern, path

from biys.core.routing import model_urls
from biys.inventory.custody import views

# Teslim Belgeleri are never edited or deleted: a return is recorded on the document, a correction is
# a return plus a new document. Dayanıklı Taşınırlar Listeleri are snapshots: a new list replaces an old one.
urlpatterns: list[URLPattern] = [
    path("custody-documents/add/", views.IssueView.as_view(), name="custodydocument_add"),
    *model_urls(
        "custody-documents", "custodydocument", list=views.CustodyDocumentListView, detail=views.CustodyDocumentView
    ),
    path("custody-documents/<int:pk>/pdf/", views.custody_document_pdf, name="custodydocument_pdf"),
    path("custody-documents/<int:pk>/return/", views.custody_document_return, name="custodydocument_return"),
    path("custody/staff/<int:staff_pk>/", views.staff_custody, name="custody_staff"),
    path("custody/staff/<int:staff_pk>/return/", views.staff_custody_return, name="custody_staff_return"),
    path("custody/staff/<int:staff_pk>/transfer/", views.staff_custody_transfer, name="custody_staff_transfer"),
    path("custody/departures/<int:departure_pk>/", views.departure_handover, name="custody_departure_handover"),
    path("shared-area-lists/add/", views.SharedAreaListAddView.as_view(), name="sharedarealist_add"),
    *model_urls(
        "shared-area-lists", "sharedarealist", list=views.SharedAreaListListView, detail=views.SharedAreaListView
    ),
    path("shared-area-lists/<int:pk>/pdf/", views.shared_area_list_pdf, name="sharedarealist_pdf"),
    path("shared-area-lists/<int:pk>/sign/", views.shared_area_list_sign, name="sharedarealist_sign"),
]
