"""Custody items on the departure handover list (a provider for ``settings.BIYS_HANDOVER_PROVIDERS``).

TMY md. 5/4: "teslim yapılmadan personelin kurumla ilişiği kesilmez" — every item a departing person
still holds is a blocking line: the departure cannot be completed until it is returned or handed to
the successor on a new Taşınır Teslim Belgesi.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from biys.inventory.custody.services import held_by
from biys.org.handover import HandoverLine
from biys.org.models import HandoverItem, Staff


def custody_lines(staff: Staff) -> Iterator[HandoverLine]:
    for item in held_by(staff).order_by("asset__sicil_no"):
        asset = item.asset
        description = asset.name
        if asset.serial:
            description = _("%(name)s, serial no. %(serial)s") % {"name": asset.name, "serial": asset.serial}
        yield HandoverLine(
            kind=HandoverItem.Kind.CUSTODY,
            reference=asset.sicil_no,
            description=description,
            source=f"inventory.asset:{asset.pk}",
            blocking=True,
        )
