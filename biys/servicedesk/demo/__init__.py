"""The demo municipality's service desk: the default catalogue answered by the IT şeflikler, a few routing rules,
knowledge base articles, and ~40 tickets of the last 60 days in every state, with vendor cases, service forms
and ratings.

Tickets are opened through ``services.open_ticket`` and worked through the same rules as in the browser
(``services.require_action`` before every step); the steps carry their own past moments, so the SLA clock,
breaches and the dashboard look like two months of real work. Loaded once, inside ``org.demo.loader``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone

from biys.core.calendar import ISTANBUL, get_calendar
from biys.inventory.models import Asset
from biys.org.models import Staff, Unit
from biys.servicedesk import services, sla
from biys.servicedesk.choices import Channel, FollowUpKind, Status
from biys.servicedesk.defaults import NETWORK, SOFTWARE, SUPPORT, load_defaults
from biys.servicedesk.demo.data import (
    ARTICLES,
    SCENARIOS,
    SOFTWARE_UNIT,
    SUPPORT_UNIT,
    SYSTEMS_UNIT,
    TRAINING_UNIT,
    Scenario,
)
from biys.servicedesk.models import (
    Article,
    FollowUp,
    Intervention,
    RootCause,
    RoutingRule,
    Satisfaction,
    ServiceItem,
    Ticket,
    Transfer,
    VendorCase,
)
from biys.users.models import Role, User

# A one-page PDF standing in for the vendor's scanned service form.
VENDOR_FORM = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def load_servicedesk_demo(now: datetime | None = None) -> bool:
    """Load the demo service desk once; returns False (and changes nothing) when tickets already exist."""
    if Ticket.objects.exists():
        return False
    now = now or timezone.now()
    units = {unit.name: unit for unit in Unit.objects.all()}
    load_defaults(
        {SUPPORT: units[SUPPORT_UNIT], NETWORK: units[SYSTEMS_UNIT], SOFTWARE: units[SOFTWARE_UNIT]},
    )
    _routing_rules(units)
    people = _People.of(units)
    _articles(people)
    for scenario in sorted(SCENARIOS, key=_opening_order):
        _Run(scenario, people, now).play()
    sla.mark_breaches(now)
    return True


def _opening_order(scenario: Scenario) -> tuple[int, float]:
    """Oldest first, so ticket numbers follow the dates (``hour`` of today's tickets counts back from now)."""
    return (-scenario.days, scenario.hour if scenario.days else -scenario.hour)


def _routing_rules(units: dict[str, Unit]) -> None:
    rules = (
        ("kamera", "Zabıta Dairesi Başkanlığı", SYSTEMS_UNIT, "Zabıta kameraları merkezi kayıt sistemine bağlı."),
        ("donanim-arizasi", "İtfaiye Dairesi Başkanlığı", SYSTEMS_UNIT, "İtfaiye 7/24 çalışır; nöbetçi ekip bakar."),
        ("toplanti-destegi", "İnsan Kaynakları ve Eğitim Dairesi Başkanlığı", TRAINING_UNIT, "Eğitim salonu."),
    )
    for code, requester_unit, target, note in rules:
        rule = RoutingRule(
            item=ServiceItem.objects.get(code=code),
            requester_unit=units[requester_unit],
            target_unit=units[target],
            note=note,
        )
        rule.full_clean()
        rule.save()


# --- people ------------------------------------------------------------------------------------------------------


def _workers(unit: Unit) -> list[User]:
    users = User.objects.filter(unit=unit, is_active=True).order_by("username")
    return [user for user in users if user.has_perm("servicedesk.work_ticket")]


@dataclass
class _People:
    units: dict[str, Unit]
    techs: dict[str, User]
    manager: User
    requester_role: Role

    @classmethod
    def of(cls, units: dict[str, Unit]) -> _People:
        support = [u for u in _workers(units[SUPPORT_UNIT]) if u.username not in ("teknisyen", "sef")]
        systems, software = _workers(units[SYSTEMS_UNIT]), _workers(units[SOFTWARE_UNIT])
        techs = {
            "teknisyen": User.objects.get(username="teknisyen"),
            "sef": User.objects.get(username="sef"),
            "td2": support[0],
            "td3": support[1],
            "sd1": systems[0],
            "sd2": systems[1],
            "yz1": software[0],
            "yz2": software[1],
            "eg1": _workers(units[TRAINING_UNIT])[0],
        }
        manager = User.objects.get(username="mudur")
        return cls(units, techs, manager, Role.objects.get(code="birim_kullanicisi"))

    def requester(self, key: str) -> tuple[Staff, User | None]:
        """``kullanici`` (the demo login), or "<unit name>#n": the n-th person of a unit. Portal requesters get an
        account without a password (they sign in through the directory in real life)."""
        if key == "kullanici":
            staff = Staff.objects.select_related("user", "unit").get(user__username="kullanici")
            return staff, staff.user
        unit_name, _sep, rest = key.partition("#")
        portal = rest.endswith("+")
        index = int(rest.rstrip("+") or 0)
        staff = Staff.objects.filter(unit=self.units[unit_name]).select_related("user", "unit").order_by("id")[index]
        if portal and staff.user is None:
            user = User(
                username=f"p{staff.registry_no}".lower(),
                first_name=staff.first_name,
                last_name=staff.last_name,
                unit=staff.unit,
                email=staff.email,
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(self.requester_role.group_ptr)
            staff.user = user
            staff.save()
        return staff, (staff.user if portal else None)


class _Run:
    """Plays one scenario: the ticket, then each step at its moment, as the right person."""

    def __init__(self, scenario: Scenario, people: _People, now: datetime) -> None:
        self.s, self.people, self.now = scenario, people, now
        self.calendar = get_calendar()
        self.tech = people.techs[scenario.tech]
        self.case: VendorCase | None = None
        self.staff, self.user = people.requester(scenario.requester)

    def opened_at(self) -> datetime:
        if self.s.days == 0:
            return self.now - timedelta(hours=self.s.hour)
        day = timezone.localdate(self.now)
        for _step in range(self.s.days):
            day -= timedelta(days=1)
            while not self.calendar.is_business_day(day):
                day -= timedelta(days=1)
        hours, minutes = int(self.s.hour), round((self.s.hour % 1) * 60)
        return datetime.combine(day, time(hours, minutes), tzinfo=ISTANBUL)

    def play(self) -> None:
        at = self.opened_at()
        by = self.user or self.tech
        assets = []
        if self.s.asset:
            assets = list(Asset.objects.filter(name="Lazer yazıcı").order_by("sicil_no")[:1])
        ticket = services.open_ticket(
            item=ServiceItem.objects.get(code=self.s.item),
            title=self.s.title,
            description=self.s.description,
            by=by,
            requester=self.staff,
            channel=Channel.PORTAL if self.user else Channel.PHONE,
            priority=self.s.priority if self.user is None else None,
            form_data=self.s.form,
            assets=assets,
            at=at,
        )
        Ticket.objects.filter(pk=ticket.pk).update(created_at=at, updated_at=at)
        self.ticket_id = ticket.pk
        steps = self.s.steps
        if self.user is not None and self.s.priority is not None:  # requesters cannot set it; the desk does
            steps = (("priority", 0.1, self.s.priority), *steps)
        for index, (action, hours, *args) in enumerate(steps):
            at = self._moment(at, hours, len(steps) - index)
            mark = FollowUp.objects.aggregate(last=Max("pk"))["last"] or 0
            getattr(self, f"do_{action}")(at, *args)
            FollowUp.objects.filter(ticket_id=ticket.pk, pk__gt=mark).update(created_at=at, updated_at=at)
            Ticket.objects.filter(pk=ticket.pk).update(updated_at=at)

    def _moment(self, previous: datetime, hours: float, left: int) -> datetime:
        """``hours`` of business time after the previous step, but never in the future."""
        moment = self.calendar.add_business_hours(previous, timedelta(hours=hours))
        latest = self.now - timedelta(minutes=5 * left)
        return max(previous + timedelta(minutes=1), min(moment, latest))

    @property
    def ticket(self) -> Ticket:
        return Ticket.objects.select_related("item", "sla_policy", "requester").get(pk=self.ticket_id)

    def _allowed(self, by: User, action: str) -> Ticket:
        ticket = self.ticket
        services.require_action(ticket, by, action)
        return ticket

    # -- the steps ----------------------------------------------------------------------------------------------

    def do_assign(self, at: datetime, to: str) -> None:
        self.tech = self.people.techs[to]
        # The chief of Teknik Destek assigns his şeflik's tickets; the branch manager the others.
        manager = (
            self.people.techs["sef"] if self.tech.unit_id == self.people.techs["sef"].unit_id else self.people.manager
        )
        self._allowed(manager, "assign").assign(self.tech, manager, at)

    def do_priority(self, at: datetime, priority: int) -> None:
        self._allowed(self.tech, "priority").set_priority(priority, self.tech, at)

    def do_start(self, at: datetime, who: str = "") -> None:
        if who:
            self.tech = self.people.techs[who]
        self._allowed(self.tech, "start").start(self.tech, at)

    def do_wait(self, at: datetime, reason: str, note: str) -> None:
        ticket = self._allowed(self.tech, "wait")
        if reason == Status.WAITING_REQUESTER:
            services.add_followup(ticket, self.tech, note, at=at)
            note = ""
        self.ticket.wait(reason, self.tech, note, at)

    def do_comment(self, at: datetime, who: str, text: str) -> None:
        services.add_followup(self.ticket, self.user if who == "requester" else self.tech, text, at=at)

    def do_note(self, at: datetime, text: str) -> None:
        services.add_followup(self.ticket, self.tech, text, kind=FollowUpKind.NOTE, at=at)

    def do_worklog(self, at: datetime, minutes: int, text: str) -> None:
        services.add_followup(self.ticket, self.tech, text, kind=FollowUpKind.WORK, minutes=minutes, at=at)

    def do_form(self, at: datetime, minutes: int, text: str) -> None:
        started = at - timedelta(minutes=minutes)
        form = services.record_intervention(
            self.ticket, self.tech, started_at=started, ended_at=at, work_done=text, place=self.staff.unit.name
        )
        Intervention.objects.filter(pk=form.pk).update(created_at=at, updated_at=at)

    def do_transfer(self, at: datetime, unit: str, reason: str) -> None:
        self._allowed(self.tech, "transfer").transfer(self.people.units[unit], reason, self.tech, at)
        Transfer.objects.filter(ticket_id=self.ticket_id).update(created_at=at, updated_at=at)

    def do_resolve(self, at: datetime, cause: str, text: str) -> None:
        self._allowed(self.tech, "resolve").resolve(self.tech, text, RootCause.objects.get(code=cause), at)

    def do_close(self, at: datetime) -> None:
        by = self.user or self.tech
        self._allowed(by, "close").close(by, at)

    def do_rate(self, at: datetime, score: int, comment: str) -> None:
        assert self.user is not None, self.s.title  # noqa: S101 - a rated scenario has a portal requester
        self.do_close(at)
        rating = services.rate(self.ticket, self.user, score, comment)
        Satisfaction.objects.filter(pk=rating.pk).update(created_at=at, updated_at=at)

    def do_reopen(self, at: datetime, reason: str) -> None:
        by = self.user or self.tech
        self._allowed(by, "reopen").reopen(by, reason, at)

    def do_cancel(self, at: datetime, reason: str) -> None:
        self._allowed(self.tech, "cancel").cancel(self.tech, reason, at)

    def do_vendor(self, at: datetime, vendor: str, reference: str) -> None:
        # The clock pauses when the device leaves, not when the case is typed in.
        self._allowed(self.tech, "wait").wait(Status.WAITING_VENDOR, self.tech, vendor, at)
        asset = self.ticket.assets.first()
        self.case = services.open_vendor_case(
            self.ticket, self.tech, vendor=vendor, sent_at=at, asset=asset, vendor_reference=reference
        )
        VendorCase.objects.filter(pk=self.case.pk).update(created_at=at, updated_at=at)

    def do_vendor_back(self, at: datetime) -> None:
        assert self.case is not None  # noqa: S101 - follows a "vendor" step
        self._allowed(self.tech, "resume").resume(self.tech, at)
        form = ContentFile(VENDOR_FORM, name="servis-formu.pdf")
        services.vendor_returned(self.case, self.tech, returned_at=at, service_form=form)
        VendorCase.objects.filter(pk=self.case.pk).update(updated_at=at)

    def do_approve(self, at: datetime) -> None:
        assert self.case is not None  # noqa: S101 - follows a "vendor_back" step
        services.review_vendor_form(VendorCase.objects.get(pk=self.case.pk), self.people.manager, approve=True)
        VendorCase.objects.filter(pk=self.case.pk).update(approved_at=at, updated_at=at)


def _articles(people: _People) -> None:
    author = people.techs["teknisyen"]
    for title, summary, body, codes, status, internal in ARTICLES:
        article = Article(
            title=title,
            summary=summary,
            body=body,
            status=status,
            is_internal=internal,
            created_by=author,
            updated_by=author,
        )
        article.full_clean()
        article.save()
        article.items.set(ServiceItem.objects.filter(code__in=codes))
        Article.objects.filter(pk=article.pk).update(views=(len(body) * 7) % 90 + 5)
