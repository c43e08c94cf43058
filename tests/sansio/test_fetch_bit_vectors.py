"""A BIT_VECTOR in the first row of a FETCH reply repeats the last row of the
fetch before it (Oracle compresses duplicate columns across fetch boundaries;
python-oracledb's thin ``_process_row_data`` takes row 0's left-out values from
the cursor's last fetched row).  A vector before any row of the execution is
still a typed DecodeError.
"""

from __future__ import annotations

import pytest

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import (
    NEED_DATA,
    CallCompleted,
    ExecuteRequested,
    FetchRequested,
    RowsReceived,
)
from oracle_sansio.errors import DecodeError
from oracle_sansio.ttc.messages.describe import column_for
from oracle_sansio.ttc.constants import ExecOption
from oracle_sansio.ttc.messages.execute import ExecuteRequest, ReexecuteRequest
from tests.sansio.bit_vectors import server_sends_bit_vectors
from tests.sansio.pair import Pair
from tests.sansio.test_connection_pair import logged_on_pair

COLUMNS = [column_for("N", OracleType.NUMBER), column_for("S", OracleType.VARCHAR, max_size=20)]
# Every row repeats a column of the one before it, including across each
# batch boundary (batches of 2: rows 1|2, 3|4, ...).
ROWS: list[tuple[object, ...]] = [
    (1, "a"), (1, "b"), (2, "b"), (2, "c"), (3, "c"), (3, "c"), (None, "c"), (None, None), (4, None),
]


class Batches:
    """Answers one query from ROWS: ``prefetch`` rows with the execute, then FETCHes."""

    def __init__(self, pair: Pair, rows: list[tuple[object, ...]] = ROWS) -> None:
        self.pair = pair
        self.rows = rows
        self.position = 0
        self.described = False

    def __call__(self, ev: object) -> None:
        if isinstance(ev, ExecuteRequested):
            self.position = 0
            if not self.described:  # later executes keep the server's row encoder
                self.pair.server.send_describe(COLUMNS)
                self.described = True
            self._rows(ev.prefetch_rows)
        elif isinstance(ev, FetchRequested):
            self._rows(ev.rows)

    def _rows(self, count: int) -> None:
        batch = self.rows[self.position : self.position + count]
        self.position += len(batch)
        self.pair.server.send_rows(batch)
        self.pair.server.complete_call(more_rows=self.position < len(self.rows))


def _rows_of(pair: Pair) -> tuple[list[tuple[object, ...]], bool]:
    rows = [row for ev in pair.client_events if isinstance(ev, RowsReceived) for row in ev.rows]
    ends = [ev for ev in pair.client_events if isinstance(ev, CallCompleted)]
    assert len(ends) == 1
    pair.client_events.clear()
    return rows, ends[0].more_rows


@pytest.mark.parametrize("arraysize", [1, 2, 3])
def test_fetch_reply_first_row_repeats_last_fetched_row(arraysize: int) -> None:
    """execute + fetch + fetch ... with small prefetch/arraysize: every batch after
    the first opens with a vector, and the rows come out whole."""
    pair = logged_on_pair()
    serve = Batches(pair)
    with server_sends_bit_vectors() as vectors:
        pair.client_events.clear()
        pair.client.execute(ExecuteRequest.for_query("select n, s from t", prefetch_rows=2))
        pair.pump(serve)
        got, more = _rows_of(pair)
        cursor_id = next(iter(pair.client.cursors))
        for _ in range(len(ROWS)):  # bounded: each fetch returns at least one row
            if not more:
                break
            pair.client.fetch(cursor_id, arraysize)
            pair.pump(serve)
            batch, more = _rows_of(pair)
            got.extend(batch)
    assert got == ROWS
    assert len(vectors) == len(ROWS) - 1  # so the first row of every FETCH reply had one


@pytest.mark.parametrize("form", ["execute", "reexecute_and_fetch", "reexecute_then_fetch"])
def test_reexecute_forgets_the_last_row(form: str) -> None:
    """A new execution starts with no previous row.  The patched server keeps its
    last row across executes of the cursor (Oracle does not), so the first row
    after the re-execute goes out as a vector repeating the old last row; the
    client must reject it, not fill it from the old execution.  ``form``: a whole
    EXECUTE naming the cursor, a REEXECUTE_AND_FETCH, or a REEXECUTE asking no
    rows followed by a FETCH."""
    pair = logged_on_pair()
    serve = Batches(pair)
    with server_sends_bit_vectors() as vectors:
        pair.client.execute(ExecuteRequest.for_query("select n, s from t", prefetch_rows=len(ROWS)))
        pair.pump(serve)
        pair.client_events.clear()
        cursor_id = next(iter(pair.client.cursors))
        serve.rows = [ROWS[-1], *ROWS]
        sent = len(vectors)
        with pytest.raises(DecodeError, match="no previous row"):
            if form == "execute":
                pair.client.execute(ExecuteRequest.for_query("select n, s from t", prefetch_rows=2, cursor_id=cursor_id))
            elif form == "reexecute_and_fetch":
                pair.client.execute(ReexecuteRequest.for_query(cursor_id, prefetch_rows=2))
            else:
                pair.client.execute(ReexecuteRequest(cursor_id=cursor_id, num_iters=1, options_1=int(ExecOption.EXECUTE)))
                pair.pump(serve)
                assert not any(isinstance(ev, RowsReceived) for ev in pair.client_events)
                pair.client.fetch(cursor_id, 2)
            pair.pump(serve)
        assert len(vectors) > sent  # the new execution's first row went out with one


def test_vector_before_any_row_is_a_decode_error() -> None:
    """A vector in the first row of the first batch has nothing to repeat."""
    pair = logged_on_pair()
    pair.client.execute(ExecuteRequest.for_query("select n, s from t", prefetch_rows=2))
    pair.server.receive_data(pair.client.data_to_send())
    with server_sends_bit_vectors(pretend_first=ROWS[0]) as vectors:
        while (ev := pair.server.next_event()) is not NEED_DATA:
            if isinstance(ev, ExecuteRequested):
                pair.server.send_describe(COLUMNS)
                pair.server.send_rows(ROWS[:2])
                pair.server.complete_call(more_rows=True)
    assert vectors  # the very first row went out with one
    pair.client.receive_data(pair.server.data_to_send())
    with pytest.raises(DecodeError, match="no previous row"):
        while pair.client.next_event() is not NEED_DATA:
            pass


def test_other_decoders_do_not_reuse_the_last_row() -> None:
    """The last row is repeated only into a FETCH decoded by the same value
    decoders: values decoded otherwise would come back in the wrong types, so
    such a row is a DecodeError instead."""
    from oracle_sansio.codecs import decode_number_float

    def floats(column: object) -> object:
        return decode_number_float if getattr(column, "ora_type", None) == OracleType.NUMBER else None

    pair = logged_on_pair()
    serve = Batches(pair)
    with server_sends_bit_vectors():
        pair.client.execute(ExecuteRequest.for_query("select n, s from t", prefetch_rows=1), decoders=floats)  # type: ignore[arg-type]
        pair.pump(serve)
        assert _rows_of(pair) == ([(1.0, "a")], True)
        cursor_id = next(iter(pair.client.cursors))
        pair.client.fetch(cursor_id, 1, decoders=floats)  # type: ignore[arg-type]
        pair.pump(serve)
        got = _rows_of(pair)
        assert got == ([(1.0, "b")], True) and type(got[0][0][0]) is float
        pair.client.fetch(cursor_id, 1)
        with pytest.raises(DecodeError, match="no previous row"):
            pair.pump(serve)
