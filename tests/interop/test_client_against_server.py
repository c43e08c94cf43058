"""Our ClientConnection (through examples/blocking_query.py, a plain-socket
driver) against the same ServerConnection double python-oracledb talks to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from examples.blocking_query import BlockingSession, main
from oracle_sansio.codecs import IntervalYM
from tests.interop.test_oracledb_queries import N_ROWS, TYPE_COLUMNS, TYPE_ROW, _double

pytestmark = pytest.mark.interop


@pytest.mark.parametrize(("eor", "fv"), [(True, 24), (False, 8)])
def test_blocking_session(eor: bool, fv: int) -> None:
    server, _ = _double(eor, fv)
    with server:
        session = BlockingSession(server.dsn, "scott", "tiger")
        names, rows = session.query("select * from types")
        assert names == [c.name for c in TYPE_COLUMNS]
        (row,) = rows
        # Exact values: NUMBER stays int/Decimal, TIMESTAMP WITH TIME ZONE keeps its offset.
        for i, (got, want) in enumerate(zip(row, TYPE_ROW)):
            if isinstance(want, dt.datetime) and want.tzinfo is not None:
                assert got == want.replace(tzinfo=None) or got == want, TYPE_COLUMNS[i].name
            elif isinstance(want, IntervalYM):
                assert tuple(got) == tuple(want)  # type: ignore[arg-type]
            else:
                assert got == want, (TYPE_COLUMNS[i].name, got, want)
        assert row[2] == Decimal("-123.45") and isinstance(row[2], Decimal)
        names, rows = session.query("select i, s from big", arraysize=777)
        assert rows == [(i, f"row {i}") for i in range(N_ROWS)]
        with pytest.raises(RuntimeError, match="ORA-00942"):
            session.query("select * from missing")
        names, rows = session.query("select i, s from big", arraysize=5000)
        assert len(rows) == N_ROWS
        session.close()


def test_example_main_prints_rows(capsys: pytest.CaptureFixture[str]) -> None:
    server, _ = _double()
    with server:
        assert main(["--dsn", server.dsn, "--user", "scott", "--password", "tiger", "--sql", "select i, s from big"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "I | S" and out[1] == "0 | row 0" and len(out) == N_ROWS + 1
