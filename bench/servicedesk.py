"""The service desk at scale: a catalogue, 60 technicians in the IT şeflikler, 1M tickets, 5M follow-ups.

``python -m bench.servicedesk [--tickets 1000000 --followups 5000000] [--database-url URL]`` adds (or
replaces) the service desk data of a bench database the org seeder (``bench.seed``) made, leaving its
units, staff and change log alone; ``python -m bench.run`` calls :func:`seed` after the org seed.

Rows are bulk-created in batches (one transaction per batch of tickets with their follow-ups), which
bypasses ``save()``, the SLA clock and the change log. What ``save()`` would derive is filled in here:
search keys through the model's own ``search_source()`` and ``biys.core.text.search_key``, ticket
numbers per year and the ``TicketSequence`` rows after them, so tickets created later (the API load
test) continue the numbering. SLA due dates are approximated from the policy targets (business hours
spread over calendar days) instead of running the business calendar a million times.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlencode

from bench import config, names
from bench.scenarios import Scenario, table_rows
from bench.seed import AUDITOR, SPECIALIST

BATCH = 5000  # tickets per transaction (with their ~25,000 follow-ups)
TECHNICIANS = 60
IT_SECTIONS = 6
HISTORY_DAYS = 5 * 365
BIG_EVERY = 500  # every 500th ticket has a long timeline (50–55 follow-ups)
BIG_FOLLOWUPS = (50, 55)
REQUESTER_USER = "bench.talep"  # a requester with a staff record: the API load test's persona
MANAGER = "bench.sef"  # şube müdürü of the IT department: the dashboard persona

# (code, category, name, responsible section index, default priority, titles)
ITEMS: tuple[tuple[str, str, str, int, int, tuple[str, ...]], ...] = (
    ("bilgisayar-arizasi", "Donanım", "Bilgisayar arızası", 0, 3, (
        "Bilgisayar açılmıyor", "Bilgisayar çok yavaş", "Mavi ekran hatası", "Monitör görüntü vermiyor",
        "Klavye çalışmıyor", "Fare çalışmıyor", "Bilgisayar sürekli yeniden başlıyor", "Bilgisayar donuyor",
        "Kasadan ses geliyor", "Bilgisayar kendiliğinden kapanıyor")),
    ("yazici-tarayici", "Donanım", "Yazıcı / tarayıcı arızası", 0, 3, (
        "Yazıcı çalışmıyor", "Yazıcı kağıt sıkıştırıyor", "Yazıcının toneri bitti", "Tarayıcı bilgisayarı görmüyor",
        "Yazıcıdan çıktı alamıyorum", "Yazıcı soluk basıyor", "Fotokopi makinesi arızalı",
        "Ağ yazıcısı listede görünmüyor", "Yazıcı hata ışığı yanıyor")),
    ("ag-internet", "Ağ", "Ağ / internet noktası", 1, 2, (
        "İnternet bağlantısı yok", "İnternet çok yavaş", "Ağ kablosu arızalı", "Ağ noktası çalışmıyor",
        "Kablosuz ağa bağlanamıyorum", "VPN bağlantısı kurulamıyor", "Yeni ağ noktası talebi",
        "IP çakışması uyarısı", "Paylaşılan klasöre erişemiyorum")),
    ("yazilim-sorunu", "Yazılım", "Yazılım / uygulama sorunu", 2, 3, (
        "EBYS'ye giriş yapamıyorum", "EBYS'de evrak imzalanmıyor", "KBS modülünde hata", "CBS haritası açılmıyor",
        "PDKS kartım okunmuyor", "YBS raporu hata veriyor", "Web sitesinde hata", "E-imza çalışmıyor",
        "Office lisans uyarısı", "Program açılmıyor", "KBS tahakkuk ekranı donuyor")),
    ("e-posta", "Hesap ve yetki", "E-posta hesabı / posta kutusu", 3, 3, (
        "Yeni e-posta hesabı", "E-posta kutusu doldu", "E-posta şifremi unuttum", "E-posta gönderemiyorum",
        "Outlook açılmıyor", "E-posta şifre sıfırlama", "Posta kutusu kota artırımı")),
    ("cbs-yetki", "Hesap ve yetki", "CBS kullanıcı hesabı / yetki değişikliği", 3, 4, (
        "CBS kullanıcı hesabı açılması", "CBS yetki değişikliği", "KBS yetki talebi", "EBYS yetki tanımı",
        "Kullanıcı şifre sıfırlama")),
    ("telefon-hatti", "Telefon", "Telefon hattı (yeni, iptal, taşıma, tarife)", 4, 4, (
        "Yeni telefon hattı", "Dahili hat taşıma", "Telefon hattı iptali", "Telefon çalışmıyor",
        "Tarife değişikliği", "Santral arızası")),
    ("kamera", "Güvenlik", "Kamera talebi veya arızası", 5, 2, (
        "Kamera görüntü vermiyor", "Yeni kamera talebi", "Kamera kayıt cihazı arızalı", "Kamera açısı değişikliği")),
    ("toplanti-destek", "Etkinlik", "Toplantı / etkinlik için BT desteği", 1, 3, (
        "Toplantı için projeksiyon desteği", "Meclis toplantısı ses sistemi", "Etkinlik için internet erişimi",
        "Video konferans desteği")),
    ("donanim-talebi", "Talep", "Donanım talebi", 0, 4, (
        "Yeni bilgisayar talebi", "Ek monitör talebi", "Yazıcı talebi", "Tablet talebi", "Klavye ve fare talebi")),
    ("yazilim-talebi", "Talep", "Yazılım talebi", 2, 4, (
        "Program kurulumu", "Lisans talebi", "AutoCAD kurulumu", "Netcad lisansı", "Office kurulumu")),
)  # fmt: skip
ITEM_WEIGHTS = (18, 20, 16, 16, 8, 4, 4, 3, 3, 4, 4)
CATEGORIES = ("Donanım", "Ağ", "Yazılım", "Hesap ve yetki", "Telefon", "Güvenlik", "Etkinlik", "Talep")

DEVICES = (
    "HP LaserJet Pro M404", "Canon iR2520", "Kyocera ECOSYS M2540", "Brother HL-L2350", "Epson L3150",
    "Lenovo ThinkCentre M70", "Dell OptiPlex 3080", "HP ProDesk 400", "Casper Nirvana", "Samsung 24 monitör",
    "Cisco IP telefon", "Hikvision kamera", "Ruckus erişim noktası",
)  # fmt: skip
PLACES = (
    "Zemin kat", "1. kat", "2. kat", "3. kat", "4. kat", "5. kat", "Ek hizmet binası", "Meclis salonu",
    "Arşiv odası", "Vezne", "Santral odası", "Toplantı salonu", "Şantiye ofisi",
)  # fmt: skip
SENTENCES = (
    "Sabahtan beri bu sorunu yaşıyorum.", "Acil olarak bakılmasını rica ederim.",
    "Daha önce de aynı sorun yaşanmıştı.", "Ekranda erişim reddedildi hatası çıkıyor.",
    "Birimimizde iş akışı durdu.", "Bilgisayarı yeniden başlattım ama düzelmedi.",
    "Vatandaş işlemleri bekliyor.", "Mesai bitmeden çözülmesi gerekiyor.", "Kablolar kontrol edildi.",
    "Sadece benim bilgisayarımda oluyor.", "Odadaki herkeste aynı sorun var.", "Şifre değiştirdikten sonra başladı.",
    "Güncellemeden sonra çalışmıyor.", "Yarın toplantı olduğu için önemli.", "Lütfen dönüş yapınız.",
)  # fmt: skip
COMMENTS = (
    "Yerinde bakılacak.", "Toner değiştirildi, test çıktısı alındı.", "Kullanıcıya ulaşılamadı, tekrar aranacak.",
    "Kablo yenilendi, bağlantı sağlandı.", "Parça siparişi verildi.", "Sorun devam ediyor mu?",
    "Teşekkürler, sorun çözüldü.", "Uzaktan bağlanılarak ayarlar düzeltildi.", "Şifre sıfırlandı, SMS gönderildi.",
    "Sürücü yeniden kuruldu.", "Kullanıcı bilgisayar başında değil.", "Yarın sabah ilk iş bakılacak.",
    "Yetki tanımı yapıldı.", "Hat taşıma için santral ekibine iletildi.", "Hâlâ aynı hata alınıyor.",
)  # fmt: skip
NOTES = (
    "Firma ile görüşüldü, garanti kapsamında.", "Cihaz eski, hurdaya ayrılması önerilir.",
    "Aynı birimden üçüncü talep, switch kontrol edilmeli.", "Lisans sayısı yetersiz.",
    "Kullanıcı yetkisi müdür onayına bağlı.", "Yedek parça depoda yok.",
)  # fmt: skip
WORK = (
    "Arıza tespiti yapıldı.", "Yazıcı sürücüsü güncellendi.", "Ağ kablosu sonlandırıldı.", "Disk değiştirildi.",
    "İşletim sistemi yeniden kuruldu.", "Toner ve drum değiştirildi.", "Switch portu yapılandırıldı.",
    "EBYS istemcisi yeniden kuruldu.", "Posta kutusu kotası artırıldı.",
)  # fmt: skip
CAUSES = (
    ("HW-01", "Donanım arızası", "hardware"), ("HW-02", "Sarf malzeme bitti", "hardware"),
    ("SW-01", "Yazılım hatası", "software"), ("SW-02", "Lisans sorunu", "software"),
    ("NW-01", "Kablo / port arızası", "network"), ("NW-02", "Servis sağlayıcı kesintisi", "external"),
    ("US-01", "Kullanıcı hatası", "user"), ("US-02", "Şifre unutma", "user"), ("OT-01", "Diğer", "other"),
)  # fmt: skip
# What the search box gets: common and rare words, with and without Turkish letters, and ticket numbers.
SEARCHES = (
    "yazıcı çalışmıyor", "YAZICI ÇALIŞMIYOR", "yazici calismiyor", "internet yok", "şifre", "e-posta",
    "ebys", "KBS hata", "kyocera", "ağ noktası", "vpn", "mavi ekran", "outlook", "pdks kart", "netcad",
    "toner", "kamera görüntü", "santral", "ıp çakışması", "öztürk",
)  # fmt: skip
QUEUE_STATUSES = ("open", "open", "open", "new", "assigned", "in_progress", "waiting_requester")
QUEUE_SORTS = ("resolution_due", "resolution_due", "resolution_due", "-resolution_due")

OPEN = ("new", "assigned", "in_progress", "waiting_requester", "waiting_vendor", "waiting_parts")
OPEN_WEIGHTS = (12, 18, 38, 14, 8, 10)
# target hours (response, resolution) per priority, as in the seeded policy
TARGETS = {1: (1, 4), 2: (2, 8), 3: (4, 16), 4: (8, 40)}


@dataclass
class DeskReport:
    tickets: int = 0
    followups: int = 0
    ratings: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


# --- Seeding ---------------------------------------------------------------------------------------


@contextmanager
def _stored_timestamps(*models: Any) -> Iterator[None]:
    """Let bulk_create keep the seeder's created_at/updated_at instead of stamping "now" on every row."""
    fields = [f for m in models for f in m._meta.concrete_fields if getattr(f, "auto_now", False)]
    fields += [f for m in models for f in m._meta.concrete_fields if getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def seed(tickets: int, followups: int, *, rng_seed: int = 2027, log: Callable[[str], None] = print) -> DeskReport:
    """Fill the service desk of a database the org seeder filled (units, staff, the two personas)."""
    rng = random.Random(rng_seed)
    report = DeskReport()

    def step(name: str, func: Callable[[], int]) -> int:
        started = time.perf_counter()
        count = func()
        report.seconds[name] = time.perf_counter() - started
        log(f"  {name:<10} {count:>9,} rows in {report.seconds[name]:6.1f} s")
        return count

    desk: dict[str, Any] = {}
    step("desk", lambda: _seed_desk(desk, rng))
    counts: dict[str, int] = {}
    report.tickets = step("tickets", lambda: _seed_tickets(desk, tickets, followups, rng, counts))
    report.followups, report.ratings = counts.get("followups", 0), counts.get("ratings", 0)
    log(f"  {'':<10} {report.followups:>9,} follow-ups, {report.ratings:,} ratings")
    step("index", _finish)
    return report


def it_sections() -> list[Any]:
    """The şeflikler of the IT department (or its branches, or itself, on a small tree)."""
    from biys.org.models import Unit

    it = Unit.objects.filter(is_it=True).order_by("depth", "id").first()
    if it is None:
        raise SystemExit("The bench database has no IT department: seed the org part first (bench.seed).")
    below = Unit.objects.filter(path__startswith=it.path).exclude(pk=it.pk)
    sections = list(below.filter(kind=Unit.Kind.SECTION).order_by("id")[:IT_SECTIONS])
    if len(sections) < IT_SECTIONS:
        sections += list(below.exclude(kind=Unit.Kind.SECTION).order_by("depth", "id")[: IT_SECTIONS - len(sections)])
    return sections or [it]


def _seed_desk(desk: dict[str, Any], rng: random.Random) -> int:
    """Catalogue, SLA policy, root causes, technicians (uzman) and two more personas."""
    from django.contrib.auth.hashers import make_password

    from biys.core.text import search_key
    from biys.org.models import Staff, Unit
    from biys.servicedesk.models import RootCause, ServiceCategory, ServiceItem, SlaPolicy, SlaTarget
    from biys.users.models import Role, User

    sections = it_sections()
    it = Unit.objects.filter(is_it=True).order_by("depth", "id").first()
    policy = SlaPolicy.objects.create(name="Standart", is_default=True)
    SlaTarget.objects.bulk_create(
        SlaTarget(policy=policy, priority=p, response_time=timedelta(hours=r), resolution_time=timedelta(hours=s))
        for p, (r, s) in TARGETS.items()
    )
    categories = {name: ServiceCategory.objects.create(name=name, sort_order=i) for i, name in enumerate(CATEGORIES)}
    items = []
    for order, (code, category, name, section, priority, _titles) in enumerate(ITEMS):
        item = ServiceItem(
            category=categories[category],
            code=code,
            name=name,
            responsible_unit=sections[section % len(sections)],
            sla_policy=policy,
            default_priority=priority,
            sort_order=order,
        )
        item.search_key = search_key(item.search_source())
        items.append(item)
    ServiceItem.objects.bulk_create(items)
    causes = RootCause.objects.bulk_create(RootCause(code=c, name=n, group=g) for c, n, g in CAUSES)

    password = make_password(None)
    roles = dict(Role.objects.values_list("code", "pk"))  # type: ignore[misc]
    users, membership = [], []
    taken = set(User.objects.values_list("username", flat=True))
    for i in range(TECHNICIANS):
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        username = f"bench.tek{i + 1:02d}"
        users.append(User(username=username, first_name=first, last_name=last, password=password,
                          unit=sections[i % len(sections)]))  # fmt: skip
        membership.append("uzman")
    if MANAGER not in taken:
        users.append(User(username=MANAGER, first_name="Şef", last_name="Bench", password=password, unit=it))
        membership.append("sube_muduru")
    requester_staff = Staff.objects.filter(status="active").exclude(unit__is_it=True).order_by("id").first()
    if REQUESTER_USER not in taken and requester_staff is not None:
        person = requester_staff
        users.append(User(username=REQUESTER_USER, first_name=person.first_name, last_name=person.last_name,
                          password=password, unit=person.unit))  # fmt: skip
        membership.append("birim_kullanicisi")
    created = User.objects.bulk_create(users)
    through = User.groups.through
    through.objects.bulk_create(
        through(user_id=user.pk, group_id=roles[code]) for user, code in zip(created, membership, strict=True)
    )
    if requester_staff is not None and requester_staff.user_id is None:
        requester_staff.user = User.objects.get(username=REQUESTER_USER)
        Staff.objects.filter(pk=requester_staff.pk).update(user=requester_staff.user)
    technicians = [u for u in created if u.username.startswith("bench.tek")]
    desk.update(
        policy=policy,
        items=items,
        causes=causes,
        technicians={s.pk: [t for t in technicians if t.unit_id == s.pk] for s in sections},
        sections=sections,
    )
    return len(items) + len(causes) + len(created) + len(CATEGORIES) + 5


def _staff_pool() -> list[Any]:
    from biys.org.models import Staff

    fields = ("id", "first_name", "last_name", "unit_id", "email", "work_phone")
    return [Staff(**row) for row in Staff.objects.exclude(unit__is_it=True).values(*fields)] or [
        Staff(**row) for row in Staff.objects.values(*fields)
    ]


def _open_probability(age_days: float) -> float:
    """≈6.5 % of all tickets are open: most of the last month, a tail of older ones."""
    if age_days < 30:
        return 0.70
    if age_days < 365:
        return 0.10
    return 0.04


def _due(start: datetime, business_hours: float) -> datetime:
    # 8 business hours a day, five days out of seven
    return start + timedelta(days=business_hours / 8 * 7 / 5)


def _description(rng: random.Random, title: str) -> list[str]:
    """The sentences of a ticket's description (joined with spaces)."""
    parts = [f"{title}."]
    if rng.random() < 0.6:
        parts.append(f"{rng.choice(PLACES)}, {rng.choice(DEVICES)}.")
    parts += rng.sample(SENTENCES, rng.choice((1, 1, 2, 2, 3)))
    if rng.random() < 0.3:
        parts.append(f"Demirbaş no: {rng.choice(('PC', 'YZ', 'MN', 'TR'))}-{rng.randint(1, 99999):05d}.")
    if rng.random() < 0.15:
        parts.append(f"IP adresi 10.{rng.randint(1, 40)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}.")
    return parts


def _followup_count(rng: random.Random, index: int, mean: float) -> int:
    if index % BIG_EVERY == BIG_EVERY - 1:
        return rng.randint(*BIG_FOLLOWUPS)
    # uniform from 1 to top (mixing two whole tops) averages (1 + top) / 2 = mean
    top = max(1.0, 2 * mean - 1)
    whole = int(top)
    return rng.randint(1, whole + (rng.random() < top - whole))


def _seed_tickets(desk: dict[str, Any], total: int, followups: int, rng: random.Random, counts: dict[str, int]) -> int:
    from django.db import transaction
    from django.utils import timezone

    from biys.servicedesk.models import FollowUp, Satisfaction, Ticket, TicketSequence

    if total <= 0:
        return 0
    staff = _staff_pool()
    items, causes, policy = desk["items"], desk["causes"], desk["policy"]
    item_titles = {item.pk: ITEMS[i][5] for i, item in enumerate(items)}
    all_technicians = [t for ts in desk["technicians"].values() for t in ts]
    sections = desk["sections"]
    now = timezone.now()
    start = now - timedelta(days=HISTORY_DAYS)
    step = timedelta(days=HISTORY_DAYS) / total
    # the big timelines' extra rows come out of the average of the others
    big = total // BIG_EVERY
    mean = max(1.0, (followups - big * sum(BIG_FOLLOWUPS) / 2) / max(total - big, 1))
    numbers: dict[int, int] = {}
    keys = _Keys()
    done = followups_done = ratings = 0
    with _stored_timestamps(Ticket):
        while done < total:
            size = min(BATCH, total - done)
            batch: list[Any] = []
            plans: list[tuple[Any, int, list[Any]]] = []
            for index in range(done, done + size):
                created = start + step * index + timedelta(seconds=rng.randint(0, max(int(step.total_seconds()), 1)))
                created = min(created, now - timedelta(minutes=1))
                year = timezone.localtime(created).year
                numbers[year] = numbers.get(year, 0) + 1
                item = rng.choices(items, ITEM_WEIGHTS)[0]
                requester = rng.choice(staff)
                title = rng.choice(item_titles[item.pk])
                priority = (
                    rng.choices((1, 2, 3, 4), (2, 15, 70, 13))[0] if rng.random() < 0.3 else item.default_priority
                )
                unit = item.responsible_unit
                if rng.random() < 0.05:  # transferred to another şeflik
                    unit = rng.choice(sections)
                age = (now - created).total_seconds() / 86400
                status = rng.choices(OPEN, OPEN_WEIGHTS)[0] if rng.random() < _open_probability(age) else ""
                if not status:
                    status = rng.choices(("closed", "resolved", "cancelled"), (90, 6, 4))[0]
                    if status == "resolved" and age > 60:
                        status = "closed"
                response_h, resolution_h = TARGETS[priority]
                sentences = _description(rng, title)
                ticket = Ticket(
                    year=year,
                    number=numbers[year],
                    title=title,
                    description=" ".join(sentences),
                    item=item,
                    requester_id=requester.pk,
                    requester_unit_id=requester.unit_id,
                    requester_email=requester.email,
                    contact_phone=requester.work_phone,
                    channel=rng.choices(("portal", "phone", "walk_in", "email", "api"), (60, 22, 5, 12, 1))[0],
                    status=status,
                    priority=priority,
                    impact=rng.choices(("person", "group", "unit", "municipality"), (80, 12, 7, 1))[0],
                    assigned_unit=unit,
                    sla_policy=policy,
                    sla_started_at=created,
                    response_due=_due(created, response_h),
                    resolution_due=_due(created, resolution_h),
                    resolution_warn_at=_due(created, resolution_h * 0.8),
                    created_at=created,
                    updated_at=created,
                )
                if rng.random() < 0.03:  # mailed in by someone outside the staff list
                    ticket.requester_id, ticket.requester_name = (
                        None,
                        rng.choice(names.FIRST_NAMES) + " " + rng.choice(names.LAST_NAMES),
                    )
                else:
                    ticket.requester = requester  # search_source() names the requester
                who = ticket.requester_name or f"{requester.first_name} {requester.last_name}"
                ticket.search_key = keys.of(ticket, [ticket.reference, title, *sentences, who])
                workers = desk["technicians"].get(ticket.assigned_unit_id) or all_technicians
                worker = rng.choice(workers)
                if status != "new":
                    ticket.assignee = worker
                    ticket.first_response_at = created + timedelta(hours=rng.uniform(0.1, response_h * 2))
                    ticket.response_breached = ticket.first_response_at > ticket.response_due
                end = now
                if status in ("resolved", "closed", "cancelled"):
                    finished = created + timedelta(hours=rng.expovariate(1 / (resolution_h * 2.5)))
                    finished = min(finished, now - timedelta(minutes=1))
                    ticket.resolution_breached = finished > ticket.resolution_due
                    ticket.sla_paused_at = finished
                    if status != "cancelled":
                        ticket.resolved_at = finished
                        ticket.root_cause = rng.choice(causes)
                        ticket.resolution = rng.choice(WORK)
                    if status != "resolved":
                        ticket.closed_at = min(finished + timedelta(days=rng.uniform(0, 5)), now)
                    end = ticket.closed_at or finished
                else:
                    ticket.resolution_breached = now > ticket.resolution_due and rng.random() < 0.7
                    if status.startswith("waiting_") and status != "waiting_parts":
                        ticket.sla_paused_at = now - timedelta(hours=rng.uniform(1, 72))
                ticket.updated_at = end
                batch.append(ticket)
                plans.append((ticket, _followup_count(rng, index, mean), [worker, end]))
            with transaction.atomic():
                Ticket.objects.bulk_create(batch, batch_size=1000)
                rows = [f for ticket, n, (worker, end) in plans for f in _timeline(rng, ticket, n, worker, end)]
                _insert(FollowUp, FOLLOWUP_COLUMNS, rows)
                rated = [_rating(rng, t) for t in batch if t.status == "closed" and rng.random() < 0.15]
                _insert(Satisfaction, RATING_COLUMNS, rated)
            followups_done += len(rows)
            ratings += len(rated)
            done += size
    for year, last in numbers.items():
        TicketSequence.objects.update_or_create(year=year, defaults={"last": last})
    counts.update(followups=followups_done, ratings=ratings)
    return done


class _Keys:
    """``search_key(ticket.search_source())`` from cached keys of its parts (a million full calls take minutes).

    The key of space-joined parts is the space-joined keys of the parts (every step is per character, and no
    part starts with a combining mark); every 1000th ticket is checked against the model's own key anyway.
    """

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}
        self.count = 0

    def of(self, ticket: Any, parts: list[str]) -> str:
        from biys.core.text import search_key

        cache = self.cache
        keys = []
        for part in parts:
            key = cache.get(part)
            if key is None:
                key = cache[part] = search_key(part)
                if len(cache) > 200_000:
                    cache.clear()
            if key:
                keys.append(key)
        joined = " ".join(keys)
        self.count += 1
        if self.count % 1000 == 1 and joined != search_key(ticket.search_source()):
            raise AssertionError(f"search key of #{ticket.reference} differs from the model's: {joined!r}")
        return joined


