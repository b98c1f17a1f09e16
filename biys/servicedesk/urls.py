from __future__ import annotations

from django.urls import URLPattern

from biys.servicedesk.catalogue import urls as catalogue
from biys.servicedesk.reports import urls as reports
from biys.servicedesk.tickets import urls as tickets

app_name = "servicedesk"

urlpatterns: list[URLPattern] = [*tickets.urlpatterns, *catalogue.urlpatterns, *reports.urlpatterns]
