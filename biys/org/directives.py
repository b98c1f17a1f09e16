"""Parse a Turkish municipal duty directive (yönerge / yönetmelik) into citable duty items.

Why: issues, job descriptions and audits cite duties as "Mersin md. 7/2-f" or "Nizip md. 12/24". The
directives only exist as PDF-to-Markdown text, so this module turns that text into stable, unique
references with the duty text and the unit it belongs to. It is pure Python (no Django) so it can run
in management commands, migrations and tests alike.

Shape understood (general, not tied to one municipality):

* An article starts on a line beginning with ``MADDE N`` (dash optional, ``(1)`` may follow on the same
  line). The non-blank "title-like" lines right above it (short, capitalised, no trailing punctuation)
  are its preamble; the closest one is the article title (e.g. "Teknik Servis Birim Personellerinin
  Görev, Yetki Ve Sorumlulukları").
* ``(k)`` lines are paragraphs when the article also has lettered items or when ``(1)`` sits on the MADDE
  line (Mersin style); otherwise they are numbered items (Nizip style). ``a)`` … ``z)`` lines are items.
* Any other line continues the previous item, across blank lines and page breaks; ``N)`` sub-items
  (e.g. a unit list) are kept inside their parent item. Unnumbered lead-in prose of an article that has
  items is context (and becomes the heading when it ends with ":"), not a duty of its own.
* Page headers — all-uppercase blocks that start with "T.C.", repeat, or equal the document title —
  are dropped, so an item broken by a page header is joined back together.
* ``đ``/``Đ`` are PDF encoding artifacts for ``ğ``/``Ğ`` and are normalised.

Refs (unique within one parsed text):

* ``md. 6/ı`` — lettered item when the article has no paragraph other than (1);
  ``md. 7/2-f`` — lettered item of paragraph 2; ``md. 10/2`` — a paragraph without items;
  ``md. 12/24`` — numbered item; ``md. 16`` — an article that is plain prose.
* A letter repeated inside one paragraph (a typo such as two ``i)``) gets ``-2``: ``md. 7/1-i-2``.
* An article number used by several emitted articles keeps the plain number for the first one that has
  items; the others get their position among the duplicates, e.g. the second Nizip ``MADDE 11``
  (Yazılım ve Ar-Ge) becomes ``md. 11(2)/4``. ``DutyItem.article`` stays the printed number ("11").
* Should malformed numbering still collide, the later ref gets ``~2``, ``~3`` (never seen in real texts).

``unit_hint`` comes from the heading ("X Şefliğinin görevleri şunlardır:" → "X Şefliği", "X Birim
Personellerinin Görev …" → "X Birimi", "Müdürün Görev …" → "Müdür"), else from the article title; provisions
naming no unit (common and final provisions) get the first unit named in the text — the directorate itself.

Articles whose title only names non-duty matter (see ``_SKIP_TERMS``: purpose, scope, legal basis,
definitions, principles, organisation chart, entry into force, execution, …) are skipped, so definition
lists never turn into duties. Item text is single-spaced with trailing ",", ";" and "." stripped.
"""

# Turkish text is the subject matter here, so dotless "ı" and en dashes are intended, not confusables.
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_ARTICLE_RE = re.compile(r"^MADDE\s*(\d+)\s*[-–—.]?\s*(.*)$")
_NUMBER_RE = re.compile(r"^\((\d+)\)\s*(.*)$")
_LETTER_RE = re.compile(r"^([a-zçğıöşü])\)\s*(.*)$")
_LEADING_MARKUP_RE = re.compile(r"^(?:[-*+]\s+|#+\s*)+")
_MOJIBAKE = str.maketrans({"đ": "ğ", "Đ": "Ğ"})
# "Şefliği" + "nin" (compound noun already carrying a possessive vowel) vs "Müdür" + "ün" (bare noun).
_POSSESSED_GENITIVE_RE = re.compile(r"(.+[ıiuü])n[ıiuü]n")
_BARE_GENITIVE_RE = re.compile(r"(.+[^aeıioöuü])[ıiuü]n")
_MAX_TITLE_LENGTH = 150
_UNIT_TRIGGERS = ("görev", "yetki", "sorumlu")
# Title terms of articles that carry no duties; a title is skipped when every part of it ends with one.
_PRELIMINARY_TERMS = ("amaç", "kapsam", "dayanak", "tanımlar", "kısaltmalar", "ilkeler")
_STRUCTURE_TERMS = ("kuruluş", "teşkilat", "teşkilat yapısı", "bağlılık", "organizasyon şeması")
_FINAL_TERMS = ("hüküm bulunmayan haller", "yer almayan hususlar", "yürürlük", "yürütme")
_SKIP_TERMS = (*_PRELIMINARY_TERMS, *_STRUCTURE_TERMS, *_FINAL_TERMS)


@dataclass(frozen=True)
class DutyItem:
    """One citable duty: a lettered/numbered item, an item-less paragraph, or a prose-only article."""

    ref: str
    article: str
    paragraph: str
    item: str
    heading: str
    unit_hint: str
    text: str


