"""Our ClientConnection reads, writes, trims and sizes LOBs, and binds
temporary LOBs, against the same ServerConnection double python-oracledb uses."""

from __future__ import annotations

import pytest

from examples.blocking_query import BlockingSession
from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import LobOpCompleted, ServerErrorReceived
from oracle_sansio.ttc.messages.binds import lob_bind_metadata
from oracle_sansio.ttc.messages.execute import ExecuteRequest
from oracle_sansio.ttc.messages.lob import LobOpRequest, LobValue
from tests.interop.test_oracledb_lobs import VALUES, LobHandler
from tests.interop.double import DoubleServer

pytestmark = pytest.mark.interop


def _op(session: BlockingSession, request: LobOpRequest) -> LobOpCompleted:
    session.conn.lob_op(request)
    last = session._run()[-1]
    assert isinstance(last, LobOpCompleted), last
    return last


def test_client_lob_operations() -> None:
    handler = LobHandler()
    with DoubleServer(on_call=handler) as server:
        session = BlockingSession(server.dsn, "scott", "tiger")
        _, rows = session.query("select c1, c32k, cmulti, nc, b0, b5m from lobs")
        lobs = dict(zip(VALUES, rows[0]))
        for name, want in VALUES.items():
            lob = lobs[name]
            assert isinstance(lob, LobValue) and lob.size == len(want)
            got = _op(session, LobOpRequest.get_length(lob.locator)).result.amount
            assert got == len(want)
            data = _op(session, LobOpRequest.read(lob.locator, 1, 2**32 - 1)).data or b""
            encoding = "utf-16-be" if name == "nc" else "utf-8"
            assert (data if isinstance(want, bytes) else data.decode(encoding)) == want
        # pieces, write, trim, chunk size
        c32k = lobs["c32k"]
        assert isinstance(c32k, LobValue)
        piece = _op(session, LobOpRequest.read(c32k.locator, 27, 5)).data
        assert piece == str(VALUES["c32k"])[26:31].encode()
        _op(session, LobOpRequest.write(c32k.locator, 1, "ÀB".encode()))
        assert _op(session, LobOpRequest.read(c32k.locator, 1, 3)).data == "ÀBc".encode()
        _op(session, LobOpRequest.trim(c32k.locator, 10))
        assert _op(session, LobOpRequest.get_length(c32k.locator)).result.amount == 10
        assert (_op(session, LobOpRequest.get_chunk_size(c32k.locator)).result.amount or 0) > 0
        # a temporary LOB: create, write, bind, free (piggybacked on the next call)
        created = _op(session, LobOpRequest.create_temp(OracleType.CLOB, 1, 873))
        temp = created.result.locator
        assert temp is not None
        _op(session, LobOpRequest.write(temp, 1, b"temporary"))
        session.conn.execute(
            ExecuteRequest.for_dml(
                "insert into t values (:1)",
                binds=(lob_bind_metadata(OracleType.CLOB, 1),),
                rows=[(LobValue(locator=temp),)],
            )
        )
        session._run()
        assert handler.bound[-1] == ("temporary",)
        session.conn.free_temporary_lobs([temp])
        session.conn.lob_op(LobOpRequest.get_length(temp))
        last = session._run()[-1]
        assert isinstance(last, ServerErrorReceived) and last.code == 22922
        session.close()
