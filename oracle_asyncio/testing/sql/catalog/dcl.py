"""Running CREATE/ALTER/DROP USER, CREATE/DROP ROLE, GRANT/REVOKE and CREATE/DROP SYNONYM
against the catalog's privilege store (privileges.py) and synonyms (synonyms.py).

Who may do what follows Oracle: CREATE USER, ALTER USER, DROP USER, CREATE ROLE need those
system privileges (an admin holds them through DBA); a system privilege or role is granted by a
holder WITH ADMIN OPTION (or GRANT ANY PRIVILEGE / GRANT ANY ROLE); an object privilege by the
owner, a grantee WITH GRANT OPTION, or a holder of GRANT ANY OBJECT PRIVILEGE (recorded as the
owner's grant, as Oracle records it).  Passwords go straight to the server's store
(``Host.password_sink``); nothing here keeps one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Protocol

from oracle_sansio.crypto import Secret

from .. import errors
from ..syntax.nodes_dcl import AlterUser, CreateEdition, DropEdition, CreateRole, CreateSynonym, CreateUser, DropRole, DropSynonym, DropUser, GrantStmt
from .privileges import OBJECT_PRIVILEGES, ORACLE_USERS, PUBLIC, SYSTEM_PRIVILEGES, ObjectGrant, Privileges
from .schema import SYSTEM, Principal, Table
from .synonyms import PUBLIC_OWNER, Synonym
from .tables import Catalog

__all__ = ["DCL_STATEMENTS", "DclStatement", "Host", "drop_schema", "run_dcl"]

DclStatement = (CreateUser | AlterUser | DropUser | CreateRole | DropRole | GrantStmt | CreateSynonym | DropSynonym
                | CreateEdition | DropEdition)
#: The statement types :func:`run_dcl` runs (engine.py's STATEMENTS table sends them here).
DCL_STATEMENTS: tuple[type, ...] = (CreateUser, AlterUser, DropUser, CreateRole, DropRole, GrantStmt, CreateSynonym,
                                    DropSynonym, CreateEdition, DropEdition)

#: A wrong object privilege for an object kind -> Oracle's error for it.
_WRONG_FOR = {"TABLE": 2224, "VIEW": 2204, "SEQUENCE": 2205, "PROCEDURE": 2225}


class Host(Protocol):
    """What DCL needs of the database it runs in (engine.py ``Database``)."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def password_sink(self) -> Callable[[str, Secret[str] | None], None]: ...

    @property
    def password_check(self) -> Callable[[str, Secret[str]], bool]: ...

    def connected_users(self) -> frozenset[str]: ...

    def drop_schema(self, user: str) -> None:
        """DROP USER ... CASCADE: drop every table, view, sequence and stored unit ``user`` owns."""


def run_dcl(host: Host, who: Principal, stmt: DclStatement) -> None:
    """Carry out ``stmt`` for ``who`` (the statement's handler in engine.py)."""
    privileges = host.catalog.privileges
    if isinstance(stmt, CreateUser):
        _create_user(host, privileges, who, stmt)
    elif isinstance(stmt, AlterUser):
        _alter_user(host, privileges, who, stmt)
    elif isinstance(stmt, DropUser):
        _drop_user(host, privileges, who, stmt)
    elif isinstance(stmt, CreateRole):
        _need(privileges, who, "CREATE ROLE", stmt.pos)
        if privileges.account(stmt.name) is not None or stmt.name in privileges.roles or stmt.name == PUBLIC:
            raise errors.ora(1921, stmt.pos, name=stmt.name)
        with privileges.lock:
            privileges.roles[stmt.name] = who.user
        privileges.grant_role(who.user, stmt.name, True)  # its creator may grant it
    elif isinstance(stmt, DropRole):
        if stmt.name not in privileges.roles:
            raise errors.ora(1919, stmt.pos, name=stmt.name)
        if not (who.admin or privileges.has_system(who.user, "DROP ANY ROLE", roles=who.roles)
                or privileges.may_admin_role(who.user, stmt.name)):
            raise errors.ora(1031, stmt.pos)
        privileges.drop_role(stmt.name)
    elif isinstance(stmt, GrantStmt):
        if stmt.on_name is None:
            _grant_system(privileges, who, stmt)
        else:
            _grant_object(host, privileges, who, stmt)
    elif isinstance(stmt, CreateSynonym):
        _create_synonym(host, who, stmt)
    elif isinstance(stmt, DropSynonym):
        _drop_synonym(host, who, stmt)
    else:
        _edition(privileges, who, stmt)


def _need(privileges: Privileges, who: Principal, privilege: str, pos: int) -> None:
    if not (who.admin or privileges.has_system(who.user, privilege, roles=who.roles)):
        raise errors.ora(1031, pos)


