"""Tests for the directive parser: concrete facts from the Mersin and Nizip texts plus synthetic directives.

The real texts ship with the package in ``biys/org/data/directives``.
"""

# Turkish fixtures: dotless "ı" is intended, not a confusable.
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biys.org.directives import DutyItem, parse_directive

DIRECTIVES_DIR = Path(__file__).resolve().parent.parent / "data" / "directives"
MERSIN_FILE = DIRECTIVES_DIR / "mersin-bilgi-islem-dairesi-yonergesi.md"
NIZIP_FILE = DIRECTIVES_DIR / "nizip-bilgi-islem-mudurlugu-yonetmeligi.md"


def _by_ref(items: list[DutyItem]) -> dict[str, DutyItem]:
    return {item.ref: item for item in items}


def _per_article(items: list[DutyItem], prefix: str) -> Counter[str]:
    """Count items by the ref part between "md. " and the first "/" (e.g. "7", "11(2)")."""
    return Counter(item.ref.removeprefix(prefix).split("/")[0] for item in items)


@pytest.fixture(scope="module")
def mersin() -> list[DutyItem]:
    return parse_directive(MERSIN_FILE.read_text(encoding="utf-8"), "Mersin")


@pytest.fixture(scope="module")
def nizip() -> list[DutyItem]:
    return parse_directive(NIZIP_FILE.read_text(encoding="utf-8"), "Nizip")


def test_mersin_known_items(mersin: list[DutyItem]) -> None:
    items = _by_ref(mersin)
    assert "Sızma testi" in items["Mersin md. 7/2-f"].text
    assert "garanti" in items["Mersin md. 7/1-r"].text
    assert items["Mersin md. 7/3-d"].text.startswith("Donanım arızası giderilmesi sırasında")
    assert items["Mersin md. 6/ı"].text.startswith("Belediyenin tüm birimlerinde")
    assert "5 iş günü" in items["Mersin md. 10/3"].text
    assert "okunup imzalanır" in items["Mersin md. 10/2"].text
    assert "her yıl gözden geçirilir" in items["Mersin md. 13/1"].text
    assert "projeler yapmak, yaptırmak" in items["Mersin md. 9/3-c"].text
    assert {"Mersin md. 12/1", "Mersin md. 12/2", "Mersin md. 12/3", "Mersin md. 11/1"} <= items.keys()


def test_mersin_fields(mersin: list[DutyItem]) -> None:
    item = _by_ref(mersin)["Mersin md. 7/2-f"]
    assert (item.article, item.paragraph, item.item) == ("7", "2", "f")
    assert item.heading == "Sistem Ve Donanım Hizmetleri Şefliğinin görevleri şunlardır:"
    assert item.unit_hint == "Sistem Ve Donanım Hizmetleri Şefliği"
    assert item.text == "Sızma testi yapmak veya yaptırmak"
    paragraph = _by_ref(mersin)["Mersin md. 10/2"]
    assert (paragraph.paragraph, paragraph.item) == ("2", "")


def test_mersin_unit_hints(mersin: list[DutyItem]) -> None:
    items = _by_ref(mersin)
    assert items["Mersin md. 6/a"].unit_hint == "Bilgi İşlem Dairesi Başkanlığı"
    assert items["Mersin md. 7/1-a"].unit_hint == "Sistem Ve Donanım Şube Müdürlüğü"
    assert items["Mersin md. 7/3-a"].unit_hint == "Teknik Destek Hizmetleri Şefliği"
    assert items["Mersin md. 8/2-a"].unit_hint == "Yazılım Hizmetleri Şefliği"
    # Final provisions name no unit of their own and fall back to the directorate.
    assert items["Mersin md. 12/2"].unit_hint == "Bilgi İşlem Dairesi Başkanlığı"


def test_mersin_counts(mersin: list[DutyItem]) -> None:
    counts = _per_article(mersin, "Mersin md. ")
    assert counts["6"] == 15
    assert counts["7"] == 26 + 10 + 12
    assert counts["9"] == 9 + 4 + 3
    assert counts["10"] == 3
    assert sum(1 for item in mersin if item.ref.startswith("Mersin md. 8/1-")) == 19
    assert sum(1 for item in mersin if item.ref.startswith("Mersin md. 7/1-")) == 26
    assert len(mersin) == 121


def test_mersin_duplicate_letter_and_page_broken_item(mersin: list[DutyItem]) -> None:
    items = _by_ref(mersin)
    assert "Güvenlik kamera sistemlerinin" in items["Mersin md. 7/1-i"].text
    assert "bilişim cihaz alımlarını" in items["Mersin md. 7/1-i-2"].text
    assert items["Mersin md. 7/1-i-2"].item == "i-2"
    broken = items["Mersin md. 7/1-ğ"].text
    assert "Koordinasyona İlişkin Bakanlar Kurulu Kararı gereğince" in broken
    assert items["Mersin md. 7/1-h"].text.startswith("Belediyenin tüm birimlerinde")


