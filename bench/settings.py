"""Settings for bench runs: production settings (DEBUG off), plus what an in-process client needs.

DEBUG must stay off: with DEBUG on Django keeps every SQL statement in ``connection.queries``,
which inflates both timings and memory. ``bench.config.configure`` sets the environment
(DATABASE_URL, SECRET_KEY, DEBUG=0) before this module is imported.
"""

from __future__ import annotations

from biys.settings import *  # noqa: F403

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405 - the in-process test client's host
# Bench users are created in bulk; Argon2 would only slow the seeder, never a measured request.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic in a bench run: plain storage renders {% static %} without a manifest.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
STATIC_ROOT = BASE_DIR / "static"  # noqa: F405 - silences WhiteNoise's "no directory" warning
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING["root"] = {**LOGGING["root"], "level": "WARNING"}  # type: ignore[dict-item]  # noqa: F405
# A failing page is reported once by the runner, not as a traceback per request.
LOGGING["loggers"] = {"django.request": {"level": "CRITICAL"}}  # noqa: F405
