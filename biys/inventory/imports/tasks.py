"""Large imports run as a task; the status page polls the cache entry this task keeps up to date."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django_tasks import task

from biys.core.context import acting_as
from biys.inventory.imports import services, storage

STATUS_TIMEOUT = 24 * 3600


def status_key(job: str) -> str:
    return f"biys:inventory:import:{job}"


def set_status(job: str, **status: Any) -> None:
    """Replace the job's status, keeping who started it (only they may read it)."""
    previous = cache.get(status_key(job)) or {}
    cache.set(status_key(job), {"user": previous.get("user"), **status}, STATUS_TIMEOUT)


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
    try:
        with acting_as(user, request_id=f"import-{job}"[:64]):
            created = services.commit(
                data,
                extension,
                services.Options(commissioned=commissioned),
                staff,
                progress=lambda done, total: set_status(job, state="running", done=done, total=total),
            )
    except services.ImportFailed as exc:
        set_status(job, state="failed", errors=[(e.row, e.column, e.message) for e in exc.errors[:500]])
        return 0
    except ValidationError as exc:
        set_status(job, state="failed", errors=[(0, "-", message) for message in exc.messages])
        return 0
    finally:
        storage.delete(file_name)
    set_status(job, state="done", created=len(created), first=created[0].sicil_no, last=created[-1].sicil_no)
    return len(created)
