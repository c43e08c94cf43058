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

from oracle_sansio import (
    NEED_DATA,
    CallCompleted,
    ClientConnection,
    ClientEvent,
    ClientParams,
    Described,
    ExecuteRequest,
    LoggedOn,
    RowsReceived,
    Secret,
    ServerErrorReceived,
    ends_step,
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
        self.sock = socket.create_connection((address.host, address.port), timeout=timeout)
        self.conn.start()
        last = self._run()[-1]
        if not isinstance(last, LoggedOn):
            self.sock.close()
            raise ConnectionError(f"logon failed: {last}")

    def _run(self) -> list[ClientEvent]:
        """Exchange bytes until an event ends the current step; return its events."""
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
            last = events[-1]
            if isinstance(last, ServerErrorReceived):
                raise RuntimeError(last.message)
            if not isinstance(last, CallCompleted) or not last.more_rows:
                return names, rows
            self.conn.fetch(last.cursor_id, arraysize)

    def close(self) -> None:
        """Log off and close the socket."""
        try:
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
