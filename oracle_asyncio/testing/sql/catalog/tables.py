"""Tables, their Oracle column types and constraints, shared by every session of a Database.

DDL commits at once in Oracle, so the catalog is plain shared memory guarded by
a lock (no transactional catalog is needed).  sqlite names are synthetic
(``t1``, columns ``c0``...) so Oracle's case-sensitive quoted names and
reserved words never meet sqlite's case-insensitive identifiers.

Names resolve here and nowhere else: every table, view, sequence, index and user-defined type named
by SQL goes through :meth:`Catalog.table`, :meth:`Catalog.sequence`, :meth:`Catalog.index`,
:meth:`Catalog.user_type` or :meth:`Catalog.owner_for_create`
with the :class:`Principal` of the session, and the privilege the statement needs.
A name is the object of that schema, else a private synonym, else (unqualified) a
PUBLIC synonym (catalog/synonyms.py).  Deny by default, as Oracle does: a user may use
the objects of its own schema; another schema's object needs an object privilege on it
or one of the ANY system privileges (catalog/privileges.py).  Without any privilege on
it, the object is reported missing (ORA-00942 / ORA-02289 / ORA-01418), exactly as if it
did not exist, so its existence does not leak; with some privilege but not the one the
statement needs, it is ORA-01031.  Creating in another schema needs CREATE ANY ...
(ORA-01031).  An admin (``EmbeddedServer(admins=...)``) holds the DBA role; the DBA_ and
V$ views need SELECT ANY DICTIONARY.  :meth:`Catalog.may_execute` is the same check for
stored code (EXECUTE, EXECUTE ANY PROCEDURE).
"""

from __future__ import annotations

import threading

from .. import errors
from ..syntax.nodes import SeqRef
from ..types.longs import LONG_LIMIT
from .objtypes import ObjectType, TypeStore
from .schema import Index, Principal, Table, privileged_view
from .privileges import Privileges
from .sequences import SequenceState, SequenceStore, missing
from .units import UnitStore
from .synonyms import SynonymStore
from .views import PUBLIC

#: A statement's need on a table -> (object privileges that meet it, system privileges that meet it).
_TABLE_NEEDS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "SELECT": (frozenset({"SELECT", "READ"}), ("SELECT ANY TABLE", "READ ANY TABLE")),
    "INSERT": (frozenset({"INSERT"}), ("INSERT ANY TABLE",)),
    "UPDATE": (frozenset({"UPDATE"}), ("UPDATE ANY TABLE",)),
    "DELETE": (frozenset({"DELETE"}), ("DELETE ANY TABLE",)),
    "ALTER": (frozenset({"ALTER"}), ("ALTER ANY TABLE",)),
    "INDEX": (frozenset({"INDEX"}), ("CREATE ANY INDEX",)),
    "REFERENCES": (frozenset({"REFERENCES"}), ()),
    "COMMENT": (frozenset(), ("COMMENT ANY TABLE",)),
    "DROP": (frozenset(), ("DROP ANY TABLE",)),
}
#: System privileges that let a user see every table (ORA-01031 rather than ORA-00942).
#: Uses of a view that reach its base objects (catalog ``_check_view``).
_VIEW_READS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})
_SEES_TABLES = ("SELECT ANY TABLE", "READ ANY TABLE", "INSERT ANY TABLE", "UPDATE ANY TABLE",
                "DELETE ANY TABLE", "ALTER ANY TABLE", "DROP ANY TABLE", "LOCK ANY TABLE", "COMMENT ANY TABLE")
_SEQUENCE_NEEDS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "SELECT": (frozenset({"SELECT"}), ("SELECT ANY SEQUENCE",)),
    "ALTER": (frozenset({"ALTER"}), ("ALTER ANY SEQUENCE",)),
    "DROP": (frozenset(), ("DROP ANY SEQUENCE",)),
}
#: Objects a user creates in its own schema without a CREATE privilege of its own.
_FREE_IN_OWN = frozenset({"INDEX"})

__all__ = ["Catalog"]


