"""The dashboard's figures on a small known month, counted inside each persona's scope; the satisfaction tab,
the Excel export and the monthly report PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from biys.core.calendar import ISTANBUL
from biys.core.testing import make_unit, make_user
from biys.org.models import Municipality
from biys.servicedesk import services
from biys.servicedesk.choices import Status
from biys.servicedesk.models import Satisfaction, Ticket
from biys.servicedesk.reports import queries

from .fixtures import Desk, make_cause, make_desk, make_item, make_staff, open_ticket

pytestmark = pytest.mark.django_db

OCTOBER = queries.month_period(2026, 10)
NOW = datetime(2026, 10, 26, 12, 0, tzinfo=ISTANBUL)  # "now" for the ageing buckets


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ISTANBUL)


def opened(desk: Desk, when: datetime, **extra: Any) -> Ticket:
    ticket = open_ticket(desk, at=when, **extra)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=when)  # opened then, not when the test ran
    ticket.created_at = when  # later saves of this instance write it back
    return ticket


def rated(ticket: Ticket, by: Any, score: int, comment: str, when: datetime) -> None:
    rating = services.rate(ticket, by, score, comment)
    Satisfaction.objects.filter(pk=rating.pk).update(created_at=when)


@pytest.fixture
def month() -> dict[str, Any]:
    """October 2026: three tickets resolved (one late on both targets), three open, one cancelled; three ratings.

    The support şeflik holds t1, t2, t4, t6, t8; the software şeflik t3 and t5; t7 is resolved in November.
    """
    desk = make_desk()
    software_item = make_item(desk.software, "Yazılım sorunu", policy=desk.policy, category="Yazılım", code="yazilim")
    software_cause = make_cause("SW-02", "Uygulama hatası")
    t1 = opened(desk, at(5, 9))
    t1.assign(desk.technician, desk.manager, at(5, 9, 10))
    t1.start(desk.technician, at(5, 9, 30))
    t1.resolve(desk.technician, "Silindir temizlendi.", desk.cause, at(5, 10))
    rated(t1, desk.requester, 5, "Harika, çok hızlıydı.", at(5, 11))
    t2 = opened(desk, at(6, 9))
    t2.start(desk.technician, at(6, 15))  # response was due at 14:00
    t2.resolve(desk.technician, "Kart değişti.", desk.cause, at(9, 10))  # resolution was due on the 8th at 09:00
    rated(t2, desk.requester, 2, "Geç geldiniz.", at(9, 12))
    t3 = opened(desk, at(7, 9), item=software_item, title="EBYS açılmıyor")
    t3.start(desk.software_technician, at(7, 10))
    t3.resolve(desk.software_technician, "Önbellek temizlendi.", software_cause, at(7, 11))
    rated(t3, desk.requester, 4, "", at(7, 12))
    t4 = opened(desk, at(20, 9))
    t4.assign(desk.technician, desk.manager, at(20, 10))
    opened(desk, at(26, 9), item=software_item, title="YBS yavaş")  # t5
    t6 = opened(desk, at(22, 9))
    t6.cancel(desk.requester, "Vazgeçtim", at(22, 10))
    t7 = opened(desk, at(2, 9, month=11))
    t7.start(desk.technician, at(2, 9, 30, month=11))
    t7.resolve(desk.technician, "Tamam.", desk.cause, at(2, 10, month=11))
    opened(desk, at(1, 9))  # t8: open for 25 days
    return {"desk": desk, "software_item": software_item}


def test_figures_of_a_known_month_for_the_auditor(month: dict[str, Any]) -> None:
    desk = month["desk"]
    data = queries.dashboard(desk.auditor, OCTOBER, now=NOW)
    assert (data.summary.opened, data.summary.resolved, data.summary.open_now) == (7, 3, 3)
    assert [(b.label, b.count) for b in data.by_unit] == [(desk.support.name, 2), (desk.software.name, 1)]
    assert [(b.label, b.count) for b in data.by_category] == [("Donanım", 2), ("Yazılım", 1)]
    statuses = {b.key: b.count for b in data.by_status}
    assert (statuses[Status.NEW], statuses[Status.ASSIGNED], statuses[Status.IN_PROGRESS]) == (2, 1, 0)
    assert [(b.label, b.count) for b in data.ageing] == [("0–1", 1), ("1–3", 0), ("3–7", 1), ("7–30", 1), (">30", 0)]
    sla = data.sla
    assert (sla.resolved, sla.measured, sla.met, sla.response_missed, sla.resolution_missed) == (3, 3, 2, 1, 1)
    assert sla.compliance == 66.7
    by_unit = {b.label: (b.count, b.extra["sla"].compliance, b.pct) for b in data.sla_by_unit}
    assert by_unit == {desk.support.name: (2, 50.0, 50), desk.software.name: (1, 100.0, 100)}
    workload = {b.key: (b.extra["open"], b.extra["resolved"]) for b in data.workload}
    assert workload == {desk.technician.pk: (1, 2), desk.software_technician.pk: (0, 1)}
    assert [(b.label, b.count) for b in data.root_causes] == [
        ("HW-01 Donanım arızası", 2),
        ("SW-02 Uygulama hatası", 1),
    ]
    ratings = data.ratings
    assert (ratings.average, ratings.count) == (3.67, 3)
    assert {b.label: (b.extra["average"], b.count, b.pct) for b in ratings.by_unit} == {
        desk.support.name: (3.5, 2, 70),
        desk.software.name: (4.0, 1, 80),
    }
    assert {b.label: b.extra["average"] for b in ratings.by_technician} == {"Mehmet Kaya": 3.5, "yazilimci": 4.0}
    assert {b.label: b.count for b in ratings.by_item} == {"Yazıcı arızası": 2, "Yazılım sorunu": 1}
    assert [b.count for b in ratings.distribution] == [1, 1, 0, 1, 0]  # 5, 4, 3, 2, 1 stars


def test_head_and_manager_count_everything(month: dict[str, Any]) -> None:
    desk = month["desk"]
    for person in (desk.head, desk.manager):
        data = queries.dashboard(person, OCTOBER, now=NOW)
        assert (data.summary.open_now, data.sla.resolved, data.ratings.count) == (3, 3, 3)


def test_a_technician_counts_only_their_own_queue(month: dict[str, Any]) -> None:
    desk = month["desk"]
    support = queries.dashboard(desk.technician, OCTOBER, now=NOW)
    assert [(b.label, b.count) for b in support.by_unit] == [(desk.support.name, 2)]
    assert (support.summary.open_now, support.summary.opened) == (2, 5)
    assert (support.sla.resolved, support.sla.met, support.sla.compliance) == (2, 1, 50.0)
    assert [b.key for b in support.workload] == [desk.technician.pk]
    assert (support.ratings.count, support.ratings.average) == (2, 3.5)
    assert desk.software.name not in {b.label for b in support.ratings.by_unit}

    software = queries.dashboard(desk.software_technician, OCTOBER, now=NOW)
    assert [(b.label, b.count) for b in software.by_unit] == [(desk.software.name, 1)]
    assert (software.sla.resolved, software.sla.compliance) == (1, 100.0)
    assert (software.ratings.count, software.ratings.average) == (1, 4.0)
    assert [b.key for b in software.workload] == [desk.software_technician.pk]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_pages_show_the_scoped_numbers(month: dict[str, Any]) -> None:
    desk = month["desk"]
    url = reverse("servicedesk:dashboard") + "?month=2026-10"
    auditor = client_for(desk.auditor).get(url)
    assert auditor.status_code == 200
    assert auditor.context["data"].sla.compliance == 66.7
    text = auditor.content.decode()
    assert desk.software.name in text and "Geç geldiniz." in text and 'data-testid="ageing-chart"' in text
    software = client_for(desk.software_technician).get(url)
    assert software.context["data"].summary.resolved == 1
    assert "Geç geldiniz." not in software.content.decode()
    assert desk.support.name not in software.content.decode()
    satisfaction = client_for(desk.software_technician).get(reverse("servicedesk:satisfaction") + "?month=2026-10")
    assert satisfaction.status_code == 200
    assert satisfaction.context["ratings"].count == 1


def test_requesters_see_no_dashboard(month: dict[str, Any]) -> None:
    desk = month["desk"]
    client = client_for(desk.requester)
    for name in ("dashboard", "satisfaction", "dashboard_xlsx", "monthly_report"):
        assert client.get(reverse(f"servicedesk:{name}")).status_code == 403, name


def test_bad_periods_get_a_message_not_an_error(month: dict[str, Any]) -> None:
    client = client_for(month["desk"].auditor)
    cases = {
        "?month=2026-13": "Choose the month as yyyy-mm, e.g. 2026-11.",
        "?start=31.10.2026&end=01.10.2026": "The end of the range is before its start.",
        "?start=01.10.2026": "Enter both dates of the range as dd.mm.yyyy.",
        "?start=2020-01-01&end=2026-01-01": "A range may be at most a year long.",
    }
    for query, message in cases.items():
        response = client.get(reverse("servicedesk:dashboard") + query)
        assert response.status_code == 200
        assert message in response.content.decode(), query
    response = client.get(reverse("servicedesk:monthly_report") + "?month=ekim")
    assert response.status_code == 302 and response["Location"] == reverse("servicedesk:dashboard")


def test_a_date_range_is_a_period(month: dict[str, Any]) -> None:
    client = client_for(month["desk"].auditor)
    response = client.get(reverse("servicedesk:dashboard") + "?start=05.10.2026&end=2026-10-07")
    assert response.context["data"].sla.resolved == 2  # t1 and t3; t2 was resolved on the 9th


def test_dashboard_query_count_does_not_grow_with_the_data(month: dict[str, Any]) -> None:
    desk = month["desk"]
    client = client_for(desk.auditor)
    url = reverse("servicedesk:dashboard") + "?month=2026-10"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    # More units, items, categories, technicians, tickets and ratings.
    extra_unit = make_unit("Ağ Şefliği", parent=desk.it, kind="seflik")
    network_tech = make_user("agci", unit=extra_unit, roles=("uzman",), first_name="Ali", last_name="Ağ")
    make_staff(network_tech, extra_unit, "Ali", "Ağ")
    network_item = make_item(extra_unit, "Ağ noktası", policy=desk.policy, category="Ağ", code="ag")
    for day in (12, 13, 14):
        ticket = opened(desk, at(day, 9), item=network_item)
        ticket.start(network_tech, at(day, 10))
        ticket.resolve(network_tech, "Port açıldı.", desk.cause, at(day, 11))
        rated(ticket, desk.requester, 3, "İdare eder.", at(day, 12))
        opened(desk, at(day, 14), item=network_item).assign(network_tech, desk.manager, at(day, 15))
    client.get(url)  # a new user was made: permissions are read once more (permcache), then kept
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["data"].sla.resolved == 6
    assert len(few) == len(many), [q["sql"] for q in many.captured_queries]


def test_excel_export_has_the_numbers(month: dict[str, Any]) -> None:
    desk = month["desk"]
    response = client_for(desk.auditor).get(reverse("servicedesk:dashboard_xlsx") + "?month=2026-10")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="hizmet-masasi-2026-10.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Resolved in the period"] == 3
    assert summary["SLA compliance (%)"] == 66.7
    assert summary["Average satisfaction (1–5)"] == 3.67
    by_unit = list(book["Open by unit"].iter_rows(min_row=2, values_only=True))
    assert (desk.support.name, 2) in by_unit
    workload = {row[0]: row[1:] for row in book["Workload"].iter_rows(min_row=2, values_only=True)}
    assert workload["Mehmet Kaya"] == (1, 2)
    comments = [row[2] for row in book["Comments"].iter_rows(min_row=2, values_only=True)]
    assert comments == ["Geç geldiniz.", "Harika, çok hızlıydı."]


def pdf_text(response: Any) -> str:
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True)
    return result.stdout.decode()


def test_monthly_report_pdf_prints_the_figures_in_turkish(month: dict[str, Any]) -> None:
    desk = month["desk"]
    Municipality.objects.create(pk=1, name="Mersin Büyükşehir Belediyesi", kind=Municipality.Kind.METROPOLITAN)
    response = client_for(desk.auditor).get(reverse("servicedesk:monthly_report") + "?month=2026-10")
    assert response["Content-Disposition"] == 'inline; filename="hizmet-masasi-2026-10.pdf"'
    text = " ".join(pdf_text(response).split())
    assert "MERSİN BÜYÜKŞEHİR BELEDİYESİ" in text
    assert "SERVICE DESK MONTHLY REPORT" in text
    assert "01.10.2026 – 31.10.2026" in text
    assert "Teknik Destek Şefliği" in text and "Yazılım Şefliği" in text
    assert "Yazıcı arızası" in text and "Geç geldiniz." in text and "Harika, çok hızlıydı." in text
    assert "66.7%" in text
    assert "HW-01 Donanım arızası" in text


def test_a_technicians_monthly_report_is_their_scope(month: dict[str, Any]) -> None:
    desk = month["desk"]
    response = client_for(desk.software_technician).get(reverse("servicedesk:monthly_report") + "?month=2026-10")
    text = " ".join(pdf_text(response).split())
    assert "Yazılım Şefliği and its sub-units" in text
    assert "Geç geldiniz." not in text and "Teknik Destek Şefliği" not in text
