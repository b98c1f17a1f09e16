"""A throwaway OpenLDAP server for the LDAP tests: Debian's slapd, on 127.0.0.1 only.

``Slapd.start()`` writes a cn=config directory with ``slapadd -n0`` (core, cosine, inetOrgPerson
and NIS schema; one mdb database for ``dc=biys,dc=test``) into a temporary directory, runs
slapd in the foreground on a free loopback port and waits until it answers a bind. ``Directory``
is what a test uses to shape the tree: people, groups, renames.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import ldap
import ldap.modlist

from biys.core.testing import daemons

SUFFIX = "dc=biys,dc=test"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "slapd-root-secret"
# The account BİYS binds as to search for users: it may read, never write.
READER_DN = f"cn=biys-reader,ou=services,{SUFFIX}"
READER_PASSWORD = "reader-secret"

SCHEMAS = ("core", "cosine", "inetorgperson", "nis")
START_TIMEOUT = 10.0

CONFIG_LDIF = """\
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: {root}/slapd.pid
olcArgsFile: {root}/slapd.args

dn: cn=module{{0}},cn=config
objectClass: olcModuleList
cn: module{{0}}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

{includes}

dn: olcDatabase={{-1}}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {{-1}}frontend
olcSizeLimit: 500

dn: olcDatabase={{0}}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {{0}}config
olcAccess: {{0}}to * by * none

