"""FROM lists with joins and inline views -> sqlite, and column resolution over them.

A :class:`QueryScope` lists the sources of one query level (tables and inline
views, in FROM order) and links to the enclosing query's scope, so correlated
subqueries resolve outer columns.  Oracle's rules: an unqualified column found
in two sources is ORA-00918; a table with an alias is known only by its alias;
an unknown column or qualifier is ORA-00904; a column of a source on the
optional side of an outer join is described as nullable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import errors
from ..catalog.schema import Table
from ..types.datatypes import NUMBER, ROWID, SqlType
from ..syntax.nodes import Col, Expr, Select, SelectItem
from ..syntax.nodes import DerivedTable, FromSource, Join

if TYPE_CHECKING:
    from .translator import TE, QueryPlan, Translator, _Scope

#: Rewrites a subquery's select list (translated) into the SQL it selects.
Shape = Callable[[list["TE"]], list[str]]

__all__ = ["QueryScope", "Source", "SourceColumn", "plan_select", "resolve_column", "expand_star",
           "item_nullable", "ambiguous", "subquery_plan"]


@dataclass(slots=True)
class SourceColumn:
    name: str
    type: SqlType
    nullable: bool
    sql: str  # e.g. ``j1.c0``
    intstore: bool = False


@dataclass(slots=True)
class Source:
    qualifier: str | None  # the alias, else the table name (None: an inline view without alias)
    table: Table | None  # None for an inline view
    alias: str  # sqlite alias
    columns: list[SourceColumn]
    outer: bool = False  # on the optional side of an outer join

    def column(self, name: str) -> SourceColumn | None:
        found = [c for c in self.columns if c.name == name]
        if len(found) > 1:
            raise ambiguous()
        return found[0] if found else None


@dataclass(slots=True)
class QueryScope:
    sources: list[Source]
    parent: _Scope | QueryScope | None
    counter: list[int]
    level: bool = False
    prefix: str = "t"
    #: USING / NATURAL join columns: unqualified references see one merged column.
    merged: dict[str, SourceColumn] = field(default_factory=dict)

    def new_alias(self) -> str:
        self.counter[0] += 1
        return f"j{self.counter[0]}"


def ambiguous(position: int = 0) -> errors.OraError:
    return errors.OraError(918, "ORA-00918: column ambiguously defined", position)


def _qualified_missing(e: Col) -> errors.OraError:
    return errors.OraError(904, f'ORA-00904: "{e.table}"."{e.name}": invalid identifier', e.start)


# ---- column resolution ------------------------------------------------------------------------
def _find(scope: QueryScope, e: Col) -> tuple[SourceColumn, Source | None] | None:
    """The column ``e`` names in this query level, or None."""
    if e.table is None:
        if e.name in scope.merged:
            return scope.merged[e.name], None
        hits: list[tuple[SourceColumn, Source]] = []
        for src in scope.sources:
            try:
                col = src.column(e.name)
            except errors.OraError as exc:
                raise ambiguous(e.start) from exc
            if col is not None:
                hits.append((col, src))
        if len(hits) > 1:
            raise ambiguous(e.start)
        return hits[0] if hits else None
    sources = [s for s in scope.sources if s.qualifier == e.table]
    hits = []
    for src in sources:
        col = src.column(e.name)
        if col is not None:
            if e.name in scope.merged:
                raise errors.OraError(25154, "ORA-25154: column part of USING clause cannot have qualifier",
                                      e.start)
            hits.append((col, src))
    if len(hits) > 1:
        raise ambiguous(e.start)
    return hits[0] if hits else None


def _rowid(scope: QueryScope, e: Col) -> TE | None:
    from ..types.rowids import object_id
    from .translator import TE

    if e.name != "ROWID":
        return None
    tables = [s for s in scope.sources if s.table is not None and (e.table is None or s.qualifier == e.table)]
    if scope.level:
        return None
    if not tables:
        return None
    if len(tables) > 1:
        raise ambiguous(e.start)
    src = tables[0]
    assert src.table is not None
    oid = object_id(src.table)
    single = len(scope.sources) == 1
    return TE(f"ora_rowid({oid}, {src.alias}.rowid)", ROWID, rowid_of=oid if single else 0)


def resolve_column(tr: Translator, scope: QueryScope, e: Col) -> TE:
    """``e`` in ``scope`` (then in the enclosing queries', for correlated subqueries)."""
    from .translator import TE

    found = _find(scope, e)
    if found is not None:
        col = found[0]
        return TE(col.sql, col.type, intstore=col.intstore)
    if e.table is None and e.name == "LEVEL" and scope.level:
        return TE("_lvl.lvl", NUMBER, intstore=True)
    rowid = _rowid(scope, e)
    if rowid is not None:
        return rowid
    if scope.parent is not None:
        saved = tr.scope
        tr.scope = scope.parent
        try:
            return tr.expr(e)
        except errors.OraError as exc:
            if exc.code != 904:
                raise
        finally:
            tr.scope = saved
    if e.table is not None:
        raise _qualified_missing(e)
    raise errors.invalid_identifier(e.name, e.start)


def item_nullable(tr: Translator, e: Expr) -> bool:
    """Whether a select-list expression is described as nullable."""
    scope = tr.scope
    if not isinstance(e, Col) or not isinstance(scope, QueryScope):
        return True
    found = _find(scope, e)
    if found is None:
        return True
    col, src = found
    return col.nullable or (src is not None and src.outer)


def expand_star(tr: Translator, item: SelectItem) -> list[tuple[str, SqlType, bool, str]]:
    """``*`` or ``q.*``: (name, type, nullable, sql) of each column, in FROM order
    (USING / NATURAL join columns once, first)."""
    scope = tr.scope
    assert isinstance(scope, QueryScope)
    out: list[tuple[str, SqlType, bool, str]] = []
    if item.star_table is None:
        for name, col in scope.merged.items():
            out.append((name, col.type, col.nullable, col.sql))
        for src in scope.sources:
            for c in src.columns:
                if c.name not in scope.merged:
                    out.append((c.name, c.type, c.nullable or src.outer, _stored(tr, c)))
        return out
    sources = [s for s in scope.sources if s.qualifier == item.star_table]
    if not sources:
        raise errors.invalid_identifier(item.star_table)
    for src in sources:
        for c in src.columns:
            out.append((c.name, c.type, c.nullable or src.outer, _stored(tr, c)))
    return out


def _stored(tr: Translator, c: SourceColumn) -> str:
    from .translator import TE

    return tr.as_blob_number(TE(c.sql, c.type, intstore=True)).sql if c.intstore else c.sql


# ---- FROM -------------------------------------------------------------------------------------
def _add_source(tr: Translator, scope: QueryScope, ref: FromSource, alias: str) -> tuple[Source, str]:
    if isinstance(ref, DerivedTable):
        plan = subquery_plan(tr, ref.query, None, normalize=True)
        cols = [SourceColumn(c.name, c.type, c.nullable, f"{alias}.c_{i + 1}") for i, c in enumerate(plan.columns)]
        src = Source(ref.alias, None, alias, cols)
        scope.sources.append(src)
        return src, f"({plan.sql}) AS {alias}"
    table = tr.catalog.table(ref.schema, ref.name, tr.ctx.principal, ref.pos)
    cols = [SourceColumn(c.name, c.type, c.nullable, f"{alias}.{c.sql}") for c in table.columns]
    src = Source(ref.alias or ref.name, table, alias, cols)
    scope.sources.append(src)
    return src, tr.from_clause(table, alias)


def _using(tr: Translator, scope: QueryScope, join: Join, right: Source) -> str:
    """USING (cols) / NATURAL: the join condition; the merged columns go to ``scope.merged``."""
    left_sources = scope.sources[:-1]
    names: list[tuple[str, int]]
    if join.using is not None:
        names = list(join.using)
    else:
        visible = list(scope.merged) + [c.name for s in left_sources for c in s.columns]
        names = [(c.name, join.pos) for c in right.columns if c.name in visible]
        names = list(dict.fromkeys(names))
    conds: list[str] = []
    for name, pos in names:
        rcol = right.column(name)
        if rcol is None:
            raise errors.invalid_identifier(name, pos)
        lhit = scope.merged.get(name)
        louter = False
        if lhit is None:
            hits = [(c, s) for s in left_sources for c in s.columns if c.name == name]
            if not hits:
                raise errors.invalid_identifier(name, pos)
            if len(hits) > 1:
                raise ambiguous(pos)
            lhit, louter = hits[0][0], hits[0][1].outer
        from .translator import TE

        a, b = tr.comparable(TE(lhit.sql, lhit.type, intstore=lhit.intstore),
                             TE(rcol.sql, rcol.type, intstore=rcol.intstore))
        conds.append(f"{a} = {b}")
        lnull = lhit.nullable or louter or join.kind in ("RIGHT", "FULL")
        rnull = rcol.nullable or join.kind in ("LEFT", "FULL")
        if join.kind == "RIGHT":
            merged = SourceColumn(name, rcol.type, rnull, _stored(tr, rcol))
        elif join.kind == "FULL":
            x, y = tr.unify([TE(lhit.sql, lhit.type, intstore=lhit.intstore),
                             TE(rcol.sql, rcol.type, intstore=rcol.intstore)])[0]
            merged = SourceColumn(name, lhit.type, lnull and rnull, f"coalesce({x}, {y})")
        else:
            merged = SourceColumn(name, lhit.type, lnull, _stored(tr, lhit))
        scope.merged.pop(name, None)
        scope.merged[name] = merged
    return " AND ".join(conds) if conds else "1"


def from_sql(tr: Translator, s: Select, scope: QueryScope, first_alias: str) -> str:
    """Translate the FROM list of ``s`` into ``scope`` (tr.scope must be ``scope``)."""
    _, sql = _add_source(tr, scope, s.table, first_alias)
    parts = [sql]
    for join in s.joins:
        src, sql = _add_source(tr, scope, join.source, scope.new_alias())
        if join.kind == "COMMA":
            parts.append(f", {sql}")
            continue
        if join.kind == "CROSS":
            parts.append(f" JOIN {sql}")
            continue
        if join.kind in ("LEFT", "FULL"):
            src.outer = True
        if join.kind in ("RIGHT", "FULL"):
            for other in scope.sources[:-1]:
                other.outer = True
            for name, col in scope.merged.items():
                col.nullable = True
        if join.on is not None:
            cond = tr.cond(join.on)
        else:
            cond = _using(tr, scope, join, src)
        word = {"INNER": "JOIN", "LEFT": "LEFT JOIN", "RIGHT": "RIGHT JOIN", "FULL": "FULL JOIN"}[join.kind]
        parts.append(f" {word} {sql} ON {cond}")
    return "".join(parts)


def plan_select(tr: Translator, s: Select) -> QueryPlan:
    """The top-level query (or INSERT ... SELECT's): first source aliased ``t``."""
    return subquery_plan(tr, s, tr.scope, normalize=False, top=True)


def subquery_plan(tr: Translator, s: Select, parent: _Scope | QueryScope | None, *, normalize: bool,
                  top: bool = False, shape: Shape | None = None) -> QueryPlan:
    """Plan ``s`` as a query level of its own (its scope's parent: ``parent``).

    ``normalize``: name the select-list columns ``c_1, ...`` and store NUMBERs as
    NUMBER bytes, as an inline view or a subquery needs them."""
    from .outer_plus import has_outer_marks, rewrite_outer_marks
    from .query import build_select
    from .rownum import apply_rownum_limit

    if s.setops:
        from .setops import plan_compound
        return plan_compound(tr, s, parent)
    if s.where is not None and has_outer_marks(s):
        s = rewrite_outer_marks(tr.catalog, tr.ctx.principal, s)
    s = apply_rownum_limit(s)
    saved = tr.scope
    counter = saved.counter if isinstance(saved, QueryScope) else [0]
    scope = QueryScope([], parent, counter, level=s.connect_limit is not None)
    tr.scope = scope
    try:
        first_alias = "t" if top and parent is None else scope.new_alias()
        scope.prefix = first_alias
        sql = from_sql(tr, s, scope, first_alias)
        return build_select(tr, s, sql, normalize=normalize, shape=shape)
    finally:
        tr.scope = saved

