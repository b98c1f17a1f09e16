from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from biys.core.context import acting_as
from biys.org.models import Unit
from biys.servicedesk.defaults import NETWORK, SOFTWARE, SUPPORT, load_defaults


class Command(BaseCommand):
    help = (
        "Load the default service catalogue (categories, items, the Standart SLA policy, root causes). "
        "Only missing rows are added: running it again changes nothing and never overwrites edits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="code of the unit answering requests by default")
        parser.add_argument("--network-unit", help="code of the unit for network, e-mail and internet (default --unit)")
        parser.add_argument("--software-unit", help="code of the unit for software and GIS items (default --unit)")

    def handle(
        self, *args: Any, unit: str, network_unit: str | None, software_unit: str | None, **options: Any
    ) -> None:
        units = {
            SUPPORT: _unit(unit, "--unit"),
            NETWORK: _unit(network_unit or unit, "--network-unit"),
            SOFTWARE: _unit(software_unit or unit, "--software-unit"),
        }
        with acting_as(None, request_id="load-catalogue"):
            try:
                loaded = load_defaults(units)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue: categories added {loaded.categories}, items {loaded.items}, SLA policies "
                f"{loaded.policies} ({loaded.targets} targets), root causes {loaded.root_causes}."
            )
        )


def _unit(code: str, option: str) -> Unit:
    found = Unit.objects.filter(code=code).first()
    if found is None:
        raise CommandError(f"{option} {code}: no unit has this code")
    return found
