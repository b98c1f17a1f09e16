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

DOMAIN_APPS = ("core", "users", "org", "inventory")
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
        ),
        require_mfa=True,
    ),
    RoleDefinition(
        "sube_muduru",
        _("Branch manager / Chief"),
        _("Şube Müdürü / Şef: manages staff, duties and handovers of their branch."),
        actions_all=("view",),
        models_edit=ORG_WORK,
        perms=("users.view_personal_data", "inventory.view_all_assets", "inventory.approve_stockrequest"),
    ),
    RoleDefinition(
        "uzman",
        _("Specialist / Technician"),
        _("Uzman / Teknisyen: works requests and assets; reads the organization."),
        actions_all=("view",),
        models_edit=INVENTORY_WORK,
        perms=("inventory.view_all_assets", "inventory.add_stockrequest", "inventory.add_stockrequestline"),
    ),
    RoleDefinition(
        "evrak", _("Document clerk"), _("Evrak Memuru: registers and routes documents."), actions_all=("view",)
    ),
    RoleDefinition(
        "tasinir_kayit",
        _("Movable property records officer"),
        _("Taşınır Kayıt Yetkilisi (TMY md. 6): keeps the depot and issues VİF and handover documents."),
        actions_all=("view",),
        models_edit=INVENTORY_RECORDS,
        perms=("inventory.view_all_assets", "inventory.post_voucher", "inventory.delete_voucher"),
    ),
    RoleDefinition(
        "tasinir_kontrol",
        _("Movable property control officer"),
        _("Taşınır Kontrol Yetkilisi (TMY md. 6/3): checks the records; never the same person as the records officer."),
        actions_all=("view",),
        perms=("inventory.view_all_assets",),
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
        ),
    ),
    RoleDefinition(
        "denetci",
        _("Auditor"),
        _("Denetçi (iç/dış denetim): reads everything, changes nothing."),
        actions_all=("view",),
        perms=("users.view_all_units", "core.view_changelogentry", "inventory.view_all_assets"),
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
