"""python-oracledb binds values of every codec type (named and positional,
execute and executemany); our ServerConnection decodes exactly those values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import oracledb
import pytest

from oracle_sansio.connection.events import ExecuteRequested, ServerEvent
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.statement import parse_statement
from tests.interop.double import DoubleServer

pytestmark = pytest.mark.interop

VALUES: dict[str, object] = {
    "n_int": 42,
    "n_neg": -123456789012345678901234567890,
    "n_dec": Decimal("-123.45"),
    "n_float": 2.5,
    "vc": "héllo",
    "vc_long": "y" * 9000,
    "raw": b"\x01\x02",
    "d": dt.datetime(2024, 3, 15, 13, 45, 30),
    "ids": dt.timedelta(days=1, hours=2, minutes=3, seconds=4, microseconds=500000),
    "flag": True,
    "none": None,
}
EXPECTED: dict[str, object] = {**VALUES, "n_float": Decimal("2.5")}


class Recorder:
    def __init__(self) -> None:
        self.calls: list[ExecuteRequested] = []

    def __call__(self, conn: ServerConnection, ev: ServerEvent) -> None:
        if isinstance(ev, ExecuteRequested):
            self.calls.append(ev)
            conn.complete_call(row_count=ev.num_execs)


def test_named_binds_of_every_type() -> None:
    recorder = Recorder()
    names = list(VALUES)
    sql = "insert into t values (" + ", ".join(f":{n}" for n in names) + ")"
    with DoubleServer(on_call=recorder) as server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        cur = conn.cursor()
        cur.execute(sql, VALUES)
        # Re-executed on the cached cursor (function 4): values only, no metadata.
        cur.execute(sql, {**VALUES, "n_int": 43})
        conn.close()
    first, second = recorder.calls
    assert parse_statement(first.sql or "").bind_names == tuple(n.upper() for n in names)
    assert dict(zip(names, first.rows[0])) == EXPECTED
    assert second.reexecute and second.cursor_id == first.cursor_id
    assert dict(zip(names, second.rows[0])) == {**EXPECTED, "n_int": 43}


def test_positional_executemany() -> None:
    recorder = Recorder()
    rows = [(i, f"name {i}", dt.datetime(2024, 1, 1) + dt.timedelta(days=i), None if i % 2 else b"\xff") for i in range(50)]
    with DoubleServer(on_call=recorder) as server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        cur = conn.cursor()
        cur.executemany("insert into t values (:1, :2, :3, :4)", rows)
        assert cur.rowcount == 50
        conn.close()
    (call,) = recorder.calls
    assert call.num_execs == 50 and list(call.rows) == rows
