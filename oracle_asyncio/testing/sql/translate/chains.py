"""Flat chains (``a AND b AND ...``, ``a || b || ...``, ``a + b - c ...``) as flat sqlite SQL.

The parser reads a chain of one precedence level into one n-ary node (nodes.Logic,
nodes.Chain), so nothing walks it recursively.  Its SQL must stay shallow too:
sqlite rejects an expression tree deeper than 1,000 nodes, and its parser stack
holds only about 30 nested function calls.  So:

* AND / OR terms are joined flat, in parenthesised groups of :data:`GROUP`
  (groups of groups for longer chains): depth grows with log(n);
* a run of ``||`` becomes ``ora_concat_n(...)`` over groups (concatenation that
  skips NULLs is associative, so grouping changes nothing);
* a long run of NUMBER ``+ - * /`` keeps Oracle's left-to-right evaluation, each
  step rounded as one operator is: the operands are packed (``ora_pack``, groups
  of groups with ``ora_packcat``) and ``ora_arith`` folds them in order with the
  very functions a single operator uses.
Shorter runs, and chains over dates, intervals or binary floats, translate one
operator at a time (translate.TranslatorBase.combine), as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ..types.datatypes import NUMBER, SqlType, T
from ..syntax.nodes import Chain, Col, Compare, Expr, InList, Lit
from .base import TE, TranslatorBase


__all__ = ["GROUP", "chain", "flat_join", "merge_equalities"]

#: Operands per SQL group or call (sqlite allows 127 function arguments).
GROUP: Final = 64
#: Arithmetic runs at least this long are folded by ``ora_arith``; shorter ones nest calls.
FOLD_FROM: Final = 16

_CHARS = (T.VARCHAR, T.NVARCHAR, T.CHAR, T.NCHAR, T.CLOB, T.NCLOB)


def flat_join(parts: list[str], op: str) -> str:
    """``(p1 op p2 op ...)``, in parenthesised groups of at most GROUP terms.  A group of a
    longer chain is ``+(...)``: the same value, but sqlite's planner takes it as one term
    (25,000 WHERE terms leave it with "no query solution")."""
    sep = f" {op} "
    while len(parts) > GROUP:
        parts = ["+(" + sep.join(parts[i:i + GROUP]) + ")" for i in range(0, len(parts), GROUP)]
    return "(" + sep.join(parts) + ")"


def merge_equalities(terms: Sequence[Expr]) -> list[Expr]:
    """The terms of a long OR chain with ``col = literal`` terms of one column (and one
    literal type) merged into ``col IN (literal, ...)``: the same three-valued result,
    but sqlite reads an IN list in linear time, while it hoists each distinct constant
    of an expression with a linear search (25,000 ``id = n`` terms took it seconds)."""
    groups: dict[tuple[str | None, str, T], list[Compare]] = {}
    order: list[Expr | tuple[str | None, str, T]] = []
    for term in terms:
        if isinstance(term, Compare) and term.op == "=" and isinstance(term.left, Col) and \
                isinstance(term.right, Lit):
            key = (term.left.table, term.left.name, term.right.type.t)
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(term)
        else:
            order.append(term)
    out: list[Expr] = []
    for item in order:
        if not isinstance(item, tuple):
            out.append(item)
            continue
        group = groups[item]
        if len(group) == 1:
            out.append(group[0])
        else:
            first = group[0]
            out.append(InList(first.start, group[-1].end, first.left, tuple(c.right for c in group), False))
    return out


def _grouped_call(fn: str, args: list[str]) -> str:
    """``fn(args...)`` for an associative ``fn``: at most GROUP arguments per call."""
    while len(args) > GROUP:
        args = [f"{fn}({', '.join(args[i:i + GROUP])})" for i in range(0, len(args), GROUP)]
    return f"{fn}({', '.join(args)})"


def chain(tr: TranslatorBase, e: Chain) -> TE:
    """Translate ``e`` left to right; loops over the steps, recursion only into operands."""
    acc = tr.expr(e.first)
    steps = e.steps
    i, n = 0, len(steps)
    while i < n:
        j = i
        if steps[i][0] == "||":
            while j < n and steps[j][0] == "||":
                j += 1
            acc = _concat(tr, [acc, *(tr.expr(x) for _, x in steps[i:j])])
        else:
            while j < n and steps[j][0] != "||":
                j += 1
            ops = [op for op, _ in steps[i:j]]
            operands = [tr.expr(x) for _, x in steps[i:j]]
            if len(ops) >= FOLD_FROM and all(_numeric(t) for t in (acc, *operands)):
                acc = _fold(tr, acc, ops, operands)
            else:
                for op, te in zip(ops, operands):
                    acc = tr.combine(op, acc, te)
        i = j
    return acc


def _concat(tr: TranslatorBase, parts: Sequence[TE]) -> TE:
    texts = [tr.as_text(p) for p in parts]
    both_char = all(t.type.t in (T.CHAR, T.NCHAR) for t in texts)
    size = min(sum(t.type.size for t in texts), 32767)
    typ = SqlType(T.CHAR if both_char else T.VARCHAR, size=size)
    if len(texts) == 2:
        return TE(f"ora_concat({texts[0].sql}, {texts[1].sql})", typ)
    return TE(_grouped_call("ora_concat_n", [t.sql for t in texts]), typ)


def _numeric(te: TE) -> bool:
    """Whether ``+ - * /`` on ``te`` is plain NUMBER arithmetic (no date, interval or float rule)."""
    k = te.type.t
    return k in (T.NUMBER, T.NULL, T.BOOLEAN) or k in _CHARS


def _fold(tr: TranslatorBase, first: TE, ops: list[str], operands: list[TE]) -> TE:
    values = [tr.as_number(t).sql for t in (first, *operands)]
    packs = [f"ora_pack({', '.join(values[i:i + GROUP])})" for i in range(0, len(values), GROUP)]
    while len(packs) > GROUP - 1:
        packs = [f"ora_packcat({', '.join(packs[i:i + GROUP])})" for i in range(0, len(packs), GROUP)]
    return TE(f"ora_arith('{''.join(ops)}', {', '.join(packs)})", NUMBER)
