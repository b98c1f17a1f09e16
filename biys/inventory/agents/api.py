from __future__ import annotations

from typing import Any

# (prefix, viewset, basename) registered under /api/inventory/ by biys/api_urls.py
ROUTES: list[tuple[str, Any, str]] = []
