"""examples/threaded_pool.py: PoolMachine behind one lock and one condition, driven by
threads on blocking sockets, against an embedded server (one per module)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from examples.threaded_pool import PooledSession, ThreadedPool, main
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.exceptions import DatabaseError, Error
from oracle_sansio.pool import PoolGetMode


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(users={"scott": "tiger"}).threaded() as running:
        yield running


@pytest.fixture
def make_pool(server: EmbeddedServer) -> Iterator[Callable[..., ThreadedPool]]:
    """Pools made by a test are force-closed after it, whatever it left behind."""
    pools: list[ThreadedPool] = []

    def make(**settings: Any) -> ThreadedPool:
        pools.append(ThreadedPool(server.dsn, "scott", "tiger", **settings))
        return pools[-1]
    yield make
    for pool in pools:
        try:
            pool.close(force=True)
        except Error:
            pass  # closed by the test already (DPY-1002)


def eventually(check: Callable[[], bool], seconds: float = 5.0) -> None:
    """Poll ``check`` (bounded): background logons and closes report back on their own."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.005)


def settled(pool: ThreadedPool, maximum: int) -> bool:
    """Nothing checked out and no more sessions than ``maximum``: no slot lost, none extra."""
    return pool.busy == 0 and pool.opened <= maximum


def sid_of(session: PooledSession) -> int:
    return int(str(session.query("select sys_context('userenv', 'sid') from dual")[1][0][0]))


def test_eight_threads_share_a_pool_of_three(make_pool: Callable[..., ThreadedPool]) -> None:
    pool = make_pool(min=1, max=3)
    right = [0] * 8
    most_open = [0]

    def worker(n: int) -> None:
        for i in range(25):
            with pool.acquire() as session:
                value = n * 1000 + i
                right[n] += session.query(f"select {value} from dual")[1] == [(value,)]
                most_open[0] = max(most_open[0], pool.opened)
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
        assert not thread.is_alive()
    assert right == [25] * 8
    assert most_open[0] <= 3 and settled(pool, 3)
    pool.close()


@pytest.mark.parametrize("timed_wait", [False, True], ids=["acquire_timeout", "getmode_timedwait"])
def test_a_timed_out_acquire_raises_dpy_4005_and_loses_no_slot(
        make_pool: Callable[..., ThreadedPool], timed_wait: bool) -> None:
    settings: dict[str, Any] = {"getmode": PoolGetMode.TIMEDWAIT, "wait_timeout": 50} if timed_wait else {}
    pool = make_pool(min=2, max=2, **settings)
    # Both logons done first: the 50 ms TIMEDWAIT budget is for the timed acquire below, not
    # for logons a loaded machine may take longer over.
    eventually(lambda: pool.opened == 2)
    held = [pool.acquire(), pool.acquire()]
    started = time.monotonic()
    with pytest.raises(Error, match="DPY-4005"):
        pool.acquire(timeout=None if timed_wait else 0.05)
    assert 0.04 < time.monotonic() - started < 5  # the machine's timer (or the caller) ended it
    assert pool.statistics.timeouts == 1  # counted either way
    for session in held:
        pool.release(session)
    again = [pool.acquire(timeout=2), pool.acquire(timeout=2)]
    assert pool.busy == 2
    for session in again:
        session.close()  # a pooled session's close() gives it back
    assert settled(pool, 2)


def test_acquires_given_up_while_a_release_hands_over_lose_no_slot(
        make_pool: Callable[..., ThreadedPool]) -> None:
    pool = make_pool(min=1, max=1)
    outcomes: list[str] = []
    for i in range(40):
        holder = pool.acquire()
        wait = 0.002 + (i % 4) * 0.001

        def contender() -> None:
            try:
                pool.acquire(timeout=wait).close()
                outcomes.append("served")
            except Error:
                outcomes.append("gave up")
        thread = threading.Thread(target=contender)
        thread.start()
        time.sleep(wait * (0.5 + (i % 5) * 0.25))  # around the contender's deadline
        pool.release(holder)
        thread.join(5)
        assert not thread.is_alive()
    assert len(outcomes) == 40
    assert settled(pool, 1)
    with pool.acquire(timeout=2) as session:  # the one slot is still there
        assert session.query("select 1 from dual")[1] == [(1,)]


def test_a_session_handed_over_just_after_its_caller_gave_up_goes_back(
        make_pool: Callable[..., ThreadedPool], monkeypatch: pytest.MonkeyPatch) -> None:
    """The race made certain: the release runs after the caller stopped waiting and before
    it took its request back, so the machine hands the session to a caller who has left."""
    pool = make_pool(min=1, max=1)
    holder = pool.acquire()
    real_step = pool._step
    steps: list[str] = []
    busy_after_release: list[int] = []

    def step(feed: Callable[[float], list[Any]]) -> None:
        if threading.current_thread().name == "contender":
            steps.append("step")
            if len(steps) == 2:  # its first step asked, this one takes the request back
                pool.release(holder)
                busy_after_release.append(pool.busy)
        real_step(feed)
    monkeypatch.setattr(pool, "_step", step)
    errors: list[Error] = []

    def contender() -> None:
        try:
            pool.acquire(timeout=0.02)
        except Error as exc:
            errors.append(exc)
    thread = threading.Thread(target=contender, name="contender")
    thread.start()
    thread.join(5)
    assert not thread.is_alive() and len(steps) == 3  # ask, release, take back
    assert [e.full_code for e in errors] == ["DPY-4005"]
    assert busy_after_release == [0]  # the hand-over to nobody went back at once
    assert settled(pool, 1)
    with pool.acquire(timeout=1) as again:
        assert again is holder  # the same session, back in the pool: no slot lost


