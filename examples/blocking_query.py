"""Log on and run a query over a plain blocking socket: no asyncio, no threads.

The whole driver is this loop around ``ClientConnection``: send what the
machine queued, read until it reports an event that ends the exchange, repeat.
The same shape embeds the protocol in trio, gevent or a selector loop.

    python -m examples.blocking_query --dsn 127.0.0.1:1521/FREEPDB1 \
        --user scott --password tiger --sql "select * from dual"
"""

from __future__ import annotations

import argparse
import base64
import os
import socket
import sys
from collections.abc import Callable

from oracle_sansio import (
    NEED_DATA,
    CallCompleted,
    ClientConnection,
    ClientEvent,
    ClientParams,
    ClientState,
    ConnectionClosed,
    Described,
    ExecuteRequest,
    LoggedOn,
    RowsReceived,
    Secret,
    ServerErrorReceived,
    ends_step,
    ora_error,
    parse_dsn,
)


class BlockingSession:
    """One session on one socket; every method blocks until the server answered."""

    def __init__(self, dsn: str, user: str, password: str, *, timeout: float = 30.0) -> None:
        target = parse_dsn(dsn)
        address = target.addresses[0]
        params = ClientParams(
            user=user, password=Secret(password), target=target, program="blocking_query.py",
            connection_id=base64.b64encode(os.urandom(16)).decode(),
        )
        self.conn = ClientConnection(params, entropy=os.urandom)
        self.timeout = timeout
        #: Set when a call failed in a way that leaves the session unusable.
        self.dead = False
        self.sock = socket.create_connection((address.host, address.port), timeout=timeout)
        try:
            self.conn.start()
            last = self._run()[-1]
        except BaseException:
            self.sock.close()
            raise
        if not isinstance(last, LoggedOn):
            self.sock.close()
            if isinstance(last, ServerErrorReceived):  # ORA-01017 and kin: a pool must see the code
                raise ora_error(last.code, last.message)
            raise ConnectionError(f"logon failed: {last}")

    def _run(self) -> list[ClientEvent]:
        """Exchange bytes until an event ends the current step; return its events.
        Any failure on the way (socket error, timeout, protocol error) leaves the
        session dead: the bytes of the call in flight are unaccounted for."""
        try:
            return self._exchange()
        except BaseException:
            self.dead = True
            raise

    def _exchange(self) -> list[ClientEvent]:
        events: list[ClientEvent] = []
        while True:
            out = self.conn.data_to_send()
            if out:
                self.sock.sendall(out)
            event = self.conn.next_event()
            if event is NEED_DATA:
                # The machine may have queued a request while handling a reply.
                out = self.conn.data_to_send()
                if out:
                    self.sock.sendall(out)
                self.conn.receive_data(self.sock.recv(65536))
                continue
            events.append(event)
            if ends_step(event):
                self.sock.sendall(self.conn.data_to_send())
                return events

    def query(self, sql: str, *, arraysize: int = 100) -> tuple[list[str], list[tuple[object, ...]]]:
        """Execute ``sql`` and fetch every row."""
        self.conn.execute(ExecuteRequest.for_query(sql))
        names: list[str] = []
        rows: list[tuple[object, ...]] = []
        while True:
            events = self._run()
            for event in events:
                if isinstance(event, Described):
                    names = [c.name for c in event.columns]
                elif isinstance(event, RowsReceived):
                    rows.extend(event.rows)
            last = self._ended(events[-1])
            if not isinstance(last, CallCompleted) or not last.more_rows:
                return names, rows
            self.conn.fetch(last.cursor_id, arraysize)

    def execute(self, sql: str, *, ddl: bool = False) -> int:
        """Run DML (or DDL with ``ddl``) with no binds; the row count."""
        self.conn.execute(ExecuteRequest.for_dml(sql, is_ddl=ddl))
        last = self._ended(self._run()[-1])
        return last.row_count if isinstance(last, CallCompleted) else 0

    def _ended(self, last: ClientEvent) -> ClientEvent:
        """``last`` if the call succeeded; raises RuntimeError for a server error
        (an error that ends the session, or the socket closing, also marks it dead)."""
        if isinstance(last, ConnectionClosed):
            self.dead = True
            raise RuntimeError("the server closed the connection")
        if isinstance(last, ServerErrorReceived):
            self.dead = self.dead or last.ends_session
            raise RuntimeError(last.message)
        return last

    def _simple(self, start: Callable[[], None], timeout: float | None = None) -> None:
        """Run one call with no result (ping, commit, rollback); ``timeout`` bounds each wait."""
        if timeout is not None:
            self.sock.settimeout(timeout)
        try:
            start()
            self._ended(self._run()[-1])
        finally:
            if timeout is not None and not self.dead:
                self.sock.settimeout(self.timeout)

    def ping(self, timeout: float | None = None) -> None:
        """A round trip to the server; a timeout leaves the session dead (no break is sent)."""
        self._simple(self.conn.ping, timeout)

    def commit(self) -> None:
        """Commit the transaction."""
        self._simple(self.conn.commit)

    def rollback(self) -> None:
        """Roll the transaction back."""
        self._simple(self.conn.rollback)

    @property
    def in_transaction(self) -> bool:
        """The server said a transaction is open (a pool rolls it back on release)."""
        return self.conn.in_transaction

    @property
    def healthy(self) -> bool:
        """Ready for a call: nothing failed, and the server has not closed the socket
        or sent bytes nobody asked for (looked at without blocking)."""
        if self.dead or self.conn.state is not ClientState.READY:
            return False
        self.sock.setblocking(False)
        try:
            self.sock.recv(1, socket.MSG_PEEK)
        except BlockingIOError:
            return True  # nothing to read: the usual idle session
        except OSError:
            return False
        finally:
            self.sock.settimeout(self.timeout)
        return False  # end of file, or unexpected bytes

    def close(self) -> None:
        """Log off (unless the session is dead) and close the socket."""
        try:
            if not self.dead and self.conn.state is ClientState.READY:
                self.conn.logoff()
                self._run()
        finally:
            self.sock.close()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--sql", default="select sysdate from dual")
    args = parser.parse_args(argv)
    session = BlockingSession(args.dsn, args.user, args.password)
    try:
        names, rows = session.query(args.sql)
    finally:
        session.close()
    print(" | ".join(names))
    for row in rows:
        print(" | ".join("NULL" if v is None else str(v) for v in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
