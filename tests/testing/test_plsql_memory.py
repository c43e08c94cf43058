"""The PL/SQL interpreter's memory budget per top-level call (EmbeddedServer ``plsql_memory``),
through python-oracledb 26.1 (thin): collections, strings and BULK COLLECT that grow past it
end the call with ORA-04030, and the session lives on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer

pytestmark = pytest.mark.interop

_BUDGET = 200_000


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    """conftest's ``server`` (and so its ``cur``) with a small PL/SQL memory budget."""
    with EmbeddedServer(plsql_memory=_BUDGET).threaded() as running:
        yield running


def _fails_04030(cur: Any, block: str) -> None:
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(block)
    assert str(exc.value).startswith("ORA-04030: out of process memory when trying to allocate")
    cur.execute("select 1 from dual")  # the session lives on
    assert cur.fetchone() == (1,)


def test_a_growing_collection_stops_at_the_budget(cur: Any) -> None:
    cur.execute("create table mem_log (n number)")
    _fails_04030(cur, """declare
  type t is table of varchar2(100) index by pls_integer;
  c t;
begin
  insert into mem_log values (1);
  for i in 1 .. 100000 loop
    c(i) := rpad('x', 100, 'x');
  end loop;
end;""")
    cur.execute("select count(*) from mem_log")
    assert cur.fetchone() == (1,)  # the statements before the failing one stay, as in Oracle


def test_a_growing_string_and_bulk_collect_stop_at_the_budget(cur: Any) -> None:
    _fails_04030(cur, """declare
  s clob;
begin
  for i in 1 .. 100000 loop
    s := s || rpad('y', 100, 'y');
  end loop;
end;""")
    _fails_04030(cur, """declare
  type t is table of varchar2(100);
  c t;
begin
  select rpad('z', 100, 'z') bulk collect into c from dual connect by level <= 5000;
end;""")
    _fails_04030(cur, """declare
  type t is table of number;
  c t := t();
begin
  c.extend(100000);
end;""")


def test_memory_given_back_is_not_counted(cur: Any) -> None:
    """Each call has its own budget; a block's variables and deleted elements give theirs back."""
    block = """declare
  type t is table of varchar2(100) index by pls_integer;
  c t;
  total number := 0;
begin
  for round in 1 .. 20 loop
    for i in 1 .. 1000 loop
      c(i) := rpad('x', 100, 'x');
    end loop;
    c.delete;
    declare
      s varchar2(32767) := rpad('s', 30000, 's');
    begin
      total := total + length(s);
    end;
  end loop;
  :total := total;
end;"""
    total = cur.var(int)
    for _ in range(3):
        cur.execute(block, total=total)
    assert total.getvalue() == 600_000


def test_index_by_varchar2_keys_count_against_the_budget(cur: Any) -> None:
    """The keys of an INDEX BY VARCHAR2 table are charged too: small values under long keys
    used to grow without bound (20,000 keys of 30,000 characters: ~575 MB).  2,000 numbers fit
    the budget (~64 KB); their 2,000 keys of 30,000 characters (~60 MB) do not."""
    _fails_04030(cur, """declare
  type t is table of number index by varchar2(32767);
  v t;
begin
  for i in 1 .. 2000 loop
    v(rpad(to_char(i), 30000, 'k')) := i;
  end loop;
end;""")


def test_deleted_varchar2_keys_give_their_bytes_back(cur: Any) -> None:
    """One key at a time, each deleted before the next: ~30 KB live, ~6 MB passed through."""
    cur.execute("""declare
  type t is table of number index by varchar2(32767);
  v t;
  k varchar2(32767);
begin
  for i in 1 .. 200 loop
    k := rpad(to_char(i), 30000, 'k');
    v(k) := i;
    v(k) := i + 1;
    v.delete(k);
  end loop;
  v(k) := 1;
  v.delete;
end;""")
