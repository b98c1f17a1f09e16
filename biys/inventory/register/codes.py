"""The Taşınır Kod Listesi (TMY md. 4/1-p): reading the file as Turkish offices and the Bakanlık produce it,
and loading it (``load_codes``, used by ``biys import_tasinir_codes``).

The shipped 2017 snapshot is UTF-8 with ``,``; a list saved from Excel on a Turkish Windows is
Windows-1254 with ``;``. Both have the columns ``kod, duzey, ad`` (code, level, name).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core import changelog, context
from biys.core.models import ChangeLogEntry
from biys.core.text import search_key
from biys.inventory.models import TasinirCode

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "tasinir_kod_listesi_2017.csv"
DEFAULT_VERSION = "2017"
MAX_FILE_BYTES = 10 * 1024 * 1024

# Header names accepted for each column (folded with core.text.search_key).
_COLUMNS = {
    "code": ("kod", "taşınır kodu", "code"),
    "level": ("duzey", "düzey", "level"),
    "name": ("ad", "adı", "taşınır adı", "name"),
}


@dataclass(frozen=True)
class CodeRow:
    """One data row of a code list; ``line`` is its line number in the file (the header is line 1)."""

    line: int
    code: str
    level: str
    name: str


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes, else Windows-1254, the Turkish Windows code page."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1254")


def read_code_file(path: Path) -> list[CodeRow]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValidationError(_("The code list file is larger than 10 MB."))
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
    return parse_code_text(decode(data))


def parse_code_text(text: str) -> list[CodeRow]:
    """Rows of a ``kod, duzey, ad`` table; the delimiter (``,`` ``;`` or tab) is taken from the header."""
    lines = text.splitlines()
    header_line = lines[0] if lines else ""
    delimiter = max((";", ",", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise ValidationError(_("The code list file is empty."))
    positions = _column_positions(header)
    rows: list[CodeRow] = []
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        cells = [record[i].strip() if i < len(record) else "" for i in positions]
        rows.append(CodeRow(line=reader.line_num, code=cells[0], level=cells[1], name=" ".join(cells[2].split())))
    return rows


def _column_positions(header: list[str]) -> list[int]:
    folded = [search_key(cell) for cell in header]
    positions = []
    for column, names in _COLUMNS.items():
        keys = {search_key(name) for name in names}
        index = next((i for i, cell in enumerate(folded) if cell in keys), None)
        if index is None:
            raise ValidationError(
                _("Line 1: the header has no “%(column)s” column (expected: kod, duzey, ad).") % {"column": column}
            )
        positions.append(index)
    return positions


# --- Loading --------------------------------------------------------------

CODE_PATTERN = re.compile(r"^\d{3}(\.\d{2,3})*$")
NAME_LIMIT = TasinirCode._meta.get_field("name").max_length or 200
MAX_REPORTED_ERRORS = 20


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class _Code:
    line: int
    code: str
    level: int
    name: str

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None


def load_codes(rows: Iterable[CodeRow], version: str = DEFAULT_VERSION) -> LoadResult:
    """Make the stored list equal ``rows``: add new codes, update names and levels, deactivate codes
    missing from the list (never delete: assets and kinds keep pointing at them). One transaction;
    a bad row stops the whole load and is named by its line number.

    Reference data of ~3,300 rows is written in bulk (one save per row took >10 s on PostgreSQL), so
    the per-row signals do not fire: one summary change-log entry lists every code added, changed or
    deactivated instead (TMY md. 10/3).
    """
    checked = _check_rows(list(rows))
    result = LoadResult()
    with transaction.atomic():
        existing = {c.code: c for c in TasinirCode.objects.select_for_update().order_by("code")}
        stored: dict[str, TasinirCode] = {}
        changes = _CodeChanges()
        for level in sorted({row.level for row in checked}):
            new = []
            for row in (r for r in checked if r.level == level):
                parent = stored[row.parent_code] if row.parent_code else None
                obj = existing.get(row.code)
                stored[row.code] = (
                    _apply_row(obj, row, parent, version, changes) if obj else _new_code(row, parent, version)
                )
                if obj is None:
                    new.append(stored[row.code])
            TasinirCode.objects.bulk_create(new, batch_size=500)
            changes.created.extend(obj.code for obj in new)
        for code, obj in existing.items():
            if code not in stored and obj.is_active:
                obj.is_active = False
                changes.record(obj, {"is_active": True}, {"is_active": False})
        changes.write(version, result, unchanged=len(existing) - len(changes.updated))
    return result


@dataclass
class _CodeChanges:
    created: list[str] = field(default_factory=list)
    updated: dict[str, TasinirCode] = field(default_factory=dict)
    touched: dict[str, TasinirCode] = field(default_factory=dict)  # only the list version changed
    before: dict[str, dict[str, Any]] = field(default_factory=dict)
    after: dict[str, dict[str, Any]] = field(default_factory=dict)

    def record(self, obj: TasinirCode, before: dict[str, Any], after: dict[str, Any]) -> None:
        self.updated[obj.code] = obj
        self.before.setdefault(obj.code, {}).update(before)
        self.after.setdefault(obj.code, {}).update(after)

    def write(self, version: str, result: LoadResult, unchanged: int) -> None:
        now, user = timezone.now(), context.current_user()
        changed = {**self.touched, **self.updated}
        for obj in changed.values():
            obj.search_key = search_key(obj.search_source())
            obj.updated_at, obj.updated_by = now, user
        TasinirCode.objects.bulk_update(list(changed.values()), _CODE_FIELDS, batch_size=500)
        deactivated = [code for code, values in self.after.items() if values.get("is_active") is False]
        result.created, result.deactivated = len(self.created), len(deactivated)
        result.updated, result.unchanged = len(self.updated) - len(deactivated), unchanged
        if self.created or changed:
            changelog.append(
                ChangeLogEntry.Action.UPDATE,
                object_repr=f"Taşınır Kod Listesi {version}: +{result.created} ~{result.updated} -{result.deactivated}",
                before={"codes": self.before},
                after={"list_version": version, "added": self.created, "codes": self.after},
            )


_CODE_FIELDS = ["level", "name", "parent", "list_version", "is_active", "search_key", "updated_at", "updated_by"]


def _new_code(row: _Code, parent: TasinirCode | None, version: str) -> TasinirCode:
    user = context.current_user()
    obj = TasinirCode(
        code=row.code,
        level=row.level,
        name=row.name,
        parent=parent,
        list_version=version,
        created_by=user,
        updated_by=user,
    )
    obj.search_key = search_key(obj.search_source())
    return obj


def _apply_row(
    obj: TasinirCode, row: _Code, parent: TasinirCode | None, version: str, changes: _CodeChanges
) -> TasinirCode:
    wanted = {"level": row.level, "name": row.name, "parent_id": parent.pk if parent else None, "is_active": True}
    before = {name: getattr(obj, name) for name, value in wanted.items() if getattr(obj, name) != value}
    if before:
        for name, value in wanted.items():
            setattr(obj, name, value)
        changes.record(obj, before, {name: getattr(obj, name) for name in before})
    if obj.list_version != version:
        obj.list_version = version  # confirmed by the new list; the summary entry names the version
        changes.touched[obj.code] = obj
    return obj


def _check_rows(rows: list[CodeRow]) -> list[_Code]:
    """Every row's problems, named by line; nothing is written if there is one."""
    errors: list[str] = []
    checked: list[_Code] = []
    seen: dict[str, int] = {}
    for row in rows:
        problem = _row_problem(row, seen)
        if problem:
            errors.append(_("Row %(line)d (code “%(code)s”): %(problem)s") % {**_row(row), "problem": problem})
            continue
        seen[row.code] = row.line
        checked.append(_Code(row.line, row.code, int(row.level), _fit_name(row.name)))
    for code in checked:
        if code.parent_code and code.parent_code not in seen:
            message = _("its parent code %(parent)s is not in the list.") % {"parent": code.parent_code}
            errors.append(_("Row %(line)d (code “%(code)s”): %(problem)s") % {**_row(code), "problem": message})
    if not rows:
        errors.append(_("The code list has no rows."))
    if errors:
        more = len(errors) - MAX_REPORTED_ERRORS
        shown = errors[:MAX_REPORTED_ERRORS]
        if more > 0:
            shown.append(_("… and %(count)d more problems.") % {"count": more})
        raise ValidationError(shown)
    return checked


def _row(row: CodeRow | _Code) -> dict[str, Any]:
    return {"line": row.line, "code": row.code}


def _row_problem(row: CodeRow, seen: dict[str, int]) -> str:
    if not CODE_PATTERN.match(row.code):
        return _("the code must be digits in dotted groups, like 255.02.01.")
    if not row.level.isdigit():
        return _("the level “%(level)s” is not a number.") % {"level": row.level}
    segments = row.code.count(".") + 1
    if int(row.level) != segments:
        return _("the level is %(level)s but the code has %(segments)d levels.") % {
            "level": row.level,
            "segments": segments,
        }
    if row.code in seen:
        return _("the code also appears on row %(other)d.") % {"other": seen[row.code]}
    return ""


def _fit_name(name: str) -> str:
    # One official name (150.99.98) is longer than the column; keep its start and mark the cut.
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"


def nearest_code(code: str) -> TasinirCode | None:
    """The code itself if it is in force, else its nearest ancestor in force (the list changes over time)."""
    candidates = [code]
    while "." in code:
        code = code.rsplit(".", 1)[0]
        candidates.append(code)
    found = {c.code: c for c in TasinirCode.objects.filter(code__in=candidates, is_active=True)}
    return next((found[c] for c in candidates if c in found), None)
