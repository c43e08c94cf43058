"""Client piggybacks: SET_SCHEMA round trip, bounds, and the machines carrying it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle_sansio.connection.events import PingRequested, SessionAttributesChanged
from oracle_sansio.errors import LimitExceededError, NeedMoreData
from oracle_sansio.limits import Limits
from oracle_sansio.ttc.constants import FunctionCode
from oracle_sansio.ttc.messages.function import FunctionHeader
from oracle_sansio.ttc.messages.calls import SetSchema
from oracle_sansio.ttc.wire import Reader, Writer
from tests.sansio.test_connection_pair import logged_on_pair


def _encoded(schema: str) -> bytes:
    w = Writer()
    SetSchema(schema=schema).encode(w, seq=3, token=None)
    return w.getvalue()


@given(st.text(min_size=1, max_size=300))
def test_set_schema_round_trip(schema: str) -> None:
    r = Reader(_encoded(schema))
    header = FunctionHeader.decode(r, has_token=False)
    assert header.code == FunctionCode.SET_SCHEMA
    assert SetSchema.decode_body(r) == SetSchema(schema=schema) and r.at_end()


def test_set_schema_bounds() -> None:
    data = _encoded("X" * 100)
    r = Reader(data, limits=Limits(max_bytes_length=10))
    FunctionHeader.decode(r, has_token=False)
    with pytest.raises(LimitExceededError):
        SetSchema.decode_body(r)
    for cut in range(4, len(data)):  # any truncation asks for more, never reads past the end
        r = Reader(data[:cut])
        with pytest.raises(NeedMoreData):
            FunctionHeader.decode(r, has_token=False)
            SetSchema.decode_body(r)


def test_current_schema_travels_with_the_next_call() -> None:
    pair = logged_on_pair()
    pair.client.set_current_schema("HR")
    pair.client.ping()
    seen: list[object] = []

    def handle(ev: object) -> None:
        seen.append(ev)
        if isinstance(ev, PingRequested):
            pair.server.complete_call()

    pair.pump(handle)
    changed = [e for e in seen if isinstance(e, SessionAttributesChanged)]
    assert changed == [SessionAttributesChanged(values=(("current_schema", "HR"),))]
