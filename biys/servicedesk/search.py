"""Turkish full-text search over tickets: every term must occur in the ticket's stored folded search key.

The search key (``Ticket.search_source()`` through ``biys.core.text.search_key``) holds the reference,
subject, description and requester, Turkish-folded: "YAZICI", "yazıcı" and "yazici" are the same term.

- A term that is a ticket reference ("2026-000123", "#2026-000123") finds that ticket by its number.
- Results come newest first (by id, the order of the ticket numbers) unless the caller ordered them.
- PostgreSQL: ``search_key LIKE '%term%'`` per term, served by a pg_trgm GIN index (migration 0002).
- SQLite: an FTS5 table with the trigram tokenizer over the same column (external content, kept in step
  by triggers; migration 0002) finds the tickets holding every term of three or more characters; shorter
  terms ("ağ" → "ag") are checked with ``LIKE`` on those candidates. Without FTS5 (an SQLite built
  without it) every term is a ``LIKE``: the same answers, only slower.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from biys.core.text import search_terms

MAX_TERMS = 8
FTS_TABLE = "servicedesk_ticket_fts"
TICKET_TABLE = "servicedesk_ticket"
REFERENCE_TERM = re.compile(r"#?(\d{4})-(\d{6})")
TRIGRAM = 3  # FTS5's trigram tokenizer matches substrings of at least three characters

# SQLite: the index and the triggers that keep it in step with the tickets' search keys. An update
# re-indexes a ticket only when its key changed (a status change does not touch the index).
SQLITE_INDEX = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS servicedesk_ticket_fts USING fts5("
    "search_key, content='servicedesk_ticket', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS servicedesk_ticket_fts_insert AFTER INSERT ON servicedesk_ticket BEGIN "
    "INSERT INTO servicedesk_ticket_fts(rowid, search_key) VALUES (new.id, new.search_key); END",
    "CREATE TRIGGER IF NOT EXISTS servicedesk_ticket_fts_delete AFTER DELETE ON servicedesk_ticket BEGIN "
    "INSERT INTO servicedesk_ticket_fts(servicedesk_ticket_fts, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); END",
    "CREATE TRIGGER IF NOT EXISTS servicedesk_ticket_fts_update AFTER UPDATE OF search_key ON servicedesk_ticket "
    "WHEN old.search_key IS NOT new.search_key BEGIN "
    "INSERT INTO servicedesk_ticket_fts(servicedesk_ticket_fts, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); "
    "INSERT INTO servicedesk_ticket_fts(rowid, search_key) VALUES (new.id, new.search_key); END",
)
REBUILD = "INSERT INTO servicedesk_ticket_fts(servicedesk_ticket_fts) VALUES ('rebuild')"
OPTIMIZE = "INSERT INTO servicedesk_ticket_fts(servicedesk_ticket_fts) VALUES ('optimize')"
MATCHING = "SELECT rowid FROM servicedesk_ticket_fts WHERE servicedesk_ticket_fts MATCH %s"
SQLITE_TRIGGERS = (f"{FTS_TABLE}_insert", f"{FTS_TABLE}_delete", f"{FTS_TABLE}_update")

_fts_ready: dict[str, bool] = {}


def search_tickets(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    """``queryset`` narrowed to tickets matching every term of ``text`` (folded: "yazici" finds "YAZICI")."""
    terms = search_terms(text or "")[:MAX_TERMS]
    words = []
    for term in terms:
        reference = REFERENCE_TERM.fullmatch(term)
        if reference:
            queryset = queryset.filter(year=int(reference[1]), number=int(reference[2]))
        else:
            words.append(term)
    if not words:
        return queryset
    if not queryset.query.order_by and queryset.query.default_ordering:
        # Newest first by id, which is the model's own order (year, number) in one column: SQLite walks
        # the matching ids backwards and stops at the page instead of sorting every match.
        queryset = queryset.order_by("-pk")
    if _uses_fts(queryset.db):
        long = [term for term in words if len(term) >= TRIGRAM]
        if long:
            match = " AND ".join('"' + term.replace('"', '""') + '"' for term in long)
            queryset = queryset.filter(
                pk__in=RawSQL(MATCHING, (match,))  # noqa: S611 - the terms are a parameter
            )
        words = [term for term in words if len(term) < TRIGRAM]
    for term in words:
        queryset = queryset.filter(search_key__contains=term)
    return queryset


def _uses_fts(alias: str) -> bool:
    """SQLite with the FTS5 index of migration 0002 (checked once per database)."""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        return False
    name = str(connection.settings_dict["NAME"])
    if name not in _fts_ready:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
            _fts_ready[name] = cursor.fetchone() is not None
    return _fts_ready[name]


# --- the SQLite index (migration 0002, and repairs) -------------------------------------------------------------


def create_sqlite_index(connection: Any) -> bool:
    """Create the FTS5 index and its triggers and fill it from the tickets; False if SQLite has no FTS5."""
    from django.db import DatabaseError, transaction

    if connection.vendor != "sqlite":
        return False
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for statement in SQLITE_INDEX:
                cursor.execute(statement)
            cursor.execute(REBUILD)
    except DatabaseError as exc:  # no FTS5 or no trigram tokenizer (SQLite < 3.34): LIKE still answers
        print(f"  ticket search index not created ({exc}); searching works without it, slower.")
        return False
    _fts_ready.pop(str(connection.settings_dict["NAME"]), None)
    return True


def drop_sqlite_index(connection: Any) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for trigger in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    _fts_ready.pop(str(connection.settings_dict["NAME"]), None)


def ensure_sqlite_index(using: str = "default", **kwargs: Any) -> bool:
    """Recreate lost triggers and refill the index (a ``post_migrate`` receiver).

    SQLite cannot alter most columns in place: Django copies the ticket table into a new one, and the
    triggers of the old table go with it. Returns True when something had to be repaired.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master "
            "WHERE (type = 'table' AND name = %s) OR (type = 'trigger' AND tbl_name = %s)",
            [FTS_TABLE, TICKET_TABLE],
        )
        present = {row[0] for row in cursor.fetchall()}
    if FTS_TABLE not in present or all(trigger in present for trigger in SQLITE_TRIGGERS):
        return False
    return create_sqlite_index(connection)


def after_bulk_load() -> None:
    """Bench seeding: merge the index segments a million single-row inserts left behind (SQLite)."""
    from django.db import connection

    if _uses_fts(connection.alias):
        with connection.cursor() as cursor:
            cursor.execute(OPTIMIZE)
