"""A copy of the whole test database, taken once after the demo is loaded and put back before each test.

Browser tests need ``transaction=True`` (the live server thread reads what the test thread wrote), so
pytest-django empties every table after each test. Loading the demo municipality again costs seconds (tens of
seconds on a busy PostgreSQL); putting back a byte-exact copy costs milliseconds. The copy is taken right after
``load_demo()``, so every test starts from exactly the rows the loader wrote.

- SQLite: the sqlite3 backup API copies the database file or in-memory database page by page.
- PostgreSQL: ``COPY … TO STDOUT`` per table, and back with ``COPY … FROM STDIN`` (text format: exact values).
  Django's foreign keys are ``DEFERRABLE INITIALLY DEFERRED``, so inside one transaction the order of the
  tables does not matter; sequences are then set past the restored ids.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction


def take() -> Any:
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.ensure_connection()
        connection.connection.backup(copy)
        return copy
    tables: dict[str, bytes] = {}
    with connection.cursor() as cursor:
        for table in _tables():
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
                tables[table] = b"".join(bytes(chunk) for chunk in copy)
    return tables


def restore(snapshot: Any) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        snapshot.backup(connection.connection)
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in _tables():
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - Django's own names
            for table, data in snapshot.items():
                if data:
                    with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} FROM STDIN") as copy:
                        copy.write(data)
            models = apps.get_models(include_auto_created=True)
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    # Content types were recreated with new ids by the flush's post_migrate; forget the cached ones.
    ContentType.objects.clear_cache()


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
