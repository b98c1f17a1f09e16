from typing import Any

from django.db import migrations

# The asset list is ordered by entry year and sequence (Asset.Meta.ordering, newest first). Without an
# index on that order every page of an unfiltered or kind-filtered list sorts the whole register: on
# 500,000 assets 0.9 s (SQLite) for the first page, 1.5 s for the fifth, 0.24 s for one kind. With these
# indexes the database walks the index backwards and stops after 50 rows: 2 ms and 10 ms (bench/inventory.py).
# Created with SQL, not Meta.indexes, so the model state (and makemigrations) is unchanged.
INDEXES = {
    "asset_year_sequence": ("entry_year", "sequence"),
    "asset_kind_year_sequence": ("kind_id", "entry_year", "sequence"),
}


def create(apps: Any, schema_editor: Any) -> None:
    quote = schema_editor.quote_name
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote('inventory_asset')} "
            f"({', '.join(quote(column) for column in columns)})"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    """Indexes for the asset list's default order (issue budget: 500,000 assets, a page in ≤ 100 ms)."""

    dependencies = [("inventory", "0002_asset_search_trigrams")]

    operations = [migrations.RunPython(create, drop)]
