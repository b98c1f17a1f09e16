"""Migration helper: a GIN trigram index on a search_key column, on PostgreSQL with pg_trgm only."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def trigram_index(table: str, name: str) -> migrations.RunPython:
    def create(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            if cursor.fetchone():
                cursor.execute(
                    f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("search_key" gin_trgm_ops)'
                )

    def drop(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop)
