"""Sequences: the shared number generators and each session's CURRVAL.

Oracle sequences are not transactional (a rollback gives no number back) and
every session draws from the same generator, so their state lives here, in
memory shared by all sessions of a Database (``Catalog.sequences``) under a
lock, never in sqlite tables (which would roll back with the session's
transaction and serialize on sqlite's single writer).

SQL reaches a sequence through the ``ora_seq`` function registered on every
session's sqlite connection (:class:`SessionSequences`); seqsql.py translates
``seq.NEXTVAL`` / ``seq.CURRVAL`` into calls of it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

from .. import errors
from ..types.datatypes import number_bytes
from ..errors import ErrorSlot
from ..syntax.nodes import SeqOptions

__all__ = ["SequenceState", "SequenceStore", "SessionSequences", "MAX_ASC", "MIN_DESC"]

#: Oracle's defaults: 28 nines up, 27 nines down.
MAX_ASC = 10**28 - 1
MIN_DESC = -(10**27 - 1)


def missing(position: int = 0) -> errors.OraError:
    return errors.ora(2289, position)


@dataclass(slots=True)
class SequenceState:
    schema: str
    name: str
    increment: int
    minvalue: int
    maxvalue: int
    cycle: bool
    cache: int  # 0: NOCACHE
    order: bool
    start: int
    next: int  # the value NEXTVAL hands out next
    last_number: int  # USER_SEQUENCES.LAST_NUMBER: the cache's high-water mark
    serial: int  # unique per created sequence (a re-created one is another sequence)
    system: bool = False  # an identity column's ISEQ$$_ sequence


def _settings(opts: SeqOptions, base: SequenceState | None, position: int) -> tuple[int, int, int, bool, int, bool]:
    """(increment, minvalue, maxvalue, cycle, cache, order) after ``opts``, checked as Oracle does."""
    increment = opts.increment if opts.increment is not None else (base.increment if base else 1)
    if increment == 0:
        raise errors.ora(4002, position)
    if opts.nominvalue or (base is None and opts.minvalue is None):
        minvalue = 1 if increment > 0 else MIN_DESC
    else:
        minvalue = opts.minvalue if opts.minvalue is not None else base.minvalue  # type: ignore[union-attr]
    if opts.nomaxvalue or (base is None and opts.maxvalue is None):
        maxvalue = MAX_ASC if increment > 0 else -1
    else:
        maxvalue = opts.maxvalue if opts.maxvalue is not None else base.maxvalue  # type: ignore[union-attr]
    if minvalue >= maxvalue:
        raise errors.ora(4004, position)
    cycle = opts.cycle if opts.cycle is not None else (base.cycle if base else False)
    cache = opts.cache if opts.cache is not None else (base.cache if base else 20)
    if cache == 1 or cache < 0:
        raise errors.ora(4010, position)
    order = opts.order if opts.order is not None else (base.order if base else False)
    return increment, minvalue, maxvalue, cycle, cache, order


class SequenceStore:
    """Every sequence of one Database, keyed by (schema, name); thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_key: dict[tuple[str, str], SequenceState] = {}
        self.by_serial: dict[int, SequenceState] = {}
        self._serial = 0
        #: Per statement execution (token): the sequences its text draws NEXTVAL from
        #: (CURRVAL of those gives the row's new number, whatever the order).
        self._drawn: OrderedDict[int, set[int]] = OrderedDict()

    def get(self, schema: str, name: str) -> SequenceState | None:
        with self.lock:
            return self.by_key.get((schema, name))

    def has(self, schema: str, name: str) -> bool:
        with self.lock:
            return (schema, name) in self.by_key

    def create(self, schema: str, name: str, opts: SeqOptions, *, system: bool = False,
               position: int = 0) -> SequenceState:
        increment, minvalue, maxvalue, cycle, cache, order = _settings(opts, None, position)
        start = opts.start if opts.start is not None else (minvalue if increment > 0 else maxvalue)
        if start < minvalue:
            raise errors.ora(4006, position)
        if start > maxvalue:
            raise errors.ora(4008, position)
        with self.lock:
            if (schema, name) in self.by_key:
                raise errors.name_in_use(position)
            self._serial += 1
            seq = SequenceState(schema, name, increment, minvalue, maxvalue, cycle, cache, order, start, start,
                                start, self._serial, system)
            self.by_key[(schema, name)] = seq
            self.by_serial[seq.serial] = seq
            return seq

    def drop(self, schema: str, name: str, *, system: bool = False, position: int = 0) -> None:
        with self.lock:
            seq = self.by_key.get((schema, name))
            if seq is None:
                raise missing(position)
            if seq.system and not system:
                raise errors.ora(32794, position)
            del self.by_key[(schema, name)]
            del self.by_serial[seq.serial]

    def alter(self, schema: str, name: str, opts: SeqOptions, position: int = 0) -> None:
        with self.lock:
            seq = self.by_key.get((schema, name))
            if seq is None:
                raise missing(position)
            if seq.system:
                raise errors.ora(32793, position)
            if opts.start is not None and not opts.restart:
                raise errors.ora(2283, position)
            increment, minvalue, maxvalue, cycle, cache, order = _settings(opts, seq, position)
            drawn = seq.next != seq.start or seq.last_number != seq.start
            if opts.restart:
                nxt = opts.start if opts.start is not None else (minvalue if increment > 0 else maxvalue)
                seq.start = nxt
            elif drawn:
                nxt = seq.next - seq.increment + increment  # the last value handed out + the new step
            else:
                nxt = seq.next
            current = seq.next - seq.increment
            if drawn and not opts.restart:
                if increment > 0 and maxvalue < current:
                    raise errors.ora(4009, position)
                if increment < 0 and minvalue > current:
                    raise errors.ora(4007, position)
            seq.increment, seq.minvalue, seq.maxvalue, seq.cycle, seq.cache, seq.order = (
                increment, minvalue, maxvalue, cycle, cache, order)
            seq.next = nxt
            seq.last_number = nxt

    def nextval(self, serial: int) -> int:
        with self.lock:
            seq = self.by_serial.get(serial)
            if seq is None:
                raise missing()
            value = seq.next
            if value > seq.maxvalue or value < seq.minvalue:
                if not seq.cycle:
                    word = "exceeds MAXVALUE" if value > seq.maxvalue else "goes below MINVALUE"
                    raise errors.ora(8004, name=seq.name, crossed=word)
                value = seq.minvalue if seq.increment > 0 else seq.maxvalue
                seq.last_number = value
            seq.next = value + seq.increment
            if (seq.increment > 0 and value >= seq.last_number) or (seq.increment < 0 and value <= seq.last_number):
                seq.last_number = value + seq.increment * max(seq.cache, 1)
            return value

    def name_of(self, serial: int) -> str:
        with self.lock:
            seq = self.by_serial.get(serial)
            return seq.name if seq is not None else "?"

    def token(self, serial: int | None = None, token: int = 0) -> int:
        """A new statement-execution token (``token`` 0), or note that ``token`` draws from ``serial``."""
        with self.lock:
            if token == 0:
                self._serial += 1
                token = self._serial
                self._drawn[token] = set()
                while len(self._drawn) > 4096:
                    self._drawn.popitem(last=False)
            elif serial is not None and token in self._drawn:
                self._drawn[token].add(serial)
            return token

    def draws(self, token: int, serial: int) -> bool:
        with self.lock:
            return serial in self._drawn.get(token, ())

    def snapshot(self) -> list[SequenceState]:
        with self.lock:
            return sorted((replace(s) for s in self.by_key.values()), key=lambda s: (s.schema, s.name))


