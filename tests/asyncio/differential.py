"""Differential harness: one pool scenario, run against python-oracledb's
``create_pool_async`` ("theirs", the reference) and ``oracle_asyncio``'s ("ours"),
each against its own EmbeddedServer, then the two traces are compared.

A scenario is ``async def scenario(side: Side) -> None``.  It drives the pool
through ``side`` and records what a caller can observe, one row per step:
query results, ``(busy, opened)``, attribute values (with their type, so
``300`` and ``300.0`` differ), and failures as ``Failure(class, full_code)``.
Step labels are unique within a scenario; the comparison is row by row, and a
``Deliberate(theirs, ours, reason)`` entry for a step replaces equality by
"theirs is exactly X and ours is exactly Y".  A failing comparison prints both
traces side by side.

Timing: python-oracledb reads the real clock, so waits here are real but
bounded (every await has a limit; polls stop at a deadline).
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import oracledb

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer

__all__ = [
    "THEIRS", "OURS", "Failure", "HUNG", "Typed", "Deliberate", "Side", "Scenario",
    "failure", "run_differential", "compare", "render", "ours_accepts",
]

THEIRS: Final = "theirs"
OURS: Final = "ours"
#: Default bound on any single await a scenario makes (seconds).
LIMIT: Final = 3.0

T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    """An exception a caller saw: class name, ``full_code`` (DPY-/ORA-, None for
    Python exceptions) and, for ``acquire``, whether it was raised by the call
    itself (``at="call"``) or only when awaited (``at=""``)."""

    cls: str
    code: str | None = None
    at: str = ""

    def __repr__(self) -> str:
        text = f"!{self.cls}" + (f" {self.code}" if self.code else "")
        return text + (f" (at {self.at})" if self.at else "")


#: What a bounded await that ran out of time records.
HUNG: Final = Failure("Hung")


@dataclass(frozen=True)
class Typed:
    """An attribute value with its type name (``int`` 0 is not ``float`` 0.0)."""

    type: str
    value: object

    def __repr__(self) -> str:
        return f"{self.value!r}:{self.type}"


@dataclass(frozen=True)
class Deliberate:
    """A step where ours deliberately differs from python-oracledb (docs/pool.md 1.19b,
    the deviations at the top of oracle_sansio/pool/machine.py)."""

    theirs: object
    ours: object
    reason: str


def failure(exc: BaseException, at: str = "") -> Failure:
    """Normalise an exception from either library."""
    info = exc.args[0] if exc.args else None
    code = getattr(info, "full_code", None)
    return Failure(type(exc).__name__, code if isinstance(code, str) and code else None, at)


def ours_accepts(param: str) -> bool:
    """Does ``oracle_asyncio.create_pool_async`` take ``param`` (yet)?  Named in
    its signature, or, behind ``**kwargs``, a ``PoolParams`` attribute."""
    params = inspect.signature(oracle_asyncio.create_pool_async).parameters
    if param in params:
        return True
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return False
    pool_params = getattr(oracle_asyncio, "PoolParams", None)
    return pool_params is None or hasattr(pool_params, param)


async def _wait(awaitable: Awaitable[T]) -> T:
    return await awaitable


class Side:
    """One library against one server: pool factory, recorder, helpers."""

    def __init__(self, name: str, module: Any, server: EmbeddedServer) -> None:
        self.name = name
        self.lib: Any = module
        self.server = server
        self.rows: list[tuple[str, object]] = []
        self.pools: list[Any] = []

    # ------------------------------------------------------------ library

    def const(self, name: str) -> Any:
        """``POOL_GETMODE_*`` and friends from this side's module."""
        return getattr(self.lib, name)

    def create_pool(self, **kwargs: Any) -> Any:
        """``create_pool_async(user="scott", password="tiger", dsn=server.dsn, **kwargs)``;
        the pool is force-closed when the scenario ends."""
        params: dict[str, Any] = {"user": "scott", "password": "tiger", "dsn": self.server.dsn}
        params.update(kwargs)
        pool = self.lib.create_pool_async(**params)
        self.pools.append(pool)
        return pool

    # ----------------------------------------------------------- recording

    def note(self, step: str, value: object) -> None:
        """Record ``value`` for ``step`` (labels are unique per scenario)."""
        if any(label == step for label, _ in self.rows):
            raise ValueError(f"duplicate step label {step!r}")
        self.rows.append((step, value))

    def attr(self, step: str, fn: Callable[[], object]) -> object:
        """A synchronous read or write: records ``Typed(value)`` or the failure."""
        try:
            value = fn()
        except Exception as exc:  # noqa: BLE001 - the failure is the observation
            self.note(step, failure(exc))
            return None
        self.note(step, Typed(type(value).__name__, value))
        return value

    def get(self, step: str, obj: object, name: str) -> object:
        """``obj.name``: records ``Typed(value)`` or the failure."""
        return self.attr(step, lambda: getattr(obj, name))

    def set(self, step: str, obj: object, name: str, value: object) -> None:
        """``obj.name = value``: records ``"ok"`` or the failure."""
        try:
            setattr(obj, name, value)
        except Exception as exc:  # noqa: BLE001
            self.note(step, failure(exc))
            return
        self.note(step, "ok")

    async def call(self, step: str, awaitable: Awaitable[T], *, show: Callable[[T], object] | None = None,
                   limit: float = LIMIT) -> T | None:
        """Await (bounded); record ``show(result)`` (default: the result), the
        failure, or ``HUNG``.  Returns the result or None."""
        try:
            result = await asyncio.wait_for(_wait(awaitable), limit)
        except asyncio.TimeoutError:
            self.note(step, HUNG)
            return None
        except asyncio.CancelledError as exc:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # we are being cancelled, not the awaited task
            self.note(step, failure(exc))
            return None
        except Exception as exc:  # noqa: BLE001
            self.note(step, failure(exc))
            return None
        self.note(step, show(result) if show is not None else result)
        return result

    async def invoke(self, step: str, start: Callable[[], Awaitable[T]], *, show: Callable[[T], object] | None = None,
                     limit: float = LIMIT) -> T | None:
        """``await start()`` where ``start()`` itself may raise before any await
        (python-oracledb's ``pool.acquire()``, ``connect_async(pool_alias=...)``):
        such a failure is recorded ``at="call"``; otherwise as :meth:`call`."""
        try:
            pending = start()
        except Exception as exc:  # noqa: BLE001
            self.note(step, failure(exc, at="call"))
            return None
        return await self.call(step, pending, show=show, limit=limit)

    async def acquire(self, step: str, pool: Any, *, limit: float = LIMIT, **kwargs: Any) -> Any:
        """``await pool.acquire(**kwargs)``: records ``"ok"`` or the failure (``at="call"``
        when ``pool.acquire()`` raised before any await)."""
        return await self.invoke(step, lambda: pool.acquire(**kwargs), show=lambda _: "ok", limit=limit)

    async def query(self, step: str, conn: Any, sql: str) -> object:
        """``await conn.fetchone(sql)``, recorded as a tuple (or the failure)."""
        return await self.call(step, conn.fetchone(sql), show=lambda row: None if row is None else tuple(row))

    def counts_now(self, pool: Any) -> object:
        """``(pool.busy, pool.opened)`` at once (or the failure reading them)."""
        try:
            return (int(pool.busy), int(pool.opened))
        except Exception as exc:  # noqa: BLE001
            return failure(exc)

    def _quiet_key(self, pool: Any) -> object:
        links = len(getattr(self.server, "_links", ()))
        return (self.counts_now(pool), links, len(self.server.sessions))

    async def settle(self, pool: Any, *, window: float = 0.06, limit: float = 3.0) -> object:
        """Wait until background work is over: ``(busy, opened)`` and the
        server's sockets and sessions unchanged for ``window`` seconds and every
        socket logged on (bounded by ``limit``); return ``(busy, opened)``.

        Quiet is also counted in turns of the loop (one per 10 ms poll): on a loaded
        machine the process may be descheduled for the whole window, and time that
        passed while no task ran (so no next logon could start) proves nothing."""
        polls = max(1, round(window / 0.01))
        deadline = time.monotonic() + limit
        key = self._quiet_key(pool)
        since, quiet = time.monotonic(), 0
        while time.monotonic() < deadline:
            await asyncio.sleep(0.01)
            now_key = self._quiet_key(pool)
            if now_key != key:
                key, since, quiet = now_key, time.monotonic(), 0
                continue
            quiet += 1
            if quiet >= polls and time.monotonic() - since >= window and len(
                    getattr(self.server, "_links", ())) == len(self.server.sessions):
                break
        return self.counts_now(pool)

    async def counts(self, step: str, pool: Any, *, settle: bool = True) -> object:
        """Record ``(busy, opened)``, after :meth:`settle` unless ``settle=False``."""
        value = await self.settle(pool) if settle else self.counts_now(pool)
        self.note(step, value)
        return value

    async def poll(self, step: str, predicate: Callable[[], bool], *, limit: float) -> bool:
        """Record whether ``predicate()`` became true within ``limit`` seconds."""
        deadline = time.monotonic() + limit
        while True:
            try:
                ok = predicate()
            except Exception:  # noqa: BLE001 - e.g. a closed pool: not (yet) true
                ok = False
            if ok or time.monotonic() >= deadline:
                self.note(step, ok)
                return ok
            await asyncio.sleep(0.02)

    @staticmethod
    def session(conn: Any) -> tuple[int, int] | None:
        """``(session_id, serial_num)`` of a connection (None if unreadable)."""
        try:
            return (int(conn.session_id), int(conn.serial_num))
        except Exception:  # noqa: BLE001
            return None

    async def cleanup(self) -> None:
        for pool in self.pools:
            try:
                await asyncio.wait_for(pool.close(force=True), 3)
            except Exception:  # noqa: BLE001 - already closed, or broken by the scenario
                pass


