"""One session's transaction on its sqlite connection, autonomous transactions included.

The engine's ``Session`` owns one sqlite connection on the database's WAL file; :class:`Transaction`
owns what that connection's transaction is: open or not (a transaction starts at the first DML with
``BEGIN IMMEDIATE``, taking sqlite's single writer lock), and the savepoints open in it, oldest
first: the user's ``SAVEPOINT`` names and the engine's own statement marks (a statement that fires
triggers).

**Autonomous transactions.**  A routine with ``PRAGMA AUTONOMOUS_TRANSACTION`` runs in a transaction
of its own, like another session of the same user that exists for the duration of the call: it does
not see the caller's uncommitted changes, its COMMIT / ROLLBACK leave the caller's transaction alone,
and what it commits stays, and is seen by the caller afterwards.  sqlite has one writer for the whole
database and the caller's open transaction holds it, so a second connection could neither write nor
wait (the caller waits on it: a wait could only end in a timeout).  Instead the caller's transaction
is *suspended* on the same connection (:meth:`Transaction.autonomous`):

1. suspend: the caller's changes are read as row images (``rowid`` and every column, in storage
   form) of the rows its DML statements changed (each statement reports their rowids: see
   :meth:`Transaction.guarded`; a whole table where it cannot say which, as for a multi-row
   ``INSERT ... SELECT``, DML through a view, or the children an ON DELETE / UPDATE action of a
   foreign key changes): once now, once after ``ROLLBACK TO`` each of its savepoints, newest
   first, and once after a full ``ROLLBACK``, which leaves the committed state.  What is kept is
   the difference between each pair of neighbouring images: the changes made between two
   savepoints, per row.
2. the autonomous routine runs on the connection with no transaction open, so it sees what is
   committed and nothing else; it may commit, roll back and nest (each level suspends the one
   below, up to :data:`MAX_AUTONOMOUS` levels: ORA-01574 beyond).
3. resume: the caller's transaction is begun again and its changes applied level by level, each
   savepoint re-established where it was (foreign keys are checked at the end of the replay, so
   the order of the rows does not matter).  A row the caller inserted whose rowid the autonomous
   transaction has taken meanwhile gets a new rowid.

The caller's *locks*: in Oracle an autonomous transaction that changes a row the caller changed
waits for the caller, which waits for it: ORA-00060 (deadlock) in the autonomous routine, whose
statement is undone.  Here every DML statement of an autonomous transaction (while a caller's
transaction is suspended) runs inside a savepoint and is then checked: a row the caller changed or
deleted must still hold its committed values, no row outside the caller's changes may hold a
unique key of a row the caller changed (the caller's pending insert of that key), and the parent
row a foreign key of the caller's new or changed rows refers to must still be there.  A breach
undoes the statement and raises ORA-00060 at once, so nothing ever waits.  Should the replay still
fail (say the autonomous routine dropped a table the caller changed), the caller's transaction is
rolled back and the call ends with ORA-00060.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType

from .. import errors

__all__ = ["MAX_AUTONOMOUS", "Transaction"]

#: How deeply autonomous transactions may nest (each level holds its caller's changes in memory).
MAX_AUTONOMOUS = 16

#: The savepoint around one statement of an autonomous transaction (the lock check's undo).
_CHECK = "ora$locks"
#: Bound parameters per ``rowid IN (...)`` query (sqlite's default limit is 32766).
_CHUNK = 500

Row = tuple[object, ...]
#: One table's rows: rowid -> the row's values.
Image = dict[int, Row]
#: Statement text (and named parameters) -> its cursor: the session's error-mapping runner.
Runner = Callable[[str, dict[str, object] | None], sqlite3.Cursor]


#: One table's changes between two savepoints: rowid -> (the row existed before, the row after
#: (None: deleted)).
Changes = dict[int, tuple[bool, Row | None]]


@dataclass
class _Level:
    """What a suspended transaction changed between two savepoints, by table, and the savepoint
    it made next (None: none, the newest changes)."""

    savepoint: str | None
    changes: dict[str, Changes]


@dataclass(frozen=True)
class _Schema:
    """What sqlite's schema (at ``version``) says about the tables: their names, the children an
    ON DELETE / UPDATE action of a foreign key changes, and each table's foreign keys as
    (parent, the child's column names, the parent's column names)."""

    version: int
    names: frozenset[str]
    children: dict[str, set[str]]
    parents: dict[str, list[tuple[str, tuple[str, ...], tuple[str, ...]]]]


@dataclass
class _Suspended:
    """A caller's transaction, rolled back while an autonomous routine runs."""

    levels: list[_Level]
    written: dict[str, set[int] | None]
    columns: dict[str, tuple[str, ...]]  # table -> its column names, in image order
    #: table -> rowid -> its committed values (None: a row the caller inserted), for every row changed.
    before: dict[str, dict[int, Row | None]]
    #: table -> the unique keys (column positions, values) of every image of a changed row.
    keys: dict[str, set[tuple[tuple[int, ...], Row]]] = field(default_factory=dict)
    #: table -> rowid -> the values of each row the caller changed, as the caller left them.
    after: dict[str, dict[int, Row]] = field(default_factory=dict)


