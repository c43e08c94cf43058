"""Well-formed LOB_OP requests the store cannot carry out are answered with an
ORA error or stored as Oracle stores them; none raises (which would end the session)."""

from __future__ import annotations

import pytest

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.lobs import LobStore
from oracle_sansio.ttc.constants import LobOp
from oracle_sansio.ttc.messages.lob import LobOpRequest


@pytest.mark.parametrize(("ora_type", "csfrm"), [(OracleType.NUMBER, 1), (OracleType.BFILE, 1), (OracleType.CLOB, 3)])
def test_create_temp_of_no_lob_type_is_ora_24801(ora_type: int, csfrm: int) -> None:
    store = LobStore()
    answer = store.handle(LobOpRequest(operation=LobOp.CREATE_TEMP, dest_offset=ora_type, source_offset=csfrm))
    assert answer.error is not None and answer.error.number == 24801
    assert answer.result is None and len(store) == 0


@pytest.mark.parametrize(("csfrm", "data", "expected"), [(1, b"ab\xffc", "ab\ufffdc"), (2, b"\x00a\xd8\x00", "a\ufffd")])
def test_clob_write_of_bytes_that_are_not_text_stores_replacement_characters(
    csfrm: int, data: bytes, expected: str,
) -> None:
    store = LobStore()
    value = store.create("", ora_type=OracleType.CLOB, csfrm=csfrm)
    answer = store.handle(LobOpRequest.write(value.locator, 1, data))
    assert answer.error is None
    assert store.content(value.locator) == expected
