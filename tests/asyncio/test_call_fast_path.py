"""The per-call path (issue 14): one future per call, no shield without a call
timeout, no lock while nobody waits, and cancellation still ends the call cleanly."""

from __future__ import annotations

import asyncio
import itertools
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import oracle_asyncio
import oracle_asyncio.cursor as cursor_module
from oracle_asyncio._session import CallGate, Session, session_of
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.ttc.messages.execute import ReexecuteRequest
from oracle_asyncio.exceptions import Error


def run(body: Callable[[EmbeddedServer], Awaitable[None]]) -> None:
    async def main() -> None:
        async with EmbeddedServer() as server:
            await body(server)

    asyncio.run(asyncio.wait_for(main(), 60))


async def _connect(server: EmbeddedServer) -> oracle_asyncio.AsyncConnection:
    return await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)


def test_a_call_without_timeout_makes_one_future_and_no_shield(monkeypatch: pytest.MonkeyPatch) -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        cur = conn.cursor()
        await cur.execute("select 1 from dual")  # the statement is cached from here on
        await cur.fetchone()
        loop = asyncio.get_running_loop()
        made = [0]
        shields = [0]
        create_future = loop.create_future
        shield = asyncio.shield

        def counting_future() -> asyncio.Future[Any]:
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if caller.startswith("oracle_asyncio.") and not caller.startswith("oracle_asyncio.testing"):
                made[0] += 1  # the embedded server runs on the same loop: its futures are not counted
            return create_future()

        def counting_shield(arg: Any) -> Any:
            shields[0] += 1
            return shield(arg)

        monkeypatch.setattr(loop, "create_future", counting_future)
        monkeypatch.setattr(asyncio, "shield", counting_shield)
        for _ in range(20):
            await cur.execute("select 1 from dual")
            assert await cur.fetchone() == (1,)
        monkeypatch.undo()
        assert shields[0] == 0
        assert made[0] == 20  # one per call: no lock's, no shield's
        await conn.close()

    run(body)


def test_a_reply_read_after_the_caller_was_cancelled_leaves_no_call_behind() -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        transport = session_of(conn).transport
        task = asyncio.ensure_future(conn.fetchone("select 5 from dual"))
        received = transport.data_received

        def cancel_then_receive(data: bytes) -> None:
            # The caller is cancelled and the reply read before the task resumes: the
            # call is over, so nothing may wait for (or break) it afterwards.
            task.cancel()
            received(data)

        transport.data_received = cancel_then_receive  # type: ignore[method-assign]
        with pytest.raises(asyncio.CancelledError):
            await task
        transport.data_received = received  # type: ignore[method-assign]
        assert await asyncio.wait_for(conn.fetchone("select 7 from dual"), 5) == (7,)
        await conn.close()

    run(body)


def test_calls_on_one_connection_from_several_tasks_take_turns() -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        results = await asyncio.gather(*(conn.fetchone(f"select {i} from dual") for i in range(6)))
        assert results == [(i,) for i in range(6)]
        await conn.close()

    run(body)


def test_gate_is_first_come_first_served_and_a_cancelled_waiter_passes_its_turn() -> None:
    async def main() -> None:
        gate = CallGate()
        assert gate.free
        await gate.take()
        assert not gate.free
        order: list[str] = []

        async def wait(name: str) -> None:
            await gate.take()
            order.append(name)
            gate.release()

        tasks = {name: asyncio.ensure_future(wait(name)) for name in "abc"}
        await asyncio.sleep(0)
        tasks["b"].cancel()
        gate.release()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
        assert order == ["a", "c"] and gate.free
        # A waiter cancelled after it was woken hands the gate on.
        await gate.take()
        first, second = asyncio.ensure_future(wait("d")), asyncio.ensure_future(wait("e"))
        await asyncio.sleep(0)
        gate.release()
        first.cancel()
        await asyncio.gather(first, second, return_exceptions=True)
        assert order == ["a", "c", "e"] and gate.free

    asyncio.run(asyncio.wait_for(main(), 10))


