"""Tests for Turkish-correct text handling (biys.core.text)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biys.core.text import search_key, search_terms, tr_lower, tr_slugify, tr_sort_key, tr_title, tr_upper

COMBINING_DOT = "\u0307"
TR_LOWER_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyz"
TR_ALPHABET = TR_LOWER_ALPHABET + TR_LOWER_ALPHABET.upper().replace("I", "").replace("İ", "") + "Iİ"

tr_words = st.text(alphabet=TR_LOWER_ALPHABET, min_size=1, max_size=30)
tr_text = st.text(alphabet=TR_ALPHABET + " '-.,!?0123456789", max_size=60)


# --- case mapping -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upper", "lower"),
    [("IŞIK", "ışık"), ("İSTANBUL", "istanbul"), ("ILIK İÇECEK", "ılık içecek"), ("ÇĞÖŞÜ", "çğöşü")],
)
def test_case_mapping_examples(upper: str, lower: str) -> None:
    assert tr_lower(upper) == lower
    assert tr_upper(lower) == upper


def test_python_pitfall_is_avoided() -> None:
    assert "İ".lower() == "i" + COMBINING_DOT  # the bug this module exists for
    assert tr_lower("İ") == "i"
    assert tr_lower("I" + COMBINING_DOT) == "i"  # decomposed capital dotted I
    assert tr_upper("i" + COMBINING_DOT) == "İ"  # what str.lower leaves behind


def test_non_turkish_characters_follow_python() -> None:
    assert tr_lower("ÀÉ ΣΑΣ") == "àé σας"
    assert tr_upper("straße") == "STRASSE"


@given(tr_words)
def test_upper_lower_round_trip_for_turkish_words(word: str) -> None:
    assert tr_lower(tr_upper(word)) == word
    assert tr_upper(tr_lower(tr_upper(word))) == tr_upper(word)


@given(st.text().filter(lambda s: COMBINING_DOT not in s))
def test_case_mapping_never_produces_combining_dot(s: str) -> None:
    assert COMBINING_DOT not in tr_lower(s)
    assert COMBINING_DOT not in tr_upper(s)
    assert COMBINING_DOT not in tr_title(s)


def test_tr_title() -> None:
    assert tr_title("İSTANBUL'DA BİR GÜN") == "İstanbul'da Bir Gün"
    assert tr_title("ılgaz-ıspir yolu") == "Ilgaz-Ispir Yolu"
    assert tr_title("izmir") == "İzmir"


# --- search keys ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded", "unfolded"),
    [
        ("IŞIK", "isik", "ışık"),
        ("ışık", "isik", "ışık"),
        ("isik", "isik", "isik"),
        ("İSTANBUL", "istanbul", "istanbul"),
        ("ıstanbul", "istanbul", "ıstanbul"),
        ("  Çağrı   Merkezi\t\n", "cagri merkezi", "çağrı merkezi"),
        ("Ankara'da", "ankarada", "ankarada"),
        ("Bilgi İşlem (Müdürlük)!", "bilgi islem mudurluk", "bilgi işlem müdürlük"),
        ("ali.veli@belediye.bel.tr", "ali.veli@belediye.bel.tr", "ali.veli@belediye.bel.tr"),
        ("PC-0042, 2026/15", "pc-0042 2026/15", "pc-0042 2026/15"),
        ("Hâkim Kâtip Millî Kurûş", "hakim katip milli kurus", "hâkim kâtip millî kurûş"),
        ("Straße", "strasse", "strasse"),
    ],
)
def test_search_key_examples(text: str, folded: str, unfolded: str) -> None:
    assert search_key(text) == folded
    assert search_key(text, ascii_fold=False) == unfolded


def test_search_key_decomposed_input() -> None:
    assert search_key("I" + COMBINING_DOT + "ZMİR") == "izmir"
    assert search_key("i" + COMBINING_DOT + "zmir", ascii_fold=False) == "izmir"
    assert search_key("S\u0327EKER", ascii_fold=False) == "şeker"  # decomposed Ş composes under NFC


@pytest.mark.parametrize("ascii_fold", [True, False])
@given(s=st.text())
def test_search_key_is_idempotent(s: str, ascii_fold: bool) -> None:
    key = search_key(s, ascii_fold=ascii_fold)
    assert search_key(key, ascii_fold=ascii_fold) == key


@pytest.mark.parametrize("ascii_fold", [True, False])
@given(s=st.text())
def test_search_key_is_case_insensitive(s: str, ascii_fold: bool) -> None:
    key = search_key(s, ascii_fold=ascii_fold)
    assert search_key(tr_upper(s), ascii_fold=ascii_fold) == key
    assert search_key(tr_lower(s), ascii_fold=ascii_fold) == key


@pytest.mark.parametrize("ascii_fold", [True, False])
@given(s=st.text())
def test_search_key_never_contains_combining_dot_or_edge_space(s: str, ascii_fold: bool) -> None:
    key = search_key(s, ascii_fold=ascii_fold)
    assert COMBINING_DOT not in key
    assert key == key.strip()
    assert "  " not in key


@given(tr_text)
def test_folded_key_of_turkish_text_is_ascii(s: str) -> None:
    assert search_key(s).isascii()


@given(tr_words)
def test_folded_key_matches_ascii_typing(word: str) -> None:
    # A user without a Turkish keyboard types the ASCII look-alike letters.
    ascii_typed = word.translate(str.maketrans("çğışöü", "cgisou"))
    assert search_key(tr_upper(word)) == search_key(ascii_typed)


def test_search_terms() -> None:
    assert search_terms("  IŞIK   ağı ışık ") == ["isik", "agi"]
    assert search_terms("Ankara'da yazıcı.") == ["ankarada", "yazici"]
    assert search_terms("PC-0042 - ali@x.tr") == ["pc-0042", "ali@x.tr"]
    assert search_terms("ışık", ascii_fold=False) == ["ışık"]
    assert search_terms(" ,;! ") == []


@given(tr_text, tr_text)
def test_search_terms_match_the_stored_key(stored: str, extra: str) -> None:
    # Every term of a query built from the stored text is a substring of its key, so LIKE %term% matches.
    key = search_key(stored + " " + extra)
    for term in search_terms(stored):
        assert term in key


# --- slugs and sorting ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Işık Ağı Ünitesi", "ışık-ağı-ünitesi"),
        ("İSTANBUL", "istanbul"),
        ("  Bilgi İşlem -- Müdürlüğü! ", "bilgi-işlem-müdürlüğü"),
        ("Ankara'da Toplantı", "ankarada-toplantı"),
        ("ağ_yönetimi/2026", "ağ-yönetimi-2026"),
        ("Café Ωmega", "café-ωmega"),
        ("?!", ""),
    ],
)
def test_tr_slugify_examples(text: str, slug: str) -> None:
    assert tr_slugify(text) == slug


@given(st.text())
def test_tr_slugify_properties(s: str) -> None:
    slug = tr_slugify(s)
    assert COMBINING_DOT not in slug
    assert tr_slugify(slug) == slug
    assert not slug.startswith("-")
    assert not slug.endswith("-")
    assert "--" not in slug
    assert " " not in slug


def test_tr_sort_key_orders_turkish_alphabet() -> None:
    words = ["çay", "cam", "ımsak", "inci", "zil", "şeker", "sarı"]
    assert sorted(words, key=tr_sort_key) == ["cam", "çay", "ımsak", "inci", "sarı", "şeker", "zil"]


def test_tr_sort_key_is_case_insensitive_and_handles_circumflex() -> None:
    words = ["Zeytin", "ılık", "IRMAK", "İnce", "Öykü", "oda", "Ülke", "ucuz", "ğ", "Gül", "kâğıt", "kağıt", "kahve"]
    assert sorted(words, key=tr_sort_key) == [
        "Gül",
        "ğ",
        "ılık",
        "IRMAK",
        "İnce",
        "kağıt",
        "kâğıt",
        "kahve",
        "oda",
        "Öykü",
        "ucuz",
        "Ülke",
        "Zeytin",
    ]


def test_tr_sort_key_digits_and_spaces_first() -> None:
    assert sorted(["b", "a2", "a10", "a b", "ab"], key=tr_sort_key) == ["a b", "a10", "a2", "ab", "b"]


@given(tr_words)
def test_tr_sort_key_ignores_case(word: str) -> None:
    assert tr_sort_key(word)[0] == tr_sort_key(tr_upper(word))[0]


def test_collation_key_orders_names_in_the_turkish_alphabet() -> None:
    from biys.core.text import tr_collation_key

    names = ["Yılmaz", "Çağlar", "Ünal", "İnce", "Işık", "Demir", "Şahin", "Öztürk", "Cengiz", "Zeybek", "Ilgaz"]
    expected = ["Cengiz", "Çağlar", "Demir", "Ilgaz", "Işık", "İnce", "Öztürk", "Şahin", "Ünal", "Yılmaz", "Zeybek"]
    assert sorted(names, key=tr_collation_key) == expected
    assert tr_collation_key("ali veli") < tr_collation_key("aliveli")
    assert tr_collation_key("IŞIK") == tr_collation_key("ışık")
    assert set(tr_collation_key("Ağaç 12 & Co.")) <= set("0123456789")


@given(st.lists(st.text(alphabet="abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ ", max_size=12)))
def test_collation_key_agrees_with_the_python_sort_key(words: list[str]) -> None:
    from biys.core.text import tr_collation_key

    by_key = sorted(words, key=lambda w: (tr_sort_key(w)[0], w))
    by_string = sorted(words, key=lambda w: (tr_collation_key(w), tr_sort_key(w)[0], w))
    assert [tr_sort_key(w)[0] for w in by_key] == [tr_sort_key(w)[0] for w in by_string]
