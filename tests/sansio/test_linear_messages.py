"""Messages that span packets are re-read from their start on each packet; the
parse memo keeps that linear for the parts of them that can be long (issue 12,
item 8): batch-error lists in an ERROR and the head (SQL, binds) of an EXECUTE
whose rows are still arriving.  And a LOB READ answered in several LOB_DATA
messages costs their size.

Work is counted by a reader that counts the fields it reads and the bytes of
the strings it returns; each test feeds one message in 8 KB pieces, re-reading
it from its start with one memo, as a connection does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import pytest

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection import _client_calls as client_calls_module
from oracle_sansio.connection import server as server_module
from oracle_sansio.connection.events import NEED_DATA, LobOpCompleted
from oracle_sansio.errors import NeedMoreData
from oracle_sansio.ttc.messages import lob
from oracle_sansio.ttc.messages.binds import bind_metadata_for_values
from oracle_sansio.ttc.messages.execute import ExecuteRequest
from oracle_sansio.ttc.messages.function import FunctionHeader
from oracle_sansio.ttc.messages.lob import LobOpRequest
from oracle_sansio.ttc.messages.status import BatchError, ErrorInfo
from oracle_sansio.ttc import wire
from oracle_sansio.ttc.wire import ParseMemo, Reader, Writer
from tests.sansio.pair import Pair
from tests.sansio.test_connection_pair import logged_on_pair

FV = 24
PACKET = 8192
T = TypeVar("T")

#: The counting reader below subclasses Reader, which a mypyc-compiled build forbids; these
#: tests count the work of the same source in the pure run.
needs_pure_reader = pytest.mark.skipif(
    not wire.__file__.endswith(".py"), reason="counts by subclassing Reader: pure build only"
)


class CountingReader(Reader):
    """A reader that counts the integers it reads and the bytes of strings it returns."""

    __slots__ = ("fields", "string_bytes")

    def __init__(self, data: bytearray, *, memo: ParseMemo) -> None:
        super().__init__(data, memo=memo)
        self.fields = 0
        self.string_bytes = 0

    def ub2(self) -> int:
        self.fields += 1
        return super().ub2()

    def ub4(self) -> int:
        self.fields += 1
        return super().ub4()

    def clr(self) -> bytes | None:
        value = super().clr()
        self.string_bytes += len(value or b"")
        return value


def _read_in_packets(data: bytes, decode: Callable[[CountingReader], T]) -> tuple[T, int, int, int]:
    """(decoded value, attempts, fields read, string bytes returned) over all re-reads."""
    memo = ParseMemo()
    buf = bytearray()
    fields = strings = attempts = 0
    for start in range(0, len(data), PACKET):
        buf += data[start : start + PACKET]
        r = CountingReader(buf, memo=memo)
        attempts += 1
        try:
            value = decode(r)
        except NeedMoreData:
            continue
        finally:
            fields += r.fields
            strings += r.string_bytes
        assert r.at_end()
        return value, attempts, fields, strings
    raise AssertionError("the message never completed")


# ------------------------------------------------------------- batch errors


def _batch_error_work(count: int) -> tuple[int, int]:
    errors = tuple(
        BatchError(code=1, offset=i, message=f"ORA-00001: unique constraint (U.PK) violated in row {i}")
        for i in range(count)
    )
    info = ErrorInfo(number=24381, message="ORA-24381: error(s) in array DML", batch_errors=errors)
    w = Writer()
    info.encode(w, field_version=FV)
    data = w.getvalue()

    def decode(r: CountingReader) -> ErrorInfo:
        r.ub1()
        return ErrorInfo.decode_body(r, field_version=FV)

    got, attempts, fields, _ = _read_in_packets(data, decode)
    assert got.batch_errors == errors
    assert attempts > count // 200  # the message spans many packets
    return attempts, fields


@needs_pure_reader
def test_batch_errors_over_many_packets_are_read_once() -> None:
    """Each batch error's fields are read about once, not once per packet (the
    lists, up to 65,535 entries, used to be decoded again on every packet)."""
    count = 8_000
    attempts, fields = _batch_error_work(count)
    # Three lists of one entry per error (a message entry: length and CLR),
    # plus the ERROR's own fields on each attempt.
    assert fields <= 4 * count + 40 * attempts, (count, attempts, fields)


# -------------------------------------------------------------- EXECUTE head


def _executemany_work(sql: str, rows: int) -> tuple[int, int, int]:
    """(attempts, string bytes read, RETURNING lookups) for an executemany of ``rows`` rows of ``sql``."""
    values = [(i, i * 7) for i in range(rows)]
    binds = tuple(bind_metadata_for_values([row[i] for row in values]) for i in range(2))
    w = Writer()
    ExecuteRequest.for_dml(sql, binds=binds, rows=values).encode(
        w, seq=3, token=0, field_version=FV, max_string_size=32767
    )
    data = w.getvalue()
    lookups: list[str | None] = []

    def returning(text: str | None, cursor_id: int) -> Sequence[int]:
        lookups.append(text)
        return ()

    def decode(r: CountingReader) -> ExecuteRequest:
        header = FunctionHeader.decode(r, has_token=True)
        return ExecuteRequest.decode_body(r, header, field_version=FV, max_string_size=32767, returning=returning)

    got, attempts, _, strings = _read_in_packets(data, decode)
    assert got.sql == sql and got.rows == tuple(values)
    assert attempts > rows // 2_000  # the rows span many packets
    return attempts, strings, len(lookups)


@needs_pure_reader
def test_an_execute_head_is_read_once_while_its_rows_arrive() -> None:
    """While an executemany's rows arrive packet by packet, its SQL text is
    decoded once and the RETURNING lookup made once (both used to be repeated
    on every packet: a long statement cost its length times the packets)."""
    sql = "insert into t (a, b) values (:1, :2) -- " + "x" * 20_000
    short_attempts, short_strings, short_lookups = _executemany_work("insert into t (a, b) values (:1, :2)", 20_000)
    attempts, strings, lookups = _executemany_work(sql, 20_000)
    assert attempts >= 20 and lookups == short_lookups == 1, (attempts, lookups, short_lookups)
    assert strings - short_strings <= len(sql), (strings, short_strings, attempts)


# ---------------------------------------------------------------- LOB_DATA


class _CountedBytes(bytes):
    """LOB_DATA as the client decodes it, counting the bytes that ``+`` copies."""

    copied = 0

    def __add__(self, other: bytes) -> bytes:  # type: ignore[override]
        _CountedBytes.copied += len(self) + len(other)
        return bytes(self) + other

    def __radd__(self, other: bytes) -> bytes:
        _CountedBytes.copied += len(other) + len(self)
        return other + bytes(self)


def test_lob_data_in_many_messages_is_joined_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A READ answered by several LOB_DATA messages yields their bytes in order,
    joined once (they used to be joined with ``+``: the square of the size)."""
    pieces = [bytes([65 + i % 26]) * 1000 for i in range(400)]

    def split_lob_data(w: Writer, data: bytes) -> None:
        for start in range(0, len(data), 1000):
            lob.encode_lob_data(w, data[start : start + 1000])

    def counted(r: Reader) -> bytes:
        return _CountedBytes(lob.decode_lob_data_body(r))

    monkeypatch.setattr(server_module, "encode_lob_data", split_lob_data)
    monkeypatch.setattr(client_calls_module, "decode_lob_data_body", counted)
    monkeypatch.setattr(_CountedBytes, "copied", 0)
    pair = logged_on_pair()
    created = _lob_op(pair, LobOpRequest.create_temp(OracleType.BLOB, 1, 0))
    assert created.result.locator is not None
    _lob_op(pair, LobOpRequest.write(created.result.locator, 1, b"".join(pieces)))
    read = _lob_op(pair, LobOpRequest.read(created.result.locator, 1, 400_000))
    assert read.data == b"".join(pieces)
    assert _CountedBytes.copied <= 400_000, _CountedBytes.copied  # joined with +: about 80 MB


def _lob_op(pair: Pair, request: LobOpRequest) -> LobOpCompleted:
    pair.client.lob_op(request)
    pair.server.receive_data(pair.client.data_to_send())
    while pair.server.next_event() is not NEED_DATA:
        pass
    pair.client.receive_data(pair.server.data_to_send())
    events = []
    while (ev := pair.client.next_event()) is not NEED_DATA:
        events.append(ev)
    assert isinstance(events[-1], LobOpCompleted), events
    return events[-1]
