"""Inventory bench (issue 4): seed the register at scale, then time the asset list and search, agent
ingestion end to end, the unchanged re-inventory (it must write no rows) and a 100,000-row import.

    python -m bench.inventory [--database-url URL] [--assets 500000 --agents 5000 --software 150
                              --records 1000000] [--skip-seed] [--reset] [--runs 50] [--warmup 20]
                              [--ingest 400] [--import-rows 100000] [--only NAME ...] [--no-write]

Budgets (this 2-core machine, SQLite and PostgreSQL): asset list with filters, 50 rows, p95 ≤ 100 ms;
asset search (Turkish query) p95 ≤ 200 ms; ≥ 20 full agent inventories per second end to end, and a
re-inventory of an unchanged machine writes no rows; 100,000 asset rows imported in ≤ 60 s.

The seeder bulk-inserts what the services would write (sicil numbers per code and year, search
keys, purchase VİFs with a line per asset, Taşınır Teslim Belgeleri with open and returned items,
agent links, shared software rows and their installations, interfaces) without change-log entries,
like ``bench.seed`` for staff. The timed parts go through the real code: pages through Django's test
client, agent reports as zlib-compressed FusionInventory/OCS XML POSTed to ``/ocsinventory`` (the
task backend is the immediate one, so each request includes its import), and the import through
``imports.services.commit``. Exit status: 0 all budgets met, 1 a budget missed, 2 a wrong answer.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import random
import re
import shlex
import statistics
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import config
from bench.seed import AUDITOR, SPECIALIST

BATCH = 5000
LIST_BUDGET_MS, SEARCH_BUDGET_MS = 100.0, 200.0
INGEST_BUDGET_PER_S, IMPORT_BUDGET_S = 20.0, 60.0
UNIT_USER = "bench.birim"  # a requester of one unit: sees only that unit's assets
CLERK = "bench.kayit"  # the Taşınır kayıt yetkilisi who runs the import
INGEST_SERIAL = "BNCH-ING-"  # computers registered for the ingestion runs, not yet reporting
REAL_MAC_PREFIX = "02:BE"  # computers matched by MAC by the captured real agent payloads
FIXTURES = config.REPO / "biys" / "inventory" / "tests" / "agent_fixtures"

# kind name | share of the register (%) | brand: model, model; brand: model …
ASSET_MIX_TABLE = """
Masaüstü bilgisayar     | 22  | Dell: OptiPlex 7090, OptiPlex 3080; HP: ProDesk 400 G7, EliteDesk 800 G6; Lenovo: ThinkCentre M70s, ThinkCentre M720q; Casper: Nirvana M500
Dizüstü bilgisayar      | 12  | Lenovo: ThinkPad T14, ThinkPad E15; HP: ProBook 450 G10, EliteBook 840; Dell: Latitude 5520, Vostro 3510; Casper: Excalibur G770
All-in-one bilgisayar   | 3   | HP: ProOne 440 G9; Lenovo: ThinkCentre neo 30a
Tablet bilgisayar       | 2   | Samsung: Galaxy Tab A8; Lenovo: Tab M10
Ekran                   | 20  | Dell: P2422H, E2222H; Philips: 243V7Q; Samsung: S24R350; HP: P24 G5
Lazer yazıcı            | 6   | HP: LaserJet Pro M404dn, LaserJet M211d; Canon: i-SENSYS LBP223dw; Brother: HL-L5100DN
Çok fonksiyonlu yazıcı  | 3   | Canon: imageRUNNER 2425; Kyocera: ECOSYS M3145dn; HP: LaserJet MFP M428
Tarayıcı                | 2   | Canon: DR-C225 II; Epson: WorkForce DS-410
Fotokopi makinesi       | 1   | Canon: imageRUNNER ADVANCE C3530i; Konica Minolta: bizhub C300i
IP telefon              | 10  | Cisco: CP-7821; Yealink: T43U, T31P; Karel: IP136
Switch                  | 2   | Cisco: CBS350-24T, C9200L-48P; HPE Aruba: 2530-24G
Router                  | 0.5 | Cisco: ISR 1111; MikroTik: CCR2004
Modem                   | 1   | Zyxel: VMG3625; TP-Link: Archer VR600
Firewall                | 0.2 | Fortinet: FortiGate 100F; Sophos: XGS 2100
UPS                     | 4   | APC: Smart-UPS 1500; Eaton: 5E 1100i; Tescom: Leo+ 1 kVA
Projeksiyon             | 1   | Epson: EB-E01; BenQ: MS560
IP kamera               | 4   | Hikvision: DS-2CD1043G0; Dahua: IPC-HFW1230S
Web kamerası            | 2   | Logitech: C920
Sunucu                  | 0.5 | HPE: ProLiant DL380 Gen10; Dell: PowerEdge R750
Barkod yazıcı / okuyucu | 1   | Zebra: ZD421, DS2208
KVM                     | 0.5 | ATEN: CS1708A
Sistem kabini           | 0.5 | Canovate: 42U Kabinet
Video konferans sistemi | 0.3 | Poly: Studio X30
Erişim kontrol cihazı   | 0.5 | ZKTeco: SpeedFace V5L
Yedekleme cihazı        | 0.5 | Synology: DS920+; QNAP: TS-464
"""  # noqa: E501


def _asset_mix() -> list[tuple[str, float, list[tuple[str, list[str]]]]]:
    mix = []
    for line in ASSET_MIX_TABLE.strip().splitlines():
        name, share, makes = (part.strip() for part in line.split("|"))
        brands = []
        for make in makes.split(";"):
            brand, models = make.split(":")
            brands.append((brand.strip(), [model.strip() for model in models.split(",")]))
        mix.append((name, float(share), brands))
    return mix


ASSET_MIX = _asset_mix()


def _bars(text: str) -> list[str]:
    return text.split("|")


STATUS_MIX = (("in_use", 68), ("in_depot", 12), ("commissioning", 2), ("in_repair", 3), ("at_vendor", 1), ("lent", 1))
STATUS_MIX += (("scrap_proposed", 1), ("scrapped", 8), ("lost", 0.5), ("transferred", 3.5))
SUPPLIERS = _bars(
    "Örnek Bilişim Ltd. Şti.|Akdeniz Bilgisayar A.Ş.|Mersin Teknoloji Ltd. Şti.|Çağ Bilişim A.Ş.|"
    "Işık Elektronik Ltd. Şti.|Doğu Akdeniz Yazılım A.Ş.|Güneş Ofis Sistemleri Ltd. Şti."
)
BUILDINGS = _bars(
    "Hizmet Binası|Ek Hizmet Binası|Kültür Merkezi|Zabıta Binası|İtfaiye Merkezi|Fen İşleri Şantiyesi|Sosyal Tesis|"
    "Kongre Merkezi|Otogar|Mezbaha|Hal Binası|Çevre Koruma Binası|Park Bahçeler Deposu|Su Arıtma Tesisi|Meclis Binası"
)
# Software on municipal PCs, on nearly every machine: publisher | name | versions (comma-separated).
COMMON_SOFTWARE_TABLE = """
Microsoft Corporation | Microsoft Edge | 131.0.2903.70, 130.0.2849.80
Google LLC | Google Chrome | 131.0.6778.86, 130.0.6723.117
Mozilla | Mozilla Firefox (x64 tr) | 133.0, 132.0.2
Igor Pavlov | 7-Zip 23.01 (x64) | 23.01
Adobe | Adobe Acrobat Reader DC - Türkçe | 24.005.20307, 24.004.20220
Microsoft Corporation | Microsoft Office Profesyonel Plus 2019 - tr-tr | 16.0.10416.20047
Microsoft Corporation | Microsoft Visual C++ 2015-2022 Redistributable (x64) | 14.40.33810.0, 14.38.33135.0
Microsoft Corporation | Microsoft Visual C++ 2015-2022 Redistributable (x86) | 14.40.33810.0
Oracle Corporation | Java 8 Update 421 | 8.0.4210.9
ESET, spol. s r.o. | ESET Endpoint Antivirus | 11.0.2044.0, 10.1.2058.0
TÜBİTAK BİLGEM | e-İmza Akıllı Kart Sürücüsü | 3.2.1
AnyDesk Software GmbH | AnyDesk | 8.1.0
LibreOffice | LibreOffice 7.6.7.2 | 7.6.7.2
Notepad++ Team | Notepad++ (64-bit x64) | 8.6.9
VideoLAN | VLC media player | 3.0.21
FusionInventory Team | FusionInventory Agent 2.6 (x64 edition) | 2.6
"""
COMMON_SOFTWARE = [
    (publisher, name, tuple(v.strip() for v in versions.split(",")))
    for publisher, name, versions in (
        (part.strip() for part in line.split("|")) for line in COMMON_SOFTWARE_TABLE.strip().splitlines()
    )
]
PUBLISHERS = _bars(
    "Microsoft Corporation|Adobe Inc.|Intel Corporation|NVIDIA Corporation|Realtek|HP Inc.|Dell Inc.|Lenovo|"
    "Canon Inc.|Brother Industries|Oracle Corporation|Autodesk|Netcad Yazılım A.Ş.|Logo Yazılım|TÜBİTAK BİLGEM|"
    "Türk Telekom|Kyocera|Epson|The Document Foundation|Python Software Foundation|Node.js Foundation|"
    "Zoom Video Communications|Cisco Systems|Fortinet|Veeam Software|VMware|Apache Software Foundation|Git"
)
PRODUCTS = _bars(
    "Sürücü Paketi|Yardımcı Araçları|Runtime|Güncelleme Hizmeti|Yazıcı Sürücüsü|Client|SDK|Toolkit|Desktop|"
    "Framework|Agent|Viewer|Plugin|Redistributable|Studio|Connector|Suite|Manager|Tools|Service Pack"
)


def _weighted(pairs: Any) -> tuple[list[Any], list[float]]:
    items, weights = zip(*pairs, strict=True)
    return list(items), list(weights)


# --- Seeding ---------------------------------------------------------------------------------------


@dataclass
class Sizes:
    assets: int
    agents: int
    software: int  # installations per agent machine, about
    records: int  # custody and movement records (Teslim Belgeleri, their items, VİFs, VİF lines)
    ingest_pool: int


@dataclass
class SeedReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


@dataclass
class _AssetRow:
    """What the later seeding steps need of an asset, without keeping 500,000 model instances."""

    id: int
    code_id: int
    kind: str
    category: str
    status: str
    unit_id: int
    depot_id: int
    year: int
    price: Decimal
    invoice_no: str
    invoice_date: date
    supplier: str
    mac: str
    hostname: str


def seed_inventory(sizes: Sizes, rng: random.Random, log: Callable[[str], None] = print) -> SeedReport:
    """Fill the inventory of a database that ``bench.seed`` has filled with units, staff and users."""
    report = SeedReport()

    def step(name: str, func: Callable[[], int]) -> int:
        started = time.perf_counter()
        count = func()
        report.seconds[name] = time.perf_counter() - started
        report.counts[name] = count
        log(f"  {name:<12} {count:>9,} rows in {report.seconds[name]:6.1f} s")
        return count

    state: dict[str, Any] = {}
    step("codes+kinds", lambda: _seed_reference(state, rng))
    step("assets", lambda: _seed_assets(state, sizes, rng))
    step("movements", lambda: _seed_vouchers(state, sizes, rng))
    step("custody", lambda: _seed_custody(state, sizes, rng))
    step("agents", lambda: _seed_agents(state, sizes, rng))
    step("installs", lambda: _seed_installations(state, sizes, rng))
    step("analyze", _analyze)
    return report


def _seed_reference(state: dict[str, Any], rng: random.Random) -> int:
    """The Taşınır code list and the default kinds through the services; depots, locations, contracts,
    and the personas the scenarios log in as."""
    from django.contrib.auth.hashers import make_password

    from biys.inventory.models import AssetKind, Contract, Depot, Location
    from biys.inventory.register.codes import DEFAULT_FILE, load_codes, read_code_file
    from biys.inventory.register.services import default_kinds
    from biys.org.models import Staff, Unit
    from biys.users.models import Role, User

    load_codes(read_code_file(DEFAULT_FILE))
    default_kinds()
    kinds = {kind.name: kind for kind in AssetKind.objects.select_related("tasinir_code")}
    units = list(Unit.objects.order_by("path").values("id", "path", "depth", "code", "is_it"))
    departments = [unit for unit in units if unit["depth"] == 1] or units
    it_department = next((unit for unit in departments if unit["is_it"]), departments[0])
    records = Staff.objects.filter(unit_id=it_department["id"]).order_by("id").first() or Staff.objects.first()
    depots = []
    for index, department in enumerate(departments):
        depots.append(
            Depot(
                unit_id=department["id"],
                institutional_code=f"33.{index + 1:02d}.01.36",
                code="01",
                name=f"{department['code']} Ambarı",
                records_officer=records,
            )
        )
    Depot.objects.bulk_create(depots)
    depot_of = {}
    for unit in units:
        top = next((d for d in departments if unit["path"].startswith(d["path"])), departments[0])
        depot_of[unit["id"]] = Depot.objects.get(unit_id=top["id"]).pk
    locations = []
    seen: set[tuple[str, str, str]] = set()
    while len(locations) < 2000:
        key = (rng.choice(BUILDINGS), str(rng.randint(-1, 6)), str(rng.randint(1, 60) * 10 + rng.randint(0, 9)))
        if key not in seen:
            seen.add(key)
            locations.append(Location(unit_id=rng.choice(units)["id"], building=key[0], floor=key[1], room=key[2]))
    for location in locations:
        location.search_key = _key(location)
    Location.objects.bulk_create(locations, batch_size=BATCH)
    contracts = [
        Contract(
            name=f"{rng.choice(('Bakım onarım', 'Garanti uzatma', 'Teknik destek'))} sözleşmesi {n + 1}",
            vendor=rng.choice(SUPPLIERS),
            start_date=date(2024 + n % 3, 1, 1),
            end_date=date(2026 + n % 3, 12, 31),
        )
        for n in range(40)
    ]
    for contract in contracts:
        contract.search_key = _key(contract)
    Contract.objects.bulk_create(contracts)
    # Personas: a unit requester (sees only their unit's assets) and the records officer who imports.
    roles = dict(Role.objects.values_list("code", "pk"))  # type: ignore[misc]
    busiest = max(units, key=lambda u: (u["depth"] >= 2, -u["id"]))
    password = make_password(None)
    unit_user = User.objects.create(
        username=UNIT_USER, first_name="Birim", last_name="Bench", password=password, unit_id=busiest["id"]
    )
    clerk = User.objects.create(
        username=CLERK, first_name="Kayıt", last_name="Bench", password=password, unit_id=it_department["id"]
    )
    unit_user.groups.add(roles["birim_kullanicisi"])
    clerk.groups.add(roles["tasinir_kayit"])
    Staff.objects.filter(pk=records.pk).update(user=clerk)
    state.update(
        kinds=kinds,
        units=units,
        depot_of=depot_of,
        records_officer=records.pk,
        locations=list(Location.objects.values_list("id", flat=True)),
        contracts=list(Contract.objects.values_list("id", flat=True)),
        staff_by_unit=_staff_by_unit(),
    )
    return len(depots) + len(locations) + len(contracts) + 2


def _staff_by_unit() -> dict[int, list[int]]:
    from biys.org.models import Staff

    by_unit: dict[int, list[int]] = {}
    for pk, unit_id in Staff.objects.filter(status="active").values_list("id", "unit_id"):
        by_unit.setdefault(unit_id, []).append(pk)
    return by_unit


def _key(obj: Any) -> str:
    from biys.core.text import search_key

    return search_key(obj.search_source())


def _seed_assets(state: dict[str, Any], sizes: Sizes, rng: random.Random) -> int:
    """Assets with sicil numbers per code and entry year (TMY md. 36). In-use items get a holder when an
    open Teslim Belgesi line will be seeded for them; the first ``ingest_pool`` computers of brand Dell
    are left without agents for the ingestion runs."""
    from django.db import transaction

    from biys.inventory.models import Asset

    kinds = state["kinds"]
    mix = [(name, share, brands) for name, share, brands in ASSET_MIX if name in kinds]
    names, weights = [m[0] for m in mix], [m[1] for m in mix]
    brands = {name: choices for name, _share, choices in mix}
    statuses, status_weights = _weighted(STATUS_MIX)
    units = [u for u in state["units"] if u["depth"] >= 1] or state["units"]
    unit_weights = [(0.3, 1, 2, 3)[min(u["depth"], 3)] for u in units]
    staff_by_unit: dict[int, list[int]] = state["staff_by_unit"]
    any_staff = [pk for people in staff_by_unit.values() for pk in people]
    sequence: dict[tuple[int, int], int] = {}
    rows: list[_AssetRow] = []
    holders: dict[int, int] = {}  # asset id -> staff id (open custody)
    batch: list[tuple[Any, dict[str, Any]]] = []
    ingest_left, real_left = sizes.ingest_pool, min(100, sizes.ingest_pool // 10)
    this_year = date.today().year

    def flush() -> None:
        with transaction.atomic():
            created = Asset.objects.bulk_create([asset for asset, _info in batch], batch_size=1000)
        for asset, info in zip(created, batch, strict=True):
            meta = info[1]
            rows.append(
                _AssetRow(
                    asset.pk,
                    asset.tasinir_code_id,
                    meta["kind"],
                    meta["category"],
                    asset.status,
                    asset.owner_unit_id,
                    asset.depot_id,
                    asset.entry_year,
                    asset.price or Decimal(0),
                    asset.invoice_no,
                    asset.invoice_date,
                    asset.supplier,
                    asset.mac_address,
                    asset.hostname,
                )
            )
            if meta["holder"]:
                holders[asset.pk] = meta["holder"]
        batch.clear()

    for index in range(sizes.assets):
        name = rng.choices(names, weights)[0]
        kind = kinds[name]
        brand, models = rng.choice(brands[name])
        unit = rng.choices(units, unit_weights)[0]
        year = min(this_year, 2008 + int(rng.random() ** 0.7 * (this_year - 2007)))
        code = kind.tasinir_code
        number = sequence[(code.pk, year)] = sequence.get((code.pk, year), 0) + 1
        status = rng.choices(statuses, status_weights)[0]
        computer = kind.category == "computer" and name != "Tablet bilgisayar"
        invoice_date = date(year, rng.randint(1, 12), rng.randint(1, 28))
        price = Decimal(rng.randint(1500, 60000)) + Decimal(rng.randint(0, 99)) / 100
        serial, hostname, mac, ip = f"{brand[:2].upper()}{index:08d}{rng.randint(0, 9)}", "", "", None
        if computer:
            hostname = f"{unit['code'].replace('.', '').lower()}-pc-{index:06d}"
            mac = ":".join(f"{b:02X}" for b in (0x00, 0x1B, (index >> 16) & 255, (index >> 8) & 255, index & 255, 7))
            ip = f"10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255 or 1}"
        if computer and name == "Masaüstü bilgisayar" and ingest_left and status == "in_use":
            # Reserved for the ingestion runs: Dell machines the serial rule (or, for the captured real
            # payloads, the MAC rule) will match at their first report.
            brand, ingest_left = "Dell", ingest_left - 1
            serial = f"{INGEST_SERIAL}{ingest_left:06d}"
            if real_left:
                real_left -= 1
                serial, mac = "", f"{REAL_MAC_PREFIX}:00:{real_left >> 8 & 255:02X}:{real_left & 255:02X}:01"
        people = staff_by_unit.get(unit["id"]) or any_staff
        holder = rng.choice(people) if status == "in_use" and rng.random() < 0.6 else None
        asset = Asset(
            sicil_no=f"{code.code}-{year % 100:02d}-{number:05d}",
            tasinir_code=code,
            kind=kind,
            entry_year=year,
            sequence=number,
            name=name,
            brand=brand,
            model=rng.choice(models),
            serial=serial,
            status=status,
            depot_id=state["depot_of"][unit["id"]],
            owner_unit_id=unit["id"],
            holder_id=holder,
            location_id=rng.choice(state["locations"]) if rng.random() < 0.8 else None,
            invoice_no=f"FTR{year}-{rng.randint(1, 9999):04d}",
            invoice_date=invoice_date,
            price=price,
            supplier=rng.choice(SUPPLIERS),
            warranty_end=invoice_date + timedelta(days=rng.choice((730, 1095, 1825))),
            contract_id=rng.choice(state["contracts"]) if rng.random() < 0.1 else None,
            hostname=hostname,
            ip_address=ip,
            mac_address=mac,
            commissioned_at=None,
        )
        asset.search_key = _key(asset)
        batch.append((asset, {"kind": name, "category": kind.category, "holder": holder}))
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    state["assets"], state["holders"] = rows, holders
    return len(rows)


def _seed_vouchers(state: dict[str, Any], sizes: Sizes, rng: random.Random) -> int:
    """Purchase VİFs (posted), numbered from 1 per depot and fiscal year, one line per asset."""
    from django.db import transaction
    from django.utils import timezone

    from biys.inventory.models import Voucher, VoucherLine

    rows: list[_AssetRow] = state["assets"]
    by_group: dict[tuple[int, int], list[_AssetRow]] = {}
    for row in rows:
        by_group.setdefault((row.depot_id, row.year), []).append(row)
    budget = sizes.records * 55 // 100  # VİFs and their lines: about 55 % of the movement/custody records
    per_voucher = max(1, round(len(rows) / max(budget - len(rows), 1))) if budget > len(rows) else 10
    count = 0
    vouchers: list[Voucher] = []
    pending_lines: list[list[_AssetRow]] = []

    def flush() -> int:
        with transaction.atomic():
            created = Voucher.objects.bulk_create(vouchers, batch_size=1000)
            lines = [
                VoucherLine(
                    voucher_id=voucher.pk,
                    tasinir_code_id=row.code_id,
                    description=row.kind,
                    quantity=1,
                    unit_price=row.price,
                    asset_id=row.id,
                )
                for voucher, group in zip(created, pending_lines, strict=True)
                for row in group
            ]
            VoucherLine.objects.bulk_create(lines, batch_size=2000)
        done = len(created) + len(lines)
        vouchers.clear()
        pending_lines.clear()
        return done

    posted_at = timezone.now()
    for (depot_id, year), group in sorted(by_group.items()):
        for number, start in enumerate(range(0, len(group), per_voucher), start=1):
            lines = group[start : start + per_voucher]
            first = lines[0]
            day = max(first.invoice_date, date(year, 1, 1))
            vouchers.append(
                Voucher(
                    depot_id=depot_id,
                    fiscal_year=year,
                    number=number,
                    date=day,
                    direction="entry",
                    kind="purchase",
                    status="posted",
                    source_document=first.invoice_no,
                    source_date=first.invoice_date,
                    counterparty=first.supplier,
                    posted_at=posted_at,
                )
            )
            pending_lines.append(lines)
            if len(vouchers) >= 1000:
                count += flush()
    if vouchers:
        count += flush()
    return count


def _seed_custody(state: dict[str, Any], sizes: Sizes, rng: random.Random) -> int:
    """Taşınır Teslim Belgeleri: open lines for every current holder, returned lines as history."""
    from django.db import transaction

    from biys.inventory.models import CustodyDocument, CustodyItem
    from biys.org.models import Staff

    holders: dict[int, int] = state["holders"]
    rows: list[_AssetRow] = state["assets"]
    unit_of_staff = dict(Staff.objects.values_list("id", "unit_id"))
    budget = sizes.records - state.get("movement_rows", 0) - sizes.records * 55 // 100
    budget = max(budget, len(holders) * 3 // 2)
    returned_items = max(0, budget * 2 // 3 - len(holders))
    history_pool = [row.id for row in rows if row.status not in ("in_use",)] or [row.id for row in rows]
    items: list[tuple[int, int, date | None]] = [
        (asset_id, staff_id, None) for asset_id, staff_id in holders.items()
    ]  # (asset, staff, returned on)
    all_staff = list(unit_of_staff)
    for _n in range(returned_items):
        day = date(rng.randint(2012, 2025), rng.randint(1, 12), rng.randint(1, 28))
        items.append((rng.choice(history_pool), rng.choice(all_staff), day))
    rng.shuffle(items)
    by_staff: dict[int, list[tuple[int, int, date | None]]] = {}
    for item in items:
        by_staff.setdefault(item[1], []).append(item)
    numbers: dict[int, int] = {}
    documents: list[CustodyDocument] = []
    doc_items: list[list[tuple[int, int, date | None]]] = []
    issuer = state["records_officer"]
    count = 0

    def flush() -> int:
        with transaction.atomic():
            created = CustodyDocument.objects.bulk_create(documents, batch_size=1000)
            lines = [
                CustodyItem(
                    document_id=doc.pk,
                    asset_id=asset_id,
                    returned_at=returned,
                    returned_to_id=issuer if returned else None,
                    condition="Sağlam" if returned else "",
                )
                for doc, group in zip(created, doc_items, strict=True)
                for asset_id, _staff, returned in group
            ]
            CustodyItem.objects.bulk_create(lines, batch_size=2000)
        done = len(created) + len(lines)
        documents.clear()
        doc_items.clear()
        return done

    for staff_id, lines in by_staff.items():
        for start in range(0, len(lines), 2):
            group = lines[start : start + 2]
            returned = [line[2] for line in group if line[2] is not None]
            day = (
                min(returned) - timedelta(days=rng.randint(30, 900))
                if returned
                else date(rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28))
            )
            day = min(day, date.today())
            numbers[day.year] = numbers.get(day.year, 0) + 1
            documents.append(
                CustodyDocument(
                    year=day.year,
                    number=numbers[day.year],
                    date=day,
                    staff_id=staff_id,
                    unit_id=unit_of_staff[staff_id],
                    issued_by_id=issuer,
                )
            )
            doc_items.append(group)
            if len(documents) >= 1000:
                count += flush()
    if documents:
        count += flush()
    return count


def _software_pool(rng: random.Random, size: int = 4000) -> list[tuple[str, str, tuple[str, ...]]]:
    pool = list(COMMON_SOFTWARE)
    seen = {(p, n) for p, n, _v in pool}
    while len(pool) < size:
        publisher = rng.choice(PUBLISHERS)
        name = f"{publisher.split()[0]} {rng.choice(PRODUCTS)} {rng.randint(1, 400)}"
        if (publisher, name) in seen:
            continue
        seen.add((publisher, name))
        versions = tuple(f"{rng.randint(1, 30)}.{rng.randint(0, 9)}.{rng.randint(0, 999)}" for _ in range(2))
        pool.append((publisher, name, versions))
    return pool


def _machine_software(rng: random.Random, pool: list[Any], count: int) -> list[tuple[str, str, str]]:
    """About ``count`` packages: the common ones, then a long tail drawn with a skew (popular first)."""
    chosen = {index for index in range(len(COMMON_SOFTWARE)) if rng.random() < 0.9}
    target = max(len(chosen), count + rng.randint(-15, 15))
    while len(chosen) < target:
        chosen.add(min(len(pool) - 1, int(len(pool) * rng.random() ** 2.2)))
    return [(pool[i][0], pool[i][1], rng.choice(pool[i][2])) for i in sorted(chosen)]


def _seed_agents(state: dict[str, Any], sizes: Sizes, rng: random.Random) -> int:
    """Agent links and network interfaces of ``agents`` in-use computers (not the ingestion pool)."""
    from django.db import transaction
    from django.utils import timezone

    from biys.inventory.models import AgentLink, NetworkInterface

    computers = [
        row
        for row in state["assets"]
        if row.category == "computer"
        and row.status == "in_use"
        and row.hostname
        and not row.mac.startswith(REAL_MAC_PREFIX)
    ]
    pool_ids = set(_ingest_pool_ids())
    computers = [row for row in computers if row.id not in pool_ids]
    chosen = rng.sample(computers, min(sizes.agents, len(computers)))
    now = timezone.now()
    links, interfaces = [], []
    for row in chosen:
        agent = rng.choices(("fusion", "ocs", "glpi"), (60, 30, 10))[0]
        seen = now - timedelta(hours=rng.randint(0, 72))
        links.append(
            AgentLink(
                asset_id=row.id,
                device_id=f"{row.hostname}-2025-{rng.randint(1, 12):02d}-01-08-00-00",
                agent_type=agent,
                agent_version={"fusion": "2.6", "ocs": "2.10.0", "glpi": "1.7"}[agent],
                last_contact=seen,
                last_inventory=seen,
                inventory_hash=hashlib.sha256(str(row.id).encode()).hexdigest(),
                os_name=rng.choice(
                    (
                        "Microsoft Windows 10 Pro",
                        "Microsoft Windows 11 Pro",
                        "Debian GNU/Linux 12 (bookworm)",
                        "Pardus 23",
                    )
                ),
                os_version=rng.choice(("22H2", "23H2", "12.5", "23.1")),
                cpu="Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz",
                memory_mb=rng.choice((8192, 16384)),
                logged_user=f"kullanici{rng.randint(1, 20000)}",
                antivirus="ESET Endpoint Antivirus",
                antivirus_up_to_date=rng.random() < 0.9,
            )
        )
        interfaces.append(
            NetworkInterface(
                asset_id=row.id,
                name="eth0",
                mac_address=row.mac,
                ip_address=f"10.{row.id >> 16 & 255}.{row.id >> 8 & 255}.{row.id & 255 or 1}",
            )
        )
    with transaction.atomic():
        AgentLink.objects.bulk_create(links, batch_size=1000)
        NetworkInterface.objects.bulk_create(interfaces, batch_size=1000)
    state["agent_assets"] = [row.id for row in chosen]
    return len(links) + len(interfaces)


def _seed_installations(state: dict[str, Any], sizes: Sizes, rng: random.Random) -> int:
    """Shared Software rows (folded keys as the pipeline makes them) and each agent machine's installations."""
    from django.db import transaction

    from biys.inventory.agents.normal import software_key
    from biys.inventory.models import Installation, Software

    pool = _software_pool(random.Random(7))
    rows = []
    for publisher, name, _versions in pool:
        row = Software(publisher=publisher, name=name, normalized=software_key(publisher, name))
        row.search_key = _key(row)
        rows.append(row)
    with transaction.atomic():
        Software.objects.bulk_create(rows, batch_size=1000)
    ids = dict(Software.objects.values_list("normalized", "id"))
    count = len(rows)
    batch: list[Installation] = []
    for asset_id in state["agent_assets"]:
        for publisher, name, version in _machine_software(rng, pool, sizes.software):
            day = date(rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28))
            batch.append(
                Installation(
                    asset_id=asset_id, software_id=ids[software_key(publisher, name)], version=version, installed_on=day
                )
            )
        if len(batch) >= 20_000:
            with transaction.atomic():
                Installation.objects.bulk_create(batch, batch_size=2000)
            count += len(batch)
            batch = []
    if batch:
        with transaction.atomic():
            Installation.objects.bulk_create(batch, batch_size=2000)
        count += len(batch)
    return count


