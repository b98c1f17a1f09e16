"""Every POST of the ticket page: each action's happy path and a refused path (the step is not possible in the
ticket's state, or the input is wrong): a message, nothing written. Stale tokens, bad uploads, devices,
vendor cases, service forms with parts, and the rating."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from biys.core.testing import make_user
from biys.inventory import vouchers
from biys.inventory.models import Contract, Depot, StockItem, TasinirCode, Voucher
from biys.inventory.movements import services as stock_services
from biys.org.models import Staff
from biys.servicedesk import services
from biys.servicedesk.choices import FollowUpKind, Priority, Status, VendorCaseStatus
from biys.servicedesk.models import Attachment, FollowUp, Intervention, PartUsage, Satisfaction, Ticket, VendorCase

from .fixtures import Desk, make_desk, open_ticket
from .test_ticket_views import PDF, PNG, act, fresh, login, make_device, messages_of, version

pytestmark = pytest.mark.django_db


def started(desk: Desk) -> Ticket:
    ticket = open_ticket(desk)
    return services.act(ticket, "start", desk.technician)


def opened_hours_ago(ticket: Ticket, hours: int) -> Ticket:
    """The ticket as if it had been opened ``hours`` ago (a service form may not start before that)."""
    Ticket.objects.filter(pk=ticket.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    return fresh(ticket)


def resolved(desk: Desk) -> Ticket:
    return services.act(
        started(desk), "resolve", desk.technician, resolution="Silindir değişti.", root_cause=desk.cause
    )


def refused_now(response: Any, ticket: Ticket, status: str) -> None:
    """A step the user may take in principle but not now: a message, the ticket unchanged."""
    assert response.status_code == 302
    assert any("is not possible on ticket" in m for m in messages_of(response)), messages_of(response)
    assert fresh(ticket).status == status


def action_url(ticket: Ticket, action: str, **query: str) -> str:
    url = reverse("servicedesk:ticket_action", args=[ticket.pk, action])
    return url + (f"?{urlencode(query)}" if query else "")


# --- the action bar and its forms, fetched on demand ------------------------------------------------------------


def test_the_ticket_page_draws_buttons_and_builds_no_action_form(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.manager)
    response = client.get(ticket.get_absolute_url())
    html = response.content.decode()
    buttons = {name: asks for name, _label, asks in response.context["action_buttons"]}
    assert buttons["assign"] is True and buttons["transfer"] is True and buttons["start"] is False
    assert 'name="assignee"' not in html and 'name="to_unit"' not in html  # no form, no choice lists
    assert f'hx-get="{action_url(ticket, "assign")}?v=' in html
    # a step with nothing to ask is one button that posts the page's version at once
    start = html[html.index('data-testid="form-start"') :]
    assert f'name="_version" value="{version(ticket)}"' in start[: start.index("</form>")]


def test_an_action_form_opens_in_the_panel_with_the_version_of_the_page(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.manager)
    shown = version(ticket)
    services.act(ticket, "priority", desk.technician, priority=Priority.HIGH)  # someone changes it meanwhile
    panel = client.get(action_url(ticket, "assign", v=shown), HTTP_HX_REQUEST="true")
    html = panel.content.decode()
    assert panel.status_code == 200 and "<html" not in html and 'data-testid="form-assign"' in html
    assert panel.context["form"]["_version"].value() == shown  # the page's version, not today's
    response = act(client, fresh(ticket), "assign", assignee=desk.technician.pk, _version=shown)
    assert fresh(ticket).assignee is None  # the change the user has not seen is not overwritten
    assert response.status_code in (200, 302)


def test_an_action_form_has_a_page_of_its_own_without_javascript(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.manager)
    page = client.get(action_url(ticket, "transfer"))
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and 'data-testid="form-transfer"' in html
    assert 'name="to_unit"' in html and f'href="{ticket.get_absolute_url()}"' in html


def test_an_action_form_that_is_not_possible_now_or_never_is_refused(client: Client) -> None:
    desk = make_desk()
    ticket = resolved(desk)
    login(client, desk.manager)
    panel = client.get(action_url(ticket, "assign"), HTTP_HX_REQUEST="true")
    assert 'data-testid="action-refused"' in panel.content.decode() and "form-assign" not in panel.content.decode()
    page = client.get(action_url(ticket, "assign"))
    assert page.status_code == 302 and any("is not possible on ticket" in m for m in messages_of(page))
    login(client, desk.requester)
    assert client.get(action_url(open_ticket(desk), "assign")).status_code == 403
    assert client.get(action_url(ticket, "no-such-action")).status_code == 404


# --- state changes --------------------------------------------------------------------------------------------


def test_assign_to_a_technician_of_the_queue(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.manager)
    panel = client.get(action_url(ticket, "assign"), HTTP_HX_REQUEST="true")
    assert set(panel.context["form"].fields["assignee"].queryset) == {desk.technician}  # the support queue's workers
    response = act(client, ticket, "assign", assignee=desk.technician.pk)
    assert response.status_code == 302
    assert (fresh(ticket).status, fresh(ticket).assignee) == (Status.ASSIGNED, desk.technician)


def test_assigning_someone_outside_the_queue_is_refused_by_name(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.manager)
    response = act(client, ticket, "assign", assignee=desk.software_technician.pk)
    assert any(m.startswith("Assignee:") for m in messages_of(response)), messages_of(response)
    assert fresh(ticket).status == Status.NEW and fresh(ticket).assignee is None


def test_assign_is_not_possible_on_a_resolved_ticket(client: Client) -> None:
    desk = make_desk()
    ticket = resolved(desk)
    login(client, desk.manager)
    refused_now(act(client, ticket, "assign", assignee=desk.technician.pk), ticket, Status.RESOLVED)


def test_start_then_start_again_is_refused(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.technician)
    act(client, ticket, "start")
    assert fresh(ticket).status == Status.IN_PROGRESS and fresh(ticket).first_response_at is not None
    refused_now(act(client, ticket, "start"), ticket, Status.IN_PROGRESS)


def test_wait_for_the_requester_pauses_the_clock_and_resume_restarts_it(client: Client) -> None:
    desk = make_desk()
    ticket = started(desk)
    login(client, desk.technician)
    act(client, ticket, "wait", waiting_for=Status.WAITING_REQUESTER, note="Modeli nedir?")
    assert fresh(ticket).status == Status.WAITING_REQUESTER and fresh(ticket).is_paused
    assert 'data-testid="sla-paused"' in client.get(ticket.get_absolute_url()).content.decode()
    refused_now(act(client, ticket, "wait", waiting_for=Status.WAITING_PARTS), ticket, Status.WAITING_REQUESTER)
    act(client, ticket, "resume")
    assert fresh(ticket).status == Status.IN_PROGRESS and not fresh(ticket).is_paused
    refused_now(act(client, ticket, "resume"), ticket, Status.IN_PROGRESS)


def test_wait_is_not_possible_on_a_new_ticket(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.technician)
    refused_now(act(client, ticket, "wait", waiting_for=Status.WAITING_VENDOR), ticket, Status.NEW)


def test_resolve_needs_the_resolution_and_a_root_cause(client: Client) -> None:
    desk = make_desk()
    ticket = started(desk)
    login(client, desk.technician)
    response = act(client, ticket, "resolve", resolution="", root_cause="")
    errors = messages_of(response)
    assert "Resolution: Write what was done." in errors and "Root cause: Choose the root cause." in errors
    assert fresh(ticket).status == Status.IN_PROGRESS
    act(client, ticket, "resolve", resolution="Toner değişti.", root_cause=desk.cause.pk)
    assert (fresh(ticket).status, fresh(ticket).root_cause) == (Status.RESOLVED, desk.cause)


def test_close_a_resolved_ticket_but_not_one_in_progress(client: Client) -> None:
    desk = make_desk()
    working = started(desk)
    login(client, desk.technician)
    refused_now(act(client, working, "close"), working, Status.IN_PROGRESS)
    done = resolved(desk)
    act(client, done, "close")
    assert fresh(done).status == Status.CLOSED


def test_the_requester_reopens_with_a_reason(client: Client) -> None:
    desk = make_desk()
    ticket = resolved(desk)
    login(client, desk.requester)
    response = act(client, ticket, "reopen", reason="")
    assert "Reason: Say why the ticket is reopened." in messages_of(response)
    assert fresh(ticket).status == Status.RESOLVED
    act(client, ticket, "reopen", reason="Yine kağıt sıkıştırıyor")
    assert fresh(ticket).status == Status.IN_PROGRESS and fresh(ticket).reopen_count == 1


def test_the_requester_cancels_a_new_request_but_not_one_in_progress(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.requester)
    act(client, ticket, "cancel", reason="Kendiliğinden düzeldi")
    assert fresh(ticket).status == Status.CANCELLED
    working = started(desk)
    refused_now(act(client, working, "cancel", reason="Vazgeçtim"), working, Status.IN_PROGRESS)


def test_transfer_sends_the_ticket_to_the_software_queue(client: Client) -> None:
    desk = make_desk()
    ticket = started(desk)
    login(client, desk.technician)
    response = act(client, ticket, "transfer", to_unit=desk.support.pk, reason="Aynı yer")
    assert "To unit: The ticket is already in this unit's queue." in messages_of(response)
    response = act(client, ticket, "transfer", to_unit=desk.software.pk, reason="Donanım sağlam, yazılım hatası")
    assert response.status_code == 302 and response["Location"] == reverse("servicedesk:ticket_list")
    assert "has left your queue" in " ".join(messages_of(response))
    assert (fresh(ticket).status, fresh(ticket).assigned_unit) == (Status.NEW, desk.software)
    assert client.get(ticket.get_absolute_url()).status_code == 404  # no longer in the technician's queue
    login(client, desk.software_technician)
    assert client.get(ticket.get_absolute_url()).status_code == 200


def test_priority_is_changed_by_it_staff_only(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.requester)
    assert act(client, ticket, "priority", priority=Priority.CRITICAL).status_code == 403
    assert fresh(ticket).priority == Priority.NORMAL
    login(client, desk.technician)
    act(client, ticket, "priority", priority=Priority.CRITICAL)
    assert fresh(ticket).priority == Priority.CRITICAL
    assert fresh(ticket).resolution_due < ticket.resolution_due


def test_an_unknown_action_is_404(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.technician)
    assert act(client, ticket, "delete").status_code == 404


def test_a_stale_token_changes_nothing_and_says_who_changed_what(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    token = version(ticket)
    services.act(ticket, "assign", desk.manager, assignee=desk.technician)  # someone else in between
    login(client, desk.technician)
    before = fresh(ticket)
    response = act(client, ticket, "priority", priority=Priority.HIGH, _version=token)
    text = " ".join(messages_of(response))
    assert "was changed by" in text and "Nothing was saved" in text
    after = fresh(ticket)
    assert (after.priority, after.updated_at) == (before.priority, before.updated_at)


# --- follow-ups -----------------------------------------------------------------------------------------------


def comment(client: Client, ticket: Ticket, body: str, **data: Any) -> Any:
    data.setdefault("_version", version(ticket))
    data.setdefault("kind", FollowUpKind.COMMENT)
    return client.post(reverse("servicedesk:ticket_followup", args=[ticket.pk]), {"body": body, **data})


def test_the_requesters_answer_resumes_a_ticket_waiting_for_them(client: Client) -> None:
    desk = make_desk()
    ticket = services.act(started(desk), "wait", desk.technician, waiting_for=Status.WAITING_REQUESTER)
    login(client, desk.requester)
    response = comment(client, ticket, "HP LaserJet 400", uploads=[SimpleUploadedFile("foto.png", PNG)])
    assert response.status_code == 302
    assert fresh(ticket).status == Status.IN_PROGRESS
    entry = FollowUp.objects.get(ticket=ticket, kind=FollowUpKind.COMMENT)
    assert entry.files.get().name == "foto.png"


def test_internal_note_and_work_log_by_the_technician(client: Client) -> None:
    desk = make_desk()
    ticket = started(desk)
    login(client, desk.technician)
    comment(client, ticket, "Şifre ekranda yazıyor", kind=FollowUpKind.NOTE)
    comment(client, ticket, "Sürücü kuruldu", kind=FollowUpKind.WORK, minutes="30", on_site="on")
    note = FollowUp.objects.get(ticket=ticket, kind=FollowUpKind.NOTE)
    work = FollowUp.objects.get(ticket=ticket, kind=FollowUpKind.WORK)
    assert note.is_internal and (work.minutes, work.on_site, work.is_internal) == (30, True, False)
    login(client, desk.requester)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "Şifre ekranda yazıyor" not in page and "Sürücü kuruldu" in page
    response = comment(client, ticket, "Benim notum", kind=FollowUpKind.NOTE)  # a requester never writes notes
    assert response.status_code == 403
    assert not FollowUp.objects.filter(body="Benim notum").exists()


def test_an_empty_comment_is_refused_on_the_page(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.requester)
    response = comment(client, ticket, "   ")
    assert response.status_code == 422
    assert "Write something." in response.content.decode()
    assert not FollowUp.objects.filter(ticket=ticket, kind=FollowUpKind.COMMENT).exists()


def test_a_stale_comment_keeps_its_text_and_saves_on_the_second_click(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    token = version(ticket)
    services.act(ticket, "start", desk.technician)
    login(client, desk.requester)
    response = comment(client, ticket, "Uzun uzun yazdığım açıklama", _version=token)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Uzun uzun yazdığım açıklama" in html and "was changed by" in html
    assert not FollowUp.objects.filter(ticket=ticket, kind=FollowUpKind.COMMENT).exists()
    fresh_token = response.context["followup_form"].data["_version"]
    assert comment(client, ticket, "Uzun uzun yazdığım açıklama", _version=fresh_token).status_code == 302
    assert FollowUp.objects.filter(ticket=ticket, kind=FollowUpKind.COMMENT).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 100, "program.exe is not an accepted file type"),
        ("buyuk.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 10), "buyuk.pdf is larger than 1 MB"),
    ],
)
def test_a_bad_file_names_itself_and_nothing_is_written(
    client: Client, settings: Any, name: str, content: bytes, expected: str
) -> None:
    settings.BIYS_MAX_UPLOAD_MB = 1
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.requester)
    files = [SimpleUploadedFile("iyi.png", PNG), SimpleUploadedFile(name, content)]
    response = comment(client, ticket, "Dosyalar ekte", uploads=files)
    assert response.status_code == 422
    assert expected in response.content.decode()
    assert not FollowUp.objects.filter(ticket=ticket, kind=FollowUpKind.COMMENT).exists()
    assert not Attachment.objects.exists()


def test_files_without_text_are_attached(client: Client) -> None:
    desk = make_desk()
    ticket = open_ticket(desk)
    login(client, desk.requester)
    response = comment(client, ticket, "", uploads=[SimpleUploadedFile("log.txt", b"hata 42")])
    assert response.status_code == 302
    assert Attachment.objects.get(ticket=ticket).name == "log.txt"


# --- devices --------------------------------------------------------------------------------------------------


def test_link_and_unlink_a_device_by_registry_number(client: Client) -> None:
    desk = make_desk()
    device = make_device(desk)
    ticket = open_ticket(desk)
    login(client, desk.technician)
    url = reverse("servicedesk:ticket_asset_add", args=[ticket.pk])
    response = client.post(url, {"sicil_no": "255.99-yok", "_version": version(ticket)})
    assert "Registry number: No device with registry number 255.99-yok is visible to you." in messages_of(response)
    client.post(url, {"sicil_no": f" {device.sicil_no} ", "_version": version(ticket)})
    assert list(fresh(ticket).assets.all()) == [device]
    response = client.post(url, {"sicil_no": device.sicil_no, "_version": version(ticket)})
    assert any("already linked" in m for m in messages_of(response))
    assert FollowUp.objects.filter(ticket=ticket, body__contains="Device linked").exists()
    remove = reverse("servicedesk:ticket_asset_remove", args=[ticket.pk, device.pk])
    client.post(remove, {"_version": version(ticket)})
    assert not fresh(ticket).assets.exists()


def test_the_requester_cannot_link_devices(client: Client) -> None:
    desk = make_desk()
    device = make_device(desk)
    ticket = open_ticket(desk)
    login(client, desk.requester)
    url = reverse("servicedesk:ticket_asset_add", args=[ticket.pk])
    assert client.post(url, {"sicil_no": device.sicil_no, "_version": version(ticket)}).status_code == 403
    assert not fresh(ticket).assets.exists()


# --- vendor cases ---------------------------------------------------------------------------------------------


def covered_ticket(desk: Desk) -> tuple[Ticket, Any, Contract]:
    contract = Contract.objects.create(
        name="Yazıcı bakım",
        vendor="Baskı Teknik Ltd.",
        contact="Servis: 0324 111 22 33",
        start_date=timezone.localdate() - timedelta(days=30),
        end_date=timezone.localdate() + timedelta(days=300),
    )
    device = make_device(desk, contract=contract)
    return open_ticket(desk, assets=[device]), device, contract


def test_vendor_case_is_prefilled_from_the_contract_and_pauses_the_ticket(client: Client) -> None:
    desk = make_desk()
    ticket, device, contract = covered_ticket(desk)
    login(client, desk.technician)
    form = client.get(ticket.get_absolute_url()).context["vendor_form"]
    assert form["vendor"].value() == "Baskı Teknik Ltd." and form["contract"].value() == contract.pk
    assert form["asset"].value() == device.pk
    response = client.post(
        reverse("servicedesk:vendorcase_open", args=[ticket.pk]),
        {
            "vendor": "Baskı Teknik Ltd.",
            "asset": device.pk,
            "contract": contract.pk,
            "vendor_reference": "BT-881",
            "contact": "Servis",
            "_version": version(ticket),
        },
    )
    assert response.status_code == 302
    assert "Vendor case opened: Baskı Teknik Ltd." in messages_of(response)  # one full stop, not two
    case = VendorCase.objects.get(ticket=ticket)
    assert (case.vendor_reference, case.asset, case.status) == ("BT-881", device, VendorCaseStatus.SENT)
    assert fresh(ticket).status == Status.WAITING_VENDOR and fresh(ticket).is_paused


def test_vendor_return_needs_a_pdf_and_a_manager_approves_it(client: Client) -> None:
    desk = make_desk()
    ticket, device, _contract = covered_ticket(desk)
    case = services.open_vendor_case(ticket, desk.technician, vendor="Baskı Teknik Ltd.", asset=device)
    login(client, desk.technician)
    url = reverse("servicedesk:vendorcase_return", args=[case.pk])
    response = client.post(url, {"service_form": SimpleUploadedFile("form.pdf", PNG), "_version": version(ticket)})
    assert any(m.startswith("Vendor's service form (PDF):") for m in messages_of(response)), messages_of(response)
    assert VendorCase.objects.get(pk=case.pk).status == VendorCaseStatus.SENT
    response = client.post(url, {"service_form": SimpleUploadedFile("form.pdf", PDF), "_version": version(ticket)})
    assert "Vendor case marked as returned: Baskı Teknik Ltd." in messages_of(response)
    case.refresh_from_db()
    assert case.status == VendorCaseStatus.RETURNED and case.service_form
    assert fresh(ticket).status == Status.IN_PROGRESS
    review = reverse("servicedesk:vendorcase_review", args=[case.pk])
    assert client.post(review, {"decision": "approve", "_version": version(ticket)}).status_code == 403
    download = client.get(reverse("servicedesk:vendorcase_form", args=[case.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")
    login(client, desk.manager)
    assert f'data-testid="vendor-review-form-{case.pk}"' in client.get(ticket.get_absolute_url()).content.decode()
    client.post(review, {"decision": "approve", "note": "Uygun", "_version": version(ticket)})
    case.refresh_from_db()
    assert (case.status, case.approved_by) == (VendorCaseStatus.APPROVED, desk.manager)
    response = client.post(review, {"decision": "reject", "_version": version(ticket)})
    assert "Only a returned case's service form can be reviewed." in messages_of(response)
    login(client, desk.requester)
    assert client.get(reverse("servicedesk:vendorcase_form", args=[case.pk])).status_code == 403


# --- service forms and parts ----------------------------------------------------------------------------------


def stocked_depot(desk: Desk) -> StockItem:
    """The IT depot with 10 toners received on a posted purchase VİF."""
    clerk = make_user("kayit", unit=desk.it, roles=("tasinir_kayit",))
    records = Staff.objects.create(first_name="Kerem", last_name="Kayıtçı", unit=desk.it, user=clerk)
    control = Staff.objects.create(first_name="Kontrol", last_name="Yetkilisi", unit=desk.it)
    depot = Depot.objects.create(
        unit=desk.it,
        institutional_code="46.27.01.06",
        code="01",
        name="Bilgi İşlem Ambarı",
        records_officer=records,
        control_officer=control,
    )
    code = TasinirCode.objects.create(code="150.01.04.01", level=4, name="Tonerler")
    toner = StockItem.objects.create(depot=depot, tasinir_code=code, name="HP 26A toner")
    today = timezone.localdate()
    line = vouchers.Line(code, toner.name, Decimal(10), Decimal("100.00"), stock_item=toner)
    draft = stock_services.create_draft(depot, "purchase", today, [line], source_document="Fatura 1", source_date=today)
    stock_services.post_and_receive(draft, clerk)
    toner.refresh_from_db()
    return toner


def may_post_vouchers(user: Any) -> None:
    user.user_permissions.add(Permission.objects.get(content_type__app_label="inventory", codename="post_voucher"))


def intervention_data(ticket: Ticket, **extra: Any) -> dict[str, Any]:
    """A valid service form of 90 minutes ending now (for a ticket opened at least that long ago)."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "_version": version(ticket),
        "started_at": (now - timedelta(minutes=90)).strftime("%Y-%m-%dT%H:%M"),
        "ended_at": now.strftime("%Y-%m-%dT%H:%M"),
        "on_site": "on",
        "place": "Hizmet binası 3. kat",
        "work_done": "Silindir ve toner değişti.",
        "signed_by": "Ayşe Yılmaz",
        "parts-TOTAL_FORMS": "3",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "0",
        "parts-MAX_NUM_FORMS": "20",
    }
    data.update(extra)
    return data


