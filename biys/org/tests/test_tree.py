"""The unit tree kept per process: read once, read again after any unit is saved, moved or deleted."""

from __future__ import annotations

from typing import Any

import pytest

from biys.core.models import user_unit_path
from biys.core.testing import make_unit, make_user
from biys.org import tree
from biys.org.filtersets import unit_choices
from biys.org.models import Unit
from biys.users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def units() -> dict[str, Unit]:
    root = make_unit("Belediye", code="ROOT")
    it = make_unit("Bilgi İşlem", parent=root, code="BIM")
    support = make_unit("Teknik Destek", parent=it, code="TD")
    roads = make_unit("Fen İşleri", parent=root, code="FEN")
    return {"root": root, "it": it, "support": support, "roads": roads}


def test_choices_subtrees_and_a_users_path_need_no_query(
    units: dict[str, Unit], django_assert_num_queries: Any
) -> None:
    user = User.objects.get(pk=make_user("ayse", unit=units["support"]).pk)  # its unit is not loaded
    tree.current()
    with django_assert_num_queries(0):
        assert unit_choices() == [
            (units[name].pk, units[name].name) for name in ("root", "it", "support", "roads")
        ]  # in tree order
        assert set(tree.current().subtree_ids(units["it"].path)) == {units["it"].pk, units["support"].pk}
        assert user_unit_path(user) == units["support"].path


def test_a_moved_unit_moves_its_subtree_at_once(units: dict[str, Unit]) -> None:
    tree.current()
    units["it"].parent = units["roads"]
    units["it"].save()
    moved = Unit.objects.get(pk=units["support"].pk).path
    assert moved.startswith(Unit.objects.get(pk=units["roads"].pk).path)
    assert tree.current().path_of(units["support"].pk) == moved
    assert set(tree.current().subtree_ids(units["roads"].path)) == {
        units["roads"].pk,
        units["it"].pk,
        units["support"].pk,
    }


def test_a_new_unit_is_a_choice_at_once_and_renews_the_version_on_commit(
    units: dict[str, Unit], django_capture_on_commit_callbacks: Any
) -> None:
    tree.current()
    version = tree._tree.version.current()
    with django_capture_on_commit_callbacks(execute=True):
        archive = make_unit("Arşiv", parent=units["root"], code="ARS")
        assert (archive.pk, "Arşiv") in unit_choices()
    assert tree._tree.version.current() != version


def test_a_unit_loaded_on_the_user_is_used_as_it_is(units: dict[str, Unit]) -> None:
    user = make_user("ayse", unit=units["support"])
    user.unit.path = "kept-on-the-object."
    assert user_unit_path(user) == "kept-on-the-object."