Scenario = Callable[[Side], Awaitable[None]]
Row = tuple[str, object]


async def _run_side(name: str, module: Any, scenario: Scenario, server_kwargs: Mapping[str, Any]) -> list[Row]:
    async with EmbeddedServer(**server_kwargs) as server:
        side = Side(name, module, server)
        try:
            await scenario(side)
        except Exception as exc:  # noqa: BLE001 - recorded, so the diff shows where it stopped
            side.rows.append(("<scenario raised>", failure(exc)))
        finally:
            await side.cleanup()
        return side.rows


def compare(theirs: list[Row], ours: list[Row], deliberate: Mapping[str, Deliberate]) -> list[str]:
    """Problems, as text: a step present on one side only, values that differ
    (outside ``deliberate``), a deliberate step whose values are not the ones
    documented, and a deliberate entry whose step never ran."""
    problems: list[str] = []
    ours_by_step = dict(ours)
    theirs_by_step = dict(theirs)
    for step, value in theirs:
        if step not in ours_by_step:
            problems.append(f"{step}: ours has no such step")
            continue
        mine = ours_by_step[step]
        expected = deliberate.get(step)
        if expected is None:
            if value != mine:
                problems.append(f"{step}: theirs {value!r} != ours {mine!r}")
        elif (value, mine) != (expected.theirs, expected.ours):
            problems.append(f"{step}: deliberate ({expected.theirs!r}, {expected.ours!r}) but got "
                            f"({value!r}, {mine!r})")
    problems += [f"{step}: theirs has no such step" for step, _ in ours if step not in theirs_by_step]
    problems += [f"{step}: DELIBERATE entry for a step that did not run" for step in deliberate
                 if step not in theirs_by_step and step not in ours_by_step]
    return problems


