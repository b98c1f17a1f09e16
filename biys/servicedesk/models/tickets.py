"""Tickets and the work on them: follow-ups, attachments, transfers, interventions (servis formu), parts,
vendor cases, mails and the requester's satisfaction.

A ticket changes state only through its transition methods (``assign``, ``start``, ``wait``, ``resume``,
``resolve``, ``close``, ``reopen``, ``cancel``, ``transfer``). Each checks the move against ``TRANSITIONS``,
runs the SLA clock (``biys.servicedesk.sla``), saves, and writes an event follow-up, in one transaction.
Sending notifications is the caller's business (``services``), after commit.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from biys.core.models import BaseModel, SearchableModel, in_subtree, sees_all_units, user_unit_path
from biys.servicedesk import sla
from biys.servicedesk.choices import (
    OPEN_STATUSES,
    Channel,
    FollowUpKind,
    Impact,
    Priority,
    Status,
)

from .catalogue import RootCause, ServiceItem, SlaPolicy

if TYPE_CHECKING:
    from .work import Transfer

REFERENCE = re.compile(r"#?(\d{4})-(\d{6})\b")

# Which state may follow which. Anything else is refused with a message naming both states.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.CANCELLED, Status.NEW}),
    Status.ASSIGNED: frozenset(
        {Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.CANCELLED, Status.NEW, *OPEN_STATUSES[3:]}
    ),
    Status.IN_PROGRESS: frozenset(
        {Status.IN_PROGRESS, Status.RESOLVED, Status.CANCELLED, Status.NEW, *OPEN_STATUSES[3:]}
    ),
    Status.WAITING_REQUESTER: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.CANCELLED, Status.NEW}),
    Status.WAITING_VENDOR: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.CANCELLED, Status.NEW}),
    Status.WAITING_PARTS: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.CANCELLED, Status.NEW}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
    Status.CANCELLED: frozenset(),
}


def is_it_staff(user: Any) -> bool:
    """IT staff work tickets and read internal notes; requesters do neither."""
    return bool(user.is_superuser or user.has_perm("servicedesk.view_internal_notes"))


class TicketSequence(models.Model):
    """The last ticket number of a year; locked per insert so numbers never repeat."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    changelog_skip: ClassVar[bool] = True  # each ticket is logged with its number

    class Meta:
        verbose_name = _("ticket number sequence")
        verbose_name_plural = _("ticket number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"

    @classmethod
    def take(cls, year: int) -> int:
        """The next number of ``year``, in one statement: an upsert that creates the year's row or adds one to it
        and returns the new value (SQLite 3.35+, PostgreSQL). The row stays locked until the caller's
        transaction ends, so two intakes never get the same number and a rolled-back intake gives its number
        back."""
        table = connection.ops.quote_name(cls._meta.db_table)  # the names are the model's, never input
        sql = (
            f'INSERT INTO {table} ("year", "last") VALUES (%s, 1) '  # noqa: S608
            f'ON CONFLICT ("year") DO UPDATE SET "last" = {table}."last" + 1 RETURNING "last"'
        )
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute(sql, [year])
            return int(cursor.fetchone()[0])


class Ticket(SearchableModel):
    """One request or fault report of a municipal employee, from intake to closure."""

    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    title = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("catalogue item"), on_delete=models.PROTECT, related_name="tickets"
    )
    form_data = models.JSONField(_("form answers"), default=dict, blank=True)
    requester = models.ForeignKey(
        "org.Staff",
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    requester_email = models.EmailField(_("requester e-mail"), blank=True)
    requester_name = models.CharField(
        _("requester name"), max_length=150, blank=True, help_text=_("For requests from outside the staff list.")
    )
    requester_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("requester unit"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("location"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_phone = models.CharField(_("contact phone (work)"), max_length=40, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PORTAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    impact = models.CharField(_("impact"), max_length=20, choices=Impact.choices, default=Impact.PERSON)
    assigned_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    assets = models.ManyToManyField("inventory.Asset", verbose_name=_("devices"), blank=True, related_name="tickets")
    root_cause = models.ForeignKey(
        RootCause, verbose_name=_("root cause"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("resolution"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # The SLA clock (see biys.servicedesk.sla): business time from sla_started_at, minus the paused time.
    sla_policy = models.ForeignKey(
        SlaPolicy, verbose_name=_("SLA policy"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sla_started_at = models.DateTimeField(_("SLA clock started"), null=True, blank=True)
    sla_paused_at = models.DateTimeField(_("SLA clock paused since"), null=True, blank=True)
    sla_paused_total = models.DurationField(_("SLA paused (business time)"), default=timedelta(0))
    response_due = models.DateTimeField(_("response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolution_warn_at = models.DateTimeField(_("warn from"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    response_breached = models.BooleanField(_("response target missed"), default=False)
    resolution_breached = models.BooleanField(_("resolution target missed"), default=False)
    warned_at = models.DateTimeField(_("breach warning sent"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    scope_unit_field: ClassVar[str | None] = "assigned_unit"
    changelog_exclude = ("search_key", "resolution_warn_at", "warned_at")

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="ticket_number")]
        indexes = [
            # the technician queue: a unit's open tickets by resolution due
            models.Index(fields=["assigned_unit", "status", "resolution_due"], name="ticket_queue"),
            models.Index(fields=["assignee", "status", "resolution_due"], name="ticket_assignee_queue"),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester"),
            models.Index(fields=["requester_unit", "status"], name="ticket_requester_unit"),
            models.Index(fields=["status", "resolution_due"], name="ticket_status_due"),
            models.Index(fields=["created_at"], name="ticket_created"),
            # period reports: resolved in a month, SLA compliance, satisfaction
            models.Index(fields=["resolved_at"], name="ticket_resolved"),
            # the open queue of a unit, covering what the scope tests: index-only counts on PostgreSQL
            models.Index(
                fields=["assigned_unit", "resolution_due", "id"],
                include=["assignee", "created_by", "requester"],
                condition=Q(status__in=OPEN_STATUSES),
                name="ticket_open_queue",
            ),
        ]
        permissions = [
            ("work_ticket", "Can work tickets of their unit's queue"),
            ("view_internal_notes", "Can read internal notes"),
            ("view_unit_tickets", "Can see the requests of their own unit"),
            ("view_servicedesk_reports", "Can see service desk reports and dashboards"),
            ("approve_vendorcase", "Can approve a vendor's service form"),
        ]

    def __str__(self) -> str:
        return f"#{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.year}-{self.number:06d}"

    def search_source(self) -> str:
        who = self.requester_name or (str(self.requester) if self.requester_id else "")
        return f"{self.reference} {self.title} {self.description} {who}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.sla_paused_at is not None

    @classmethod
    def scope(cls, user: Any) -> Q:
        """Requesters see their own tickets (and their unit's when granted); IT staff their unit's queue and
        what is assigned to them; Yönetici and Denetçi everything."""
        if not user.is_authenticated:
            return Q(pk__in=[])
        if sees_all_units(user):
            return Q()
        from biys.org.models import Staff

        # The unit subtree first, and the requester as a subquery rather than a join on org_staff: the
        # planner then walks the (assigned_unit, status, due) index instead of joining every row.
        query = Q()
        path = user_unit_path(user)
        if user.has_perm("servicedesk.work_ticket"):
            if path is not None:
                query |= in_subtree("assigned_unit", path)
            query |= Q(assignee_id=user.pk)
        query |= Q(requester__in=Staff.objects.filter(user_id=user.pk).values("pk")) | Q(created_by_id=user.pk)
        if path is not None and user.has_perm("servicedesk.view_unit_tickets"):
            query |= in_subtree("requester_unit", path)
        return query

    @classmethod
    def from_reference(cls, text: str) -> Ticket | None:
        """The ticket a subject line or a search box names, e.g. "[BİYS #2026-000123]"."""
        match = REFERENCE.search(text or "")
        if match is None:
            return None
        return cls.objects.filter(year=int(match[1]), number=int(match[2])).first()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and not self.number:
            self.year = self.year or timezone.localdate().year
            self.number = TicketSequence.take(self.year)
        super().save(*args, **kwargs)

    # -- transitions -------------------------------------------------------------------------------------------

    def _move(self, to: str) -> str:
        old = self.status
        if to not in TRANSITIONS[old]:
            raise ValidationError(
                gettext("A ticket cannot go from “%(old)s” to “%(new)s”.")
                % {"old": Status(old).label, "new": Status(to).label}
            )
        self.status = to
        return old

    def record_event(self, by: Any, text: str) -> FollowUp:
        """A line on the ticket's timeline saying what happened (a state change, a device linked …)."""
        return FollowUp.objects.create(
            ticket=self, kind=FollowUpKind.EVENT, body=text, is_internal=False, created_by=by, updated_by=by
        )

    def open(self, by: Any, at: datetime | None = None) -> None:
        """Save a new ticket and start its SLA clock (called once, by the intake services)."""
        # Inside the intake's transaction without a savepoint of its own (two statements per ticket): a
        # refusal here rolls back the whole intake step, which is what every caller wants.
        with transaction.atomic(savepoint=False):
            self._open(at or timezone.now())

    def _open(self, at: datetime) -> None:
        if self.pk is not None:
            raise ValidationError(gettext("This ticket is already open."))
        self.status = Status.NEW
        sla.start(self, at)
        # Foreign keys arrive as objects the intake already scoped and checked: validating them again would
        # cost a query each.
        resolved = [
            f.name for f in self._meta.concrete_fields if f.is_relation and getattr(self, f.attname) is not None
        ]
        self.full_clean(exclude=["year", "number", *resolved])
        self.save()

    @transaction.atomic
    def assign(self, to: Any, by: Any, at: datetime | None = None) -> None:
        at = at or timezone.now()
        if to is not None and not to.is_active:
            raise ValidationError({"assignee": gettext("%(user)s is not an active user.") % {"user": to}})
        if self.status == Status.NEW:
            self._move(Status.ASSIGNED)
        elif self.status not in OPEN_STATUSES:
            raise ValidationError(gettext("Only an open ticket can be assigned."))
        self.assignee = to
        self.save()
        name = to.get_full_name() or to.get_username() if to is not None else "—"
        self.record_event(by, gettext("Assigned to %(user)s.") % {"user": name})

    @transaction.atomic
    def start(self, by: Any, at: datetime | None = None) -> None:
        """The technician takes up the ticket: the response target is met now."""
        at = at or timezone.now()
        if self.status not in (Status.NEW, Status.ASSIGNED):
            raise ValidationError(
                gettext("A ticket cannot go from “%(old)s” to “%(new)s”.")
                % {"old": Status(self.status).label, "new": Status.IN_PROGRESS.label}
            )
        self._move(Status.IN_PROGRESS)
        if self.assignee_id is None:
            self.assignee = by
        sla.respond(self, at)
        self.save()
        self.record_event(by, gettext("Work started."))

    @transaction.atomic
    def wait(self, reason: str, by: Any, note: str = "", at: datetime | None = None) -> None:
        """Wait for the requester, the vendor or parts. Waiting on others pauses the clock."""
        at = at or timezone.now()
        if reason not in (Status.WAITING_REQUESTER, Status.WAITING_VENDOR, Status.WAITING_PARTS):
            raise ValidationError(gettext("Choose what the ticket waits for."))
        self._move(reason)
        sla.respond(self, at)
        if sla.pauses(self, reason):
            sla.pause(self, at)
        self.save()
        text = Status(reason).label
        self.record_event(by, f"{text}. {note}".strip())

    @transaction.atomic
    def resume(self, by: Any, at: datetime | None = None) -> None:
        at = at or timezone.now()
        if self.status not in (Status.WAITING_REQUESTER, Status.WAITING_VENDOR, Status.WAITING_PARTS):
            raise ValidationError(gettext("Only a waiting ticket can be resumed."))
        self._move(Status.IN_PROGRESS)
        sla.resume(self, at)
        self.save()
        self.record_event(by, gettext("Work resumed."))

    @transaction.atomic
    def resolve(self, by: Any, resolution: str, root_cause: RootCause | None, at: datetime | None = None) -> None:
        at = at or timezone.now()
        errors: dict[str, str] = {}
        if not (resolution or "").strip():
            errors["resolution"] = gettext("Write what was done.")
        if root_cause is None:
            errors["root_cause"] = gettext("Choose the root cause.")
        if errors:
            raise ValidationError(errors)
        self._move(Status.RESOLVED)
        self.resolution, self.root_cause = resolution.strip(), root_cause
        if self.assignee_id is None:
            self.assignee = by
        sla.respond(self, at)
        sla.finish(self, at)
        self.resolved_at = at
        self.save()
        self.record_event(by, gettext("Resolved."))

    @transaction.atomic
    def close(self, by: Any, at: datetime | None = None) -> None:
        """The requester confirms the resolution (or it is closed automatically after the waiting period)."""
        at = at or timezone.now()
        self._move(Status.CLOSED)
        self.closed_at = at
        self.save()
        self.record_event(by, gettext("Closed."))

    @transaction.atomic
    def reopen(self, by: Any, reason: str, at: datetime | None = None) -> None:
        at = at or timezone.now()
        if not (reason or "").strip():
            raise ValidationError({"reason": gettext("Say why the ticket is reopened.")})
        self._move(Status.IN_PROGRESS)
        self.reopen_count += 1
        self.resolved_at = self.closed_at = None
        sla.resume(self, at)
        self.save()
        self.record_event(by, gettext("Reopened: %(reason)s") % {"reason": reason.strip()})

    @transaction.atomic
    def cancel(self, by: Any, reason: str, at: datetime | None = None) -> None:
        at = at or timezone.now()
        if not (reason or "").strip():
            raise ValidationError({"reason": gettext("Say why the ticket is cancelled.")})
        self._move(Status.CANCELLED)
        sla.finish(self, at)
        self.closed_at = at
        self.save()
        self.record_event(by, gettext("Cancelled: %(reason)s") % {"reason": reason.strip()})

    @transaction.atomic
    def transfer(self, to_unit: Any, reason: str, by: Any, at: datetime | None = None) -> Transfer:
        """Send the ticket to another unit's queue with a reason (Mersin md. 7/3-d); it starts there unassigned."""
        at = at or timezone.now()
        if not (reason or "").strip():
            raise ValidationError({"reason": gettext("Say why the ticket is transferred.")})
        if to_unit.pk == self.assigned_unit_id:
            raise ValidationError({"to_unit": gettext("The ticket is already in this unit's queue.")})
        was_waiting = self.is_paused and self.status != Status.RESOLVED
        self._move(Status.NEW)
        if was_waiting:
            sla.resume(self, at)
        from .work import Transfer

        transfer = Transfer.objects.create(
            ticket=self, from_unit_id=self.assigned_unit_id, to_unit=to_unit, reason=reason.strip(), created_by=by
        )
        self.assigned_unit, self.assignee = to_unit, None
        self.save()
        self.record_event(
            by, gettext("Transferred to %(unit)s: %(reason)s") % {"unit": to_unit, "reason": reason.strip()}
        )
        return transfer

    @transaction.atomic
    def set_priority(self, priority: int, by: Any, at: datetime | None = None) -> None:
        """A new priority takes the new targets, counted from the ticket's start (time already used stays used)."""
        at = at or timezone.now()
        if priority not in Priority.values:
            raise ValidationError({"priority": gettext("Unknown priority.")})
        if priority == self.priority:
            return
        old = self.get_priority_display()
        self.priority = priority
        if self.is_open:
            sla.recompute(self, at)
        self.save()
        self.record_event(
            by, gettext("Priority changed from %(old)s to %(new)s.") % {"old": old, "new": self.get_priority_display()}
        )


def prefixed(query: Q, prefix: str) -> Q:
    """``query`` with every lookup read through the foreign key ``prefix`` (``unit`` → ``ticket__unit``)."""
    result = Q()
    result.connector, result.negated = query.connector, query.negated
    result.children = [
        prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}__{child[0]}", child[1])
        for child in query.children
    ]
    return result


def _through_ticket(user: Any, prefix: str = "ticket") -> Q:
    """The ticket's scope, joined through the foreign key: not ``ticket IN (every visible ticket)``, which
    SQLite would evaluate by scanning the whole ticket table for each query."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if sees_all_units(user):
        return Q()
    return prefixed(Ticket.scope(user), prefix)


class TicketPart:
    """A row that belongs to one ticket (follow-up, attachment, transfer, service form, part, vendor case).

    Whoever may see the ticket sees its rows, less the row's own rules (``row_rules``: internal notes are for
    IT staff). ``of_ticket`` lists one ticket's rows with the row rules only: the ticket page has read the
    ticket through ``Ticket.scope`` already, and repeating that scope for each of its six lists cost more
    than the lists themselves.
    """

    @classmethod
    def row_rules(cls, user: Any) -> Q:
        return Q()

    @classmethod
    def scope(cls, user: Any) -> Q:
        if not user.is_authenticated:
            return Q(pk__in=[])
        return _through_ticket(user) & cls.row_rules(user)

    @classmethod
    def of_ticket(cls, queryset: models.QuerySet[Any], user: Any) -> models.QuerySet[Any]:
        """``queryset`` (one ticket's rows, e.g. ``ticket.followups.all()``) as ``user`` may see them. The
        caller must have read that ticket through ``Ticket.scope``."""
        if not user.is_authenticated:
            return queryset.none()
        return queryset.filter(cls.row_rules(user))


class InternalRows(TicketPart):
    """Rows marked internal are shown to IT staff only."""

    @classmethod
    def row_rules(cls, user: Any) -> Q:
        return Q() if is_it_staff(user) else Q(is_internal=False)


class FollowUp(InternalRows, BaseModel):
    """One entry on a ticket's timeline: a comment, an internal note, a work log or a state change."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField(_("kind"), max_length=10, choices=FollowUpKind.choices, default=FollowUpKind.COMMENT)
    body = models.TextField(_("text"))
    is_internal = models.BooleanField(_("internal"), default=False, help_text=_("Never shown to the requester."))
    minutes = models.PositiveIntegerField(_("time spent (minutes)"), default=0)
    on_site = models.BooleanField(_("on-site visit"), default=False)

    class Meta:
        ordering = ["ticket", "created_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["ticket", "created_at"], name="followup_ticket")]

    def __str__(self) -> str:
        return f"{self.ticket.reference if self.ticket_id else ''} {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        if self.kind == FollowUpKind.NOTE:
            self.is_internal = True
        if not (self.body or "").strip():
            raise ValidationError({"body": gettext("Write something.")})


# Upload paths stay in this module: migration 0001 refers to them here.
def attachment_path(instance: Any, filename: str) -> str:
    now = timezone.now()
    return f"servicedesk/{now:%Y/%m}/{instance.sha256[:16]}"


def vendor_form_path(instance: Any, filename: str) -> str:
    return f"servicedesk/vendor/{timezone.now():%Y/%m}/{instance.ticket_id}-{timezone.now():%H%M%S}.pdf"
