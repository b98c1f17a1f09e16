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
