"""The knowledge base: Turkish search, what requesters may read, the views counter and editing by IT staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from biys.core.models import ChangeLogEntry
from biys.servicedesk.choices import ArticleStatus
from biys.servicedesk.models import Article

from .fixtures import make_desk

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def article(title: str, status: str = ArticleStatus.PUBLISHED, internal: bool = False, **extra: Any) -> Article:
    return Article.objects.create(
        title=title, body=extra.pop("body", "Adımlar"), status=status, is_internal=internal, **extra
    )


def listed(client: Client, **params: str) -> list[str]:
    response = client.get(reverse("servicedesk:article_list"), params)
    assert response.status_code == 200
    return [row.title for row in response.context["table"].data]


def test_search_is_turkish_folded() -> None:
    desk = make_desk()
    article("YAZICI KAĞIT SIKIŞTIRIYOR")
    article("E-posta şifremi unuttum", body="Şifre sıfırlama adımları")
    client = client_for(desk.requester)
    assert listed(client, q="yazici") == ["YAZICI KAĞIT SIKIŞTIRIYOR"]
    assert listed(client, q="kagit sikis") == ["YAZICI KAĞIT SIKIŞTIRIYOR"]
    assert listed(client, q="ŞİFRE") == ["E-posta şifremi unuttum"]
    assert listed(client, q="sifre sıfırlama") == ["E-posta şifremi unuttum"]


def test_articles_filter_by_catalogue_item_and_status() -> None:
    desk = make_desk()
    linked = article("Toner değişimi")
    linked.items.add(desk.item)
    article("VPN bağlanmıyor")
    article("Taslak yazı", status=ArticleStatus.DRAFT)
    client = client_for(desk.technician)
    assert listed(client, item=str(desk.item.pk)) == ["Toner değişimi"]
    assert listed(client, status=ArticleStatus.DRAFT) == ["Taslak yazı"]


def test_a_requester_sees_only_published_public_articles() -> None:
    desk = make_desk()
    public = article("VPN bağlanmıyor")
    draft = article("Yeni personel kontrol listesi", status=ArticleStatus.DRAFT)
    internal = article("Switch portu err-disabled", internal=True)
    archived = article("Eski sürüm", status=ArticleStatus.ARCHIVED)
    requester = client_for(desk.requester)
    assert listed(requester) == ["VPN bağlanmıyor"]
    assert requester.get(public.get_absolute_url()).status_code == 200
    for hidden in (draft, internal, archived):
        assert requester.get(hidden.get_absolute_url()).status_code == 404
        assert requester.get(reverse("servicedesk:article_history", kwargs={"pk": hidden.pk})).status_code == 404
    technician = client_for(desk.technician)
    assert sorted(listed(technician)) == sorted(a.title for a in (public, draft, internal, archived))
    assert technician.get(internal.get_absolute_url()).status_code == 200


def test_reading_counts_a_view_without_a_change_log_entry() -> None:
    desk = make_desk()
    target = article("Yazıcı kağıt sıkıştırıyor")
    client = client_for(desk.requester)  # the login itself is logged
    logged = ChangeLogEntry.objects.count()
    client.get(target.get_absolute_url())
    response = client.get(target.get_absolute_url())
    target.refresh_from_db()
    assert target.views == 2
    assert response.context["object"].views == 2
    assert ChangeLogEntry.objects.count() == logged
    assert "Yazıcı kağıt sıkıştırıyor" in response.content.decode()


def test_a_missing_article_counts_nothing() -> None:
    desk = make_desk()
    draft = article("Taslak", status=ArticleStatus.DRAFT)
    client_for(desk.requester).get(draft.get_absolute_url())
    draft.refresh_from_db()
    assert draft.views == 0


def test_it_staff_write_articles_and_requesters_cannot() -> None:
    desk = make_desk()
    data = {
        "title": "VPN bağlanmıyor",
        "summary": "Üç yaygın neden",
        "body": "1. İnternet bağlantınızı kontrol edin.",
        "items": [desk.item.pk],
        "status": ArticleStatus.PUBLISHED,
    }
    assert client_for(desk.requester).post(reverse("servicedesk:article_add"), data).status_code == 403
    response = client_for(desk.technician).post(reverse("servicedesk:article_add"), data)
    assert response.status_code == 302
    created = Article.objects.get(title="VPN bağlanmıyor")
    assert list(created.items.all()) == [desk.item]
    assert ChangeLogEntry.objects.filter(content_type__model="article", object_id=str(created.pk)).exists()
    edit = reverse("servicedesk:article_edit", kwargs={"pk": created.pk})
    assert client_for(desk.requester).get(edit).status_code == 403
    assert client_for(desk.technician).get(edit).status_code == 200


def test_the_article_list_has_a_constant_query_count() -> None:
    desk = make_desk()
    client = client_for(desk.technician)
    for number in range(3):
        article(f"Yazı {number}")
    client.get(reverse("servicedesk:article_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("servicedesk:article_list"))
    for number in range(3, 20):
        article(f"Yazı {number}").items.add(desk.item)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("servicedesk:article_list"))
    assert len(few) == len(many)
