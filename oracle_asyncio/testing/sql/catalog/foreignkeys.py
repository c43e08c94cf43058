"""FOREIGN KEY (and CHECK) constraints: catalog entries, the sqlite clauses that
enforce them, and Oracle's errors.

sqlite enforces the key (``PRAGMA foreign_keys=ON`` on every session connection,
checked at the end of each statement as Oracle does for non-deferred keys); the
parent key always has a unique index (PRIMARY KEY / UNIQUE constraints get one).
sqlite's ``FOREIGN KEY constraint failed`` names no constraint, so the statement
decides: a change to the child is ORA-02291 (parent key not found), a change to
the parent ORA-02292 (child record found).
"""

from __future__ import annotations


from .. import errors
from .tables import Catalog
from .schema import Constraint, Principal, SYSTEM, Table
from ..types.datatypes import CHARACTER, DATETIME, T
from ..syntax.nodes import ConstraintSpec

__all__ = ["foreign_key", "check_error", "referencing", "fk_error", "check_drop", "drop_referencing", "check_truncate"]


def foreign_key(catalog: Catalog, who: Principal, table: Table, spec: ConstraintSpec,
                name: str) -> tuple[Constraint, str]:
    """The catalog constraint and the sqlite ``FOREIGN KEY ... REFERENCES ...`` clause of ``spec``
    (``table``: the table being created, which may be its own parent; ``who``: the creator,
    who must be able to use the parent)."""
    ref = spec.references
    assert ref is not None
    schema = ref.schema or table.schema
    if schema == table.schema and ref.name == table.name:
        parent = table
    else:
        parent = catalog.table(schema, ref.name, who, ref.pos, "REFERENCES")
        if not parent.sql_name:
            raise errors.ora(942, ref.pos)
    ref_cols = spec.ref_columns
    if not ref_cols:
        pk = [c for c in parent.constraints if c.kind == "PRIMARY KEY"]
        if not pk:
            raise errors.ora(2268)
        ref_cols = pk[0].columns
    if len(ref_cols) != len(spec.columns):
        raise errors.ora(2256)
    for name_ in ref_cols:
        if parent.column(name_) is None:
            raise errors.invalid_identifier(name_)
    key = next((c for c in parent.constraints if c.kind in ("PRIMARY KEY", "UNIQUE")
                and set(c.columns) == set(ref_cols) and len(c.columns) == len(ref_cols)), None)
    if key is None:
        raise errors.ora(2270)
    own: list[str] = []
    for name_, parent_name in zip(spec.columns, ref_cols):
        col, parent_col = table.column(name_), parent.column(parent_name)
        if col is None:
            raise errors.invalid_identifier(name_)
        if parent_col is not None and _group(col.type.t) != _group(parent_col.type.t):
            raise errors.ora(2267)
        own.append(col.sql)
    parent_sql = [c.sql for n in ref_cols for c in parent.columns if c.name == n]
    action = "" if spec.on_delete == "NO ACTION" else f" ON DELETE {spec.on_delete}"
    clause = f'FOREIGN KEY ({", ".join(own)}) REFERENCES "{parent.sql_name}" ({", ".join(parent_sql)}){action}'
    cons = Constraint(name, "FOREIGN KEY", spec.columns, "", parent.schema, parent.name, tuple(ref_cols), key.name,
                      spec.on_delete)
    return cons, clause


def _group(t: T) -> str:
    return "CHAR" if t in CHARACTER else "DATE" if t in DATETIME else str(t.value)


def referencing(catalog: Catalog, table: Table) -> list[tuple[Table, Constraint]]:
    """Foreign keys of other tables whose parent is ``table``."""
    with catalog.lock:
        tables = list(catalog.tables.values())
    return [(t, c) for t in tables if t is not table for c in t.constraints
            if c.kind == "FOREIGN KEY" and (c.ref_schema, c.ref_table) == (table.schema, table.name)]


