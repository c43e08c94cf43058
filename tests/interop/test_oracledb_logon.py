"""python-oracledb 26.1 (thin, sync and asyncio) against our ServerConnection."""

from __future__ import annotations

import asyncio

import oracledb
import pytest

from oracle_sansio.connection.server import ServerConfig
from tests.interop.double import DoubleServer
from tests.sansio.pair import verifier_for

pytestmark = pytest.mark.interop


@pytest.mark.parametrize("verifier_type", [0x4815, 0xB152])
@pytest.mark.parametrize(("eor", "fv"), [(True, 24), (False, 8)])
def test_sync_logon_ping_commit_close(verifier_type: int, eor: bool, fv: int) -> None:
    users = {"SCOTT": verifier_for("tiger", verifier_type)}
    with DoubleServer(users=users, config=ServerConfig(end_of_response=eor, field_version=fv)) as server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        assert conn.version == ("23.5.0.24.7" if fv >= 11 else "23.5.0.8.7")
        conn.ping()
        conn.commit()
        conn.rollback()
        assert conn.is_healthy()
        conn.close()


def test_async_logon_ping_close() -> None:
    async def main(dsn: str) -> None:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=dsn)
        await conn.ping()
        await conn.commit()
        await conn.close()

    with DoubleServer() as server:
        asyncio.run(asyncio.wait_for(main(server.dsn), 20))


def test_wrong_password_and_unknown_service() -> None:
    with DoubleServer() as server:
        with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
            oracledb.connect(user="scott", password="nope", dsn=server.dsn)
        with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
            oracledb.connect(user="nobody", password="tiger", dsn=server.dsn)
        with pytest.raises(oracledb.OperationalError, match="DPY-6001"):
            oracledb.connect(user="scott", password="tiger", dsn=f"127.0.0.1:{server.port}/OTHER")


def test_long_connect_descriptor_goes_in_a_data_packet() -> None:
    with DoubleServer() as server:
        dsn = (
            f"(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={server.port}))"
            f"(CONNECT_DATA=(SERVICE_NAME=FREEPDB1)(EXTRA_KEY={'x' * 200})))"
        )
        conn = oracledb.connect(user="scott", password="tiger", dsn=dsn)
        conn.ping()
        conn.close()
