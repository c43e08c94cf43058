"""Compound queries parsed: UNION [ALL], INTERSECT, MINUS (translate/setops.py plans them)."""

from __future__ import annotations

from dataclasses import replace

from .. import errors
from .lexer import Kind
from .nodes import DerivedTable, Select, SelectItem
from .parser_base import ParserBase

__all__ = ["compound"]


def compound(p: ParserBase, first: Select) -> Select:
    """At a set operator after ``first`` (a SELECT without ORDER BY): the rest of the compound
    and its ORDER BY / OFFSET / FETCH, as ``SELECT * FROM (compound)``."""
    branches: list[tuple[str, Select]] = []
    while p.is_kw("UNION", "INTERSECT", "MINUS", "EXCEPT"):
        word = str(p.next().value)
        word = "MINUS" if word == "EXCEPT" else word
        op = f"{word} ALL" if p.accept_kw("ALL") else word
        if p.is_op("(") and p.peek().kind is Kind.IDENT and p.peek().value == "SELECT":
            p.next()
            branch = p.select()
            p.expect_op(")")
        elif p.is_kw("SELECT"):
            branch = p.select(branch=True)
        else:
            raise errors.ora(928, p.tok.pos)
        branches.append((op, branch))
    order, offset, fetch, for_update = p.select_tail()
    if for_update:
        raise errors.ora(1786)
    inner = replace(first, setops=tuple(branches))
    return Select((SelectItem(None, None, "*"),), DerivedTable(inner, None, 0), order_by=tuple(order),
                  offset=offset, fetch=fetch, for_update=for_update)
