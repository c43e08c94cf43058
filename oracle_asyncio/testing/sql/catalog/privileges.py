"""Users, roles and privileges of one Database: who exists, who may log on, and what each
user may do to another schema's objects.

This is the store the one gate (catalog/tables.py :class:`Catalog`) asks; DCL statements
(catalog/dcl.py) change it.  It holds no passwords: the server's verifier store owns them.
Everything is shared memory under one lock, as DDL commits at once in Oracle, so a grant
takes effect for every session of the grantee at its next statement.

Roles are all default roles, enabled in every session (``SET ROLE`` is not modelled), and a
role granted later applies at once too (Oracle enables it from the grantee's next logon).
Definer's-rights code runs with roles disabled, as Oracle's does: the checks take ``roles=False``
there, and only direct and PUBLIC grants count.  The server's configured admins (and SYS) are the
exception: they stand for Oracle's SYS / an Autonomous Database's ADMIN, whose powers are not
a role's, so their own stored code keeps them (:attr:`Privileges.super_users`).
"""

from __future__ import annotations

import datetime as _dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Account", "ObjectGrant", "Privileges", "SYSTEM_PRIVILEGES", "PREDEFINED_ROLES", "ORACLE_USERS",
           "OBJECT_PRIVILEGES", "DEFAULT_GRANTS", "PUBLIC"]

#: The grantee every user belongs to.
PUBLIC = "PUBLIC"

