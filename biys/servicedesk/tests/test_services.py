"""Service desk workflows in ``services``: routing, service-form answers, uploads, vendor cases, servis formu
numbers, parts from the depot, ratings, auto-close, suggestions, handover lines and warranty cover."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from biys.core.calendar import ISTANBUL
from biys.core.testing import make_unit, make_user
from biys.inventory import vouchers
from biys.inventory.models import Contract, Depot, Location, StockItem, TasinirCode, Voucher
from biys.inventory.movements import services as movements
from biys.inventory.tests import factories as inventory
from biys.inventory.tests.test_movements_fixtures import freeze_today
from biys.org.handover import collect
from biys.org.models import Departure, HandoverItem, Staff
from biys.servicedesk import services
from biys.servicedesk.choices import ArticleStatus, FollowUpKind, Status, VendorCaseStatus
from biys.servicedesk.models import (
    Article,
    Attachment,
    Intervention,
    PartUsage,
    RoutingRule,
    Satisfaction,
    ServiceItem,
    Ticket,
    VendorCase,
)

from .fixtures import Desk, make_desk, make_item, make_staff, open_ticket

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def t(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ISTANBUL)


@pytest.fixture
def desk() -> Desk:
    return make_desk()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


# -- routing ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def targets(desk: Desk) -> dict[str, Any]:
    return {name: make_unit(f"{name} birimi", parent=desk.it, kind="seflik") for name in ("A", "B", "C", "D", "E")}


def test_the_most_specific_routing_rule_wins(desk: Desk, targets: dict[str, Any]) -> None:
    place = Location.objects.create(unit=desk.requesting, building="Ek Bina", floor="1", room="5")
    both = RoutingRule.objects.create(item=desk.item, requester_unit=desk.requesting, target_unit=targets["A"])
    item_only = RoutingRule.objects.create(item=desk.item, target_unit=targets["B"])
    unit_only = RoutingRule.objects.create(requester_unit=desk.requesting, target_unit=targets["C"])
    RoutingRule.objects.create(building="Ek Bina", target_unit=targets["D"])
    assert services.route(desk.item, desk.requesting, place) == targets["A"]  # item + unit
    both.delete()
    assert services.route(desk.item, desk.requesting, place) == targets["B"]  # item beats unit and building
    item_only.delete()
    assert services.route(desk.item, desk.requesting, place) == targets["C"]  # unit beats building
    unit_only.delete()
    assert services.route(desk.item, desk.requesting, place) == targets["D"]  # the building alone
    assert services.route(desk.item, desk.requesting, None) == desk.support  # no place: the item's own unit


def test_item_and_building_beats_item_alone(desk: Desk, targets: dict[str, Any]) -> None:
    place = Location.objects.create(unit=desk.requesting, building="Ek Bina", floor="1", room="5")
    RoutingRule.objects.create(item=desk.item, target_unit=targets["A"])
    RoutingRule.objects.create(item=desk.item, building="Ek Bina", target_unit=targets["B"])
    assert services.route(desk.item, desk.requesting, place) == targets["B"]
    other_place = Location.objects.create(unit=desk.requesting, building="Hizmet Binası", floor="2", room="1")
    assert services.route(desk.item, desk.requesting, other_place) == targets["A"]


def test_a_deeper_unit_beats_a_shallower_one(desk: Desk, targets: dict[str, Any]) -> None:
    roads = make_unit("Yol Şefliği", parent=desk.requesting, kind="seflik")
    asphalt = make_unit("Asfalt Birimi", parent=roads)
    RoutingRule.objects.create(requester_unit=desk.requesting, target_unit=targets["A"])
    RoutingRule.objects.create(requester_unit=roads, target_unit=targets["B"])
    assert services.route(desk.item, asphalt, None) == targets["B"]  # the rule nearest the requester
    assert services.route(desk.item, desk.requesting, None) == targets["A"]  # the deeper rule is not theirs
    RoutingRule.objects.create(item=desk.item, requester_unit=desk.requesting, target_unit=targets["C"])
    assert services.route(desk.item, asphalt, None) == targets["C"]  # item + unit beats a deeper unit alone


def test_rules_of_other_items_units_and_buildings_do_not_apply(desk: Desk, targets: dict[str, Any]) -> None:
    other_item = make_item(desk.software, name="EBYS", code="ebys", policy=desk.policy)
    RoutingRule.objects.create(item=other_item, target_unit=targets["A"])
    RoutingRule.objects.create(requester_unit=desk.other_unit, target_unit=targets["B"])
    RoutingRule.objects.create(building="Başka Bina", target_unit=targets["C"])
    place = Location.objects.create(unit=desk.requesting, building="Ek Bina", floor="1", room="5")
    assert services.route(desk.item, desk.requesting, place) == desk.support


def test_open_ticket_uses_the_route(desk: Desk, targets: dict[str, Any]) -> None:
    RoutingRule.objects.create(item=desk.item, requester_unit=desk.requesting, target_unit=targets["E"])
    assert open_ticket(desk).assigned_unit == targets["E"]
    outsider_ticket = open_ticket(desk, requester=desk.outsider.staff, by=desk.outsider)
    assert outsider_ticket.assigned_unit == desk.support


def test_a_rule_needs_something_to_match(desk: Desk) -> None:
    with pytest.raises(ValidationError, match="needs a catalogue item"):
        RoutingRule(target_unit=desk.support).full_clean()


# -- service form answers --------------------------------------------------------------------------------------------


@pytest.fixture
def phone_item(desk: Desk) -> ServiceItem:
    return make_item(
        desk.support,
        name="Telefon hattı",
        code="telefon",
        policy=desk.policy,
        fields=[
            {"name": "extension", "label": "Dahili no", "type": "text", "required": True},
            {"name": "count", "label": "Hat sayısı", "type": "number"},
            {"name": "needed_on", "label": "Gereken tarih", "type": "date"},
            {"name": "kind", "label": "Tür", "type": "choice", "choices": ["yeni", "iptal", "taşıma"]},
            {"name": "urgent", "label": "Acil", "type": "boolean"},
        ],
    )


def test_form_answers_are_typed(phone_item: ServiceItem) -> None:
    cleaned = services.clean_form_data(
        phone_item,
        {"extension": " 4711 ", "count": "2,5", "needed_on": "2.3.2026", "kind": "taşıma", "urgent": "evet", "x": 1},
    )
    assert cleaned == {"extension": "4711", "count": "2.5", "needed_on": "2026-03-02", "kind": "taşıma", "urgent": True}
    iso = services.clean_form_data(phone_item, {"extension": "1", "needed_on": "2026-03-02", "count": 3})
    assert iso == {"extension": "1", "needed_on": "2026-03-02", "count": "3", "urgent": False}  # unticked: False
    assert len(services.clean_form_data(phone_item, {"extension": "x" * 3000})["extension"]) == 2000


def test_form_answer_errors_name_their_field(phone_item: ServiceItem) -> None:
    with pytest.raises(ValidationError) as error:
        services.clean_form_data(
            phone_item, {"extension": "  ", "count": "iki", "needed_on": "31.02.2026", "kind": "satın alma"}
        )
    assert error.value.message_dict == {
        "form_extension": ["Dahili no is required."],
        "form_count": ["Hat sayısı must be a number."],
        "form_needed_on": ["Gereken tarih must be a date (dd.mm.yyyy)."],
        "form_kind": ["Tür: choose one of the listed values."],
    }
    with pytest.raises(ValidationError) as error:
        services.clean_form_data(phone_item, {"extension": "1", "needed_on": "yarın"})
    assert list(error.value.message_dict) == ["form_needed_on"]


def test_a_ticket_with_bad_answers_is_not_written(desk: Desk, phone_item: ServiceItem) -> None:
    with pytest.raises(ValidationError):
        open_ticket(desk, item=phone_item, form_data={"count": "2"})
    assert not Ticket.objects.exists()


def test_an_impossible_iso_date_is_a_field_error(phone_item: ServiceItem) -> None:
    with pytest.raises(ValidationError) as error:
        services.clean_form_data(phone_item, {"extension": "1", "needed_on": "2026-02-31"})
    assert list(error.value.message_dict) == ["form_needed_on"]


def test_nan_and_infinity_are_not_numbers(phone_item: ServiceItem) -> None:
    for value in ("NaN", "Infinity"):
        with pytest.raises(ValidationError):
            services.clean_form_data(phone_item, {"extension": "1", "count": value})


# -- uploads ---------------------------------------------------------------------------------------------------------


def test_accepted_uploads_are_recognised_by_their_bytes() -> None:
    assert services.validate_upload(SimpleUploadedFile("form.pdf", PDF)) == "application/pdf"
    assert services.validate_upload(SimpleUploadedFile("ekran", PNG)) == "image/png"  # the name does not matter
    assert services.validate_upload(SimpleUploadedFile("hata.LOG", "Yazıcı hatası 0x1F".encode())) == "text/plain"


def test_an_oversized_upload_is_refused(settings: Any) -> None:
    settings.BIYS_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("tarama.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.validate_upload(big)
    assert error.value.messages == ["tarama.pdf is larger than 1 MB."]
    services.validate_upload(SimpleUploadedFile("tarama.pdf", PDF + b"0" * (1024 * 1024 - len(PDF))))  # exactly 1 MB


def test_a_disallowed_type_is_refused() -> None:
    for upload in (
        SimpleUploadedFile("kurulum.exe", b"MZ\x90\x00" + b"\0" * 60),
        SimpleUploadedFile("resim.png", b"<script>alert(1)</script>"),  # the name says PNG, the bytes do not
    ):
        with pytest.raises(ValidationError, match="is not an accepted file type"):
            services.validate_upload(upload)


def test_a_text_file_with_nul_bytes_is_refused() -> None:
    with pytest.raises(ValidationError, match="not an accepted file type"):
        services.validate_upload(SimpleUploadedFile("kayit.txt", b"satir 1\n\x00\x01\x02 ikili"))


def test_an_attachment_is_stored_under_its_hash(desk: Desk, media: Path) -> None:
    ticket = open_ticket(desk)
    attachment = services.add_attachment(ticket, desk.requester, SimpleUploadedFile("arıza raporu.pdf", PDF))
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    assert attachment.name == "arıza raporu.pdf"  # shown as uploaded, stored under the hash
    assert attachment.file.name.endswith(attachment.sha256[:16])
    assert (media / attachment.file.name).read_bytes() == PDF
    with pytest.raises(PermissionDenied):
        services.add_attachment(ticket, desk.outsider, SimpleUploadedFile("x.pdf", PDF))


def test_a_bad_file_on_a_new_request_writes_nothing(desk: Desk, media: Path) -> None:
    with pytest.raises(ValidationError):
        open_ticket(desk, files=[SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile("kötü.exe", b"MZ")])
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


# -- vendor cases ----------------------------------------------------------------------------------------------------


def test_a_vendor_case_pauses_the_ticket_until_the_device_is_back(desk: Desk, media: Path) -> None:
    ticket = open_ticket(desk)
    case = services.open_vendor_case(ticket, desk.technician, vendor="Bakım A.Ş.", vendor_reference="RMA-1")
    ticket = fresh(ticket)
    assert (ticket.status, ticket.is_paused) == (Status.WAITING_VENDOR, True)
    assert ticket.first_response_at is not None  # the technician took it up on the way
    assert case.status == VendorCaseStatus.SENT
    with pytest.raises(ValidationError) as error:
        services.vendor_returned(case, desk.technician, service_form=SimpleUploadedFile("form.pdf", PNG))
    assert list(error.value.message_dict) == ["service_form"]
    assert VendorCase.objects.get(pk=case.pk).status == VendorCaseStatus.SENT  # nothing written
    case = services.vendor_returned(case, desk.technician, service_form=SimpleUploadedFile("form.pdf", PDF))
    ticket = fresh(ticket)
    assert (ticket.status, ticket.is_paused) == (Status.IN_PROGRESS, False)
    assert case.status == VendorCaseStatus.RETURNED and case.returned_at is not None
    assert (media / case.service_form.name).read_bytes() == PDF
    with pytest.raises(ValidationError, match="already closed"):
        services.vendor_returned(case, desk.technician)


def test_the_ticket_waits_until_every_vendor_case_is_back(desk: Desk) -> None:
    ticket = open_ticket(desk)
    first = services.open_vendor_case(ticket, desk.technician, vendor="Firma A")
    services.open_vendor_case(fresh(ticket), desk.technician, vendor="Firma B")
    services.vendor_returned(first, desk.technician)
    assert fresh(ticket).status == Status.WAITING_VENDOR


def test_only_a_manager_reviews_the_vendors_form(desk: Desk, media: Path) -> None:
    ticket = open_ticket(desk)
    case = services.open_vendor_case(ticket, desk.technician, vendor="Bakım A.Ş.")
    with pytest.raises(ValidationError, match="Only a returned case"):
        services.review_vendor_form(case, desk.manager, approve=True)
    case = services.vendor_returned(case, desk.technician, service_form=SimpleUploadedFile("f.pdf", PDF))
    with pytest.raises(PermissionDenied):
        services.review_vendor_form(case, desk.technician, approve=True)
    case = services.review_vendor_form(case, desk.manager, approve=True, note="Uygun")
    case.refresh_from_db()
    assert (case.status, case.approved_by, case.note) == (VendorCaseStatus.APPROVED, desk.manager, "Uygun")


def test_a_form_cannot_be_rejected_before_it_is_uploaded(desk: Desk) -> None:
    ticket = open_ticket(desk)
    case = services.vendor_returned(services.open_vendor_case(ticket, desk.technician, vendor="X"), desk.technician)
    with pytest.raises(ValidationError) as error:
        services.review_vendor_form(case, desk.manager, approve=False)
    assert error.value.message_dict == {"service_form": ["Upload the vendor's service form first."]}
    assert VendorCase.objects.get(pk=case.pk).status == VendorCaseStatus.RETURNED


def test_a_requester_cannot_open_a_vendor_case(desk: Desk) -> None:
    with pytest.raises(PermissionDenied):
        services.open_vendor_case(open_ticket(desk), desk.requester, vendor="X")
    assert not VendorCase.objects.exists()


def test_time_at_the_vendor_is_business_time(desk: Desk) -> None:
    ticket = open_ticket(desk)
    case = services.open_vendor_case(ticket, desk.technician, vendor="X", sent_at=t(2026, 11, 6, 15, 30))
    # Fri 15:30–17:30 = 2 h, weekend, Mon 08:30–10:30 = 2 h
    assert case.time_at_vendor(until=t(2026, 11, 9, 10, 30)) == timedelta(hours=4)


# -- servis formu ----------------------------------------------------------------------------------------------------


def test_service_forms_are_numbered_per_year(desk: Desk) -> None:
    first, second = open_ticket(desk), open_ticket(desk)

    def form(ticket: Ticket, start: datetime) -> Intervention:
        return services.record_intervention(
            ticket, desk.technician, started_at=start, ended_at=start + timedelta(minutes=90), work_done="Bakım"
        )

    assert (form(first, t(2026, 11, 2, 9)).number, form(second, t(2026, 11, 3, 9)).number) == (1, 2)
    next_year = form(first, t(2027, 1, 4, 9))
    assert (next_year.year, next_year.number) == (2027, 1)
    assert form(second, t(2026, 12, 31, 16)).number == 3
    work = first.followups.filter(kind=FollowUpKind.WORK).first()
    assert work is not None and (work.minutes, work.on_site, work.body) == (90, True, "Bakım")
    assert next_year.signed_by == "Ayşe Yılmaz"  # the requester signs by default


def test_a_service_form_ending_before_it_starts_is_refused(desk: Desk) -> None:
    ticket = open_ticket(desk)
    with pytest.raises(ValidationError) as error:
        services.record_intervention(
            ticket, desk.technician, started_at=t(2026, 11, 2, 10), ended_at=t(2026, 11, 2, 9), work_done="x"
        )
    assert list(error.value.message_dict) == ["ended_at"]
    assert not Intervention.objects.exists()
    with pytest.raises(PermissionDenied):
        services.record_intervention(
            ticket, desk.requester, started_at=t(2026, 11, 2, 9), ended_at=t(2026, 11, 2, 10), work_done="x"
        )


# -- parts from the depot --------------------------------------------------------------------------------------------


def depot_with_toner(desk: Desk) -> tuple[StockItem, Any]:
    """An IT depot holding 10 toners, and a technician who may also post its VİFs."""
    clerk = make_user("kayit", unit=desk.it, roles=("tasinir_kayit",))
    controller = make_user("kontrol", unit=desk.it, roles=("tasinir_kontrol",))
    depot = Depot.objects.create(
        unit=desk.it,
        institutional_code="46.33.01.06",
        code="01",
        name="Bilgi İşlem Ambarı",
        records_officer=make_staff(clerk, desk.it, "Kerem", "Kayıt"),
        control_officer=make_staff(controller, desk.it, "Kontrol", "Yetkili"),
    )
    code = TasinirCode.objects.create(code="150.01.04.01", level=4, name="Tonerler")
    toner = StockItem.objects.create(depot=depot, tasinir_code=code, name="HP 26A toner")
    line = vouchers.Line(code, toner.name, Decimal(10), Decimal("100.00"), stock_item=toner)
    draft = movements.create_draft(
        depot, "purchase", date(2026, 4, 1), [line], source_document="Fatura 12", source_date=date(2026, 4, 1)
    )
    movements.post_and_receive(draft, clerk)
    poster = make_user("teknisyen", unit=desk.support, roles=("uzman",), perms=("inventory.post_voucher",))
    make_staff(poster, desk.support, "Hasan", "Usta")
    return StockItem.objects.get(pk=toner.pk), poster


def test_a_part_is_issued_from_the_depot_on_a_consumption_vif(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_today(monkeypatch)  # 15.04.2026
    toner, poster = depot_with_toner(desk)
    ticket = open_ticket(desk)
    usage = services.use_part(ticket, poster, toner, Decimal(2))
    assert isinstance(usage, PartUsage) and usage.quantity == Decimal(2)
    voucher = Voucher.objects.get(pk=usage.voucher_id)
    assert (voucher.kind, voucher.direction, voucher.status) == ("consumption", "exit", "posted")
    assert StockItem.objects.get(pk=toner.pk).quantity_on_hand == Decimal(8)
    assert toner.issues.get().ticket_ref == f"#{ticket.reference}" and toner.issues.get().unit == desk.requesting


def test_parts_beyond_the_stock_or_without_the_right_write_nothing(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_today(monkeypatch)
    toner, poster = depot_with_toner(desk)
    ticket = open_ticket(desk)
    vouchers_before = Voucher.objects.count()
    with pytest.raises(ValidationError):
        services.use_part(ticket, poster, toner, Decimal(11))
    with pytest.raises(ValidationError) as error:
        services.use_part(ticket, poster, toner, Decimal(0))
    assert list(error.value.message_dict) == ["quantity"]
    with pytest.raises(PermissionDenied):
        services.use_part(ticket, desk.technician, toner, Decimal(1))  # works tickets but posts no VİF
    with pytest.raises(PermissionDenied):
        services.use_part(ticket, desk.requester, toner, Decimal(1))
    assert not PartUsage.objects.exists() and Voucher.objects.count() == vouchers_before
    assert StockItem.objects.get(pk=toner.pk).quantity_on_hand == Decimal(10)


def test_parts_on_a_service_form(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_today(monkeypatch)
    toner, poster = depot_with_toner(desk)
    ticket = open_ticket(desk)
    form = services.record_intervention(
        ticket,
        poster,
        started_at=t(2026, 4, 15, 9),
        ended_at=t(2026, 4, 15, 10),
        work_done="Toner değişti.",
        parts=[(toner, Decimal(1))],
    )
    assert list(form.parts.values_list("quantity", flat=True)) == [Decimal(1)]


# -- rating, closing -------------------------------------------------------------------------------------------------


def resolved(desk: Desk, at: datetime | None = None) -> Ticket:
    ticket = open_ticket(desk, at=at)
    ticket.resolve(desk.technician, "Toner değişti.", desk.cause, at=at)
    return fresh(ticket)


def test_rating_closes_a_resolved_ticket(desk: Desk) -> None:
    ticket = resolved(desk)
    satisfaction = services.rate(ticket, desk.requester, 5, " Teşekkürler ")
    assert (satisfaction.score, satisfaction.comment) == (5, "Teşekkürler")
    assert fresh(ticket).status == Status.CLOSED
    with pytest.raises(PermissionDenied):
        services.rate(fresh(ticket), desk.requester, 4)  # once


def test_only_the_requester_rates(desk: Desk) -> None:
    ticket = resolved(desk)
    for someone in (desk.technician, desk.colleague, desk.manager):
        with pytest.raises(PermissionDenied):
            services.rate(ticket, someone, 5)
    with pytest.raises(PermissionDenied):
        services.rate(open_ticket(desk), desk.requester, 5)  # not resolved yet
    assert not Satisfaction.objects.exists()


def test_a_bad_score_changes_nothing(desk: Desk) -> None:
    ticket = resolved(desk)
    with pytest.raises(ValidationError) as error:
        services.rate(ticket, desk.requester, 6)
    assert list(error.value.message_dict) == ["score"]
    assert fresh(ticket).status == Status.RESOLVED and not Satisfaction.objects.exists()


def test_a_closed_ticket_can_still_be_rated_and_stays_closed(desk: Desk) -> None:
    ticket = resolved(desk)
    ticket.close(desk.requester)
    services.rate(fresh(ticket), desk.requester, 3)
    assert fresh(ticket).status == Status.CLOSED


def test_auto_close_after_n_business_days(desk: Desk) -> None:
    ticket = resolved(desk, at=t(2026, 11, 2, 10))  # Monday
    # 5 business days after Monday 02.11: Tue 1, Wed 2, Thu 3, Fri 4, Mon 09.11 5
    assert services.auto_close(now=t(2026, 11, 6, 17), days=5) == []
    closed = services.auto_close(now=t(2026, 11, 9, 8), days=5)
    assert [c.pk for c in closed] == [ticket.pk]
    ticket = fresh(ticket)
    assert (ticket.status, ticket.closed_at) == (Status.CLOSED, t(2026, 11, 9, 8))


def test_auto_close_counts_around_holidays_and_reads_the_setting(desk: Desk, settings: Any) -> None:
    settings.BIYS_TICKET_AUTOCLOSE_DAYS = 5
    ticket = resolved(desk, at=t(2026, 10, 23, 16))  # Friday
    # Mon 26 1, Tue 27 2, Wed 28 (half day, still a business day) 3, Thu 29 holiday, Fri 30 4, Mon 02.11 5
    assert services.auto_close(now=t(2026, 10, 30, 17)) == []
    assert [c.pk for c in services.auto_close(now=t(2026, 11, 2, 9))] == [ticket.pk]
    settings.BIYS_TICKET_AUTOCLOSE_DAYS = 2
    other = resolved(desk, at=t(2026, 11, 2, 10))
    assert [c.pk for c in services.auto_close(now=t(2026, 11, 4, 0, 1))] == [other.pk]  # Tue 1, Wed 2


def test_auto_close_leaves_reopened_and_open_tickets(desk: Desk) -> None:
    reopened = resolved(desk, at=t(2026, 11, 2, 10))
    reopened.reopen(desk.requester, "Yine bozuldu", at=t(2026, 11, 3, 9))
    still_open = open_ticket(desk, at=t(2026, 11, 2, 10))
    assert services.auto_close(now=t(2026, 12, 1, 9), days=5) == []
    assert fresh(reopened).status == Status.IN_PROGRESS and fresh(still_open).status == Status.NEW


# -- suggestions -----------------------------------------------------------------------------------------------------


def test_suggest_finds_articles_and_resolved_tickets_with_a_folded_query(desk: Desk) -> None:
    article = Article.objects.create(
        title="YAZICI kağıt sıkıştırıyor", body="Arka kapağı açıp kağıdı çekin.", status=ArticleStatus.PUBLISHED
    )
    Article.objects.create(title="Yazıcı sürücüsü (taslak)", body="…", status=ArticleStatus.DRAFT)
    Article.objects.create(title="Ağ kablosu", body="Prizi kontrol edin.", status=ArticleStatus.PUBLISHED)
    old = resolved(desk)
    open_ticket(desk, title="Yazıcı yine çalışmıyor")  # open: not a suggestion
    foreign = open_ticket(desk, requester=desk.outsider.staff, by=desk.outsider)
    foreign.resolve(desk.technician, "Toner değişti.", desk.cause)
    articles, tickets = services.suggest("yazici calismiyor", desk.requester)
    assert articles == [article]  # the draft is not for requesters
    assert [ticket.pk for ticket in tickets] == [old.pk]  # another unit's ticket stays hidden
    articles, tickets = services.suggest("YAZICI ÇALIŞMIYOR", desk.technician)
    assert {a.title for a in articles} == {"YAZICI kağıt sıkıştırıyor", "Yazıcı sürücüsü (taslak)"}
    assert {ticket.pk for ticket in tickets} == {old.pk, foreign.pk}


def test_suggest_ignores_short_or_empty_queries(desk: Desk) -> None:
    Article.objects.create(title="Ağ", body="…", status=ArticleStatus.PUBLISHED)
    assert services.suggest("ağ", desk.requester) == ([], [])
    assert services.suggest("  ", desk.requester) == ([], [])


# -- handover --------------------------------------------------------------------------------------------------------


def test_handover_lines_list_open_assigned_tickets(desk: Desk) -> None:
    first, second, done = open_ticket(desk), open_ticket(desk, title="Ağ arızası"), open_ticket(desk)
    for ticket in (first, second, done):
        services.act(ticket, "assign", desk.manager, assignee=desk.technician)
    services.act(fresh(done), "resolve", desk.technician, resolution="Tamam", root_cause=desk.cause)
    open_ticket(desk)  # not assigned to them
    staff = Staff.objects.get(user=desk.technician)
    lines = list(services.handover_lines(staff))
    assert [(line.reference, line.description, line.source) for line in lines] == [
        (f"#{first.reference}", "Yazıcı çalışmıyor", f"servicedesk.ticket:{first.pk}"),
        (f"#{second.reference}", "Ağ arızası", f"servicedesk.ticket:{second.pk}"),
    ]
    assert {line.kind for line in lines} == {HandoverItem.Kind.OPEN_WORK}
    assert not any(line.blocking for line in lines)
    assert [line.reference for line in collect(staff) if line.kind == HandoverItem.Kind.OPEN_WORK] == [
        f"#{first.reference}",
        f"#{second.reference}",
    ]  # the org provider list picks them up
    assert list(services.handover_lines(Staff.objects.create(first_name="A", last_name="B", unit=desk.support))) == []


def test_the_departure_page_lists_the_open_tickets(desk: Desk) -> None:
    ticket = open_ticket(desk)
    services.act(ticket, "assign", desk.manager, assignee=desk.technician)
    departure = Departure.objects.create(
        staff=Staff.objects.get(user=desk.technician), reason="transfer", last_day=date(2026, 12, 31)
    )
    client = Client()
    client.force_login(desk.manager)  # the branch manager keeps departures of the branch
    response = client.post(reverse("org:departure_prepare", args=[departure.pk]))
    assert response.status_code == 302
    assert departure.items.filter(reference=f"#{ticket.reference}", kind=HandoverItem.Kind.OPEN_WORK).exists()
    page = client.get(reverse("org:departure", args=[departure.pk]))
    assert f"#{ticket.reference}" in page.content.decode()


# -- warranty --------------------------------------------------------------------------------------------------------


def test_warranty_cover_by_contract_warranty_or_none() -> None:
    asset = inventory.asset()
    contract = Contract.objects.create(
        name="Bakım",
        vendor="Bakım A.Ş.",
        contact="0324 000 00 00",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
    )
    asset.contract, asset.warranty_end, asset.supplier, asset.brand = contract, date(2027, 6, 30), "Tedarik Ltd.", "HP"
    asset.save()
    cover = services.warranty_cover(asset, on=date(2026, 6, 1))
    assert (cover.covered, cover.vendor, cover.contact, cover.contract, cover.until) == (
        True,
        "Bakım A.Ş.",
        "0324 000 00 00",
        contract,
        date(2026, 12, 31),
    )
    cover = services.warranty_cover(asset, on=date(2027, 2, 1))  # the contract ended, the warranty runs on
    assert (cover.covered, cover.vendor, cover.contract, cover.until) == (True, "Tedarik Ltd.", None, date(2027, 6, 30))
    asset.supplier = ""
    assert services.warranty_cover(asset, on=date(2027, 2, 1)).vendor == "HP"
    assert services.warranty_cover(asset, on=date(2027, 7, 1)).covered is False
    assert services.warranty_cover(asset, on=date(2025, 12, 31)).contract is None  # before the contract
