"""Tickets: the requester portal, the technician queue, the ticket page and its work, vendor cases, service forms."""

from __future__ import annotations

from django.urls import URLPattern, path

from biys.core.routing import model_urls
from biys.servicedesk.tickets import views

# Tickets are never deleted (closed or cancelled instead) and never created through a generic form: the portal,
# the agent entry, mail and the API open them through ``services.open_ticket``.
urlpatterns: list[URLPattern] = [
    path("", views.portal, name="portal"),
    path("yeni/<str:code>/", views.TicketNewView.as_view(), name="ticket_new"),
    path("oneriler/", views.suggest, name="suggest"),
    path("talepler/add/", views.ticket_add, name="ticket_add"),
    path("talepler/yeni/", views.AgentTicketView.as_view(), name="ticket_agent_new"),
    *model_urls("talepler", "ticket", list=views.TicketListView, detail=views.TicketView),
    path("talepler/<int:pk>/edit/", views.TicketEditView.as_view(), name="ticket_edit"),
    path("talepler/<int:pk>/islem/<str:action>/", views.ticket_action, name="ticket_action"),
    path("talepler/<int:pk>/yorum/", views.followup_add, name="ticket_followup"),
    path("talepler/<int:pk>/cihazlar/", views.asset_add, name="ticket_asset_add"),
    path("talepler/<int:pk>/cihazlar/<int:asset_pk>/kaldir/", views.asset_remove, name="ticket_asset_remove"),
    path("talepler/<int:pk>/tedarikci/", views.vendorcase_open, name="vendorcase_open"),
    path("talepler/<int:pk>/servis-formu/", views.InterventionAddView.as_view(), name="intervention_add"),
    path("talepler/<int:pk>/parca/", views.part_use, name="ticket_part"),
    path("talepler/<int:pk>/degerlendirme/", views.ticket_rate, name="ticket_rate"),
    path("dosyalar/<int:pk>/", views.attachment_download, name="attachment"),
    path("tedarikci-kayitlari/<int:pk>/donus/", views.vendorcase_return, name="vendorcase_return"),
    path("tedarikci-kayitlari/<int:pk>/inceleme/", views.vendorcase_review, name="vendorcase_review"),
    path("tedarikci-kayitlari/<int:pk>/form/", views.vendor_form_download, name="vendorcase_form"),
    path("servis-formlari/<int:pk>/pdf/", views.intervention_pdf, name="intervention_pdf"),
    path("kayitli-gorunumler/", views.savedview_add, name="savedview_add"),
    path("kayitli-gorunumler/<int:pk>/sil/", views.savedview_delete, name="savedview_delete"),
]
