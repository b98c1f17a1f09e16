"""``model_urls``: the standard URL set of one model (list, add, detail, edit, delete, history)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path

from biys.core.views import ObjectChangeLogView


def model_urls(
    prefix: str,
    name: str,
    *,
    list: Any = None,
    detail: Any = None,
    edit: Any = None,
    delete: Any = None,
) -> list[URLPattern]:
    patterns = []
    if list is not None:
        patterns.append(path(f"{prefix}/", list.as_view(), name=f"{name}_list"))
    if edit is not None:
        patterns.append(path(f"{prefix}/add/", edit.as_view(), name=f"{name}_add"))
        patterns.append(path(f"{prefix}/<int:pk>/edit/", edit.as_view(), name=f"{name}_edit"))
    if detail is not None:
        patterns.append(path(f"{prefix}/<int:pk>/", detail.as_view(), name=name))
        patterns.append(
            path(
                f"{prefix}/<int:pk>/history/",
                ObjectChangeLogView.as_view(queryset=detail.queryset),
                name=f"{name}_history",
            )
        )
    if delete is not None:
        patterns.append(path(f"{prefix}/<int:pk>/delete/", delete.as_view(), name=f"{name}_delete"))
    return patterns
