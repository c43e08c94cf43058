"""Large values cost time linear in their size (issue 12, item 8).

For each size from 1 MB to 64 MB (10**6 bytes) this prints seconds per MB:

* fetch: ``clob.read()`` of a CLOB that size, python-oracledb next to
  oracle_asyncio, against the same embedded server in the same run;
* bind: an INSERT binding a string that size (the server role parses it);
* sans-I/O: the client machine parsing a row with a LONG value that size, and
  the server machine parsing an INSERT binding it, fed in SDU-sized packets
  (no sockets, no server work: the parse cost alone).

and, for many rows in one message, microseconds per row of an ``executemany``
(with ``arraydmlrowcounts``: the server parses every bind row, the client
every row count) for both libraries.

Flat columns mean linear cost.  Before the parse memo a 16 MB fetch took
oracle_asyncio about 2.6 s (python-oracledb 0.1 s), and a 40k-row executemany
against the embedded server took 9 s with either client.

    python -m bench.large_values                 # 1 .. 64 MB
    python -m bench.large_values --sizes 1 2 --rows 1000   # a quick slice
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

import oracledb

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import NEED_DATA, ExecuteRequested
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.ttc.messages.binds import bind_metadata_for_values
from oracle_sansio.ttc.messages.describe import column_for
from oracle_sansio.ttc.messages.execute import ExecuteRequest
from tests.sansio.test_connection_pair import logged_on_pair

MB = 1_000_000
SIZES = (1, 2, 4, 8, 16, 32, 64)
ROWS = (10_000, 40_000, 100_000)

Row = tuple[int, float, float, float, float, float, float]  # MB, then six s/MB figures


async def _lob_round_trip(lib: Any, dsn: str, size: int) -> tuple[float, float]:
    """Seconds to bind ``size`` characters into a CLOB and to read it back."""
    conn = await lib.connect_async(user="scott", password="tiger", dsn=dsn)
    cur = conn.cursor()
    await cur.execute("create table big_value (c clob)")
    value = "z" * size
    start = time.perf_counter()
    await cur.execute("insert into big_value values (:1)", [value])
    bound = time.perf_counter()
    await cur.execute("select c from big_value")
    row = await cur.fetchone()
    text = await row[0].read()
    fetched = time.perf_counter()
    assert len(text) == size
    await cur.execute("drop table big_value")
    await conn.close()
    return bound - start, fetched - bound


async def _executemany(lib: Any, dsn: str, count: int) -> float:
    """Seconds for an executemany of ``count`` rows with DML row counts."""
    conn = await lib.connect_async(user="scott", password="tiger", dsn=dsn)
    cur = conn.cursor()
    await cur.execute("create table many_rows (a number, b varchar2(40))")
    rows = [(i, f"row {i}") for i in range(count)]
    start = time.perf_counter()
    await cur.executemany("insert into many_rows values (:1, :2)", rows, arraydmlrowcounts=True)
    assert len(cur.getarraydmlrowcounts()) == count
    elapsed = time.perf_counter() - start
    await cur.execute("drop table many_rows")
    await conn.close()
    return elapsed


def _feed(machine: ClientConnection | ServerConnection, data: bytes, sdu: int) -> float:
    start = time.perf_counter()
    for i in range(0, len(data), sdu):
        machine.receive_data(data[i : i + sdu])
        while machine.next_event() is not NEED_DATA:
            pass
    return time.perf_counter() - start


def sansio_seconds(size: int) -> tuple[float, float]:
    """(client, server) machine seconds to parse a ``size``-byte value in SDU-sized packets."""
    pair = logged_on_pair()
    value = "x" * size
    pair.client.execute(ExecuteRequest.for_query("select l from t", prefetch_rows=2))
    pair.server.receive_data(pair.client.data_to_send())
    while (ev := pair.server.next_event()) is not NEED_DATA:
        if isinstance(ev, ExecuteRequested):
            pair.server.send_describe([column_for("L", OracleType.LONG)])
            pair.server.send_rows([(value,)])
            pair.server.complete_call(more_rows=False)
    client = _feed(pair.client, pair.server.data_to_send(), pair.client.caps.sdu)
    pair = logged_on_pair()
    binds = (bind_metadata_for_values([value]),)
    pair.client.execute(ExecuteRequest.for_dml("insert into t values (:1)", binds=binds, rows=[(value,)]))
    server = _feed(pair.server, pair.client.data_to_send(), pair.server.caps.sdu)
    return client, server


async def main_async(sizes: tuple[int, ...] = SIZES,
                     row_counts: tuple[int, ...] = ()) -> tuple[list[Row], list[tuple[int, float, float]]]:
    """Seconds per MB for each size: fetch (theirs, ours), bind (theirs, ours), sans-I/O (client, server);
    then microseconds per row of each executemany (theirs, ours)."""
    rows: list[Row] = []
    many: list[tuple[int, float, float]] = []
    async with EmbeddedServer() as server:
        for mb in sizes:
            size = mb * MB
            their_bind, their_fetch = await _lob_round_trip(oracledb, server.dsn, size)
            our_bind, our_fetch = await _lob_round_trip(oracle_asyncio, server.dsn, size)
            client, server_side = sansio_seconds(size)
            rows.append((mb, their_fetch / mb, our_fetch / mb, their_bind / mb, our_bind / mb,
                         client / mb, server_side / mb))
        for count in row_counts:
            theirs = await _executemany(oracledb, server.dsn, count)
            ours = await _executemany(oracle_asyncio, server.dsn, count)
            many.append((count, theirs / count * 1e6, ours / count * 1e6))
    return rows, many


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="value sizes in MB")
    parser.add_argument("--rows", type=int, nargs="*", default=list(ROWS), help="executemany row counts")
    args = parser.parse_args(argv)
    rows, many = asyncio.run(main_async(tuple(args.sizes), tuple(args.rows)))
    print("seconds per MB (embedded server in-process: fetch and bind include its work)")
    print(f"{'MB':>4} {'fetch: python-oracledb':>23} {'oracle_asyncio':>15} {'bind: python-oracledb':>22}"
          f" {'oracle_asyncio':>15} {'sans-I/O client':>16} {'sans-I/O server':>16}")
    for mb, *figures in rows:
        print(f"{mb:>4} " + " ".join(f"{f:>{w}.4f}" for f, w in zip(figures, (23, 15, 22, 15, 16, 16))))
    if many:
        print("\nmicroseconds per row, executemany with arraydmlrowcounts (includes the server's sqlite work)")
        print(f"{'rows':>7} {'python-oracledb':>16} {'oracle_asyncio':>15}")
        for count, theirs, ours in many:
            print(f"{count:>7} {theirs:>16.1f} {ours:>15.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
