"""CREATE VIEW and DROP VIEW parsed (catalog/userviews.py runs them)."""

from __future__ import annotations

from .. import errors
from .nodes import CreateView, DropView
from .parser_base import MAX_LIST, ParserBase

__all__ = ["create_view", "drop_view"]


def create_view(p: ParserBase, or_replace: bool) -> CreateView:
    """At ``[NO]FORCE VIEW`` / ``VIEW`` after CREATE [OR REPLACE].  FORCE (create a view over
    missing tables) is accepted but the query must still resolve: the server has no INVALID views."""
    p.accept_kw("FORCE", "NOFORCE")
    p.expect_kw("VIEW")
    view = p.table_ref(alias=False)
    columns: list[str] = []
    if p.accept_op("("):
        while True:
            columns.append(p.ident("column name"))
            if len(columns) > MAX_LIST:
                raise errors.ora(1792, maximum=MAX_LIST)
            if not p.accept_op(","):
                break
        p.expect_op(")")
    p.expect_kw("AS")
    start = p.tok.pos
    query = p.select()
    text = p.sql[start:p.tok.pos].strip()
    check_option = read_only = False
    while p.accept_kw("WITH"):
        if p.accept_kw("READ"):
            p.expect_kw("ONLY")
            read_only = True
        else:
            p.expect_kw("CHECK")
            p.expect_kw("OPTION")
            check_option = True
        if p.accept_kw("CONSTRAINT"):
            p.ident("constraint name")
    return CreateView(view, tuple(columns), query, text, or_replace, check_option, read_only)


def drop_view(p: ParserBase) -> DropView:
    """At ``VIEW`` after DROP."""
    p.expect_kw("VIEW")
    view = p.table_ref(alias=False)
    if p.accept_kw("CASCADE"):
        p.expect_kw("CONSTRAINTS")
    return DropView(view)
