"""The default roles and their permissions (Mersin md. 4-9, Nizip md. 7-12, TMY md. 6).

``sync_roles`` runs after every migrate: it creates missing roles and adds missing default
permissions (it never removes one). Narrower rights belong in a custom role.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DOMAIN_APPS = ("core", "users", "org", "inventory", "servicedesk")
ORG_WORK = tuple(
    f"org.{m}" for m in ("staff", "position", "dutyassignment", "leave", "departure", "handoveritem", "directivereview")
)
# What IT staff register and maintain in the inventory day to day.
INVENTORY_WORK = tuple(
    f"inventory.{m}"
    for m in ("asset", "commissioning", "location", "contract", "discovereddevice", "datasanitization", "countline")
)
# What the Taşınır Kayıt Yetkilisi keeps (TMY md. 6): every inventory record.
INVENTORY_RECORDS = tuple(
    f"inventory.{m}"
    for m in (
        "asset",
        "assetkind",
        "commissioning",
        "contract",
        "countline",
        "countsession",
        "custodydocument",
        "custodyitem",
        "datasanitization",
        "depot",
        "location",
        "scrapproposal",
        "sharedarealist",
        "stockissue",
        "stockitem",
        "stocklot",
        "stockrequest",
        "stockrequestline",
        "tasinircode",
        "voucher",
        "voucherline",
    )
)

# What every municipal employee may do at the service desk: ask, follow, answer, rate (Mersin md. 6/ı).
REQUESTER = tuple(
    f"servicedesk.{p}"
    for p in (
        "view_ticket",
        "add_ticket",
        "view_followup",
        "add_followup",
        "view_attachment",
        "add_attachment",
        "view_servicecategory",
        "view_serviceitem",
        "view_article",
        "view_satisfaction",
        "add_satisfaction",
        "view_intervention",
        "view_savedview",
        "add_savedview",
        "change_savedview",
        "delete_savedview",
    )
)
# What IT staff record while working tickets.
SERVICEDESK_WORK = tuple(
    f"servicedesk.{m}"
    for m in ("ticket", "followup", "attachment", "intervention", "partusage", "vendorcase", "transfer", "article")
)
# The catalogue, its routing and SLA policies: data the managers keep.
SERVICEDESK_CATALOGUE = tuple(
    f"servicedesk.{m}"
    for m in ("servicecategory", "serviceitem", "slapolicy", "slatarget", "routingrule", "rootcause", "article")
)
TICKET_WORK = ("servicedesk.work_ticket", "servicedesk.view_internal_notes")


@dataclass(frozen=True)
class RoleDefinition:
    code: str
    name: Promise
    description: Promise
    actions_all: tuple[str, ...] = ()  # e.g. ("view",) = view_* on every model of DOMAIN_APPS
    perms: tuple[str, ...] = ()  # "app_label.codename"
    models_edit: tuple[str, ...] = ()  # "app.model" this role adds and changes
    require_mfa: bool = False


ROLES: tuple[RoleDefinition, ...] = (
    RoleDefinition(
        "yonetici",
        _("Administrator (Head of department)"),
        _("Daire Başkanı / Müdür: everything, in every unit."),
        actions_all=("view", "add", "change", "delete"),
        perms=(
            "users.view_all_units",
            "users.view_personal_data",
            "core.view_changelogentry",
            "inventory.view_all_assets",
            "inventory.post_voucher",
            "inventory.approve_stockrequest",
            "inventory.approve_scrapproposal",
            *TICKET_WORK,
            "servicedesk.view_servicedesk_reports",
            "servicedesk.approve_vendorcase",
        ),
        require_mfa=True,
    ),
    RoleDefinition(
        "sube_muduru",
        _("Branch manager / Chief"),
        _("Şube Müdürü / Şef: manages staff, duties and handovers of their branch."),
        actions_all=("view",),
        models_edit=ORG_WORK + SERVICEDESK_WORK + SERVICEDESK_CATALOGUE,
        perms=(
            "users.view_personal_data",
            "inventory.view_all_assets",
            "inventory.approve_stockrequest",
            *REQUESTER,
            *TICKET_WORK,
            "servicedesk.view_servicedesk_reports",
            "servicedesk.approve_vendorcase",
        ),
    ),
    RoleDefinition(
        "uzman",
        _("Specialist / Technician"),
        _("Uzman / Teknisyen: works requests and assets; reads the organization."),
        actions_all=("view",),
        models_edit=INVENTORY_WORK + SERVICEDESK_WORK,
        perms=(
            "inventory.view_all_assets",
            "inventory.add_stockrequest",
            "inventory.add_stockrequestline",
            *REQUESTER,
            *TICKET_WORK,
        ),
    ),
    RoleDefinition(
        "evrak",
        _("Document clerk"),
        _("Evrak Memuru: registers and routes documents."),
        actions_all=("view",),
        perms=REQUESTER,
    ),
    RoleDefinition(
        "tasinir_kayit",
        _("Movable property records officer"),
        _("Taşınır Kayıt Yetkilisi (TMY md. 6): keeps the depot and issues VİF and handover documents."),
        actions_all=("view",),
        models_edit=INVENTORY_RECORDS,
        perms=("inventory.view_all_assets", "inventory.post_voucher", "inventory.delete_voucher", *REQUESTER),
    ),
    RoleDefinition(
        "tasinir_kontrol",
        _("Movable property control officer"),
        _("Taşınır Kontrol Yetkilisi (TMY md. 6/3): checks the records; never the same person as the records officer."),
        actions_all=("view",),
        perms=("inventory.view_all_assets", *REQUESTER),
    ),
    RoleDefinition(
        "birim_kullanicisi",
        _("Unit user (requester)"),
        _("Any municipal employee: opens requests and sees their own unit."),
        perms=(
            "org.view_unit",
            "org.view_municipality",
            "org.view_directive",
            "org.view_directiveversion",
            "inventory.view_asset",
            "inventory.view_custodydocument",
            "inventory.add_stockrequest",
            "inventory.add_stockrequestline",
            "inventory.view_stockrequest",
            *REQUESTER,
        ),
    ),
    RoleDefinition(
        "denetci",
        _("Auditor"),
        _("Denetçi (iç/dış denetim): reads everything, changes nothing."),
        actions_all=("view",),
        perms=(
            "users.view_all_units",
            "core.view_changelogentry",
            "inventory.view_all_assets",
            "servicedesk.view_internal_notes",
            "servicedesk.view_servicedesk_reports",
        ),
    ),
)


# Granted only by name, never by "view everything": they widen what a role sees.
PRIVILEGED = {
    ("users", "view_all_units"),
    ("users", "view_personal_data"),
    ("core", "view_changelogentry"),
    ("inventory", "view_all_assets"),
    ("inventory", "post_voucher"),
    ("inventory", "approve_stockrequest"),
    ("inventory", "approve_scrapproposal"),
    ("servicedesk", "work_ticket"),
    ("servicedesk", "view_internal_notes"),
    ("servicedesk", "view_unit_tickets"),
    ("servicedesk", "view_servicedesk_reports"),
    ("servicedesk", "approve_vendorcase"),
}


def permissions_for(definition: RoleDefinition) -> list[Permission]:
    """Model permissions (``<action>_<model>``) of the domain apps plus the role's named extras."""
    query = Q(pk__in=[])
    for content_type in ContentType.objects.filter(app_label__in=DOMAIN_APPS).exclude(model="changeloghead"):
        codenames = [f"{action}_{content_type.model}" for action in definition.actions_all]
        if f"{content_type.app_label}.{content_type.model}" in definition.models_edit:
            codenames += [f"add_{content_type.model}", f"change_{content_type.model}"]
        query |= Q(content_type=content_type, codename__in=codenames)
    for perm in definition.perms:
        app_label, codename = perm.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    perms = Permission.objects.filter(query)
    explicit = {tuple(p.split(".", 1)) for p in definition.perms}
    blocked = [(a, c) for a, c in PRIVILEGED if (a, c) not in explicit]
    for app_label, codename in blocked:
        perms = perms.exclude(content_type__app_label=app_label, codename=codename)
    if definition.code != "yonetici":
        # Only the head edits roles.
        perms = perms.exclude(codename__in=["add_role", "change_role", "delete_role"])
    return list(perms)


def sync_roles() -> None:
    from biys.users.models import Role

    for definition in ROLES:
        role = Role.objects.filter(code=definition.code).first()
        if role is None:
            with translation.override("tr"):  # role names are data, stored in the product language
                role = Role.objects.create(
                    code=definition.code,
                    name=str(definition.name),
                    description=str(definition.description),
                    require_mfa=definition.require_mfa,
                )
        missing = set(permissions_for(definition)) - set(role.permissions.all())
        if missing:
            role.permissions.add(*missing)
