"""Organization pages beyond the generic suite: tree, chart, personal data, dashboard scoping."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from biys.core.models import ChangeLogEntry
from biys.core.testing import make_unit, make_user
from biys.org.models import Staff, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units() -> dict[str, Unit]:
    root = make_unit("Mersin Büyükşehir Belediye Başkanlığı", code="ROOT", kind="baskanlik")
    it = make_unit("Bilgi İşlem Dairesi Başkanlığı", parent=root, code="BIDB", kind="daire_baskanligi", is_it=True)
    section = make_unit("Yazılım Hizmetleri Şefliği", parent=it, code="YZ", kind="seflik", is_it=True)
    fen = make_unit("Fen İşleri Dairesi Başkanlığı", parent=root, code="FEN", kind="daire_baskanligi")
    return {"root": root, "it": it, "section": section, "fen": fen}


def test_the_unit_tree_is_one_query_for_any_size(client: Client, units: dict[str, Unit]) -> None:
    client.force_login(make_user("kullanici", unit=units["fen"], roles=("birim_kullanicisi",)))
    client.get("/teskilat/agac/")
    with CaptureQueriesContext(connection) as small:
        response = client.get("/teskilat/agac/")
    for index in range(8):
        make_unit(f"Şube {index}", parent=units["fen"], code=f"F{index}")
    with CaptureQueriesContext(connection) as large:
        client.get("/teskilat/agac/")
    assert len(small) == len(large)
    assert "Yazılım Hizmetleri Şefliği" in response.content.decode()


def test_the_org_chart_shows_every_unit_as_svg_and_pdf(client: Client, units: dict[str, Unit]) -> None:
    client.force_login(make_user("kullanici", unit=units["fen"], roles=("birim_kullanicisi",)))
    svg = client.get("/teskilat/sema/?format=svg&root=all")
    assert svg["Content-Type"] == "image/svg+xml"
    text = svg.content.decode()
    assert text.count("<rect") == 4
    assert "Bilgi İşlem Dairesi" in text
    sub = client.get(f"/teskilat/sema/?format=svg&root={units['it'].pk}").content.decode()
    assert sub.count("<rect") == 2
    assert client.get("/teskilat/sema/?format=svg").content.decode().count("<rect") == 2  # IT by default
    pdf = client.get("/teskilat/sema/?format=pdf")
    assert pdf.content.startswith(b"%PDF")


def test_tckn_is_masked_until_revealed_and_the_reveal_is_logged(client: Client, units: dict[str, Unit]) -> None:
    staff = Staff.objects.create(first_name="Ayşe", last_name="Işık", unit=units["it"], tckn="10000000146")
    manager = make_user("sef", unit=units["it"], roles=("sube_muduru",))
    client.force_login(manager)
    listing = client.get("/teskilat/staff/").content.decode()
    detail = client.get(f"/teskilat/staff/{staff.pk}/").content.decode()
    assert "10000000146" not in listing and "10000000146" not in detail
    assert "•••••••0146" in detail
    revealed = client.post(f"/teskilat/staff/{staff.pk}/personal/")
    assert "10000000146" in revealed.content.decode()
    entry = ChangeLogEntry.objects.get(action="view_personal")
    assert (entry.user_id, entry.object_id) == (manager.pk, str(staff.pk))


def test_without_the_personal_data_right_nothing_is_revealed(client: Client, units: dict[str, Unit]) -> None:
    staff = Staff.objects.create(first_name="Ayşe", last_name="Işık", unit=units["it"], tckn="10000000146")
    client.force_login(make_user("teknisyen", unit=units["it"], roles=("uzman",)))
    assert client.post(f"/teskilat/staff/{staff.pk}/personal/").status_code == 403
    assert not ChangeLogEntry.objects.filter(action="view_personal").exists()


def test_staff_search_is_turkish_aware(client: Client, units: dict[str, Unit]) -> None:
    Staff.objects.create(first_name="Işıl", last_name="ÖZTÜRK", unit=units["it"])
    Staff.objects.create(first_name="İsmail", last_name="Çağlar", unit=units["it"])
    client.force_login(make_user("baskan", unit=units["root"], perms=("org.view_staff", "users.view_all_units")))
    for query, expected in (("ozturk", "Işıl"), ("ışıl", "Işıl"), ("ISMAIL", "İsmail"), ("çağ", "İsmail")):
        page = client.get("/teskilat/staff/", {"q": query}).content.decode()
        assert expected in page, query
    assert "Işıl" not in client.get("/teskilat/staff/", {"q": "çağlar"}).content.decode()


def test_htmx_refresh_returns_only_the_table(client: Client, units: dict[str, Unit]) -> None:
    Staff.objects.create(first_name="Işıl", last_name="Öztürk", unit=units["it"])
    client.force_login(make_user("baskan", unit=units["root"], perms=("org.view_staff", "users.view_all_units")))
    response = client.get("/teskilat/staff/?q=isil", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="object-table")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="object-table"')
    assert "<nav" not in body and "Öztürk" in body


def test_dashboard_counts_only_what_the_user_may_see(client: Client, units: dict[str, Unit]) -> None:
    for index in range(3):
        Staff.objects.create(first_name="Fen", last_name=f"Personeli {index}", unit=units["fen"])
    Staff.objects.create(first_name="Yazılım", last_name="Uzmanı", unit=units["section"])
    client.force_login(make_user("teknisyen", unit=units["it"], roles=("uzman",)))
    cards = {card["key"]: card["value"] for card in client.get("/").context["cards"]}
    assert cards["staff"] == 1
    client.force_login(make_user("denetci", unit=units["root"], roles=("denetci",)))
    cards = {card["key"]: card["value"] for card in client.get("/").context["cards"]}
    assert cards["staff"] == 4


def test_export_to_excel_and_csv_keep_turkish_text(client: Client, units: dict[str, Unit]) -> None:
    Staff.objects.create(first_name="Işıl", last_name="Öztürk", unit=units["it"], tckn="10000000146")
    client.force_login(make_user("baskan", unit=units["root"], perms=("org.view_staff", "users.view_all_units")))
    csv = client.get("/teskilat/staff/?export=csv")
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeff") and "Öztürk" in text and ";" in text
    assert "10000000146" not in text
    xlsx = client.get("/teskilat/staff/?export=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_directive_text_shows_bold_headings_and_stays_escaped() -> None:
    from biys.org.templatetags.org_tags import directive_text

    assert directive_text("**MADDE 1-** <b>x</b>") == "<strong>MADDE 1-</strong> &lt;b&gt;x&lt;/b&gt;"


@pytest.mark.parametrize(
    "url",
    [
        "/teskilat/staff/?sort=bogus",
        "/teskilat/staff/?page=9999",
        "/teskilat/staff/?page=abc",
        "/teskilat/staff/?unit=abc",
        "/teskilat/staff/?status=nope",
        "/teskilat/sema/?root=abc",
        "/teskilat/sema/?root=999999",
        "/changelog/?time_after=32.13.2026",
        "/teskilat/duties/?unassigned=maybe",
    ],
)
def test_bad_query_parameters_never_answer_500(client: Client, units: dict[str, Unit], url: str) -> None:
    client.force_login(make_user("denetci", unit=units["root"], roles=("denetci",)))
    assert client.get(url).status_code in (200, 404)


def test_staff_are_listed_in_turkish_alphabet_order(client: Client, units: dict[str, Unit]) -> None:
    for last in ("Zeybek", "Öztürk", "Çağlar", "Cengiz", "Işık", "İnce", "Şahin", "Ünal"):
        Staff.objects.create(first_name="Ali", last_name=last, unit=units["it"])
    client.force_login(make_user("baskan", unit=units["root"], perms=("org.view_staff", "users.view_all_units")))
    rows = client.get("/teskilat/staff/").context["table"].page.object_list
    assert [row.record.last_name for row in rows] == [
        "Cengiz",
        "Çağlar",
        "Işık",
        "İnce",
        "Öztürk",
        "Şahin",
        "Ünal",
        "Zeybek",
    ]


def test_links_in_list_rows_load_as_pages_not_into_the_table(client: Client, units: dict[str, Unit]) -> None:
    """The list wrapper boosts sort and page links into #object-table; row links (a record's page) must not
    be boosted, or the record's whole page is swapped into the list."""
    person = Staff.objects.create(first_name="Ali", last_name="Işık", unit=units["it"])
    client.force_login(make_user("baskan", unit=units["root"], perms=("org.view_staff", "users.view_all_units")))
    html = client.get("/teskilat/staff/").content.decode()
    assert 'id="object-table" class="card" hx-boost="true"' in html
    body = html[html.index("<tbody") : html.index("</tbody>")]
    assert body.startswith('<tbody hx-boost="false"') and f'href="/teskilat/staff/{person.pk}/"' in body