#: Oracle's system privileges (SYSTEM_PRIVILEGE_MAP); any other name is ORA-00990.
SYSTEM_PRIVILEGES: frozenset[str] = frozenset(
    [f"{verb} ANY {obj}" for obj in ("TABLE", "VIEW", "SEQUENCE", "PROCEDURE", "TRIGGER", "TYPE", "INDEX",
                                     "SYNONYM", "MATERIALIZED VIEW", "CLUSTER", "INDEXTYPE", "OPERATOR",
                                     "DIMENSION", "LIBRARY", "DOMAIN", "JOB", "CONTEXT", "DIRECTORY", "EDITION",
                                     "MINING MODEL", "CUBE", "ASSEMBLY", "RULE", "RULE SET",
                                     "EVALUATION CONTEXT", "CREDENTIAL", "SQL PROFILE", "ANALYTIC VIEW",
                                     "HIERARCHY", "ATTRIBUTE DIMENSION", "PROPERTY GRAPH", "MLE")
     for verb in ("CREATE", "ALTER", "DROP")]
    + [f"CREATE {obj}" for obj in ("SESSION", "TABLE", "VIEW", "SEQUENCE", "PROCEDURE", "TRIGGER", "TYPE",
                                   "SYNONYM", "PUBLIC SYNONYM", "MATERIALIZED VIEW", "CLUSTER", "INDEXTYPE",
                                   "OPERATOR", "DIMENSION", "LIBRARY", "DOMAIN", "JOB", "EXTERNAL JOB",
                                   "DATABASE LINK", "PUBLIC DATABASE LINK", "USER", "ROLE", "PROFILE",
                                   "TABLESPACE", "ROLLBACK SEGMENT", "MINING MODEL", "CUBE", "RULE", "RULE SET",
                                   "EVALUATION CONTEXT", "CREDENTIAL", "ANALYTIC VIEW", "HIERARCHY",
                                   "ATTRIBUTE DIMENSION", "PROPERTY GRAPH", "MLE", "LOCKDOWN PROFILE",
                                   "PLUGGABLE DATABASE", "ASSEMBLY", "SQL TRANSLATION PROFILE")]
    + [f"{verb} ANY TABLE" for verb in ("SELECT", "INSERT", "UPDATE", "DELETE", "LOCK", "COMMENT", "READ",
                                        "FLASHBACK", "BACKUP", "REDEFINE", "UNDER")]
    + ["SELECT ANY SEQUENCE", "EXECUTE ANY PROCEDURE", "DEBUG ANY PROCEDURE", "EXECUTE ANY TYPE",
       "UNDER ANY TYPE", "UNDER ANY VIEW", "EXECUTE ANY LIBRARY", "EXECUTE ANY PROGRAM", "EXECUTE ANY CLASS",
       "EXECUTE ANY INDEXTYPE", "EXECUTE ANY OPERATOR", "EXECUTE ANY RULE", "EXECUTE ANY RULE SET",
       "EXECUTE ANY EVALUATION CONTEXT", "EXECUTE ANY ASSEMBLY", "EXECUTE ANY DOMAIN",
       "DROP PUBLIC SYNONYM", "DROP PUBLIC DATABASE LINK", "ALTER SESSION", "RESTRICTED SESSION",
       "SET CONTAINER", "ALTER USER", "DROP USER", "BECOME USER", "ALTER ANY ROLE", "DROP ANY ROLE",
       "GRANT ANY ROLE", "GRANT ANY PRIVILEGE", "GRANT ANY OBJECT PRIVILEGE", "UNLIMITED TABLESPACE",
       "ALTER TABLESPACE", "DROP TABLESPACE", "MANAGE TABLESPACE", "SELECT ANY DICTIONARY",
       "ANALYZE ANY DICTIONARY", "ANALYZE ANY", "AUDIT ANY", "AUDIT SYSTEM", "ALTER SYSTEM", "ALTER DATABASE",
       "ALTER PROFILE", "DROP PROFILE", "ALTER RESOURCE COST", "CHANGE NOTIFICATION", "QUERY REWRITE",
       "GLOBAL QUERY REWRITE", "ON COMMIT REFRESH", "ADMINISTER DATABASE TRIGGER", "ADMINISTER RESOURCE MANAGER",
       "ADMINISTER SQL TUNING SET", "ADMINISTER ANY SQL TUNING SET", "ADMINISTER SQL MANAGEMENT OBJECT",
       "ADMINISTER KEY MANAGEMENT", "ADVISOR", "MANAGE SCHEDULER", "MANAGE ANY QUEUE", "ENQUEUE ANY QUEUE",
       "DEQUEUE ANY QUEUE", "EXEMPT ACCESS POLICY", "EXEMPT REDACTION POLICY", "FORCE TRANSACTION",
       "FORCE ANY TRANSACTION", "RESUMABLE", "SELECT ANY TRANSACTION", "EXPORT FULL DATABASE",
       "IMPORT FULL DATABASE", "LOGMINING", "KEEP DATE TIME", "KEEP SYSGUID", "INHERIT ANY PRIVILEGES",
       "EXECUTE DYNAMIC MLE", "PURGE DBA_RECYCLEBIN", "FLASHBACK ARCHIVE ADMINISTER", "SELECT ANY MINING MODEL",
       "SELECT ANY CUBE", "TEXT DATASTORE ACCESS", "READ ANY FILE GROUP", "USE ANY SQL TRANSLATION PROFILE",
       "SYSDBA", "SYSOPER", "SYSBACKUP", "SYSDG", "SYSKM", "CREATE ANY DIRECTORY", "DROP ANY DIRECTORY",
       "SELECT ANY PROPERTY GRAPH", "READ ANY PROPERTY GRAPH", "ALTER ANY MATERIALIZED VIEW"]
)

#: Object privileges GRANT ... ON accepts, and what ALL [PRIVILEGES] means per object kind.
OBJECT_PRIVILEGES: dict[str, tuple[str, ...]] = {
    "TABLE": ("ALTER", "DELETE", "INDEX", "INSERT", "REFERENCES", "SELECT", "UPDATE", "READ", "DEBUG",
              "FLASHBACK", "ON COMMIT REFRESH", "QUERY REWRITE"),
    "VIEW": ("DELETE", "INSERT", "REFERENCES", "SELECT", "UPDATE", "READ", "DEBUG", "FLASHBACK", "MERGE VIEW",
             "ON COMMIT REFRESH", "QUERY REWRITE", "UNDER"),
    "SEQUENCE": ("ALTER", "SELECT"),
    "PROCEDURE": ("EXECUTE", "DEBUG"),
    "FUNCTION": ("EXECUTE", "DEBUG"),
    "PACKAGE": ("EXECUTE", "DEBUG"),
    "TYPE": ("EXECUTE", "DEBUG", "UNDER"),
}

_CONNECT = ("CREATE SESSION", "SET CONTAINER")
_RESOURCE = ("CREATE TABLE", "CREATE SEQUENCE", "CREATE PROCEDURE", "CREATE TRIGGER", "CREATE TYPE",
             "CREATE CLUSTER", "CREATE INDEXTYPE", "CREATE OPERATOR")
