"""Rows of the users, roles, privileges and synonyms views (shapes: views.py ``PRIVILEGE_SPECS``
and ``ALL_USERS`` / ``ALL_TAB_PRIVS`` / ``ALL_SYNONYMS``), from catalog/privileges.py and
catalog/synonyms.py.

Each ALL_ / USER_ view shows what Oracle shows the session's user: ALL_USERS every user,
USER_TAB_PRIVS the grants it made, received or on its objects, ALL_TAB_PRIVS those plus the
ones to PUBLIC and to its roles, ALL_SYNONYMS its own and the public ones (an admin: every one).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from .privileges import ORACLE_USERS, PREDEFINED_ROLES, PUBLIC, ObjectGrant
from .schema import Context
from .synonyms import PUBLIC_OWNER
from .tables import Catalog

__all__ = ["PRIVILEGE_ROWS", "Row"]

Row = tuple[object, ...]


def _date(when: _dt.datetime | None) -> str | None:
    """A DATE as the dictionary rows store it (types/datatypes.py: ``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    return None if when is None else when.strftime("%Y-%m-%d %H:%M:%S.000000")


def _status(locked: bool, expired: bool) -> str:
    return "EXPIRED & LOCKED" if locked and expired else "LOCKED" if locked else \
        "EXPIRED" if expired else "OPEN"


def _all_users(catalog: Catalog, ctx: Context) -> list[Row]:
    privileges = catalog.privileges
    with privileges.lock:
        accounts = sorted(privileges.accounts.values(), key=lambda a: a.name)
    return [(a.name, a.user_id, _date(a.created), "NO", "Y" if a.name in ORACLE_USERS else "N", "NO",
             "USING_NLS_COMP", "NO", "NO") for a in accounts]


def _users(catalog: Catalog, ctx: Context, dba: bool) -> list[Row]:
    privileges = catalog.privileges
    with privileges.lock:
        accounts = sorted(privileges.accounts.values(), key=lambda a: a.name)
    rows: list[Row] = []
    for a in accounts:
        if not dba and a.name != ctx.user:
            continue
        maintained = "Y" if a.name in ORACLE_USERS else "N"
        head: Row = (a.name, a.user_id) + ((None,) if dba else ())
        middle: Row = (_status(a.locked, a.expired), _date(a.created) if a.locked else None, None,
                       a.default_tablespace, a.temporary_tablespace, a.temporary_tablespace, _date(a.created))
        profile: Row = ("DEFAULT",) if dba else ()
        versions: Row = ("11G 12C", "N", "PASSWORD") if dba else ()
        login: Row = (None,) if dba else ()
        rows.append(head + middle + profile + ("DEFAULT_CONSUMER_GROUP", None) + versions + ("N", "NO") + login +
                    (maintained, "NO", "USING_NLS_COMP", "NO", "NO"))
    return rows


def _tab_privs(grants: list[ObjectGrant], *, schema_first: bool) -> list[Row]:
    rows: list[Row] = []
    for g in sorted(grants, key=lambda g: (g.owner, g.name, g.grantee, g.privilege)):
        grantable = "YES" if g.grantable else "NO"
        head: Row = (g.grantor, g.grantee, g.owner, g.name) if schema_first else (g.grantee, g.owner, g.name, g.grantor)
        rows.append(head + (g.privilege, grantable, "NO", "NO", g.kind, "NO"))
    return rows


def _user_tab_privs(catalog: Catalog, ctx: Context) -> list[Row]:
    me = ctx.user
    grants = [g for g in catalog.privileges.object_grants() if me in (g.grantee, g.owner, g.grantor)]
    return _tab_privs(grants, schema_first=False)


def _all_tab_privs(catalog: Catalog, ctx: Context) -> list[Row]:
    me = ctx.user
    holders = {me, PUBLIC, *catalog.privileges.enabled_roles(me)}
    grants = [g for g in catalog.privileges.object_grants()
              if g.grantee in holders or me in (g.owner, g.grantor) or ctx.admin]
    return _tab_privs(grants, schema_first=True)


def _direct_system(catalog: Catalog, grantees: set[str] | None) -> list[tuple[str, str, bool]]:
    privileges = catalog.privileges
    with privileges.lock:
        return sorted((grantee, priv, admin) for grantee, held in privileges.system.items()
                      if grantees is None or grantee in grantees for priv, admin in held.items())


def _direct_roles(catalog: Catalog, grantees: set[str] | None) -> list[tuple[str, str, bool]]:
    privileges = catalog.privileges
    with privileges.lock:
        return sorted((grantee, role, admin) for grantee, held in privileges.granted_roles.items()
                      if grantees is None or grantee in grantees for role, admin in held.items())


def _yes(flag: bool) -> str:
    return "YES" if flag else "NO"


def _user_sys_privs(catalog: Catalog, ctx: Context) -> list[Row]:
    return [(grantee, priv, _yes(admin), "NO", "NO")
            for grantee, priv, admin in _direct_system(catalog, {ctx.user, PUBLIC})]


def _role_sys_privs(catalog: Catalog, ctx: Context) -> list[Row]:
    roles = set(catalog.privileges.enabled_roles(ctx.user))
    return [(role, priv, _yes(admin), "NO", "NO") for role, priv, admin in _direct_system(catalog, roles)]


def _user_role_privs(catalog: Catalog, ctx: Context) -> list[Row]:
    return [(grantee, role, _yes(admin), "NO", "YES", "NO", "NO", "NO")
            for grantee, role, admin in _direct_roles(catalog, {ctx.user, PUBLIC})]


def _dba_roles(catalog: Catalog, ctx: Context) -> list[Row]:
    with catalog.privileges.lock:
        roles = sorted(catalog.privileges.roles)
    return [(role, i, "NO", "NONE", "NO", "Y" if role in PREDEFINED_ROLES else "N", "NO", "NO", None)
            for i, role in enumerate(roles, 1)]


def _all_synonyms(catalog: Catalog, ctx: Context) -> list[Row]:
    return [(s.owner, s.name, s.target_owner, s.target_name, None) for s in catalog.synonyms.snapshot()
            if ctx.admin or s.owner in (ctx.user, PUBLIC_OWNER)]


#: View name -> its rows for the session ``ctx`` (dictionary.py asks here first).
PRIVILEGE_ROWS: dict[str, Callable[[Catalog, Context], list[Row]]] = {
    "ALL_USERS": _all_users,
    "DBA_USERS": lambda catalog, ctx: _users(catalog, ctx, True),
    "USER_USERS": lambda catalog, ctx: _users(catalog, ctx, False),
    "USER_TAB_PRIVS": _user_tab_privs,
    "ALL_TAB_PRIVS": _all_tab_privs,
    "DBA_TAB_PRIVS": lambda catalog, ctx: _tab_privs(catalog.privileges.object_grants(), schema_first=False),
    "USER_SYS_PRIVS": _user_sys_privs,
    "DBA_SYS_PRIVS": lambda catalog, ctx: [(g, p, _yes(a), "NO", "NO") for g, p, a in _direct_system(catalog, None)],
    "ROLE_SYS_PRIVS": _role_sys_privs,
    "USER_ROLE_PRIVS": _user_role_privs,
    "DBA_ROLE_PRIVS": lambda catalog, ctx: [(g, r, _yes(a), "NO", "YES", "NO", "NO")
                                            for g, r, a in _direct_roles(catalog, None)],
    "DBA_ROLES": _dba_roles,
    "SESSION_PRIVS": lambda catalog, ctx: [(p,) for p in sorted(catalog.privileges.system_privileges(ctx.user))],
    "SESSION_ROLES": lambda catalog, ctx: [(r,) for r in sorted(catalog.privileges.enabled_roles(ctx.user))],
    "ALL_SYNONYMS": _all_synonyms,
    "ALL_EDITIONS": lambda catalog, ctx: [(e, p, "Y") for e, p in sorted(catalog.privileges.editions.items())],
    "DBA_EDITIONS": lambda catalog, ctx: [(e, p, "Y") for e, p in sorted(catalog.privileges.editions.items())],
    "DBA_SYNONYMS": lambda catalog, ctx: [(s.owner, s.name, s.target_owner, s.target_name, None)
                                          for s in catalog.synonyms.snapshot()],
}