def test_mersin_skips_non_duty_articles(mersin: list[DutyItem]) -> None:
    articles = {item.article for item in mersin}
    assert articles == {"6", "7", "8", "9", "10", "11", "12", "13"}
    assert not any("Siber Olaylara Müdahale Ekibini" in item.text for item in mersin)
    assert not any(item.text.startswith("Başkan: ") for item in mersin)


def test_mersin_normalises_mojibake(mersin: list[DutyItem]) -> None:
    items = _by_ref(mersin)
    assert items["Mersin md. 8/1-c"].text == "Bilgi Güvenliği için gerekli olan sistem, yazılım ve donanımı temin etmek"
    assert items["Mersin md. 8/2-a"].heading == "Yazılım Hizmetleri Şefliğinin görevleri şunlardır:"
    assert not any("đ" in item.text or "đ" in item.heading for item in mersin)


def test_nizip_known_items(nizip: list[DutyItem]) -> None:
    items = _by_ref(nizip)
    assert items["Nizip md. 7/12"].text.startswith("Belediyenin diğer birimlerinin bilgisayarla")
    assert "servis formlarını" in items["Nizip md. 7/13"].text
    assert "izin, hastalık" in items["Nizip md. 9/5"].text
    assert "garanti kapsamı" in items["Nizip md. 12/24"].text
    assert "Nizip md. 12/53" in items
    assert "devir" in items["Nizip md. 15/4"].text
    assert "arşivlenmesinin" in items["Nizip md. 11/3"].text
    assert "kırtasiye" in items["Nizip md. 11/4"].text
    assert "yedekleme üniteleri" in items["Nizip md. 10/8"].text
    assert "çözüm çalışmalarını" in items["Nizip md. 11(2)/4"].text


def test_nizip_item_broken_by_page_header(nizip: list[DutyItem]) -> None:
    text = _by_ref(nizip)["Nizip md. 10/13"].text
    assert "yedekleme" in text
    assert "firewall" in text
    assert "Kesintisiz güç kaynağı" in text
    assert "NİZİP" not in text


def test_nizip_fields_and_units(nizip: list[DutyItem]) -> None:
    items = _by_ref(nizip)
    item = items["Nizip md. 12/3"]
    assert (item.article, item.paragraph, item.item) == ("12", "", "3")
    assert item.unit_hint == "Teknik Servis Birimi"
    assert item.heading == "Teknik Servis Birim Personellerinin Görev, Yetki Ve Sorumlulukları"
    assert items["Nizip md. 9/5"].unit_hint == "Müdür"
    assert items["Nizip md. 9/5"].heading == "Müdürün Görev, Yetki Ve Sorumlulukları"
    assert items["Nizip md. 7/12"].unit_hint == "Müdürlük"
    assert items["Nizip md. 10/1"].unit_hint == "Sistem Bilgi Ve Güvenliği Birimi"
    assert items["Nizip md. 11/1"].unit_hint == "Evrak Yönetim İşleri Birimi"
    assert items["Nizip md. 11(2)/1"].unit_hint == "Yazılım Ve Ar-Ge Birimi"
    assert items["Nizip md. 11(2)/1"].article == "11"


def test_nizip_counts(nizip: list[DutyItem]) -> None:
    counts = _per_article(nizip, "Nizip md. ")
    assert counts["7"] == 28
    assert counts["9"] == 18
    assert counts["10"] == 16
    assert counts["11"] == 8
    assert counts["11(2)"] == 30
    assert counts["12"] == 53
    assert counts["15"] == 7
    assert len(nizip) == 165


def test_nizip_skips_preliminary_articles(nizip: list[DutyItem]) -> None:
    articles = {item.article for item in nizip}
    assert not articles & {"1", "2", "3", "5", "6", "8", "21", "22", "23"}
    assert not any("Temel ilkelerini" in item.text or "organizasyon şeması" in item.text for item in nizip)
    assert _by_ref(nizip)["Nizip md. 16"].text.startswith("Müdürlüğün 5393 Sayılı Belediye Kanunu")


@pytest.mark.parametrize("which", ["mersin", "nizip"])
def test_refs_unique_and_text_clean(which: str, request: pytest.FixtureRequest) -> None:
    items: list[DutyItem] = request.getfixturevalue(which)
    refs = [item.ref for item in items]
    assert len(refs) == len(set(refs))
    for item in items:
        assert item.text
        assert "**" not in item.text
        assert "**" not in item.heading
        assert "T.C. NİZİP BELEDİYESİ" not in item.text
        assert "  " not in item.text
        assert not item.text.endswith((",", ";", "."))


def test_empty_text_gives_no_items() -> None:
    assert parse_directive("", "X") == []
    assert parse_directive("\n\n   \n", "X") == []