class Catalog:
    """All tables of one Database, keyed by (schema, name)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tables: dict[tuple[str, str], Table] = {}
        self._next_table = 0
        self._next_constraint = 8000
        self._next_index = 0
        self.by_sql_name: dict[str, Table] = {}
        self.sequences = SequenceStore()
        #: CREATE TYPE's object and collection types (objtypes.py).
        self.types = TypeStore()
        #: Stored PL/SQL units (procedures, functions, packages, triggers): units.py.
        self.units = UnitStore()
        self.privileges = Privileges()
        self.synonyms = SynonymStore()
        #: The most characters (LONG) or bytes (LONG RAW) one value holds (types/longs.py).
        self.long_limit = LONG_LIMIT

    def table(self, schema: str | None, name: str, who: Principal, pos: int = 0, need: str = "SELECT") -> Table:
        """Resolve a table or view reference for ``who`` needing ``need`` (SELECT, INSERT, UPDATE,
        DELETE, ALTER, INDEX, REFERENCES, COMMENT, DROP): ORA-00942 if it is missing or ``who``
        holds no privilege on it, ORA-01031 if ``who`` holds some but not this one (the one gate
        every table reference passes)."""
        if schema is None:
            with self.lock:
                own = self.tables.get((who.schema, name))
            if own is not None:
                self._check_table(own, who, need, pos)
                return own
        if schema in (None, "SYS", "PUBLIC") and name in PUBLIC:
            return self._builtin(name, who, pos)
        if need == "DROP":  # DROP TABLE / VIEW name the object itself, never a synonym
            target: tuple[str, str] | None = (schema or who.schema, name)
        else:
            target = self.synonyms.resolve(schema, name, who.schema, self._table_or_builtin, pos)
        if target is None:
            raise errors.table_missing(pos)
        owner, name = target
        if owner == "SYS" and name in PUBLIC:
            return self._builtin(name, who, pos)
        with self.lock:
            table = self.tables.get((owner, name))
        if table is None:  # a synonym for a sequence or routine
            raise errors.table_missing(pos)
        self._check_table(table, who, need, pos)
        return table

    def _table_or_builtin(self, owner: str, name: str) -> bool:
        """An object (not a synonym) ``owner.name`` exists: where a synonym chain stops (a synonym
        for a stored unit or type then reads as a missing table, not ORA-00980)."""
        return self.exists(owner, name) or (owner == "SYS" and name in PUBLIC)

    def _builtin(self, name: str, who: Principal, pos: int) -> Table:
        if privileged_view(name) and not self.reads_dictionary(who):
            raise errors.table_missing(pos)
        return PUBLIC[name]

    def reads_dictionary(self, who: Principal) -> bool:
        """``who`` may read the DBA_ and V$ views (SELECT ANY DICTIONARY)."""
        return who.admin or self.holds_any(who, ("SELECT ANY DICTIONARY",))

    def _check_table(self, table: Table, who: Principal, need: str, pos: int) -> None:
        if table.view is not None and need in _VIEW_READS:
            self._check_view(table, who, need, pos)
        if table.schema == who.user or who.admin:
            return
        objects, anys = _TABLE_NEEDS[need]
        if need == "DROP" and table.view is not None:
            anys = ("DROP ANY VIEW",)
        held = self.held(who, table.schema, table.name)
        if objects & held.keys() or self.holds_any(who, anys):
            return
        if held or self.holds_any(who, _SEES_TABLES):
            raise errors.ora(1031, pos)
        raise errors.table_missing(pos)

    def definer(self, owner: str) -> Principal:
        """Who stored code and views of ``owner`` act as (definer's rights): the owner, in its own
        schema, with its roles disabled as Oracle disables them there (only direct and PUBLIC
        grants count, DBA's powers included); an admin only when it is one of the server's
        configured admins (catalog/privileges.py ``super_users``)."""
        return Principal(owner, owner, self.privileges.is_super_user(owner), roles=False)

    def held(self, who: Principal, owner: str, name: str) -> dict[str, bool]:
        """The object privileges ``who`` holds on ``owner.name`` -> grantable (its roles' too
        unless it runs definer's-rights code)."""
        return self.privileges.object_privileges(who.user, owner, name, roles=who.roles)

    def holds_any(self, who: Principal, privileges: tuple[str, ...]) -> bool:
        """``who`` holds one of the system privileges ``privileges`` (see :meth:`held`)."""
        return self.privileges.has_any(who.user, privileges, roles=who.roles)

    def _check_view(self, view: Table, who: Principal, need: str, pos: int) -> None:
        """A view reaches another schema's objects with its owner's privileges, not its creator's
        or user's: ORA-04063 when the owner holds none (created by an admin, or revoked since),
        ORA-01031 when someone else uses it and the owner may not pass the privilege on."""
        assert view.view is not None
        owner = view.schema
        definer = self.definer(owner)
        objects, anys = _TABLE_NEEDS[need]
        for sql_name in sorted(view.view.uses):
            with self.lock:
                base = self.by_sql_name.get(sql_name)
            if base is None or base is view:
                continue
            if base.schema != owner and not definer.admin and not self.holds_any(definer, anys):
                held = self.held(definer, base.schema, base.name)
                granted = objects & held.keys()
                if not granted:
                    raise errors.ora(4063, pos, name=f'view "{owner}.{view.name}"')
                if who.user != owner and not who.admin and not any(held[p] for p in granted):
                    raise errors.ora(1031, pos)
            if base.view is not None:  # a view over a view: the inner one's owner's privileges too
                self._check_view(base, definer, need, pos)

    def sequence(self, schema: str | None, name: str, who: Principal, pos: int = 0,
                 need: str = "SELECT") -> SequenceState:
        """Resolve a sequence reference for ``who`` needing ``need`` (SELECT, ALTER, DROP):
        ORA-02289 if missing or ``who`` holds no privilege on it, ORA-01031 if some but not this."""
        target = self.synonyms.resolve(schema, name, who.schema, self._table_or_builtin, pos)
        seq = None if target is None else self.sequences.get(*target)
        if seq is None:
            raise missing(pos)
        if seq.schema == who.user or who.admin:
            return seq
        objects, anys = _SEQUENCE_NEEDS[need]
        held = self.held(who, seq.schema, seq.name)
        if objects & held.keys() or self.holds_any(who, anys):
            return seq
        if held or self.holds_any(who, ("SELECT ANY SEQUENCE", "ALTER ANY SEQUENCE",
                                                       "DROP ANY SEQUENCE")):
            raise errors.ora(1031, pos)
        raise missing(pos)

    def may_see_sequence(self, who: Principal, seq: SequenceState) -> bool:
        """ALL_SEQUENCES / ALL_OBJECTS: ``who`` holds some privilege on ``seq``."""
        return seq.schema == who.user or who.admin or \
            bool(self.held(who, seq.schema, seq.name)) or \
            self.holds_any(who, ("SELECT ANY SEQUENCE", "ALTER ANY SEQUENCE"))

    def may_execute(self, who: Principal, owner: str, name: str, *,
                    any_privilege: str = "EXECUTE ANY PROCEDURE") -> bool:
        """Stored code ``owner.name`` may be run by ``who``: its own, EXECUTE on it (directly, by
        role or PUBLIC), or EXECUTE ANY PROCEDURE.  (Definer's-rights code runs with its owner's
        privileges, and Oracle ignores roles there: a caller checking a unit's body passes the
        owner's Principal.)"""
        return owner == who.user or who.admin or \
            "EXECUTE" in self.held(who, owner, name) or \
            self.holds_any(who, (any_privilege,))

    def index(self, schema: str | None, name: str, who: Principal) -> tuple[Table, Index] | None:
        """The CREATE INDEX index ``[schema.]name`` and its table, None when missing or not
        usable by ``who`` (the caller says ORA-01418)."""
        owner = schema or who.schema
        if not who.may_use(owner) and not self.holds_any(who, ("DROP ANY INDEX", "ALTER ANY INDEX")):
            return None
        return self.find_index(owner, name)

    def user_type(self, schema: str | None, name: str, who: Principal) -> ObjectType | None:
        """Resolve a user-defined type reference for ``who``: None when it is missing or ``who`` may
        not use it (the caller says PLS-00201 or ORA-04043): its own, EXECUTE on it, EXECUTE ANY TYPE."""
        owner = schema or who.schema
        if not self.may_execute(who, owner, name, any_privilege="EXECUTE ANY TYPE"):
            return None
        return self.types.get(owner, name)

    def owner_for_create(self, schema: str | None, who: Principal, pos: int = 0, kind: str | None = None) -> str:
        """The schema an object created as ``[schema.]name`` goes to: ORA-01031 when ``who``
        lacks CREATE ``kind`` (its own schema) or CREATE ANY ``kind`` (another's)."""
        owner = schema or who.schema
        if who.admin:
            return owner
        anys = () if kind is None else (f"CREATE ANY {kind}",)
        if owner == who.user:
            if kind is None or kind in _FREE_IN_OWN or self.holds_any(who, (f"CREATE {kind}", *anys)):
                return owner
        elif self.holds_any(who, anys):
            return owner
        raise errors.ora(1031, pos)

    def existing(self, owner: str, name: str) -> Table | None:
        """The table or view ``owner.name`` for DDL whose owner :meth:`owner_for_create` already
        checked (CREATE OR REPLACE VIEW), None when there is none."""
        with self.lock:
            return self.tables.get((owner, name))

    def visible_tables(self, who: Principal) -> list[Table]:
        """The tables ``who`` may use, by (owner, name): the rows of the ALL_ views."""
        sees_all = who.admin or self.holds_any(who, _SEES_TABLES)
        with self.lock:
            tables = list(self.tables.values())
        if not sees_all:
            tables = [t for t in tables if t.schema == who.user
                      or self.held(who, t.schema, t.name)]
        return sorted(tables, key=lambda t: (t.schema, t.name))

    def exists(self, schema: str, name: str) -> bool:
        with self.lock:
            return (schema, name) in self.tables or self.sequences.has(schema, name) or \
                self.find_index(schema, name) is not None or self.types.has(schema, name) or \
                self.units.has_name(schema, name)

    def find_index(self, schema: str, name: str) -> tuple[Table, Index] | None:
        """The CREATE INDEX index ``schema.name`` and its table."""
        with self.lock:
            for table in self.tables.values():
                if table.schema == schema:
                    for ix in table.indexes:
                        if ix.name == name:
                            return table, ix
        return None

    def new_sql_name(self) -> str:
        with self.lock:
            self._next_table += 1
            return f"t{self._next_table}"

    def new_index_name(self) -> str:
        with self.lock:
            self._next_index += 1
            return f"i{self._next_index}"

    def new_constraint_name(self) -> str:
        with self.lock:
            self._next_constraint += 1
            return f"SYS_C{self._next_constraint:07d}"

    def add(self, table: Table) -> None:
        with self.lock:
            if (table.schema, table.name) in self.tables:
                raise errors.name_in_use()
            self.tables[(table.schema, table.name)] = table
            self.by_sql_name[table.sql_name] = table
            for c in table.columns:
                if c.identity is not None and isinstance(c.default, SeqRef):
                    self.sequences.create(table.schema, c.default.name, c.identity.options, system=True)

    def drop(self, table: Table) -> None:
        """``table`` was dropped: it leaves the catalog, and its grants and triggers go with it
        (CREATE OR REPLACE VIEW uses :meth:`remove` and keeps them, as Oracle does)."""
        self.remove(table)
        self.privileges.forget_object(table.schema, table.name)
        self.units.drop_triggers_on(table.schema, table.name)

    def remove(self, table: Table) -> None:
        with self.lock:
            self.tables.pop((table.schema, table.name), None)
            self.by_sql_name.pop(table.sql_name, None)
            for c in table.columns:
                if c.identity is not None and isinstance(c.default, SeqRef) and \
                        self.sequences.has(table.schema, c.default.name):
                    self.sequences.drop(table.schema, c.default.name, system=True)

    def unique_error(self, message: str) -> errors.OraError | None:
        """Map sqlite's ``UNIQUE constraint failed: t1.c0, t1.c1`` to ORA-00001."""
        _, _, cols = message.partition(":")
        parts = [p.strip().split(".") for p in cols.split(",") if "." in p]
        if not parts:
            return None
        with self.lock:
            table = self.by_sql_name.get(parts[0][0])
        if table is None:
            return None
        sql_cols = {p[1] for p in parts}
        keys = [(c.name, c.columns) for c in table.constraints if c.sql_index] + \
            [(ix.name, ix.columns) for ix in table.indexes if ix.unique]
        for name, columns in keys:
            names = {c.sql for c in table.columns if c.name in columns}
            if names == sql_cols:
                return errors.unique_violated(table.schema, name)
        return None

    def not_null_error(self, message: str, updating: bool) -> errors.OraError | None:
        """Map sqlite's ``NOT NULL constraint failed: t1.c0`` to ORA-01400 / ORA-01407."""
        _, _, col = message.partition(":")
        table_sql, _, col_sql = col.strip().partition(".")
        with self.lock:
            table = self.by_sql_name.get(table_sql)
        if table is None:
            return None
        for c in table.columns:
            if c.sql == col_sql:
                if updating:
                    return errors.cannot_update_null(table.schema, table.name, c.name)
                return errors.cannot_insert_null(table.schema, table.name, c.name)
        return None
