"""PL/SQL expressions: names resolved against the live scopes, three-valued
logic, and everything else handed to the SQL engine.

:class:`Evaluator` computes what it can itself (literals, variables, record
fields, collection elements and methods, calls of PL/SQL functions, AND / OR /
NOT / IS NULL, comparisons and integer arithmetic, ``||``) and gives every
other expression to ``Host.evaluate`` after :meth:`Evaluator.to_sql` has
replaced its PL/SQL parts by binds.  ``to_sql`` is also how SQL statements
inside PL/SQL get their variables: a column of a table the statement reads
wins over a variable of the same name, as in Oracle.

Calls are the runner's (plsql_run.py): :meth:`Evaluator.call_function` and
:meth:`Evaluator.find_routine` are its hooks.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from .. import errors
from ..errors import OraError, pls_error
from ..syntax.nodes import (
    Between, Bind, Case, Chain, Col, Compare, DerivedTable, Exists, Expr, Func, InList, InSelect, IsNull, Like, Lit,
    Logic, Not, Select, TableRef, Unary,
)
from ..syntax.plnodes import PlField, PlIndexed, PlPower
from ..types.datatypes import NULLTYPE, NUMBER, SqlType, T, from_storage, number_bytes
from ..types.numbers import CONTEXT, num, num_text
from .cursorstate import CursorState
from .plsql_scope import Frame, Subprogram, TypeName, Var, error_code
from .objvalues import (
    ObjectRecordType, call_member, call_static, comparable, construct, declared_type, stored_type,
)
from .plsql_values import METHODS, CollectionType, PlCollection, PlRecord, PlType, RecordType
from .routines import Host

__all__ = ["Evaluator"]

_ONE: Final = Lit(0, 0, number_bytes(1), NUMBER)
_ZERO: Final = Lit(0, 0, number_bytes(0), NUMBER)
_CONDITIONS: Final = (Compare, Between, InList, Like, Exists, InSelect, IsNull, Logic, Not)
_NATIVE_COMPARE: Final = {"=": lambda a, b: a == b, "<>": lambda a, b: a != b, "<": lambda a, b: a < b,
                          ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}
_FIELDS: dict[type, tuple[str, ...]] = {}


def _kind(v: object) -> type | None:
    """The family a value compares within natively (None: let SQL decide)."""
    if isinstance(v, bool):
        return bool
    if isinstance(v, (int, Decimal)):
        return Decimal
    if isinstance(v, str):
        return str
    if isinstance(v, datetime):
        return datetime
    return None


class Evaluator:
    def __init__(self, session: Host) -> None:
        self.session = session
        self._serial = 0

    # ---- hooks (plsql_run.py) -------------------------------------------------------------------
    def call_function(self, target: object, name: str, args: tuple[Expr, ...], named: tuple[tuple[str, Expr], ...],
                      f: Frame, pos: int) -> object:
        raise NotImplementedError

    def find_routine(self, name: str, pos: int = -1, sql: str = "") -> object | None:
        """A stored or built-in routine called ``name`` (dotted for a package's), or None; ``pos``
        and ``sql`` place the error of calling an INVALID one (-1: only asking whether it exists)."""
        raise NotImplementedError

    def invoke(self, target: object, name: str, args: tuple[Expr, ...], named: tuple[tuple[str, Expr], ...],
               f: Frame, pos: int) -> object:
        raise NotImplementedError

    def is_function(self, target: object) -> bool:
        raise NotImplementedError

    # ---- values -------------------------------------------------------------------------------
    def value(self, e: Expr, f: Frame) -> object:
        t = type(e)
        if t is Lit:
            assert isinstance(e, Lit)
            if e.type.t is T.BOOLEAN:
                return None if e.value is None else bool(e.value)
            return from_storage(e.value, e.type)
        if t is Col:
            assert isinstance(e, Col)
            return self.name_value(e, f)
        if t is Bind:
            assert isinstance(e, Bind)
            return self.bind_value(e, f)
        if t is Func:
            assert isinstance(e, Func)
            return self.func_value(e, f)
        if t is PlField:
            assert isinstance(e, PlField)
            base = self.value(e.base, f)
            return self.member(base, declared_type(e.base, f) if base is None else None, e.name, (), f, e)
        if t is PlIndexed:
            assert isinstance(e, PlIndexed)
            return self.element(self.value(e.base, f), [self.value(a, f) for a in e.args], e, f)
        if t is PlPower:
            assert isinstance(e, PlPower)
            return self._power(self.value(e.base, f), self.value(e.exponent, f))
        if t is Logic:
            assert isinstance(e, Logic)
            return self._logic(e, f)
        if t is Not:
            assert isinstance(e, Not)
            truth = self.truth_value(e.operand, f)
            return None if truth is None else not truth
        if t is IsNull:
            assert isinstance(e, IsNull)
            return (self.value(e.operand, f) is None) != e.negate
        if t is Compare:
            assert isinstance(e, Compare)
            left, right = self.value(e.left, f), self.value(e.right, f)
            if left is None or right is None:
                return None
            if isinstance(left, PlRecord) and isinstance(left.type, ObjectRecordType):
                left, right = comparable(self, self.session.db.catalog, left, right, f, e.start)
                if left is None or right is None:
                    return None
            kind = _kind(left)
            if kind is not None and kind is _kind(right):
                if kind is str and self._blank_padded(e.left, f) and self._blank_padded(e.right, f):
                    left, right = str(left).rstrip(" "), str(right).rstrip(" ")  # CHAR to CHAR
                return bool(_NATIVE_COMPARE[e.op](left, right))
            binds: dict[str, object] = {}
            probe = replace(e, left=self._const(left, e.left, binds), right=self._const(right, e.right, binds))
            return self._sql_truth(probe, f, binds)
        if t is Chain:
            assert isinstance(e, Chain)
            return self._chain(e, f)
        if t is Unary:
            assert isinstance(e, Unary)
            operand = self.value(e.operand, f)
            if isinstance(operand, int) and not isinstance(operand, bool):
                return -operand
        return self.sql_value(e, f)

    def _blank_padded(self, e: Expr, f: Frame) -> bool:
        """Whether ``e`` is CHAR (a literal or a CHAR variable): two of them compare blank-padded."""
        t = self.static_type(e, f)
        return isinstance(t, SqlType) and t.t in (T.CHAR, T.NCHAR)

    def static_type(self, e: Expr, f: Frame) -> PlType | None:
        """The type of ``e`` as written, when a literal or a variable tells it (else None)."""
        if isinstance(e, Lit):
            return e.type
        if isinstance(e, Col) and e.table is None:
            found = f.scope.find(e.name)
            if isinstance(found, Var):
                return found.type
        return None

    @staticmethod
    def _power(base: object, exponent: object) -> object:
        try:
            b, x = num(base), num(exponent)
        except OraError:
            raise errors.value_error("conversion") from None
        if b is None or x is None:
            return None
        try:
            result = CONTEXT.power(b, x)
        except (ArithmeticError, ValueError):
            raise errors.value_error() from None
        return from_storage(number_bytes(result), NUMBER)

    def truth_value(self, e: Expr, f: Frame) -> bool | None:
        v = self.value(e, f)
        if v is None:
            return None
        if isinstance(v, bool):
            return v
        raise pls_error(e.start, f.source, "PLS-00382: expression is of wrong type")

    def truth(self, e: Expr, f: Frame) -> bool:
        """A condition as IF / WHILE / EXIT WHEN take it: NULL is not true."""
        return self.truth_value(e, f) is True

    def _logic(self, e: Logic, f: Frame) -> bool | None:
        unknown = False
        stop = e.op == "OR"  # OR stops at the first TRUE, AND at the first FALSE
        for term in e.terms:
            v = self.truth_value(term, f)
            if v is None:
                unknown = True
            elif v is stop:
                return stop
        return None if unknown else not stop

    def _chain(self, e: Chain, f: Frame) -> object:
        acc = self.value(e.first, f)
        for op, operand in e.steps:
            v = self.value(operand, f)
            if op == "||":
                if (acc is None or isinstance(acc, (str, int))) and (v is None or isinstance(v, (str, int))) \
                        and not isinstance(acc, bool) and not isinstance(v, bool):
                    text = "".join("" if x is None else x if isinstance(x, str) else num_text(Decimal(x))
                                   for x in (acc, v))
                    acc = text or None
                    continue
            elif acc is None or v is None:
                if not isinstance(acc, (bool, PlRecord, PlCollection)) and not isinstance(v, (bool, PlRecord,
                                                                                              PlCollection)):
                    acc = None
                    continue
            elif type(acc) is int and type(v) is int and op in "+-*":
                acc = acc + v if op == "+" else acc - v if op == "-" else acc * v
                if -10**38 < acc < 10**38:
                    continue
            binds: dict[str, object] = {}
            rest = Chain(e.start, e.end, self._const(acc, e.first, binds), ((op, self._const(v, operand, binds)),))
            acc = self.session.evaluate(rest, binds)
        return acc

    def _const(self, v: object, where: Expr, binds: dict[str, object]) -> Expr:
        """``v`` as an expression SQL can read: a bind in ``binds`` (a literal NULL for None)."""
        if v is None:
            return Lit(where.start, where.end, None, NULLTYPE)
        if isinstance(v, (PlRecord, PlCollection)):
            raise errors.pls_unplaced("PLS-00382: expression is of wrong type")
        if isinstance(v, CursorState):  # a cursor variable is no SQL value
            raise errors.inconsistent_types("-", "CURSOR")
        self._serial += 1
        name = f"\0{self._serial}"
        binds[name] = v
        return Bind(where.start, where.end, name)

    def sql_value(self, e: Expr, f: Frame) -> object:
        """``e`` evaluated by the SQL engine, its PL/SQL parts replaced by binds."""
        binds: dict[str, object] = {}
        if isinstance(e, _CONDITIONS):
            return self._sql_truth(e, f, binds)
        rewritten = self.to_sql(e, f, frozenset(), binds, pl=True)
        return self.session.evaluate(rewritten, binds)

    def _sql_truth(self, cond: Expr, f: Frame, binds: dict[str, object]) -> bool | None:
        rewritten = self.to_sql(cond, f, frozenset(), binds, pl=True)
        probe = Case(cond.start, cond.end, None, ((rewritten, _ONE), (Not(cond.start, cond.end, rewritten), _ZERO)),
                     None)
        v = self.session.evaluate(probe, binds)
        return None if v is None else bool(v)

    # ---- names --------------------------------------------------------------------------------
    def bind_value(self, e: Bind, f: Frame) -> object:
        if f.binds is None:
            raise pls_error(e.start, f.source, f"PLS-00049: bad bind variable '{e.name}'")
        try:
            return f.binds[e.name]
        except KeyError:
            raise errors.not_all_bound() from None

    def name_value(self, e: Col, f: Frame) -> object:
        if e.table is None:
            found = f.scope.find(e.name)
            if isinstance(found, Var):
                return found.value
            if isinstance(found, Subprogram):
                return self.call_function(found, e.name, (), (), f, e.start)
            if e.name == "SQLCODE":
                return error_code(f.handling[-1]) if f.handling else 0
            if e.name == "SQLERRM":
                return f.handling[-1].message if f.handling else "ORA-0000: normal, successful completion"
            routine = self.find_routine(e.name, e.start, f.source)
            if routine is not None and self.is_function(routine):
                return self.call_function(routine, e.name, (), (), f, e.start)
            raise pls_error(e.start, f.source, f"PLS-00201: identifier '{e.name}' must be declared")
        if e.schema is not None:  # r.f.g: a field of a record's field
            outer = f.scope.find(e.schema)
            if isinstance(outer, Var):
                inner = self.member(outer.value, outer.type, e.table, (), f, e)
                return self.member(inner, None, e.name, (), f, e)
        base = f.scope.find(e.table)
        if isinstance(base, Var):
            return self.member(base.value, base.type, e.name, (), f, e)
        dotted = f"{e.table}.{e.name}"
        routine = self.find_routine(dotted, e.start, f.source)
        if routine is not None and self.is_function(routine):
            return self.call_function(routine, dotted, (), (), f, e.start)
        return self.qualified_value(e, f)

    def qualified_value(self, e: Col, f: Frame) -> object:
        """``a.b`` where ``a`` is no variable of this scope (a package's variable, say)."""
        raise pls_error(e.start, f.source, f"PLS-00201: identifier '{e.table}.{e.name}' must be declared")

    def func_value(self, e: Func, f: Frame) -> object:
        head, dot, rest = e.name.partition(".")
        found = f.scope.find(head)
        if dot and isinstance(found, Var):
            return self.member(found.value, found.type, rest, e.args, f, e)
        if not dot:
            if isinstance(found, Var):
                return self.element(found.value, [self.value(a, f) for a in e.args], e, f, found.type)
            if isinstance(found, TypeName) and isinstance(found.type, CollectionType):
                return self.construct(found.type, e, f)
            if isinstance(found, Subprogram):
                return self.call_function(found, e.name, e.args, e.named, f, e.start)
        routine = self.find_routine(e.name, e.start, f.source)
        if routine is not None:
            return self.call_function(routine, e.name, e.args, e.named, f, e.start)
        if e.named:
            raise pls_error(e.start, f.source, f"PLS-00201: identifier '{e.name}' must be declared")
        catalog = self.session.db.catalog
        stored = stored_type(catalog, self.session.principal, e.name)
        if isinstance(stored, CollectionType):
            return self.construct(stored, e, f)
        if isinstance(stored, ObjectRecordType):
            return construct(self, catalog, stored, e.args, f, e.start, lambda: [self.value(a, f) for a in e.args],
                             self.coerce)
        owner_type = stored_type(catalog, self.session.principal, head) if dot and "." not in rest else None
        if isinstance(owner_type, ObjectRecordType):
            return call_static(self, catalog, owner_type, rest, e.args, f, e.start)
        if e.name == "SQLERRM" and len(e.args) == 1:
            n = self.value(e.args[0], f)
            code = int(Decimal(n)) if isinstance(n, (int, Decimal)) else 0
            if code == 0:
                return "ORA-0000: normal, successful completion"
            if code == 1:
                return "User-Defined Exception"
            if code > 0 and code != 100:
                return f"-{code}: non-ORACLE exception "
            return errors.text_of(1403 if code == 100 else -code)
        return self.sql_value(e, f)

    def construct(self, t: CollectionType, e: Func, f: Frame) -> PlCollection:
        if t.kind == "ASSOC":
            raise pls_error(e.start, f.source, f"PLS-00222: no function with name '{t.name}' exists in this scope")
        return PlCollection.of(t, [self.coerce(self.value(a, f), t.element, t.element_not_null) for a in e.args])

    def element(self, base: object, keys: list[object], e: Expr, f: Frame, t: PlType | None = None) -> object:
        if isinstance(base, PlCollection):
            if len(keys) != 1:
                raise pls_error(e.start, f.source, "PLS-00306: wrong number or types of arguments in call")
            return base.get(keys[0])
        if base is None and (t is None or isinstance(t, CollectionType)):
            raise errors.ora(6531)
        raise pls_error(e.start, f.source, "PLS-00222: no function with name exists in this scope")

    def member(self, base: object, t: PlType | None, name: str, args: tuple[Expr, ...], f: Frame,
               e: Expr) -> object:
        """``base.name``: a record's field or a collection's method (``args``: the method's)."""
        if isinstance(base, PlRecord):
            if name not in base.values and isinstance(base.type, ObjectRecordType):
                return call_member(self, self.session.db.catalog, base, base.type, name, args, (), f, e.start,
                                   procedure=False)
            if name not in base.values:
                raise pls_error(e.start, f.source, f"PLS-00302: component '{name}' must be declared")
            return base.values[name]
        if isinstance(base, PlCollection) or (base is None and isinstance(t, CollectionType)):
            spec = METHODS.get(name)
            if spec is None or spec[2] or not spec[0] <= len(args) <= spec[1]:
                raise pls_error(e.start, f.source, f"PLS-00302: component '{name}' must be declared")
            values = [self.value(a, f) for a in args]
            if base is None:
                if name == "EXISTS":
                    return False
                raise errors.ora(6531)
            assert isinstance(base, PlCollection)
            if name == "COUNT":
                return len(base.items)
            if name == "LIMIT":
                return base.type.limit
            if name == "EXISTS":
                return base.has(values[0])
            return {"FIRST": base.first, "LAST": base.last}[name]() if not values else \
                (base.next if name == "NEXT" else base.prior)(values[0])
        if base is None and isinstance(t, RecordType):
            if t.ATOMIC:
                raise errors.ora(6530)
            return None
        raise pls_error(e.start, f.source, f"PLS-00487: Invalid reference to variable '{name}'")

    # ---- conversions --------------------------------------------------------------------------
    def coerce(self, value: object, t: PlType, not_null: bool = False) -> object:
        raise NotImplementedError

    # ---- SQL with PL/SQL names inside -------------------------------------------------------------
    def to_sql(self, node: Any, f: Frame, keep: frozenset[str], binds: dict[str, object], *,
               pl: bool = False) -> Any:
        """``node`` (an expression or a SQL statement) with its PL/SQL parts (variables,
        fields, elements, PL/SQL function calls) replaced by binds, whose values (and
        those of the host binds it reads) go into ``binds``.  Names in ``keep`` and the
        columns of the tables a query reads stay columns.  ``pl``: ``node`` is a PL/SQL
        expression, where an unknown name is PLS-00201 rather than a column."""
        if isinstance(node, Expr):
            kind = type(node)
            if kind is Col:
                assert isinstance(node, Col)
                if node.table is None:
                    if node.name in keep:
                        return node
                    found = f.scope.find(node.name)
                    if isinstance(found, Var) and isinstance(found.value, str) and isinstance(found.type, SqlType) \
                            and found.type.t in (T.CHAR, T.NCHAR):
                        return Lit(node.start, node.end, found.value, found.type)  # SQL compares it as CHAR
                    if isinstance(found, (Var, Subprogram)) or (pl and node.name in ("SQLCODE", "SQLERRM")):
                        return self._const(self.value(node, f), node, binds)
                    if pl and found is None and self.find_routine(node.name) is None:
                        raise pls_error(node.start, f.source, f"PLS-00201: identifier '{node.name}' must be declared")
                    if found is None and self.find_routine(node.name) is not None:
                        return self._const(self.value(node, f), node, binds)
                    return node
                if node.table not in keep and (isinstance(f.scope.find(node.table), Var) or (
                        node.schema is not None and isinstance(f.scope.find(node.schema), Var))):
                    return self._const(self.value(node, f), node, binds)
                return node
            if kind is Func:
                assert isinstance(node, Func)
                if self._pl_func(node, f):
                    return self._const(self.value(node, f), node, binds)
            elif kind is PlField or kind is PlIndexed or kind is PlPower:
                return self._const(self.value(node, f), node, binds)
            elif kind is Bind:
                assert isinstance(node, Bind)
                if node.name.startswith("\0"):
                    return node
                value = self.bind_value(node, f)
                binds[node.name] = value
                return node
        elif isinstance(node, Select):
            keep = keep | self._columns_of(node)
            pl = False
        if isinstance(node, tuple):
            items = tuple(self.to_sql(x, f, keep, binds, pl=pl) for x in node)
            return node if all(a is b for a, b in zip(items, node)) else items
        if is_dataclass(node) and not isinstance(node, type) and not isinstance(node, (TableRef, Lit)):
            names = _FIELDS.get(type(node))
            if names is None:
                names = _FIELDS[type(node)] = tuple(x.name for x in fields(node))
            changes = {}
            for name in names:
                value = getattr(node, name)
                if isinstance(value, (Expr, tuple)) or is_dataclass(value):
                    new = self.to_sql(value, f, keep, binds, pl=pl)
                    if new is not value:
                        changes[name] = new
            return replace(node, **changes) if changes else node
        return node

    def _pl_func(self, e: Func, f: Frame) -> bool:
        head, dot, _ = e.name.partition(".")
        found = f.scope.find(head)
        if dot:
            return isinstance(found, Var) or self.find_routine(e.name) is not None
        return found is not None or self.find_routine(e.name) is not None

    def _columns_of(self, query: Select) -> frozenset[str]:
        """The column names of the tables and inline views ``query`` reads."""
        names: set[str] = set()
        sources = [query.table, *(j.source for j in query.joins)]
        for source in sources:
            if isinstance(source, DerivedTable):
                names.update(item.name for item in source.query.items)
                continue
            try:
                table = self.session.db.catalog.table(source.schema, source.name, self.session.principal)
            except OraError:
                continue
            names.update(c.name for c in table.columns)
            if source.alias:
                names.add(source.alias)
            names.add(source.name)
        for _, branch in query.setops:
            names |= self._columns_of(branch)
        return frozenset(names)
