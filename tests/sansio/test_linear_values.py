"""A large value costs work linear in its size, in both roles (issue 12, item 8).

A partial message is read again from its start when the next packet arrives;
the chunk memo must keep that from copying the value again each time.  The
machines count their parse work (``parse_work``); feeding a value of 1, 4 and
16 MB in SDU-sized packets, the work must grow like the size, not its square.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import NEED_DATA, CallCompleted, ExecuteRequested, RowsReceived
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.ttc.messages.binds import bind_metadata_for_values
from oracle_sansio.ttc.messages.describe import column_for
from oracle_sansio.ttc.messages.execute import ExecuteRequest
from oracle_sansio.ttc.wire import ParseMemo, Reader, Writer
from tests.sansio.bit_vectors import server_sends_bit_vectors
from tests.sansio.test_connection_pair import logged_on_pair

MB = 1 << 20


def _packets(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def _work(machine: ClientConnection | ServerConnection, before: tuple[int, int]) -> tuple[int, int]:
    attempts, work = machine.parse_work
    return attempts - before[0], work - before[1]


def client_fetch_work(size: int) -> tuple[int, int, int]:
    """(packets, parse attempts, bytes walked or copied) for a row holding a ``size``-byte LONG."""
    pair = logged_on_pair()
    sdu = pair.client.caps.sdu
    value = "x" * size
    pair.client.execute(ExecuteRequest.for_query("select l from t", prefetch_rows=2))
    pair.server.receive_data(pair.client.data_to_send())
    while (ev := pair.server.next_event()) is not NEED_DATA:
        if isinstance(ev, ExecuteRequested):
            pair.server.send_describe([column_for("L", OracleType.LONG)])
            pair.server.send_rows([(value,)])
            pair.server.complete_call(more_rows=False)
    reply = pair.server.data_to_send()
    before = pair.client.parse_work
    got: list[object] = []
    done = False
    packets = _packets(reply, sdu)
    for chunk in packets:
        pair.client.receive_data(chunk)
        while (cev := pair.client.next_event()) is not NEED_DATA:
            if isinstance(cev, RowsReceived):
                got.extend(row[0] for row in cev.rows)
            done = done or isinstance(cev, CallCompleted)
    assert done and got == [value]
    return (len(packets), *_work(pair.client, before))


def _server_insert_work(sql: str, data: list[tuple[object, ...]]) -> tuple[int, int, int]:
    """(packets, parse attempts, bytes walked or copied) for the server reading an INSERT of ``data``."""
    pair = logged_on_pair()
    sdu = pair.server.caps.sdu
    binds = tuple(bind_metadata_for_values([r[i] for r in data]) for i in range(len(data[0])))
    pair.client.execute(ExecuteRequest.for_dml(sql, binds=binds, rows=data))
    request = pair.client.data_to_send()
    before = pair.server.parse_work
    packets = _packets(request, sdu)
    seen: list[ExecuteRequested] = []
    for chunk in packets:
        pair.server.receive_data(chunk)
        while (ev := pair.server.next_event()) is not NEED_DATA:
            if isinstance(ev, ExecuteRequested):
                seen.append(ev)
    assert len(seen) == 1 and seen[0].rows == tuple(data)
    return (len(packets), *_work(pair.server, before))


def server_bind_work(size: int) -> tuple[int, int, int]:
    """(packets, parse attempts, bytes walked or copied) for an INSERT binding ``size`` bytes."""
    return _server_insert_work("insert into t values (:1)", [("y" * size,)])


def server_executemany_work(rows: int) -> tuple[int, int, int]:
    """(packets, parse attempts, bytes walked or copied) for an executemany of ``rows`` rows."""
    return _server_insert_work("insert into t values (:1, :2)", [(i, f"row {i}") for i in range(rows)])


def test_server_executemany_of_many_rows_is_linear() -> None:
    """Bind rows arriving over many packets are each decoded once (the rows of
    one EXECUTE used to be decoded again on every packet: 40k rows took 6 s)."""
    _, _, small = server_executemany_work(2_000)
    for rows in (8_000, 32_000):
        packets, attempts, work = server_executemany_work(rows)
        size = packets * 8192
        assert attempts <= packets + 4, (rows, packets, attempts)
        assert work <= 4 * size, (rows, work, size)
        assert work / small < rows / 2_000 * 1.5, (rows, work, small)  # quadratic: about 150


def _assert_linear(measure: object) -> None:
    assert callable(measure)
    small = measure(1 * MB)
    for size in (4 * MB, 16 * MB):
        packets, attempts, work = measure(size)
        ratio = size // MB
        # Linear work: each packet costs one attempt, and the value is copied
        # a bounded number of times.  Re-copying it on each packet would make
        # the 16 MB work about 256 times the 1 MB work.
        assert attempts <= packets + 4, (size, packets, attempts)
        assert work <= 6 * size, (size, work)  # nested runs count their bytes again
        assert work / small[2] < ratio * 1.25, (size, work, small)


def test_client_fetch_of_a_large_value_is_linear() -> None:
    _assert_linear(client_fetch_work)


def test_server_bind_of_a_large_value_is_linear() -> None:
    _assert_linear(server_bind_work)


def test_memo_gives_what_a_fresh_read_gives() -> None:
    """Reading a chunked string over a growing buffer, with the memo, gives the
    same value and end position as one read of the whole buffer."""
    w = Writer()
    w.ub1(7)
    w.clr(bytes(range(256)) * 700)
    w.clr(b"tail" * 100)
    whole = w.getvalue()
    expected = Reader(whole)
    expected.ub1()
    first, second = expected.clr(), expected.clr()
    memo = ParseMemo()
    buf = bytearray()
    results: list[tuple[bytes | None, bytes | None, int]] = []
    for piece in _packets(whole, 1000):
        buf += piece
        r = Reader(buf, memo=memo)
        try:
            r.ub1()
            results.append((r.clr(), r.clr(), r.pos))
        except Exception as exc:  # noqa: BLE001
            assert type(exc).__name__ == "NeedMoreData"
    assert results == [(first, second, expected.pos)]


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(st.integers(-(10**9), 10**9), st.text(min_size=1, max_size=40_000)), min_size=1, max_size=30),
    cuts=st.lists(st.integers(1, 5_000), min_size=1, max_size=6),
)
def test_server_reads_an_execute_cut_anywhere(rows: list[tuple[int, str]], cuts: list[int]) -> None:
    """Resuming bind metadata, bind rows and long values gives the rows sent,
    however the request is cut into receive_data calls."""
    pair = logged_on_pair()
    binds = tuple(bind_metadata_for_values([r[i] for r in rows]) for i in range(2))
    pair.client.execute(ExecuteRequest.for_dml("insert into t values (:1, :2)", binds=binds, rows=rows))
    request = pair.client.data_to_send()
    seen: list[ExecuteRequested] = []
    pos = i = 0
    while pos < len(request):
        step = cuts[i % len(cuts)]
        i += 1
        pair.server.receive_data(request[pos : pos + step])
        pos += step
        while (ev := pair.server.next_event()) is not NEED_DATA:
            if isinstance(ev, ExecuteRequested):
                seen.append(ev)
    assert len(seen) == 1 and seen[0].rows == tuple(rows)


WIDE = 400  # columns or binds of 4000 characters: a 1.6 MB row over about 200 packets


def client_wide_row_work(width: int) -> tuple[int, int, int]:
    """(packets, parse attempts, bytes walked or copied) for one row of ``width`` 4000-character columns."""
    row = tuple(f"{i:04d}" * 1000 for i in range(width))
    return _client_rows_work([row])


def client_vector_row_work(width: int) -> tuple[int, int, int]:
    """As :func:`client_wide_row_work`, the wide row after a BIT_VECTOR (it
    repeats the first column of a narrow row before it, as Oracle sends it)."""
    row = tuple(f"{i:04d}" * 1000 for i in range(width))
    with server_sends_bit_vectors() as sent:
        work = _client_rows_work([(row[0],) + ("x",) * (width - 1), row])
    assert len(sent) == 1
    return work


def _client_rows_work(rows: list[tuple[object, ...]]) -> tuple[int, int, int]:
    width = len(rows[0])
    pair = logged_on_pair()
    pair.client.execute(ExecuteRequest.for_query("select * from wide", prefetch_rows=2))
    pair.server.receive_data(pair.client.data_to_send())
    while (ev := pair.server.next_event()) is not NEED_DATA:
        if isinstance(ev, ExecuteRequested):
            pair.server.send_describe([column_for(f"C{i}", OracleType.VARCHAR, max_size=4000) for i in range(width)])
            pair.server.send_rows(rows)
            pair.server.complete_call(more_rows=False)
    reply = pair.server.data_to_send()
    before = pair.client.parse_work
    got: list[tuple[object, ...]] = []
    packets = _packets(reply, pair.client.caps.sdu)
    for chunk in packets:
        pair.client.receive_data(chunk)
        while (cev := pair.client.next_event()) is not NEED_DATA:
            if isinstance(cev, RowsReceived):
                got.extend(cev.rows)
    assert got == rows
    return (len(packets), *_work(pair.client, before))


def server_wide_row_work(width: int) -> tuple[int, int, int]:
    """(packets, parse attempts, bytes walked or copied) for an INSERT of ``width`` 4000-character binds."""
    pair = logged_on_pair()
    row = tuple(f"{i:04d}" * 1000 for i in range(width))
    binds = tuple(bind_metadata_for_values([value]) for value in row)
    sql = "insert into wide values (" + ", ".join(f":{i + 1}" for i in range(width)) + ")"
    pair.client.execute(ExecuteRequest.for_dml(sql, binds=binds, rows=[row]))
    request = pair.client.data_to_send()
    before = pair.server.parse_work
    packets = _packets(request, pair.server.caps.sdu)
    seen: list[ExecuteRequested] = []
    for chunk in packets:
        pair.server.receive_data(chunk)
        while (ev := pair.server.next_event()) is not NEED_DATA:
            if isinstance(ev, ExecuteRequested):
                seen.append(ev)
    assert len(seen) == 1 and seen[0].rows == (row,)
    return (len(packets), *_work(pair.server, before))


@pytest.mark.parametrize("measure", [client_wide_row_work, client_vector_row_work, server_wide_row_work])
def test_a_row_wider_than_a_packet_is_linear(measure: object) -> None:
    """A row of many values is resumed after its last whole value: reading it
    costs its bytes, not its bytes times its packets."""
    assert callable(measure)
    _, _, small = measure(WIDE // 8)
    packets, attempts, work = measure(WIDE)
    assert attempts <= packets + 6, (packets, attempts)  # a few messages end inside a packet
    assert work / small < 8 * 1.5, (small, work)  # quadratic: about 8 x 8 x 0.5
