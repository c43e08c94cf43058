"""INSERT / UPDATE / DELETE and CREATE TABLE -> sqlite statements."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import fields, is_dataclass

from .. import errors
from ..catalog.tables import Catalog
from ..catalog.schema import Column, Constraint, Context, Table
from ..types.datatypes import SqlType, T
from ..syntax.nodes import Col, ConstraintSpec, CreateTable, Delete, Expr, Func, Insert, SeqRef, Update
from .base import AGGREGATES, TE, TableScope, no_long
from .translator import Translator
from .seqsql import check_insert, check_update, identity_column, on_null
from ..catalog.foreignkeys import foreign_key

__all__ = ["translate_dml", "create_table_sql"]

#: (sqlite statement, its parameters, the RETURNING expressions or None).
DmlSql = tuple[str, dict[str, object], tuple[TE, ...] | None]


def need_of(stmt: Insert | Update | Delete) -> str:
    """The privilege DML needs on its target table (catalog/tables.py)."""
    return "INSERT" if isinstance(stmt, Insert) else "UPDATE" if isinstance(stmt, Update) else "DELETE"


def _target(catalog: Catalog, ctx: Context, stmt: Insert | Update | Delete) -> Table:
    table = catalog.table(stmt.table.schema, stmt.table.name, ctx.principal, stmt.table.pos, need_of(stmt))
    if not table.sql_name:
        raise errors.ora(1031, stmt.table.pos)
    return table


def translate_dml(
    catalog: Catalog, ctx: Context, binds: Mapping[str, object], stmt: Insert | Update | Delete,
    returning_types: Sequence[SqlType | None] = (),
) -> DmlSql:
    """The sqlite statement; a RETURNING clause's expressions come translated
    apart (the caller appends them after ``RETURNING rowid``), converted to
    ``returning_types`` (one per INTO target; None or missing: as they are)."""
    tr = Translator(catalog, ctx, binds)
    tr.in_dml = True
    table = _target(catalog, ctx, stmt)
    sql, params = _translate(tr, table, stmt)
    return sql, params, _returning(tr, table, stmt, returning_types)


def _returning(
    tr: Translator, table: Table, stmt: Insert | Update | Delete, types: Sequence[SqlType | None]
) -> tuple[TE, ...] | None:
    """RETURNING expressions over the changed row.  sqlite's RETURNING knows the
    table only by its own name (no alias), and computes no aggregates."""
    clause = stmt.returning
    if clause is None:
        return None
    for e in clause.exprs:
        found = _aggregate_in(e)
        if found is not None:
            raise errors.unsupported(f"aggregate function {found.name} in RETURNING", found.start)
    tr.scope = TableScope(table, stmt.table.alias, prefix=f'"{table.sql_name}"')
    # LOCAL TIME ZONE values return in the session's zone, as a query shows them
    out = [tr.as_date(te) if te.type.t is T.TIMESTAMP_LTZ else te for te in (tr.expr(e) for e in clause.exprs)]
    for k, target in enumerate(types[: len(out)]):
        if target is not None:
            out[k] = _assigned(tr, out[k], target)
    return tuple(out)


def _assigned(tr: Translator, te: TE, target: SqlType) -> TE:
    """``te`` as a bind of type ``target`` receives it: Oracle's implicit conversions
    (NUMBER <-> text, text -> DATE with the NLS formats, ...), ORA-00932 where none exists."""
    k = target.t
    if k is T.NUMBER:
        return tr.as_number(te)
    if k in (T.VARCHAR, T.NVARCHAR, T.CHAR, T.NCHAR, T.CLOB, T.NCLOB):
        return tr.as_text(te)
    if target.is_datetime:
        return tr.as_date(te)
    if k is T.ROWID:
        return tr.as_rowid(te)
    if k in (T.BFLOAT, T.BDOUBLE):
        return tr.as_float(te)
    allowed = {T.RAW: (T.RAW, T.BLOB), T.BLOB: (T.RAW, T.BLOB)}.get(k, (k,))
    if te.type.t not in allowed and te.type.t is not T.NULL:
        raise errors.inconsistent_types(k.value, te.type.t.value)
    return te


def _aggregate_in(node: object) -> Func | None:
    if isinstance(node, Func) and node.name in AGGREGATES:
        return node
    if isinstance(node, tuple):
        for item in node:
            found = _aggregate_in(item)
            if found is not None:
                return found
        return None
    if isinstance(node, Expr) and is_dataclass(node):
        for f in fields(node):
            found = _aggregate_in(getattr(node, f.name))
            if found is not None:
                return found
    return None


def _translate(tr: Translator, table: Table, stmt: Insert | Update | Delete) -> tuple[str, dict[str, object]]:
    if isinstance(stmt, Insert):
        if stmt.columns is None:
            targets = list(table.columns)
        else:
            targets = []
            for name, pos in stmt.columns:
                col = table.column(name)
                if col is None:
                    raise errors.invalid_identifier(name, pos)
                if col in targets:
                    raise errors.ora(957, pos)
                targets.append(col)
        check_insert(targets, [pos for _, pos in stmt.columns or ()])
        defaults = [c for c in table.columns if c not in targets and c.default is not None]
        names = ", ".join(c.sql for c in targets + defaults)
        tr.scope = None
        default_sql = [tr.fit(tr.expr(c.default), c, table) for c in defaults if c.default is not None]
        if stmt.values is not None:
            if len(stmt.values) < len(targets):
                raise errors.ora(947)
            if len(stmt.values) > len(targets):
                raise errors.ora(913)
            values = [tr.fit(on_null(tr, tr.expr(v), c), c, table) for v, c in zip(stmt.values, targets)]
            sql = f'INSERT INTO "{table.sql_name}" ({names}) VALUES ({", ".join(values + default_sql)})'
            return sql, tr.params
        assert stmt.query is not None
        plan = tr.select(stmt.query)
        if len(plan.columns) != len(targets):
            raise errors.ora(947 if len(plan.columns) < len(targets) else 913)
        fitted = [tr.fit(on_null(tr, TE(f"q.c_{i + 1}", oc.type), c), c, table)
                  for i, (oc, c) in enumerate(zip(plan.columns, targets))]
        no_long(*(TE("", oc.type) for oc in plan.columns))  # INSERT ... SELECT of a LONG: ORA-00997
        # A compound SELECT takes its column names from its first member.
        names_row = ", ".join(f"NULL AS c_{i + 1}" for i in range(len(plan.columns)))
        sql = (
            f'INSERT INTO "{table.sql_name}" ({names}) SELECT {", ".join(fitted + default_sql)} FROM '
            f"(SELECT {names_row} WHERE 0 UNION ALL SELECT * FROM ({plan.sql})) AS q"
        )
        return sql, tr.params
    tr.scope = TableScope(table, stmt.table.alias)
    if isinstance(stmt, Update):
        sets = []
        for name, pos, expr in stmt.assignments:
            col = table.column(name)
            if col is None:
                raise errors.invalid_identifier(name, pos)
            if col.identity is not None:
                check_update(col, pos)
            sets.append(f"{col.sql} = {tr.fit(tr.expr(expr), col, table)}")
        where = f" WHERE {tr.cond(stmt.where)}" if stmt.where is not None else ""
        return f'UPDATE "{table.sql_name}" AS t SET {", ".join(sets)}{where}', tr.params
    where = f" WHERE {tr.cond(stmt.where)}" if stmt.where is not None else ""
    return f'DELETE FROM "{table.sql_name}" AS t{where}', tr.params


def create_table_sql(catalog: Catalog, schema: str, stmt: CreateTable,
                     ctx: Context) -> tuple[Table, list[str]]:
    """The catalog entry and sqlite DDL for CREATE TABLE."""
    sql_name = catalog.new_sql_name()
    columns: list[Column] = []
    seen: set[str] = set()
    pk_cols = {c for cons in stmt.constraints if cons.kind == "PRIMARY KEY" for c in cons.columns}
    if sum(1 for cons in stmt.constraints if cons.kind == "PRIMARY KEY") > 1:
        raise errors.ora(2260)
    for i, spec in enumerate(stmt.columns):
        if spec.name in seen:
            raise errors.ora(957, spec.pos)
        seen.add(spec.name)
        nullable = not (spec.not_null or spec.name in pk_cols)
        col = Column(spec.name, spec.type, nullable, spec.default, f"c{i}", default_text=spec.default_text)
        if spec.identity is not None or isinstance(spec.default, SeqRef):
            col = identity_column(col, spec, stmt.columns, schema, sql_name)
        columns.append(col)
    table = Table(schema, stmt.table.name, sql_name, columns)
    defs = [f"{c.sql}{'' if c.nullable else ' NOT NULL'}" for c in columns]
    statements = [""]
    # foreign keys last: a self-referencing key needs the table's own primary / unique keys
    for k, cons in sorted(enumerate(stmt.constraints), key=lambda kc: kc[1].kind == "FOREIGN KEY"):
        for name in cons.columns:
            if table.column(name) is None:
                raise errors.invalid_identifier(name)
        cname = cons.name or catalog.new_constraint_name()
        if cons.kind == "CHECK":
            check = check_constraint(catalog, ctx, table, cons, cname)
            table.constraints.append(check)
            defs.append(check.sql_check)
            continue
        if cons.kind == "FOREIGN KEY":
            fk, clause = foreign_key(catalog, ctx.principal, table, cons, cname)
            table.constraints.append(fk)
            defs.append(clause)
            continue
        index = f"{sql_name}_u{k}"
        table.constraints.append(Constraint(cname, cons.kind, cons.columns, index))
        cols = ", ".join(c.sql for n in cons.columns for c in columns if c.name == n)
        statements.append(f'CREATE UNIQUE INDEX "{index}" ON "{sql_name}" ({cols})')
    statements[0] = f'CREATE TABLE "{sql_name}" ({", ".join(defs)})'
    return table, statements


def check_constraint(catalog: Catalog, ctx: Context, table: Table, spec: ConstraintSpec, name: str) -> Constraint:
    """A CHECK constraint, enforced by a sqlite CHECK on the translated condition (literals inlined:
    DDL takes no parameters).  Like Oracle, a condition that is UNKNOWN (NULL) passes."""
    assert spec.check is not None
    tr = Translator(catalog, ctx, {})
    tr.scope = TableScope(table, None, prefix=f'"{table.sql_name}"')
    sql = tr.cond(spec.check)

    def literal(m: re.Match[str]) -> str:
        value = tr.params[m.group(1)]
        if value is None:
            return "NULL"
        if isinstance(value, bytes):
            return f"X'{value.hex()}'"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return repr(value)
        return "'" + str(value).replace("'", "''") + "'"

    sql = re.sub(r":(p\d+)\b", literal, sql)
    escaped = name.replace('"', '""')
    columns = tuple(dict.fromkeys([*spec.columns, *_columns_in(spec.check, table)]))  # ALL_CONS_COLUMNS rows
    return Constraint(name, "CHECK", columns, "", search_condition=spec.check_text,
                      sql_check=f'CONSTRAINT "{escaped}" CHECK ({sql})')


def _columns_in(node: object, table: Table) -> list[str]:
    """Names of ``table``'s columns that ``node`` refers to, in order of appearance."""
    if isinstance(node, Col):
        return [node.name] if table.column(node.name) is not None else []
    if isinstance(node, (tuple, list)):
        return [n for item in node for n in _columns_in(item, table)]
    if is_dataclass(node) and not isinstance(node, type):
        return [n for f in fields(node) for n in _columns_in(getattr(node, f.name), table)]
    return []