def _timeline(rng: random.Random, ticket: Any, count: int, worker: Any, end: datetime) -> list[tuple[Any, ...]]:
    """``count`` follow-ups (rows of FOLLOWUP_COLUMNS) between the ticket's creation and its end: events,
    comments, internal notes and work logs."""
    from django.db import connection

    adapt = connection.ops.adapt_datetimefield_value
    span = max((end - ticket.created_at).total_seconds(), 60.0)
    times = sorted(ticket.created_at + timedelta(seconds=rng.uniform(30, span)) for _ in range(count))
    name = worker.get_full_name()
    rows = []
    for i, moment in enumerate(times):
        if i == 0 and ticket.status != "new":
            kind, body = "event", f"{name} kişisine atandı."
        elif i == count - 1 and ticket.status in ("resolved", "closed"):
            kind, body = "event", "Çözüldü."
        else:
            kind = rng.choices(("comment", "note", "work", "event"), (45, 12, 28, 15))[0]
            body = {
                "comment": rng.choice(COMMENTS),
                "note": rng.choice(NOTES),
                "work": rng.choice(WORK),
                "event": rng.choice(("Çalışmaya başlandı.", "Talep sahibi bekleniyor.", "Parça bekleniyor.")),
            }[kind]
        by = None if kind == "comment" and rng.random() < 0.5 else worker.pk
        minutes = rng.choice((10, 15, 20, 30, 45, 60, 90)) if kind == "work" else 0
        stamp = adapt(moment)
        rows.append((ticket.pk, kind, body, kind == "note", minutes, kind == "work" and rng.random() < 0.4,
                     stamp, stamp, by, by))  # fmt: skip
    return rows


