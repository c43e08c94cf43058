"""The embedded server refuses what it does not support with an ORA error and
keeps the session: python-oracledb's very next call on the same connection works."""

from __future__ import annotations

import array
import datetime
from collections.abc import Callable, Iterator

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer

pytestmark = pytest.mark.interop


@pytest.fixture(scope="module")
def dsn() -> Iterator[str]:
    with EmbeddedServer(users={"scott": "tiger"}).threaded() as server:
        yield server.dsn


def _refused_then_alive(dsn: str, call: Callable[[oracledb.Connection], object], code: str) -> None:
    conn = oracledb.connect(user="scott", password="tiger", dsn=dsn)
    try:
        with pytest.raises(oracledb.DatabaseError) as info:
            call(conn)
        assert str(info.value).startswith(code), info.value
        cur = conn.cursor()
        cur.execute("select 1 from dual")
        assert cur.fetchall() == [(1,)]
    finally:
        conn.close()


def test_ref_cursor_bind_is_refused_with_ora_03115(dsn: str) -> None:
    def call(conn: oracledb.Connection) -> None:
        conn.cursor().execute("begin open :1 for select 1 from dual; end;", [conn.cursor()])

    _refused_then_alive(dsn, call, "ORA-03115")


def test_vector_bind_is_refused_with_ora_03115(dsn: str) -> None:
    def call(conn: oracledb.Connection) -> None:
        conn.cursor().execute("select :1 from dual", [array.array("f", [1.0, 2.0])])

    _refused_then_alive(dsn, call, "ORA-03115")


@pytest.mark.parametrize(("kind", "plsql"), [(datetime.datetime, "begin :1 := 'abc'; end;"),
                                             (bytes, "begin :1 := 12; end;")])
def test_out_value_the_bind_cannot_carry_is_ora_06502(dsn: str, kind: type, plsql: str) -> None:
    def call(conn: oracledb.Connection) -> None:
        cur = conn.cursor()
        cur.execute(plsql, [cur.var(kind)])

    _refused_then_alive(dsn, call, "ORA-06502")
