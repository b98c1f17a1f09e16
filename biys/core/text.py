"""Turkish-correct text handling: case mapping, search keys, slugs and sorting.

Python's ``str.lower``/``str.upper`` follow the locale-independent Unicode rules, which are wrong for Turkish:
``"I".lower()`` is ``"i"`` (Turkish: ``"ı"``) and ``"İ".lower()`` is ``"i̇"`` (``i`` + U+0307 COMBINING DOT ABOVE),
which then silently breaks every comparison and ``LIKE`` filter. Every case conversion of user-visible Turkish
text in BİYS must go through this module.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "search_key",
    "search_terms",
    "tr_lower",
    "tr_slugify",
    "tr_sort_key",
    "tr_title",
    "tr_upper",
]

_COMBINING_DOT_ABOVE = "\u0307"

# Decomposed forms first: "I" + U+0307 is the canonical decomposition of "İ", and "i" + U+0307 is what
# Python's own "İ".lower() produces; both mean the dotted i of the Turkish alphabet.
_DECOMPOSED_DOTTED_CAPITAL = "I" + _COMBINING_DOT_ABOVE
_DECOMPOSED_DOTTED_SMALL = "i" + _COMBINING_DOT_ABOVE

_LOWER_MAP = str.maketrans({"I": "ı", "İ": "i"})
# The fi/ffi ligatures are the only other code points whose uppercase contains "I"; their "i" is a dotted i,
# so Turkish rules make it "İ" (otherwise search_key(tr_upper("ﬁ")) would read "fı").
_UPPER_MAP = str.maketrans({"i": "İ", "ı": "I", "\ufb01": "Fİ", "\ufb03": "FFİ"})

# Folding used for stored search keys, so that users typing on a keyboard without Turkish letters still match.
_ASCII_FOLD_MAP = str.maketrans(
    {"ı": "i", "ş": "s", "ğ": "g", "ç": "c", "ö": "o", "ü": "u", "â": "a", "î": "i", "û": "u"},
)

# Apostrophes separate Turkish suffixes from proper nouns ("Ankara'da"); dropping them keeps the word whole so
# that "ankarada" and "Ankara'da" produce the same key.
_APOSTROPHES = frozenset("'\u2018\u2019\u02bc\u00b4`")
# Punctuation kept in search keys because it is meaningful inside codes users search for: e-mail addresses
# (@ . _), IP addresses and host names (. -), document and asset numbers ("2026/15", "PC-0042").
_KEY_KEEP = frozenset(".-/@_")
_TERM_EDGE_PUNCTUATION = "".join(sorted(_KEY_KEEP))

# Turkish alphabet order (TDK), with q, w, x slotted in their Latin positions for foreign words.
_TR_ALPHABET = "abcçdefgğhıijklmnoöpqrsştuüvwxyz"
_TR_RANK = {ch: rank for rank, ch in enumerate(_TR_ALPHABET)}
_DIGIT_BASE = -20  # digits sort before letters
_SPACE_WEIGHT = -30  # "ali veli" sorts before "aliveli", as in a printed index
_OTHER_BASE = 1_000

_TITLE_WORD_START = re.compile(r"(?:^|(?<=[\s\-/(\"\u201c]))(\w)")


def tr_lower(s: str) -> str:
    """Lowercase with Turkish rules (I→ı, İ→i); all other characters follow ``str.lower``."""
    s = s.replace(_DECOMPOSED_DOTTED_CAPITAL, "i")
    return s.translate(_LOWER_MAP).lower()


def tr_upper(s: str) -> str:
    """Uppercase with Turkish rules (i→İ, ı→I); all other characters follow ``str.upper``."""
    s = s.replace(_DECOMPOSED_DOTTED_SMALL, "İ")
    return s.translate(_UPPER_MAP).upper()


def _tr_title_char(ch: str) -> str:
    # str.title() gives the proper titlecase for digraphs and "ß" → "Ss"; only i/ı need the Turkish rule.
    return tr_upper(ch) if ch in "iı" else ch.title()


def tr_title(s: str) -> str:
    """Title case in Turkish style: "İSTANBUL'DA BİR GÜN" → "İstanbul'da Bir Gün".

    Unlike ``str.title`` a letter after an apostrophe is not capitalised, because in Turkish the apostrophe
    only separates a suffix.
    """
    return _TITLE_WORD_START.sub(lambda m: _tr_title_char(m.group(1)), tr_lower(s))


def _tr_casefold(s: str) -> str:
    # casefold (not lower) so that "ß"/"SS", "ς"/"Σ" and similar pairs give one key; the Turkish I/İ mapping
    # must happen first because casefold would turn "I" into "i".
    s = s.replace(_DECOMPOSED_DOTTED_CAPITAL, "i").replace(_DECOMPOSED_DOTTED_SMALL, "i")
    return s.translate(_LOWER_MAP).casefold()


def _strip_marks(s: str) -> str:
    """Drop combining marks left over after NFC (they cannot be typed in a search box)."""
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def _key_char(ch: str) -> str:
    if ch.isalnum() or ch in _KEY_KEEP:
        return ch
    if ch in _APOSTROPHES:
        return ""
    return " "


def search_key(s: str, ascii_fold: bool = True) -> str:
    """Return the normalised form of ``s`` stored next to searchable text and compared with ``LIKE``.

    Steps: NFC, Turkish case folding, optional ASCII folding of Turkish (and other accented Latin) letters,
    removal of combining marks, apostrophes removed, punctuation other than ``. - / @ _`` turned into spaces,
    whitespace collapsed and stripped. The function is idempotent.

    With ``ascii_fold`` "IŞIK", "ışık" and "isik" all give "isik"; without it they give "ışık", "ışık", "isik".
    """
    if ascii_fold:
        # Unicode's NFKC_Casefold recipe (casefold twice around NFKD, so compatibility characters such as
        # mathematical or fullwidth letters fold too) with the Turkish I/İ rule; dropping the marks of the
        # NFKD form also folds é, à, ñ ... to their base letters.
        s = _tr_casefold(unicodedata.normalize("NFKD", _tr_casefold(unicodedata.normalize("NFD", s))))
        s = _strip_marks(unicodedata.normalize("NFKD", s.translate(_ASCII_FOLD_MAP)))
    else:
        s = _tr_casefold(unicodedata.normalize("NFC", s))
    s = _strip_marks(unicodedata.normalize("NFC", s))
    s = "".join(_key_char(ch) for ch in s)
    # Removing characters can bring two composable characters together (e.g. Hangul jamo), hence a final NFC.
    return unicodedata.normalize("NFC", " ".join(s.split()))


def search_terms(query: str, ascii_fold: bool = True) -> list[str]:
    """Split a user query into distinct search-key terms, each to be AND-ed as ``key LIKE %term%``.

    Code punctuation at the edges of a term ("ali.", "-") is dropped because it comes from sentence
    punctuation, not from the thing searched for; terms that become empty are skipped.
    """
    terms: list[str] = []
    for raw in search_key(query, ascii_fold=ascii_fold).split():
        term = raw.strip(_TERM_EDGE_PUNCTUATION)
        if term and term not in terms:
            terms.append(term)
    return terms


def tr_slugify(s: str) -> str:
    """Like ``django.utils.text.slugify(allow_unicode=True)`` but with Turkish case rules.

    Slugs never lose "ı": "Işık Ağı Ünitesi" → "ışık-ağı-ünitesi". Apostrophes are removed ("Ankara'da" →
    "ankarada"), every other run of non-alphanumeric characters (including "_") becomes one "-", combining
    marks that do not compose under NFC are dropped, and leading/trailing dashes are stripped.
    """
    s = tr_lower(unicodedata.normalize("NFKC", s))
    s = _strip_marks(unicodedata.normalize("NFC", s))
    s = "".join("" if ch in _APOSTROPHES else ch for ch in s)
    s = re.sub(r"[\W_]+", "-", s)
    return unicodedata.normalize("NFC", s).strip("-")


def _primary_weight(ch: str) -> int:
    rank = _TR_RANK.get(ch)
    if rank is not None:
        return rank
    if ch.isspace():
        return _SPACE_WEIGHT
    if "0" <= ch <= "9":
        return _DIGIT_BASE + int(ch)
    # â, î, û and other accented letters sort with their base letter; the secondary key breaks the tie.
    base = unicodedata.normalize("NFD", ch)[:1]
    rank = _TR_RANK.get(base)
    return rank if rank is not None else _OTHER_BASE + ord(ch)


def tr_sort_key(s: str) -> tuple[tuple[int, ...], str, str]:
    """Sort key for Turkish alphabet order (a b c ç d e f g ğ h ı i j k l m n o ö p r s ş t u ü v y z).

    Case-insensitive at the primary level; ties are broken by the lowercased text (accents) and then the
    original text (case), so the order is total and deterministic.
    """
    lowered = unicodedata.normalize("NFC", tr_lower(" ".join(s.split())))
    return tuple(_primary_weight(ch) for ch in lowered), lowered, s


def tr_collation_key(s: str) -> str:
    """``tr_sort_key`` as a string of digits, to store in an indexed column and ORDER BY in SQL.

    Each character becomes two digits (space 00, digits 01-10, letters 11-42 in Turkish alphabet order,
    anything else 99). Digits compare the same under every database collation, so SQLite's BINARY and
    PostgreSQL's locale collations give the Turkish order without ICU.
    """
    out = []
    for weight in tr_sort_key(s)[0]:
        if weight == _SPACE_WEIGHT:
            out.append("00")
        elif weight < 0:
            out.append(f"{weight - _DIGIT_BASE + 1:02d}")
        elif weight < len(_TR_ALPHABET):
            out.append(f"{weight + 11:02d}")
        else:
            out.append("99")
    return "".join(out)