class Transaction:
    """The transaction of one session's sqlite connection (see the module docstring)."""

    def __init__(self, conn: sqlite3.Connection, run: Runner) -> None:
        self._conn = conn
        self._run = run
        #: True while the session has uncommitted changes.
        self.open = False
        #: Transactions begun so far, and the number of the open one (DBMS_TRANSACTION's id):
        #: a caller's transaction keeps its number across an autonomous one.
        self.begun = self.number = 0
        self._savepoints: list[str] = []  # the open savepoints, oldest first
        self._marks = 0  # statement marks made (their names stay unique)
        #: sqlite table (or view) -> the rowids this transaction changed in it (None: unknown).
        self._written: dict[str, set[int] | None] = {}
        self._suspended: list[_Suspended | None] = []  # one per autonomous level running now
        self._active = 0  # DML statements running now (a stored function they call runs inside)
        self._progress: tuple[Callable[[], int] | None, int] = (None, 0)
        self._schema = _Schema(-1, frozenset(), {}, {})

    # ---- the session's transaction ----------------------------------------------------------
    def begin(self) -> bool:
        """Start the transaction at the first DML; True if this call started it."""
        if self.open:
            return False
        self._run("BEGIN IMMEDIATE", None)
        self.open = True
        self.begun += 1
        self.number = self.begun
        return True

    def commit(self) -> None:
        self._end("COMMIT")

    def rollback(self) -> None:
        self._end("ROLLBACK")

    def _end(self, how: str) -> None:
        if self.open:
            self._run(how, None)
            self.open = False
        self._savepoints.clear()
        self._written.clear()

    def savepoint(self, name: str) -> None:
        """SAVEPOINT ``name`` (starting the transaction)."""
        self.begin()
        self._run(f'SAVEPOINT "{name}"', None)
        self._savepoints.append(name)

    def rollback_to(self, name: str) -> None:
        """ROLLBACK TO ``name``: its newest use; ORA-01086 when there is none."""
        if name not in self._savepoints:
            raise errors.ora(1086, name=name)
        del self._savepoints[len(self._savepoints) - self._savepoints[::-1].index(name):]
        self._run(f'ROLLBACK TO "{name}"', None)

    def mark(self) -> tuple[str, bool]:
        """Mark the start of one statement's work: the savepoint's name, and whether the statement
        started the transaction."""
        started = self.begin()
        self._marks += 1
        name = f"ora$statement{self._marks}"
        self.savepoint(name)
        return name, started

    def undo(self, mark: tuple[str, bool]) -> None:
        """The statement of ``mark`` failed: undo its work (and the transaction it started)."""
        name, started = mark
        if started:
            self.rollback()
            return
        self.rollback_to(name)
        self._release(name)

    def keep(self, mark: tuple[str, bool]) -> None:
        """The statement of ``mark`` succeeded: forget its savepoint."""
        self._release(mark[0])

    def _release(self, name: str) -> None:
        if name in self._savepoints:
            del self._savepoints[len(self._savepoints) - 1 - self._savepoints[::-1].index(name):]
            self._run(f'RELEASE "{name}"', None)

    def set_progress(self, handler: Callable[[], int] | None, every: int) -> None:
        """Install sqlite's progress handler (the session's interrupt); suspending and resuming
        a transaction pause it, since a half-read or half-replayed transaction would be lost."""
        self._progress = (handler, every)
        self._conn.set_progress_handler(handler, every)

    # ---- autonomous transactions --------------------------------------------------------------
    @contextmanager
    def autonomous(self) -> Iterator[None]:
        """Run the body in a transaction of its own; the caller's open transaction is suspended
        meanwhile and resumed afterwards (the body ends its own transaction: the runner raises
        ORA-06519 for one left open; a body's error rolls it back here)."""
        if self._active:  # sqlite cannot roll back or open a savepoint under a running write
            raise errors.unsupported("an autonomous routine called by a DML statement", 0)
        if len(self._suspended) >= MAX_AUTONOMOUS:
            raise errors.ora(1574, note=f"autonomous transactions nest at most {MAX_AUTONOMOUS} deep here")
        number = self.number
        held = self._paused(self._suspend, "suspended") if self.open else None
        self._suspended.append(held)
        try:
            yield
        finally:
            self._suspended.pop()
            self.rollback()  # a no-op unless the body failed with its transaction open
            if held is not None:
                self._paused(lambda: self._resume(held), "resumed")
                self.number = number

    def guarded(self, table: str) -> _Statement:
        """One DML statement on sqlite table (or view) ``table`` in the open transaction, as a
        context manager giving the function the statement calls with the rowid of each row it
        changes (None: not known), so that suspending the transaction reads those rows only.
        While a caller's transaction is suspended, the statement runs in a savepoint and touching
        the caller's locked rows undoes it with ORA-00060 (the module docstring)."""
        return _Statement(self, table.lower())

    def _paused(self, work: Callable[[], _Suspended | None], what: str) -> _Suspended | None:
        """``work`` with the progress handler off: an interrupt half-way would lose the caller's
        transaction; any failure rolls the caller's transaction back (ORA-00060)."""
        self._conn.set_progress_handler(None, 0)
        try:
            return work()
        except Exception:
            if self._conn.in_transaction:
                try:
                    self._conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the connection is broken: its transaction is gone either way
            self.open = False
            self._savepoints.clear()
            self._written.clear()
            raise errors.ora(60, note=f"the caller's transaction could not be {what} and was rolled "
                                      "back") from None
        finally:
            self._conn.set_progress_handler(*self._progress)

    def _suspend(self) -> _Suspended:
        """Read the open transaction's changes, level by level, and roll it back."""
        reach = self._reach(set(self._written))
        # the rows to read of each table: those a statement named, else all of them
        scope = {t: None if t not in self._written else self._written[t] for t in sorted(reach)}
        tables = list(scope)
        order = list(self._savepoints)
        tags: list[str | None] = [None, *reversed(order)]  # the savepoint each level is followed by
        steps: list[str | None] = [*reversed(order), None]  # where to roll back to (None: all of it)
        newer = {t: self._image(t, rows) for t, rows in scope.items()}
        current = newer
        levels: list[_Level] = []
        for tag, step in zip(tags, steps):
            self._run("ROLLBACK" if step is None else f'ROLLBACK TO "{step}"', None)
            older = {t: self._image(t, rows) for t, rows in scope.items()}
            levels.append(_Level(tag, {t: c for t in tables if (c := _diff(older[t], newer[t]))}))
            newer = older
        levels.reverse()
        held = _Suspended(levels, self._written, {t: self._columns(t) for t in tables}, {})
        self.open = False
        self._savepoints.clear()
        self._written = {}
        for level in levels:
            for t, rows in level.changes.items():
                before = held.before.setdefault(t, {})
                for rowid in rows:
                    before.setdefault(rowid, newer[t].get(rowid))  # ``newer`` is now the committed state
        for t, before in held.before.items():
            held.after[t] = {r: current[t][r] for r in before if r in current[t]}
            images = [r for r in before.values() if r is not None]
            images += [r for level in levels for _, r in level.changes.get(t, {}).values() if r is not None]
            held.keys[t] = {(idx, key) for idx in self._unique(t) for r in images
                            if None not in (key := tuple(r[i] for i in idx))}
        return held

    def _resume(self, held: _Suspended) -> None:
        """Begin the suspended transaction again and replay its changes, savepoints in place."""
        self.begin()
        self._written = held.written
        self._run("PRAGMA defer_foreign_keys=ON", None)  # rows come table by table: check at the end
        moved: dict[tuple[str, int], int] = {}  # (table, rowid) -> the rowid the row has now
        for level in held.levels:
            for t, rows in level.changes.items():
                for rowid, (existed, row) in rows.items():
                    self._apply(t, held.columns[t], rowid, existed, row, moved)
            if level.savepoint is not None:
                self._run(f'SAVEPOINT "{level.savepoint}"', None)
                self._savepoints.append(level.savepoint)
        self._run("PRAGMA defer_foreign_keys=OFF", None)

    def _apply(self, t: str, cols: tuple[str, ...], rowid: int, existed: bool, row: Row | None,
               moved: dict[tuple[str, int], int]) -> None:
        """Replay one row's change (``existed``: the row was there before it)."""
        at: dict[str, object] = {"r": moved.get((t, rowid), rowid)}
        values = {f"v{i}": v for i, v in enumerate(row or ())}
        if row is None:
            self._run(f'DELETE FROM "{t}" WHERE rowid = :r', at)
        elif existed:
            sets = ", ".join(f'"{c}" = :v{i}' for i, c in enumerate(cols))
            self._run(f'UPDATE "{t}" SET {sets} WHERE rowid = :r', {**values, **at})
        else:
            names = ", ".join(f'"{c}"' for c in cols)
            marks = ", ".join(f":v{i}" for i in range(len(cols)))
            if self._run(f'SELECT 1 FROM "{t}" WHERE rowid = :r', at).fetchone() is None:
                self._run(f'INSERT INTO "{t}" (rowid, {names}) VALUES (:r, {marks})', {**values, **at})
            else:  # the autonomous transaction took this rowid: the caller's row gets a new one
                cursor = self._run(f'INSERT INTO "{t}" ({names}) VALUES ({marks})', values)
                moved[(t, rowid)] = int(cursor.lastrowid or 0)
                rows = self._written.get(t)
                if rows is not None:  # read again should this transaction be suspended again
                    rows.add(moved[(t, rowid)])

    def _conflict(self, target: str) -> bool:
        """Whether the autonomous statement just run on ``target`` touched a suspended caller's
        locks: changed a row the caller changed, or took a unique key of one."""
        tables = self._reach({target})
        for held in self._suspended:
            if held is None:
                continue
            for t in tables & held.before.keys():
                before = held.before[t]
                there = {r for r, row in before.items() if row is not None}
                now = self._image(t, there)
                if any(now.get(r) != before[r] for r in there):
                    return True
                cols = held.columns[t]
                for idx, key in held.keys.get(t, ()):
                    where = " AND ".join(f'"{cols[i]}" = :k{n}' for n, i in enumerate(idx))
                    found = self._run(f'SELECT rowid FROM "{t}" WHERE {where}',
                                      {f"k{n}": v for n, v in enumerate(key)})
                    # a row not the caller's, or at the rowid of the caller's (rolled back) insert
                    if any(before.get(r[0]) is None for r in found):
                        return True
            if self._orphans(held, tables):
                return True
        return False

    def _orphans(self, held: _Suspended, changed: set[str]) -> bool:
        """Whether a parent row that a row the caller inserted or changed refers to is gone from
        the tables ``changed`` (Oracle's child row locks its parent key: the autonomous delete
        would wait for the caller)."""
        for t, rows in held.after.items():
            cols = [c.lower() for c in held.columns[t]]
            for parent, child_cols, parent_cols in self._read_schema().parents.get(t, ()):
                if parent not in changed or any(c.lower() not in cols for c in child_cols):
                    continue
                idx = [cols.index(c.lower()) for c in child_cols]
                keys = {key for row in rows.values() if None not in (key := tuple(row[i] for i in idx))}
                own = [c.lower() for c in held.columns.get(parent, ())]
                if own and all(c.lower() in own for c in parent_cols):  # parents the caller made itself
                    at = [own.index(c.lower()) for c in parent_cols]
                    keys -= {tuple(row[i] for i in at) for row in held.after.get(parent, {}).values()}
                where = " AND ".join(f'"{c}" = :k{n}' for n, c in enumerate(parent_cols))
                for key in keys:
                    if self._run(f'SELECT 1 FROM "{parent}" WHERE {where} LIMIT 1',
                                 {f"k{n}": v for n, v in enumerate(key)}).fetchone() is None:
                        return True
        return False

    # ---- reading the schema and the rows ------------------------------------------------------
    def _reach(self, tables: set[str]) -> set[str]:
        """The sqlite tables a change of ``tables`` can change: themselves and, through foreign
        keys with an ON DELETE / UPDATE action, their children; a view (INSTEAD OF triggers) may
        reach any table."""
        schema = self._read_schema()
        if any(t.lower() not in schema.names for t in tables):
            return set(schema.names)
        seen = {t.lower() for t in tables}
        todo = list(seen)
        while todo:
            for child in schema.children.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return seen

    def _read_schema(self) -> _Schema:
        version = self._run("PRAGMA schema_version", None).fetchone()[0]
        if version == self._schema.version:
            return self._schema
        names = frozenset(r[0].lower() for r in self._run(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'", None))
        children: dict[str, set[str]] = {}
        parents: dict[str, list[tuple[str, tuple[str, ...], tuple[str, ...]]]] = {}
        for child in sorted(names):
            keys: dict[int, list[tuple[str, str, str | None, str, str]]] = {}
            for fk in self._run(f'PRAGMA foreign_key_list("{child}")', None):
                keys.setdefault(int(fk[0]), []).append(
                    (str(fk[2]).lower(), str(fk[3]), None if fk[4] is None else str(fk[4]), str(fk[5]), str(fk[6])))
            for parts in keys.values():
                parent = parts[0][0]
                if {parts[0][3].upper(), parts[0][4].upper()} - {"NO ACTION", "RESTRICT"}:
                    children.setdefault(parent, set()).add(child)
                to = [p[2] for p in parts]
                if None in to:  # the parent's primary key
                    info = sorted((int(r[5]), str(r[1])) for r in self._run(f'PRAGMA table_info("{parent}")', None))
                    to = [name for pk, name in info if pk]
                parents.setdefault(child, []).append((parent, tuple(p[1] for p in parts), tuple(str(c) for c in to)))
        self._schema = _Schema(version, names, children, parents)
        return self._schema

    def _columns(self, t: str) -> tuple[str, ...]:
        return tuple(str(r[1]) for r in self._run(f'PRAGMA table_info("{t}")', None))

    def _image(self, t: str, rowids: set[int] | None = None) -> Image:
        """Table ``t``'s rows (only those of ``rowids`` when given), by rowid."""
        if rowids is None:
            return {int(r[0]): tuple(r[1:]) for r in self._run(f'SELECT rowid, * FROM "{t}"', None)}
        image: Image = {}
        wanted = sorted(rowids)
        for start in range(0, len(wanted), _CHUNK):
            part = wanted[start:start + _CHUNK]
            marks = ", ".join(f":r{i}" for i in range(len(part)))
            image.update((int(r[0]), tuple(r[1:])) for r in self._run(
                f'SELECT rowid, * FROM "{t}" WHERE rowid IN ({marks})', {f"r{i}": r for i, r in enumerate(part)}))
        return image

    def _unique(self, t: str) -> list[tuple[int, ...]]:
        """The column positions of each plain unique index on ``t`` (primary keys included)."""
        found: list[tuple[int, ...]] = []
        for index in self._run(f'PRAGMA index_list("{t}")', None).fetchall():
            if index[2] and not index[4]:
                cids = tuple(int(c[1]) for c in self._run(f'PRAGMA index_info("{index[1]}")', None))
                if cids and min(cids) >= 0:
                    found.append(cids)
        return found


class _Statement:
    """One DML statement of a :class:`Transaction` (its ``guarded``): a class rather than a
    generator, since every DML statement makes one."""

    __slots__ = ("_tx", "_table", "_rows", "_checked")

    def __init__(self, tx: Transaction, table: str) -> None:
        self._tx = tx
        self._table = table
        self._rows = tx._written.setdefault(table, set())
        self._checked = False

    def changed(self, rowid: object) -> None:
        """The statement changed the row ``rowid`` (None or no integer: some row, not known)."""
        rows = self._rows
        if rows is not None:
            if isinstance(rowid, int):
                rows.add(rowid)
            else:
                self._rows = self._tx._written[self._table] = None

    def __enter__(self) -> Callable[[object], None]:
        tx = self._tx
        tx._active += 1
        self._checked = any(tx._suspended)
        if self._checked:
            tx._run(f'SAVEPOINT "{_CHECK}"', None)
        return self.changed

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        tx = self._tx
        tx._active -= 1
        if not self._checked:
            return
        try:
            if kind is None and tx._conflict(self._table):
                raise errors.ora(60)
        except BaseException:
            self._undo()
            raise
        if kind is None:
            tx._run(f'RELEASE "{_CHECK}"', None)
        else:
            self._undo()

    def _undo(self) -> None:
        tx = self._tx
        if tx._conn.in_transaction:  # an interrupt may have ended sqlite's transaction
            tx._run(f'ROLLBACK TO "{_CHECK}"', None)
            tx._run(f'RELEASE "{_CHECK}"', None)


def _diff(older: Image, newer: Image) -> Changes:
    """The changes that turn ``older`` into ``newer``, row by row."""
    return {r: (r in older, newer.get(r)) for r in older.keys() | newer.keys() if older.get(r) != newer.get(r)}