class SessionSequences:
    """One session's view of the sequences: CURRVAL and the per-row NEXTVAL memo."""

    def __init__(self, store: SequenceStore) -> None:
        self.store = store
        self.currval: dict[int, int] = {}
        # (token, serial) -> (row key, value): the number the current row of that statement drew.
        self._rows: OrderedDict[tuple[int, int], tuple[object, int]] = OrderedDict()

    def install(self, conn: sqlite3.Connection, slot: ErrorSlot) -> None:
        def call(token: int, serial: int, rowkey: object, op: int) -> bytes:
            try:
                return number_bytes(self.value(token, serial, rowkey, op))
            except errors.OraError as exc:
                slot.error = exc
                raise

        conn.create_function("ora_seq", 4, call, deterministic=False)

    def value(self, token: int, serial: int, rowkey: object, op: int) -> int:
        key = (token, serial)
        if op == 0 and not self.store.draws(token, serial):  # CURRVAL alone
            if serial not in self.currval:
                raise errors.ora(8002, name=self.store.name_of(serial))
            return self.currval[serial]
        if rowkey is not None:
            seen = self._rows.get(key)
            if seen is not None and seen[0] == rowkey:
                return seen[1]
        value = self.store.nextval(serial)
        self.currval[serial] = value
        if rowkey is not None:
            self._rows[key] = (rowkey, value)
            self._rows.move_to_end(key)
            while len(self._rows) > 256:
                self._rows.popitem(last=False)
        return value
