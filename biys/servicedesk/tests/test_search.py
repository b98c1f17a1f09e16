"""Ticket search (biys.servicedesk.search) on the database the tests run on: SQLite (FTS5 trigram index)
or PostgreSQL (trigram GIN index)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from biys.servicedesk import search
from biys.servicedesk.models import Ticket, TicketSequence
from biys.servicedesk.search import search_tickets

from .fixtures import Desk, make_desk, open_ticket

pytestmark = pytest.mark.django_db


def found(text: str, queryset: object = None) -> set[int]:
    rows = Ticket.objects.all() if queryset is None else queryset
    return set(search_tickets(rows, text).values_list("pk", flat=True))  # type: ignore[arg-type]


@pytest.fixture
def desk() -> Desk:
    return make_desk()


@pytest.fixture
def tickets(desk: Desk) -> dict[str, Ticket]:
    return {
        "printer": open_ticket(desk, title="Yazıcı çalışmıyor", description="3. kattaki HP yazıcı kağıt sıkıştırıyor."),
        "network": open_ticket(
            desk, title="İnternet bağlantısı yok", description="Ağ kablosu takılı ama ışık yanmıyor."
        ),
        "both": open_ticket(desk, title="Ağ yazıcısı görünmüyor", description="İnternet var, yazıcı listede yok."),
        "mail": open_ticket(desk, title="E-posta şifremi unuttum", description="Outlook ŞİFRE soruyor."),
    }


def test_turkish_letters_case_and_ascii_spellings_find_the_same_tickets(tickets: dict[str, Ticket]) -> None:
    printer, both = tickets["printer"].pk, tickets["both"].pk
    for text in ("yazıcı", "YAZICI", "yazici", "Yazıcı", "YAZİCİ"):
        assert found(text) == {printer, both}, text
    for text in ("çalışmıyor", "CALISMIYOR", "ÇALIŞMIYOR", "calısmıyor"):
        assert found(text) == {printer}, text
    assert found("şifre") == found("SIFRE") == found("sifre") == {tickets["mail"].pk}
    assert found("IŞIK") == found("isik") == {tickets["network"].pk}


def test_every_term_must_match(tickets: dict[str, Ticket]) -> None:
    assert found("yazıcı çalışmıyor") == {tickets["printer"].pk}
    assert found("yazici internet") == {tickets["both"].pk}
    assert found("yazıcı outlook") == set()
    assert found("internet") == {tickets["network"].pk, tickets["both"].pk}


def test_parts_of_words_and_short_terms_match(tickets: dict[str, Ticket]) -> None:
    # A term is a substring of the key, as everywhere in BİYS: "yaz" finds "yazıcı"; "ağ" (two letters, below
    # the trigram index) finds "ağ" and "kağıt" too.
    assert found("yaz") == {tickets["printer"].pk, tickets["both"].pk}
    assert found("ağ") == {tickets["printer"].pk, tickets["network"].pk, tickets["both"].pk}
    assert found("ağ kablosu") == {tickets["network"].pk}
    assert found("AĞ YAZICISI") == {tickets["both"].pk}
    assert found("e-posta") == {tickets["mail"].pk}
    assert found("hp") == {tickets["printer"].pk}


def test_the_requester_name_is_searchable(tickets: dict[str, Ticket]) -> None:
    # The fixture's requester is Ayşe Yılmaz.
    assert found("ayse yilmaz yazici") == {tickets["printer"].pk, tickets["both"].pk}


def test_a_ticket_number_finds_that_ticket(desk: Desk) -> None:
    year = timezone.localdate().year
    TicketSequence.objects.create(year=year, last=122)
    ticket = open_ticket(desk, title="Monitör görüntü vermiyor")
    other = open_ticket(desk, title="Fare çalışmıyor", description=f"Bkz. {year}-000123 numaralı talep.")
    assert ticket.reference == f"{year}-000123"
    assert found(f"{year}-000123") == {ticket.pk}
    assert found(f"#{year}-000123") == {ticket.pk}
    assert found(f"  {year}-000123 monitör ") == {ticket.pk}
    assert found(f"{year}-000123 fare") == set()  # every term must match the same ticket
    assert found(f"{year}-000124") == {other.pk}
    assert found(f"{year - 1}-000123") == set()


def test_an_edited_ticket_is_found_by_its_new_words_only(tickets: dict[str, Ticket]) -> None:
    printer = Ticket.objects.get(pk=tickets["printer"].pk)
    printer.title = "Tarayıcı bilgisayarı görmüyor"
    printer.save()
    assert printer.pk in found("tarayıcı")
    assert printer.pk not in found("çalışmıyor")
    # A change that leaves the key alone (the status) keeps the ticket findable.
    Ticket.objects.filter(pk=printer.pk).update(status="closed")
    printer.refresh_from_db()
    printer.save()
    assert printer.pk in found("tarayici")


def test_search_stays_inside_the_queryset_it_is_given(tickets: dict[str, Ticket]) -> None:
    desk_tickets = Ticket.objects.filter(pk__in=[tickets["printer"].pk, tickets["mail"].pk])
    assert found("yazıcı", desk_tickets) == {tickets["printer"].pk}
    requester = tickets["printer"].requester.user
    mine = Ticket.restrict(Ticket.objects.all(), requester)
    assert found("yazıcı", mine) == {tickets["printer"].pk, tickets["both"].pk}


def test_query_syntax_characters_are_only_text(tickets: dict[str, Ticket]) -> None:
    for text in ('"yazıcı', "yazıcı OR outlook", "NEAR(yazıcı outlook)", "yazı*", "^yazıcı", "yazıcı -ağ", "a:b", "'"):
        search_tickets(Ticket.objects.all(), text).count()  # never a syntax error
    assert found("yazıcı OR outlook") == set()  # "or" is a term like any other, and no ticket holds it
    assert found("^yazıcı") == {tickets["printer"].pk, tickets["both"].pk}


def test_an_empty_query_changes_nothing(tickets: dict[str, Ticket]) -> None:
    assert found("") == found("  ") == found("?!") == {t.pk for t in tickets.values()}


def test_search_is_one_query(tickets: dict[str, Ticket], django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    search_tickets(Ticket.objects.all(), "warm").count()  # the SQLite index check runs once per database
    with django_assert_num_queries(1):
        list(search_tickets(Ticket.objects.all(), "yazıcı çalışmıyor ağ"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index exists on SQLite only")
def test_sqlite_index_survives_a_table_rebuild(desk: Desk, tickets: dict[str, Ticket]) -> None:
    """Django rebuilds an SQLite table to alter a column, dropping its triggers: the repair restores them."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {search.FTS_TABLE}_insert")
    assert search.ensure_sqlite_index() is True
    assert search.ensure_sqlite_index() is False  # nothing left to repair
    added = open_ticket(desk, title="Projeksiyon bağlanmıyor")
    assert found("projeksiyon") == {added.pk}
    assert found("yazıcı çalışmıyor") == {tickets["printer"].pk}


def test_the_index_serves_the_search(tickets: dict[str, Ticket]) -> None:
    sql = str(search_tickets(Ticket.objects.all(), "yazıcı ağ").query)
    if connection.vendor == "sqlite":
        assert "servicedesk_ticket_fts MATCH" in sql  # three letters and more through FTS5
        assert sql.count("LIKE") == 1  # "ag" is checked on the candidates
    else:
        assert sql.count("LIKE") == 2  # each term a LIKE the trigram GIN index serves


def test_results_come_newest_first_unless_the_caller_ordered_them(tickets: dict[str, Ticket]) -> None:
    newest_first = list(search_tickets(Ticket.objects.all(), "yazıcı").values_list("pk", flat=True))
    assert newest_first == [tickets["both"].pk, tickets["printer"].pk]
    by_title = search_tickets(Ticket.objects.order_by("title"), "yazıcı").values_list("title", flat=True)
    assert list(by_title) == ["Ağ yazıcısı görünmüyor", "Yazıcı çalışmıyor"]
