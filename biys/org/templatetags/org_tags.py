from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@register.filter
def directive_text(text: str) -> SafeString:
    """Show a directive converted from PDF: escape it, then turn its **bold** markers into <strong>."""
    html = _BOLD.sub(r"<strong>\1</strong>", escape((text or "").strip()))
    return mark_safe(html.replace("**", ""))  # noqa: S308 - built from escaped text only


@register.filter
def masked(value: str | None) -> str:
    """Personal data in lists: only the last 4 characters (KVKK md. 12)."""
    from biys.core.changelog import mask

    return str(mask(value) or "")
