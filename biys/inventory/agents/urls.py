"""The agents' endpoints, mounted at the site root: /ocsinventory (the agents' default path) and
/front/inventory.php (so agents pointed at an old GLPI server only need a new host name) — plus the
review-queue pages under /envanter/agents/ (this module is included at the root, so it names them)."""

from __future__ import annotations

from django.urls import URLPattern, path

from biys.inventory.agents import views

app_name = "agents"

urlpatterns: list[URLPattern] = [
    path("ocsinventory", views.agent_endpoint, name="ocsinventory"),
    path("ocsinventory/", views.agent_endpoint, name="ocsinventory_slash"),
    path("front/inventory.php", views.agent_endpoint, name="glpi_inventory"),
    path("envanter/agents/devices/", views.DiscoveredDeviceListView.as_view(), name="agents_device_list"),
    path("envanter/agents/devices/<int:pk>/", views.device_detail, name="agents_device"),
    path("envanter/agents/devices/<int:pk>/history/", views.device_history, name="agents_device_history"),
    path("envanter/agents/devices/<int:pk>/link/", views.device_link, name="agents_device_link"),
    path("envanter/agents/devices/<int:pk>/register/", views.device_register, name="agents_device_register"),
    path("envanter/agents/devices/<int:pk>/ignore/", views.device_ignore, name="agents_device_ignore"),
    path("envanter/agents/links/", views.AgentLinkListView.as_view(), name="agents_link_list"),
]