#: Oracle's predefined roles: their system privileges (DBA: every one, with ADMIN OPTION).
PREDEFINED_ROLES: dict[str, tuple[str, ...]] = {
    "CONNECT": _CONNECT,
    "RESOURCE": _RESOURCE,
    "DBA": tuple(sorted(SYSTEM_PRIVILEGES)),
    "DB_DEVELOPER_ROLE": _CONNECT + _RESOURCE + ("CREATE VIEW", "CREATE SYNONYM", "CREATE MATERIALIZED VIEW",
                                                 "CREATE JOB", "CREATE DOMAIN", "CREATE MLE",
                                                 "EXECUTE DYNAMIC MLE", "CREATE ANALYTIC VIEW"),
    "SELECT_CATALOG_ROLE": (),
    "EXECUTE_CATALOG_ROLE": (),
    "AQ_ADMINISTRATOR_ROLE": ("ENQUEUE ANY QUEUE", "DEQUEUE ANY QUEUE", "MANAGE ANY QUEUE"),
    "AQ_USER_ROLE": (),
    "CTXAPP": (),
    "SODA_APP": (),
    "GATHER_SYSTEM_STATISTICS": (),
    "SCHEDULER_ADMIN": ("CREATE JOB", "CREATE ANY JOB", "MANAGE SCHEDULER"),
}

#: Oracle-maintained accounts that exist in every database (ALL_USERS, ORACLE_MAINTAINED = 'Y').
ORACLE_USERS = ("SYS", "SYSTEM")

#: What a user named in ``EmbeddedServer(users=...)`` holds: a usual application schema's rights.
DEFAULT_GRANTS = ("CONNECT", "RESOURCE", "CREATE VIEW", "CREATE SYNONYM", "UNLIMITED TABLESPACE")


@dataclass(slots=True)
class Account:
    """One user (no password: the server's verifier store holds it)."""

    name: str
    user_id: int
    created: _dt.datetime
    locked: bool = False
    expired: bool = False
    default_tablespace: str = "USERS"
    temporary_tablespace: str = "TEMP"
    #: Users that may log on as this one through proxy logon (``main[this]``).
    proxies: set[str] = field(default_factory=set)
    #: Configured on the server (EmbeddedServer ``users``), not by CREATE USER.
    configured: bool = False


@dataclass(frozen=True, slots=True)
class ObjectGrant:
    """One object privilege granted on ``owner.name`` (a row of DBA_TAB_PRIVS)."""

    owner: str
    name: str
    grantee: str
    grantor: str
    privilege: str
    grantable: bool
    kind: str  # TABLE / VIEW / SEQUENCE / PROCEDURE ...