def _ingest_pool_ids() -> list[int]:
    from django.db.models import Q

    from biys.inventory.models import Asset

    rows = Asset.objects.filter(Q(serial__startswith=INGEST_SERIAL) | Q(mac_address__startswith=REAL_MAC_PREFIX))
    return list(rows.values_list("id", flat=True))


def _analyze() -> int:
    from bench.seed import analyze

    return analyze()


# --- Page scenarios ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageData:
    kind_ids: list[int]
    unit_ids: list[int]  # units that own assets, largest subtrees first
    depot_ids: list[int]
    asset_pages: int


ASSET_URL = "/envanter/assets/"
ASSET_STATUSES = ("in_use", "in_use", "in_depot", "in_repair", "commissioning", "scrapped", "lent")
CATEGORIES = ("computer", "computer", "monitor", "printer", "phone", "network", "power", "camera")
ASSET_SORTS = (None, None, None, "sicil_no", "-sicil_no", "name", "-name", "status", "warranty_end", "-warranty_end")
# Queries a clerk types: Turkish letters or not, any case, one or two words, brands, a model, sicil or host parts.
ASSET_SEARCHES = (
    "dizüstü bilgisayar",
    "yazıcı",
    "DİZÜSTÜ",
    "lazer yazici",
    "masaüstü",
    "çok fonksiyonlu",
    "hp laserjet",
    "thinkpad",
    "OptiPlex",
    "ekran philips",
    "ip telefon",
    "yazici canon",
    "kamera",
    "ups",
    "255.02.01.01.02-24",
    "sunucu",
)