@pytest.mark.parametrize("sort", ["", "-last_name", "unit"])
def test_a_deep_page_reads_its_ids_first_and_shows_the_same_rows(
    client: Client, units: dict[str, Unit], monkeypatch: pytest.MonkeyPatch, sort: str
) -> None:
    from biys.core import pagination

    names = ["Yılmaz", "Öztürk", "Çelik", "Işık", "İnce", "Şahin", "Ünal", "Ağaoğlu", "Demir", "Kaya", "Zeybek"]
    for index in range(120):
        unit = units["it"] if index % 3 else units["root"]
        Staff.objects.create(first_name=f"Ad{index % 7}", last_name=names[index % len(names)], unit=unit)
    client.force_login(make_user("baskan", unit=units["root"], perms=("org.view_staff", "users.view_all_units")))
    url = f"/teskilat/staff/?page=3&sort={sort}"

    def shown() -> tuple[list[int], list[str]]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return [row.record.pk for row in response.context["table"].page.object_list], [
            q["sql"] for q in queries.captured_queries
        ]

    monkeypatch.setattr(pagination, "DEFERRED_FROM", 10**9)
    client.get(url)  # warm the per-process caches
    plain, plain_sql = shown()
    monkeypatch.setattr(pagination, "DEFERRED_FROM", 50)
    deferred, deferred_sql = shown()
    assert len(plain) == 20 and deferred == plain  # page 3 of 120: the same rows in the same order
    assert len(deferred_sql) == len(plain_sql)  # one query either way
    assert any('"org_staff"."id" IN (SELECT' in sql and "OFFSET 100" in sql for sql in deferred_sql)
    assert not any("IN (SELECT" in sql and "OFFSET" in sql for sql in plain_sql)