FOLLOWUP_COLUMNS = ("ticket_id", "kind", "body", "is_internal", "minutes", "on_site", "created_at", "updated_at",
                    "created_by_id", "updated_by_id")  # fmt: skip
RATING_COLUMNS = ("ticket_id", "score", "comment", "created_at", "updated_at")


def _insert(model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Plain multi-row INSERTs of prepared values: the 5M follow-ups need no model instances."""
    from django.db import connection

    quote = connection.ops.quote_name
    per_statement = max(1, min(500, 30000 // len(columns)))
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608
    one = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(head + ", ".join([one] * len(chunk)), [v for row in chunk for v in row])


def _rating(rng: random.Random, ticket: Any) -> tuple[Any, ...]:
    from django.db import connection

    score = rng.choices((1, 2, 3, 4, 5), (3, 4, 10, 33, 50))[0]
    stamp = connection.ops.adapt_datetimefield_value(ticket.closed_at)
    comment = rng.choice(("", "", "Teşekkürler.", "Hızlı çözüldü.", "Geç dönüş yapıldı.")) if score != 3 else ""
    return (ticket.pk, score, comment, stamp, stamp)


def _finish() -> int:
    """Bring the search index up to date where bulk loading left it behind, then let the planner see the data."""
    from django.db import connection

    from biys.servicedesk import search

    search.after_bulk_load()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("servicedesk_ticket", "servicedesk_followup", "servicedesk_satisfaction"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return 0


def clear() -> None:
    """Remove every service desk row (tickets last), keeping the org data and the change log."""
    from django.db import connection, transaction

    from biys.org.models import Staff
    from biys.servicedesk import models as sd
    from biys.servicedesk import search
    from biys.users.models import User

    models = (sd.Satisfaction, sd.MailMessage, sd.PartUsage, sd.VendorCase, sd.Intervention, sd.Transfer,
              sd.Attachment, sd.FollowUp, sd.Ticket.assets.through, sd.Ticket, sd.TicketSequence, sd.RoutingRule,
              sd.SavedView, sd.Article.items.through, sd.Article, sd.ServiceItem, sd.RootCause, sd.SlaTarget,
              sd.SlaPolicy, sd.ServiceCategory)  # fmt: skip
    search.drop_sqlite_index(connection)  # SQLite: a million trigger calls would be slower than a rebuild
    with transaction.atomic():
        for model in models:
            rows = model.objects.all()
            rows._raw_delete(rows.db)
        Staff.objects.filter(user__username=REQUESTER_USER).update(user=None)
        User.objects.filter(username__startswith="bench.tek").delete()
        User.objects.filter(username__in=(REQUESTER_USER, MANAGER)).delete()
    search.create_sqlite_index(connection)


def has_desk() -> bool:
    from biys.servicedesk.models import Ticket

    return Ticket.objects.exists()


# --- Scenarios ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskData:
    """Facts about the seeded service desk the URL builders draw from."""

    queue_units: list[int]
    big_tickets: list[int]
    references: list[str]


@cache
def desk_data() -> DeskData:
    from django.db.models import Count, Max, Min

    from biys.servicedesk.models import FollowUp, Ticket

    bounds = Ticket.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        raise SystemExit("The bench database holds no tickets: run without --skip-seed or python -m bench.servicedesk")
    first = bounds["low"]
    candidates = list(range(first + BIG_EVERY - 1, bounds["high"] + 1, BIG_EVERY))[:400]
    big = list(
        FollowUp.objects.filter(ticket_id__in=candidates)
        .values("ticket_id")
        .annotate(n=Count("id"))
        .filter(n__gte=BIG_FOLLOWUPS[0])
        .values_list("ticket_id", flat=True)
    )
    sample = random.Random(0).sample(range(first, bounds["high"] + 1), min(200, bounds["high"] - first + 1))
    refs = [f"{y}-{n:06d}" for y, n in Ticket.objects.filter(id__in=sample).values_list("year", "number")]
    return DeskData(queue_units=[u.pk for u in it_sections()], big_tickets=big or candidates[:1], references=refs)


def _path(name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(f"servicedesk:{name}", kwargs=kwargs or None)


def _query(path: str, params: dict[str, Any]) -> str:
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{path}?{urlencode(params)}" if params else path


def queue(data: Any, rng: random.Random) -> str:
    params = {"assigned_unit": rng.choice(desk_data().queue_units), "status": rng.choice(QUEUE_STATUSES),
              "sort": rng.choice(QUEUE_SORTS)}  # fmt: skip
    return _query(_path("ticket_list"), params)


def search(data: Any, rng: random.Random) -> str:
    d = desk_data()
    text = rng.choice(d.references) if rng.random() < 0.1 else rng.choice(SEARCHES)
    return _query(_path("ticket_list"), {"q": text})


def search_open(data: Any, rng: random.Random) -> str:
    return _query(_path("ticket_list"), {"q": rng.choice(SEARCHES), "status": "open"})


def ticket(data: Any, rng: random.Random) -> str:
    return _path("ticket", pk=rng.choice(desk_data().big_tickets))


def dashboard(data: Any, rng: random.Random) -> str:
    return _path("dashboard")


def followup_rows(html: str) -> int:
    """Timeline entries on the ticket page (comments, notes, work logs and events each carry data-kind)."""
    return html.count('data-kind="')


def dashboard_rows(html: str) -> int:
    """Rows of the dashboard's tables (open by unit, category, status, workload …)."""
    return html.count("<tr")


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("sd_queue", "Service desk: technician queue, one şeflik + status, by SLA due, 50 rows (specialist)",
             SPECIALIST, queue, table_rows, budget_ms=100),
    Scenario("sd_search", "Service desk: ticket search over 1M tickets, Turkish words and ticket numbers (auditor)",
             AUDITOR, search, table_rows, min_rows=0, budget_ms=300),
    Scenario("sd_search_tech", "Service desk: ticket search, open tickets of the IT department (specialist)",
             SPECIALIST, search_open, table_rows, min_rows=0, budget_ms=300),
    Scenario("sd_ticket", "Service desk: ticket page with 50–55 follow-ups (specialist)", SPECIALIST, ticket,
             followup_rows, min_rows=BIG_FOLLOWUPS[0], budget_ms=50),
    Scenario("sd_dashboard", "Service desk: dashboard aggregates over all tickets (manager)", MANAGER, dashboard,
             dashboard_rows, min_rows=10, budget_ms=1000),
)  # fmt: skip


# --- Command line --------------------------------------------------------------------------------


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tickets", type=int, default=1_000_000, help="service desk tickets (default 1000000)")
    parser.add_argument("--followups", type=int, default=5_000_000, help="their follow-ups (default 5000000)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.servicedesk", description=__doc__.split("\n\n")[0])
    add_size_arguments(parser)
    parser.add_argument("--database-url", help=f"bench database (default $BENCH_DATABASE_URL or {config.DEFAULT_URL})")
    args = parser.parse_args(argv)
    url = config.resolve_url(args.database_url)
    config.setup(url)
    if config.state() != "bench":
        print(f"{config.redacted(url)} holds no bench org data: run python -m bench.seed first.", file=sys.stderr)
        return 2
    config.migrate()
    if has_desk():
        print("Removing the service desk data seeded before …")
        clear()
    print(
        f"Seeding the service desk of {config.redacted(url)}: {args.tickets:,} tickets, {args.followups:,} follow-ups"
    )
    report = seed(args.tickets, args.followups)
    print(f"  total      {report.total_seconds:16.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
