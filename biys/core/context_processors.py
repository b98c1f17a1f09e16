from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def biys(request: HttpRequest) -> dict[str, Any]:
    """The municipality's name and logo for the page header (cached per process by org.models)."""
    from biys.org.models import Municipality

    return {"municipality": Municipality.cached()}
