"""The REST API router: every app registers its viewsets here under a kebab-case plural."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from biys.inventory.agents import api as inventory_agents
from biys.inventory.custody import api as inventory_custody
from biys.inventory.disposal import api as inventory_disposal
from biys.inventory.movements import api as inventory_movements
from biys.inventory.register import api as inventory_register
from biys.org.api import views as org
from biys.servicedesk.api import views as servicedesk
from biys.users.api import views as users

router = DefaultRouter()
router.register("org/units", org.UnitViewSet)
router.register("org/positions", org.PositionViewSet)
router.register("org/staff", org.StaffViewSet)
router.register("org/leave", org.LeaveViewSet)
router.register("org/duties", org.DutyViewSet)
router.register("org/duty-assignments", org.DutyAssignmentViewSet)
router.register("org/departures", org.DepartureViewSet)
router.register("users/tokens", users.ApiTokenViewSet, basename="apitoken")

for area in (inventory_register, inventory_custody, inventory_movements, inventory_disposal, inventory_agents):
    for prefix, viewset, basename in area.ROUTES:
        router.register(f"inventory/{prefix}", viewset, basename=basename)

for prefix, viewset, basename in servicedesk.ROUTES:
    router.register(f"servicedesk/{prefix}", viewset, basename=basename)