def test_a_service_form_with_parts_issues_them_on_a_vif(client: Client) -> None:
    desk = make_desk()
    toner = stocked_depot(desk)
    may_post_vouchers(desk.technician)
    ticket = opened_hours_ago(started(desk), 3)
    login(client, desk.technician)
    url = reverse("servicedesk:intervention_add", args=[ticket.pk])
    assert toner.name in client.get(url).content.decode()
    response = client.post(url, intervention_data(ticket, **{"parts-0-stock_item": toner.pk, "parts-0-quantity": "2"}))
    assert response.status_code == 302, response.content[:2000]
    intervention = Intervention.objects.get(ticket=ticket)
    assert (intervention.work_done, intervention.duration) == ("Silindir ve toner değişti.", timedelta(minutes=90))
    usage = PartUsage.objects.get(ticket=ticket)
    assert (usage.intervention, usage.quantity, usage.voucher.status) == (
        intervention,
        Decimal(2),
        Voucher.Status.POSTED,
    )
    toner.refresh_from_db()
    assert toner.quantity_on_hand == Decimal(8)
    assert FollowUp.objects.filter(ticket=ticket, kind=FollowUpKind.WORK, minutes=90).exists()
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert reverse("servicedesk:intervention_pdf", args=[intervention.pk]) in page


