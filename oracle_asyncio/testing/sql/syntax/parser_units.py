"""Stored PL/SQL units as statements: CREATE [OR REPLACE] PROCEDURE / FUNCTION / PACKAGE
[BODY] / TRIGGER, their DROP and ALTER (the catalog side: catalog/units.py; running them:
runtime/units.py, runtime/triggers.py).

A unit's text is kept as submitted.  When its body does not parse, the statement still names the
unit, with the compile errors found (a :class:`UnitProblem` each), so the engine can store it
INVALID as Oracle does; only constructs the embedded server does not implement
(``errors.Unsupported``) refuse the statement.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

from .. import errors
from ..errors import OraError, Unsupported
from ..types.datatypes import NUMBER, number_bytes
from .lexer import Kind, Token
from .nodes import (
    AlterUnit, Bind, Col, Compare, CreateRoutine, CreateUnit, DropUnit, Expr, Lit, PackageBody, PackageSpec,
    TriggerDef, UnitProblem,
)
from .parser_plsql import PlsqlParser

__all__ = ["UnitsParser", "problem_text", "map_cols"]

N = TypeVar("N")
_KINDS = ("PROCEDURE", "FUNCTION", "PACKAGE", "TRIGGER")
#: The trigger predicates, and the bind each becomes (compared with 1).
PREDICATES = ("INSERTING", "UPDATING", "DELETING")


def problem_text(exc: OraError) -> str:
    """What ALL_ERRORS.TEXT shows of a compile error: the PLS line of an ORA-06550, else the
    SQL error inside PL/SQL as ``PL/SQL: ORA-nnnnn: ...``."""
    if exc.code == 6550:
        return exc.message.partition("\n")[2] or exc.message.partition(": ")[2]
    return f"PL/SQL: {exc.message}"


def map_cols(node: N, change: dict[tuple[str | None, str], Expr]) -> N:
    """``node`` with each column reference ``(qualifier, name)`` in ``change`` replaced."""
    if isinstance(node, Col):
        return change.get((node.table, node.name), node)  # type: ignore[return-value]
    if isinstance(node, tuple):
        items = tuple(map_cols(x, change) for x in node)
        return node if all(a is b for a, b in zip(items, node)) else items  # type: ignore[return-value]
    if is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for f in fields(node):
            value = getattr(node, f.name)
            new = map_cols(value, change)
            if new is not value:
                changes[f.name] = new
        return replace(node, **changes) if changes else node
    return node


class _Refused(Exception):
    """An error of a unit's header that refuses the CREATE (nothing is stored), unlike the
    compile errors of its body."""

    def __init__(self, error: OraError) -> None:
        super().__init__(error.message)
        self.error = error


class UnitsParser(PlsqlParser):
    """CREATE / DROP / ALTER of stored units (expressions, blocks and routines: the bases)."""

    def is_unit_kind(self) -> bool:
        """At PROCEDURE, FUNCTION, PACKAGE or TRIGGER (after CREATE [OR REPLACE], DROP, ALTER)."""
        return self.is_kw(*_KINDS)

    def _kind(self) -> str:
        kind = self.next().value
        if kind == "PACKAGE" and self.accept_kw("BODY"):
            return "PACKAGE BODY"
        return kind

    def _unit_name(self) -> tuple[str | None, str]:
        first = self.ident("object name")
        if self.accept_op("."):
            return first, self.ident("object name")
        return None, first

    # ---- CREATE ---------------------------------------------------------------------------------
    def create_unit(self, replace_: bool) -> CreateUnit:
        """After ``CREATE [OR REPLACE]``, at the kind keyword."""
        start = self.tok.pos
        mark = self.i
        kind = self._kind()
        schema, name = self._unit_name()
        self.i = mark
        source = self.sql[start:].rstrip()
        tree: CreateRoutine | PackageSpec | PackageBody | TriggerDef | None = None
        problems: tuple[UnitProblem, ...] = ()
        try:
            if kind in ("PROCEDURE", "FUNCTION"):
                tree = self.create_routine(replace_)
            elif kind == "TRIGGER":
                tree = self.trigger_def()
            else:
                tree = self.package(kind)
        except Unsupported:
            raise
        except _Refused as refused:
            raise refused.error from None
        except OraError as exc:
            problems = (UnitProblem(max(exc.position, start), problem_text(exc)),)
            tree = None
            self.i = len(self.tokens) - 1  # the rest of the text is the unit's too
        return CreateUnit(kind, schema, name, replace_, source, start, tree, problems, start)

    def package(self, kind: str) -> PackageSpec | PackageBody:
        """``PACKAGE [schema.]name [AUTHID ...] {IS|AS} declarations END [name];`` or
        ``PACKAGE BODY [schema.]name {IS|AS} declarations [BEGIN statements] END [name];``."""
        pos = self.tok.pos
        self._kind()
        schema, name = self._unit_name()
        authid = self.pl_authid() if kind == "PACKAGE" else "DEFINER"
        if not (self.accept_kw("IS") or self.accept_kw("AS")):
            raise self.pls_expecting("is as")
        decls = self.pl_declarations()
        if kind == "PACKAGE BODY" and self.is_kw("BEGIN"):
            init = self.pl_body_block(pos)
            self.pl_end(name)
            return PackageBody(schema, name, decls, (init,))
        self.expect_kw("END")
        self.pl_end(name)
        if kind == "PACKAGE BODY":
            return PackageBody(schema, name, decls)
        return PackageSpec(schema, name, decls, authid)

    # ---- triggers -------------------------------------------------------------------------------
    def trigger_def(self) -> TriggerDef:
        """``TRIGGER [schema.]name {BEFORE|AFTER} event [OR event ...] ON table [REFERENCING ...]
        [FOR EACH ROW] [ENABLE|DISABLE] [WHEN (condition)] block``."""
        self.expect_kw("TRIGGER")
        name_pos = self.tok.pos
        self._unit_name()
        if self.is_kw("INSTEAD", "FOR"):
            raise errors.unsupported(f"{self.tok.value} triggers", self.tok.pos)
        if not self.is_kw("BEFORE", "AFTER"):
            raise errors.pls_error(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\" "
                                   "when expecting one of the following: before after instead for")
        timing = self.next().value
        events: list[str] = []
        columns: list[str] = []
        while True:
            if not self.is_kw("INSERT", "UPDATE", "DELETE"):
                raise errors.unsupported(f"triggers on {self.tok.value}", self.tok.pos)
            event = self.next().value
            if event in events:
                raise errors.pls_error(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{event}\"")
            events.append(event)
            if event == "UPDATE" and self.accept_kw("OF"):
                columns.append(self.ident("column name"))
                while self.accept_op(","):
                    columns.append(self.ident("column name"))
            if not self.accept_kw("OR"):
                break
        self.expect_kw("ON")
        table = self.table_ref(alias=False)
        names = {"NEW": "NEW", "OLD": "OLD"}
        referencing: str | None = None
        if self.is_kw("REFERENCING"):
            ref_start = self.next().pos
            while self.is_kw("OLD", "NEW", "PARENT"):
                which = self.next().value
                self.accept_kw("AS")
                names[which] = self.ident("correlation name")
            referencing = self.sql[ref_start:self.tok.pos].strip()
        row = False
        if self.accept_kw("FOR"):
            self.expect_kw("EACH")
            self.expect_kw("ROW")
            row = True
        if self.is_kw("FOLLOWS", "PRECEDES", "COMPOUND"):
            raise errors.unsupported(f"{self.tok.value} in a trigger", self.tok.pos)
        self.accept_kw("ENABLE")
        if self.is_kw("DISABLE"):
            raise errors.unsupported("CREATE TRIGGER ... DISABLE (use ALTER TRIGGER ... DISABLE)", self.tok.pos)
        header_end = self.tok.pos
        when: Expr | None = None
        when_text: str | None = None
        if self.accept_kw("WHEN"):
            if not row:
                raise _Refused(errors.ora(4077, self.tok.pos))
            self.expect_op("(")
            cond = self.condition()
            self.expect_op(")")
            when_text = self.sql[cond.start:cond.end]
            when = map_cols(cond, self._correlations(cond, names))
        body_start = self.tok.pos
        if self.is_kw("CALL"):
            raise errors.unsupported("CALL trigger bodies", self.tok.pos)
        self.tokens[self.i:] = _merge_correlations(self.tokens[self.i:], names if row else {})
        block = self.plsql()
        predicates: dict[tuple[str | None, str], Expr] = {
            (None, p): Compare(0, 0, "=", Bind(0, 0, p), Lit(0, 0, number_bytes(1), NUMBER)) for p in PREDICATES}
        block = map_cols(block, predicates)
        return TriggerDef(timing, tuple(events), tuple(columns), table, row, when, when_text, referencing, block,
                          self.sql[name_pos:header_end].strip() + "\n", self.sql[body_start:].rstrip(), body_start)

    @staticmethod
    def _correlations(cond: Expr, names: dict[str, str]) -> dict[tuple[str | None, str], Expr]:
        """WHEN's ``new.col`` / ``old.col`` (no colon there) as the binds of the body."""
        change: dict[tuple[str | None, str], Expr] = {}
        stack: list[object] = [cond]
        while stack:
            node = stack.pop()
            if isinstance(node, Col):
                for which, alias in names.items():
                    if node.table == alias:
                        change[(alias, node.name)] = Bind(node.start, node.end, f"{which}.{node.name}")
            elif isinstance(node, tuple):
                stack.extend(node)
            elif is_dataclass(node) and not isinstance(node, type):
                stack.extend(getattr(node, f.name) for f in fields(node))
        return change

    # ---- DROP / ALTER ---------------------------------------------------------------------------
    def drop_unit(self) -> DropUnit:
        """After DROP, at the kind keyword."""
        pos = self.tok.pos
        kind = self._kind()
        schema, name = self._unit_name()
        return DropUnit(schema, name, kind, pos)

    def alter_unit(self) -> AlterUnit:
        """After ALTER: ``TRIGGER name ENABLE|DISABLE|COMPILE``, ``PROCEDURE|FUNCTION|PACKAGE name
        COMPILE [BODY|SPECIFICATION|PACKAGE] [DEBUG] [REUSE SETTINGS]``."""
        pos = self.tok.pos
        kind = self.next().value
        schema, name = self._unit_name()
        if kind == "TRIGGER" and self.is_kw("ENABLE", "DISABLE"):
            return AlterUnit(schema, name, kind, self.next().value, pos)
        if self.is_kw("RENAME", "EDITIONABLE", "NONEDITIONABLE"):
            raise errors.unsupported(f"ALTER {kind} ... {self.tok.value}", self.tok.pos)
        self.expect_kw("COMPILE")
        if kind == "PACKAGE" and self.accept_kw("BODY"):
            kind = "PACKAGE BODY"
        else:
            self.accept_kw("SPECIFICATION") or self.accept_kw("PACKAGE")
        self.accept_kw("DEBUG")
        if self.accept_kw("REUSE"):
            self.expect_kw("SETTINGS")
        return AlterUnit(schema, name, kind, "COMPILE", pos)


def _merge_correlations(tokens: list[Token], names: dict[str, str]) -> list[Token]:
    """``:new.col`` (three tokens; ``new`` as REFERENCING renamed it) as one bind ``NEW.COL``."""
    by_alias = {alias.upper(): which for which, alias in names.items()}
    out: list[Token] = []
    k = 0
    while k < len(tokens):
        t = tokens[k]
        if (t.kind is Kind.BIND and t.value.upper() in by_alias and k + 2 < len(tokens)
                and tokens[k + 1].kind is Kind.OP and tokens[k + 1].value == "."
                and tokens[k + 2].kind in (Kind.IDENT, Kind.QIDENT)):
            col = tokens[k + 2]
            out.append(Token(Kind.BIND, f"{by_alias[t.value.upper()]}.{col.value}", t.pos, col.end))
            k += 3
            continue
        out.append(t)
        k += 1
    return out
