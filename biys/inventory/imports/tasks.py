"""Large imports run as a task; the status page polls the cache entry this task keeps up to date."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, OperationalError
from django.utils.translation import gettext as _
from django_tasks import task

from biys.core.context import acting_as
from biys.inventory.imports import services, storage

STATUS_TIMEOUT = 24 * 3600
# A deadlock or a lock timeout (OperationalError) is the database's way of asking to try again; the import
# rolled back as a whole, so it simply runs again.
ATTEMPTS = 3
logger = logging.getLogger("biys.inventory.imports")
T = TypeVar("T")


def status_key(job: str) -> str:
    return f"biys:inventory:import:{job}"


def set_status(job: str, **status: Any) -> None:
    """Replace the job's status, keeping who started it (only they may read it)."""
    previous = cache.get(status_key(job)) or {}
    cache.set(status_key(job), {"user": previous.get("user"), **status}, STATUS_TIMEOUT)


def _with_retries(work: Callable[[], T], job: str) -> T:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return work()
        except OperationalError:
            if attempt == ATTEMPTS:
                raise
            logger.warning("asset import %s: database asked to retry (attempt %d)", job, attempt)
            set_status(job, state="running", done=0, total=0)
            time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


@task()
def run_asset_import(
    job: str, file_name: str, commissioned: bool, staff_id: int | None, user_id: int | None = None
) -> int:
    """Commit an uploaded file; the change log names ``user_id`` (who started the import) and the job."""
    from biys.org.models import Staff
    from biys.users.models import User

    staff = Staff.objects.filter(pk=staff_id).first() if staff_id else None
    user = User.objects.filter(pk=user_id).first() if user_id else None
    data, extension = storage.load(file_name)
    set_status(job, state="running", done=0, total=0)

    def commit() -> list[Any]:
        with acting_as(user, request_id=f"import-{job}"[:64]):
            return services.commit(
                data,
                extension,
                services.Options(commissioned=commissioned),
                staff,
                progress=lambda done, total: set_status(job, state="running", done=done, total=total),
            )

    try:
        created = _with_retries(commit, job)
    except services.ImportFailed as exc:
        set_status(job, state="failed", errors=[(e.row, e.column, e.message) for e in exc.errors[:500]])
        return 0
    except ValidationError as exc:
        set_status(job, state="failed", errors=[(0, "-", message) for message in exc.messages])
        return 0
    except DatabaseError as exc:
        # Never leave the status page saying "running" for ever: the import is all or nothing, so say so.
        logger.exception("asset import %s failed in the database", job)
        message = _("The database could not complete the import (%(error)s). Nothing was registered; start it again.")
        set_status(job, state="failed", errors=[(0, "-", message % {"error": exc.__class__.__name__})])
        raise
    finally:
        storage.delete(file_name)
    set_status(job, state="done", created=len(created), first=created[0].sicil_no, last=created[-1].sicil_no)
    return len(created)