SYNTHETIC = """\
**ÖRNEKKÖY BELEDİYESİ BİLGİ İŞLEM MÜDÜRLÜĞÜ YÖNERGESİ**

Tanımlar

MADDE 1- (1) Bu yönergede geçen;
a) Belediye: Örnekköy Belediyesini,
b) Müdürlük: Bilgi İşlem Müdürlüğünü ifade eder.

Görevler

MADDE 2- (1) Destek Hizmetleri Şefliđinin görevleri şunlardır:
- a) Sunucuları yedeklemek,
- b) Yedekleri her ay

test etmek,

(2) Ağ Şefliğinin görevleri şunlardır:
a) Güvenlik duvarı kurallarını gözden geçirmek.

MÜDÜRLÜK HÜKÜMLERİ

Müdürün Görev ve Yetkileri

MADDE 3-
(1) Personeli denetlemek,

T.C. ÖRNEKKÖY BELEDİYESİ

(2) Bütçeyi hazırlamak.

Kayıt İşleri

MADDE 4- Bilgi İşlem Müdürlüğünün görevleri şunlardır:
a) Envanteri tutmak,
b) Lisansları izlemek.

Yürürlük

MADDE 5- (1) Bu yönerge yayımı tarihinde yürürlüğe girer.
"""


def test_synthetic_directive() -> None:
    items = _by_ref(parse_directive(SYNTHETIC, "Örnekköy"))
    assert list(items) == [
        "Örnekköy md. 2/1-a",
        "Örnekköy md. 2/1-b",
        "Örnekköy md. 2/2-a",
        "Örnekköy md. 3/1",
        "Örnekköy md. 3/2",
        "Örnekköy md. 4/a",
        "Örnekköy md. 4/b",
    ]
    assert items["Örnekköy md. 2/1-b"].text == "Yedekleri her ay test etmek"
    assert items["Örnekköy md. 2/1-a"].unit_hint == "Destek Hizmetleri Şefliği"
    assert items["Örnekköy md. 2/2-a"].unit_hint == "Ağ Şefliği"
    assert items["Örnekköy md. 3/1"].text == "Personeli denetlemek"
    assert items["Örnekköy md. 3/1"].unit_hint == "Müdür"
    assert items["Örnekköy md. 3/1"].heading == "Müdürün Görev ve Yetkileri"
    assert (items["Örnekköy md. 3/2"].paragraph, items["Örnekköy md. 3/2"].item) == ("", "2")
    assert items["Örnekköy md. 4/b"].unit_hint == "Bilgi İşlem Müdürlüğü"
    assert (items["Örnekköy md. 4/b"].paragraph, items["Örnekköy md. 4/b"].item) == ("", "b")


def test_repeated_article_numbers_keep_plain_ref_for_the_duty_list() -> None:
    text = """\
Teşkilat Notu

MADDE 7-
Müdürlük alt birimlerden oluşur.

Müdürlüğün Görev ve Sorumlulukları

MADDE 7-
(1) Sistemi kurmak,
(2) Sistemi işletmek.

Arşiv Birim Personellerinin Görev, Yetki ve Sorumlulukları

MADDE 7-
(1) Arşivi düzenlemek.
"""
    items = _by_ref(parse_directive(text, "X"))
    assert list(items) == ["X md. 7(1)", "X md. 7/1", "X md. 7/2", "X md. 7(3)/1"]
    assert items["X md. 7(3)/1"].unit_hint == "Arşiv Birimi"


@pytest.mark.parametrize(
    ("heading", "unit"),
    [
        ("Teknik Servis Birim Personellerinin Görev, Yetki Ve Sorumlulukları", "Teknik Servis Birimi"),
        ("Müdürün Görev, Yetki Ve Sorumlulukları", "Müdür"),
        ("Müdürlüğün Görev ve Sorumlulukları", "Müdürlük"),
        ("Başkan Yardımcısının Görevleri", "Başkan Yardımcısı"),
        ("Başkanın Yetkileri", "Başkan"),
    ],
)
def test_unit_hint_from_article_title(heading: str, unit: str) -> None:
    (item,) = parse_directive(f"{heading}\n\nMADDE 1-\n(1) Bir iş yapmak.\n", "X")
    assert item.unit_hint == unit


_LINES = st.sampled_from(
    [
        "",
        "MADDE 1-",
        "MADDE 1- (1) Birimin görevleri şunlardır:",
        "**MADDE 2-(1)** Şefliğin görevleri şunlardır:",
        "(1) Bir iş yapmak,",
        "- (2) Başka iş yapmak.",
        "a) Kurmak,",
        "- a)** Kurmak,",
        "b) İşletmek",
        "devam eden metin,",
        "Ara Başlık",
        "Tanımlar",
        "T.C. ÖRNEK BELEDİYESİ",
        "## **BÖLÜM**",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINES, max_size=40))
def test_any_line_mix_gives_unique_clean_refs(lines: list[str]) -> None:
    items = parse_directive("\n".join(lines), "P")
    refs = [item.ref for item in items]
    assert len(refs) == len(set(refs))
    assert all("**" not in item.text and item.ref.startswith("P md. ") for item in items)