def _q(params: dict[str, Any]) -> str:
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{ASSET_URL}?{urlencode(params)}" if params else ASSET_URL


def asset_list(data: PageData, rng: random.Random) -> str:
    """Filters as people combine them on the register page (status, kind, category, unit, depot), pages 1–5."""
    params: dict[str, Any] = rng.choice(
        (
            {"status": rng.choice(ASSET_STATUSES)},
            {"kind": rng.choice(data.kind_ids)},
            {"category": rng.choice(CATEGORIES), "status": rng.choice((None, "in_use"))},
            {"owner_unit": rng.choice(data.unit_ids[:60])},
            {"owner_unit": rng.choice(data.unit_ids), "status": "in_use"},
            {"depot": rng.choice(data.depot_ids), "kind": rng.choice(data.kind_ids)},
            {"status": "in_use", "kind": rng.choice(data.kind_ids), "owner_unit": rng.choice(data.unit_ids[:30])},
            {},
        )
    )
    params["page"] = rng.choice((1, 1, 1, 2, 3, 5))
    return _q(params)


def asset_list_sorted(data: PageData, rng: random.Random) -> str:
    return _q(
        {"sort": rng.choice(ASSET_SORTS[3:]), "status": rng.choice((None, "in_use")), "page": rng.choice((1, 1, 2))}
    )


