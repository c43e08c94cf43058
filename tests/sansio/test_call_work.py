"""Work per call on the client machine (issue 14): counted, not timed."""

from __future__ import annotations

import enum

import pytest

from oracle_sansio.connection.events import NEED_DATA, CallCompleted, ClientEvent, NeedData, RowsReceived
from oracle_sansio.connection.states import ClientInput, ClientState
from oracle_sansio.connection._call import CallInput, CallState
from oracle_sansio.ttc import wire
from oracle_sansio.ttc.messages.execute import ExecuteRequest, ReexecuteRequest
from oracle_sansio.ttc.messages.status import ErrorInfo
from tests.sansio.test_connection_calls import ROWS, QueryServer, run
from tests.sansio.test_connection_pair import logged_on_pair
from oracle_sansio.connection import _client_calls, client
from oracle_sansio.ttc.messages import status
from tests.compiled import pure_only


def test_state_enums_hash_without_python_code() -> None:
    for cls in (ClientState, ClientInput, CallState, CallInput):
        assert cls.__dict__["__hash__"] is object.__hash__
        member = next(iter(cls))
        assert {member: 1}[member] == 1 and hash(member) == object.__hash__(member)


@pure_only(wire, client, _client_calls, status)
def test_a_reply_is_parsed_by_one_reader_and_no_enum_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    pair = logged_on_pair()
    handler = QueryServer(pair)
    pair.client.execute(ExecuteRequest.for_query("select id, name, created, amount from t"))
    run(pair, handler)
    request = ReexecuteRequest.for_query(1, prefetch_rows=3)
    readers = [0]
    hashes = [0]
    reader_init = wire.Reader.__init__
    enum_hash = enum.Enum.__hash__

    def counting_reader(self: wire.Reader, *args: object, **kwargs: object) -> None:
        readers[0] += 1
        reader_init(self, *args, **kwargs)  # type: ignore[arg-type]

    def counting_hash(self: enum.Enum) -> int:
        hashes[0] += 1
        return enum_hash(self)

    pair.client.execute(request)
    pair.server.receive_data(pair.client.data_to_send())
    # The server answers; only the client's work on the reply is counted.
    while (sev := pair.server.next_event()) is not NEED_DATA:
        handler(sev)
    reply = pair.server.data_to_send()
    monkeypatch.setattr(wire.Reader, "__init__", counting_reader)
    monkeypatch.setattr(enum.Enum, "__hash__", counting_hash)
    pair.client.receive_data(reply)
    events: list[ClientEvent | NeedData] = []
    while (ev := pair.client.next_event()) is not NEED_DATA:
        events.append(ev)
    monkeypatch.undo()
    assert [type(e) for e in events] == [RowsReceived, CallCompleted]
    assert isinstance(events[0], RowsReceived) and events[0].rows == ROWS[:3]
    assert readers[0] == 1  # one reader for the rows, the ERROR and the end of the reply
    assert hashes[0] == 0  # the transition tables hash states by identity


@pure_only(wire, client, _client_calls, status)
def test_an_error_message_repeating_the_last_ones_bytes_is_not_decoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    pair = logged_on_pair()
    handler = QueryServer(pair)
    pair.client.execute(ExecuteRequest.for_query("select id, name, created, amount from t"))
    run(pair, handler)
    decoded = [0]
    decode = ErrorInfo.decode_body.__func__  # type: ignore[attr-defined]

    def counting(cls: type[ErrorInfo], /, *args: object, **kwargs: object) -> ErrorInfo:
        decoded[0] += 1
        info: ErrorInfo = decode(cls, *args, **kwargs)
        return info

    monkeypatch.setattr(ErrorInfo, "decode_body", classmethod(counting))
    ends = []
    for prefetch in (3, 3, 3, 2):
        pair.client.execute(ReexecuteRequest.for_query(1, prefetch_rows=prefetch))
        events = run(pair, handler)
        done = events[-1]
        assert isinstance(done, CallCompleted) and done.info is not None
        ends.append(done)
    first, second, third, other = ends
    assert decoded[0] == 2  # the first of the three equal replies, and the different one
    assert second.info is first.info and third.info is first.info and first.row_count == 3
    assert other.info is not first.info and other.row_count == 2 and other.info is not None
    assert other.info.row_count == 2
