"""Strings behind an unknown alias of gettext never reach django.po; the catalogue check must say so."""

from __future__ import annotations

from biys.core import i18n


def test_aliases_other_than_underscore_are_reported() -> None:
    source = (
        "from django.utils.translation import gettext as _t\n"
        "from django.utils.translation import gettext_lazy as _\n"
        "from django.utils.translation import pgettext_lazy as p_\n"
    )
    assert [m[1] for m in i18n._ALIAS.finditer(source)] == ["_t", "p_"]


def test_the_code_base_hides_no_strings_from_makemessages() -> None:
    assert i18n.hidden_aliases() == []
