"""Count rules (sayım, TMY md. 32-34): the board, lines from the records, scanning, the second count, closing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from biys.core.testing import make_user
from biys.inventory import vouchers
from biys.inventory.disposal import counting, services
from biys.inventory.models import Asset, CountLine, CountSession, Location, StockItem, StockLot, Voucher
from biys.inventory.tests.test_disposal_services import World, add_asset, english, make_world, tasinir_code

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 2)
__all__ = ["english"]  # autouse: messages are asserted in English


@pytest.fixture
def world() -> World:
    return make_world()


def board(world: World) -> list:  # type: ignore[type-arg]
    return [world.officer, *world.members[:2]]


def stock(world: World, name: str, on_hand: str, *, price: str = "100.00") -> StockItem:
    """A stock item with one lot bought at ``price`` (the lot prices shortages, md. 22)."""
    code = tasinir_code("150.01.04.01", "Tonerler")
    item = StockItem.objects.create(depot=world.depot, tasinir_code=code, name=name, quantity_on_hand=Decimal(on_hand))
    purchase = vouchers.create_voucher(
        world.depot,
        "purchase",
        date(2026, 1, 5),
        [vouchers.Line(code, name, Decimal(on_hand), Decimal(price), stock_item=item)],
    )
    StockLot.objects.create(
        stock_item=item,
        entry_line=purchase.lines.get(),
        received_on=date(2026, 1, 5),
        quantity_in=Decimal(on_hand),
        quantity_left=Decimal(on_hand),
        unit_price=Decimal(price),
    )
    return item


def line_of(session: CountSession, thing: Asset | StockItem) -> CountLine:
    field = "asset" if isinstance(thing, Asset) else "stock_item"
    return session.lines.get(**{field: thing})


# --- The board and the lines ---------------------------------------------------------------------------


def test_the_board_needs_three_members_and_the_records_officer(world: World) -> None:
    with pytest.raises(ValidationError, match="at least 3 members"):
        counting.open_count(world.depot, DAY, [world.officer, world.members[0]])
    with pytest.raises(ValidationError, match=r"records officer \(.*\) must be on the count board"):
        counting.open_count(world.depot, DAY, world.members)
    world.depot.records_officer = None
    world.depot.save()
    with pytest.raises(ValidationError, match="no records officer"):
        counting.open_count(world.depot, DAY, world.members)
    assert not CountSession.objects.exists()


def test_lines_come_from_the_records_and_custody_items_are_listed_apart(world: World) -> None:
    in_depot = add_asset(world, status=Asset.Status.IN_DEPOT)
    in_use = add_asset(world)
    held = add_asset(world, holder=world.members[0])  # on a Taşınır Teslim Belgesi
    in_repair = add_asset(world, status=Asset.Status.IN_REPAIR)
    scrapped = add_asset(world, status=Asset.Status.SCRAPPED)
    elsewhere = add_asset(make_world(depot_code="02"))
    toner = stock(world, "HP 26A toner", "5")
    session = counting.open_count(world.depot, DAY, board(world))
    listed = {line.asset_id for line in session.lines.filter(asset__isnull=False)}
    assert listed == {in_depot.pk, in_use.pk, held.pk, in_repair.pk}
    assert scrapped.pk not in listed and elsewhere.pk not in listed
    records = {line.asset_id for line in session.lines.filter(counting.records_only_q())}
    assert records == {held.pk, in_repair.pk}
    assert line_of(session, in_use).first_count is None
    assert line_of(session, toner).expected == Decimal("5")
    assert counting.summary(session) == {
        "lines": 5,
        "records": 2,
        "assets": 2,
        "found": 0,
        "surplus": 0,
        "stock": 1,
        "stock_counted": 0,
        "differences": 3,
        "recounted": 0,
    }


def test_a_shared_area_count_lists_only_that_area_and_no_stock(world: World) -> None:
    room = Location.objects.create(unit=world.unit, building="Hizmet Binası", floor="2", room="214")
    here, there = add_asset(world, location=room), add_asset(world)
    stock(world, "Kablo", "10")
    session = counting.open_count(world.depot, DAY, board(world), location=room)
    assert [line.asset_id for line in session.lines.all()] == [here.pk]
    assert there.pk not in {line.asset_id for line in session.lines.all()}


def test_one_open_count_per_depot(world: World) -> None:
    counting.open_count(world.depot, DAY, board(world))
    with pytest.raises(ValidationError, match="already open"):
        counting.open_count(world.depot, DAY, board(world))


# --- Scanning ----------------------------------------------------------------------------------------------


def test_a_scan_marks_the_asset_found_once(world: World) -> None:
    asset = add_asset(world)
    session = counting.open_count(world.depot, DAY, board(world))
    result = counting.scan(session, f"  {asset.sicil_no}\n", world.clerk)
    assert (result.outcome, result.counted) == ("found", True)
    line = line_of(session, asset)
    assert (line.first_count, line.scanned_by) == (Decimal(1), world.clerk)
    assert counting.scan(session, asset.sicil_no, world.clerk).outcome == "again"
    assert line_of(session, asset).first_count == Decimal(1)


def test_an_unknown_code_is_a_surplus_candidate_and_writes_nothing(world: World) -> None:
    session = counting.open_count(world.depot, DAY, board(world))
    result = counting.scan(session, "255.99.99-26-99999", world.clerk)
    assert result.outcome == "unknown"
    assert "surplus candidate" in result.message
    assert not session.lines.exists()
    with pytest.raises(ValidationError):
        counting.scan(session, "   ", world.clerk)


def test_an_asset_recorded_elsewhere_is_noted_as_a_surplus_line(world: World) -> None:
    stranger = add_asset(make_world(depot_code="02"))
    session = counting.open_count(world.depot, DAY, board(world))
    result = counting.scan(session, stranger.sicil_no, world.clerk)
    assert result.outcome == "elsewhere"
    line = line_of(session, stranger)
    assert (line.expected, line.first_count) == (Decimal(0), Decimal(1))
    assert counting.summary(session)["surplus"] == 1


def test_an_item_taken_from_the_records_is_not_scanned(world: World) -> None:
    held = add_asset(world, holder=world.members[0])
    session = counting.open_count(world.depot, DAY, board(world))
    assert counting.scan(session, held.sicil_no, world.clerk).outcome == "records"
    line = line_of(session, held)
    assert line.scanned_by is None and counting.is_records_only(line)


def test_a_mistaken_scan_can_be_taken_back(world: World) -> None:
    asset = add_asset(world)
    session = counting.open_count(world.depot, DAY, board(world))
    counting.scan(session, asset.sicil_no, world.clerk)
    counting.undo(session, line_of(session, asset), world.clerk)
    assert line_of(session, asset).first_count is None
    assert not counting.is_records_only(line_of(session, asset))


def test_stock_quantities_cannot_be_negative(world: World) -> None:
    toner = stock(world, "Toner", "4")
    session = counting.open_count(world.depot, DAY, board(world))
    with pytest.raises(ValidationError):
        counting.record_quantity(session, line_of(session, toner), Decimal("-1"), world.clerk)
    assert counting.record_quantity(session, line_of(session, toner), Decimal("4"), world.clerk).first_count == 4


# --- The second count of differences (md. 32) -----------------------------------------------------------


def test_only_the_differences_are_counted_a_second_time(world: World) -> None:
    found, missing = add_asset(world), add_asset(world)
    short, right = stock(world, "Toner", "5"), stock(world, "Kablo", "2")
    session = counting.open_count(world.depot, DAY, board(world))
    counting.scan(session, found.sicil_no, world.clerk)
    counting.record_quantity(session, line_of(session, short), Decimal("3"), world.clerk)
    with pytest.raises(ValidationError, match="Kablo"):
        counting.start_second_count(session)  # a stock item was not counted yet
    counting.record_quantity(session, line_of(session, right), Decimal("2"), world.clerk)
    with pytest.raises(ValidationError, match="start the second count"):
        counting.close_count(session, world.clerk)
    counting.start_second_count(session)
    assert {line.pk for line in counting.first_differences(session.lines.all())} == {
        line_of(session, missing).pk,
        line_of(session, short).pk,
    }
    assert counting.scan(session, found.sicil_no, world.clerk).outcome == "not_recounted"
    with pytest.raises(ValidationError, match="only differences"):
        counting.record_quantity(session, line_of(session, right), Decimal("1"), world.clerk)
    assert counting.scan(session, missing.sicil_no, world.clerk).outcome == "recounted"
    assert line_of(session, missing).second_count == Decimal(1)
    assert line_of(session, found).second_count is None


def test_without_differences_there_is_no_second_count(world: World) -> None:
    asset = add_asset(world)
    session = counting.open_count(world.depot, DAY, board(world))
    counting.scan(session, asset.sicil_no, world.clerk)
    with pytest.raises(ValidationError, match="no differences"):
        counting.start_second_count(session)


# --- Closing ------------------------------------------------------------------------------------------------


def counted_with_differences(world: World) -> tuple[CountSession, Asset, Asset, StockItem, StockItem]:
    found, missing = add_asset(world), add_asset(world, price="9100.00")
    short, extra = stock(world, "Toner", "5", price="1250.00"), stock(world, "Kablo", "2", price="40.00")
    session = counting.open_count(world.depot, DAY, board(world))
    counting.scan(session, found.sicil_no, world.clerk)
    counting.record_quantity(session, line_of(session, short), Decimal("3"), world.clerk)
    counting.record_quantity(session, line_of(session, extra), Decimal("4"), world.clerk)
    counting.start_second_count(session)
    counting.record_quantity(session, line_of(session, short), Decimal("3"), world.clerk)
    counting.record_quantity(session, line_of(session, extra), Decimal("4"), world.clerk)
    return session, found, missing, short, extra


def test_closing_posts_the_shortage_and_surplus_vifs_and_drafts_a_write_off(world: World) -> None:
    session, _found, missing, short, extra = counted_with_differences(world)
    assert services.movements_frozen(world.depot)
    outcome = counting.close_count(session, world.clerk)
    assert CountSession.objects.get(pk=session.pk).status == "closed"
    assert not services.movements_frozen(world.depot)
    posted = {(v.kind, v.direction, v.status) for v in outcome.vouchers}
    assert posted == {("count_shortage", "exit", "posted"), ("count_surplus", "entry", "posted")}
    assert [v.number for v in outcome.vouchers] == [1, 2, 3]  # the fixture's purchase VİFs are drafts
    lines = [
        (line.asset_id, line.stock_item_id, line.quantity, line.unit_price)
        for v in outcome.vouchers
        for line in v.lines.order_by("id")
    ]
    assert lines == [
        (missing.pk, None, Decimal(1), Decimal("9100.00")),
        (None, short.pk, Decimal(2), Decimal("1250.00")),
        (None, extra.pk, Decimal(2), Decimal("40.00")),
    ]
    assert all(v.source_document == counting.count_reference(session) for v in outcome.vouchers)
    assert list(counting.count_vouchers(session)) == outcome.vouchers
    proposal = outcome.loss_proposal
    assert (proposal.status, proposal.disposal) == ("draft", "loss")
    assert list(proposal.assets.all()) == [missing]
    assert proposal.exit_voucher == outcome.vouchers[0]
    missing.refresh_from_db()
    assert missing.status == "in_use"  # lost only after the write-off is approved (KDTOT)
    short.refresh_from_db()
    extra.refresh_from_db()
    assert (short.quantity_on_hand, extra.quantity_on_hand) == (Decimal(3), Decimal(4))
    assert list(extra.lots.order_by("id").values_list("quantity_left", "unit_price")) == [
        (Decimal(2), Decimal("40.00")),
        (Decimal(2), Decimal("40.00")),
    ]


def test_the_count_write_off_uses_the_posted_shortage_vif(world: World) -> None:
    session, _found, missing, _short, _extra = counted_with_differences(world)
    outcome = counting.close_count(session, world.clerk)
    vifs_before = Voucher.objects.count()
    proposal = services.approve(services.propose(outcome.loss_proposal), world.approver)
    done = services.complete(proposal, world.clerk)
    assert Voucher.objects.count() == vifs_before  # no second exit for the same items
    assert done.exit_voucher == outcome.vouchers[0]
    missing.refresh_from_db()
    assert missing.status == "lost"


def test_a_count_write_off_is_refused_once_its_shortage_vif_was_reversed(world: World) -> None:
    session, _found, _missing, _short, _extra = counted_with_differences(world)
    outcome = counting.close_count(session, world.clerk)
    vouchers.reverse_voucher(outcome.vouchers[0], world.clerk)
    proposal = services.approve(services.propose(outcome.loss_proposal), world.approver)
    with pytest.raises(ValidationError, match="has been reversed"):
        services.complete(proposal, world.clerk)


def test_a_shortage_is_priced_from_the_oldest_lots_first(world: World) -> None:
    toner = stock(world, "Toner", "3", price="100.00")
    code = toner.tasinir_code
    newer = vouchers.create_voucher(
        world.depot,
        "purchase",
        date(2026, 2, 1),
        [vouchers.Line(code, "Toner", Decimal(2), Decimal("130.00"), stock_item=toner)],
    )
    StockLot.objects.create(
        stock_item=toner,
        entry_line=newer.lines.get(),
        received_on=date(2026, 2, 1),
        quantity_in=Decimal(2),
        quantity_left=Decimal(2),
        unit_price=Decimal("130.00"),
    )
    toner.quantity_on_hand = Decimal(5)
    toner.save()
    session = counting.open_count(world.depot, DAY, board(world))
    counting.record_quantity(session, line_of(session, toner), Decimal(1), world.clerk)
    counting.start_second_count(session)
    counting.record_quantity(session, line_of(session, toner), Decimal(1), world.clerk)
    outcome = counting.close_count(session, world.clerk)
    priced = [(line.quantity, line.unit_price) for line in outcome.vouchers[0].lines.order_by("id")]
    assert priced == [(Decimal(3), Decimal("100.00")), (Decimal(1), Decimal("130.00"))]
    toner.refresh_from_db()
    assert toner.quantity_on_hand == Decimal(1)
    assert list(toner.lots.order_by("id").values_list("quantity_left", flat=True)) == [Decimal(0), Decimal(1)]


def test_a_clean_count_closes_without_documents(world: World) -> None:
    asset = add_asset(world)
    held = add_asset(world, holder=world.members[1])
    session = counting.open_count(world.depot, DAY, board(world))
    counting.scan(session, asset.sicil_no, world.clerk)
    outcome = counting.close_count(session, world.clerk)
    assert (outcome.vouchers, outcome.loss_proposal, outcome.shortages) == ([], None, [])
    assert held.pk in {row["line"].asset_id for row in counting.rows(session.lines.all()) if row["records_only"]}


def test_closing_needs_the_post_voucher_right_and_an_open_count(world: World) -> None:
    add_asset(world)
    session = counting.open_count(world.depot, DAY, board(world))
    technician = make_user("teknisyen", unit=world.unit, roles=("uzman",))
    with pytest.raises(PermissionDenied):
        counting.close_count(session, technician)
    assert CountSession.objects.get(pk=session.pk).status == "open"
    counting.start_second_count(session)
    counting.close_count(session, world.clerk)
    with pytest.raises(ValidationError, match="closed"):
        counting.close_count(session, world.clerk)
    with pytest.raises(ValidationError, match="closed"):
        counting.scan(session, "x", world.clerk)


def test_an_unscanned_asset_missing_in_both_counts_is_a_shortage(world: World) -> None:
    missing = add_asset(world)
    session = counting.open_count(world.depot, DAY, board(world), freeze_movements=False)
    assert not services.movements_frozen(world.depot)
    counting.start_second_count(session)
    shortages, surpluses = counting.differences(session)
    assert [(line.asset_id, qty) for line, qty in shortages] == [(missing.pk, Decimal(1))]
    assert surpluses == []