# ---- users ----------------------------------------------------------------------------------------
def _create_user(host: Host, privileges: Privileges, who: Principal, stmt: CreateUser) -> None:
    _need(privileges, who, "CREATE USER", stmt.pos)
    if privileges.account(stmt.name) is not None or stmt.name in privileges.roles or stmt.name == PUBLIC:
        raise errors.ora(1920, stmt.pos, name=stmt.name)
    account = privileges.add_account(stmt.name)
    account.locked = bool(stmt.locked)
    account.expired = stmt.expire
    if stmt.default_tablespace:
        account.default_tablespace = stmt.default_tablespace
    if stmt.temporary_tablespace:
        account.temporary_tablespace = stmt.temporary_tablespace
    if stmt.password is not None:
        host.password_sink(stmt.name, stmt.password)


def _alter_user(host: Host, privileges: Privileges, who: Principal, stmt: AlterUser) -> None:
    own_password_only = stmt.name == who.user and stmt.password is not None and stmt.locked is None and \
        not stmt.expire and not stmt.grant_through and not stmt.revoke_through and stmt.default_tablespace is None
    if not own_password_only:
        _need(privileges, who, "ALTER USER", stmt.pos)
    account = privileges.account(stmt.name)
    if account is None:
        raise errors.ora(1918, stmt.pos, name=stmt.name)
    for proxy in stmt.grant_through + stmt.revoke_through:
        if privileges.account(proxy) is None:
            raise errors.ora(1918, stmt.pos, name=proxy)
    if stmt.old_password is not None and not host.password_check(stmt.name, stmt.old_password):
        raise errors.ora(28008, stmt.pos)
    with privileges.lock:
        if stmt.locked is not None:
            account.locked = stmt.locked
        if stmt.default_tablespace:
            account.default_tablespace = stmt.default_tablespace
        account.proxies.update(stmt.grant_through)
        account.proxies.difference_update(stmt.revoke_through)
        if stmt.password is not None:
            account.expired = False
        if stmt.expire:
            account.expired = True
        privileges.version += 1
    if stmt.password is not None:
        host.password_sink(stmt.name, stmt.password)


def _drop_user(host: Host, privileges: Privileges, who: Principal, stmt: DropUser) -> None:
    _need(privileges, who, "DROP USER", stmt.pos)
    if privileges.account(stmt.name) is None:
        raise errors.ora(1918, stmt.pos, name=stmt.name)
    if stmt.name in ORACLE_USERS:
        raise errors.ora(1031, stmt.pos)
    if stmt.name in host.connected_users():
        raise errors.ora(1940, stmt.pos)
    catalog = host.catalog
    owns = any(t.schema == stmt.name for t in catalog.visible_tables(SYSTEM)) or \
        any(s.schema == stmt.name for s in catalog.sequences.snapshot()) or \
        catalog.units.owns(stmt.name) or \
        any(s.owner == stmt.name for s in catalog.synonyms.snapshot())
    if owns and not stmt.cascade:
        raise errors.ora(1922, stmt.pos, name=stmt.name)
    if owns:
        host.drop_schema(stmt.name)
        catalog.synonyms.drop_owner(stmt.name)
    privileges.remove_account(stmt.name)
    host.password_sink(stmt.name, None)


# ---- system privileges and roles ------------------------------------------------------------------
def _grantees(privileges: Privileges, who: Principal, stmt: GrantStmt) -> None:
    for grantee in stmt.grantees:
        if not privileges.is_grantee(grantee):
            raise errors.ora(1917, stmt.pos, name=grantee)
        if grantee == who.user:
            raise errors.ora(1749, stmt.pos)


def _grant_system(privileges: Privileges, who: Principal, stmt: GrantStmt) -> None:
    system: list[str] = []
    roles: list[str] = []
    for name in stmt.privileges:
        if name == "ALL":
            system.extend(sorted(SYSTEM_PRIVILEGES))
        elif name in SYSTEM_PRIVILEGES:
            system.append(name)
        elif name in privileges.roles:
            roles.append(name)
        elif " " in name:
            raise errors.ora(990, stmt.pos)
        else:
            raise errors.ora(1919, stmt.pos, name=name)
    _grantees(privileges, who, stmt)
    for priv in system:
        if not (who.admin or privileges.may_admin(who.user, priv)):
            raise errors.ora(1031, stmt.pos)
    for role in roles:
        if not (who.admin or privileges.may_admin_role(who.user, role)):
            raise errors.ora(1031, stmt.pos)
        for grantee in stmt.grantees:
            if grantee in privileges.roles and privileges.role_reaches(grantee, role):
                raise errors.ora(1934, stmt.pos)
    for grantee in stmt.grantees:
        for priv in system:
            if stmt.revoke:
                if not privileges.revoke_system(grantee, priv) and "ALL" not in stmt.privileges:
                    raise errors.ora(1952, stmt.pos, name=grantee)
            else:
                privileges.grant_system(grantee, priv, stmt.option)
        for role in roles:
            if stmt.revoke:
                if not privileges.revoke_role(grantee, role):
                    raise errors.ora(1951, stmt.pos, name=role, grantee=grantee)
            else:
                privileges.grant_role(grantee, role, stmt.option)


