"""Tables, their Oracle column types and constraints, shared by every session of a Database.

DDL commits at once in Oracle, so the catalog is plain shared memory guarded by
a lock (no transactional catalog is needed).  sqlite names are synthetic
(``t1``, columns ``c0``...) so Oracle's case-sensitive quoted names and
reserved words never meet sqlite's case-insensitive identifiers.

Names resolve here and nowhere else: every table, view, sequence, index and user-defined type named
by SQL goes through :meth:`Catalog.table`, :meth:`Catalog.sequence`, :meth:`Catalog.index`,
:meth:`Catalog.user_type` or :meth:`Catalog.owner_for_create`
with the :class:`Principal` of the session.  Deny by default, as Oracle does without
grants: a user may use the objects of its own schema only; another schema's object
is reported missing (ORA-00942 / ORA-02289 / ORA-01418), exactly as if it did not
exist, so its existence does not leak.  Creating in another schema is ORA-01031.
An admin (``EmbeddedServer(admins=...)``) holds the DBA role's ANY privileges and
alone reads the DBA_ and V$ views.
"""

from __future__ import annotations

import threading

from .. import errors
from ..syntax.nodes import SeqRef
from .objtypes import ObjectType, TypeStore
from .schema import Index, Principal, Table, privileged_view
from .sequences import SequenceState, SequenceStore, missing
from .units import UnitStore
from .views import PUBLIC

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

    def table(self, schema: str | None, name: str, who: Principal, pos: int = 0) -> Table:
        """Resolve a table or view reference for ``who``: ORA-00942 if it is missing or
        ``who`` may not use it (the one gate every table reference passes)."""
        if schema in (None, "SYS", "PUBLIC") and name in PUBLIC:
            if privileged_view(name) and not who.admin:
                raise errors.table_missing(pos)
            return PUBLIC[name]
        owner = schema or who.schema
        with self.lock:
            table = self.tables.get((owner, name))
        if table is None or not who.may_use(owner):
            raise errors.table_missing(pos)
        return table

    def sequence(self, schema: str | None, name: str, who: Principal, pos: int = 0) -> SequenceState:
        """Resolve a sequence reference for ``who``: ORA-02289 if missing or not usable."""
        owner = schema or who.schema
        seq = self.sequences.get(owner, name)
        if seq is None or not who.may_use(owner):
            raise missing(pos)
        return seq

    def index(self, schema: str | None, name: str, who: Principal) -> tuple[Table, Index] | None:
        """The CREATE INDEX index ``[schema.]name`` and its table, None when missing or not
        usable by ``who`` (the caller says ORA-01418)."""
        owner = schema or who.schema
        if not who.may_use(owner):
            return None
        return self.find_index(owner, name)

    def user_type(self, schema: str | None, name: str, who: Principal) -> ObjectType | None:
        """Resolve a user-defined type reference for ``who``: None when it is missing or ``who`` may
        not use it (the caller says PLS-00201 or ORA-04043)."""
        owner = schema or who.schema
        if not who.may_use(owner):
            return None
        return self.types.get(owner, name)

    def owner_for_create(self, schema: str | None, who: Principal, pos: int = 0) -> str:
        """The schema an object created as ``[schema.]name`` goes to: ORA-01031 when it is
        another user's (CREATE ANY ... is an admin's)."""
        owner = schema or who.schema
        if not who.may_use(owner):
            raise errors.ora(1031, pos)
        return owner

    def existing(self, owner: str, name: str) -> Table | None:
        """The table or view ``owner.name`` for DDL whose owner :meth:`owner_for_create` already
        checked (CREATE OR REPLACE VIEW), None when there is none."""
        with self.lock:
            return self.tables.get((owner, name))

    def visible_tables(self, who: Principal) -> list[Table]:
        """The tables ``who`` may use, by (owner, name): the rows of the ALL_ views."""
        with self.lock:
            tables = [t for t in self.tables.values() if who.may_use(t.schema)]
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
