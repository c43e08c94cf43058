"""CREATE / ALTER / DROP SEQUENCE and the identity clause of a column (parser_ddl.py calls these)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .. import errors
from .lexer import Kind
from .nodes import AlterSequence, CreateSequence, DropSequence, IdentitySpec, SeqOptions
from .parser_base import ParserBase

__all__ = ["create_sequence", "drop_sequence", "alter_sequence", "identity_clause"]

#: Options accepted and ignored (no effect on a single-instance test server).
_IGNORED = frozenset({"KEEP", "NOKEEP", "NOSCALE", "NOEXTEND", "NOSHARD", "GLOBAL", "NOPARTITION"})


def _name(p: ParserBase) -> tuple[str | None, str, int]:
    pos = p.tok.pos
    first = p.ident("sequence name")
    if p.accept_op("."):
        return first, p.ident("sequence name"), pos
    return None, first, pos


def _integer(p: ParserBase) -> int:
    negative = p.accept_op("-")
    if not negative:
        p.accept_op("+")
    t = p.tok
    if t.kind is not Kind.NUMBER or t.suffix:
        raise errors.invalid_sql(f"expected an integer, found {t.describe()}", t.pos)
    p.next()
    try:
        value = Decimal(t.value)
    except InvalidOperation:
        raise errors.invalid_number() from None
    if value != value.to_integral_value() or abs(value) >= Decimal(10) ** 28:
        raise errors.ora(1722, t.pos)
    return -int(value) if negative else int(value)


def _options(p: ParserBase, *, in_parens: bool, alter: bool = False) -> SeqOptions:
    values: dict[str, object] = {}
    while True:
        t = p.tok
        if in_parens and p.accept_op(","):
            continue
        if t.kind is not Kind.IDENT:
            break
        word = t.value
        if word == "START":
            p.next()
            p.expect_kw("WITH")
            if p.accept_kw("LIMIT"):
                p.expect_kw("VALUE")
                continue
            values["start"] = _integer(p)
        elif word == "INCREMENT":
            p.next()
            p.expect_kw("BY")
            values["increment"] = _integer(p)
        elif word in ("MINVALUE", "MAXVALUE", "CACHE"):
            p.next()
            values[word.lower()] = _integer(p)
        elif word in ("NOMINVALUE", "NOMAXVALUE"):
            p.next()
            values[word.lower()] = True
        elif word in ("CYCLE", "NOCYCLE", "ORDER", "NOORDER"):
            p.next()
            values[word.removeprefix("NO").lower()] = not word.startswith("NO")
        elif word == "NOCACHE":
            p.next()
            values["cache"] = 0
        elif word == "RESTART" and alter:
            p.next()
            values["restart"] = True
        elif word in _IGNORED or word in ("SCALE", "EXTEND", "SHARD", "SESSION"):
            p.next()
        else:
            break
    if alter and "start" in values and not values.get("restart"):
        raise errors.ora(2283, p.tok.pos)
    return SeqOptions(**values)  # type: ignore[arg-type]


def create_sequence(p: ParserBase) -> CreateSequence:
    """After ``CREATE SEQUENCE``."""
    if_not_exists = False
    if p.is_kw("IF") and p.peek().kind is Kind.IDENT and p.peek().value == "NOT":
        p.next()
        p.next()
        p.expect_kw("EXISTS")
        if_not_exists = True
    schema, name, pos = _name(p)
    return CreateSequence(schema, name, _options(p, in_parens=False), pos, if_not_exists)


def drop_sequence(p: ParserBase) -> DropSequence:
    """After ``DROP SEQUENCE``."""
    if_exists = False
    if p.is_kw("IF") and p.peek().kind is Kind.IDENT and p.peek().value == "EXISTS":
        p.next()
        p.next()
        if_exists = True
    schema, name, pos = _name(p)
    return DropSequence(schema, name, pos, if_exists)


def alter_sequence(p: ParserBase) -> AlterSequence:
    """After ``ALTER SEQUENCE``."""
    schema, name, pos = _name(p)
    opts = _options(p, in_parens=False, alter=True)
    if opts == SeqOptions():
        raise errors.ora(2286, p.tok.pos)
    return AlterSequence(schema, name, opts, pos)


def identity_clause(p: ParserBase) -> IdentitySpec:
    """``GENERATED [ALWAYS | BY DEFAULT [ON NULL [FOR INSERT ...]]] AS IDENTITY [(options)]``, at GENERATED."""
    p.expect_kw("GENERATED")
    always, on_null = True, False
    if p.accept_kw("BY"):
        p.expect_kw("DEFAULT")
        always = False
        if p.accept_kw("ON"):
            p.expect_kw("NULL")
            on_null = True
            if p.accept_kw("FOR"):
                p.expect_kw("INSERT")
                if not p.accept_kw("ONLY"):
                    p.expect_kw("AND")
                    p.expect_kw("UPDATE")
    else:
        p.accept_kw("ALWAYS")
    p.expect_kw("AS")
    if p.is_op("("):
        raise errors.unsupported("virtual columns (GENERATED ALWAYS AS (expr))", p.tok.pos)
    p.expect_kw("IDENTITY")
    options = SeqOptions()
    if p.accept_op("("):
        options = _options(p, in_parens=True)
        p.expect_op(")")
    return IdentitySpec(always, on_null, options)
