"""User views: CREATE [OR REPLACE] VIEW and DROP VIEW, and the checks DML through a view passes.

A view is a sqlite view over the translated query (so joins, aliases and views over views are
sqlite's own work) plus a catalog :class:`Table` carrying the Oracle column types the query
produced.  A simple view (one base table; no joins, aggregates, DISTINCT or set operators) also
carries the base row's sqlite rowid as a hidden last column, and INSTEAD OF triggers turn DML on
the view into DML on that row; WITH CHECK OPTION is a check inside the triggers that the changed
row is still one the view shows (ORA-01402).  Everything else is refused as Oracle does:
ORA-42399 (WITH READ ONLY), ORA-01732 (not an updatable view), ORA-01779 (join views),
ORA-01733 (a column that is an expression).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from .. import errors
from ..catalog.schema import SYSTEM, Column, Context, Principal, Table, ViewInfo
from ..catalog.tables import Catalog
from ..syntax.nodes import Col, CreateView, Delete, DropView, Insert, Select, SelectItem, TableRef, Update
from ..types.datatypes import number_bytes
from .translator import Translator

__all__ = ["CHECK_FAILED", "check_dml", "create_view", "drop_view", "unalias"]

#: The message the triggers abort with when WITH CHECK OPTION refuses a row (engine maps it to ORA-01402).
CHECK_FAILED = "oracle-view-check-option"
_RID = "rid"  # the hidden base-rowid column of a simple view
_PARAM = re.compile(r":(p\d+)\b")


def _literal(value: object) -> str:
    """A translated query's parameter as sqlite literal text (a view's SQL cannot hold binds)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return "X'" + number_bytes(value).hex() + "'"
    if isinstance(value, str) and "\0" in value:  # sqlite ends SQL text at a NUL
        return "CAST(X'" + value.encode().hex() + "' AS TEXT)"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "X'" + bytes(value).hex() + "'"
    return "'" + str(value).replace("'", "''") + "'"


def _inline(sql: str, params: dict[str, object]) -> str:
    return _PARAM.sub(lambda m: _literal(params[m.group(1)]) if m.group(1) in params else m.group(0), sql)


def _simple_base(catalog: Catalog, who: Principal, q: Select) -> Table | None:
    """The base table of a simple single-table view, None when the view is not simple."""
    if q.joins or q.setops or q.group_by or q.having is not None or q.distinct or q.connect_limit is not None \
            or q.offset is not None or q.fetch is not None or not isinstance(q.table, TableRef):
        return None
    table = catalog.table(q.table.schema, q.table.name, who, q.table.pos)
    return table if table.sql_name and table.view is None else None


def _mapping(q: Select, base: Table) -> list[str | None]:
    """For each view column, the base column it is (None: an expression)."""
    names: list[str | None] = []
    for item in q.items:
        if item.expr is None:
            names.extend(c.name for c in base.columns)
        elif isinstance(item.expr, Col) and item.expr.name != "ROWID" and base.column(item.expr.name) is not None:
            names.append(item.expr.name)
        else:
            names.append(None)
    return names


def create_view(catalog: Catalog, ctx: Context, stmt: CreateView, run: Callable[[list[str]], None]) -> None:
    """Create (or replace) the view: ORA-00955 for a name in use, ORA-01730 when the column list
    does not match the query, ORA-00957 for a repeated column name."""
    who = ctx.principal
    owner = catalog.owner_for_create(stmt.view.schema, who, stmt.view.pos, "VIEW")
    old = catalog.existing(owner, stmt.view.name)
    if old is not None and not (old.view is not None and stmt.or_replace) or old is None and (
            catalog.exists(owner, stmt.view.name) or stmt.view.name == "DUAL"):
        raise errors.name_in_use(stmt.view.pos)
    q = stmt.query
    base = _simple_base(catalog, who, q)
    tr = Translator(catalog, ctx, {})
    plan = None
    if base is not None:
        try:
            plan = tr.select(dataclasses.replace(q, items=q.items + (SelectItem(Col(0, 0, "ROWID"), None, "ROWID"),)))
        except errors.OraError:
            base = None
    if plan is None:
        plan = Translator(catalog, ctx, {}).select(q)
    out = plan.columns[:-1] if base is not None else plan.columns
    names = stmt.columns or tuple(c.name for c in out)
    if len(names) != len(out):
        raise errors.ora(1730, stmt.view.pos)
    if len(set(names)) != len(names):
        raise errors.ora(957, stmt.view.pos)
    sql = _inline(plan.sql, plan.params)
    mapped: list[str | None] = [None] * len(out)
    if base is not None:
        # the hidden column: the base row's own sqlite rowid rather than its Oracle ROWID text
        sql, found = re.subn(r"ora_rowid\(\d+, (\w+)\.rowid\) FROM ", r"\1.rowid FROM ", sql, count=1)
        if not found:
            base = None
        else:
            mapped = _mapping(q, base)
            if not any(mapped):  # count(*) and the like: no column to write through
                base, mapped = None, [None] * len(out)
    # a replaced view gets a new sqlite name: sqlite keeps running statements prepared against the
    # old definition (python's statement cache), so the same query text must not reach it again
    sql_name = catalog.new_sql_name()
    columns: list[Column] = []
    for i, (name, c, src) in enumerate(zip(names, out, mapped)):
        source = base.column(src) if base is not None and src is not None else None
        columns.append(Column(name, c.type, c.nullable, source.default if source else None, f"c{i}",
                              default_text=source.default_text if source else None))
    sql_cols = [c.sql for c in columns] + ([_RID] if base is not None else [])
    statements = ([f'DROP VIEW IF EXISTS "{old.sql_name}"'] if old is not None else []) + [
                  f'CREATE VIEW "{sql_name}" ({", ".join(sql_cols)}) AS {sql}']
    if base is not None and not stmt.read_only:
        statements += _triggers(sql_name, base, columns, mapped, stmt.check_option, _defaults(catalog, ctx, base, mapped))
    refusal = 1779 if q.joins or (not isinstance(q.table, TableRef)) else 1732
    remade = dataclasses.replace(stmt, view=dataclasses.replace(stmt.view, schema=owner), or_replace=True)
    info = ViewInfo(stmt.text, stmt.read_only, stmt.check_option, base,
                    frozenset(c.name for c, src in zip(columns, mapped) if src is not None), refusal,
                    remade, frozenset(re.findall(r'"(t\d+)"', sql)))
    run(statements)
    table = Table(owner, stmt.view.name, sql_name, columns, view=info)
    with catalog.lock:
        if old is not None:
            catalog.remove(old)
        catalog.add(table)
    if old is not None:
        _recompile(catalog, ctx, old.sql_name, run)