def test_parts_need_the_right_to_post_vifs_and_nothing_is_written_without_it(client: Client) -> None:
    desk = make_desk()
    toner = stocked_depot(desk)
    ticket = opened_hours_ago(started(desk), 3)
    login(client, desk.technician)
    url = reverse("servicedesk:intervention_add", args=[ticket.pk])
    response = client.post(url, intervention_data(ticket, **{"parts-0-stock_item": toner.pk, "parts-0-quantity": "2"}))
    assert response.status_code == 422
    assert "may not post VİFs" in response.content.decode()
    assert not Intervention.objects.exists() and not PartUsage.objects.exists()
    toner.refresh_from_db()
    assert toner.quantity_on_hand == Decimal(10)
    part = reverse("servicedesk:ticket_part", args=[ticket.pk])
    response = client.post(part, {"stock_item": toner.pk, "quantity": "1", "_version": version(ticket)})
    assert any("may not post VİFs" in m for m in messages_of(response))
    assert not PartUsage.objects.exists()


def test_a_part_used_outside_a_service_form(client: Client) -> None:
    desk = make_desk()
    toner = stocked_depot(desk)
    may_post_vouchers(desk.technician)
    ticket = started(desk)
    login(client, desk.technician)
    part = reverse("servicedesk:ticket_part", args=[ticket.pk])
    response = client.post(part, {"stock_item": toner.pk, "quantity": "11", "_version": version(ticket)})
    assert any("Not enough" in m or "on hand" in m for m in messages_of(response)), messages_of(response)
    assert not PartUsage.objects.exists()
    client.post(part, {"stock_item": toner.pk, "quantity": "3", "_version": version(ticket)})
    assert PartUsage.objects.get(ticket=ticket).quantity == Decimal(3)


