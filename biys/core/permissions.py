"""API permissions. Kept apart from core.api: DRF imports the default permission class while
``rest_framework.views`` itself is loading, so this module must not import DRF views."""

from __future__ import annotations

from rest_framework import permissions


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, with ``view`` required for reads (DRF leaves reads open)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }
