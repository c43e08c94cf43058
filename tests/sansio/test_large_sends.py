"""A large request (a LOB write, a LONG bind) is copied few times on its way
out: memory counted with tracemalloc, as a multiple of the value (issue 14,
large-lob).  Packets are the same as before."""

from __future__ import annotations

import tracemalloc

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import NEED_DATA, LobOpCompleted
from oracle_sansio.tns.framer import PacketWriter
from oracle_sansio.ttc.messages.lob import LobOpRequest, make_locator
from oracle_sansio.ttc.wire import Writer
from tests.sansio.pair import Pair
from tests.sansio.test_connection_pair import logged_on_pair

SIZE = 4_000_000


def test_data_into_appends_what_data_returns() -> None:
    writer = PacketWriter(sdu=8192, large=True)
    for payload in (b"", b"x", bytes(range(256)) * 100):
        out = bytearray(b"head")
        writer.data_into(out, payload, flags=0x20, last_flags=0x800)
        assert bytes(out) == b"head" + writer.data(payload, flags=0x20, last_flags=0x800)


def test_writer_view_is_what_getvalue_gives() -> None:
    w = Writer()
    w.clr(b"z" * 1000)
    assert w.view() == w.getvalue()


def test_a_lob_write_is_copied_at_most_twice_on_its_way_out() -> None:
    pair = logged_on_pair()
    data = b"\x01" * SIZE
    locator = make_locator(1, ora_type=OracleType.BLOB, csfrm=0, temporary=True)
    tracemalloc.start()
    try:
        pair.client.lob_op(LobOpRequest.write(locator, 1, data))
        sent = pair.client.data_to_send()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(sent) > SIZE
    # The encoded message, then the packets (and their bytes for the owner): about
    # 2 x the value.  Copying the message out of its writer, the packets out of the
    # framer and into the output buffer took 4-5 x.
    assert peak < 2.6 * SIZE, peak / SIZE


def _read_reply(size: int) -> tuple[Pair, bytes]:
    """A logged-on pair whose client has sent a READ of a ``size``-byte BLOB, and the server's reply."""
    pair = logged_on_pair()
    blob = pair.server.lobs.create(b"\x02" * size, ora_type=OracleType.BLOB)
    pair.client.lob_op(LobOpRequest.read(blob.locator, 1, size))
    pair.server.receive_data(pair.client.data_to_send())
    assert pair.server.next_event() is NEED_DATA  # the server role answers LOB_OP itself
    return pair, pair.server.data_to_send()


def test_a_lob_read_is_copied_once_out_of_the_packets_and_not_kept() -> None:
    pair, reply = _read_reply(SIZE)
    sdu = pair.client.caps.sdu
    packets = [reply[i : i + sdu] for i in range(0, len(reply), sdu)]
    del reply
    tracemalloc.start()
    try:
        done = None
        for packet in packets:
            pair.client.receive_data(packet)
            while (event := pair.client.next_event()) is not NEED_DATA:
                done = event
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(done, LobOpCompleted) and done.data == b"\x02" * SIZE
    # The message buffer, then the value: each chunk is copied once, into the value
    # (it was copied into a list of parts, then joined: 3 x), and the message
    # buffer goes once the message is read (it stayed until the next packet).
    assert peak < 2.3 * SIZE, peak / SIZE
    assert current < 1.2 * SIZE, current / SIZE
