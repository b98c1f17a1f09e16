"""Ticket search indexes (biys.servicedesk.search).

PostgreSQL: a pg_trgm GIN index on the tickets' search key, like the other search keys (skipped
without the extension). SQLite: an FTS5 table with the trigram tokenizer over the same column,
kept in step by triggers and filled from the tickets already there (skipped without FTS5).
"""

from django.db import migrations

from biys.core.trigram import trigram_index
from biys.servicedesk import search


def create_sqlite_index(apps, schema_editor):
    search.create_sqlite_index(schema_editor.connection)


def drop_sqlite_index(apps, schema_editor):
    search.drop_sqlite_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_initial"), ("core", "0005_trigram_support")]

    operations = [
        trigram_index("servicedesk_ticket", "ticket_search_trgm"),
        migrations.RunPython(create_sqlite_index, drop_sqlite_index),
    ]