# ---- object privileges ----------------------------------------------------------------------------
def _object(host: Host, who: Principal, stmt: GrantStmt) -> tuple[str, str, str]:
    """(owner, name, kind) of the object ``ON [schema.]name`` leads to; ORA-00942 when there is none
    or ``who`` holds no privilege on it (its existence is not shown)."""
    catalog = host.catalog
    assert stmt.on_name is not None

    def exists(owner: str, name: str) -> bool:
        return catalog.existing(owner, name) is not None or catalog.sequences.has(owner, name) or \
            catalog.units.has_name(owner, name) or catalog.types.has(owner, name)

    target = catalog.synonyms.resolve(stmt.on_schema, stmt.on_name, who.schema, exists, stmt.on_pos)
    if target is None:
        raise errors.table_missing(stmt.on_pos)
    owner, name = target
    table: Table | None = catalog.existing(owner, name)
    unit = catalog.units.get(owner, name)
    kind = "TABLE" if table is not None and table.view is None else "VIEW" if table is not None else \
        "SEQUENCE" if catalog.sequences.has(owner, name) else "TYPE" if catalog.types.has(owner, name) else \
        unit.kind if unit is not None and unit.kind in OBJECT_PRIVILEGES else "PROCEDURE"
    if owner != who.user and not who.admin and \
            not catalog.privileges.object_privileges(who.user, owner, name, roles=who.roles) and \
            not catalog.privileges.has_system(who.user, "GRANT ANY OBJECT PRIVILEGE", roles=who.roles):
        raise errors.table_missing(stmt.on_pos)
    return owner, name, kind


def _grant_object(host: Host, privileges: Privileges, who: Principal, stmt: GrantStmt) -> None:
    if stmt.on_kind:
        _grant_on_other(privileges, stmt)
        return
    owner, name, kind = _object(host, who, stmt)
    valid = OBJECT_PRIVILEGES[kind]
    wanted: list[str] = []
    for priv in stmt.privileges:
        if priv == "ALL":
            wanted.extend(valid)
        elif priv in valid:
            wanted.append(priv)
        elif any(priv in privs for privs in OBJECT_PRIVILEGES.values()):
            raise errors.ora(_WRONG_FOR.get(kind, 2225), stmt.pos)
        else:
            raise errors.ora(990, stmt.pos)
    _grantees(privileges, who, stmt)
    if stmt.option and not stmt.revoke:
        for grantee in stmt.grantees:
            if grantee == PUBLIC or grantee in privileges.roles:
                raise errors.ora(1926, stmt.pos)
    grantor = who.user
    if owner != who.user:
        held = privileges.object_privileges(who.user, owner, name, roles=who.roles)
        if who.admin or privileges.has_system(who.user, "GRANT ANY OBJECT PRIVILEGE", roles=who.roles):
            if not all(held.get(p) for p in wanted):
                grantor = owner  # Oracle records a GRANT ANY OBJECT PRIVILEGE grant as the owner's
        elif not all(held.get(p) for p in wanted):
            raise errors.ora(1031, stmt.pos)
    for grantee in stmt.grantees:
        if stmt.revoke:
            revoked = [privileges.revoke_object(owner, name, grantee, grantor, p) for p in wanted]
            if not any(revoked) or ("ALL" not in stmt.privileges and not all(revoked)):
                raise errors.ora(1927, stmt.pos)
        else:
            for priv in wanted:
                privileges.grant_object(ObjectGrant(owner, name, grantee, grantor, priv, stmt.option, kind))


def _grant_on_other(privileges: Privileges, stmt: GrantStmt) -> None:
    """GRANT ... ON EDITION / USER / DIRECTORY ...: the objects the server has not are reported
    missing as Oracle reports them; INHERIT PRIVILEGES ON USER is accepted (nothing to enforce)."""
    assert stmt.on_name is not None
    if stmt.on_kind == "EDITION":
        if stmt.on_name not in privileges.editions:
            raise errors.ora(38802, stmt.on_pos)
    elif stmt.on_kind == "USER":
        if privileges.account(stmt.on_name) is None:
            raise errors.ora(1918, stmt.on_pos, name=stmt.on_name)
    else:
        raise errors.table_missing(stmt.on_pos)
    for grantee in stmt.grantees:
        if not privileges.is_grantee(grantee):
            raise errors.ora(1917, stmt.pos, name=grantee)


