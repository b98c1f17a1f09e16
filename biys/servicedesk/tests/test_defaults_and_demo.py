"""The catalogue shipped with BİYS (``load_defaults`` and ``biys load_catalogue``) and the demo service desk."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db.models import Count

from biys.core.testing import make_unit
from biys.servicedesk.choices import OPEN_STATUSES, FieldType, Priority, Status, VendorCaseStatus
from biys.servicedesk.defaults import ITEMS, ROOT_CAUSES, STANDARD_POLICY, load_defaults
from biys.servicedesk.models import (
    Article,
    RootCause,
    RoutingRule,
    Satisfaction,
    ServiceCategory,
    ServiceItem,
    SlaPolicy,
    SlaTarget,
    Ticket,
    VendorCase,
)

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = (ServiceCategory, ServiceItem, SlaPolicy, SlaTarget, RootCause)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def it_units() -> dict[str, Any]:
    it = make_unit("Bilgi İşlem Müdürlüğü", code="BIM", kind="mudurluk")
    return {
        "support": make_unit("Teknik Servis Birimi", parent=it, code="BIM-TS"),
        "network": make_unit("Sistem Bilgi ve Güvenliği Birimi", parent=it, code="BIM-SB"),
        "software": make_unit("Yazılım ve Ar-Ge Birimi", parent=it, code="BIM-YZ"),
    }


def test_load_defaults_twice_adds_nothing_the_second_time(it_units: dict[str, Any]) -> None:
    first = load_defaults(it_units)
    assert first.items == len(ITEMS) and first.root_causes == len(ROOT_CAUSES) and first.targets == 4
    before = counts()
    assert load_defaults(it_units).total == 0
    assert counts() == before


def test_every_default_item_is_valid_and_cites_the_directives(it_units: dict[str, Any]) -> None:
    load_defaults(it_units)
    policy = SlaPolicy.objects.get(name=STANDARD_POLICY)
    assert policy.is_default and policy.missing_priorities() == []
    assert {(t.priority, t.response_time, t.resolution_time) for t in policy.targets.all()} == {
        (Priority.CRITICAL, timedelta(hours=1), timedelta(hours=4)),
        (Priority.HIGH, timedelta(hours=2), timedelta(hours=8)),
        (Priority.NORMAL, timedelta(hours=4), timedelta(hours=16)),
        (Priority.LOW, timedelta(hours=8), timedelta(hours=40)),
    }
    for item in ServiceItem.objects.all():
        item.full_clean()
        assert item.sla_policy == policy
        assert "Mersin md." in item.directive_ref or "Nizip md." in item.directive_ref, item.code
        assert item.fields, item.code
    systems = next(f for f in ServiceItem.objects.get(code="yazilim-sorunu").fields if f["name"] == "sistem")
    assert systems["type"] == FieldType.CHOICE
    assert [c.split(" ")[0] for c in systems["choices"][:4]] == ["YBS", "KBS", "EBYS", "PDKS"]
    assert any("Web" in c for c in systems["choices"])
    prefixes = {code.split("-")[0] for code in RootCause.objects.values_list("code", flat=True)}
    assert {"HW", "SW", "NW", "USR", "EXT"} <= prefixes


def test_items_go_to_the_unit_of_their_area(it_units: dict[str, Any]) -> None:
    load_defaults(it_units)
    assert ServiceItem.objects.get(code="yazici-tarayici").responsible_unit == it_units["support"]
    assert ServiceItem.objects.get(code="ag-noktasi").responsible_unit == it_units["network"]
    assert ServiceItem.objects.get(code="cbs-hesabi").responsible_unit == it_units["software"]


def test_a_mapping_by_code_or_a_callable_chooses_the_unit(it_units: dict[str, Any]) -> None:
    load_defaults({"*": it_units["support"], "kamera": it_units["network"]})
    assert ServiceItem.objects.get(code="kamera").responsible_unit == it_units["network"]
    assert ServiceItem.objects.get(code="yazilim-talebi").responsible_unit == it_units["support"]
    ServiceItem.objects.all().delete()
    load_defaults(lambda code, area: it_units["software"] if code.startswith("yazilim") else it_units["support"])
    assert ServiceItem.objects.get(code="yazilim-sorunu").responsible_unit == it_units["software"]


def test_a_missing_unit_is_named(it_units: dict[str, Any]) -> None:
    with pytest.raises(ImproperlyConfigured, match="donanim-arizasi"):
        load_defaults({"software": it_units["software"]})
    assert ServiceItem.objects.count() == 0  # nothing half-written


def test_edits_survive_a_reload_and_an_existing_default_policy_stays_default(it_units: dict[str, Any]) -> None:
    own = SlaPolicy.objects.create(name="Belediyemizin politikası", is_default=True)
    load_defaults(it_units)
    assert not SlaPolicy.objects.get(name=STANDARD_POLICY).is_default
    assert SlaPolicy.objects.get(pk=own.pk).is_default
    ServiceItem.objects.filter(code="kamera").update(name="Kamera (Zabıta)", is_active=False)
    load_defaults(it_units)
    assert ServiceItem.objects.filter(code="kamera").values_list("name", "is_active").get() == (
        "Kamera (Zabıta)",
        False,
    )


def test_the_command_loads_the_catalogue_for_unit_codes(it_units: dict[str, Any]) -> None:
    out = StringIO()
    call_command("load_catalogue", "--unit", "BIM-TS", "--software-unit", "BIM-YZ", stdout=out)
    assert f"items {len(ITEMS)}" in out.getvalue()
    assert ServiceItem.objects.get(code="ag-noktasi").responsible_unit == it_units["support"]  # no --network-unit
    assert ServiceItem.objects.get(code="yazilim-sorunu").responsible_unit == it_units["software"]
    out = StringIO()
    call_command("load_catalogue", "--unit", "BIM-TS", stdout=out)
    assert "items 0" in out.getvalue()
    with pytest.raises(CommandError, match="--network-unit NOPE: no unit has this code"):
        call_command("load_catalogue", "--unit", "BIM-TS", "--network-unit", "NOPE")


# --- the demo ------------------------------------------------------------------------------------------------


def demo_counts() -> dict[str, int]:
    models = (Ticket, Article, RoutingRule, Satisfaction, VendorCase, ServiceItem, RootCause)
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_loads_twice_without_duplicates(settings: Any, tmp_path: Any) -> None:
    from biys.org.demo.loader import load_demo

    settings.MEDIA_ROOT = tmp_path
    assert load_demo().created
    first = demo_counts()
    assert 35 <= first["Ticket"] <= 50 and first["Article"] >= 8 and first["RoutingRule"] >= 2
    assert not load_demo().created
    assert demo_counts() == first

    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)  # every state is shown
    created = Ticket.objects.order_by("created_at").values_list("created_at", flat=True)
    assert (created.last() - created.first()).days >= 50  # spread over two months
    assert Ticket.objects.filter(resolution_breached=True).exists()
    assert Ticket.objects.filter(transfers__isnull=False).exists() and Ticket.objects.filter(reopen_count=1).exists()
    assert {c.status for c in VendorCase.objects.all()} >= {VendorCaseStatus.SENT, VendorCaseStatus.APPROVED}
    assert Satisfaction.objects.count() >= 10
    by_unit = dict(Ticket.objects.values_list("assigned_unit__name").annotate(n=Count("pk")))
    assert len(by_unit) >= 3
    teknisyen = Ticket.objects.filter(assignee__username="teknisyen", status__in=OPEN_STATUSES)
    assert teknisyen.count() >= 3  # the demo technician has a queue
    assert Ticket.objects.filter(requester__user__username="kullanici", status=Status.RESOLVED).exists()
    for item in ServiceItem.objects.select_related("responsible_unit"):
        assert item.responsible_unit.is_it, item
    titles = set(Article.objects.values_list("title", flat=True))
    assert {"Yazıcı kağıt sıkıştırıyor", "E-posta şifremi unuttum", "VPN bağlanmıyor"} <= titles
