"""Rows of a query response reach the client intact however the bytes are cut:
the client decodes runs of ROW_DATA messages in one pass (from a bytearray
buffer), resuming at the first incomplete row."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import NEED_DATA, CallCompleted, ExecuteRequested, RowsReceived
from oracle_sansio.ttc.messages.describe import column_for
from oracle_sansio.ttc.messages.execute import ExecuteRequest
from tests.sansio.bit_vectors import server_sends_bit_vectors
from tests.sansio.test_connection_pair import logged_on_pair

COLUMNS = [
    column_for("N", OracleType.NUMBER),
    column_for("S", OracleType.VARCHAR, max_size=4000),
    column_for("R", OracleType.RAW, max_size=2000),
]

row = st.tuples(
    st.one_of(st.none(), st.integers(-(10**30), 10**30), st.decimals(places=3, min_value=-10**6, max_value=10**6)),
    st.one_of(st.none(), st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=300)),
    st.one_of(st.none(), st.binary(min_size=1, max_size=300)),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row, min_size=1, max_size=40), cuts=st.lists(st.integers(1, 97), min_size=1, max_size=8))
def test_rows_survive_any_split(rows: list[tuple[object, object, object]], cuts: list[int]) -> None:
    got = _fetch(rows, cuts)
    assert got == rows  # Decimal and int compare by value
    assert all(n is None or isinstance(n, int) == (n == int(n)) for n, _, _ in got)  # type: ignore[call-overload]
    assert all(type(r) is bytes for _, _, r in got if r is not None)


# Few distinct values per column, so that rows often repeat the one before;
# some long enough to be chunked and to span packets.
repeating_row = st.tuples(
    st.sampled_from([None, 7, -1]),
    st.sampled_from([None, "a", "é" * 300, "x" * 9000]),
    st.sampled_from([None, b"\x00", b"r" * 2000]),
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(repeating_row, min_size=2, max_size=30),
    cuts=st.lists(st.integers(1, 4000), min_size=1, max_size=8),
)
def test_rows_after_bit_vectors_survive_any_split(rows: list[tuple[object, object, object]], cuts: list[int]) -> None:
    """Columns a BIT_VECTOR leaves out repeat the previous row's values,
    whether the row resumes after a cut or is read in one go."""
    with server_sends_bit_vectors() as vectors:
        got_cut = _fetch(rows, cuts)
        assert len(vectors) == sum(1 for a, b in zip(rows, rows[1:]) if any(x == y for x, y in zip(a, b)))
        got_whole = _fetch(rows, [1 << 30])
    assert got_cut == rows == got_whole


def _fetch(rows: list[tuple[object, object, object]], cuts: list[int]) -> list[tuple[object, ...]]:
    """The rows the client decodes when the server's reply is fed in pieces of ``cuts`` bytes (cycled)."""
    pair = logged_on_pair()
    pair.client.execute(ExecuteRequest.for_query("select n, s, r from t", prefetch_rows=100))
    pair.server.receive_data(pair.client.data_to_send())
    while (ev := pair.server.next_event()) is not NEED_DATA:
        if isinstance(ev, ExecuteRequested):
            pair.server.send_describe(COLUMNS)
            pair.server.send_rows(rows)
            pair.server.complete_call(more_rows=False)
    reply = pair.server.data_to_send()
    got: list[tuple[object, ...]] = []
    done = False
    pos, i = 0, 0
    while pos < len(reply):
        step = cuts[i % len(cuts)]
        i += 1
        pair.client.receive_data(reply[pos : pos + step])
        pos += step
        while (cev := pair.client.next_event()) is not NEED_DATA:
            if isinstance(cev, RowsReceived):
                got.extend(cev.rows)
            done = done or isinstance(cev, CallCompleted)
    assert done
    return got


def test_execute_without_fetch_option_asks_for_no_rows() -> None:
    """python-oracledb drops FETCH (no_prefetch) when it will define first; a server
    sending rows anyway breaks it (DPY-5000), so the event asks for none."""
    from oracle_sansio.connection.events import ExecuteRequested as Requested

    for no_prefetch, expected in ((False, 7), (True, 0)):
        pair = logged_on_pair()
        pair.client.execute(ExecuteRequest.for_query("select 1 from dual", prefetch_rows=7, no_prefetch=no_prefetch))
        pair.server.receive_data(pair.client.data_to_send())
        events = []
        while (ev := pair.server.next_event()) is not NEED_DATA:
            events.append(ev)
        request = events[-1]
        assert isinstance(request, Requested) and request.prefetch_rows == expected


def test_owner_value_decoders_apply_per_call() -> None:
    """``decoders=`` picks value decoders for a call's rows; a later call with
    other decoders (or none) does not reuse the cursor's old row decoder."""
    from decimal import Decimal

    from oracle_sansio.codecs import decode_number_float
    from oracle_sansio.connection.events import FetchRequested

    def floats(column: object) -> object:
        return decode_number_float if getattr(column, "ora_type", None) == OracleType.NUMBER else None

    pair = logged_on_pair()
    rows = [(Decimal("1.5"),), (Decimal("2.5"),), (Decimal("3.5"),)]

    def serve(ev: object) -> None:
        if isinstance(ev, ExecuteRequested):
            pair.server.send_describe([column_for("N", OracleType.NUMBER)])
            pair.server.send_rows(rows[:1])
            pair.server.complete_call(more_rows=True)
        elif isinstance(ev, FetchRequested):
            pair.server.send_rows(rows[1:2] if ev.rows == 1 else rows[2:])
            pair.server.complete_call(more_rows=ev.rows == 1)

    def got() -> list[object]:
        values = [v for ev in pair.client_events if isinstance(ev, RowsReceived) for row in ev.rows for v in row]
        pair.client_events.clear()
        return values

    pair.client_events.clear()
    pair.client.execute(ExecuteRequest.for_query("select n from t", prefetch_rows=1), decoders=floats)  # type: ignore[arg-type]
    pair.pump(serve)
    first = got()
    assert first == [1.5] and type(first[0]) is float
    cursor_id = next(iter(pair.client.cursors))
    pair.client.fetch(cursor_id, 1, decoders=floats)  # type: ignore[arg-type]
    pair.pump(serve)
    assert got() == [2.5]
    pair.client.fetch(cursor_id, 5)
    pair.pump(serve)
    last = got()
    assert last == [Decimal("3.5")] and type(last[0]) is Decimal