def test_drop_closes_the_session_and_refills_to_min(make_pool: Callable[..., ThreadedPool]) -> None:
    pool = make_pool(min=2, max=3)
    eventually(lambda: pool.opened == 2)
    session = pool.acquire()
    pool.drop(session)
    with pytest.raises(Error, match="DPY-1001"):
        pool.release(session)  # no longer the caller's
    eventually(lambda: pool.opened == 2 and session.sock.fileno() == -1)
    assert settled(pool, 2)


def test_close_with_busy_sessions_needs_force_then_acquire_fails_dpy_1002(
        make_pool: Callable[..., ThreadedPool]) -> None:
    pool = make_pool(min=1, max=2)
    session = pool.acquire()
    with pytest.raises(Error, match="DPY-1005"):
        pool.close()
    pool.close(force=True)  # cuts the busy session
    with pytest.raises(OSError):
        session.query("select 1 from dual")
    with pytest.raises(Error, match="DPY-1002"):
        pool.acquire()
    with pytest.raises(Error, match="DPY-1002"):
        pool.close()


def test_a_plain_close_logs_every_idle_session_off(server: EmbeddedServer,
                                                    make_pool: Callable[..., ThreadedPool]) -> None:
    pool = make_pool(min=2, max=2)
    eventually(lambda: pool.opened == 2)
    with pool.acquire() as session:
        sid = sid_of(session)
    pool.close()
    assert pool.opened == 0
    eventually(lambda: sid not in {record.sid for record in server.sessions})


@pytest.mark.parametrize("ping_interval", [60, 0], ids=["check_on_reuse", "ping"])
def test_a_session_whose_socket_was_cut_while_idle_is_replaced(
        server: EmbeddedServer, make_pool: Callable[..., ThreadedPool], ping_interval: int) -> None:
    pool = make_pool(min=1, max=1, ping_interval=ping_interval)
    with pool.acquire() as session:
        sid = sid_of(session)
    assert server.kill_session(sid, immediate=True)
    eventually(lambda: not session.healthy)  # the server's close has reached this socket
    with pool.acquire(timeout=5) as fresh:  # no error: the dead one is replaced on the way
        assert fresh is not session and sid_of(fresh) != sid
    assert settled(pool, 1)


def test_a_session_killed_while_held_is_replaced_after_its_release(
        server: EmbeddedServer, make_pool: Callable[..., ThreadedPool]) -> None:
    pool = make_pool(min=1, max=1)
    with pool.acquire() as session:
        assert server.kill_session(sid_of(session))
        with pytest.raises(RuntimeError, match="ORA-00028"):
            session.query("select 1 from dual")
    with pool.acquire(timeout=5) as fresh:
        assert fresh is not session and fresh.query("select 2 from dual")[1] == [(2,)]
    assert settled(pool, 1)


def test_a_release_rolls_back_an_open_transaction(make_pool: Callable[..., ThreadedPool]) -> None:
    pool = make_pool(min=1, max=1)
    with pool.acquire() as session:
        session.execute("create table pool_rows (n number)", ddl=True)
        assert session.execute("insert into pool_rows values (1)") == 1
        session.commit()
        assert not session.in_transaction
        session.execute("insert into pool_rows values (2)")
        assert session.in_transaction
    with pool.acquire(timeout=5) as again:  # the same session, after the pool's rollback
        assert again is session and again.query("select count(*) from pool_rows")[1] == [(1,)]


def test_a_wrong_password_fails_the_caller_with_the_logon_error(server: EmbeddedServer) -> None:
    pool = ThreadedPool(server.dsn, "scott", "wrong", min=1, max=2)
    try:
        with pytest.raises(DatabaseError, match="ORA-01017"):
            pool.acquire(timeout=5)
    finally:
        pool.close(force=True)


def test_a_logon_that_ends_after_the_pool_gave_up_on_it_is_logged_off(
        make_pool: Callable[..., ThreadedPool], monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine gives up on a slow logon (``open_give_up``) and replaces it; when the
    logon ends anyway, the driver reports it and closes the session the answer names."""
    late: list[PooledSession] = []
    logon = PooledSession.__init__

    def slow_first(session: PooledSession, *args: Any) -> None:
        logon(session, *args)
        if not late:
            late.append(session)
            time.sleep(0.3)
    monkeypatch.setattr(PooledSession, "__init__", slow_first)
    pool = make_pool(min=1, max=1, open_give_up=0.1)
    eventually(lambda: bool(late) and late[0].sock.fileno() == -1 and pool.opened == 1)
    with pool.acquire(timeout=5) as session:
        assert session is not late[0] and session.query("select 1 from dual")[1] == [(1,)]
    assert pool.statistics.connections_opened == 1 and pool.statistics.connections_closed == 0


def test_main_runs_threads_of_queries_on_an_embedded_server(capsys: pytest.CaptureFixture[str]) -> None:
    main([])
    assert re.search(r"8 threads, 200 queries: 200 right; pool opened [123], busy 0", capsys.readouterr().out)


def test_the_password_is_in_no_repr(server: EmbeddedServer) -> None:
    pool = ThreadedPool(server.dsn, "scott", "tiger", min=1, max=1)
    try:
        with pool.acquire() as session:
            assert "tiger" not in repr(vars(pool)) and "tiger" not in repr(vars(session))
    finally:
        pool.close(force=True)