def test_a_cached_query_reuses_its_request_until_prefetchrows_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        cur = conn.cursor()
        await cur.execute("select 1 from dual")
        await cur.execute("select 1 from dual")  # the first re-execute makes the request
        made = [0]
        original = ReexecuteRequest.for_query.__func__  # type: ignore[attr-defined]

        def counting(cls: type[ReexecuteRequest], *args: Any, **kwargs: Any) -> ReexecuteRequest:
            made[0] += 1
            request: ReexecuteRequest = original(cls, *args, **kwargs)
            return request

        monkeypatch.setattr(ReexecuteRequest, "for_query", classmethod(counting))
        for _ in range(5):
            await cur.execute("select 1 from dual")
            assert await cur.fetchall() == [(1,)]
        assert made[0] == 0
        cur.prefetchrows = 7
        for _ in range(2):
            await cur.execute("select 1 from dual")
            assert await cur.fetchall() == [(1,)]
        assert made[0] == 1
        await conn.close()

    run(body)


def test_a_statement_without_binds_or_parameters_plans_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        cur = conn.cursor()
        planned = [0]
        plan_binds = getattr(cursor_module, "plan_binds")  # noqa: B009 - the name the cursor calls

        def counting(*args: Any, **kwargs: Any) -> Any:
            planned[0] += 1
            return plan_binds(*args, **kwargs)

        monkeypatch.setattr(cursor_module, "plan_binds", counting)
        for _ in range(3):
            await cur.execute("select 1 from dual")
            assert await cur.fetchone() == (1,) and cur.bindvars == []
        assert planned[0] == 0
        await cur.execute("select :1 from dual", [4])  # binds still take the planner
        assert await cur.fetchone() == (4,) and planned[0] == 1
        await cur.execute("select 2 from dual", [])  # so do parameters, even empty ones
        assert await cur.fetchone() == (2,) and planned[0] == 2
        await conn.close()

    run(body)


def test_tasks_executing_the_same_cached_sql_each_get_all_their_rows() -> None:
    """Two tasks run one cached statement on one connection: the second chose to
    re-execute the cached server cursor while the first waited for its reply, so
    the first's rows were cut short (found in review; python-oracledb: all rows)."""
    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        cur = conn.cursor()
        await cur.execute("create table t (a number)")
        await cur.executemany("insert into t values (:1)", [(i,) for i in range(300)])
        sql = "select a from t where a >= :x order by a"

        async def query(start: int) -> int:
            c = conn.cursor()
            c.arraysize = 50
            await c.execute(sql, x=start)
            rows = await c.fetchall()
            c.close()
            return len(rows)

        assert await query(0) == 300  # the statement is cached from here on
        for _ in range(3):
            assert list(await asyncio.gather(query(0), query(100))) == [300, 200]
        await conn.close()

    run(body)


def test_async_for_takes_a_buffered_row_in_two_python_calls_and_keeps_its_errors() -> None:
    """``async for`` per buffered row: ``__anext__`` and the result set's index read; the
    cursor's and the session's own checks run only when one fails (issue 14)."""
    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        cur = conn.cursor()
        cur.arraysize = cur.prefetchrows = 100  # the execute's reply brings every row
        await cur.execute("select level from dual connect by level <= 60")
        it = cur.__aiter__()
        assert await it.__anext__() == (1,)  # the batch is buffered from here on
        calls: list[str] = []

        def tracer(frame: Any, event: str, arg: Any) -> None:
            if event == "call" and frame.f_globals.get("__name__", "").startswith("oracle_asyncio"):
                calls.append(frame.f_code.co_name)

        sys.setprofile(tracer)
        try:
            rows = [await it.__anext__() for _ in range(50)]
        finally:
            sys.setprofile(None)
        assert rows == [(n,) for n in range(2, 52)]
        assert len(calls) == 2 * 50, sorted(set(calls))
        # The same errors as fetchone: a closed cursor, then a closed connection.
        other = conn.cursor()
        await other.execute("select level from dual connect by level <= 5")
        await other.fetchone()
        cur.close()
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1006"):
            await it.__anext__()
        await conn.close()
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1001"):
            await other.__anext__()

    run(body)