def render(name: str, theirs: list[Row], ours: list[Row], deliberate: Mapping[str, Deliberate]) -> str:
    """Both traces side by side: ``!`` marks a disagreement, ``D`` a deliberate step."""
    steps = [s for s, _ in theirs] + [s for s, _ in ours if s not in dict(theirs)]
    t, o = dict(theirs), dict(ours)
    width = max([len(s) for s in steps] + [4])
    lines = [f"scenario {name!r}: theirs = python-oracledb {oracledb.__version__}, ours = oracle_asyncio",
             f"   {'step':<{width}}  {'theirs':<28}  ours"]
    for step in steps:
        a = repr(t[step]) if step in t else "-"
        b = repr(o[step]) if step in o else "-"
        d = deliberate.get(step)
        if d is not None:
            mark = "D" if (t.get(step), o.get(step)) == (d.theirs, d.ours) else "!"
        else:
            mark = " " if step in t and step in o and t[step] == o[step] else "!"
        lines.append(f" {mark} {step:<{width}}  {a:<28}  {b}")
    return "\n".join(lines)


def run_differential(name: str, scenario: Scenario, *, deliberate: Mapping[str, Deliberate] | None = None,
                     expect: Mapping[str, object] | None = None, server_kwargs: Mapping[str, Any] | None = None,
                     limit: float = 20.0) -> tuple[list[Row], list[Row]]:
    """Run ``scenario`` against both libraries (concurrently, one server each)
    and raise ``AssertionError`` with both traces unless they agree.

    ``expect`` pins python-oracledb's own value for some steps (the reference
    claims of docs/pool.md), so a scenario that silently observes nothing fails."""
    deliberate = deliberate or {}
    server_kwargs = server_kwargs or {}

    async def both() -> tuple[list[Row], list[Row]]:
        a, b = await asyncio.gather(_run_side(THEIRS, oracledb, scenario, server_kwargs),
                                    _run_side(OURS, oracle_asyncio, scenario, server_kwargs))
        return a, b

    theirs, ours = asyncio.run(asyncio.wait_for(both(), limit))
    table = render(name, theirs, ours, deliberate)
    reference = dict(theirs)
    broken = [f"{step}: python-oracledb gave {reference.get(step, '-')!r}, the scenario expects {value!r}"
              for step, value in (expect or {}).items() if reference.get(step, "-") != value]
    if "<scenario raised>" in reference:
        broken.append("the scenario itself raised against python-oracledb")
    if broken:
        raise AssertionError("scenario does not hold against python-oracledb:\n  " + "\n  ".join(broken)
                             + "\n" + table)
    problems = compare(theirs, ours, deliberate)
    if problems:
        raise AssertionError("ours disagrees with python-oracledb:\n  " + "\n  ".join(problems) + "\n" + table)
    return theirs, ours