@dataclass
class _Article:
    number: str
    title: str
    lines: list[str]


@dataclass
class _Node:
    kind: str  # "num" for "(k)", "letter" for "a)"
    label: str
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return _finish(" ".join(self.parts))


@dataclass
class _Draft:
    local: str  # ref part after the article, e.g. "2-f"; "" for a prose-only article
    paragraph: str
    item: str
    heading: str
    text: str


def parse_directive(text: str, source: str) -> list[DutyItem]:
    """Return the duty items of ``text`` in document order; ``source`` prefixes every ref ("Mersin")."""
    articles = [a for a in _split_articles(_drop_page_headers(_clean_lines(text))) if not _is_non_duty(a.title)]
    drafts = [_article_drafts(article) for article in articles]
    emitting = [(a, d) for a, d in zip(articles, drafts, strict=True) if d]
    labels = _article_labels([(a.number, any(draft.item for draft in d)) for a, d in emitting])
    units = [[_unit_from(d.heading) or _unit_from(a.title) for d in ds] for a, ds in emitting]
    fallback = next((unit for group in units for unit in group if unit), "")
    items: list[DutyItem] = []
    seen: set[str] = set()
    for (article, article_drafts), label, unit_group in zip(emitting, labels, units, strict=True):
        for draft, unit in zip(article_drafts, unit_group, strict=True):
            ref = _unique(f"{source} md. {label}" + (f"/{draft.local}" if draft.local else ""), seen)
            items.append(
                DutyItem(ref, article.number, draft.paragraph, draft.item, draft.heading, unit or fallback, draft.text)
            )
    return items


def _unique(ref: str, seen: set[str]) -> str:
    """Last-resort guard for malformed numbering the structural rules cannot tell apart."""
    candidate, counter = ref, 1
    while candidate in seen:
        counter += 1
        candidate = f"{ref}~{counter}"
    seen.add(candidate)
    return candidate


def _clean_lines(text: str) -> list[str]:
    """Strip Markdown emphasis, headings and bullets, which the PDF conversion sprinkles inconsistently."""
    text = text.translate(_MOJIBAKE).replace("**", "")
    return [_LEADING_MARKUP_RE.sub("", " ".join(raw.split())) for raw in text.splitlines()]


def _drop_page_headers(lines: list[str]) -> list[str]:
    """Blank out repeated page headers so items split by a page break read as one."""
    blocks: list[tuple[int, int]] = []
    start = None
    for index, line in enumerate([*lines, ""]):
        if line and start is None:
            start = index
        elif not line and start is not None:
            blocks.append((start, index))
            start = None
    texts = [" ".join(lines[begin:end]) for begin, end in blocks]
    counts = Counter(texts)
    title = texts[0] if texts else ""
    cleaned = list(lines)
    for (begin, end), joined in zip(blocks, texts, strict=True):
        if _is_header_block(lines[begin:end], joined) and (
            counts[joined] > 1 or joined == title or joined.startswith("T.C.")
        ):
            cleaned[begin:end] = [""] * (end - begin)
    return cleaned


def _is_header_block(block: list[str], joined: str) -> bool:
    has_marker = any(_ARTICLE_RE.match(line) or _NUMBER_RE.match(line) for line in block)
    return not has_marker and any(c.isalpha() for c in joined) and not any(c.islower() for c in joined)


def _is_title_like(line: str) -> bool:
    """Headings are short, capitalised and unpunctuated at the end; item text and prose are not."""
    if _ARTICLE_RE.match(line) or _NUMBER_RE.match(line) or _LETTER_RE.match(line):
        return False
    return len(line) <= _MAX_TITLE_LENGTH and line[0].isupper() and line[-1] not in ",;:."


def _preamble_start(lines: list[str], index: int, floor: int) -> int:
    """Index of the first heading line directly above line ``index`` (``index`` itself when none)."""
    start = index
    cursor = index - 1
    while cursor >= floor and (not lines[cursor] or _is_title_like(lines[cursor])):
        if lines[cursor]:
            start = cursor
        cursor -= 1
    return start


def _split_articles(lines: list[str]) -> list[_Article]:
    """Cut the text at MADDE lines; headings above the next MADDE belong to the next article."""
    starts = [(index, match) for index, line in enumerate(lines) if (match := _ARTICLE_RE.match(line))]
    articles: list[_Article] = []
    previous = 0
    for position, (start, match) in enumerate(starts):
        preamble = [line for line in lines[_preamble_start(lines, start, previous) : start] if line]
        following = starts[position + 1][0] if position + 1 < len(starts) else None
        end = len(lines) if following is None else _preamble_start(lines, following, start + 1)
        body = [match.group(2), *lines[start + 1 : end]]
        articles.append(_Article(match.group(1), preamble[-1] if preamble else "", body))
        previous = start + 1
    return articles


