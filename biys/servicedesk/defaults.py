"""The catalogue BİYS ships with: categories and items of what municipal units ask the IT department for, the
"Standart" SLA policy and the coded root causes.

Item names, descriptions and form questions are data in Turkish (like the directives they cite), not messages:
managers edit them afterwards. ``load_defaults`` only adds what is missing (by code / name), so running it again
never overwrites a manager's edits nor duplicates a row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from biys.servicedesk.choices import CauseGroup, FieldType, Priority
from biys.servicedesk.models import RootCause, ServiceCategory, ServiceItem, SlaPolicy, SlaTarget

# Which part of the IT department answers an item by default; ``load_defaults`` maps these to units.
SUPPORT, NETWORK, SOFTWARE = "support", "network", "software"
AREAS = (SUPPORT, NETWORK, SOFTWARE)

# name, Bootstrap icon
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("Donanım", "pc-display"),
    ("Yazıcı ve Tarayıcı", "printer"),
    ("Ağ ve İnternet", "ethernet"),
    ("Yazılım ve Uygulamalar", "window-stack"),
    ("E-posta ve Hesaplar", "person-badge"),
    ("Telefon", "telephone"),
    ("Güvenlik Kamerası", "camera-video"),
    ("Toplantı ve Etkinlik", "easel"),
)


def _choice(name: str, label: str, choices: list[str], required: bool = True) -> dict[str, Any]:
    return {"name": name, "label": label, "type": FieldType.CHOICE.value, "required": required, "choices": choices}


def _field(name: str, label: str, kind: FieldType = FieldType.TEXT, required: bool = False) -> dict[str, Any]:
    return {"name": name, "label": label, "type": kind.value, "required": required}


@dataclass(frozen=True)
class DefaultItem:
    code: str
    category: str
    name: str
    description: str
    area: str
    priority: Priority
    directive_ref: str
    fields: list[dict[str, Any]] = field(default_factory=list)
    asks_for_asset: bool = False


SYSTEMS = [
    "YBS (Yönetim Bilgi Sistemi)",
    "KBS / CBS (Kent / Coğrafi Bilgi Sistemi)",
    "EBYS (Elektronik Belge Yönetim Sistemi)",
    "PDKS (Personel Devam Kontrol Sistemi)",
    "Web sitesi / e-Belediye",
    "Diğer",
]

ITEMS: tuple[DefaultItem, ...] = (
    DefaultItem(
        "donanim-arizasi",
        "Donanım",
        "Bilgisayar / donanım arızası",
        "Bilgisayar, monitör, klavye, fare veya UPS çalışmıyor ya da arızalı.",
        SUPPORT,
        Priority.NORMAL,
        "Mersin md. 6/ı, 7/1-s, 7/3-e; Nizip md. 12/2, 12/48",
        [
            _choice(
                "cihaz_turu",
                "Cihaz türü",
                ["Masaüstü bilgisayar", "Dizüstü bilgisayar", "Monitör", "Klavye / fare", "UPS", "Diğer"],
            ),
            _field("acilmiyor", "Cihaz hiç açılmıyor", FieldType.BOOLEAN),
        ],
        asks_for_asset=True,
    ),
    DefaultItem(
        "yazici-tarayici",
        "Yazıcı ve Tarayıcı",
        "Yazıcı / tarayıcı arızası",
        "Kağıt sıkışması, silik baskı, toner, tarama veya ağ yazıcısına erişim sorunu.",
        SUPPORT,
        Priority.NORMAL,
        "Mersin md. 7/1-s, 7/3-e; Nizip md. 12/2, 12/22",
        [
            _choice(
                "sorun",
                "Sorun",
                [
                    "Kağıt sıkıştırıyor",
                    "Baskı silik / lekeli",
                    "Toner / kartuş bitti",
                    "Tarama çalışmıyor",
                    "Ağda görünmüyor",
                    "Diğer",
                ],
            ),
            _field("yazici_yeri", "Yazıcının adı veya yeri"),
        ],
        asks_for_asset=True,
    ),
    DefaultItem(
        "ag-noktasi",
        "Ağ ve İnternet",
        "Ağ / internet bağlantı noktası",
        "İnternete veya kurum ağına bağlanılamıyor; yeni ağ noktası (data prizi) ya da kablo ihtiyacı.",
        NETWORK,
        Priority.HIGH,
        "Mersin md. 6/ı, 7/1-ş; Nizip md. 12/5, 12/8",
        [
            _choice("talep_turu", "Talep türü", ["Bağlantı yok", "Bağlantı yavaş", "Yeni ağ noktası", "Kablo / priz"]),
            _field("oda", "Oda / kat", required=True),
            _field("etkilenen", "Etkilenen kişi sayısı", FieldType.NUMBER),
        ],
    ),
    DefaultItem(
        "yazilim-sorunu",
        "Yazılım ve Uygulamalar",
        "Yazılım / uygulama sorunu",
        "YBS, KBS/CBS, EBYS, PDKS veya web uygulamalarında hata, erişim ya da yavaşlık.",
        SOFTWARE,
        Priority.NORMAL,
        "Mersin md. 7/3-d, 8/1-r; Nizip md. 7/12",
        [_choice("sistem", "Sistem", SYSTEMS), _field("hata_mesaji", "Ekranda çıkan hata mesajı")],
    ),
    DefaultItem(
        "eposta-hesabi",
        "E-posta ve Hesaplar",
        "Yeni e-posta hesabı / posta kutusu",
        "Kurumsal e-posta hesabı açılması, ortak posta kutusu, kota artırımı veya hesap kapatma.",
        NETWORK,
        Priority.LOW,
        "Mersin md. 6/ı; Nizip md. 7/22, 12/30",
        [
            _field("ad_soyad", "Hesap sahibinin adı soyadı", required=True),
            _field("sicil_no", "Sicil no", required=True),
            _choice("islem", "İşlem", ["Yeni hesap", "Ortak posta kutusu", "Kota artırımı", "Hesap kapatma"]),
        ],
    ),
    DefaultItem(
        "cbs-hesabi",
        "E-posta ve Hesaplar",
        "CBS kullanıcı hesabı / yetki değişikliği",
        "Coğrafi Bilgi Sistemi için yeni kullanıcı, yetki değişikliği veya yetkinin kaldırılması.",
        SOFTWARE,
        Priority.NORMAL,
        "Mersin md. 6/ı; Nizip md. 7/25",
        [
            _field("kullanici", "Kullanıcının adı soyadı", required=True),
            _choice("yetki", "İstenen yetki", ["Görüntüleme", "Veri girişi / düzenleme", "Yönetici", "Yetki kaldırma"]),
            _field("gerekce", "Gerekçe", required=True),
        ],
    ),
    DefaultItem(
        "telefon-hatti",
        "Telefon",
        "Telefon hattı: yeni hat / iptal / nakil / tarife değişikliği",
        "Yeni telefon veya data hattı, hat iptali, yer değişikliği (nakil), tarife değişikliği ya da hat arızası.",
        SUPPORT,
        Priority.LOW,
        "Mersin md. 7/3-ğ, 7/3-h; Nizip md. 12/20, 12/39",
        [
            _choice(
                "islem", "İşlem", ["Yeni hat", "Hat iptali", "Nakil (yer değişikliği)", "Tarife değişikliği", "Arıza"]
            ),
            _field("hat_no", "Dahili / hat numarası"),
            _field("yeni_yer", "Yeni yer (nakil için)"),
        ],
    ),
    DefaultItem(
        "kamera",
        "Güvenlik Kamerası",
        "Güvenlik kamerası talebi veya arızası",
        "Kamera arızası, yeni kamera talebi veya kayıt görüntüsü talebi.",
        SUPPORT,
        Priority.HIGH,
        "Mersin md. 6/i, 7/1-s, 7/3-e, 7/3-f; Nizip md. 12/25, 12/26",
        [
            _choice("talep_turu", "Talep türü", ["Arıza", "Yeni kamera", "Kayıt görüntüsü"]),
            _field("kamera_yeri", "Kameranın yeri", required=True),
        ],
    ),
    DefaultItem(
        "toplanti-destegi",
        "Toplantı ve Etkinlik",
        "Toplantı / etkinlik için bilişim desteği",
        "Toplantı, seminer veya etkinlik için projeksiyon, ses sistemi, bilgisayar ve internet kurulumu.",
        SUPPORT,
        Priority.NORMAL,
        "Mersin md. 7/1-j; Nizip md. 12/15, 12/45",
        [
            _field("tarih", "Etkinlik tarihi", FieldType.DATE, required=True),
            _field("yer", "Yer", required=True),
            _field("ihtiyac", "İhtiyaç (projeksiyon, ses, internet …)", required=True),
            _field("katilimci", "Katılımcı sayısı", FieldType.NUMBER),
        ],
    ),
    DefaultItem(
        "donanim-talebi",
        "Donanım",
        "Donanım talebi (yeni cihaz)",
        "Yeni bilgisayar, monitör, yazıcı veya tarayıcı ihtiyacı; ihtiyaç analizine göre karşılanır.",
        SUPPORT,
        Priority.LOW,
        "Mersin md. 7/1-g, 7/3-g; Nizip md. 7/13, 12/13",
        [
            _choice(
                "cihaz", "İstenen cihaz", ["Masaüstü bilgisayar", "Dizüstü bilgisayar", "Monitör", "Yazıcı", "Tarayıcı"]
            ),
            _field("adet", "Adet", FieldType.NUMBER, required=True),
            _field("gerekce", "Gerekçe", required=True),
        ],
    ),
    DefaultItem(
        "yazilim-talebi",
        "Yazılım ve Uygulamalar",
        "Yazılım / lisans talebi",
        "Yeni bir yazılımın kurulması veya lisans ihtiyacı; lisanslı ve uygun olanı temin edilir.",
        SOFTWARE,
        Priority.LOW,
        "Mersin md. 7/1-g, 8/2-e; Nizip md. 7/13",
        [
            _field("yazilim", "Yazılımın adı", required=True),
            _field("lisans", "Lisans gerekiyor", FieldType.BOOLEAN),
            _field("gerekce", "Gerekçe", required=True),
        ],
    ),
)

# The "Standart" policy: (response, resolution) in business hours per priority.
STANDARD_POLICY = "Standart"
STANDARD_TARGETS: dict[Priority, tuple[float, float]] = {
    Priority.CRITICAL: (1, 4),
    Priority.HIGH: (2, 8),
    Priority.NORMAL: (4, 16),
    Priority.LOW: (8, 40),
}

# code, name, group
ROOT_CAUSES: tuple[tuple[str, str, CauseGroup], ...] = (
    ("HW-01", "Anakart / güç kaynağı arızası", CauseGroup.HARDWARE),
    ("HW-02", "Disk arızası", CauseGroup.HARDWARE),
    ("HW-03", "Yazıcı mekanik arızası", CauseGroup.HARDWARE),
    ("HW-04", "Sarf malzemesi bitti (toner, kartuş, drum)", CauseGroup.HARDWARE),
    ("HW-05", "Çevre birimi arızası (monitör, klavye, fare)", CauseGroup.HARDWARE),
    ("HW-06", "Kamera / kayıt cihazı arızası", CauseGroup.HARDWARE),
    ("SW-01", "İşletim sistemi hatası", CauseGroup.SOFTWARE),
    ("SW-02", "Uygulama hatası (yazılım kusuru)", CauseGroup.SOFTWARE),
    ("SW-03", "Yapılandırma / ayar hatası", CauseGroup.SOFTWARE),
    ("SW-04", "Zararlı yazılım / virüs", CauseGroup.SOFTWARE),
    ("SW-05", "Lisans veya güncelleme eksikliği", CauseGroup.SOFTWARE),
    ("NW-01", "Kablo / data prizi arızası", CauseGroup.NETWORK),
    ("NW-02", "Switch / aktif cihaz arızası", CauseGroup.NETWORK),
    ("NW-03", "IP / DNS / DHCP yapılandırması", CauseGroup.NETWORK),
    ("NW-04", "Kablosuz ağ sorunu", CauseGroup.NETWORK),
    ("USR-01", "Kullanıcı hatası", CauseGroup.USER),
    ("USR-02", "Eğitim ihtiyacı", CauseGroup.USER),
    ("USR-03", "Şifre unutma / hesap kilitlenmesi", CauseGroup.USER),
    ("EXT-01", "Elektrik kesintisi", CauseGroup.EXTERNAL),
    ("EXT-02", "İnternet servis sağlayıcı / operatör arızası", CauseGroup.EXTERNAL),
    ("EXT-03", "Üretici / garanti firması kaynaklı", CauseGroup.EXTERNAL),
    ("REQ-01", "Hizmet talebi karşılandı (arıza değil)", CauseGroup.OTHER),
)

UnitFor = Callable[[str, str], Any] | Mapping[str, Any]


@dataclass
class Loaded:
    """How many rows ``load_defaults`` created (0 everywhere on a second run)."""

    categories: int = 0
    items: int = 0
    policies: int = 0
    targets: int = 0
    root_causes: int = 0

    @property
    def total(self) -> int:
        return self.categories + self.items + self.policies + self.targets + self.root_causes


def unit_for(responsible_unit_for: UnitFor, item: DefaultItem) -> Any:
    """The unit answering ``item``: a callable gets (code, area); a mapping is looked up by the item's code, its
    area, then ``"*"``."""
    if callable(responsible_unit_for):
        unit = responsible_unit_for(item.code, item.area)
    else:
        unit = next(
            (responsible_unit_for[k] for k in (item.code, item.area, "*") if k in responsible_unit_for),
            None,
        )
    if unit is None:
        raise ImproperlyConfigured(f"No responsible unit for the catalogue item {item.code} ({item.area}).")
    return unit


@transaction.atomic
def load_defaults(responsible_unit_for: UnitFor) -> Loaded:
    """Add the default catalogue, the "Standart" SLA policy and the root causes where they are missing."""
    loaded = Loaded()
    policy = _standard_policy(loaded)
    categories: dict[str, ServiceCategory] = {}
    for order, (name, icon) in enumerate(CATEGORIES, start=1):
        category, created = ServiceCategory.objects.get_or_create(
            name=name, defaults={"icon": icon, "sort_order": order * 10}
        )
        categories[name] = category
        loaded.categories += created
    for order, spec in enumerate(ITEMS, start=1):
        if ServiceItem.objects.filter(code=spec.code).exists():
            continue
        item = ServiceItem(
            category=categories[spec.category],
            code=spec.code,
            name=spec.name,
            description=spec.description,
            responsible_unit=unit_for(responsible_unit_for, spec),
            sla_policy=policy,
            default_priority=spec.priority,
            asks_for_asset=spec.asks_for_asset,
            fields=[dict(f) for f in spec.fields],
            directive_ref=spec.directive_ref,
            sort_order=order * 10,
        )
        item.full_clean()
        item.save()
        loaded.items += 1
    for code, name, group in ROOT_CAUSES:
        loaded.root_causes += RootCause.objects.get_or_create(code=code, defaults={"name": name, "group": group})[1]
    return loaded


def _standard_policy(loaded: Loaded) -> SlaPolicy:
    policy = SlaPolicy.objects.filter(name=STANDARD_POLICY).first()
    if policy is None:
        # The first policy of an installation becomes its default; an existing default stays the default.
        policy = SlaPolicy.objects.create(
            name=STANDARD_POLICY, is_default=not SlaPolicy.objects.filter(is_default=True).exists()
        )
        loaded.policies += 1
    have = set(policy.targets.values_list("priority", flat=True))
    for priority, (response, resolution) in STANDARD_TARGETS.items():
        if priority.value in have:
            continue
        target = SlaTarget(
            policy=policy,
            priority=priority,
            response_time=timedelta(hours=response),
            resolution_time=timedelta(hours=resolution),
        )
        target.full_clean()
        target.save()
        loaded.targets += 1
    return policy