# ---- synonyms -------------------------------------------------------------------------------------
def _create_synonym(host: Host, who: Principal, stmt: CreateSynonym) -> None:
    catalog = host.catalog
    if stmt.public:
        _need(catalog.privileges, who, "CREATE PUBLIC SYNONYM", stmt.pos)
        owner = PUBLIC_OWNER
    else:
        owner = catalog.owner_for_create(stmt.schema, who, stmt.pos, "SYNONYM")
    target_owner = stmt.target_schema or who.schema
    if (target_owner, stmt.target_name) == (owner, stmt.name):
        raise errors.ora(1471, stmt.pos)
    if catalog.synonyms.get(owner, stmt.name) is not None:
        if not stmt.or_replace:
            raise errors.name_in_use(stmt.pos)
    elif not stmt.public and catalog.exists(owner, stmt.name):
        raise errors.name_in_use(stmt.pos)
    catalog.synonyms.put(Synonym(owner, stmt.name, target_owner, stmt.target_name))


def _drop_synonym(host: Host, who: Principal, stmt: DropSynonym) -> None:
    catalog = host.catalog
    if stmt.public:
        if catalog.synonyms.get(PUBLIC_OWNER, stmt.name) is None:
            raise errors.ora(1432, stmt.pos)
        _need(catalog.privileges, who, "DROP PUBLIC SYNONYM", stmt.pos)
        catalog.synonyms.drop(PUBLIC_OWNER, stmt.name)
        return
    owner = stmt.schema or who.schema
    if owner != who.user and not (who.admin or catalog.privileges.has_system(who.user, "DROP ANY SYNONYM", roles=who.roles)):
        raise errors.ora(1434, stmt.pos)  # another schema's synonyms are not shown
    if not catalog.synonyms.drop(owner, stmt.name):
        raise errors.ora(1434, stmt.pos)


# ---- editions -------------------------------------------------------------------------------------
def _edition(privileges: Privileges, who: Principal, stmt: CreateEdition | DropEdition) -> None:
    """CREATE EDITION e [AS CHILD OF p] / DROP EDITION e [CASCADE]: the names only (the server keeps
    one version of every object, so an edition changes nothing a session sees)."""
    editions = privileges.editions
    if isinstance(stmt, CreateEdition):
        _need(privileges, who, "CREATE ANY EDITION", stmt.pos)
        if stmt.name in editions:
            raise errors.name_in_use(stmt.pos)
        leaf = next(e for e in editions if e not in editions.values())  # editions form one chain
        parent = leaf if stmt.parent is None else stmt.parent
        if parent not in editions:
            raise errors.ora(38802, stmt.pos)
        if parent != leaf:
            raise errors.ora(38807, stmt.pos)
        with privileges.lock:
            editions[stmt.name] = parent
        return
    _need(privileges, who, "DROP ANY EDITION", stmt.pos)
    if stmt.name not in editions:
        raise errors.ora(38802, stmt.pos)
    if editions[stmt.name] is None:  # ORA$BASE: the database's default edition
        raise errors.ora(38805, stmt.pos)
    if any(parent == stmt.name for parent in editions.values()):
        raise errors.ora(38810, stmt.pos)
    with privileges.lock:
        del editions[stmt.name]


def drop_schema(catalog: Catalog, path: str, busy_timeout: float, user: str) -> None:
    """DROP USER ... CASCADE: ``user``'s views, tables (in the sqlite file at ``path``), sequences
    and stored units go.  (Foreign keys of other schemas that reference its tables are not
    dropped with them.)"""
    tables = sorted((t for t in catalog.visible_tables(SYSTEM) if t.schema == user and t.sql_name),
                    key=lambda t: t.view is None)  # views first
    conn = sqlite3.connect(path, isolation_level=None, timeout=max(busy_timeout, 5.0))
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("BEGIN IMMEDIATE")
        for t in tables:
            conn.execute(f'DROP {"VIEW" if t.view is not None else "TABLE"} IF EXISTS "{t.sql_name}"')
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise errors.busy() if "locked" in str(exc) else errors.internal(str(exc)) from None
    finally:
        conn.close()
    for t in tables:
        catalog.drop(t)
    for seq in catalog.sequences.snapshot():
        if seq.schema == user and catalog.sequences.has(seq.schema, seq.name):
            catalog.sequences.drop(seq.schema, seq.name, system=seq.system)
    catalog.units.drop_owner(user)