def asset_list_unit(data: PageData, rng: random.Random) -> str:
    return _q(
        {
            "status": rng.choice((None, None, "in_use")),
            "page": rng.choice((1, 1, 2)),
            "category": rng.choice((None, None, "computer", "printer")),
        }
    )


def asset_search(data: PageData, rng: random.Random) -> str:
    return _q(
        {
            "q": rng.choice(ASSET_SEARCHES),
            "status": rng.choice((None, None, "in_use")),
            "page": rng.choice((1, 1, 1, 2)),
        }
    )


def asset_search_unit(data: PageData, rng: random.Random) -> str:
    return _q({"q": rng.choice(ASSET_SEARCHES), "owner_unit": rng.choice(data.unit_ids[:30])})


def page_scenarios() -> tuple[Any, ...]:
    from bench.scenarios import Scenario, table_rows

    return (
        Scenario(
            "asset_list",
            "Asset list, status/kind/category/unit/depot filters, pages 1–5 (auditor)",
            AUDITOR,
            asset_list,
            table_rows,
            min_rows=0,
            budget_ms=LIST_BUDGET_MS,
        ),
        Scenario(
            "asset_list_it",
            "Asset list with the same filters (IT specialist, all units)",
            SPECIALIST,
            asset_list,
            table_rows,
            min_rows=0,
            budget_ms=LIST_BUDGET_MS,
        ),
        Scenario(
            "asset_list_sorted",
            "Asset list sorted by a column (auditor)",
            AUDITOR,
            asset_list_sorted,
            table_rows,
            budget_ms=LIST_BUDGET_MS,
        ),
        Scenario(
            "asset_list_unit",
            "Asset list of a unit user (own unit's and held items only)",
            UNIT_USER,
            asset_list_unit,
            table_rows,
            min_rows=0,
            budget_ms=LIST_BUDGET_MS,
        ),
        Scenario(
            "asset_search",
            "Asset search, Turkish queries: dizüstü bilgisayar, yazıcı, DİZÜSTÜ, lazer yazici …",
            AUDITOR,
            asset_search,
            table_rows,
            budget_ms=SEARCH_BUDGET_MS,
        ),
        Scenario(
            "asset_search_unit",
            "Asset search within a unit's subtree (auditor)",
            AUDITOR,
            asset_search_unit,
            table_rows,
            min_rows=0,
            budget_ms=SEARCH_BUDGET_MS,
        ),
    )


