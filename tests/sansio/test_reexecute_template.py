"""A re-execute without bind values (issue 14) goes out from its cursor's byte
template: the same bytes the general path writes, with its own sequence byte,
and the general path still serves every other case."""

from __future__ import annotations

import pytest

from oracle_sansio.connection.events import CallCompleted, RowsReceived
from oracle_sansio.connection.server import ServerConfig
from oracle_sansio.errors import LocalProtocolError
from oracle_sansio.ttc.messages.execute import ExecuteRequest, ReexecuteRequest
from oracle_sansio.ttc.wire import Writer
from tests.sansio.pair import Pair
from tests.sansio.test_connection_calls import ROWS, QueryServer, run
from tests.sansio.test_connection_pair import logged_on_pair


def _queried(fv: int) -> tuple[Pair, QueryServer]:
    pair = logged_on_pair(ServerConfig(end_of_response=fv >= 17, field_version=fv))
    handler = QueryServer(pair)
    pair.client.execute(ExecuteRequest.for_query("select id, name, created, amount from t"))
    run(pair, handler)
    return pair, handler


def _sent(pair: Pair, request: ReexecuteRequest, *, general: bool) -> bytes:
    meta = pair.client.cursors[request.cursor_id]
    # Passing the columns takes the general path (the template serves columns=None only).
    pair.client.execute(request, columns=meta.columns if general else None)
    return pair.client.data_to_send()


@pytest.mark.parametrize("fv", [24, 8])
def test_template_bytes_are_the_general_paths(fv: int) -> None:
    pair, handler = _queried(fv)
    request = ReexecuteRequest.for_query(1, prefetch_rows=3)
    for general in (True, False, False, True, False):
        seq_before = pair.client._seq  # noqa: SLF001 - the sequence the request must carry
        out = _sent(pair, request, general=general)
        w = Writer()
        request.encode(w, seq=seq_before % 255 + 1, token=0 if pair.client.caps.has_token else None, binds=(),
                       max_string_size=pair.client.caps.max_string_size)
        assert out.endswith(w.getvalue())  # the header, then exactly the general encoding
        pair.server.receive_data(out)
        pair.client_events.clear()
        pair.pump(handler)
        events = pair.client_events
        assert [type(e) for e in events] == [RowsReceived, CallCompleted]
        assert isinstance(events[0], RowsReceived) and events[0].rows == ROWS[:3]
    assert pair.client.cursors[1].template is not None


def test_a_piggyback_or_another_request_takes_the_general_path() -> None:
    pair, handler = _queried(24)
    pair.client.execute(ReexecuteRequest.for_query(1, prefetch_rows=3))
    run(pair, handler)
    template = pair.client.cursors[1].template
    assert template is not None and template[0] == ReexecuteRequest.for_query(1, prefetch_rows=3)
    pair.client.close_cursors([77])  # a piggyback must ride along: not from the template
    pair.client.execute(ReexecuteRequest.for_query(1, prefetch_rows=2))
    out = pair.client.data_to_send()
    assert out[10] == 0x11  # the CLOSE_CURSORS piggyback comes first
    pair.server.receive_data(out)
    pair.client_events.clear()
    pair.pump(handler)
    assert [type(e) for e in pair.client_events] == [RowsReceived, CallCompleted]
    # Another request on the same cursor makes a new template.
    pair.client.execute(ReexecuteRequest.for_query(1, prefetch_rows=2))
    run(pair, handler)
    template = pair.client.cursors[1].template
    assert template is not None and template[0] == ReexecuteRequest.for_query(1, prefetch_rows=2)


def test_the_template_is_used_and_a_reexecute_in_call_still_fails() -> None:
    pair, handler = _queried(24)
    request = ReexecuteRequest.for_query(1, prefetch_rows=3)
    pair.client.execute(request)
    run(pair, handler)
    calls = [0]
    original = ReexecuteRequest.encode

    def counting(self: ReexecuteRequest, *args: object, **kwargs: object) -> None:
        calls[0] += 1
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ReexecuteRequest, "encode", counting)
        for _ in range(3):
            pair.client.execute(request)
            run(pair, handler)
    assert calls[0] == 0  # sent from the template, not encoded again
    pair.client.execute(request)
    with pytest.raises(LocalProtocolError, match="SEND_CALL is not allowed in state IN_CALL"):
        pair.client.execute(request)
