"""The unit tree, kept per process: ids, names and paths of every unit in tree order.

Nearly every page reads it: the signed-in user's unit path (row scoping), the unit choices of the list
filters (hundreds of units), the ids of a filtered subtree. A municipality has a few hundred units and edits
its tree a few times a year, so each process keeps one copy (:class:`core.caching.VersionedValue`): a unit's
save or delete renews the shared version when it commits and every process reads the tree again on its next
request. A change made with SQL applies within ``MAX_AGE`` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from biys.core.caching import VersionedValue

VERSION_KEY = "biys:org:tree"
MAX_AGE = 60.0


@dataclass(frozen=True)
class UnitTree:
    rows: tuple[tuple[int, str, str, bool], ...] = ()  # (id, name, path, is_active) in path order
    paths: dict[int, str] = field(default_factory=dict)

    def choices(self, *, active_only: bool = False) -> list[tuple[int, str]]:
        return [(pk, name) for pk, name, _path, active in self.rows if active or not active_only]

    def path_of(self, unit_id: Any) -> str | None:
        try:
            return self.paths.get(int(unit_id))
        except (TypeError, ValueError):
            return None

    def subtree_ids(self, path: str) -> list[int]:
        """The ids of the unit at ``path`` and every unit below it (rows are in path order)."""
        return [pk for pk, _name, unit_path, _active in self.rows if unit_path.startswith(path)]


def _load() -> UnitTree:
    from biys.org.models import Unit

    rows = tuple(Unit.objects.order_by("path").values_list("pk", "name", "path", "is_active"))
    return UnitTree(rows=rows, paths={pk: path for pk, _name, path, _active in rows})


_tree: VersionedValue[UnitTree] = VersionedValue(VERSION_KEY, MAX_AGE)


def current() -> UnitTree:
    return _tree.get(_load)


def changed() -> None:
    _tree.changed()


def connect() -> None:
    from biys.org.models import Unit

    _tree.watch(Unit)