def load_page_data() -> PageData:
    from django.db.models import Count

    from biys.inventory.models import Asset, AssetKind, Depot

    owners = (
        Asset.objects.order_by().values("owner_unit").annotate(n=Count("id")).order_by("-n").values_list("owner_unit")
    )
    return PageData(
        kind_ids=list(AssetKind.objects.filter(assets__isnull=False).distinct().values_list("id", flat=True)),
        unit_ids=[row[0] for row in owners],
        depot_ids=list(Depot.objects.values_list("id", flat=True)),
        asset_pages=max(1, -(-Asset.objects.count() // 50)),
    )


def run_pages(names: list[str] | None, runs: int, warmup: int, max_seconds: float) -> list[Any]:
    from django.test import Client

    from bench.run import measure
    from biys.users.models import User

    data = load_page_data()
    clients: dict[str, Any] = {}
    results = []
    for scenario in page_scenarios():
        if names and scenario.name not in names:
            continue
        if scenario.persona not in clients:
            clients[scenario.persona] = Client(raise_request_exception=False)
            clients[scenario.persona].force_login(User.objects.get(username=scenario.persona))
        result = measure(scenario, clients[scenario.persona], data, runs, warmup, max_seconds)
        verdict = "FAIL" if result.problems else "ok" if result.passed else "MISS"
        print(
            f"  {result.name:<18} median {result.median:7.1f} ms  p95 {result.p95:7.1f} ms  "
            f"cpu {result.cpu_median:6.1f}/{result.cpu_p95:6.1f} ms  {len(result.samples_ms):>3} runs  "
            f"{result.queries:>2} queries  {verdict}",
            flush=True,
        )
        results.append(result)
    return results


# --- Agent ingestion -------------------------------------------------------------------------------------


@dataclass
class IngestResult:
    name: str
    title: str
    machines: int
    seconds: float
    per_request_ms: list[float]
    outcomes: dict[str, int]
    rows_written: dict[str, int] = field(default_factory=dict)
    log_entries: int = 0
    budget_per_s: float | None = None
    problems: list[str] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # CPU time of the bench process per machine

    @property
    def rate(self) -> float:
        return self.machines / self.seconds if self.seconds else 0.0

    @property
    def passed(self) -> bool:
        if self.problems:
            return False
        return self.budget_per_s is None or self.rate >= self.budget_per_s


def _crafted_xml(machine: dict[str, Any], software: list[tuple[str, str, str]], rng: random.Random) -> bytes:
    """A FusionInventory 2.6 INVENTORY (the test fixture's generator) with the machine's identity and software."""
    from xml.sax.saxutils import escape

    from biys.inventory.tests.agent_fixtures import xml_inventory

    packages = "".join(
        f"<SOFTWARES><NAME>{escape(name)}</NAME><PUBLISHER>{escape(publisher)}</PUBLISHER>"
        f"<VERSION>{escape(version)}</VERSION><INSTALLDATE>{_install_date(machine, name)}</INSTALLDATE></SOFTWARES>"
        for publisher, name, version in software
    )
    return xml_inventory(
        machine["device_id"],
        hostname=machine["hostname"],
        serial=machine["serial"],
        uuid=machine["uuid"],
        manufacturer="Dell Inc.",
        mac=machine["mac"],
        ip=machine["ip"],
        software=0,
        extra=packages,
    )


def _install_date(machine: dict[str, Any], name: str) -> str:
    """The same date at every report of the machine, as a real agent reads it from the system."""
    seed = zlib.crc32(f"{machine['asset']}/{name}".encode())
    return f"{seed % 28 + 1:02d}/{seed // 28 % 12 + 1:02d}/{2019 + seed // 336 % 7}"


def _prolog(device_id: str) -> bytes:
    from biys.inventory.tests.agent_fixtures import xml_prolog

    return xml_prolog(device_id)


# The captured machine's MACs; the first is its Ethernet card (physical), the others virtual devices.
_REAL_MACS = ("02:fc:00:00:00:01", "62:53:42:e6:c0:23", "6a:6f:2f:4f:7e:a2")


def _real_xml(name: str, machine: dict[str, Any], number: int) -> bytes:
    """A payload captured from the real agent, with this machine's device id, host name and MACs (its
    virtual interfaces get MACs made from ``number``, the asset id, so no two machines share one)."""
    text = zlib.decompress((FIXTURES / name).read_bytes()).decode()
    text = re.sub(r"<DEVICEID>[^<]*</DEVICEID>", f"<DEVICEID>{machine['device_id']}</DEVICEID>", text)
    text = re.sub(
        r"(<HARDWARE>.*?<NAME>)[^<]*(</NAME>)", rf"\g<1>{machine['hostname']}\g<2>", text, count=1, flags=re.S
    )
    for index, mac in enumerate(_REAL_MACS):
        new = (
            machine["mac"]
            if index == 0
            else f"{REAL_MAC_PREFIX}:{index:02X}:{number >> 16 & 255:02X}:{number >> 8 & 255:02X}:{number & 255:02X}"
        )
        text = re.sub(re.escape(mac), new.lower(), text, flags=re.I)
    return text.encode()


def _agent_post(client: Any, body: bytes, user_agent: str, content_type: str) -> Any:
    return client.post("/ocsinventory", zlib.compress(body), content_type=content_type, HTTP_USER_AGENT=user_agent)


def _table_counts() -> dict[str, int]:
    from biys.core.models import ChangeLogEntry
    from biys.inventory.models import AgentLink, Asset, DiscoveredDevice, Installation, NetworkInterface, Software

    counts = {
        model.__name__: model.objects.count()
        for model in (Installation, Software, NetworkInterface, AgentLink, DiscoveredDevice, Asset)
    }
    counts["ChangeLogEntry"] = ChangeLogEntry.objects.count()
    return counts


def _last_changes() -> dict[str, Any]:
    """The newest ``updated_at`` of each table: a row rewritten by ``save()`` would move it."""
    from django.db.models import Max

    from biys.inventory.models import AgentLink, Asset, Installation, NetworkInterface, Software

    return {
        model.__name__: model.objects.aggregate(top=Max("updated_at"))["top"]
        for model in (Installation, Software, NetworkInterface, AgentLink, Asset)
    }


def _machines(count: int, real: bool) -> list[dict[str, Any]]:
    from biys.inventory.models import Asset

    rows = Asset.objects.filter(agent__isnull=True).order_by("id")
    if real:
        rows = rows.filter(mac_address__startswith=REAL_MAC_PREFIX)
    else:
        rows = rows.filter(serial__startswith=INGEST_SERIAL)
    stamp = datetime.now().strftime("%Y-%m-%d-%H-%M-%S")
    machines = []
    for pk, serial, mac, hostname in rows.values_list("id", "serial", "mac_address", "hostname")[:count]:
        uuid = hashlib.md5(f"bench-{pk}".encode()).hexdigest().upper()  # noqa: S324 - an identifier, not a secret
        machines.append(
            {
                "asset": pk,
                "serial": serial,
                "mac": mac.lower() or f"00:1b:{pk >> 16 & 255:02x}:{pk >> 8 & 255:02x}:{pk & 255:02x}:07",
                "hostname": hostname or f"bench-pc-{pk}",
                "device_id": f"{hostname or pk}-{stamp}",
                "ip": f"10.{200 + (pk >> 16 & 31)}.{pk >> 8 & 255}.{pk & 255 or 1}",
                "uuid": f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:32]}",
            }
        )
    return machines