def _recompile(catalog: Catalog, ctx: Context, replaced: str, run: Callable[[list[str]], None]) -> None:
    """Create again the views that read the replaced sqlite view ``replaced``, as their owners
    (Oracle recompiles them at next use); one that no longer compiles stays broken (ORA-04063)."""
    for view in catalog.visible_tables(SYSTEM):
        info = view.view
        if info is None or info.source is None or replaced not in info.uses:
            continue
        owner_ctx = dataclasses.replace(ctx, user=view.schema, schema=view.schema)
        try:
            create_view(catalog, owner_ctx, info.source, run)
        except errors.OraError:
            pass


def _defaults(catalog: Catalog, ctx: Context, base: Table, mapped: list[str | None]) -> list[tuple[str, str]]:
    """(sqlite column, value SQL) of the base columns a view insert leaves to their DEFAULT."""
    tr = Translator(catalog, ctx, {})
    fitted = [(c.sql, tr.fit(tr.expr(c.default), c, base)) for c in base.columns
              if c.name not in mapped and c.default is not None]
    return [(name, _inline(value, tr.params)) for name, value in fitted]


def _triggers(view: str, base: Table, columns: list[Column], mapped: list[str | None], check: bool,
              defaults: list[tuple[str, str]]) -> list[str]:
    """INSTEAD OF triggers that apply DML on simple view ``view`` to its base table's row."""
    pairs = [(c.sql, col.sql) for c, src in zip(columns, mapped) if src is not None
             for col in [base.column(src)] if col is not None]
    guard = (f"SELECT RAISE(ABORT, '{CHECK_FAILED}') WHERE NOT EXISTS "
             f'(SELECT 1 FROM "{view}" WHERE {_RID} = {{row}});') if check else ""
    into = ", ".join([b for _, b in pairs] + [name for name, _ in defaults])
    values = ", ".join([f"NEW.{v}" for v, _ in pairs] + [value for _, value in defaults])
    sets = ", ".join(f"{b} = NEW.{v}" for v, b in pairs)
    where = f"rowid = OLD.{_RID}"
    return [
        f'CREATE TRIGGER "{view}_i" INSTEAD OF INSERT ON "{view}" BEGIN '
        f'INSERT INTO "{base.sql_name}" ({into}) VALUES ({values}); {guard.format(row="last_insert_rowid()")} END',
        f'CREATE TRIGGER "{view}_u" INSTEAD OF UPDATE ON "{view}" BEGIN '
        f'UPDATE "{base.sql_name}" SET {sets} WHERE {where}; {guard.format(row=f"OLD.{_RID}")} END',
        f'CREATE TRIGGER "{view}_d" INSTEAD OF DELETE ON "{view}" BEGIN '
        f'DELETE FROM "{base.sql_name}" WHERE {where}; END',
    ]


def drop_view(catalog: Catalog, who: Principal, stmt: DropView, run: Callable[[list[str]], None]) -> None:
    """DROP VIEW: ORA-00942 when it is missing or is not a view."""
    table = catalog.table(stmt.view.schema, stmt.view.name, who, stmt.view.pos, "DROP")
    if table.view is None:
        raise errors.table_missing(stmt.view.pos)
    run([f'DROP VIEW IF EXISTS "{table.sql_name}"'])
    catalog.drop(table)


def check_dml(table: Table, stmt: Insert | Update | Delete) -> None:
    """Refuse DML on view ``table`` as Oracle does (the triggers do the rest)."""
    info = table.view
    if info is None:
        return
    if info.read_only:
        raise errors.ora(42399, stmt.table.pos)
    if info.base is None:
        raise errors.ora(info.refusal, stmt.table.pos)
    if isinstance(stmt, Insert):
        named = [n for n, _ in stmt.columns] if stmt.columns is not None else [c.name for c in table.columns]
        positions = [p for _, p in stmt.columns] if stmt.columns is not None else [stmt.table.pos] * len(named)
    elif isinstance(stmt, Update):
        named = [n for n, _, _ in stmt.assignments]
        positions = [p for _, p, _ in stmt.assignments]
    else:
        return
    for name, pos in zip(named, positions):
        if table.column(name) is not None and name not in info.updatable:
            raise errors.ora(1733, pos)


def unalias(sql: str, table: Table) -> str:
    """A translated UPDATE / DELETE on view ``table`` without its ``AS t`` alias: sqlite resolves
    no alias of a view that INSTEAD OF triggers change, so the view's own name stands in."""
    head = re.match(r'(UPDATE|DELETE FROM) "\w+" AS t\b', sql)
    if head is None:
        return sql
    rest = re.sub(r"\bt\.", f'"{table.sql_name}".', sql[head.end():])
    return f'{head.group(1)} "{table.sql_name}"{rest}'
