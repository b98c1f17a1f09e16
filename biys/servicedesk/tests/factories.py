"""Factories for the every-model change-log test: model -> (make, field to change, new value).

Each factory makes a fresh, minimal row straight through the ORM (no services), so the change-log test
sees exactly one create entry for it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from biys.core.calendar import ISTANBUL
from biys.inventory.tests import factories as inventory
from biys.org.models import Unit
from biys.servicedesk.choices import FollowUpKind, Priority
from biys.servicedesk.models import (
    Article,
    Attachment,
    FollowUp,
    Intervention,
    MailMessage,
    PartUsage,
    RootCause,
    RoutingRule,
    Satisfaction,
    SavedView,
    ServiceCategory,
    ServiceItem,
    SlaPolicy,
    SlaTarget,
    Ticket,
    Transfer,
    VendorCase,
)
from biys.users.models import User

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=ISTANBUL)


def unit() -> Unit:
    return Unit.objects.create(name="Teknik Destek", code=f"SD{Unit.objects.count()}", kind="seflik")


def user() -> User:
    return User.objects.create_user(f"destek{User.objects.count()}", password="x-Parola-2026")


def category() -> ServiceCategory:
    return ServiceCategory.objects.create(name=f"Donanım {ServiceCategory.objects.count()}")


def policy() -> SlaPolicy:
    return SlaPolicy.objects.create(name=f"Standart {SlaPolicy.objects.count()}")


def item() -> ServiceItem:
    return ServiceItem.objects.create(
        category=category(),
        code=f"yazici-{ServiceItem.objects.count()}",
        name="Yazıcı arızası",
        responsible_unit=unit(),
    )


def ticket() -> Ticket:
    return Ticket.objects.create(
        title="Yazıcı çalışmıyor",
        description="Kağıt sıkıştırıyor.",
        item=item(),
        requester_unit=unit(),
        assigned_unit=unit(),
    )


def intervention() -> Intervention:
    return Intervention.objects.create(
        ticket=ticket(),
        year=2026,
        number=Intervention.objects.count() + 1,
        technician=user(),
        started_at=WHEN,
        ended_at=WHEN + timedelta(hours=1),
        work_done="Silindir temizlendi.",
    )


FACTORIES = {
    ServiceCategory: (category, "icon", "printer"),
    SlaPolicy: (policy, "warn_percent", 75),
    SlaTarget: (
        lambda: SlaTarget.objects.create(
            policy=policy(),
            priority=Priority.NORMAL,
            response_time=timedelta(hours=4),
            resolution_time=timedelta(hours=16),
        ),
        "resolution_time",
        timedelta(hours=24),
    ),
    ServiceItem: (item, "name", "Yazıcı / tarayıcı arızası"),
    RoutingRule: (
        lambda: RoutingRule.objects.create(item=item(), target_unit=unit()),
        "building",
        "Hizmet Binası",
    ),
    RootCause: (
        lambda: RootCause.objects.create(code=f"HW-{RootCause.objects.count()}", name="Donanım", group="hardware"),
        "name",
        "Donanım arızası",
    ),
    Ticket: (ticket, "title", "Yazıcı kağıt almıyor"),
    FollowUp: (
        lambda: FollowUp.objects.create(ticket=ticket(), kind=FollowUpKind.COMMENT, body="Bakıyoruz."),
        "body",
        "Parça bekleniyor.",
    ),
    Attachment: (
        lambda: Attachment.objects.create(
            ticket=ticket(),
            file="servicedesk/2026/03/0123456789abcdef",
            name="hata.png",
            content_type="image/png",
            size=128,
            sha256="0123456789abcdef" * 4,
        ),
        "name",
        "ekran.png",
    ),
    Transfer: (
        lambda: Transfer.objects.create(ticket=ticket(), from_unit=unit(), to_unit=unit(), reason="Yazılım sorunu"),
        "reason",
        "Donanım değil, yazılım sorunu",
    ),
    Intervention: (intervention, "signed_by", "Ayşe Yılmaz"),
    PartUsage: (
        lambda: PartUsage.objects.create(
            ticket=ticket(), stock_item=inventory.stock_item(), quantity=Decimal(1), voucher=inventory.voucher()
        ),
        "quantity",
        Decimal(2),
    ),
    VendorCase: (
        lambda: VendorCase.objects.create(ticket=ticket(), vendor="Firma A.Ş.", sent_at=WHEN),
        "vendor_reference",
        "RMA-4711",
    ),
    MailMessage: (
        lambda: MailMessage.objects.create(
            message_id=f"<m{MailMessage.objects.count()}@belediye.example>", ticket=ticket(), subject="Yazıcı"
        ),
        "sender",
        "ayse@belediye.example",
    ),
    Satisfaction: (
        lambda: Satisfaction.objects.create(ticket=ticket(), score=4),
        "comment",
        "Teşekkürler",
    ),
    Article: (
        lambda: Article.objects.create(title="Yazıcı kağıt sıkışması", body="Arka kapağı açın."),
        "summary",
        "Sıkışan kağıdı çıkarma",
    ),
    SavedView: (
        lambda: SavedView.objects.create(owner=user(), list_name="servicedesk:ticket_list", name="Açık işlerim"),
        "query",
        "status=open",
    ),
}
