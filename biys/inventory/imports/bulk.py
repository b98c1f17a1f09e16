"""Fast multi-row inserts for the bulk paths (asset import, agents' installations).

``QuerySet.bulk_create`` compiles every value through the SQL compiler (about 5 µs per value: an
asset has 40 columns); ``insert`` sends the rows with ``changelog.insert_rows`` instead and converts
only the values the driver cannot take as they are (dates, decimals, JSON …) with the field's own
``get_db_prep_save``, so the stored rows are the same. The rows of one call share one creation time
(``auto_now``/``auto_now_add`` fields), converted once. Like ``bulk_create`` it sends no signals:
callers log the rows with ``changelog.log_created``. Primary keys are then read back by a unique key
of the rows, which works on every database without relying on RETURNING order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

from biys.core import changelog

CHUNK = 500  # keys per lookup query (SQLite's parameter limit is 999)
_PLAIN = (str, int, bool, float)


def insert(objects: Sequence[models.Model], key: str | tuple[str, ...], **scope: Any) -> None:
    """INSERT ``objects`` (all of one model, without primary keys) and set their ``pk`` from ``key``: a
    unique field, or fields unique together within ``scope`` (e.g. ``("software", "version")`` within
    ``asset_id=…``)."""
    if not objects:
        return
    model = type(objects[0])
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the ``connection`` proxy costs a lookup per use
    # auto_now(_add) fields: their pre_save runs once (on the first row) and every row gets that value.
    stamped: dict[str, Any] = {}
    for field in fields:
        if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
            value = field.pre_save(objects[0], True)
            for obj in objects:
                setattr(obj, field.attname, value)
            stamped[field.attname] = field.get_db_prep_save(value, db)
    # Per field: (attname, converted value shared by all rows or None, the field when its own pre_save must
    # run — a file field, say — else None, the field). A date field's pre_save only does auto_now.
    plan = [
        (
            field.attname,
            stamped.get(field.attname),
            None if type(field).pre_save is models.Field.pre_save or isinstance(field, models.DateField) else field,
            field,
        )
        for field in fields
    ]
    rows = []
    for obj in objects:
        row = []
        for attname, constant, own_pre_save, field in plan:
            if constant is not None:
                row.append(constant)
                continue
            value = own_pre_save.pre_save(obj, True) if own_pre_save is not None else getattr(obj, attname)
            if value is not None and type(value) not in _PLAIN:
                value = field.get_db_prep_save(value, db)
            row.append(value)
        rows.append(row)
    changelog.insert_rows(meta.db_table, [str(field.column) for field in fields], rows)
    _read_keys(model, objects, key, scope)


def _read_keys(
    model: type[models.Model], objects: Sequence[models.Model], key: str | tuple[str, ...], scope: dict[str, Any]
) -> None:
    names = (key,) if isinstance(key, str) else key
    attnames = [model._meta.get_field(name).attname for name in names]
    by_key = {tuple(getattr(obj, attname) for attname in attnames): obj for obj in objects}
    if len(by_key) != len(objects):
        raise ValueError(f"insert(): {key} is not unique among the rows")
    if scope:  # a scope is small (one asset's installations): all its rows in one plain query
        lookups = [model._base_manager.filter(**scope)]
    else:
        first = sorted({values[0] for values in by_key})
        manager = model._base_manager
        lookups = [
            manager.filter(**{f"{attnames[0]}__in": first[start : start + CHUNK]})
            for start in range(0, len(first), CHUNK)
        ]
    for rows in lookups:
        for *values, pk in rows.values_list(*attnames, "pk"):
            obj = by_key.get(tuple(values))
            if obj is not None:
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = DEFAULT_DB_ALIAS
