"""What a departing person holds, as handover lines.

Each provider is a callable ``(staff) -> Iterable[HandoverLine]`` named in settings
``BIYS_HANDOVER_PROVIDERS``. This app lists duties; the service desk adds open tickets and the
inventory adds custody items (Taşınır Teslim Belgesi) by appending their own provider.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from biys.org.models import DutyAssignment, HandoverItem, Staff


@dataclass(frozen=True)
class HandoverLine:
    kind: str  # HandoverItem.Kind
    reference: str
    description: str
    source: str = ""  # "app_label.model:pk"
    # A blocking line must be settled (e.g. a custody item returned) before the departure can be
    # completed (TMY md. 5/4); non-blocking lines (duties) pass to the successor automatically.
    blocking: bool = False


Provider = Callable[[Staff], Iterable[HandoverLine]]


def providers() -> list[Provider]:
    return [import_string(path) for path in settings.BIYS_HANDOVER_PROVIDERS]


def duty_lines(staff: Staff) -> Iterator[HandoverLine]:
    today = timezone.localdate()
    assignments = (
        DutyAssignment.objects.filter(staff=staff)
        .filter(DutyAssignment.valid_on(today))
        .select_related("duty")
        .order_by("duty__sort_order")
    )
    for assignment in assignments:
        yield HandoverLine(
            kind=HandoverItem.Kind.DUTY,
            reference=assignment.duty.ref,
            description=assignment.duty.text,
            source=f"org.dutyassignment:{assignment.pk}",
        )


def collect(staff: Staff) -> list[HandoverLine]:
    return [line for provider in providers() for line in provider(staff)]


def unsettled(staff: Staff) -> list[HandoverLine]:
    """What still stops the person from leaving, asked again at completion time."""
    return [line for line in collect(staff) if line.blocking]
