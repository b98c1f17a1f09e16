"""Inventory pages: each area (register, custody, movements, disposal, agents' review queue, imports)
keeps its own views and URL list in its subpackage; this module only joins them."""

from __future__ import annotations

from biys.inventory.custody import urls as custody
from biys.inventory.disposal import urls as disposal
from biys.inventory.imports import urls as imports
from biys.inventory.movements import urls as movements
from biys.inventory.register import urls as register

app_name = "inventory"

urlpatterns = [
    *register.urlpatterns,
    *custody.urlpatterns,
    *movements.urlpatterns,
    *disposal.urlpatterns,
    *imports.urlpatterns,
]