def _is_non_duty(title: str) -> bool:
    parts = [part.strip() for part in re.split(r",| ve |&", _fold(title)) if part.strip()]
    return bool(parts) and all(part.endswith(_SKIP_TERMS) for part in parts)


def _parse_nodes(lines: list[str]) -> tuple[str, list[_Node]]:
    """Split an article body into its lead-in prose and its (k)/letter nodes, deduplicating labels."""
    intro: list[str] = []
    nodes: list[_Node] = []
    for line in lines:
        match = _NUMBER_RE.match(line) or _LETTER_RE.match(line)
        if match:
            kind = "num" if match.re is _NUMBER_RE else "letter"
            nodes.append(_Node(kind, match.group(1), [match.group(2)]))
        elif line:
            (nodes[-1].parts if nodes else intro).append(line)
    seen: Counter[tuple[str, str]] = Counter()
    scope = ""
    for node in nodes:
        key = (scope if node.kind == "letter" else "", node.label)
        seen[key] += 1
        if seen[key] > 1:
            node.label = f"{node.label}-{seen[key]}"
        scope = node.label if node.kind == "num" else scope
    return _finish(" ".join(intro)), nodes


def _article_drafts(article: _Article) -> list[_Draft]:
    intro, nodes = _parse_nodes(article.lines)
    if not nodes:
        return [_Draft("", "", "", article.title, intro)] if intro else []
    as_paragraphs = any(n.kind == "letter" for n in nodes) or bool(_NUMBER_RE.match(article.lines[0]))
    if as_paragraphs:
        return _paragraph_drafts(article.title, intro, nodes)
    heading = _heading(intro, article.title)
    return [_Draft(node.label, "", node.label, heading, node.text) for node in nodes]


def _paragraph_drafts(title: str, intro: str, nodes: list[_Node]) -> list[_Draft]:
    """Mersin-style articles: (k) are paragraphs, letters are items; item-less paragraphs are duties too."""
    groups: list[tuple[_Node | None, list[_Node]]] = []
    for node in nodes:
        if node.kind == "num":
            groups.append((node, []))
        elif groups:
            groups[-1][1].append(node)
        else:
            groups.append((None, [node]))
    # "md. 6/ı" rather than "md. 6/1-ı" when the letters cannot belong to any other paragraph.
    only_first = {para.label if para else "" for para, _ in groups} <= {"1"} or len(groups) == 1
    drafts: list[_Draft] = []
    for para, letters in groups:
        label = para.label if para else ""
        if para and not letters:
            drafts.append(_Draft(label, label, "", title or para.text, para.text))
            continue
        heading = _heading(para.text if para else intro, title)
        for letter in letters:
            local = letter.label if only_first or not label else f"{label}-{letter.label}"
            drafts.append(_Draft(local, label, letter.label, heading, letter.text))
    return drafts


def _heading(lead: str, title: str) -> str:
    """A lead-in ending in ':' names the list's owner ("… Şefliğinin görevleri şunlardır:")."""
    return lead if lead.endswith(":") or not title else title


def _article_labels(articles: list[tuple[str, bool]]) -> list[str]:
    """Ref bases for (number, has_items) pairs; repeated numbers are disambiguated by position."""
    positions: dict[str, list[int]] = {}
    for index, (number, _) in enumerate(articles):
        positions.setdefault(number, []).append(index)
    labels = [number for number, _ in articles]
    for number, indexes in positions.items():
        primary = next((index for index in indexes if articles[index][1]), indexes[0])
        for position, index in enumerate(indexes, start=1):
            if index != primary:
                labels[index] = f"{number}({position})"
    return labels


def _unit_from(heading: str) -> str:
    """Turn "X Şefliğinin görevleri …" / "X Birim Personellerinin Görev …" / "Müdürün Görev …" into X."""
    words = heading.split()
    for index, word in enumerate(words):
        if index and _fold(word).startswith(_UNIT_TRIGGERS):
            return _nominative(words[:index])
    return ""


def _nominative(words: list[str]) -> str:
    if _fold(words[-1]).startswith("personel"):
        words = words[:-1]
        if words and _fold(words[-1]) == "birim":
            words[-1] += "i"
        return " ".join(words)
    stem = _strip_genitive(words[-1])
    return " ".join([*words[:-1], stem]) if stem else ""


def _strip_genitive(word: str) -> str:
    """Drop the genitive suffix: "Şefliğinin" → "Şefliği", "Müdürün" → "Müdür", "Müdürlüğün" → "Müdürlük"."""
    if possessed := _POSSESSED_GENITIVE_RE.fullmatch(word):
        return possessed.group(1)
    if bare := _BARE_GENITIVE_RE.fullmatch(word):
        stem = bare.group(1)
        return stem[:-1] + "k" if stem.endswith("ğ") else stem
    return ""


def _fold(text: str) -> str:
    """Turkish-aware lowercase (Python maps "I" to "i" and "İ" to "i̇")."""
    return text.replace("I", "ı").replace("İ", "i").lower()


def _finish(text: str) -> str:
    return " ".join(text.split()).rstrip(" ,;.")
