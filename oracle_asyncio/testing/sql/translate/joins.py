"""FROM lists with joins and inline views -> sqlite, and column resolution over them.

A :class:`QueryScope` lists the sources of one query level (tables and inline
views, in FROM order) and links to the enclosing query's scope, so correlated
subqueries resolve outer columns.  Oracle's rules: an unqualified column found
in two sources is ORA-00918; a table with an alias is known only by its alias;
an unknown column or qualifier is ORA-00904; a column of a source on the
optional side of an outer join is described as nullable.
"""

from __future__ import annotations


from .. import errors
from ..types.datatypes import NUMBER, ROWID, SqlType
from ..syntax.nodes import Col, Expr, Select, SelectItem
from ..syntax.nodes import DerivedTable, FromSource, Join
from ..types.rowids import object_id
from .base import QueryScope, Source, SourceColumn, TE, TranslatorBase, ambiguous


def _qualified_missing(e: Col) -> errors.OraError:
    return errors.ora(904, e.start, name=f'"{e.table}"."{e.name}"')


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
                raise errors.ora(25154,
                                      e.start)
            hits.append((col, src))
    if len(hits) > 1:
        raise ambiguous(e.start)
    return hits[0] if hits else None


def _rowid(scope: QueryScope, e: Col) -> TE | None:
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


def resolve_column(tr: TranslatorBase, scope: QueryScope, e: Col) -> TE:
    """``e`` in ``scope`` (then in the enclosing queries', for correlated subqueries)."""
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


def item_nullable(tr: TranslatorBase, e: Expr) -> bool:
    """Whether a select-list expression is described as nullable."""
    scope = tr.scope
    if not isinstance(e, Col) or not isinstance(scope, QueryScope):
        return True
    found = _find(scope, e)
    if found is None:
        return True
    col, src = found
    return col.nullable or (src is not None and src.outer)


def expand_star(tr: TranslatorBase, item: SelectItem) -> list[tuple[str, SqlType, bool, str]]:
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


def _stored(tr: TranslatorBase, c: SourceColumn) -> str:
    return tr.as_blob_number(TE(c.sql, c.type, intstore=True)).sql if c.intstore else c.sql


# ---- FROM -------------------------------------------------------------------------------------
def _add_source(tr: TranslatorBase, scope: QueryScope, ref: FromSource, alias: str) -> tuple[Source, str]:
    if isinstance(ref, DerivedTable):
        plan = tr.subquery_plan(ref.query, None, normalize=True)
        cols = [SourceColumn(c.name, c.type, c.nullable, f"{alias}.c_{i + 1}") for i, c in enumerate(plan.columns)]
        src = Source(ref.alias, None, alias, cols)
        scope.sources.append(src)
        return src, f"({plan.sql}) AS {alias}"
    table = tr.catalog.table(ref.schema, ref.name, tr.ctx.principal, ref.pos)
    cols = [SourceColumn(c.name, c.type, c.nullable, f"{alias}.{c.sql}") for c in table.columns]
    src = Source(ref.alias or ref.name, table, alias, cols)
    scope.sources.append(src)
    return src, tr.from_clause(table, alias)


def _using(tr: TranslatorBase, scope: QueryScope, join: Join, right: Source) -> str:
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


def from_sql(tr: TranslatorBase, s: Select, scope: QueryScope, first_alias: str) -> str:
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
