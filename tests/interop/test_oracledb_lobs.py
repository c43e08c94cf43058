"""python-oracledb 26.1 (sync and asyncio) with LOB columns, LOB_OP and
temporary LOB binds against ServerConnection and its LobStore."""

from __future__ import annotations

import asyncio

import oracledb
import pytest

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import ExecuteRequested, FetchRequested, ServerEvent
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.ttc.messages.describe import ColumnMetadata, column_for
from tests.interop.double import DoubleServer

pytestmark = pytest.mark.interop

MULTI = "é€𝄞" * (1_000_000 // 9)  # ~1 MB of UTF-8 with 2-, 3- and 4-byte characters
VALUES: dict[str, str | bytes] = {
    "c1": "x",
    "c32k": "".join(chr(0x61 + i % 26) for i in range(32_767)),
    "cmulti": MULTI,
    "nc": "𝄞 surrogate pairs " * 1000,
    "b0": b"",
    "b5m": bytes(range(256)) * (5 * 1024 * 1024 // 256),
}
COLUMNS: tuple[ColumnMetadata, ...] = (
    column_for("C1", OracleType.CLOB),
    column_for("C32K", OracleType.CLOB),
    column_for("CMULTI", OracleType.CLOB),
    column_for("NC", OracleType.CLOB, csfrm=2),
    column_for("B0", OracleType.BLOB),
    column_for("B5M", OracleType.BLOB),
)


class LobHandler:
    """Serves one row of LOBs; records what clients bind."""

    def __init__(self) -> None:
        self.bound: list[tuple[object, ...]] = []

    def __call__(self, conn: ServerConnection, ev: ServerEvent) -> None:
        if isinstance(ev, FetchRequested):
            conn.send_rows([])
            conn.complete_call(more_rows=False)
            return
        if not isinstance(ev, ExecuteRequested):
            return
        sql = (ev.sql or "").lower()
        if sql.startswith("select"):
            if ev.define_only:
                conn.complete_call(more_rows=False)  # the held rows go out now
                return
            if not ev.reexecute:
                conn.send_describe(COLUMNS)
            conn.send_rows([tuple(VALUES.values())])
            conn.complete_call(more_rows=False)
        elif sql.startswith("insert"):
            self.bound.extend(ev.rows)
            conn.complete_call(row_count=len(ev.rows))
        else:
            conn.send_error(942, "ORA-00942: table or view does not exist")


def _check_lob_reads(lobs: dict[str, oracledb.LOB]) -> None:
    for name, want in VALUES.items():
        lob = lobs[name]
        assert lob.size() == len(want), name
        assert lob.read() == want, name
        if len(want) > 10:
            assert lob.read(1, 5) == want[:5]
            assert lob.read(len(want) - 2, 10) == want[-3:]


def test_sync_lobs_read_write_trim_and_binds() -> None:
    handler = LobHandler()
    with DoubleServer(on_call=handler) as server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        cur = conn.cursor()
        cur.execute("select c1, c32k, cmulti, nc, b0, b5m from lobs")
        row = cur.fetchone()
        lobs = dict(zip(VALUES, row))
        _check_lob_reads(lobs)
        assert lobs["c32k"].getchunksize() > 0
        assert lobs["c1"].type == oracledb.DB_TYPE_CLOB and lobs["nc"].type == oracledb.DB_TYPE_NCLOB
        assert lobs["b5m"].type == oracledb.DB_TYPE_BLOB
        # write, trim, size on a fetched LOB
        clob = lobs["c1"]
        clob.write("hello wörld", 1)
        assert clob.read() == "hello wörld"
        clob.trim(5)
        assert clob.size() == 5 and clob.read() == "hello"
        blob = lobs["b0"]
        blob.write(b"\x00\x01\x02", 1)
        assert blob.read() == b"\x00\x01\x02"
        clob.open()
        assert clob.isopen()
        clob.close()
        assert not clob.isopen()
        # temporary LOBs: created, written, bound, freed later
        temp = conn.createlob(oracledb.DB_TYPE_CLOB, "temporary text")
        cur.setinputsizes(oracledb.DB_TYPE_CLOB, oracledb.DB_TYPE_BLOB)
        cur.execute("insert into t values (:1, :2)", ["a clob bound from str " * 2000, b"\x01" * 100_000])
        cur.execute("insert into t values (:1, :2)", [temp, None])
        assert handler.bound[0] == ("a clob bound from str " * 2000, b"\x01" * 100_000)
        assert handler.bound[1][0] == "temporary text"
        conn.close()


def test_fetch_lobs_false_returns_str_and_bytes() -> None:
    handler = LobHandler()
    with DoubleServer(on_call=handler) as server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        cur = conn.cursor()
        cur.execute("select c1, c32k, cmulti, nc, b0, b5m from lobs", fetch_lobs=False)
        row = cur.fetchone()
        assert dict(zip(VALUES, row)) == {**VALUES, "b0": None}  # an empty BLOB fetches as NULL
        conn.close()


def test_async_lobs() -> None:
    async def main(dsn: str) -> None:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=dsn)
        cur = conn.cursor()
        await cur.execute("select c1, c32k, cmulti, nc, b0, b5m from lobs")
        row = await cur.fetchone()
        lobs = dict(zip(VALUES, row))
        for name, want in VALUES.items():
            assert await lobs[name].size() == len(want)
            assert await lobs[name].read() == want
        await lobs["c1"].write("abc", 1)
        assert await lobs["c1"].read() == "abc"
        await conn.close()

    handler = LobHandler()
    with DoubleServer(on_call=handler) as server:
        asyncio.run(asyncio.wait_for(main(server.dsn), 60))