def test_staff_rows_show_masked_tckn_escaped_text_and_links(client: Client, units: dict[str, Unit]) -> None:
    person = Staff.objects.create(
        first_name="Işıl", last_name="<b>Öztürk</b>", unit=units["it"], tckn="10000000146", email="isil@bel.tr"
    )
    client.force_login(make_user("baskan", unit=units["root"], perms=("org.view_staff", "users.view_all_units")))
    html = client.get("/teskilat/staff/").content.decode()
    row = html[html.index(f'href="/teskilat/staff/{person.pk}/"') :]
    row = row[: row.index("</tr>")]
    assert "Işıl &lt;b&gt;Öztürk&lt;/b&gt;" in row and "<b>Öztürk" not in row
    assert "•••••••0146" in row and "10000000146" not in html  # KVKK md. 12: the last 4 only
    assert f'href="/teskilat/units/{units["it"].pk}/"' in row and 'href="mailto:isil@bel.tr"' in row
    assert row.count("</td>") == 8  # the headers' columns


def test_change_log_rows_show_time_user_object_and_request(client: Client, units: dict[str, Unit]) -> None:
    from django.utils import timezone

    Staff.objects.create(first_name="Ali", last_name="<i>Kaya</i>", unit=units["it"])
    entry = ChangeLogEntry.objects.filter(content_type__model="staff").latest("id")
    client.force_login(make_user("denetci", unit=units["root"], roles=("denetci",)))
    html = client.get("/changelog/").content.decode()
    row = html[html.index(f"<tr><td>{entry.id}</td>") :]
    row = row[: row.index("</tr>")]
    assert timezone.localtime(entry.time).strftime("%d.%m.%Y %H:%M:%S") in row
    assert "&lt;i&gt;Kaya&lt;/i&gt;" in row and "<i>Kaya" not in row
    assert row.count("<td") == 8
