"""MERGE and multi-table INSERT, run as the single statements they are made of.

Each part is written as an Oracle UPDATE, INSERT ... SELECT or DELETE from the original text's
parts and runs through the session's one DML path, so privileges, type checks (ORA-12899,
ORA-01438, ORA-01400), sequences, constraints and triggers behave exactly as they do for
those statements; the whole runs under one statement savepoint, so a failure changes nothing.

The ON condition reads the target, so MERGE needs SELECT on it besides the privileges of the
clauses it has (as Oracle with SQL92_SECURITY, its default since 12.2)."""

from __future__ import annotations

from typing import Protocol

from .. import errors
from ..runtime.results import Result
from ..runtime.routines import Host
from ..syntax.nodes import Delete, Insert, Select, Update
from ..syntax.nodes_merge import Merge, MultiInsert
from ..syntax.parser import parse

__all__ = ["MergeHost", "run_merge", "run_multi_insert"]

#: Rowids one DELETE names at most (Oracle's IN-list limit, ORA-01795).
_CHUNK = 1000
#: Subquery rows one multi-table INSERT statement takes (sqlite's compound SELECT holds 500).
_ROWS = 200


class MergeHost(Host, Protocol):
    """What MERGE needs of the session (engine.Session is one)."""

    def statement_savepoint(self) -> tuple[str, bool]: ...


def _dml(host: MergeHost, sql: str, binds: dict[str, object]) -> int:
    stmt = parse(sql)
    assert isinstance(stmt, (Insert, Update, Delete))
    return host.dml(stmt, binds).row_count


def _rows(host: MergeHost, sql: str, binds: dict[str, object]) -> list[tuple[object, ...]]:
    stmt = parse(sql)
    assert isinstance(stmt, Select)
    return list(host.query(stmt, binds).rows or ())


def _and(*conds: str | None) -> str:
    return " AND ".join(f"({c})" for c in conds if c is not None)


def _check(host: MergeHost, stmt: Merge) -> None:
    """ORA-38104 and the clauses' privileges on the target, before anything runs."""
    for name, pos, _ in stmt.sets or ():
        if name in stmt.on_columns:
            qualifier = stmt.target_alias or stmt.target_name
            raise errors.ora(38104, pos, column=f'"{qualifier}"."{name}"')
    needs = ["SELECT"] + ["UPDATE"] * (stmt.sets is not None) + ["DELETE"] * (stmt.delete_where is not None) \
        + ["INSERT"] * (stmt.insert_values is not None)
    for need in needs:
        host.db.catalog.table(stmt.target_schema, stmt.target_name, host.principal, stmt.pos, need)


def run_merge(host: MergeHost, stmt: Merge, binds: dict[str, object]) -> Result:
    """Run MERGE: the matched rows' UPDATE (ORA-30926 when a target row matches more than one
    source row), the INSERT of the source rows that matched none, then the DELETE of updated
    rows.  The row count is the rows updated plus the rows inserted."""
    _check(host, stmt)
    target = f"{stmt.target} {stmt.target_alias or ''}"
    source = f"{stmt.source} {stmt.source_alias or ''}"
    binds = dict(binds)
    mark = host.statement_savepoint()
    try:
        count, doomed = 0, []
        if stmt.sets is not None:
            matched = _and(stmt.on, stmt.update_where)
            twice = f"SELECT COUNT(*) FROM {target} WHERE (SELECT COUNT(*) FROM {source} WHERE {matched}) > 1"
            if _rows(host, twice, binds)[0][0]:
                raise errors.ora(30926, stmt.pos)
            exists = f"EXISTS (SELECT 1 FROM {source} WHERE {matched})"
            if stmt.delete_where is not None:  # DELETE WHERE acts only on the rows updated
                doomed = [r[0] for r in _rows(host, f"SELECT ROWID FROM {target} WHERE {exists}", binds)]
            sets = ", ".join(f'"{name}" = (SELECT {expr} FROM {source} WHERE {matched})'
                             for name, _, expr in stmt.sets)
            count += _dml(host, f"UPDATE {target} SET {sets} WHERE {exists}", binds)
        if stmt.insert_values is not None:
            unmatched = f"NOT EXISTS (SELECT 1 FROM {target} WHERE {_and(stmt.on)})"
            count += _dml(host, f"INSERT INTO {stmt.target} {stmt.insert_columns} SELECT "
                                f"{', '.join(stmt.insert_values)} FROM {source} WHERE "
                                f"{_and(unmatched, stmt.insert_where)}", binds)
        for start in range(0, len(doomed), _CHUNK):
            names = [f"ORA$MERGE{k}" for k in range(start, min(start + _CHUNK, len(doomed)))]
            binds.update(zip(names, doomed[start:start + _CHUNK]))
            listed = ", ".join(f":{n}" for n in names)
            deleting = f"EXISTS (SELECT 1 FROM {source} WHERE {_and(stmt.on, stmt.delete_where)})"
            _dml(host, f"DELETE FROM {target} WHERE ROWID IN ({listed}) AND {deleting}", binds)
    except BaseException:
        host.end_statement(mark, undo=True)
        raise
    host.end_statement(mark, undo=False)
    return Result(row_count=count)


def run_multi_insert(host: MergeHost, stmt: MultiInsert, binds: dict[str, object]) -> Result:
    """Run ``INSERT ALL|FIRST``: the subquery runs once, before any row is inserted (an INTO
    may name a table it reads); then one INSERT ... SELECT per INTO over the rows its WHEN
    picks (FIRST: the first condition true; ELSE: none true), in chunks of rows passed as
    binds.  The row count is the rows inserted into all tables."""
    picks = " ".join(f"WHEN ({c}) THEN {k}" for k, c in enumerate(stmt.conditions, 1))
    mark = host.statement_savepoint()
    try:
        query = parse(stmt.query)
        assert isinstance(query, Select)
        result = host.query(query, binds)
        names = [c.name.replace('"', '""') for c in result.columns or ()]
        rows = list(result.rows or ())
        count = 0
        for start in range(0, len(rows), _ROWS):
            chunk = rows[start:start + _ROWS]
            values = {f"ORA$MI{r}_{c}": v for r, row in enumerate(chunk) for c, v in enumerate(row)}
            picked = " UNION ALL ".join(
                "SELECT " + ", ".join(f':ORA$MI{r}_{c} AS "{n}"' for c, n in enumerate(names)) + " FROM DUAL"
                for r in range(len(chunk)))
            for into in stmt.intos:
                if into.when is None:
                    where = ""
                elif stmt.first or into.when == 0:
                    where = f" WHERE CASE {picks} ELSE 0 END = {into.when}"
                else:
                    where = f" WHERE ({stmt.conditions[into.when - 1]})"
                listed = ", ".join(into.values) if into.values is not None else "*"
                count += _dml(host, f"INSERT INTO {into.target} {into.columns} SELECT {listed} "
                                    f"FROM ({picked}){where}", {**binds, **values})
    except BaseException:
        host.end_statement(mark, undo=True)
        raise
    host.end_statement(mark, undo=False)
    return Result(row_count=count)
