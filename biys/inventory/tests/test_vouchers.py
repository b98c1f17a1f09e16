"""VİF rules (TMY md. 10/1-a, 39) and registry numbers (md. 36)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from biys.core.testing import make_unit, make_user
from biys.inventory import vouchers
from biys.inventory.models import Depot, StockRequest, TasinirCode, Voucher
from biys.inventory.numbering import next_asset_sequence, sicil_no
from biys.org.models import Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def depot() -> Depot:
    unit = make_unit("Bilgi İşlem Dairesi Başkanlığı", code="BIDB", is_it=True)
    return Depot.objects.create(unit=unit, institutional_code="46.33.01.01", code="01", name="Bilgi İşlem Ambarı")


@pytest.fixture
def toner() -> TasinirCode:
    return TasinirCode.objects.create(code="150.01.04.01", level=4, name="Tonerler")


@pytest.fixture
def clerk(depot: Depot):  # type: ignore[no-untyped-def]
    return make_user("kayit", unit=depot.unit, roles=("tasinir_kayit",))


def line(code: TasinirCode, quantity: str = "10") -> vouchers.Line:
    return vouchers.Line(code, "HP 26A toner", Decimal(quantity), Decimal("1250.00"))


def test_sicil_no_is_code_year_and_sequence(toner: TasinirCode) -> None:
    assert sicil_no(toner, 2026, 252) == "150.01.04.01-26-00252"
    assert next_asset_sequence(toner, 2026) == 1


def test_posting_numbers_from_one_each_fiscal_year(depot: Depot, toner: TasinirCode, clerk) -> None:  # type: ignore[no-untyped-def]
    numbers = []
    for day in (date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 2)):
        voucher = vouchers.create_voucher(depot, "purchase", day, [line(toner)], source_date=day)
        numbers.append(vouchers.post_voucher(voucher, clerk).number)
    assert numbers == [1, 2, 1]


def test_a_vif_cannot_be_dated_before_its_source_document(depot: Depot, toner: TasinirCode) -> None:
    with pytest.raises(ValidationError) as error:
        vouchers.create_voucher(depot, "purchase", date(2026, 3, 1), [line(toner)], source_date=date(2026, 3, 2))
    assert "date" in error.value.message_dict
    assert not Voucher.objects.exists()


def test_a_posted_vif_is_never_edited_only_reversed(depot: Depot, toner: TasinirCode, clerk) -> None:  # type: ignore[no-untyped-def]
    posted = vouchers.post_voucher(vouchers.create_voucher(depot, "purchase", date(2026, 3, 2), [line(toner)]), clerk)
    posted.note = "sonradan düzeltme"
    with pytest.raises(ValidationError):
        posted.save()
    with pytest.raises(ValidationError):
        posted.delete()
    with pytest.raises(ValidationError):
        posted.lines.first().save()
    reversal = vouchers.reverse_voucher(posted, clerk, on=date(2026, 3, 5))
    assert (reversal.kind, reversal.direction, reversal.number) == ("reversal", "exit", 2)
    assert reversal.reverses_id == posted.pk
    assert reversal.total == posted.total
    assert Voucher.objects.get(pk=posted.pk).status == "reversed"
    with pytest.raises(ValidationError):
        vouchers.reverse_voucher(Voucher.objects.get(pk=posted.pk), clerk)


def test_posting_needs_the_right_and_an_order_for_exits(depot: Depot, toner: TasinirCode, clerk) -> None:  # type: ignore[no-untyped-def]
    draft = vouchers.create_voucher(depot, "consumption", date(2026, 3, 2), [line(toner, "1")])
    with pytest.raises(PermissionDenied):
        vouchers.post_voucher(draft, make_user("teknisyen", unit=depot.unit, roles=("uzman",)))
    with pytest.raises(ValidationError, match="written order"):
        vouchers.post_voucher(draft, clerk)
    staff = Staff.objects.create(first_name="Ayşe", last_name="Kaya", unit=depot.unit)
    order = StockRequest.objects.create(depot=depot, year=2026, date=date(2026, 3, 1), unit=depot.unit,
                                        requested_by=staff)  # fmt: skip
    StockRequest.objects.filter(pk=order.pk).update(status="approved")
    Voucher.objects.filter(pk=draft.pk).update(request=order)
    assert vouchers.post_voucher(draft, clerk).status == "posted"


def test_lines_need_a_positive_quantity(depot: Depot, toner: TasinirCode) -> None:
    with pytest.raises(ValidationError, match="HP 26A"):
        vouchers.create_voucher(depot, "purchase", date(2026, 3, 2), [line(toner, "0")])
    assert not Voucher.objects.exists()


def test_the_control_officer_may_not_post(depot: Depot, toner: TasinirCode) -> None:
    officer_user = make_user("kontrol", unit=depot.unit, roles=("tasinir_kayit",))
    officer = Staff.objects.create(first_name="Dilek", last_name="Sezer", unit=depot.unit, user=officer_user)
    Depot.objects.filter(pk=depot.pk).update(control_officer=officer)
    draft = vouchers.create_voucher(depot, "purchase", date(2026, 3, 2), [line(toner)])
    with pytest.raises(ValidationError, match=r"6/3"):
        vouchers.post_voucher(draft, officer_user)
    assert Voucher.objects.get(pk=draft.pk).status == "draft"


def test_an_open_count_freezes_posting_in_its_depot(depot: Depot, toner: TasinirCode, clerk) -> None:  # type: ignore[no-untyped-def]
    from biys.inventory.models import CountSession

    CountSession.objects.create(depot=depot, date=date(2026, 3, 2), freeze_movements=True)
    draft = vouchers.create_voucher(depot, "purchase", date(2026, 3, 2), [line(toner)])
    with pytest.raises(ValidationError):
        vouchers.post_voucher(draft, clerk)
    assert Voucher.objects.get(pk=draft.pk).status == "draft"