def fk_error(catalog: Catalog, table: Table, *, deleting: bool) -> errors.OraError:
    """ORA-02291 / ORA-02292 for sqlite's ``FOREIGN KEY constraint failed`` in DML on ``table``."""
    own = [c for c in table.constraints if c.kind == "FOREIGN KEY"]
    if own and not deleting:
        return errors.ora(2291, name=f"{table.schema}.{own[0].name}")
    children = referencing(catalog, table) + [
        (table, c) for c in own if (c.ref_schema, c.ref_table) == (table.schema, table.name)]
    name = f"{children[0][0].schema}.{children[0][1].name}" if children else "?"
    return errors.ora(2292, name=name)


def check_drop(catalog: Catalog, table: Table) -> None:
    """DROP TABLE of a parent table: ORA-02449 while another table's foreign key references it."""
    if referencing(catalog, table):
        raise errors.ora(2449)


def _clause(catalog: Catalog, table: Table, cons: Constraint) -> str:
    parent = catalog.table(cons.ref_schema, cons.ref_table, SYSTEM)  # checked when the key was made
    own = [c.sql for n in cons.columns for c in table.columns if c.name == n]
    keys = [c.sql for n in cons.ref_columns for c in parent.columns if c.name == n]
    action = "" if cons.delete_rule == "NO ACTION" else f" ON DELETE {cons.delete_rule}"
    return f'FOREIGN KEY ({", ".join(own)}) REFERENCES "{parent.sql_name}" ({", ".join(keys)}){action}'


def check_error(catalog: Catalog, message: str, table: Table | None) -> errors.OraError:
    """ORA-02290 for sqlite's ``CHECK constraint failed: NAME``."""
    name = message.partition(":")[2].strip()
    schema = table.schema if table is not None else "?"
    return errors.ora(2290, name=f"{schema}.{name}")


def drop_referencing(catalog: Catalog, table: Table) -> list[str]:
    """DROP TABLE ... CASCADE CONSTRAINTS: remove the other tables' foreign keys to ``table`` from the
    catalog; returns the sqlite statements that rebuild those tables without them (rowids, indexes
    kept; run with ``PRAGMA foreign_keys=OFF``)."""
    statements: list[str] = []
    children = {id(t): t for t, _ in referencing(catalog, table)}
    for child in children.values():
        with catalog.lock:
            child.constraints = [c for c in child.constraints if not (
                c.kind == "FOREIGN KEY" and (c.ref_schema, c.ref_table) == (table.schema, table.name))]
        defs = [f"{c.sql}{'' if c.nullable else ' NOT NULL'}" for c in child.columns]
        defs += [_clause(catalog, child, c) for c in child.constraints if c.kind == "FOREIGN KEY"]
        defs += [c.sql_check for c in child.constraints if c.sql_check]
        cols = ", ".join(c.sql for c in child.columns)
        name, tmp = child.sql_name, f"{child.sql_name}_rebuild"
        statements += [f'CREATE TABLE "{tmp}" ({", ".join(defs)})',
                       f'INSERT INTO "{tmp}" (rowid, {cols}) SELECT rowid, {cols} FROM "{name}"',
                       f'DROP TABLE "{name}"', f'ALTER TABLE "{tmp}" RENAME TO "{name}"']
        for key, index in [(c.columns, c.sql_index) for c in child.constraints if c.sql_index] + \
                [(ix.columns, ix.sql_index) for ix in child.indexes]:
            unique = "UNIQUE " if index in {c.sql_index for c in child.constraints} or any(
                ix.unique and ix.sql_index == index for ix in child.indexes) else ""
            key_sql = ", ".join(c.sql for n in key for c in child.columns if c.name == n)
            statements.append(f'CREATE {unique}INDEX "{index}" ON "{name}" ({key_sql})')
    return statements


def check_truncate(catalog: Catalog, table: Table) -> None:
    if referencing(catalog, table):
        raise errors.ora(2266)
