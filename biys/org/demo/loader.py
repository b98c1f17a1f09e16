"""The demo municipality: a büyükşehir with its IT Daire Başkanlığı (Mersin yönergesi md. 4: 3 Şube
Müdürlüğü, 6 Şeflik), the units it serves, ~60 IT staff, ~300 other staff, duties, a pending
acknowledgement and a departure in progress. Deterministic (seeded) and loaded once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from biys.core.calendar import get_calendar
from biys.core.context import acting_as
from biys.core.models import CalendarDay
from biys.org import services
from biys.org.demo.names import person, tckn
from biys.org.models import (
    Acknowledgement,
    Departure,
    Directive,
    DirectiveReview,
    DirectiveVersion,
    DutyAssignment,
    Leave,
    Municipality,
    Staff,
    Unit,
)
from biys.users.models import Role, User

DIRECTIVES = Path(__file__).resolve().parent.parent / "data" / "directives"
DEMO_PASSWORD = "Demo.2026!"  # noqa: S105 - printed on screen for the demo; never used in production

IT_TREE = {
    "Sistem ve Donanım Şube Müdürlüğü": ["Sistem ve Donanım Hizmetleri Şefliği", "Teknik Destek Hizmetleri Şefliği"],
    "Yazılım ve Yönetim Şube Müdürlüğü": ["Yazılım Hizmetleri Şefliği", "Web Servis Hizmetleri Şefliği"],
    "Bilişim Teknolojileri Şube Müdürlüğü": ["Bilişim Eğitim Şefliği", "İnovasyon Şefliği"],
}
SERVED = {
    "Fen İşleri Dairesi Başkanlığı": ["Yol Yapım Şube Müdürlüğü", "Yapım İşleri Şube Müdürlüğü"],
    "İmar ve Şehircilik Dairesi Başkanlığı": ["İmar Şube Müdürlüğü", "Harita Şube Müdürlüğü"],
    "Zabıta Dairesi Başkanlığı": ["Zabıta Şube Müdürlüğü"],
    "Mali Hizmetler Dairesi Başkanlığı": ["Muhasebe Şube Müdürlüğü", "Gelirler Şube Müdürlüğü"],
    "İnsan Kaynakları ve Eğitim Dairesi Başkanlığı": ["Personel Şube Müdürlüğü"],
    "Destek Hizmetleri Dairesi Başkanlığı": ["Satın Alma Şube Müdürlüğü"],
    "Yazı İşleri ve Kararlar Dairesi Başkanlığı": ["Evrak Şube Müdürlüğü"],
    "Strateji Geliştirme Dairesi Başkanlığı": [],
    "Park ve Bahçeler Dairesi Başkanlığı": [],
    "Ulaşım Dairesi Başkanlığı": ["Toplu Taşıma Şube Müdürlüğü"],
    "İtfaiye Dairesi Başkanlığı": [],
    "Teftiş Kurulu Başkanlığı": [],
}
# username, first, last, title, unit name, roles, start offset in business days (None = long ago)
DEMO_USERS = [
    ("baskan", "Levent", "Aydın", "Bilgi İşlem Dairesi Başkanı", "Bilgi İşlem Dairesi Başkanlığı", ["yonetici"]),
    ("mudur", "Gülşen", "Öztürk", "Şube Müdürü", "Sistem ve Donanım Şube Müdürlüğü", ["sube_muduru"]),
    ("sef", "İsmail", "Çağlar", "Şef", "Teknik Destek Hizmetleri Şefliği", ["sube_muduru"]),
    ("teknisyen", "Işıl", "Yıldırım", "Tekniker", "Teknik Destek Hizmetleri Şefliği", ["uzman"]),
    ("evrak", "Şule", "Kaplan", "Memur (Evrak)", "Bilgi İşlem Dairesi Başkanlığı", ["evrak"]),
    ("kayit", "Oğuz", "Taş", "Taşınır Kayıt Yetkilisi", "Bilgi İşlem Dairesi Başkanlığı", ["tasinir_kayit"]),
    ("kontrol", "Dilek", "Sezer", "Taşınır Kontrol Yetkilisi", "Bilgi İşlem Dairesi Başkanlığı", ["tasinir_kontrol"]),
    ("kullanici", "Mehmet", "Ilıcak", "Mühendis", "Yol Yapım Şube Müdürlüğü", ["birim_kullanicisi"]),
    ("denetci", "Zeynep", "Ünal", "Müfettiş", "Teftiş Kurulu Başkanlığı", ["denetci"]),
]
IT_TITLES = ["Uzman", "Tekniker", "Teknisyen", "Programcı", "Bilgisayar Mühendisi", "Sistem Yöneticisi", "Memur"]
OTHER_TITLES = ["Memur", "Mühendis", "Tekniker", "Şef", "Zabıta Memuru", "Uzman", "Sekreter", "Teknisyen"]


@dataclass
class DemoResult:
    created: bool
    logins: list[tuple[str, str, str]]  # username, name, roles


def load_demo(it_staff: int = 60, other_staff: int = 300, seed: int = 2026) -> DemoResult:
    if Municipality.objects.filter(pk=1).exists():
        return DemoResult(False, _logins())
    rng = random.Random(seed)
    with transaction.atomic(), acting_as(None, request_id="demo-loader"):
        Municipality.objects.create(
            name="Mersin Büyükşehir Belediyesi",
            short_name="Mersin BB",
            kind=Municipality.Kind.METROPOLITAN,
            detsis_no="12345678",
            address="Çankaya Mah. Atatürk Cad. No:1, Akdeniz / Mersin",
            phone="0324 000 00 00",
            email="bilgiislem@example.gov.tr",
        )
        units = _units()
        people = _staff(rng, units, it_staff, other_staff)
        _users(people, units)
        directive = _directive(units)
        _assign_duties(rng, directive, units)
        _acknowledgements(directive, people)
        from biys.inventory.demo import load_inventory_demo  # the inventory builds on the organization

        load_inventory_demo(rng, units, _duty_holders()[:10])
        from biys.servicedesk.demo import load_servicedesk_demo  # requests come from the staff, about the devices

        load_servicedesk_demo()
        _leave_and_departure(rng, people, units)
        CalendarDay.objects.create(
            date=date(2026, 12, 31),
            kind=CalendarDay.Kind.HALF_DAY,
            description="Yılbaşı öncesi idari izin (öğleden sonra)",
        )
        Role.objects.filter(code="yonetici").update(require_mfa=False)  # the demo must log in without a phone
    return DemoResult(True, _logins())


def _units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}

    def add(name: str, kind: str, parent: Unit | None, code: str, **extra: object) -> Unit:
        unit = Unit.objects.create(name=name, kind=kind, parent=parent, code=code, building="Hizmet Binası", **extra)
        units[name] = unit
        return unit

    root = add("Mersin Büyükşehir Belediye Başkanlığı", Unit.Kind.PRESIDENCY, None, "MBB")
    secretariat = add("Genel Sekreterlik", Unit.Kind.SECRETARIAT, root, "GS")
    it = add(
        "Bilgi İşlem Dairesi Başkanlığı",
        Unit.Kind.DEPARTMENT,
        secretariat,
        "BIDB",
        is_it=True,
        location="Kat 3",
        phone="0324 000 10 00",
    )
    for index, (branch, sections) in enumerate(IT_TREE.items(), start=1):
        b = add(branch, Unit.Kind.BRANCH, it, f"BIDB-{index}", is_it=True)
        for sub, section in enumerate(sections, start=1):
            add(section, Unit.Kind.SECTION, b, f"BIDB-{index}.{sub}", is_it=True)
    for index, (department, branches) in enumerate(SERVED.items(), start=1):
        d = add(department, Unit.Kind.DEPARTMENT, secretariat, f"D{index:02d}")
        for sub, branch in enumerate(branches, start=1):
            add(branch, Unit.Kind.BRANCH, d, f"D{index:02d}.{sub}")
    return units


def _staff(rng: random.Random, units: dict[str, Unit], it_count: int, other_count: int) -> dict[str, Staff]:
    people: dict[str, Staff] = {}
    long_ago = date(2015, 3, 2)
    for username, first, last, title, unit_name, _roles in DEMO_USERS:
        started = _recent_start() if username == "teknisyen" else long_ago
        people[username] = _person(rng, units[unit_name], title, first, last, started)
    it_units = [u for u in units.values() if u.is_it and u.kind != Unit.Kind.DEPARTMENT]
    for index in range(it_count - sum(1 for u in DEMO_USERS if units[u[4]].is_it)):
        _person(rng, it_units[index % len(it_units)], rng.choice(IT_TITLES), *person(rng), long_ago)
    others = [u for u in units.values() if not u.is_it and u.kind in (Unit.Kind.DEPARTMENT, Unit.Kind.BRANCH)]
    for _index in range(other_count):
        _person(rng, rng.choice(others), rng.choice(OTHER_TITLES), *person(rng), long_ago)
    for unit in units.values():
        if unit.manager_id is None and (head := unit.staff.order_by("id").first()) is not None:
            unit.manager = head
            unit.save()
    return people


def _recent_start() -> date:
    # Started three business days ago: the acknowledgement is pending but not yet overdue.
    day = timezone.localdate()
    calendar = get_calendar()
    for _step in range(3):
        day -= timedelta(days=1)
        while not calendar.is_business_day(day):
            day -= timedelta(days=1)
    return day


def _person(rng: random.Random, unit: Unit, title: str, first: str, last: str, started: date) -> Staff:
    number = Staff.objects.count() + 1
    return Staff.objects.create(
        first_name=first,
        last_name=last,
        tckn=tckn(rng),
        registry_no=f"S-{number:05d}",
        title=title,
        unit=unit,
        work_phone=f"0324 000 {rng.randint(10, 99)} {rng.randint(10, 99)}",
        mobile_phone=f"05{rng.randint(30, 59)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        email=f"s{number:05d}@example.gov.tr",
        start_date=started,
    )


def _users(people: dict[str, Staff], units: dict[str, Unit]) -> None:
    for username, first, last, _title, unit_name, roles in DEMO_USERS:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            unit=units[unit_name],
            email=people[username].email,
        )
        user.groups.add(*[role.group_ptr for role in Role.objects.filter(code__in=roles)])
        people[username].user = user
        people[username].save()


def _directive(units: dict[str, Unit]) -> Directive:
    it = units["Bilgi İşlem Dairesi Başkanlığı"]
    directive = Directive.objects.create(
        title="Bilgi İşlem Dairesi Başkanlığı Görev ve Çalışma Yönergesi", source_name="Mersin", unit=it
    )
    text = (DIRECTIVES / "mersin-bilgi-islem-dairesi-yonergesi.md").read_text(encoding="utf-8")
    DirectiveVersion.objects.create(
        directive=directive, label="2017/1", effective_date=date(2017, 5, 12), approval="Başkan Oluru", text=text
    )
    services.load_duties(directive, text)
    DirectiveReview.objects.create(
        directive=directive,
        reviewed_on=timezone.localdate() - timedelta(days=300),
        outcome="no_change",
        reviewer=it.manager,
        note="Yıllık gözden geçirme: değişiklik gerekmedi.",
    )
    return directive


def _assign_duties(rng: random.Random, directive: Directive, units: dict[str, Unit]) -> None:
    """Each duty goes to someone in its unit with a deputy; a few stay unassigned on purpose."""
    for index, duty in enumerate(directive.duties.select_related("unit").order_by("sort_order")):
        if index % 17 == 5:
            continue
        pool = list(Staff.objects.filter(unit=duty.unit, user__isnull=True).order_by("id")[:6]) or list(
            Staff.objects.filter(unit__path__startswith=duty.unit.path).order_by("id")[:6]
        )
        if len(pool) < 2:
            continue
        holder, deputy = rng.sample(pool, 2)
        DutyAssignment.objects.create(duty=duty, staff=holder, deputy=deputy, valid_from=date(2024, 1, 1))
    # The demo technician holds a duty too, so their profile is not empty.
    sef_unit = units["Teknik Destek Hizmetleri Şefliği"]
    duty = directive.duties.filter(unit=sef_unit).order_by("sort_order").first()
    teknisyen = Staff.objects.get(user__username="teknisyen")
    if duty is not None:
        DutyAssignment.objects.create(duty=duty, staff=teknisyen, valid_from=timezone.localdate())


def _acknowledgements(directive: Directive, people: dict[str, Staff]) -> None:
    version = directive.current_version()
    assert version is not None  # noqa: S101 - created just above
    pending = {people["teknisyen"].pk}
    bound = services.staff_bound_by(directive).order_by("id")
    for index, staff in enumerate(bound):
        if staff.pk in pending or index % 23 == 7:  # a few are overdue, for the overdue list
            continue
        Acknowledgement.objects.create(version=version, staff=staff, user=staff.user or _account_for(staff))


def _account_for(staff: Staff) -> User:
    """IT staff sign in through the directory in real life; in the demo they get a password-less account."""
    user = User(username=f"p{staff.registry_no}".lower(), first_name=staff.first_name, last_name=staff.last_name,
                unit=staff.unit, email=staff.email)  # fmt: skip
    user.set_unusable_password()
    user.save()
    user.groups.add(Role.objects.get(code="uzman").group_ptr)
    staff.user = user
    staff.save()
    return user


def _leave_and_departure(rng: random.Random, people: dict[str, Staff], units: dict[str, Unit]) -> None:
    today = timezone.localdate()
    holders = _duty_holders()[:3]
    for staff in holders[:2]:
        Leave.objects.create(
            staff=staff,
            kind=Leave.Kind.ANNUAL,
            start_date=today - timedelta(days=1),
            end_date=today + timedelta(days=6),
            note="Yıllık izin",
        )
    leaving = holders[2]
    departure = Departure.objects.create(
        staff=leaving,
        reason=Departure.Reason.RETIREMENT,
        last_day=today + timedelta(days=14),
        successor=people["teknisyen"],
    )
    services.prepare_handover(departure)


def _duty_holders() -> list[Staff]:
    """IT staff holding duties who are not demo logins: the leave, the departure and custody go to them."""
    return list(
        Staff.objects.filter(duty_assignments__isnull=False)
        .exclude(user__username__in=[row[0] for row in DEMO_USERS])
        .distinct()
        .order_by("id")
    )


def _logins() -> list[tuple[str, str, str]]:
    result = []
    for username, first, last, _title, _unit, roles in DEMO_USERS:
        names = ", ".join(Role.objects.filter(code__in=roles).values_list("name", flat=True))
        result.append((username, f"{first} {last}", names))
    return result