FUSION = ("FusionInventory-Agent_v2.6-3", "application/x-compress-zlib")
OCS = ("OCS-NG_unified_unix_agent_v2.10.0", "application/x-compress")


@dataclass
class _Run:
    seconds: float = 0.0
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _post_machines(client: Any, name: str, reports: list[tuple[str, bytes, tuple[str, str]]]) -> _Run:
    """Each machine as its agent does it: PROLOG, then the compressed INVENTORY; timed per machine."""
    run = _Run()
    started = time.perf_counter()
    for device_id, body, (user_agent, content_type) in reports:
        wall, cpu = time.perf_counter(), time.thread_time()
        prolog = _agent_post(client, _prolog(device_id), user_agent, content_type)
        answer = _agent_post(client, body, user_agent, content_type)
        run.cpu_ms.append((time.thread_time() - cpu) * 1000)
        run.wall_ms.append((time.perf_counter() - wall) * 1000)
        for response in (prolog, answer):
            if response.status_code != 200:
                run.problems.append(f"{name}: {device_id} answered {response.status_code}")
        reply = zlib.decompress(answer.content).decode(errors="replace") if answer.status_code == 200 else ""
        key = "no_account_update" if "no_account_update" in reply else reply[:60]
        run.outcomes[key] = run.outcomes.get(key, 0) + 1
    run.seconds = time.perf_counter() - started
    return run


def _post_parallel(reports: list[tuple[str, bytes, tuple[str, str]]], workers: int) -> _Run:
    """``workers`` forked processes post their share of the machines at the same time; the rate is all
    machines over the wall time from the common start to the last answer."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # every process opens its own connection
    context = multiprocessing.get_context("fork")
    start, results = context.Event(), context.Queue()
    processes = [
        context.Process(target=_parallel_worker, args=(reports[index::workers], start, results))
        for index in range(workers)
    ]
    for process in processes:
        process.start()
    time.sleep(0.5)  # let every worker import, connect and wait at the start line
    started = time.perf_counter()
    start.set()
    runs = [results.get() for _process in processes]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join()
    merged = _Run(seconds=seconds)
    for run in runs:
        merged.wall_ms += run.wall_ms
        merged.cpu_ms += run.cpu_ms
        merged.problems += run.problems
        for key, value in run.outcomes.items():
            merged.outcomes[key] = merged.outcomes.get(key, 0) + value
    return merged


def _parallel_worker(reports: list[tuple[str, bytes, tuple[str, str]]], start: Any, results: Any) -> None:
    from django.db import connection
    from django.test import Client

    client = Client(raise_request_exception=False)
    connection.ensure_connection()
    start.wait()
    results.put(_post_machines(client, "parallel", reports))
    connection.close()


def _result(name: str, title: str, run: _Run, before: dict[str, int], budget: float | None = None) -> IngestResult:
    after = _table_counts()
    return IngestResult(
        name,
        title,
        len(run.wall_ms),
        run.seconds,
        run.wall_ms,
        run.outcomes,
        _delta(before, after),
        after["ChangeLogEntry"] - before["ChangeLogEntry"],
        budget,
        run.problems,
        run.cpu_ms,
    )


def run_ingestion(count: int, software: int, real_count: int, workers: int = 2) -> list[IngestResult]:
    """First inventories (every installation new; half of the machines one after the other, half from
    ``workers`` processes at once), unchanged re-inventories, changed re-inventories, and the captured real
    FusionInventory/OCS payloads (921 packages each), all through ``/ocsinventory``."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from biys.core.changelog import verify

    client = Client(raise_request_exception=False)
    rng = random.Random(11)
    pool = _software_pool(random.Random(7))
    machines = _machines(count, real=False)
    if len(machines) < count:
        print(f"  only {len(machines)} unlinked ingestion machines are left; reseed for more", file=sys.stderr)
    payloads = []
    for machine in machines:
        chosen = _machine_software(rng, pool, software)
        chosen += [("Bench Yazılım", f"Belediye Uygulaması {machine['asset']}-{n}", "1.0") for n in range(2)]
        payloads.append((machine, chosen, _crafted_xml(machine, chosen, rng)))
    reports = [(machine["device_id"], body, FUSION) for machine, _chosen, body in payloads]
    results = []

    gc.collect()
    title = f"First full inventory of a registered machine (~{software} packages; PROLOG + INVENTORY)"
    half = len(reports) // 2 if workers > 1 else len(reports)
    before = _table_counts()
    run = _post_machines(client, "first", reports[:half])
    results.append(_result("ingest_first", f"{title}, one client after the other", run, before, INGEST_BUDGET_PER_S))
    if workers > 1:
        before = _table_counts()
        run = _post_parallel(reports[half:], workers)
        title = f"{title}, {workers} clients at once (separate processes, as {workers} server workers)"
        results.append(_result(f"ingest_first_{workers}w", title, run, before, INGEST_BUDGET_PER_S))
    linked = _linked(machines)
    if linked != len(machines):
        results[-1].problems.append(f"first: {linked} of {len(machines)} machines were linked to their asset")

    # The same reports again: nothing may be written but the contact timestamps.
    before, stamps = _table_counts(), _last_changes()
    with CaptureQueriesContext(connection) as captured:
        run = _post_machines(client, "unchanged", reports)
    writes = [query["sql"] for query in captured.captured_queries if _is_write(query["sql"])]
    unexpected = [sql for sql in writes if not _contact_update(sql)]
    result = _result("ingest_unchanged", "Re-inventory of an unchanged machine (must write no rows)", run, before)
    if any(result.rows_written.values()) or result.log_entries or _last_changes() != stamps:
        result.problems.append(f"unchanged: rows changed {result.rows_written}, log +{result.log_entries}")
    if unexpected:
        result.problems.append(f"unchanged: {len(unexpected)} writes besides contact times, e.g. {unexpected[0][:160]}")
    result.rows_written["UPDATE of contact times"] = len(writes)
    results.append(result)

    # A changed machine: 5 packages installed, 3 removed, 2 updated to a new version, a new address.
    changed = []
    for machine, chosen, _body in payloads:
        software_now = chosen[3:]
        software_now[:2] = [(p, n, f"{v}.1") for p, n, v in software_now[:2]]
        software_now += [("Bench Yazılım", f"Yeni Paket {machine['asset']}-{n}", "2.0") for n in range(5)]
        moved = {**machine, "ip": machine["ip"].rsplit(".", 1)[0] + ".250"}
        changed.append((machine["device_id"], _crafted_xml(moved, software_now, rng), FUSION))
    before = _table_counts()
    run = _post_machines(client, "changed", changed)
    title = "Re-inventory with 5 installed, 3 removed, 2 upgraded packages and a new IP"
    results.append(_result("ingest_changed", title, run, before))

    real = _machines(real_count, real=True)
    if real:
        reports = []
        for number, machine in enumerate(real):
            fixture, agent = (
                ("fusion-2.6-inventory.zlib", FUSION) if number % 2 == 0 else ("ocs-2.10-inventory.zlib", OCS)
            )
            reports.append((machine["device_id"], _real_xml(fixture, machine, machine["asset"]), agent))
        before = _table_counts()
        run = _post_machines(client, "real", reports)
        linked = _linked(real)
        if linked != len(real):
            run.problems.append(f"real: {linked} of {len(real)} machines were linked to their asset")
        title = "First inventory from the captured real FusionInventory 2.6 / OCS 2.10 payloads (921 packages)"
        results.append(_result("ingest_real", title, run, before))

    started = time.perf_counter()
    chain = verify()
    print(
        f"  change-log chain after ingestion: {'intact' if chain.ok else 'BROKEN'} ({chain.checked:,} entries, "
        f"{time.perf_counter() - started:.1f} s)"
    )
    if not chain.ok:
        results[-1].problems.append(f"change log broken at #{chain.bad_id} ({chain.reason})")
    for result in results:
        verdict = "FAIL" if result.problems else "ok" if result.passed else "MISS"
        print(
            f"  {result.name:<18} {result.machines:>4} machines in {result.seconds:6.1f} s = {result.rate:6.1f}/s  "
            f"wall {statistics.median(result.per_request_ms or [0]):6.1f}/{_p95(result.per_request_ms):6.1f} ms  "
            f"cpu {statistics.median(result.cpu_ms or [0]):6.1f} ms  rows {_rows_text(result.rows_written)}  "
            f"log +{result.log_entries}  {verdict}",
            flush=True,
        )
    return results


def _linked(machines: list[dict[str, Any]]) -> int:
    from biys.inventory.models import AgentLink

    return AgentLink.objects.filter(asset_id__in=[m["asset"] for m in machines]).count()


def _delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: after[name] - before[name] for name in before if name != "ChangeLogEntry"}


