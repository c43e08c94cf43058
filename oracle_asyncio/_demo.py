"""The main job: an embedded server and many concurrent asyncio sessions
driving ``ClientConnection`` over streams (the pool driver replaces this loop
when it lands)."""

from __future__ import annotations

import asyncio
import base64
import os
import time

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import (
    NEED_DATA,
    CallCompleted,
    ClientEvent,
    ConnectionClosed,
    LoggedOn,
    RowsReceived,
    ServerErrorReceived,
)
from oracle_sansio.crypto import Secret
from oracle_sansio.dsn import parse_dsn
from oracle_sansio.params import ClientParams
from oracle_sansio.ttc.messages.execute import ExecuteRequest

from .testing import EmbeddedServer

_ENDS = (LoggedOn, CallCompleted, ServerErrorReceived, ConnectionClosed)


class _Session:
    """One connection: the sans-I/O machine plus a stream pair."""

    def __init__(self, conn: ClientConnection, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.conn, self.reader, self.writer = conn, reader, writer

    @classmethod
    async def open(cls, dsn: str, user: str, password: str) -> _Session:
        target = parse_dsn(dsn)
        params = ClientParams(user=user, password=Secret(password), target=target,
                              connection_id=base64.b64encode(os.urandom(16)).decode())
        reader, writer = await asyncio.open_connection(target.addresses[0].host, target.addresses[0].port)
        session = cls(ClientConnection(params, entropy=os.urandom), reader, writer)
        session.conn.start()
        last = (await session._run())[-1]
        if not isinstance(last, LoggedOn):
            raise ConnectionError(f"logon failed: {last}")
        return session

    async def _run(self) -> list[ClientEvent]:
        events: list[ClientEvent] = []
        while True:
            out = self.conn.data_to_send()
            if out:
                self.writer.write(out)
            event = self.conn.next_event()
            if event is NEED_DATA:
                out = self.conn.data_to_send()
                if out:
                    self.writer.write(out)
                self.conn.receive_data(await self.reader.read(65536))
                continue
            events.append(event)
            if isinstance(event, _ENDS):
                self.writer.write(self.conn.data_to_send())
                return events

    async def query(self, sql: str) -> list[tuple[object, ...]]:
        self.conn.execute(ExecuteRequest.for_query(sql, prefetch_rows=100))
        rows: list[tuple[object, ...]] = []
        while True:
            events = await self._run()
            rows += [r for e in events if isinstance(e, RowsReceived) for r in e.rows]
            last = events[-1]
            if isinstance(last, ServerErrorReceived):
                raise RuntimeError(last.message)
            if not isinstance(last, CallCompleted) or not last.more_rows:
                return rows
            self.conn.fetch(last.cursor_id, 100)

    async def close(self) -> None:
        self.conn.logoff()
        await self._run()
        self.writer.close()


async def run_demo(*, dsn: str | None, user: str, password: str, sessions: int = 8, tasks: int = 400) -> None:
    """Open ``sessions`` connections and run ``tasks`` queries over them concurrently."""
    server = None
    if dsn is None:
        server = EmbeddedServer(users={user: password})
        await server.start()
        dsn = server.dsn
        print(f"embedded server listening at {dsn}")
    started = time.perf_counter()
    pool = [await _Session.open(dsn, user, password) for _ in range(sessions)]
    print(f"{sessions} sessions logged on in {time.perf_counter() - started:.2f} s")
    free: asyncio.Queue[_Session] = asyncio.Queue()
    for s in pool:
        free.put_nowait(s)
    done = 0
    rows = 0
    t0 = time.perf_counter()

    async def work(i: int) -> None:
        nonlocal done, rows
        session = await free.get()
        try:
            got = await session.query(f"select level, level * {i} from dual connect by level <= {1 + i % 50}")
            # (not ``rows += len(await ...)``: that reads ``rows`` before awaiting)
            rows += len(got)
        finally:
            free.put_nowait(session)
        done += 1
        if done % 100 == 0 or done == tasks:
            print(f"  {done}/{tasks} queries, {rows} rows", flush=True)

    await asyncio.gather(*(work(i) for i in range(tasks)))
    elapsed = time.perf_counter() - t0
    print(f"{tasks} queries over {sessions} sessions in {elapsed:.2f} s ({tasks / elapsed:.0f} queries/s)")
    for s in pool:
        await s.close()
    if server is not None:
        await server.stop()