class Privileges:
    """The users, roles and grants of one Database (see the module docstring)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.accounts: dict[str, Account] = {}
        #: role -> the user that created it ("SYS" for the predefined ones)
        self.roles: dict[str, str] = dict.fromkeys(PREDEFINED_ROLES, "SYS")
        #: grantee (user, role or PUBLIC) -> system privilege -> WITH ADMIN OPTION
        self.system: dict[str, dict[str, bool]] = {}
        #: grantee -> role -> WITH ADMIN OPTION
        self.granted_roles: dict[str, dict[str, bool]] = {}
        #: (owner, object) -> its object grants
        self.objects: dict[tuple[str, str], list[ObjectGrant]] = {}
        #: editions: name -> parent (None for ORA$BASE, the root every database has)
        self.editions: dict[str, str | None] = {"ORA$BASE": None}
        self._next_id = 100
        #: bumped at every change: the per-user caches below are valid for one version
        self.version = 0
        self._closure: dict[str, tuple[int, frozenset[str]]] = {}
        for role, privs in PREDEFINED_ROLES.items():
            self.system[role] = dict.fromkeys(privs, role == "DBA")
        for name in ORACLE_USERS:
            self.add_account(name)
        self.granted_roles["SYS"] = {"DBA": True}
        self.granted_roles["SYSTEM"] = {"DBA": True}
        #: Users whose DBA powers hold in their own stored code too (module docstring): SYS and
        #: the server's configured admins, while they hold the DBA role.
        self.super_users: set[str] = {"SYS"}

    # ---- accounts -----------------------------------------------------------------------------
    def add_account(self, name: str, *, configured: bool = False) -> Account:
        with self.lock:
            self._next_id += 1
            account = Account(name, self._next_id, _dt.datetime.now().replace(microsecond=0),
                              configured=configured)
            self.accounts[name] = account
            self.version += 1
            return account

    def add_configured_account(self, name: str) -> None:
        """A user configured outside SQL (EmbeddedServer ``users``): an account holding
        :data:`DEFAULT_GRANTS`, as an application schema usually does."""
        self.add_account(name, configured=True)
        for grant in DEFAULT_GRANTS:
            if grant in self.roles:
                self.grant_role(name, grant, False)
            else:
                self.grant_system(name, grant, False)

    def account(self, name: str) -> Account | None:
        with self.lock:
            return self.accounts.get(name)

    def remove_account(self, name: str) -> None:
        """Forget ``name`` and every grant to it, by it or on its objects."""
        with self.lock:
            self.accounts.pop(name, None)
            self.system.pop(name, None)
            self.granted_roles.pop(name, None)
            for key in [k for k in self.objects if k[0] == name]:
                del self.objects[key]
            for key, grants in list(self.objects.items()):
                self.objects[key] = [g for g in grants if name not in (g.grantee, g.grantor)]
            for account in self.accounts.values():
                account.proxies.discard(name)
            self.version += 1

    def is_grantee(self, name: str) -> bool:
        """A user, a role or PUBLIC (what GRANT ... TO may name)."""
        with self.lock:
            return name == PUBLIC or name in self.accounts or name in self.roles

    def proxy_clients(self, user: str) -> frozenset[str]:
        """The users ``user`` may log on as (``user[client]``): ALTER USER client GRANT CONNECT THROUGH user."""
        with self.lock:
            return frozenset(a.name for a in self.accounts.values() if user in a.proxies)

    # ---- what a user holds --------------------------------------------------------------------
    def enabled_roles(self, user: str) -> frozenset[str]:
        """Every role ``user`` holds, directly, through other roles or through PUBLIC."""
        with self.lock:
            cached = self._closure.get(user)
            if cached is not None and cached[0] == self.version:
                return cached[1]
            seen: set[str] = set()
            todo = [*self.granted_roles.get(user, {}), *self.granted_roles.get(PUBLIC, {})]
            while todo:
                role = todo.pop()
                if role not in seen:
                    seen.add(role)
                    todo.extend(self.granted_roles.get(role, {}))
            result = frozenset(seen)
            self._closure[user] = (self.version, result)
            return result

    def _holders(self, user: str, roles: bool = True) -> list[str]:
        """The grantees whose grants ``user`` enjoys: itself, PUBLIC and (``roles``) its roles."""
        return [user, PUBLIC, *self.enabled_roles(user)] if roles else [user, PUBLIC]

    def has_system(self, user: str, privilege: str, *, roles: bool = True) -> bool:
        """``user`` holds system privilege ``privilege`` (directly, through PUBLIC, or by role
        unless ``roles`` is False: definer's-rights code)."""
        with self.lock:
            return any(privilege in self.system.get(h, {}) for h in self._holders(user, roles))

    def has_any(self, user: str, privileges: Iterable[str], *, roles: bool = True) -> bool:
        return any(self.has_system(user, p, roles=roles) for p in privileges)

    def is_super_user(self, user: str) -> bool:
        """``user`` keeps its DBA powers in its own stored code (:attr:`super_users`)."""
        with self.lock:
            return user in self.super_users and "DBA" in self.enabled_roles(user)

    def system_privileges(self, user: str) -> dict[str, bool]:
        """SESSION_PRIVS: every system privilege ``user`` holds -> held WITH ADMIN OPTION."""
        with self.lock:
            out: dict[str, bool] = {}
            for holder in self._holders(user):
                for priv, admin in self.system.get(holder, {}).items():
                    out[priv] = out.get(priv, False) or admin
            return out

    def may_admin(self, user: str, privilege: str) -> bool:
        """``user`` may grant/revoke ``privilege`` (ADMIN OPTION, or GRANT ANY PRIVILEGE)."""
        return self.system_privileges(user).get(privilege, False) or self.has_system(user, "GRANT ANY PRIVILEGE")

    def may_admin_role(self, user: str, role: str) -> bool:
        """``user`` may grant/revoke ``role`` (ADMIN OPTION on it, or GRANT ANY ROLE)."""
        with self.lock:
            direct = any(self.granted_roles.get(h, {}).get(role, False) for h in self._holders(user))
        return direct or self.has_system(user, "GRANT ANY ROLE")

    def object_privileges(self, user: str, owner: str, name: str, *, roles: bool = True) -> dict[str, bool]:
        """The privileges ``user`` holds on ``owner.name`` -> grantable (directly, through PUBLIC,
        or by role unless ``roles`` is False)."""
        with self.lock:
            grants = self.objects.get((owner, name))
            if not grants:
                return {}
            holders = set(self._holders(user, roles))
            out: dict[str, bool] = {}
            for g in grants:
                if g.grantee in holders:
                    out[g.privilege] = out.get(g.privilege, False) or (g.grantable and g.grantee == user)
            return out

    # ---- changes ------------------------------------------------------------------------------
    def grant_system(self, grantee: str, privilege: str, admin: bool) -> None:
        with self.lock:
            held = self.system.setdefault(grantee, {})
            held[privilege] = held.get(privilege, False) or admin
            self.version += 1

    def revoke_system(self, grantee: str, privilege: str) -> bool:
        with self.lock:
            found = self.system.get(grantee, {}).pop(privilege, None) is not None
            self.version += 1
            return found

    def grant_role(self, grantee: str, role: str, admin: bool) -> None:
        with self.lock:
            held = self.granted_roles.setdefault(grantee, {})
            held[role] = held.get(role, False) or admin
            self.version += 1

    def revoke_role(self, grantee: str, role: str) -> bool:
        with self.lock:
            found = self.granted_roles.get(grantee, {}).pop(role, None) is not None
            self.version += 1
            return found

    def role_reaches(self, role: str, target: str) -> bool:
        """Granting ``target`` to ``role`` would close a circle (``target`` reaches ``role``)."""
        with self.lock:
            seen: set[str] = set()
            todo = [target]
            while todo:
                r = todo.pop()
                if r == role:
                    return True
                if r not in seen:
                    seen.add(r)
                    todo.extend(self.granted_roles.get(r, {}))
            return False

    def drop_role(self, role: str) -> None:
        with self.lock:
            self.roles.pop(role, None)
            self.system.pop(role, None)
            self.granted_roles.pop(role, None)
            for held in self.granted_roles.values():
                held.pop(role, None)
            for key, grants in list(self.objects.items()):
                self.objects[key] = [g for g in grants if g.grantee != role]
            self.version += 1

    def grant_object(self, grant: ObjectGrant) -> None:
        with self.lock:
            grants = self.objects.setdefault((grant.owner, grant.name), [])
            for i, g in enumerate(grants):
                if (g.grantee, g.grantor, g.privilege) == (grant.grantee, grant.grantor, grant.privilege):
                    if grant.grantable and not g.grantable:
                        grants[i] = grant
                    break
            else:
                grants.append(grant)
            self.version += 1

    def revoke_object(self, owner: str, name: str, grantee: str, grantor: str, privilege: str) -> bool:
        """Remove the grant ``grantor`` made; grants that rested on it (the grantee's own grants
        of that privilege, made WITH GRANT OPTION) go too, as Oracle cascades them."""
        with self.lock:
            grants = self.objects.get((owner, name), [])
            kept = [g for g in grants if (g.grantee, g.grantor, g.privilege) != (grantee, grantor, privilege)]
            if len(kept) == len(grants):
                return False
            while True:  # cascade: a grantor that no longer holds the privilege loses its grants
                holders = {g.grantee for g in kept if g.privilege == privilege}
                left = [g for g in kept if g.privilege != privilege or g.grantor == owner or g.grantor in holders]
                if len(left) == len(kept):
                    break
                kept = left
            self.objects[(owner, name)] = kept
            self.version += 1
            return True

    def forget_object(self, owner: str, name: str) -> None:
        """``owner.name`` was dropped: its grants go with it."""
        with self.lock:
            if self.objects.pop((owner, name), None) is not None:
                self.version += 1

    def object_grants(self) -> list[ObjectGrant]:
        with self.lock:
            return [g for grants in self.objects.values() for g in grants]
