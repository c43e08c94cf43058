"""Stored PL/SQL units as statements: CREATE [OR REPLACE] PROCEDURE / FUNCTION / PACKAGE
[BODY] / TRIGGER, their DROP and ALTER (the catalog side: catalog/units.py; running them:
runtime/units.py, runtime/triggers.py; CREATE TRIGGER's own text: parser_trigger.py).

A unit's text is kept as submitted.  When its body does not parse, the statement still names the
unit, with the compile errors found (a :class:`UnitProblem` each), so the engine can store it
INVALID as Oracle does; only constructs the embedded server does not implement
(``errors.Unsupported``) refuse the statement.
"""

from __future__ import annotations

from .. import errors
from ..errors import OraError, Unsupported
from .nodes import (
    AlterUnit, CreateRoutine, CreateUnit, DropUnit, PackageBody, PackageSpec, TriggerDef, UnitProblem,
)
from .parser_trigger import Refused, TriggerParser

__all__ = ["UnitsParser", "problem_text"]

_KINDS = ("PROCEDURE", "FUNCTION", "PACKAGE", "TRIGGER")


def problem_text(exc: OraError) -> str:
    """What ALL_ERRORS.TEXT shows of a compile error: the PLS line of an ORA-06550, else the
    SQL error inside PL/SQL as ``PL/SQL: ORA-nnnnn: ...``."""
    if exc.code == 6550:
        return exc.message.partition("\n")[2] or exc.message.partition(": ")[2]
    return f"PL/SQL: {exc.message}"


class UnitsParser(TriggerParser):
    """CREATE / DROP / ALTER of stored units (expressions, blocks and routines: the bases)."""

    def is_unit_kind(self) -> bool:
        """At PROCEDURE, FUNCTION, PACKAGE or TRIGGER (after CREATE [OR REPLACE], DROP, ALTER)."""
        return self.is_kw(*_KINDS)

    def _kind(self) -> str:
        kind = self.next().value
        if kind == "PACKAGE" and self.accept_kw("BODY"):
            return "PACKAGE BODY"
        return kind

    # ---- CREATE ---------------------------------------------------------------------------------
    def create_unit(self, replace_: bool) -> CreateUnit:
        """After ``CREATE [OR REPLACE]``, at the kind keyword."""
        start = self.tok.pos
        mark = self.i
        kind = self._kind()
        schema, name = self.unit_name()
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
        except Refused as refused:
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
        schema, name = self.unit_name()
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

    # ---- DROP / ALTER ---------------------------------------------------------------------------
    def drop_unit(self) -> DropUnit:
        """After DROP, at the kind keyword."""
        pos = self.tok.pos
        kind = self._kind()
        schema, name = self.unit_name()
        return DropUnit(schema, name, kind, pos)

    def alter_unit(self) -> AlterUnit:
        """After ALTER: ``TRIGGER name ENABLE|DISABLE|COMPILE``, ``PROCEDURE|FUNCTION|PACKAGE name
        COMPILE [BODY|SPECIFICATION|PACKAGE] [DEBUG] [REUSE SETTINGS]``."""
        pos = self.tok.pos
        kind = self.next().value
        schema, name = self.unit_name()
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
