"""Background import of agent reports (django-tasks). The endpoint parses and answers at once; the
normalised inventory travels as the task's JSON argument, so no extra table is needed."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from django.db import OperationalError
from django_tasks import task

from biys.core.context import acting_as
from biys.inventory.agents import services
from biys.inventory.agents.normal import Inventory

ATTEMPTS = 3


@task()
def import_inventory(inventory: dict[str, Any], request_id: str = "", ip: str | None = None) -> dict[str, Any]:
    """Import one normalised report; a deadlock or lock timeout is retried, the change log names the request."""
    report = Inventory.from_dict(inventory)
    with acting_as(None, request_id=request_id, ip=ip):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return asdict(services.import_inventory(report))
            except OperationalError:
                if attempt == ATTEMPTS:
                    raise
                time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def queued_imports() -> int | None:
    """Imports waiting in the database queue; None when the backend keeps no countable queue."""
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return None
    if not isinstance(import_inventory.get_backend(), DatabaseBackend):
        return None
    return DBTaskResult.objects.ready().filter(task_path=import_inventory.module_path).count()
