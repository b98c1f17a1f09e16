"""Which database a bench process uses, creating or recreating it, and setting Django up on it.

The bench never touches the development database: it reads ``--database-url`` or
``BENCH_DATABASE_URL`` (never ``DATABASE_URL``) and defaults to ``var/bench.sqlite3``.
Everything here runs before ``django.setup()`` or around it, so it imports Django lazily.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{REPO / 'var' / 'bench.sqlite3'}"
# The seeder's root unit carries this code; a database holding it was made by the bench and may be replaced.
MARKER_CODE = "BENCH"


def resolve_url(explicit: str | None) -> str:
    return explicit or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL


def vendor(url: str) -> str:
    engine = dj_database_url.parse(url)["ENGINE"]
    return "postgresql" if engine.endswith("postgresql") else "sqlite"


def redacted(url: str) -> str:
    """The URL without its password, for reports."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def setup(url: str) -> None:
    """Point Django at the bench database (DEBUG off) and set it up; creates a missing PG database."""
    from django.conf import settings

    if settings.configured:
        raise RuntimeError("bench.config.setup() must run before Django is configured")
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"  # DEBUG=1 keeps every query in memory and distorts timings
    os.environ["SECURE_COOKIES"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    if vendor(url) == "postgresql":
        _create_pg_database(dj_database_url.parse(url), drop=False)
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def state() -> str:
    """ "empty" (nothing or only what migrations create), "bench" (made by the seeder) or "foreign".

    Safe before ``migrate``: it reads only tables and columns every schema version has.
    """
    from django.db import connection

    from biys.org.models import Staff, Unit
    from biys.users.models import User

    tables = set(connection.introspection.table_names())
    if not {"org_unit", "org_staff", "users_user"} <= tables:
        return "foreign" if tables - {"django_migrations"} else "empty"
    if Unit.objects.filter(code=MARKER_CODE).exists():
        return "bench"
    if Unit.objects.exists() or Staff.objects.exists() or User.objects.exists():
        return "foreign"
    return "empty"


def recreate(url: str) -> None:
    """Throw the bench database away and migrate a fresh one (faster than deleting 1M rows)."""
    from django.db import connections

    connections.close_all()
    if vendor(url) == "postgresql":
        _create_pg_database(dj_database_url.parse(url), drop=True)
    else:
        name = Path(dj_database_url.parse(url)["NAME"])
        for path in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
            path.unlink(missing_ok=True)
    migrate()


def _create_pg_database(db: Any, drop: bool) -> None:
    import psycopg
    from psycopg import sql

    params: dict[str, Any] = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        name = sql.Identifier(db["NAME"])
        if drop:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
