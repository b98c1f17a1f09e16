"""Depot movements: receipts into FIFO lots, issues against written orders, reversal, separation of duties,
transfers and the stock card (TMY md. 6/3, 22-24, 39; Nizip md. 12/17-18)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from biys.core.models import ChangeLogEntry
from biys.inventory.models import (
    Asset,
    Commissioning,
    StockIssue,
    StockItem,
    StockLot,
    StockRequest,
    Voucher,
)
from biys.inventory.movements import orders, services, stock
from biys.inventory.tests.test_movements_fixtures import (
    World,
    asset,
    build_world,
    freeze_today,
    receive,
    stock_item,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    freeze_today(monkeypatch)  # 15.04.2026
    return build_world()


@pytest.fixture
def toner(world: World) -> StockItem:
    """HP 26A toner received three times at rising prices: 10 × 100, 5 × 120, 8 × 150 TL."""
    item = stock_item(world, reorder="5")
    receive(world, item, "10", "100.00", date(2026, 1, 10))
    receive(world, item, "5", "120.00", date(2026, 2, 10))
    receive(world, item, "8", "150.00", date(2026, 3, 10))
    item.refresh_from_db()
    return item


def approved_request(world: World, item: StockItem, quantity: str) -> StockRequest:
    order = orders.create_request(world.depot, world.requester, "Yazıcılar için", [orders.Wanted(D(quantity), item)])
    orders.submit(order, world.requester)
    return orders.approve(order, world.manager)


def snapshot() -> tuple[int, ...]:
    return (
        Voucher.objects.count(),
        StockIssue.objects.count(),
        StockRequest.objects.count(),
        *StockLot.objects.order_by("id").values_list("quantity_left", flat=True),
        *StockItem.objects.order_by("id").values_list("quantity_on_hand", flat=True),
    )


# --- Receipts ----------------------------------------------------------------------------------------


def test_posting_a_purchase_makes_one_lot_per_stock_line(world: World, toner: StockItem) -> None:
    lots = list(toner.lots.order_by("received_on"))
    assert [(lot.quantity_in, lot.quantity_left, lot.unit_price) for lot in lots] == [
        (D(10), D(10), D("100.00")),
        (D(5), D(5), D("120.00")),
        (D(8), D(8), D("150.00")),
    ]
    assert toner.quantity_on_hand == D(23)
    assert [v.number for v in Voucher.objects.order_by("number")] == [1, 2, 3]


def test_a_hand_made_exit_of_stock_is_refused(world: World, toner: StockItem) -> None:
    from biys.inventory import vouchers

    line = vouchers.Line(world.toner_code, toner.name, D(1), D("100.00"), stock_item=toner)
    with pytest.raises(ValidationError, match="only by an issue"):
        services.create_draft(world.depot, "loss", date(2026, 4, 1), [line])
    with pytest.raises(ValidationError) as error:
        services.create_draft(world.depot, "consumption", date(2026, 4, 1), [line])
    assert "kind" in error.value.message_dict


# --- FIFO issues -----------------------------------------------------------------------------------------


def test_fifo_takes_the_oldest_lots_first_at_their_own_prices(world: World, toner: StockItem) -> None:
    order = approved_request(world, toner, "17")
    voucher = orders.issue_request(order, world.clerk)
    assert voucher is not None
    lines = list(voucher.lines.order_by("id"))
    assert [(line.quantity, line.unit_price) for line in lines] == [
        (D(10), D("100.00")),
        (D(5), D("120.00")),
        (D(2), D("150.00")),
    ]
    assert voucher.total == D("1900.00")
    assert (voucher.kind, voucher.direction, voucher.status, voucher.number) == ("consumption", "exit", "posted", 4)
    assert list(toner.lots.order_by("received_on").values_list("quantity_left", flat=True)) == [D(0), D(0), D(6)]
    toner.refresh_from_db()
    assert toner.quantity_on_hand == D(6)
    issues = StockIssue.objects.filter(exit_line__voucher=voucher).order_by("id")
    assert [(i.quantity, i.lot.unit_price, i.unit_id) for i in issues] == [
        (D(10), D("100.00"), world.fen.pk),
        (D(5), D("120.00"), world.fen.pk),
        (D(2), D("150.00"), world.fen.pk),
    ]


def test_more_than_on_hand_is_refused_and_nothing_is_written(world: World, toner: StockItem) -> None:
    order = approved_request(world, toner, "24")
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        orders.issue_request(order, world.clerk)
    assert "Not enough “HP 26A toner” in stock: 24 Adet asked, 23 on hand" in error.value.messages[0]
    assert snapshot() == before
    assert StockRequest.objects.get(pk=order.pk).status == "approved"
    with pytest.raises(ValidationError, match="Not enough"):
        services.issue_stock(toner, D(24), world.it, world.clerk, ticket_ref="T-2026-7")
    assert snapshot() == before


def test_the_issue_reads_the_locked_row_not_the_callers_copy(world: World, toner: StockItem) -> None:
    stale = StockItem.objects.get(pk=toner.pk)
    stale.quantity_on_hand = D(1000)  # what another request's page showed before a colleague issued the rest
    with pytest.raises(ValidationError, match="23 on hand"):
        services.issue_stock(stale, D(30), world.it, world.clerk, ticket_ref="T-1")
    with CaptureQueriesContext(connection) as queries:
        services.issue_stock(toner, D(1), world.it, world.clerk, ticket_ref="T-2")
    if connection.features.has_select_for_update:
        locked = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
        assert any('"inventory_stockitem"' in sql.split("FROM", 1)[1][:40] for sql in locked), locked
        assert any('"inventory_stocklot"' in sql.split("FROM", 1)[1][:40] for sql in locked), locked


def test_a_ticket_is_the_written_order_for_parts_used_on_a_repair(world: World, toner: StockItem) -> None:
    voucher = services.issue_stock(toner, D(2), world.it, world.clerk, ticket_ref="T-2026-15", on=date(2026, 4, 3))
    order = voucher.request
    assert order is not None
    assert (order.status, order.number, order.approved_by_id) == ("issued", 1, world.clerk.pk)
    assert "T-2026-15" in order.purpose
    assert list(order.lines.values_list("stock_item_id", "quantity")) == [(toner.pk, D(2))]
    assert set(StockIssue.objects.values_list("ticket_ref", flat=True)) == {"T-2026-15"}
    assert voucher.status == "posted"


def test_nothing_leaves_without_an_approved_order(world: World, toner: StockItem) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match="approved written order"):
        services.issue_stock(toner, D(1), world.fen, world.clerk)
    order = orders.create_request(world.depot, world.requester, "", [orders.Wanted(D(1), toner)])
    orders.submit(order, world.requester)
    with pytest.raises(ValidationError, match="only an approved request"):
        orders.issue_request(order, world.clerk)
    with pytest.raises(ValidationError, match="only an approved request"):
        services.issue_stock(toner, D(1), world.fen, world.clerk, request=order)
    assert snapshot()[:2] == before[:2]  # no VİF, no issue
    with pytest.raises(PermissionDenied):  # a technician does not post VİFs
        services.issue_stock(toner, D(1), world.fen, world.requester, ticket_ref="T-9")


# --- İstek Belgesi workflow ------------------------------------------------------------------------------


def test_request_approval_and_issue_post_a_linked_exit_vif(world: World, toner: StockItem) -> None:
    laptop = asset(world)
    Commissioning.objects.create(asset=laptop, tested=True, installed=True, network_registered=True)
    order = orders.create_request(
        world.depot,
        world.requester,
        "Yeni personel",
        [orders.Wanted(D(3), toner, note="Acil"), orders.Wanted(D(1), asset=laptop)],
    )
    assert (order.status, order.number, order.unit_id) == ("draft", None, world.fen.pk)
    orders.submit(order, world.requester)
    order.refresh_from_db()
    assert (order.status, order.number) == ("submitted", 1)
    with pytest.raises(PermissionDenied):
        orders.approve(order, world.requester)
    orders.approve(order, world.manager)
    voucher = orders.issue_request(order, world.clerk)
    order.refresh_from_db()
    assert order.status == "issued"
    assert voucher is not None and voucher.request_id == order.pk
    assert (voucher.kind, voucher.status, voucher.counterparty) == ("consumption", "posted", str(world.fen))
    assert list(voucher.lines.values_list("quantity", "unit_price")) == [(D(3), D("100.00"))]
    laptop.refresh_from_db()
    assert (laptop.owner_unit_id, laptop.status) == (world.fen.pk, "in_use")  # md. 23: no VİF for use
    assert not Voucher.objects.filter(lines__asset=laptop).exists()
    with pytest.raises(ValidationError, match="only an approved request"):
        orders.issue_request(order, world.clerk)  # never twice


def test_requests_are_numbered_per_depot_and_year_when_submitted(world: World, toner: StockItem) -> None:
    numbers = []
    for _index in range(3):
        order = orders.create_request(world.depot, world.requester, "", [orders.Wanted(D(1), toner)])
        numbers.append(orders.submit(order, world.requester).number)
    assert numbers == [1, 2, 3]


def test_nobody_approves_their_own_request(world: World, toner: StockItem) -> None:
    order = orders.create_request(world.depot, world.manager, "", [orders.Wanted(D(1), toner)])
    orders.submit(order, world.manager)
    with pytest.raises(ValidationError, match="your own request"):
        orders.approve(order, world.manager)
    rejected = orders.reject(order, world.manager, "Stokta yeterli")
    assert rejected.status == "rejected" and "Stokta yeterli" in rejected.purpose


def test_an_uncommissioned_computer_is_not_handed_out(world: World) -> None:
    laptop = asset(world)
    laptop.kind.needs_commissioning = True
    laptop.kind.save()
    order = orders.create_request(world.depot, world.requester, "", [orders.Wanted(D(1), asset=laptop)])
    orders.submit(order, world.requester)
    orders.approve(order, world.manager)
    with pytest.raises(ValidationError, match="not commissioned"):
        orders.issue_request(order, world.clerk)
    laptop.refresh_from_db()
    assert (laptop.status, laptop.owner_unit_id) == ("in_depot", world.it.pk)


# --- Separation of duties (TMY md. 6/3) --------------------------------------------------------------


def test_the_depots_control_officer_cannot_post(world: World, toner: StockItem) -> None:
    from biys.inventory import vouchers

    line = vouchers.Line(world.toner_code, toner.name, D(4), D("90.00"), stock_item=toner)
    draft = services.create_draft(world.depot, "donation_in", date(2026, 4, 1), [line])
    assert world.controller.has_perm("inventory.post_voucher")
    with pytest.raises(ValidationError, match=r"md\. 6/3"):
        services.post_and_receive(draft, world.controller)
    assert Voucher.objects.get(pk=draft.pk).status == "draft"
    with pytest.raises(ValidationError, match=r"md\. 6/3"):
        services.issue_stock(toner, D(1), world.it, world.controller, ticket_ref="T-3")
    posted = Voucher.objects.get(pk=draft.pk)
    with pytest.raises(ValidationError, match=r"md\. 6/3"):
        services.reverse_and_restore(services.post_and_receive(posted, world.clerk), world.controller, "Hata")


# --- Reversal (md. 39) -------------------------------------------------------------------------------------


def test_reversing_an_untouched_receipt_takes_its_stock_back(world: World, toner: StockItem) -> None:
    last = Voucher.objects.get(number=3)
    reversal = services.reverse_and_restore(last, world.clerk, "Yanlış fatura", on=date(2026, 3, 12))
    assert (reversal.kind, reversal.direction, reversal.reverses_id, reversal.note) == (
        "reversal",
        "exit",
        last.pk,
        "Yanlış fatura",
    )
    assert Voucher.objects.get(pk=last.pk).status == "reversed"
    toner.refresh_from_db()
    assert toner.quantity_on_hand == D(15)
    assert StockLot.objects.get(entry_line__voucher=last).quantity_left == D(0)
    with pytest.raises(ValidationError, match="not reversed again"):
        services.reverse_and_restore(reversal, world.clerk, "Geri al")


def test_a_receipt_already_issued_from_cannot_be_reversed(world: World, toner: StockItem) -> None:
    services.issue_stock(toner, D(1), world.it, world.clerk, ticket_ref="T-5")
    first = Voucher.objects.get(number=1)
    before = snapshot()
    with pytest.raises(ValidationError, match="already been issued \\(1 of 10 Adet\\)"):
        services.reverse_and_restore(first, world.clerk, "Yanlış fatura")
    assert snapshot() == before
    assert Voucher.objects.get(pk=first.pk).status == "posted"
    with pytest.raises(ValidationError) as error:
        services.reverse_and_restore(first, world.clerk, "  ")
    assert "reason" in error.value.message_dict


def test_reversing_an_issue_puts_the_stock_back_into_its_lots(world: World, toner: StockItem) -> None:
    issue = orders.issue_request(approved_request(world, toner, "12"), world.clerk)
    assert issue is not None
    services.reverse_and_restore(issue, world.clerk, "Yanlış birim")
    toner.refresh_from_db()
    assert toner.quantity_on_hand == D(23)
    assert list(toner.lots.order_by("received_on").values_list("quantity_left", flat=True)) == [D(10), D(5), D(8)]


# --- Transfers (TMY md. 24, Nizip md. 12/18) ---------------------------------------------------------------


def test_transfer_out_gives_assets_with_parts_and_consumables(world: World, toner: StockItem) -> None:
    laptop = asset(world, holder=None, status="in_use")
    monitor = asset(world, name="Monitör", kind_name="Monitör", parent=laptop, price=D("4500.00"))
    wanted = [orders.Wanted(D(1), asset=laptop), orders.Wanted(D(2), toner)]
    order = orders.create_request(world.depot, world.clerk, "Kardeş belediyeye", wanted)
    orders.submit(order, world.clerk)
    orders.approve(order, world.manager)
    voucher = orders.transfer_out(order, world.clerk, "Karkamış Belediyesi")
    assert (voucher.kind, voucher.counterparty, voucher.status) == ("transfer_out", "Karkamış Belediyesi", "posted")
    described = sorted(voucher.lines.values_list("description", "quantity", "unit_price"))
    assert described == [
        ("Dizüstü bilgisayar", D(1), D("32000.00")),
        ("HP 26A toner", D(2), D("100.00")),
        ("Monitör", D(1), D("4500.00")),
    ]
    assert set(Asset.objects.filter(pk__in=[laptop.pk, monitor.pk]).values_list("status", flat=True)) == {"transferred"}
    services.reverse_and_restore(voucher, world.clerk, "Devir iptal")
    assert set(Asset.objects.filter(pk__in=[laptop.pk, monitor.pk]).values_list("status", flat=True)) == {"in_depot"}
    toner.refresh_from_db()
    assert toner.quantity_on_hand == D(23)


def test_transfer_between_own_units_is_a_logged_change_of_owner(world: World) -> None:
    laptop = asset(world, status="in_use")
    monitor = asset(world, name="Monitör", kind_name="Monitör", parent=laptop)
    moved = services.transfer_to_unit(laptop, world.fen, world.clerk)
    assert {a.pk for a in moved} == {laptop.pk, monitor.pk}
    assert set(Asset.objects.values_list("owner_unit_id", flat=True)) == {world.fen.pk}
    assert not Voucher.objects.exists()
    entry = ChangeLogEntry.objects.filter(content_type__model="asset", object_id=str(laptop.pk), action="update").last()
    assert entry is not None
    assert ("owner_unit_id", world.it.pk, world.fen.pk) in entry.changed_fields()
    with pytest.raises(ValidationError, match="already belongs"):
        services.transfer_to_unit(laptop, world.fen, world.clerk)


# --- Reports ---------------------------------------------------------------------------------------------


def test_stock_card_carries_the_balance_across_years(world: World) -> None:
    item = stock_item(world)
    receive(world, item, "10", "100.00", date(2025, 11, 3))
    services.issue_stock(item, D(4), world.it, world.clerk, ticket_ref="T-1", on=date(2025, 12, 1))
    receive(world, item, "6", "110.00", date(2026, 1, 5))
    services.issue_stock(item, D(7), world.fen, world.clerk, ticket_ref="T-2", on=date(2026, 2, 1))
    opening, rows = stock.stock_card(item, 2026)
    assert opening == D(6)
    assert [(r.quantity_in, r.quantity_out, r.balance, r.unit_price) for r in rows] == [
        (D(6), None, D(12), D("110.00")),
        (None, D(6), D(6), D("100.00")),
        (None, D(1), D(5), D("110.00")),
    ]
    item.refresh_from_db()
    assert rows[-1].balance == item.quantity_on_hand


def test_reorder_warnings_count_items_at_or_below_their_level(world: World, toner: StockItem) -> None:
    assert stock.reorder_warning_count(world.clerk) == 0
    services.issue_stock(toner, D(18), world.it, world.clerk, ticket_ref="T-4")
    stock_item(world, name="Kartuş", reorder="2")  # nothing on hand
    assert stock.reorder_warning_count(world.clerk) == 2
    assert stock.reorder_warning_count(world.requester) == 0  # another unit's depot
