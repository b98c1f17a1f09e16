"""The desk's configuration, kept per process: catalogue items, routing rules, SLA policies and their targets.

Every intake (portal, agent entry, mail, API) reads its catalogue item, the routing rules and the SLA target
of the new ticket, and every SLA recomputation reads the target again. These rows change a few times a year
and are a few hundred at most, so each process keeps them in memory (:class:`core.caching.VersionedValue`):
a save or delete of any of them, or of a unit (routing compares unit paths), renews the shared version when
it commits and every process loads the configuration again on its next read. A change made with SQL applies
within ``MAX_AGE`` seconds.

The rows handed out are shared by every request of the process: read them, never change them in place (an
edit view loads its own copy through the ORM).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from biys.core.caching import VersionedValue

if TYPE_CHECKING:
    from biys.servicedesk.models import RoutingRule, ServiceItem, SlaPolicy, SlaTarget

VERSION_KEY = "biys:servicedesk:config"
MAX_AGE = 60.0


@dataclass(frozen=True)
class DeskConfig:
    items: dict[int, ServiceItem] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)
    rules: tuple[RoutingRule, ...] = ()
    policies: dict[int, SlaPolicy] = field(default_factory=dict)
    default_policy: SlaPolicy | None = None
    targets: dict[tuple[int, int], SlaTarget] = field(default_factory=dict)

    def item(self, key: int | str) -> ServiceItem | None:
        """An item by its id, or by its code when ``key`` is not all digits."""
        text = str(key).strip()
        pk = int(text) if text.isdigit() else self.codes.get(text)
        return self.items.get(pk) if pk is not None else None

    def policy_of(self, item: ServiceItem) -> SlaPolicy | None:
        """The item's SLA policy, else the default one (``ServiceItem.policy`` without a query)."""
        if item.sla_policy_id is not None:
            return self.policies.get(item.sla_policy_id)
        return self.default_policy

    def target(self, policy_id: int | None, priority: int) -> SlaTarget | None:
        return self.targets.get((policy_id, priority)) if policy_id is not None else None


def _load() -> DeskConfig:
    from biys.servicedesk.models import RoutingRule, ServiceItem, SlaPolicy, SlaTarget

    policies = {policy.pk: policy for policy in SlaPolicy.objects.all()}
    items = {
        item.pk: item for item in ServiceItem.objects.select_related("category", "responsible_unit").order_by("pk")
    }
    for item in items.values():  # the policy objects are shared, so a target read through either is the same
        if item.sla_policy_id is not None:
            item.sla_policy = policies[item.sla_policy_id]
    targets = {(t.policy_id, t.priority): t for t in SlaTarget.objects.order_by("pk")}
    for target in targets.values():
        target.policy = policies[target.policy_id]
    rules = RoutingRule.objects.select_related("requester_unit", "target_unit").order_by("pk")
    return DeskConfig(
        items=items,
        codes={item.code: pk for pk, item in items.items()},
        rules=tuple(rules),
        policies=policies,
        default_policy=next((p for p in policies.values() if p.is_default), None),  # at most one (sla_one_default)
        targets=targets,
    )


_config: VersionedValue[DeskConfig] = VersionedValue(VERSION_KEY, MAX_AGE)


def current() -> DeskConfig:
    return _config.get(_load)


def connect() -> None:
    from biys.org.models import Unit
    from biys.servicedesk.models import RoutingRule, ServiceCategory, ServiceItem, SlaPolicy, SlaTarget

    _config.watch(ServiceItem, ServiceCategory, RoutingRule, SlaPolicy, SlaTarget, Unit)
