"""Form helpers of the generic base."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_listed_model_choices_are_read_once_without_a_cursor(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from django import forms

    from biys.core.forms import FastSelect, ListedModelChoiceField
    from biys.core.testing import make_unit
    from biys.org.models import Unit

    units = [make_unit(name) for name in ("Bilgi İşlem", "Fen İşleri")]

    class UnitForm(forms.Form):
        unit = ListedModelChoiceField(queryset=Unit.objects.order_by("name"), widget=FastSelect)

    form = UnitForm(initial={"unit": units[1].pk})
    with django_assert_num_queries(1) as captured:  # drawn, then listed again: one plain query
        html = str(form["unit"])
        assert [label for _value, label in form.fields["unit"].choices] == ["---------", "Bilgi İşlem", "Fen İşleri"]
    assert f'<option value="{units[1].pk}" selected>Fen İşleri</option>' in html
    assert not captured.captured_queries[0]["sql"].startswith("DECLARE")
