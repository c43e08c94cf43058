"""CREATE TRIGGER's text (the rest of the unit statements: parser_units.py; running triggers:
runtime/triggers.py): BEFORE / AFTER / INSTEAD OF triggers, COMPOUND triggers with their
timing-point sections, FOLLOWS, CALL bodies, and the body's ``:NEW`` / ``:OLD`` references and
INSERTING / UPDATING[('col')] / DELETING predicates, made binds the runtime fills in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

from .. import errors
from ..errors import OraError
from ..types.datatypes import NUMBER, number_bytes
from .lexer import Kind, Token
from .nodes import Bind, Col, Compare, Expr, Func, Lit, PlBlock, TriggerDef
from .parser_plsql import PlsqlParser
from .plnodes import PlBlockStmt

__all__ = ["PREDICATES", "Refused", "TIMING_POINTS", "TriggerParser", "map_cols", "map_nodes"]

N = TypeVar("N")
#: The trigger predicates, and the bind each becomes (compared with 1); ``UPDATING('col')`` is
#: the bind ``UPDATING:COL``.
PREDICATES = ("INSERTING", "UPDATING", "DELETING")
#: A compound trigger's sections, in the order they run.
TIMING_POINTS = ("BEFORE STATEMENT", "BEFORE EACH ROW", "INSTEAD OF EACH ROW", "AFTER EACH ROW",
                 "AFTER STATEMENT")
_ONE = Lit(0, 0, number_bytes(1), NUMBER)


def map_nodes(node: N, change: Callable[[object], object | None]) -> N:
    """``node`` with every sub-node for which ``change`` gives a replacement replaced (its own
    sub-nodes are not visited then)."""
    new = change(node)
    if new is not None:
        return new  # type: ignore[return-value]
    if isinstance(node, tuple):
        items = tuple(map_nodes(x, change) for x in node)
        return node if all(a is b for a, b in zip(items, node)) else items  # type: ignore[return-value]
    if is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for f in fields(node):
            value = getattr(node, f.name)
            mapped = map_nodes(value, change)
            if mapped is not value:
                changes[f.name] = mapped
        return replace(node, **changes) if changes else node
    return node


def map_cols(node: N, change: dict[tuple[str | None, str], Expr]) -> N:
    """``node`` with each column reference ``(qualifier, name)`` in ``change`` replaced."""
    return map_nodes(node, lambda n: change.get((n.table, n.name)) if isinstance(n, Col) else None)


def _predicate(node: object) -> object | None:
    """INSERTING / UPDATING / DELETING, and ``UPDATING('col')``, as binds compared with 1."""
    if isinstance(node, Col) and node.table is None and node.name in PREDICATES:
        return Compare(node.start, node.end, "=", Bind(node.start, node.end, node.name), _ONE)
    if (isinstance(node, Func) and node.name == "UPDATING" and len(node.args) == 1 and not node.named
            and isinstance(node.args[0], Lit) and isinstance(node.args[0].value, str)):
        column = node.args[0].value.upper()
        return Compare(node.start, node.end, "=", Bind(node.start, node.end, f"UPDATING:{column}"), _ONE)
    return None


class Refused(Exception):
    """An error of a unit's header that refuses the CREATE (nothing is stored), unlike the
    compile errors of its body."""

    def __init__(self, error: OraError) -> None:
        super().__init__(error.message)
        self.error = error


class TriggerParser(PlsqlParser):
    """CREATE TRIGGER (expressions and blocks: the bases)."""

    def unit_name(self) -> tuple[str | None, str]:
        """``[schema.]name``."""
        first = self.ident("object name")
        if self.accept_op("."):
            return first, self.ident("object name")
        return None, first

    def trigger_def(self) -> TriggerDef:
        """``TRIGGER [schema.]name {BEFORE|AFTER|INSTEAD OF|FOR} event [OR event ...] ON table
        [REFERENCING ...] [FOR EACH ROW] [FOLLOWS trigger, ...] [ENABLE] [WHEN (condition)]
        {block | CALL routine(args) | COMPOUND TRIGGER ... END}``."""
        self.expect_kw("TRIGGER")
        name_pos = self.tok.pos
        _, own_name = self.unit_name()
        if self.accept_kw("INSTEAD"):
            self.expect_kw("OF")
            timing = "INSTEAD OF"
        elif self.accept_kw("FOR"):
            timing = "COMPOUND"
        elif self.is_kw("BEFORE", "AFTER"):
            timing = self.next().value
        else:
            raise errors.pls_error(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\" "
                                   "when expecting one of the following: before after instead for")
        events, columns = self._events()
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
        row = timing == "INSTEAD OF"  # INSTEAD OF triggers are row triggers, FOR EACH ROW or not
        if timing != "COMPOUND" and self.accept_kw("FOR"):
            self.expect_kw("EACH")
            self.expect_kw("ROW")
            row = True
        follows = self._follows()
        self.accept_kw("ENABLE")
        if self.is_kw("DISABLE"):
            raise errors.unsupported("CREATE TRIGGER ... DISABLE (use ALTER TRIGGER ... DISABLE)", self.tok.pos)
        header_end = self.tok.pos
        when: Expr | None = None
        when_text: str | None = None
        if self.accept_kw("WHEN"):
            if timing == "INSTEAD OF":
                raise Refused(errors.ora(25004, self.tok.pos))
            if not row and timing != "COMPOUND":
                raise Refused(errors.ora(4077, self.tok.pos))
            self.expect_op("(")
            cond = self.condition()
            self.expect_op(")")
            when_text = self.sql[cond.start:cond.end]
            when = map_cols(cond, self._correlations(cond, names))
        body_start = self.tok.pos
        self.tokens[self.i:] = _merge_correlations(self.tokens[self.i:], names if row or timing == "COMPOUND" else {})
        sections: tuple[tuple[str, object], ...] = ()
        if timing == "COMPOUND":
            block, sections = self._compound(own_name)
        elif self.is_kw("CALL"):
            pos = self.next().pos
            call = self.pl_simple_statement()
            self.pl_end(None)
            block = PlBlock((PlBlockStmt((), (call,), (), pos),))
        else:
            block = self.plsql()
        block, sections = map_nodes((block, sections), _predicate)
        return TriggerDef(timing, tuple(events), tuple(columns), table, row, when, when_text, referencing, block,
                          self.sql[name_pos:header_end].strip() + "\n", self.sql[body_start:].rstrip(), body_start,
                          follows, sections)

    def _events(self) -> tuple[list[str], list[str]]:
        """``event [OR event ...]``, each INSERT, UPDATE [OF col, ...] or DELETE."""
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
                return events, columns

    def _follows(self) -> tuple[str, ...]:
        """``FOLLOWS [schema.]trigger, ...`` (names with an empty schema when none was given);
        PRECEDES is for reverse crossedition triggers only (ORA-25025)."""
        if self.is_kw("PRECEDES"):
            raise Refused(errors.ora(25025, self.tok.pos))
        if not self.accept_kw("FOLLOWS"):
            return ()
        found: list[str] = []
        while True:
            schema, name = self.unit_name()
            found.append(f"{schema or ''}.{name}")
            if not self.accept_op(","):
                return tuple(found)

    def _compound(self, name: str) -> tuple[PlBlock, tuple[tuple[str, object], ...]]:
        """``COMPOUND TRIGGER declarations section... END [name]``: the declarations (as a block
        with no statements) and each ``timing_point IS BEGIN ... END timing_point;`` section."""
        pos = self.tok.pos
        self.expect_kw("COMPOUND")
        self.expect_kw("TRIGGER")
        decls = []
        while not self.is_kw("BEFORE", "AFTER", "INSTEAD", "END"):
            if self.tok.kind is Kind.EOF:
                raise self.pls_expecting("begin end")
            decls.append(self.pl_declaration())
        sections: dict[str, object] = {}
        while not self.is_kw("END"):
            start = self.tok.pos
            point = self._timing_point()
            if point in sections:
                raise errors.pls_error(start, self.sql, "PLS-00677: duplicate timing-point section")
            self.expect_kw("IS")
            section = self.pl_block()
            if self._timing_point() != point:
                raise errors.pls_error(start, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\"")
            self.expect_op(";")
            sections[point] = section
        self.expect_kw("END")
        self.pl_end(name)
        ordered = tuple((p, sections[p]) for p in TIMING_POINTS if p in sections)
        return PlBlock((PlBlockStmt(tuple(decls), (), (), pos),)), ordered

    def _timing_point(self) -> str:
        t = self.tok
        if self.accept_kw("INSTEAD"):
            self.expect_kw("OF")
            words = ["INSTEAD OF"]
        elif self.is_kw("BEFORE", "AFTER"):
            words = [self.next().value]
        else:
            raise errors.pls_error(t.pos, self.sql, f"PLS-00103: Encountered the symbol \"{t.value}\" when "
                                   "expecting one of the following: before after instead end")
        if self.accept_kw("STATEMENT"):
            words.append("STATEMENT")
        else:
            self.expect_kw("EACH")
            self.expect_kw("ROW")
            words.append("EACH ROW")
        return " ".join(words)

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
