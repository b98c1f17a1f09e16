"""Translation checks without GNU gettext at run time.

``python -m biys.core.i18n check``: every msgid in locale/tr has a non-fuzzy Turkish msgstr, the
compiled .mo matches the .po, and (when xgettext is available) the .po holds every msgid the
source uses. ``python -m biys.core.i18n compile`` writes the .mo with polib.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "tr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def untranslated(po: polib.POFile) -> list[str]:
    return [
        entry.msgid for entry in po if entry.msgid and (not entry.translated() or entry.fuzzy) and not entry.obsolete
    ]


def source_msgids() -> set[str] | None:
    """The msgids makemessages would extract now, or None when gettext is not installed."""
    if shutil.which("xgettext") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "biys"
        shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns("static", "__pycache__", "locale"))
        (target / "locale").mkdir()
        subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "-l", "tr", "--no-location", "--no-wrap"],
            cwd=target,
            check=True,
            capture_output=True,
            env={
                "DJANGO_SETTINGS_MODULE": "biys.test_settings",
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(ROOT.parent),
            },
        )
        fresh = polib.pofile(str(target / "locale" / "tr" / "LC_MESSAGES" / "django.po"))
        return {entry.msgid for entry in fresh if entry.msgid}


# makemessages extracts _(), gettext(), pgettext() …, not an alias such as `gettext as _t`: strings behind
# another name would never reach django.po, and the check below could not see them missing.
_ALIAS = re.compile(r"^from django\.utils\.translation import .*\b(?:n|p|np)?gettext(?:_lazy)? as (?!_\b)(\w+)", re.M)


def hidden_aliases() -> list[str]:
    """``file: alias`` for every translation function imported under a name makemessages does not know."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        for match in _ALIAS.finditer(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(ROOT.parent)}: {match[1]}")
    return found


def check() -> int:
    po = polib.pofile(str(PO))
    problems = [f"untranslated: {msgid!r}" for msgid in untranslated(po)]
    problems += [f"translation function under an unknown name (use _ or its own name): {a}" for a in hidden_aliases()]
    known = {entry.msgid for entry in po if not entry.obsolete}
    wanted = source_msgids()
    if wanted is not None:
        problems += [f"missing from django.po (run `make messages`): {msgid!r}" for msgid in sorted(wanted - known)]
    # keyed on (context, msgid): one msgid may carry different translations in different contexts
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(MO))} if MO.exists() else {}
    expected = {(e.msgctxt, e.msgid): e.msgstr for e in po if e.translated() and not e.fuzzy and e.msgid}
    if compiled != expected:
        problems.append("django.mo is out of date (run `python -m biys.core.i18n compile`)")
    for problem in problems:
        print(problem)
    print(f"{len(known)} messages, {len(problems)} problems")
    return 1 if problems else 0


def compile_mo() -> int:
    polib.pofile(str(PO)).save_as_mofile(str(MO))
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    sys.exit(compile_mo() if command == "compile" else check())
