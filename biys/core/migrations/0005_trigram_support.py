"""PostgreSQL: the pg_trgm extension, so `search_key LIKE '%term%'` can use GIN trigram indexes.

Creating an extension needs a privileged role. When the application's role may not, the migration
skips it with a notice and searches stay correct, only slower: ask the DBA to run
`CREATE EXTENSION pg_trgm;` once and re-run `biys migrate` (see docs/operations.md).
"""

from django.db import migrations, transaction


def enable_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as exc:  # noqa: BLE001 - any refusal only costs speed
            print(f"  pg_trgm not enabled ({exc.__class__.__name__}); Turkish search works without it, slower.")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_changelog_list_indexes")]

    operations = [migrations.RunPython(enable_trigrams, migrations.RunPython.noop)]