def test_a_service_form_with_the_end_before_the_start_is_refused(client: Client) -> None:
    desk = make_desk()
    ticket = started(desk)
    login(client, desk.technician)
    now = timezone.localtime()
    data = intervention_data(
        ticket,
        started_at=now.strftime("%Y-%m-%dT%H:%M"),
        ended_at=(now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(reverse("servicedesk:intervention_add", args=[ticket.pk]), data)
    assert response.status_code == 422
    assert "The end cannot be before the start." in response.content.decode()
    assert not Intervention.objects.exists()


def test_a_service_form_cannot_start_before_the_ticket_was_opened(client: Client) -> None:
    desk = make_desk()
    ticket = started(desk)  # opened just now; the form says the work started 90 minutes ago
    login(client, desk.technician)
    response = client.post(reverse("servicedesk:intervention_add", args=[ticket.pk]), intervention_data(ticket))
    assert response.status_code == 422
    opened = timezone.localtime(ticket.created_at).strftime("%d.%m.%Y %H:%M")
    message = f"The start cannot be before the request was opened ({opened})."
    assert response.context["form"].errors["started_at"] == [message]
    assert message in response.content.decode()
    assert not Intervention.objects.exists()


def test_a_service_form_cannot_end_in_the_future_but_may_run_a_few_minutes_ahead(client: Client) -> None:
    desk = make_desk()
    ticket = opened_hours_ago(started(desk), 3)
    login(client, desk.technician)
    url = reverse("servicedesk:intervention_add", args=[ticket.pk])
    now = timezone.localtime()
    response = client.post(
        url, intervention_data(ticket, ended_at=(now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    )
    assert response.status_code == 422
    assert response.context["form"].errors["ended_at"] == ["The end cannot be in the future."]
    assert not Intervention.objects.exists()
    response = client.post(
        url, intervention_data(ticket, ended_at=(now + timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M"))
    )
    assert response.status_code == 302 and Intervention.objects.filter(ticket=ticket).count() == 1


def test_the_service_form_starts_an_hour_ago_but_never_before_the_ticket_was_opened(client: Client) -> None:
    desk = make_desk()
    login(client, desk.technician)
    recent = started(desk)
    form = client.get(reverse("servicedesk:intervention_add", args=[recent.pk])).context["form"]
    assert form.initial["started_at"] == timezone.localtime(recent.created_at).replace(second=0, microsecond=0)
    older = opened_hours_ago(started(desk), 3)
    form = client.get(reverse("servicedesk:intervention_add", args=[older.pk])).context["form"]
    assert form.initial["started_at"] == form.initial["ended_at"] - timedelta(hours=1)


def test_no_service_form_on_a_cancelled_ticket(client: Client) -> None:
    desk = make_desk()
    ticket = opened_hours_ago(open_ticket(desk), 3)
    ticket.cancel(desk.requester, "Vazgeçtim")
    login(client, desk.technician)
    response = client.post(reverse("servicedesk:intervention_add", args=[ticket.pk]), intervention_data(ticket))
    refused_now(response, ticket, Status.CANCELLED)
    assert not Intervention.objects.exists()


# --- rating ---------------------------------------------------------------------------------------------------


def test_the_requester_rates_and_thereby_closes_a_resolved_ticket(client: Client) -> None:
    desk = make_desk()
    ticket = resolved(desk)
    login(client, desk.requester)
    url = reverse("servicedesk:ticket_rate", args=[ticket.pk])
    response = client.post(url, {"score": "9", "_version": version(ticket)})
    assert any(m.startswith("Score:") for m in messages_of(response))
    client.post(url, {"score": "5", "comment": "Hızlı ve güler yüzlü", "_version": version(ticket)})
    assert Satisfaction.objects.get(ticket=ticket).score == 5
    assert fresh(ticket).status == Status.CLOSED
    assert 'data-score="5"' in client.get(ticket.get_absolute_url()).content.decode()


def test_the_requester_of_a_resolved_ticket_is_asked_at_the_top_whether_it_is_solved(client: Client) -> None:
    desk = make_desk()
    ticket = resolved(desk)
    login(client, desk.requester)
    response = client.get(ticket.get_absolute_url())
    html = response.content.decode()
    top = html[html.index('data-testid="confirm-card"') : html.index('data-testid="ticket-description"')]
    assert "Is your problem solved?" in top and 'data-testid="rating-form"' in top
    assert all(f'data-testid="score-{n}"' in top for n in range(1, 6))
    # Closing without a rating and reopening are in the card; the action bar has nothing left for them.
    assert 'data-testid="action-close"' in top and 'data-testid="action-reopen"' in top
    assert 'data-testid="form-reopen"' in top
    assert response.context["action_buttons"] == [] and 'data-testid="ticket-actions"' not in html
    assert html.count('data-testid="rating-form"') == 1


def test_it_staff_keep_close_and_reopen_in_the_action_bar_and_see_no_rating(client: Client) -> None:
    desk = make_desk()
    ticket = resolved(desk)
    login(client, desk.technician)
    response = client.get(ticket.get_absolute_url())
    assert [name for name, _label, _asks in response.context["action_buttons"]] == ["close", "reopen"]
    assert 'data-testid="confirm-card"' not in response.content.decode()


def test_a_ticket_closed_without_a_rating_may_still_be_rated(client: Client) -> None:
    desk = make_desk()
    ticket = services.act(resolved(desk), "close", desk.requester)
    login(client, desk.requester)
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="confirm-card"' in html and 'data-testid="rating-form"' in html
    assert "Is your problem solved?" not in html and 'data-testid="action-reopen"' not in html
    client.post(reverse("servicedesk:ticket_rate", args=[ticket.pk]), {"score": "4", "_version": version(ticket)})
    assert Satisfaction.objects.get(ticket=ticket).score == 4
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="confirm-card"' not in html and 'data-score="4"' in html


def test_rating_before_resolution_is_not_possible(client: Client) -> None:
    desk = make_desk()
    ticket = started(desk)
    login(client, desk.requester)
    response = client.post(
        reverse("servicedesk:ticket_rate", args=[ticket.pk]), {"score": "4", "_version": version(ticket)}
    )
    refused_now(response, ticket, Status.IN_PROGRESS)
    assert not Satisfaction.objects.exists()


def test_the_technician_cannot_rate(client: Client) -> None:
    desk = make_desk()
    ticket = resolved(desk)
    login(client, desk.technician)
    response = client.post(
        reverse("servicedesk:ticket_rate", args=[ticket.pk]), {"score": "5", "_version": version(ticket)}
    )
    assert response.status_code == 403
