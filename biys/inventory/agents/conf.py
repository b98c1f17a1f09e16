"""The agent endpoint's settings, read once per call so tests can override them.

The values come from ``biys.settings`` (environment variables read with the typed helpers of
``biys.core.env``); the defaults below apply until a setting is defined there.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MATCH_RULES = ("device_id", "uuid", "serial", "mac")
DEFAULT_MATCH_RULES = MATCH_RULES


def max_body_bytes() -> int:
    """Largest body accepted, compressed or inflated (BIYS_AGENT_MAX_BODY_MB, default 20)."""
    return int(getattr(settings, "BIYS_AGENT_MAX_BODY_MB", 20)) * 1024 * 1024


def max_queued() -> int:
    """Imports waiting in the task queue before agents are told to come back later."""
    return int(getattr(settings, "BIYS_AGENT_MAX_QUEUED", 1000))


def frequency_hours() -> int:
    """How often agents should report (OCS PROLOG_FREQ, GLPI expiration), in hours."""
    return max(1, int(getattr(settings, "BIYS_AGENT_FREQUENCY_HOURS", 24)))


def retry_seconds() -> int:
    """How long a busy server asks agents to wait before they try again."""
    return max(60, int(getattr(settings, "BIYS_AGENT_RETRY_SECONDS", 600)))


def credentials() -> tuple[str, str]:
    """HTTP Basic user and password the agents must send; an empty password turns the check off."""
    return str(getattr(settings, "BIYS_AGENT_USER", "agent")), str(getattr(settings, "BIYS_AGENT_PASSWORD", ""))


def realm() -> str:
    """The Basic realm; the OCS agent needs it verbatim (``--realm``)."""
    return str(getattr(settings, "BIYS_AGENT_REALM", "BIYS"))


def match_rules() -> tuple[str, ...]:
    """The matching rules in the order they are tried (BIYS_AGENT_MATCH_RULES)."""
    configured = getattr(settings, "BIYS_AGENT_MATCH_RULES", DEFAULT_MATCH_RULES)
    rules = tuple(configured.split(",") if isinstance(configured, str) else configured)
    rules = tuple(rule.strip() for rule in rules if rule.strip())
    unknown = [rule for rule in rules if rule not in MATCH_RULES]
    if unknown:
        raise ImproperlyConfigured(
            f"BIYS_AGENT_MATCH_RULES: unknown rule(s) {', '.join(unknown)}; use {', '.join(MATCH_RULES)}"
        )
    return rules
