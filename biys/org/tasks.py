"""Background jobs of the organization app (django-tasks; run `biys reminders` daily from cron)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from biys.org import services
from biys.org.models import Directive, Staff

REVIEW_WARNING_DAYS = 30


@task()
def send_reminders() -> dict[str, int]:
    """Mail staff whose directive acknowledgement is due within two days or overdue (Mersin md. 10/3),
    and the governed unit's manager when the yearly review is due within 30 days (md. 13/1)."""
    today = timezone.localdate()
    sent = {"acknowledgement": 0, "review": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for directive in Directive.objects.select_related("unit__manager"):
            for pending in services.pending_acknowledgements(directive):
                if pending.staff.email and pending.due <= today + timedelta(days=2):
                    _mail(pending.staff, _("Directive acknowledgement due"), _ack_text(pending))
                    sent["acknowledgement"] += 1
            due = services.review_due(directive)
            manager = directive.unit.manager
            if manager is not None and manager.email and due <= today + timedelta(days=REVIEW_WARNING_DAYS):
                text = _("The yearly review of “%(title)s” is due on %(due)s.") % {
                    "title": directive.title,
                    "due": f"{due:%d.%m.%Y}",
                }
                _mail(manager, _("Directive review due"), text)
                sent["review"] += 1
    return sent


def _ack_text(pending: services.PendingAcknowledgement) -> str:
    return _("Please read and acknowledge “%(title)s” (version %(version)s) in BİYS by %(due)s: %(url)s") % {
        "title": pending.version.directive.title,
        "version": pending.version.label,
        "due": f"{pending.due:%d.%m.%Y}",
        "url": settings.SITE_URL + pending.version.directive.get_absolute_url(),
    }


def _mail(staff: Staff, subject: str, body: str) -> None:
    send_mail(f"[BİYS] {subject}", body, None, [staff.email], fail_silently=False)
