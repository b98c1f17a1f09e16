"""The agents' endpoints, mounted at the site root: /ocsinventory (the agents' default path) and
/front/inventory.php (so agents pointed at an old GLPI server only need a new host name)."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "agents"

urlpatterns: list[URLPattern] = []
