"""Packets that arrive together are parsed once (issue 14): the client machine
appends the TTC bytes of every whole DATA packet already buffered and parses
after the last, so a message cut at a packet boundary is not read again."""

from __future__ import annotations

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import NEED_DATA, CallCompleted, ExecuteRequested, RowsReceived
from oracle_sansio.tns.framer import PacketReader
from oracle_sansio.tns.packets import Data, Marker
from oracle_sansio.tns.constants import DataFlag, MarkerType
from oracle_sansio.ttc.messages.describe import column_for
from oracle_sansio.ttc.messages.execute import ExecuteRequest
from tests.sansio.test_connection_pair import logged_on_pair

ROWS = [(n, f"{n:05d}" * 60) for n in range(200)]  # about 60 KB: several SDU-sized packets


def _reply() -> tuple[object, bytes]:
    pair = logged_on_pair()
    pair.client.execute(ExecuteRequest.for_query("select n, s from t", prefetch_rows=500))
    pair.server.receive_data(pair.client.data_to_send())
    while (ev := pair.server.next_event()) is not NEED_DATA:
        if isinstance(ev, ExecuteRequested):
            pair.server.send_describe([column_for("N", OracleType.NUMBER),
                                       column_for("S", OracleType.VARCHAR, max_size=4000)])
            pair.server.send_rows(ROWS)
            pair.server.complete_call(more_rows=False)
    return pair, pair.server.data_to_send()


def _fetch(chunk_size: int) -> tuple[int, int]:
    """(parse attempts, packets) for the reply fed in ``chunk_size`` pieces."""
    pair, reply = _reply()
    client = pair.client  # type: ignore[attr-defined]
    before = client.parse_work[0]
    got: list[tuple[object, ...]] = []
    done = False
    for pos in range(0, len(reply), chunk_size):
        client.receive_data(reply[pos : pos + chunk_size])
        while (ev := client.next_event()) is not NEED_DATA:
            if isinstance(ev, RowsReceived):
                got.extend(ev.rows)
            done = done or isinstance(ev, CallCompleted)
    assert done and got == ROWS
    reader = PacketReader(large=True)  # the framing after a 23ai negotiation
    reader.receive_data(reply)
    packets = 0
    while reader.next_raw_packet() is not None:
        packets += 1
    return client.parse_work[0] - before, packets


def test_a_reply_received_in_one_chunk_is_parsed_without_a_retry_per_packet() -> None:
    sdu = logged_on_pair().client.caps.sdu
    per_packet, packets = _fetch(sdu)
    whole, _ = _fetch(1 << 30)
    assert packets >= 5
    # Fed packet by packet, each boundary inside a message costs an attempt that runs
    # short; fed whole, none does.
    assert whole + packets - 1 <= per_packet


def test_the_peek_answers_only_for_a_whole_data_packet_that_is_not_the_end_of_stream() -> None:
    reader = PacketReader()
    assert not reader.whole_data_next()
    data = Data(payload=b"\x01\x02\x03").encode()
    reader.receive_data(data[:-1])
    assert not reader.whole_data_next()  # not whole yet
    reader.receive_data(data[-1:])
    assert reader.whole_data_next()
    assert reader.next_packet() is not None and not reader.whole_data_next()
    reader.receive_data(Data(data_flags=DataFlag.EOF).encode())
    assert not reader.whole_data_next()  # the end of the stream is handled where it is read
    reader.next_packet()
    reader.receive_data(Marker(marker=MarkerType.BREAK).encode())
    assert not reader.whole_data_next()
