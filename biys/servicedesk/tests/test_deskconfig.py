"""The desk's configuration kept per process: read once, read again after any change, in every process."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from biys.core import caching
from biys.core.calendar import ISTANBUL
from biys.core.testing import make_unit
from biys.servicedesk import deskconfig
from biys.servicedesk.choices import Priority
from biys.servicedesk.models import RoutingRule, SlaTarget
from biys.servicedesk.services import route

from .fixtures import Desk, make_desk, open_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk() -> Desk:
    return make_desk()


def test_the_configuration_is_read_once(desk: Desk, django_assert_num_queries: Any) -> None:
    deskconfig.current()
    with django_assert_num_queries(0):
        config = deskconfig.current()
        assert config.item(desk.item.code) is config.item(str(desk.item.pk)) is config.items[desk.item.pk]
        assert config.item("no-such-item") is None
        assert config.policy_of(desk.item) == desk.policy
        target = config.target(desk.policy.pk, Priority.NORMAL)
        assert target is not None and target.resolution_time == timedelta(hours=16)


def test_a_change_is_seen_at_once_here_and_renews_the_version_on_commit(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    elsewhere = make_unit("Sistem Şefliği", parent=desk.it, kind="seflik")
    assert route_of(desk) == desk.support
    version = deskconfig._config.version.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        RoutingRule.objects.create(item=desk.item, target_unit=elsewhere)
        assert route_of(desk) == elsewhere  # this process: at once
        assert deskconfig._config.version.current() == version  # the others: not before the commit
    assert callbacks and deskconfig._config.version.current() != version


def test_another_process_change_applies_when_its_version_arrives(desk: Desk) -> None:
    deskconfig.current()
    # Another process changed a target and committed: its rows are in the database and it renewed the version.
    SlaTarget.objects.filter(policy=desk.policy, priority=Priority.NORMAL).update(resolution_time=timedelta(hours=3))
    assert deskconfig.current().target(desk.policy.pk, Priority.NORMAL).resolution_time == timedelta(hours=16)
    deskconfig._config.version.renew()
    assert deskconfig.current().target(desk.policy.pk, Priority.NORMAL).resolution_time == timedelta(hours=3)


def test_a_change_behind_the_orm_applies_after_max_age(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    deskconfig.current()
    desk.item.__class__.objects.filter(pk=desk.item.pk).update(name="Yazıcı / tarayıcı arızası")
    assert deskconfig.current().items[desk.item.pk].name == "Yazıcı arızası"
    later = caching.monotonic() + deskconfig.MAX_AGE + 1
    monkeypatch.setattr(caching, "monotonic", lambda: later)
    assert deskconfig.current().items[desk.item.pk].name == "Yazıcı / tarayıcı arızası"


def test_a_new_ticket_uses_the_target_saved_a_moment_before(desk: Desk) -> None:
    deskconfig.current()
    target = SlaTarget.objects.get(policy=desk.policy, priority=Priority.NORMAL)
    target.resolution_time = timedelta(hours=2)
    target.save()
    monday_nine = datetime(2026, 3, 2, 9, 0, tzinfo=ISTANBUL)
    ticket = open_ticket(desk, at=monday_nine)
    assert ticket.resolution_due == monday_nine + timedelta(hours=2)


def route_of(desk: Desk) -> Any:
    return route(desk.item, desk.requesting)


@pytest.mark.django_db(transaction=True)
def test_a_change_that_is_rolled_back_is_not_kept() -> None:
    from django.db import transaction

    desk = make_desk()
    deskconfig.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        desk.item.name = "Geçici ad"
        desk.item.save()
        assert deskconfig.current().items[desk.item.pk].name == "Geçici ad"  # the changing request sees it
        raise RuntimeError("the step failed after the save")
    assert deskconfig.current().items[desk.item.pk].name == "Yazıcı arızası"
