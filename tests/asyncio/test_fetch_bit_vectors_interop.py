"""Rows whose columns repeat across FETCH boundaries, with the embedded server
sending BIT_VECTORs the way Oracle does (tests/sansio/bit_vectors.py): the
first row of a FETCH reply leaves out the columns equal to the last row of the
fetch before.  oracle_asyncio must read the same rows as python-oracledb 26.1
(thin, sync) from the same server.
"""

from __future__ import annotations

import asyncio
from typing import Any

import oracledb
import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer
from tests.sansio.bit_vectors import server_sends_bit_vectors

pytestmark = pytest.mark.interop

# Runs of equal values straddle every boundary of batches of 1, 2 or 3 rows.
ROWS = [(i, i // 3, f"name {i // 4}" if i % 5 else None) for i in range(20)]
QUERY = "select id, grp, name from t order by id"
SIZES = [(1, 1), (2, 2), (3, 2), (2, 0), (1, 5)]  # (arraysize, prefetchrows)


def _theirs(dsn: str) -> list[list[Any]]:
    conn = oracledb.connect(user="scott", password="tiger", dsn=dsn)
    try:
        out = []
        for arraysize, prefetch in SIZES:
            cur = conn.cursor()
            cur.arraysize, cur.prefetchrows = arraysize, prefetch
            cur.execute(QUERY)
            got: list[Any] = []
            for _ in range(len(ROWS) + 1):  # bounded: fetchmany(1) returns a row per call
                batch = cur.fetchmany(1)
                if not batch:
                    break
                got.extend(batch)
            out.append(got)
        return out
    finally:
        conn.close()


async def _ours(dsn: str) -> list[list[Any]]:
    conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn)
    try:
        out = []
        for arraysize, prefetch in SIZES:
            cur = conn.cursor()
            cur.arraysize, cur.prefetchrows = arraysize, prefetch
            await cur.execute(QUERY)
            got: list[Any] = []
            for _ in range(len(ROWS) + 1):
                batch = await cur.fetchmany(1)
                if not batch:
                    break
                got.extend(batch)
            out.append(got)
        return out
    finally:
        await conn.close()


def test_rows_equal_python_oracledb_across_fetches() -> None:
    async def main() -> tuple[list[list[Any]], list[list[Any]], list[bytes]]:
        async with EmbeddedServer() as server:
            setup = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
            cur = setup.cursor()
            await cur.execute("create table t (id number, grp number, name varchar2(20))")
            await cur.executemany("insert into t values (:1, :2, :3)", ROWS)
            await setup.commit()
            await setup.close()
            with server_sends_bit_vectors() as vectors:
                theirs = await asyncio.to_thread(_theirs, server.dsn)
                ours = await _ours(server.dsn)
            return theirs, ours, vectors

    theirs, ours, vectors = asyncio.run(asyncio.wait_for(main(), 60))
    assert vectors  # the server did leave columns out
    assert theirs == [[tuple(r) for r in ROWS]] * len(SIZES)
    assert ours == theirs