def test_async_for_on_a_cursor_without_a_query_raises_dpy_1003() -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        cur = conn.cursor()
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1003"):
            await cur.__anext__()
        await conn.close()

    run(body)


def test_execute_makes_no_fetch_info_until_description_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """cursor.description is built when read (a new list each time, as python-oracledb's),
    not on every execute of a query (issue 14)."""
    import oracle_asyncio._fetch as fetch_module
    import oracle_asyncio._results as results_module

    made = [0]
    real = fetch_module.FetchInfo

    def counting(column: Any) -> Any:
        made[0] += 1
        return real(column)

    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        cur = conn.cursor()
        monkeypatch.setattr(results_module, "FetchInfo", counting)
        for _ in range(10):
            await cur.execute("select 1 as a, 'x' as b from dual")
            assert await cur.fetchone() == (1, "x")
        assert made[0] == 0
        first = cur.description
        assert made[0] == 2 and first is not None and [d.name for d in first] == ["A", "B"]
        assert cur.description == first and cur.description is not first
        await cur.execute("create table fi_t (x number)")
        assert cur.description is None
        await conn.close()

    run(body)


class _NoTransport:
    dead = None
    conn = None


@pytest.mark.parametrize("flags", list(itertools.product([False, True], repeat=4)))
def test_session_blocked_follows_its_four_flags_in_any_order_of_setting(flags: tuple[bool, ...]) -> None:
    """``blocked or released`` (what the per-row and per-call checks read) is true exactly
    when check_open raises, whichever flags are set and in whichever order (issue 14)."""
    names = ("closed", "released", "pool_closed", "user_closed")
    for order in itertools.permutations(range(4)):
        session = Session(_NoTransport())  # type: ignore[arg-type]  # check_open reads only ``dead``
        for i in order:
            setattr(session, names[i], flags[i])
        try:
            session.check_open()
            raised = False
        except Error:
            raised = True
        assert (session.blocked or session.released) is raised
        closed, released, pool_closed, user_closed = flags
        assert raised is ((pool_closed and not released and not user_closed) or closed or released)


def test_a_query_on_new_cursors_makes_no_fetch_variable_until_fetchvars_is_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A pooled query runs on a new cursor each time: its fetch variables are made when
    ``fetchvars`` is read, then kept while the columns stay the same (issue 14)."""
    import oracle_asyncio._results as results_module

    made = [0]
    real = cursor_module.Var

    def counting(*args: Any, **kwargs: Any) -> Any:
        made[0] += 1
        return real(*args, **kwargs)

    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        monkeypatch.setattr(results_module, "Var", counting)
        for _ in range(5):
            cur = conn.cursor()
            await cur.execute("select 1 as a, 'x' as b from dual")
            assert await cur.fetchone() == (1, "x")
        assert made[0] == 0
        cur.arraysize = 7  # the variables keep the arraysize of their execute
        first = cur.fetchvars
        assert made[0] == 2 and first is not None
        assert [(v.type.name, v.num_elements) for v in first] == [("DB_TYPE_NUMBER", 100), ("DB_TYPE_CHAR", 100)]
        await cur.execute("select 2 as a, 'y' as b from dual")  # the same columns: the same variables
        assert cur.fetchvars is first and made[0] == 2
        await cur.execute("select 3 as c from dual")
        again = cur.fetchvars
        assert again is not None and len(again) == 1 and made[0] == 3
        cur.prepare("select 1 from dual")
        assert cur.fetchvars is None
        await conn.close()

    run(body)


def test_a_used_cursor_is_freed_by_reference_counting_not_by_the_garbage_collector() -> None:
    """No cycle between a cursor and its result set: a pooled query's cursor goes when
    its last reference does, without waiting for (and feeding) the collector (issue 14)."""
    import gc
    import weakref

    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        cur = conn.cursor()
        await cur.execute("select level, 'x' from dual connect by level <= 5")
        assert await cur.fetchone() == (1, "x")
        assert cur.fetchvars is not None and cur.description is not None
        gone = weakref.ref(cur)
        gc.disable()
        try:
            del cur
            assert gone() is None
        finally:
            gc.enable()
        await conn.close()

    run(body)
