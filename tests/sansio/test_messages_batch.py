"""executemany options (docs/protocol-ttc.md 3.7, 4.5, 4.7): batch errors and array
DML row counts, as codecs and through both machines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.connection.events import CallCompleted, ExecuteRequested, ServerErrorReceived, ServerEvent
from oracle_sansio.connection.server import ServerConfig
from oracle_sansio.ttc.constants import ExecFlag, ExecOption, MessageType
from oracle_sansio.ttc.messages.binds import bind_metadata_for_values
from oracle_sansio.ttc.messages.execute import ExecuteRequest
from oracle_sansio.ttc.messages.function import FunctionHeader
from oracle_sansio.ttc.messages.status import BatchError, ErrorInfo, ReturnParameters
from oracle_sansio.ttc.wire import Reader, Writer
from tests.sansio.pair import Pair
from tests.sansio.test_connection_pair import logged_on_pair

FV = 24
SQL = "insert into t values (:1)"
MSG_1 = "ORA-00001: unique constraint (SCOTT.PK) violated"
MSG_1400 = 'ORA-01400: cannot insert NULL into ("SCOTT"."T"."ID")'


def _round_trip(request: ExecuteRequest, fv: int = FV) -> ExecuteRequest:
    w = Writer()
    request.encode(w, seq=3, token=0 if fv >= 18 else None, field_version=fv, max_string_size=32767)
    r = Reader(w.getvalue())
    header = FunctionHeader.decode(r, has_token=fv >= 18)
    decoded = ExecuteRequest.decode_body(r, header, field_version=fv, max_string_size=32767)
    assert r.remaining == 0
    return decoded


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=20),
    batch_errors=st.booleans(),
    dml_rowcounts=st.booleans(),
    fv=st.sampled_from([8, 12, 24]),
)
def test_execute_request_options_round_trip(values: list[int], batch_errors: bool, dml_rowcounts: bool,
                                             fv: int) -> None:
    rows = [(v,) for v in values]
    binds = (bind_metadata_for_values(values),)
    request = ExecuteRequest.for_dml(SQL, binds=binds, rows=rows, batch_errors=batch_errors,
                                     dml_rowcounts=dml_rowcounts)
    assert bool(request.options & ExecOption.BATCH_ERRORS) == batch_errors == request.batch_errors
    assert bool(request.al8i4[9] & ExecFlag.DML_ROWCOUNTS) == dml_rowcounts
    decoded = _round_trip(request, fv)
    assert decoded.batch_errors == batch_errors and decoded.dml_rowcounts == dml_rowcounts
    assert decoded.num_execs == len(values) and decoded.rows == tuple(rows)


def test_row_count_fields_29_to_31() -> None:
    """Fields 29-31 are 01 / num_execs / 01 with row counts, else 00 00 00 (3.2)."""
    binds = (bind_metadata_for_values([1, 2, 3]),)
    plain, counted = (
        ExecuteRequest.for_dml(SQL, binds=binds, rows=[(1,), (2,), (3,)], dml_rowcounts=flag) for flag in (False, True)
    )
    assert counted.options == plain.options and counted.al8i4[9] == plain.al8i4[9] | 0x4000
    w1, w2 = Writer(), Writer()
    plain.encode(w1, seq=1, token=0, field_version=FV, max_string_size=32767)
    counted.encode(w2, seq=1, token=0, field_version=FV, max_string_size=32767)
    a, b = w1.getvalue(), w2.getvalue()
    assert b"\x01\x01\x03\x01" + b"\x00" * 7 not in a
    assert b"\x01\x01\x03\x01" + b"\x00" * 7 in b


errors_strategy = st.lists(
    st.builds(
        BatchError,
        code=st.integers(1, 65535),
        offset=st.integers(0, 2**32 - 1),
        message=st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF), min_size=1, max_size=80).map(
            lambda t: "ORA-1: " + t.strip() if t.strip() else "ORA-1: x"),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(errors=errors_strategy, row_count=st.integers(0, 2**40), fv=st.sampled_from([8, 24]))
def test_error_with_batch_errors_round_trip(errors: list[BatchError], row_count: int, fv: int) -> None:
    info = ErrorInfo(number=24381 if errors else 0, message="ORA-24381: error(s) in array DML" if errors else None,
                     batch_errors=tuple(errors), row_count=row_count)
    w = Writer()
    info.encode(w, field_version=fv)
    r = Reader(w.getvalue())
    assert r.ub1() == MessageType.ERROR
    decoded = ErrorInfo.decode_body(r, field_version=fv)
    assert r.remaining == 0
    assert decoded.batch_errors == tuple(errors)
    assert (decoded.number, decoded.row_count) == (info.number, row_count)


@given(counts=st.one_of(st.none(), st.lists(st.integers(0, 2**64 - 1), max_size=30)))
def test_parameter_with_row_counts_round_trip(counts: list[int] | None) -> None:
    params = ReturnParameters(al8o4=(1, 2), dml_row_counts=None if counts is None else tuple(counts))
    w = Writer()
    params.encode(w)
    r = Reader(w.getvalue())
    assert r.ub1() == MessageType.PARAMETER
    decoded = ReturnParameters.decode_body(r, dml_row_counts=counts is not None)
    assert r.remaining == 0 and decoded == params


class BatchServer:
    """Inserts values into a set: duplicates and None fail, as ORA-00001 / ORA-01400."""

    def __init__(self, pair: Pair) -> None:
        self.pair = pair
        self.seen: set[object] = set()

    def __call__(self, ev: ServerEvent) -> None:
        if not isinstance(ev, ExecuteRequested):
            return
        server = self.pair.server
        failed: list[BatchError] = []
        counts: list[int] = []
        for offset, (value,) in enumerate(ev.rows):
            code, message = (1400, MSG_1400) if value is None else (1, MSG_1) if value in self.seen else (0, "")
            if code and not ev.batch_errors:
                server.send_error(code, message, row_count=sum(counts), in_transaction=True)
                return
            if code:
                failed.append(BatchError(code=code, offset=offset, message=message))
            else:
                self.seen.add(value)
            counts.append(0 if code else 1)
        server.complete_call(row_count=sum(counts), in_transaction=True, batch_errors=failed,
                             dml_row_counts=counts if ev.dml_row_counts else None)


def _execute(pair: Pair, values: list[int | None], *, batch_errors: bool = False,
             dml_rowcounts: bool = False) -> tuple[ExecuteRequested, object]:
    binds = (bind_metadata_for_values([1]),)
    pair.client_events.clear()
    pair.server_events.clear()
    pair.client.execute(ExecuteRequest.for_dml(SQL, binds=binds, rows=[(v,) for v in values],
                                                batch_errors=batch_errors, dml_rowcounts=dml_rowcounts))
    pair.pump(BatchServer(pair))
    request = pair.server_events[-1]
    assert isinstance(request, ExecuteRequested)
    return request, pair.client_events[-1]


@pytest.mark.parametrize(("eor", "fv"), [(True, 24), (False, 8)])
def test_machines_carry_batch_errors_and_row_counts(eor: bool, fv: int) -> None:
    pair = logged_on_pair(ServerConfig(end_of_response=eor, field_version=fv))
    request, done = _execute(pair, [1, 2, 1, None, 3], batch_errors=True, dml_rowcounts=True)
    assert request.batch_errors and request.dml_row_counts and request.num_execs == 5
    assert isinstance(done, CallCompleted) and done.row_count == 3
    assert done.batch_errors == (BatchError(code=1, offset=2, message=MSG_1),
                                 BatchError(code=1400, offset=3, message=MSG_1400))
    assert done.dml_row_counts == (1, 1, 0, 0, 1)


def test_machines_without_options() -> None:
    pair = logged_on_pair()
    request, done = _execute(pair, [1, 2])
    assert not request.batch_errors and not request.dml_row_counts
    assert isinstance(done, CallCompleted) and done.batch_errors == () and done.dml_row_counts is None
    # Row counts alone: no ORA-24381, the counts arrive in the PARAMETER.
    request, done = _execute(pair, [3, 3], dml_rowcounts=True)
    assert not request.batch_errors and request.dml_row_counts
    assert isinstance(done, ServerErrorReceived) and done.code == 1 and done.info.row_count == 1
    assert pair.client.last_row_count == 1
    request, done = _execute(pair, [4, 5], dml_rowcounts=True)
    assert isinstance(done, CallCompleted) and done.dml_row_counts == (1, 1) and done.batch_errors == ()
    # Batch errors requested, none occurred: ERROR 0 and empty arrays.
    _, done = _execute(pair, [6], batch_errors=True)
    assert isinstance(done, CallCompleted) and done.batch_errors == () and done.info and done.info.number == 0