def _rows_text(rows: dict[str, int]) -> str:
    shown = {name: value for name, value in rows.items() if value}
    return ", ".join(f"{name} {value:+,}" for name, value in shown.items()) or "none"


def _is_write(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _contact_update(sql: str) -> bool:
    """The writes an unchanged report may make: its contact times (QuerySet.update, not logged)."""
    upper = sql.upper()
    return upper.lstrip().startswith("UPDATE") and ("LAST_CONTACT" in upper or "LAST_SEEN_AT" in upper)


def _p95(samples: list[float]) -> float:
    if not samples:
        return 0.0
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


# --- The 100,000-row import ------------------------------------------------------------------------------


@dataclass
class ImportResult:
    rows: int
    assets: int
    seconds: float
    phases: dict[str, float]
    log_entries: int
    file_bytes: int
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems and self.seconds <= IMPORT_BUDGET_S


IMPORT_HEADER = (
    "Tür",
    "Ambar",
    "Sahip birim",
    "Giriş yılı",
    "Adet",
    "Marka",
    "Model",
    "Seri no",
    "Fatura no",
    "Fatura tarihi",
    "Fiyat",
    "Tedarikçi",
    "Garanti bitiş",
    "Konum",
    "Hostname",
    "IP",
    "MAC",
    "Açıklama",
)


def import_file(rows: int, rng: random.Random) -> bytes:
    """A CSV as Turkish Excel saves it: UTF-8 with BOM, ``;``, dd.mm.yyyy, decimal comma; Adet 1 and a serial
    per row (a run-specific prefix, so a rerun on the same database does not collide)."""
    from biys.inventory.models import AssetKind, Depot, Location
    from biys.org.models import Unit

    kinds = {kind.name: kind for kind in AssetKind.objects.all()}
    mix = [(name, share, brands) for name, share, brands in ASSET_MIX if name in kinds]
    names, weights = [m[0] for m in mix], [m[1] for m in mix]
    brands = {name: choices for name, _share, choices in mix}
    depots = [f"{d.institutional_code}-{d.code}" for d in Depot.objects.all()]
    units = list(Unit.objects.filter(depth__gte=1).values_list("code", flat=True)[:200])
    places = [" / ".join(p for p in loc) for loc in Location.objects.values_list("building", "floor", "room")[:300]]
    run = datetime.now().strftime("%y%m%d%H%M%S")
    lines = [";".join(IMPORT_HEADER)]
    for index in range(rows):
        name = rng.choices(names, weights)[0]
        brand, models = rng.choice(brands[name])
        computer = kinds[name].category == "computer"
        day = date(2026, rng.randint(1, 6), rng.randint(1, 28))
        price = f"{rng.randint(1500, 60000):,}".replace(",", ".") + f",{rng.randint(0, 99):02d}"
        cells = [
            name,
            rng.choice(depots),
            rng.choice(units),
            "2026",
            "1",
            brand,
            rng.choice(models),
            f"IMP{run}-{index:06d}",
            f"FTR2026-{index // 50 + 1:05d}",
            f"{day:%d.%m.%Y}",
            price,
            rng.choice(SUPPLIERS),
            f"{day.replace(year=2029):%d.%m.%Y}",
            rng.choice(places) if rng.random() < 0.7 else "",
            f"imp-{run}-{index}" if computer else "",
            f"10.{100 + index // 65536}.{index // 256 % 256}.{index % 256}" if computer else "",
            "",
            "İçe aktarılan mevcut taşınır",
        ]
        lines.append(";".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def run_import(rows: int) -> ImportResult:
    """Time ``imports.services.commit`` (re-check + register, one transaction) as the records officer."""
    from biys.core.changelog import verify
    from biys.core.context import acting_as
    from biys.core.models import ChangeLogEntry
    from biys.inventory.imports import services
    from biys.inventory.models import Asset
    from biys.org.models import Staff
    from biys.users.models import User

    data = import_file(rows, random.Random(5))
    clerk = User.objects.get(username=CLERK)
    staff = Staff.objects.get(user=clerk)
    assets_before, log_before = Asset.objects.count(), ChangeLogEntry.objects.count()
    marks: list[tuple[float, int]] = []
    gc.collect()
    started = time.perf_counter()
    problems: list[str] = []
    created: list[Any] = []
    try:
        with acting_as(clerk, request_id="bench-import"):
            created = services.commit(
                data,
                "csv",
                services.Options(commissioned=True),
                staff,
                progress=lambda done, total: marks.append((time.perf_counter(), done)),
            )
    except services.ImportFailed as exc:
        problems.append(f"import refused: {exc.errors[:3]}")
    seconds = time.perf_counter() - started
    # The service reports progress after each chunk of 2,000 assets is written.
    phases = {"read, check, first chunk": (marks[0][0] - started) if marks else seconds}
    if marks:
        phases["other chunks"] = marks[-1][0] - marks[0][0]
        phases["last log entries + commit"] = seconds - (marks[-1][0] - started)
    added = Asset.objects.count() - assets_before
    if not problems and (added != rows or len(created) != rows):
        problems.append(f"{added} assets registered for {rows} rows")
    log_entries = ChangeLogEntry.objects.count() - log_before
    del created
    chain = verify()
    if not chain.ok:
        problems.append(f"change log broken at #{chain.bad_id} ({chain.reason})")
    result = ImportResult(rows, added, seconds, phases, log_entries, len(data), problems)
    verdict = "FAIL" if problems else "ok" if result.passed else "MISS"
    print(
        f"  asset_import      {rows:,} rows ({len(data) / 2**20:.1f} MB CSV) in {seconds:.1f} s = "
        f"{rows / seconds:,.0f} rows/s; {log_entries:,} log entries; chain {'intact' if chain.ok else 'BROKEN'}  "
        f"{verdict}",
        flush=True,
    )
    return result


# --- Report ---------------------------------------------------------------------------------------------------

SECTION_TITLE = "## Inventory (issue 4)"


def _markers(vendor: str) -> tuple[str, str]:
    return f"<!-- bench:inventory-{vendor}:begin -->", f"<!-- bench:inventory-{vendor}:end -->"


def _data_counts() -> dict[str, int]:
    from biys.inventory.models import (
        AgentLink,
        Asset,
        CustodyDocument,
        CustodyItem,
        Installation,
        Software,
        Voucher,
        VoucherLine,
    )

    return {
        "assets": Asset.objects.count(),
        "agents": AgentLink.objects.count(),
        "installations": Installation.objects.count(),
        "software": Software.objects.count(),
        "custody": CustodyDocument.objects.count() + CustodyItem.objects.count(),
        "movements": Voucher.objects.count() + VoucherLine.objects.count(),
    }


def section(
    pages: list[Any],
    ingest: list[IngestResult],
    imported: ImportResult | None,
    seeded: SeedReport | None,
    command: str,
    args: Any,
    counts: dict[str, int],
    seconds: float,
) -> str:
    from django.utils import timezone

    from bench import report

    info = report.machine()
    title = report.vendor_title()
    lines = [
        f"### {title}",
        "",
        f"- date: {timezone.localtime():%Y-%m-%d %H:%M %Z}",
        f"- machine: {info['machine']}",
        f"- software: {info['software']}",
        f"- data when timed: {counts['assets']:,} assets, {counts['agents']:,} agent-reported computers with "
        f"{counts['installations']:,} installations of {counts['software']:,} software products, "
        f"{counts['custody'] + counts['movements']:,} custody and movement records "
        f"({counts['custody']:,} Teslim Belgesi documents and lines, {counts['movements']:,} VİFs and lines)",
        f"- command: `{command}`",
        f"- CPU busy outside the bench process while timing (other work, and the PostgreSQL server): {args.other_cpu}",
        f"- whole run {seconds / 60:.1f} min",
    ]
    if seeded is not None:
        steps = ", ".join(f"{name} {value:.0f} s" for name, value in seeded.seconds.items())
        lines.append(f"- seeding: {seeded.total_seconds:.0f} s ({steps})")
    else:
        lines.append("- seeding: reused the existing bench database (--skip-seed)")
    if pages:
        lines += [
            "",
            "| page scenario | what | runs | median ms | p95 ms | max ms | CPU median / p95 ms | queries "
            "| budget (p95) | result |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in pages:
            verdict = "pass" if r.passed else "**MISS**"
            if r.problems:
                verdict = f"**FAIL**: {len(r.problems)} wrong answers, e.g. `{r.problems[0]}`"
            numbers = (
                f"{len(r.samples_ms)} | {r.median:.1f} | {r.p95:.1f} | {max(r.samples_ms):.1f} | "
                f"{r.cpu_median:.1f} / {r.cpu_p95:.1f} | {r.queries}"
            )
            lines.append(f"| `{r.name}` | {r.title} | {numbers} | {r.budget_ms:.0f} ms | {verdict} |")
    if ingest:
        lines += [
            "",
            "| agent scenario | what | machines | seconds | per second | median / p95 ms per machine "
            "| CPU median / p95 ms | rows written | log entries | budget | result |",
            "|---|---|---:|---:|---:|---:|---:|---|---:|---|---|",
        ]
        for r in ingest:
            verdict = "pass" if r.passed else "**MISS**"
            if r.problems:
                verdict = f"**FAIL**: `{r.problems[0][:200]}`"
            budget = f"≥ {r.budget_per_s:.0f}/s" if r.budget_per_s else ("no rows" if "unchanged" in r.name else "–")
            if r.name == "ingest_unchanged" and not r.problems:
                verdict = "pass (no rows)"
            rows = _rows_text(r.rows_written)
            lines.append(
                f"| `{r.name}` | {r.title} | {r.machines} | {r.seconds:.1f} | {r.rate:.1f} | "
                f"{statistics.median(r.per_request_ms or [0]):.1f} / {_p95(r.per_request_ms):.1f} | "
                f"{statistics.median(r.cpu_ms or [0]):.1f} / {_p95(r.cpu_ms):.1f} | {rows} | "
                f"{r.log_entries:,} | {budget} | {verdict} |"
            )
    if imported is not None:
        verdict = "pass" if imported.passed else "**MISS**"
        if imported.problems:
            verdict = f"**FAIL**: `{imported.problems[0][:200]}`"
        phases = "; ".join(f"{name} {value:.1f} s" for name, value in imported.phases.items())
        lines += [
            "",
            "| import | rows | file | seconds | rows/s | phases | log entries | budget | result |",
            "|---|---:|---:|---:|---:|---|---:|---|---|",
            f"| `asset_import` (CSV, UTF-8 BOM, `;`, dd.mm.yyyy, decimal comma; commissioning done) | "
            f"{imported.rows:,} | {imported.file_bytes / 2**20:.1f} MB | {imported.seconds:.1f} | "
            f"{imported.rows / imported.seconds:,.0f} | {phases} | {imported.log_entries:,} | ≤ 60 s | {verdict} |",
        ]
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    lines += ["", f"<!-- written by bench.inventory {stamp}; python {sys.version.split()[0]} -->"]
    return "\n".join(lines)


def write(path: str, text: str) -> None:
    """Replace this vendor's inventory block of ``path``; add the section at the end when it is missing."""
    from django.db import connection

    target = Path(path)
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    begin, end = _markers(vendor)
    block = f"{begin}\n{text}\n{end}"
    current = target.read_text(encoding="utf-8") if target.exists() else "# Performance\n"
    if begin in current and end in current:
        before, rest = current.split(begin, 1)
        target.write_text(f"{before}{block}{rest.split(end, 1)[1]}", encoding="utf-8")
        return
    if SECTION_TITLE not in current:
        other = "postgresql" if vendor == "sqlite" else "sqlite"
        blocks = {vendor: block, other: "\n".join(_markers(other))}
        current = f"{current.rstrip()}\n\n{SECTION_TITLE}\n\n{blocks['sqlite']}\n\n{blocks['postgresql']}\n"
        target.write_text(current, encoding="utf-8")
        return
    head, tail = current.split(SECTION_TITLE, 1)
    target.write_text(f"{head}{SECTION_TITLE}\n\n{block}\n{tail}", encoding="utf-8")


# --- Command line ---------------------------------------------------------------------------------------------

PARTS = ("pages", "ingest", "import")


def prepare(args: argparse.Namespace, url: str) -> SeedReport | None:
    from bench.seed import seed

    config.setup(url)
    current = config.state()
    if args.skip_seed:
        from biys.users.models import User

        if current != "bench" or not User.objects.filter(username=CLERK).exists():
            raise SystemExit(f"--skip-seed: {config.redacted(url)} holds no inventory bench data; seed it first.")
        config.migrate()
        return None
    if current == "foreign" and not args.reset:
        raise SystemExit(f"{config.redacted(url)} holds data the bench did not make; use --reset to replace it.")
    if current == "empty":
        config.migrate()
    else:
        config.recreate(url)
    sizes = Sizes(args.assets, args.agents, args.software, args.records, args.ingest_pool)
    print(
        f"Seeding {config.redacted(url)}: {args.units} units, {args.staff} staff; {sizes.assets:,} assets, "
        f"{sizes.agents:,} agents × ~{sizes.software} software, {sizes.records:,} custody/movement records"
    )
    base = seed(args.staff, args.units, args.changelog)
    report = seed_inventory(sizes, random.Random(2026))
    report.seconds = {**{f"base {k}": v for k, v in base.seconds.items()}, **report.seconds}
    print(f"  total        {report.total_seconds:16.1f} s")
    return report


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.inventory", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help=f"bench database (default $BENCH_DATABASE_URL or {config.DEFAULT_URL})")
    parser.add_argument("--assets", type=int, default=500_000, help="assets (default 500000)")
    parser.add_argument("--agents", type=int, default=5_000, help="agent-reported computers (default 5000)")
    parser.add_argument("--software", type=int, default=150, help="installed software per computer (default 150)")
    parser.add_argument("--records", type=int, default=1_000_000, help="custody + movement records (default 1000000)")
    parser.add_argument(
        "--ingest-pool", type=int, default=3_000, help="registered computers left for ingestion runs (default 3000)"
    )
    parser.add_argument("--staff", type=int, default=20_000, help="staff members (default 20000)")
    parser.add_argument("--units", type=int, default=300, help="units (default 300)")
    parser.add_argument("--changelog", type=int, default=0, help="extra change-log entries seeded (default 0)")
    parser.add_argument("--skip-seed", action="store_true", help="time the data already in the bench database")
    parser.add_argument("--reset", action="store_true", help="replace a database the bench did not make")
    parser.add_argument("--runs", type=int, default=50, help="timed requests per page scenario (default 50)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first (default 20)")
    parser.add_argument("--max-seconds", type=float, default=60, help="time limit per page scenario (default 60)")
    parser.add_argument("--ingest", type=int, default=400, help="machines per ingestion scenario (default 400)")
    parser.add_argument("--ingest-real", type=int, default=20, help="machines sending captured real payloads (20)")
    parser.add_argument("--ingest-workers", type=int, default=2, help="processes posting at once (default 2)")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows of the import file (default 100000)")
    names = [scenario.name for scenario in page_scenarios()]
    parser.add_argument(
        "--only", nargs="+", choices=[*PARTS, *names], metavar="NAME", help=f"only these: {', '.join([*PARTS, *names])}"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    parser.add_argument("--ignore-budgets", action="store_true", help="exit 0 on missed budgets (smoke runs)")
    parser.add_argument("--output", default=str(config.REPO / "docs" / "performance.md"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = config.resolve_url(args.database_url)
    started = time.perf_counter()
    seeded = prepare(args, url)
    gc.collect()
    from bench import report

    only = set(args.only or [])
    page_names = [name for name in only if name not in PARTS]
    busy = report.CpuBusy()
    counts = _data_counts()
    pages: list[Any] = []
    ingest: list[IngestResult] = []
    imported: ImportResult | None = None
    if not only or "pages" in only or page_names:
        print(f"Pages: {args.runs} timed requests per scenario after {args.warmup} warm-up requests")
        pages = run_pages(page_names or None, args.runs, args.warmup, args.max_seconds)
    if not only or "ingest" in only:
        print(f"Agent ingestion: {args.ingest} machines per scenario, POST /ocsinventory (PROLOG + INVENTORY)")
        ingest = run_ingestion(args.ingest, args.software, args.ingest_real, args.ingest_workers)
    if (not only or "import" in only) and args.import_rows:
        print(f"Import: {args.import_rows:,} asset rows through imports.services.commit")
        imported = run_import(args.import_rows)
    args.other_cpu = busy.others()
    argv_shown = [config.redacted(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    command = shlex.join(["python", "-m", "bench.inventory", *argv_shown])
    text = section(pages, ingest, imported, seeded, command, args, counts, time.perf_counter() - started)
    if not args.no_write:
        write(args.output, text)
        print(f"Wrote the inventory {report.vendor_title()} block of {args.output}")
    wrong = [r for r in pages if r.problems] + [r for r in ingest if r.problems]
    if wrong or (imported is not None and imported.problems):
        for result in wrong:
            for problem in result.problems[:3]:
                print(f"  {result.name}: {problem}", file=sys.stderr)
        if imported is not None:
            for problem in imported.problems:
                print(f"  asset_import: {problem}", file=sys.stderr)
        return 2
    passed = all(r.passed for r in pages) and all(r.passed for r in ingest)
    passed = passed and (imported is None or imported.passed)
    return 0 if args.ignore_budgets or passed else 1


if __name__ == "__main__":
    sys.exit(main())
