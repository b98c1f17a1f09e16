"""PDF documents from HTML templates (WeasyPrint): official forms must print Turkish text correctly."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango costs ~0.3 s

    html = render_to_string(template, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else str(settings.BASE_DIR)
    result: bytes = HTML(string=html, base_url=base_url).write_pdf()
    return result


def pdf_response(template: str, context: dict[str, Any], filename: str, request: HttpRequest) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
