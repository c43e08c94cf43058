"""Oracle's old outer-join operator: ``WHERE a.x = b.x(+)`` -> ``a LEFT JOIN b ON a.x = b.x``.

A WHERE conjunct that marks columns of one FROM source B with ``(+)`` becomes
part of B's ON condition and B is LEFT JOINed after the sources the conjunct
also references (FROM order kept otherwise).  Oracle's errors apply: (+) with
ANSI joins (ORA-25156), in an OR (ORA-01719), on two tables in one predicate
(ORA-01468), two tables outer-joined to each other (ORA-01416).
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

from .. import errors
from ..catalog.tables import Catalog
from ..catalog.schema import Principal
from ..syntax.nodes import Col, Expr, Logic, Select, TableRef
from ..syntax.nodes import FromSource, Join, OuterMark

__all__ = ["and_all", "conjuncts", "has_outer_marks", "rewrite_outer_marks"]

N = TypeVar("N")


def _walk(node: object, found: list[Expr], *, marks: bool) -> None:
    """Collect OuterMark nodes (``marks``) or plain Col nodes of this query level."""
    if isinstance(node, Select):
        return
    if isinstance(node, OuterMark):
        if marks:
            found.append(node)
        return
    if isinstance(node, Col):
        if not marks:
            found.append(node)
        return
    if isinstance(node, tuple):
        for item in node:
            _walk(item, found, marks=marks)
        return
    if isinstance(node, Expr) and is_dataclass(node):
        for f in fields(node):
            _walk(getattr(node, f.name), found, marks=marks)


def _strip(node: N) -> N:
    """``node`` with every ``col(+)`` replaced by ``col``."""
    if isinstance(node, OuterMark):
        return node.col  # type: ignore[return-value]
    if isinstance(node, Select):
        return node
    if isinstance(node, tuple):
        return tuple(_strip(x) for x in node)  # type: ignore[return-value]
    if isinstance(node, Expr) and is_dataclass(node):
        changes = {f.name: _strip(getattr(node, f.name)) for f in fields(node)}
        return replace(node, **changes)
    return node


def has_outer_marks(s: Select) -> bool:
    found: list[Expr] = []
    _walk(s.where, found, marks=True)
    return bool(found)


def conjuncts(e: Expr) -> list[Expr]:
    """The AND terms of ``e`` (nested ANDs, from parentheses, flattened; a loop, not recursion)."""
    out: list[Expr] = []
    todo = [e]
    while todo:
        item = todo.pop()
        if isinstance(item, Logic) and item.op == "AND":
            todo.extend(reversed(item.terms))
        else:
            out.append(item)
    return out


def and_all(items: list[Expr]) -> Expr | None:
    if not items:
        return None
    return items[0] if len(items) == 1 else Logic(items[0].start, items[-1].end, "AND", tuple(items))


def _has_or_with_mark(e: Expr) -> bool:
    if isinstance(e, Logic) and e.op == "OR":
        found: list[Expr] = []
        _walk(e, found, marks=True)
        return bool(found)
    if isinstance(e, Logic):
        return any(_has_or_with_mark(t) for t in e.terms)
    return False


def rewrite_outer_marks(catalog: Catalog, who: Principal, s: Select) -> Select:
    """``s`` with its (+) conditions turned into LEFT JOINs (only called when it has some)."""
    assert s.where is not None
    if any(j.kind != "COMMA" for j in s.joins):
        raise errors.ora(25156,
                              s.joins[0].pos)
    sources: list[FromSource] = [s.table] + [j.source for j in s.joins]
    names: list[str | None] = []
    columns: list[set[str]] = []
    for src in sources:
        if isinstance(src, TableRef):
            names.append(src.alias or src.name)
            try:
                table = catalog.table(src.schema, src.name, who, src.pos)
                columns.append({c.name for c in table.columns})
            except errors.OraError:
                columns.append(set())
        else:
            names.append(src.alias)
            columns.append({it.name for it in src.query.items if it.expr is not None})

    def owner(col: Col) -> int | None:
        hits = [i for i in range(len(sources)) if (names[i] == col.table if col.table is not None
                                                   else col.name in columns[i])]
        return hits[0] if len(hits) == 1 else None

    kept: list[Expr] = []
    on: dict[int, list[Expr]] = {}
    deps: dict[int, set[int]] = {i: set() for i in range(len(sources))}
    for conj in conjuncts(s.where):
        marks: list[Expr] = []
        _walk(conj, marks, marks=True)
        if not marks:
            kept.append(conj)
            continue
        if _has_or_with_mark(conj):
            raise errors.ora(1719,
                                  conj.start)
        owners = set()
        for m in marks:
            assert isinstance(m, OuterMark)
            o = owner(m.col)
            if o is None:
                raise errors.invalid_identifier(m.col.name, m.start)
            owners.add(o)
        if len(owners) > 1:
            raise errors.ora(1468,
                                  conj.start)
        optional = owners.pop()
        plain: list[Expr] = []
        _walk(conj, plain, marks=False)
        for c in plain:
            assert isinstance(c, Col)
            o = owner(c)
            if o is not None and o != optional:
                deps[optional].add(o)
        on.setdefault(optional, []).append(_strip(conj))
    order: list[int] = []
    while len(order) < len(sources):
        ready = [i for i in range(len(sources)) if i not in order and deps[i] <= set(order)]
        if not ready:
            raise errors.ora(1416, s.where.start)
        order.append(ready[0])
    first = order[0]
    kept.extend(on.pop(first, []))
    joins: list[Join] = []
    for i in order[1:]:
        pos = s.joins[i - 1].pos if i else 0
        if i in on:
            joins.append(Join("LEFT", sources[i], and_all(on[i]), None, pos))
        else:
            joins.append(Join("COMMA", sources[i], None, None, pos))
    return replace(s, table=sources[first], joins=tuple(joins), where=and_all(kept))
