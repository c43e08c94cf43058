"""node-oracledb (thin mode), an independent client, against the embedded server.

Skipped unless ``node`` is on PATH and can load the npm ``oracledb`` package
(``npm install oracledb`` somewhere, then point ``NODE_PATH`` at its
``node_modules``).  Checked with node 20.20 and oracledb 26.0.0.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.connection.server import ServerConfig

pytestmark = pytest.mark.interop

_NODE = shutil.which("node")

_SCRIPT = r"""
const oracledb = require('oracledb');
(async () => {
  const conn = await oracledb.getConnection(
    {user: 'scott', password: 'tiger', connectString: process.argv[1]});
  const out = {version: conn.oracleServerVersionString};
  const r = await conn.execute("select 1 + 1 as n, 'hi' as s from dual");
  out.rows = r.rows;
  out.names = r.metaData.map(m => m.name);
  await conn.execute("create table node_t (id number, name varchar2(20))");
  await conn.execute("insert into node_t values (:1, :2)", [7, 'seven']);
  await conn.commit();
  out.back = (await conn.execute("select name from node_t where id = :id", {id: 7})).rows;
  await conn.close();
  console.log(JSON.stringify(out));
})().catch(e => { console.error(e.message); process.exit(1); });
"""


_CHANGE_PASSWORD = r"""
const oracledb = require('oracledb');
(async () => {
  const cs = process.argv[1];
  const out = {};
  let conn = await oracledb.getConnection({user: 'scott', password: 'tiger', connectString: cs});
  try { await conn.changePassword('scott', 'wrong', 'lion'); } catch (e) { out.wrong = e.message; }
  await conn.changePassword('scott', 'tiger', 'lion');
  out.after = (await conn.execute('select 1 from dual')).rows;
  await conn.close();
  conn = await oracledb.getConnection({user: 'scott', password: 'lion', newPassword: 'puma', connectString: cs});
  await conn.close();
  try { await oracledb.getConnection({user: 'scott', password: 'lion', connectString: cs}); }
  catch (e) { out.old = e.message; }
  conn = await oracledb.getConnection({user: 'scott', password: 'puma', connectString: cs});
  await conn.close();
  console.log(JSON.stringify(out));
})().catch(e => { console.error(e.message); process.exit(1); });
"""


def _has_node_oracledb() -> bool:
    if _NODE is None:
        return False
    probe = subprocess.run([_NODE, "-e", "require('oracledb')"], capture_output=True, timeout=30, env=os.environ)
    return probe.returncode == 0


@pytest.mark.skipif(not _has_node_oracledb(), reason="node or its npm oracledb package is absent")
@pytest.mark.parametrize("field_version", [24, 17])
def test_node_oracledb_logs_on_and_queries(field_version: int) -> None:
    """Also at field version 17 (23.1-23.3), where node-oracledb's sources drop end of response."""
    assert _NODE is not None
    with EmbeddedServer(config=ServerConfig(field_version=field_version)).threaded() as server:
        done = subprocess.run([_NODE, "-e", _SCRIPT, server.dsn], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["rows"] == [[2, "hi"]] and out["names"] == ["N", "S"]
    assert out["back"] == [["seven"]]
    assert out["version"].startswith("23.")


@pytest.mark.skipif(not _has_node_oracledb(), reason="node or its npm oracledb package is absent")
def test_node_oracledb_change_password_and_new_password() -> None:
    assert _NODE is not None
    with EmbeddedServer().threaded() as server:
        done = subprocess.run([_NODE, "-e", _CHANGE_PASSWORD, server.dsn], capture_output=True, text=True,
                              timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["wrong"].startswith("ORA-28008") and out["after"] == [[1]]
    assert out["old"].startswith("ORA-01017")
