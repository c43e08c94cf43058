"""EXECUTE, re-execute, FETCH, DML, PL/SQL out binds and errors through both machines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import (
    CallCompleted,
    Described,
    ExecuteRequested,
    FetchRequested,
    OutBindsReceived,
    RowsReceived,
    ServerErrorReceived,
    ServerEvent,
)
from oracle_sansio.connection.server import ServerConfig
from oracle_sansio.connection.states import ClientState
from oracle_sansio.ttc.messages.binds import bind_metadata_for_values
from oracle_sansio.ttc.messages.describe import column_for
from oracle_sansio.ttc.messages.execute import ExecuteRequest, ReexecuteRequest
from tests.sansio.pair import Pair
from tests.sansio.test_connection_pair import cstate, logged_on_pair

COLUMNS = (
    column_for("ID", OracleType.NUMBER, precision=10, scale=0),
    column_for("NAME", OracleType.VARCHAR, max_size=20),
    column_for("CREATED", OracleType.DATE),
    column_for("AMOUNT", OracleType.NUMBER, precision=12, scale=2),
)
ROWS = [
    (i, f"name {i}" if i % 3 else None, dt.datetime(2024, 3, 15, 13, 45, i % 60), Decimal(i) / 4)
    for i in range(1, 26)
]


class QueryServer:
    """Answers queries from ROWS in batches, DML with row counts, PL/SQL with out binds."""

    def __init__(self, pair: Pair) -> None:
        self.pair = pair
        self.position: dict[int, int] = {}

    def __call__(self, ev: ServerEvent) -> None:
        server = self.pair.server
        if isinstance(ev, ExecuteRequested):
            sql = ev.sql or ""
            if sql.startswith("select"):
                if not ev.reexecute:
                    server.send_describe(COLUMNS)
                self.position[ev.cursor_id] = 0
                self._rows(ev.cursor_id, ev.prefetch_rows)
            elif sql.startswith("insert"):
                server.complete_call(row_count=len(ev.rows), in_transaction=True)
            elif sql.startswith("begin"):
                (_, y) = ev.rows[0]
                assert isinstance(y, int)
                server.send_out_binds([16, 32], [y * 2])
                server.complete_call()
            else:
                server.send_error(942, "ORA-00942: table or view does not exist", position=14)
        elif isinstance(ev, FetchRequested):
            self._rows(ev.cursor_id, ev.rows)

    def _rows(self, cursor_id: int, count: int) -> None:
        start = self.position[cursor_id]
        batch = ROWS[start : start + count]
        self.position[cursor_id] = start + len(batch)
        self.pair.server.send_rows(batch)
        self.pair.server.complete_call(more_rows=start + len(batch) < len(ROWS))


def run(pair: Pair, handler: QueryServer) -> list[object]:
    pair.client_events.clear()
    pair.server_events.clear()
    pair.pump(handler)
    return list(pair.client_events)


@pytest.mark.parametrize(("eor", "fv"), [(True, 24), (False, 8), (True, 17)])
def test_query_prefetch_fetch_reexecute(eor: bool, fv: int) -> None:
    pair = logged_on_pair(ServerConfig(end_of_response=eor, field_version=fv))
    handler = QueryServer(pair)
    pair.client.execute(ExecuteRequest.for_query("select id, name, created, amount from t"))
    events = run(pair, handler)
    assert [type(e) for e in events] == [Described, RowsReceived, CallCompleted]
    described, rows, done = events
    assert isinstance(described, Described) and [c.name for c in described.columns] == ["ID", "NAME", "CREATED", "AMOUNT"]
    assert isinstance(rows, RowsReceived) and rows.rows == ROWS[:2]
    assert isinstance(done, CallCompleted) and done.more_rows and done.cursor_id == 1 and done.row_count == 2
    fetched = list(rows.rows)
    while True:
        pair.client.fetch(done.cursor_id, 10)
        events = run(pair, handler)
        for e in events:
            if isinstance(e, RowsReceived):
                fetched += e.rows
        done_ev = events[-1]
        assert isinstance(done_ev, CallCompleted)
        if not done_ev.more_rows:
            break
    assert fetched == ROWS
    assert done_ev.row_count == len(ROWS)
    # The same cursor re-executed with function 78: no describe, rows decoded with the cached one.
    pair.client.execute(ReexecuteRequest.for_query(1, prefetch_rows=3))
    events = run(pair, handler)
    assert [type(e) for e in events] == [RowsReceived, CallCompleted]
    assert isinstance(events[0], RowsReceived) and events[0].rows == ROWS[:3]
    # Closing the cursor travels as a piggyback before the next call.
    pair.client.close_cursors([1])
    pair.client.ping()
    pair.client_events.clear()
    pair.pump(handler)
    assert 1 not in pair.server.cursors


def test_dml_with_binds_autocommit_and_rowcount() -> None:
    pair = logged_on_pair()
    handler = QueryServer(pair)
    rows = [(1, "héllo", dt.datetime(2024, 3, 15, 13, 45, 30)), (2, None, dt.datetime(2024, 1, 1))]
    binds = tuple(bind_metadata_for_values([r[i] for r in rows]) for i in range(3))
    pair.client.execute(ExecuteRequest.for_dml("insert into t values (:1, :2, :3)", binds=binds, rows=rows))
    events = run(pair, handler)
    done = events[-1]
    assert isinstance(done, CallCompleted) and done.row_count == 2 and done.in_transaction
    exe = pair.server_events[-1]
    assert isinstance(exe, ExecuteRequested) and exe.num_execs == 2
    assert exe.rows == tuple(rows)
    assert pair.client.in_transaction


def test_plsql_out_binds() -> None:
    pair = logged_on_pair()
    handler = QueryServer(pair)
    binds = (bind_metadata_for_values([0]), bind_metadata_for_values([21]))
    pair.client.execute(ExecuteRequest.for_plsql("begin :1 := :2 * 2; end;", binds=binds, rows=[(None, 21)]))
    events = run(pair, handler)
    assert [type(e) for e in events] == [OutBindsReceived, CallCompleted]
    out = events[0]
    assert isinstance(out, OutBindsReceived) and out.values == (42,)


def test_server_error_keeps_session_usable() -> None:
    pair = logged_on_pair()
    handler = QueryServer(pair)
    pair.client.execute(ExecuteRequest.for_dml("delete from missing"))
    events = run(pair, handler)
    err = events[-1]
    assert isinstance(err, ServerErrorReceived) and err.code == 942 and err.info.position == 14
    assert cstate(pair) == ClientState.READY
    pair.client.execute(ExecuteRequest.for_query("select id, name, created, amount from t"))
    events = run(pair, handler)
    assert isinstance(events[-1], CallCompleted)