dn: olcDatabase={{1}}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {{1}}mdb
olcSuffix: {suffix}
olcRootDN: {root_dn}
olcRootPW: {root_password}
olcDbDirectory: {root}/data
olcDbMaxSize: 16777216
olcDbIndex: objectClass eq
olcDbIndex: uid,member,memberUid eq
olcAccess: {{0}}to attrs=userPassword by anonymous auth by * none
olcAccess: {{1}}to * by users read by * none
"""


class SlapdError(RuntimeError):
    pass


def find_program(name: str) -> str:
    return daemons.find_program(
        name,
        "the LDAP tests need a real OpenLDAP server. Run `make test` (it installs the Debian packages slapd and "
        "ldap-utils) or `apt-get install slapd ldap-utils`.",
        SlapdError,
    )


@dataclass
class Slapd:
    """One slapd process with its configuration, database and log in a temporary directory."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="biys-slapd-")))
    # slapd cannot listen on port 0, so ask the kernel for a free loopback port and hand it over.
    port: int = field(default_factory=daemons.free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    def start(self) -> None:
        slapd, slapadd = find_program("slapd"), find_program("slapadd")
        config_dir, data_dir = self.root / "slapd.d", self.root / "data"
        config_dir.mkdir()
        data_dir.mkdir()
        ldif = self.root / "config.ldif"
        ldif.write_text(self._config_ldif(), encoding="utf-8")
        loaded = subprocess.run(
            [slapadd, "-n0", "-F", str(config_dir), "-l", str(ldif)], capture_output=True, check=False
        )
        if loaded.returncode != 0:
            raise SlapdError(
                f"slapadd could not load the test configuration:\n{loaded.stderr.decode(errors='replace')}"
            )
        log = (self.root / "slapd.log").open("wb")
        # -d 0 keeps slapd in the foreground (so we own its pid); -h binds the loopback address only.
        self.process = subprocess.Popen(
            [slapd, "-d", "0", "-h", f"{self.uri}/", "-F", str(config_dir)], stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self._wait_until_ready()
        self._load_base_tree()

    def stop(self) -> None:
        daemons.stop(self.process)
        shutil.rmtree(self.root, ignore_errors=True)

    def connect(self, dn: str = ROOT_DN, password: str = ROOT_PASSWORD) -> ldap.ldapobject.LDAPObject:
        conn = ldap.initialize(self.uri)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 2)
        conn.simple_bind_s(dn, password)
        return conn

    def _config_ldif(self) -> str:
        includes = "\n".join(f"include: file:///etc/ldap/schema/{name}.ldif" for name in SCHEMAS)
        return CONFIG_LDIF.format(
            root=self.root, includes=includes, suffix=SUFFIX, root_dn=ROOT_DN, root_password=ROOT_PASSWORD
        )

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        daemons.wait_until_ready(
            self.process,
            lambda: self.connect().unbind_s(),
            down=(ldap.SERVER_DOWN,),
            name="slapd",
            where=self.uri,
            log=self._log,
            timeout=START_TIMEOUT,
            interval=0.02,
            error=SlapdError,
        )

    def _log(self) -> str:
        return (self.root / "slapd.log").read_text(encoding="utf-8", errors="replace")

    def _load_base_tree(self) -> None:
        conn = self.connect()
        try:
            add(conn, SUFFIX, {"objectClass": ["top", "dcObject", "organization"], "dc": ["biys"], "o": ["BİYS test"]})
            for ou in ("people", "groups", "services"):
                add(conn, f"ou={ou},{SUFFIX}", {"objectClass": ["organizationalUnit"], "ou": [ou]})
            add(
                conn,
                READER_DN,
                {
                    "objectClass": ["organizationalRole", "simpleSecurityObject"],
                    "cn": ["biys-reader"],
                    "userPassword": [READER_PASSWORD],
                },
            )
        finally:
            conn.unbind_s()


def add(conn: ldap.ldapobject.LDAPObject, dn: str, attrs: dict[str, list[str]]) -> None:
    encoded = {name: [value.encode() for value in values] for name, values in attrs.items()}
    conn.add_s(dn, ldap.modlist.addModlist(encoded))


class Directory:
    """The test's handle on the tree: adds people and groups, and removes them all afterwards."""

    def __init__(self, server: Slapd) -> None:
        self.server = server
        self.conn = server.connect()

    def add_person(self, uid: str, password: str, given_name: str, surname: str, mail: str) -> str:
        """Add an inetOrgPerson under ou=people and return its entryUUID."""
        dn = f"uid={uid},{PEOPLE}"
        add(
            self.conn,
            dn,
            {
                "objectClass": ["inetOrgPerson"],
                "uid": [uid],
                "cn": [f"{given_name} {surname}"],
                "givenName": [given_name],
                "sn": [surname],
                "mail": [mail],
                "userPassword": [password],
            },
        )
        return self.entry_uuid(dn)

    def add_group(self, cn: str, *member_uids: str) -> str:
        dn = f"cn={cn},{GROUPS}"
        # groupOfNames must keep a member: the reader account stays in, so any person can leave.
        members = [READER_DN, *(f"uid={uid},{PEOPLE}" for uid in member_uids)]
        add(self.conn, dn, {"objectClass": ["groupOfNames"], "cn": [cn], "member": members})
        return dn

    def remove_member(self, group_dn: str, uid: str) -> None:
        self.conn.modify_s(group_dn, [(ldap.MOD_DELETE, "member", [f"uid={uid},{PEOPLE}".encode()])])

    def rename_person(self, old_uid: str, new_uid: str) -> None:
        self.conn.rename_s(f"uid={old_uid},{PEOPLE}", f"uid={new_uid}", delold=1)

    def delete_person(self, uid: str) -> None:
        self.conn.delete_s(f"uid={uid},{PEOPLE}")

    def set_attribute(self, uid: str, name: str, value: str) -> None:
        self.conn.modify_s(f"uid={uid},{PEOPLE}", [(ldap.MOD_REPLACE, name, [value.encode()])])

    def entry_uuid(self, dn: str) -> str:
        [(_dn, attrs)] = self.conn.search_s(dn, ldap.SCOPE_BASE, attrlist=["entryUUID"])
        return str(attrs["entryUUID"][0].decode())

    def clear(self) -> None:
        """Delete every person and group, leaving the base tree for the next test."""
        for base in (GROUPS, PEOPLE):
            for dn, _attrs in self.conn.search_s(base, ldap.SCOPE_ONELEVEL, attrlist=["1.1"]):
                self.conn.delete_s(dn)
        self.conn.unbind_s()
