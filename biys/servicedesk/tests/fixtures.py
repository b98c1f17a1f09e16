"""Building blocks for service desk tests: an IT department with a queue, a catalogue item with a complete
SLA policy, personas, and a ticket opened through the real intake service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from biys.core.testing import make_unit, make_user
from biys.org.models import Staff
from biys.servicedesk import services
from biys.servicedesk.choices import Priority
from biys.servicedesk.models import RootCause, ServiceCategory, ServiceItem, SlaPolicy, SlaTarget, Ticket

# (response, resolution) business hours per priority
TARGETS = {
    Priority.CRITICAL: (1, 4),
    Priority.HIGH: (2, 8),
    Priority.NORMAL: (4, 16),
    Priority.LOW: (8, 40),
}


def make_policy(name: str = "Standart", *, is_default: bool = True, **flags: Any) -> SlaPolicy:
    policy = SlaPolicy.objects.create(name=name, is_default=is_default, **flags)
    for priority, (response, resolution) in TARGETS.items():
        SlaTarget.objects.create(
            policy=policy,
            priority=priority,
            response_time=timedelta(hours=response),
            resolution_time=timedelta(hours=resolution),
        )
    return policy


def make_item(unit: Any, name: str = "Yazıcı arızası", policy: SlaPolicy | None = None, **extra: Any) -> ServiceItem:
    category, _ = ServiceCategory.objects.get_or_create(name=extra.pop("category", "Donanım"))
    code = extra.pop("code", None) or f"item-{ServiceItem.objects.count() + 1}"
    return ServiceItem.objects.create(
        category=category, code=code, name=name, responsible_unit=unit, sla_policy=policy, **extra
    )


def make_cause(code: str = "HW-01", name: str = "Donanım arızası") -> RootCause:
    return RootCause.objects.get_or_create(code=code, defaults={"name": name, "group": "hardware"})[0]


def make_staff(user: Any, unit: Any, name: str = "Ayşe", surname: str = "Yılmaz") -> Staff:
    return Staff.objects.create(first_name=name, last_name=surname, unit=unit, user=user)


@dataclass
class Desk:
    """Bilgi İşlem with a Teknik Destek şeflik and a Yazılım şeflik, a requesting unit, and one person of each role."""

    it: Any
    support: Any
    software: Any
    requesting: Any
    other_unit: Any
    policy: SlaPolicy
    item: ServiceItem
    cause: RootCause
    requester: Any
    requester_staff: Staff
    colleague: Any  # same unit as the requester
    technician: Any  # in support
    software_technician: Any
    manager: Any  # chief of the IT department (sube_muduru at "it")
    head: Any  # yonetici
    auditor: Any  # denetci
    outsider: Any  # a requester of another unit


def make_desk() -> Desk:
    it = make_unit("Bilgi İşlem Dairesi", kind="daire")
    support = make_unit("Teknik Destek Şefliği", parent=it, kind="seflik")
    software = make_unit("Yazılım Şefliği", parent=it, kind="seflik")
    requesting = make_unit("Fen İşleri Dairesi", kind="daire")
    other_unit = make_unit("Zabıta Dairesi", kind="daire")
    policy = make_policy()
    item = make_item(support, policy=policy)
    requester = make_user("talep", unit=requesting, roles=("birim_kullanicisi",), first_name="Ayşe", last_name="Yılmaz")
    requester_staff = make_staff(requester, requesting)
    colleague = make_user("komsu", unit=requesting, roles=("birim_kullanicisi",))
    make_staff(colleague, requesting, "Can", "Demir")
    technician = make_user("teknik", unit=support, roles=("uzman",), first_name="Mehmet", last_name="Kaya")
    make_staff(technician, support, "Mehmet", "Kaya")
    software_technician = make_user("yazilimci", unit=software, roles=("uzman",))
    make_staff(software_technician, software, "Zeynep", "Arslan")
    manager = make_user("sef", unit=it, roles=("sube_muduru",))
    head = make_user("baskan", unit=it, roles=("yonetici",))
    auditor = make_user("denetci", unit=it, roles=("denetci",))
    outsider = make_user("zabita", unit=other_unit, roles=("birim_kullanicisi",))
    make_staff(outsider, other_unit, "Ali", "Öztürk")
    return Desk(
        it, support, software, requesting, other_unit, policy, item, make_cause(), requester, requester_staff,
        colleague, technician, software_technician, manager, head, auditor, outsider,
    )  # fmt: skip


def open_ticket(desk: Desk, at: datetime | None = None, **extra: Any) -> Ticket:
    data: dict[str, Any] = {
        "item": desk.item,
        "title": "Yazıcı çalışmıyor",
        "description": "3. kattaki yazıcı kağıt sıkıştırıyor.",
        "requester": desk.requester_staff,
        "by": desk.requester,
        "at": at,
    }
    data.update(extra)
    return services.open_ticket(**data)
