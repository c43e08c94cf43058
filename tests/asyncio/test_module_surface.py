"""oracle_asyncio's module surface against python-oracledb 26.1's (issue 17,
"The module"): every public module name of python-oracledb is here with its
value, or raises the sync-only error, or is left out and listed in README; and
the names behave as python-oracledb's (type objects in ``var()`` and
``setinputsizes()``, constructors, ``makedsn``, ``defaults``, SQL-name helpers,
what SQLAlchemy's dialect reads)."""

from __future__ import annotations

import copy
import datetime as dt
import enum
import fnmatch
import json
import pickle
import re
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import oracle_asyncio
import oracle_sansio
from oracle_asyncio._module import SYNC_ONLY
from tests.asyncio.test_cursor_api import Trace, differential, run

oracledb = pytest.importorskip("oracledb")

README = Path(__file__).resolve().parents[2] / "README.md"

#: python-oracledb names left out, by reason (README's "Module names" lists each; ``*`` patterns).
LEFT_OUT: dict[str, tuple[str, ...]] = {
    "thick-only startup and shutdown": ("DBSHUTDOWN_*",),
    "AQ": ("Queue", "AsyncQueue", "DeqOptions", "EnqOptions", "MessageProperties", "DEQ_*", "ENQ_*", "MSG_*"),
    "subscriptions": ("Subscription", "Message", "MessageQuery", "MessageRow", "MessageTable", "EVENT_*",
                      "OPCODE_*", "SUBSCR_*"),
    "SODA": ("Soda*",),
    "pipelining": ("Pipeline", "PipelineOp", "PipelineOpResult", "PipelineOpType", "PIPELINE_OP_TYPE_*",
                   "create_pipeline"),
    "data frames": ("DataFrame", "ArrowArray", "from_arrow"),
    "two-phase commit": ("Xid", "TPC_*"),
    "object types": ("DbObject", "DbObjectAttr", "DbObjectType", "Object", "ObjectType"),
    "VECTOR values": ("SparseVector",),
    "end-user security contexts": ("EndUserSecurityContext", "create_end_user_security_context"),
    "hooks and caches": ("register_params_hook", "unregister_params_hook", "register_password_type",
                         "update_config_cache", "SecretValue", "get_secret", "save_secret", "clear_all_secrets"),
    "python-oracledb's submodules": ("base", "collections", "enums", "secret_values", "arrow_array", "arrow_impl",
                                     "dataframe", "end_user_security_context"),
}
PATTERNS = [p for group in LEFT_OUT.values() for p in group]


def _theirs() -> list[str]:
    return sorted(n for n in dir(oracledb) if not n.startswith("_"))


def _left_out(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in PATTERNS)


def test_every_python_oracledb_name_is_here_or_raises_or_is_left_out() -> None:
    unaccounted = [n for n in _theirs()
                   if not hasattr(oracle_asyncio, n) and n not in SYNC_ONLY and not _left_out(n)]
    assert unaccounted == []
    # What is left out or sync-only is really absent (LOB excepted, see README), and no pattern is stale.
    present = [n for n in _theirs() if (_left_out(n) or n in SYNC_ONLY) and hasattr(oracle_asyncio, n)]
    assert present == ["LOB"]
    assert [p for p in PATTERNS if not fnmatch.filter(_theirs(), p)] == []
    assert set(SYNC_ONLY) <= set(_theirs())


def test_readme_lists_every_name_left_out_and_every_sync_only_name() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("#### Module names"):]
    section = section[:section.index("\n#")]
    listed = set(re.findall(r"`([\w*]+)`", section))
    assert set(PATTERNS) - listed == set()
    assert set(SYNC_ONLY) - listed == set()


def _comparable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return (type(value).__name__, value.name, value.value)
    if isinstance(value, enum.EnumMeta):
        return sorted((m.name, m.value) for m in value)  # type: ignore[var-annotated]
    if type(value).__name__ in ("DbType", "ApiType"):
        return (type(value).__name__, value.name)
    if isinstance(value, (int, str, float, bool)):
        return value
    return None


def test_constants_enums_and_type_objects_have_python_oracledb_values() -> None:
    compared, differ = 0, []
    for name in _theirs():
        if not hasattr(oracle_asyncio, name) or name in ("version", "__version__"):
            continue
        theirs, ours = _comparable(getattr(oracledb, name)), _comparable(getattr(oracle_asyncio, name))
        if theirs is not None:
            compared += 1
            if theirs != ours:
                differ.append((name, theirs, ours))
    assert differ == []
    assert compared > 90
    assert oracle_asyncio.version == "26.1.0" and oracle_asyncio.__version__ == oracle_sansio.__version__
    assert oracle_asyncio.is_thin_mode() is True
    oracle_asyncio.enable_thin_mode()  # accepted, does nothing


DB_TYPES = sorted(n for n in dir(oracledb) if n.startswith("DB_TYPE_"))


@pytest.mark.parametrize("api", ["STRING", "BINARY", "NUMBER", "DATETIME", "ROWID"])
def test_type_objects_equal_the_database_types_python_oracledb_says(api: str) -> None:
    theirs = [n for n in DB_TYPES if getattr(oracledb, api) == getattr(oracledb, n)]
    ours = [n for n in DB_TYPES if getattr(oracle_asyncio, api) == getattr(oracle_asyncio, n)]
    mirrored = [n for n in DB_TYPES if getattr(oracle_asyncio, n) == getattr(oracle_asyncio, api)]
    assert ours == theirs == mirrored and theirs
    assert {getattr(oracle_asyncio, api)} == {getattr(oracle_asyncio, api)}  # hashable, as SQLAlchemy needs


@pytest.mark.parametrize("name", [*DB_TYPES, "STRING", "BINARY", "NUMBER", "DATETIME", "ROWID"])
def test_type_objects_survive_copy_and_pickle_as_themselves(name: str) -> None:
    # python-oracledb's type objects come back from copy, deepcopy and pickle as the same
    # objects; ours came back as new ones equal to nothing (a description or a setinputsizes
    # type kept in a copied or pickled structure no longer matched DB_TYPE_* or NUMBER).
    for db in (oracledb, oracle_asyncio):
        typ = getattr(db, name)
        assert copy.copy(typ) is typ and copy.deepcopy(typ) is typ, db
        assert pickle.loads(pickle.dumps(typ)) is typ, db


async def _type_objects(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    for name in ("STRING", "BINARY", "NUMBER", "DATETIME", "ROWID", "NCHAR", "FIXED_CHAR", "NATIVE_FLOAT",
                 "LONG_STRING", "TIMESTAMP", "CLOB"):
        typ = getattr(db, name)
        await t.step(f"var({name})", lambda: cur.var(typ).type)
    out = cur.var(db.NUMBER)
    await t.step("out bind", lambda: cur.execute("begin :v := 6 * 7; end;", v=out))
    await t.step("out value", lambda: out.getvalue())
    await cur.execute("create table tobj (n number, s varchar2(20), b raw(10), d date)")
    cur.setinputsizes(db.NUMBER, db.STRING, db.BINARY, db.DATETIME)
    await t.step("insert with setinputsizes", lambda: cur.execute(
        "insert into tobj values (:1, :2, :3, :4)", [7, "x", db.Binary(b"\x01"), db.Date(2020, 1, 2)]))
    await cur.execute("select n, s, b, d from tobj")
    await t.step("rows", lambda: cur.fetchall())
    await t.step("description type codes", lambda: [
        d[1] == getattr(db, api) for d, api in zip(cur.description, ["NUMBER", "STRING", "BINARY", "DATETIME"])])


def test_type_objects_in_var_and_setinputsizes_match_python_oracledb() -> None:
    rows = dict(differential(_type_objects))
    assert rows["var(NUMBER)"] == "DB_TYPE_NUMBER" and rows["out value"] == 42
    assert rows["description type codes"] == [True] * 4


def test_constructors_return_what_python_oracledb_returns() -> None:
    calls: list[tuple[str, tuple[Any, ...]]] = [
        ("Binary", (b"ab",)), ("Binary", (bytearray(b"x"),)), ("Date", (2024, 2, 29)),
        ("Timestamp", (2024, 2, 29, 1, 2, 3)), ("Timestamp", (2024, 1, 1)),
        ("DateFromTicks", (86400 * 365.5,)), ("TimestampFromTicks", (1_700_000_000.25,)),
    ]
    for name, args in calls:
        theirs, ours = getattr(oracledb, name)(*args), getattr(oracle_asyncio, name)(*args)
        assert (type(ours), ours) == (type(theirs), theirs), name
    for name, args in (("Time", (1, 2, 3)), ("TimeFromTicks", (0,))):
        with pytest.raises(oracledb.NotSupportedError) as theirs_err:
            getattr(oracledb, name)(*args)
        with pytest.raises(oracle_asyncio.NotSupportedError) as ours_err:
            getattr(oracle_asyncio, name)(*args)
        assert str(ours_err.value) == str(theirs_err.value)


@pytest.mark.parametrize("kwargs", [
    {"host": "db", "port": 1521, "sid": "orcl"},
    {"host": "db", "port": "1522", "service_name": "svc"},
    {"host": "db", "port": 1521, "sid": "x", "service_name": "svc", "region": "r", "sharding_key": "k",
     "super_sharding_key": "s"},
    {"host": "db", "port": 1521},
])
def test_makedsn_equals_python_oracledb(kwargs: dict[str, Any]) -> None:
    assert oracle_asyncio.makedsn(**kwargs) == oracledb.makedsn(**kwargs)


def test_makedsn_refuses_what_python_oracledb_refuses() -> None:
    with pytest.raises(oracledb.ProgrammingError) as theirs:
        oracledb.makedsn("db(x)", 1521)
    with pytest.raises(oracle_asyncio.ProgrammingError) as ours:
        oracle_asyncio.makedsn("db(x)", 1521)
    assert str(ours.value) == str(theirs.value)


def test_defaults_start_as_python_oracledbs(tmp_path: Path) -> None:
    # A fresh interpreter (other tests may change either module's defaults), started through a
    # path with characters python-oracledb replaces in ``program`` (its sanitize(): "?").
    python = tmp_path / "a b(1)" / "python"
    python.parent.mkdir()
    try:
        python.symlink_to(sys.executable)
    except OSError:
        python = Path(sys.executable)
    code = ("import json, oracledb, oracle_asyncio\n"
            "names = [n for n in dir(oracledb.Defaults) if not n.startswith('_')]\n"
            "print(json.dumps([[n, getattr(oracledb.defaults, n), getattr(oracle_asyncio.defaults, n)]"
            " for n in names]))")
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=60, check=True)
    rows = json.loads(done.stdout)
    assert len(rows) == 12
    assert [r for r in rows if r[1] != r[2]] == []
    assert "a b(1)" not in dict((r[0], r[2]) for r in rows)["program"]
    assert isinstance(oracle_asyncio.defaults, oracle_asyncio.Defaults)


@pytest.fixture
def restored_defaults() -> Iterator[Any]:
    """oracle_asyncio.defaults, both modules' defaults restored after the test."""
    names = [n for n in dir(oracle_asyncio.Defaults) if not n.startswith("_")]
    saved = [(d, {n: getattr(d, n) for n in names}) for d in (oracle_asyncio.defaults, oracledb.defaults)]
    yield oracle_asyncio.defaults
    for d, values in saved:
        for n, v in values.items():
            setattr(d, n, v)


def test_defaults_setters_check_as_python_oracledb(restored_defaults: Any) -> None:
    for name, value in (("arraysize", "3"), ("stmtcachesize", -1), ("prefetchrows", None), ("terminal", 5),
                        ("config_dir", 5)):
        with pytest.raises((TypeError, OverflowError)) as ours:
            setattr(restored_defaults, name, value)
        with pytest.raises((TypeError, OverflowError)) as theirs:
            setattr(oracledb.defaults, name, value)
        assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value)), name
    restored_defaults.fetch_lobs = 0
    assert restored_defaults.fetch_lobs is False


def _refusal(target: Any, name: str, value: str) -> str | None:
    try:
        setattr(target, name, value)
    except Exception as exc:  # noqa: BLE001 - the error itself is compared
        return f"{type(exc).__name__}: {exc}"
    return None


def test_program_machine_and_osuser_are_checked_as_python_oracledb(restored_defaults: Any) -> None:
    values = [f"a{c}b" for c in map(chr, range(300))] + [f"a{c}" for c in map(chr, range(128))]
    values += [f"{c}a" for c in map(chr, range(128))] + ["", '"', "'", '""', '"a"', "\\"]
    for name in ("program", "machine", "osuser"):
        differ = [v for v in values
                  if _refusal(restored_defaults, name, v) != _refusal(oracledb.defaults, name, v)]
        assert differ == [], name
    with pytest.raises(oracle_asyncio.NotSupportedError) as caught:
        oracle_asyncio.ConnectParams(machine="my host")
    assert str(caught.value) == 'DPY-3029: "machine" includes characters that are not allowed'
    assert oracle_asyncio.ConnectParams(terminal="t 1").terminal == oracledb.ConnectParams(terminal="t 1").terminal


def test_changed_defaults_take_effect(restored_defaults: Any) -> None:
    d = restored_defaults
    d.arraysize, d.prefetchrows, d.stmtcachesize = 7, 3, 5
    d.fetch_lobs, d.fetch_decimals = False, True
    d.program, d.terminal, d.driver_name = "prog", "term", "drv"
    params = oracle_asyncio.ConnectParams()
    assert (params.stmtcachesize, params.program, params.terminal, params.driver_name) == (5, "prog", "term", "drv")
    assert oracle_asyncio.PoolParams().stmtcachesize == 5

    async def body(server: Any) -> None:
        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        cur = conn.cursor()
        assert (cur.arraysize, cur.prefetchrows, conn.stmtcachesize) == (7, 3, 5)
        await cur.execute("create table lobs (c clob, b blob, n number)")
        await cur.execute("insert into lobs values (:1, :2, 1.5)", ["text", b"\xab"])
        await cur.execute("select c, b, n from lobs")
        assert await cur.fetchall() == [("text", b"\xab", Decimal("1.5"))]
        d.fetch_lobs, d.fetch_decimals = True, False
        await cur.execute("select c, n from lobs")
        (lob, number), = await cur.fetchall()
        assert isinstance(lob, oracle_asyncio.AsyncLOB) and not isinstance(lob, oracle_asyncio.LOB)
        assert number == 1.5 and isinstance(number, float)
        await conn.close()

    run(body)


@pytest.mark.parametrize("name", sorted(set(SYNC_ONLY) - {"LOB"}))
def test_sync_only_names_raise_naming_the_asyncio_one(name: str) -> None:
    with pytest.raises(oracle_asyncio.NotSupportedError) as caught:
        getattr(oracle_asyncio, name)
    assert caught.value.full_code == "DPY-3001"
    assert SYNC_ONLY[name] in caught.value.message and f"oracle_asyncio.{name} " in caught.value.message
    assert isinstance(caught.value, AttributeError)
    assert not hasattr(oracle_asyncio, name) and getattr(oracle_asyncio, name, None) is None
    assert name not in dir(oracle_asyncio)


def test_connect_names_connect_async_and_lob_cannot_be_made() -> None:
    with pytest.raises(oracle_asyncio.NotSupportedError, match=r"use oracle_asyncio\.connect_async\(\)"):
        oracle_asyncio.connect(user="scott")  # type: ignore[attr-defined]
    with pytest.raises(oracle_asyncio.NotSupportedError, match=r"use oracle_asyncio\.AsyncLOB"):
        oracle_asyncio.LOB()
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        oracle_asyncio.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_exceptions_module_holds_the_same_classes() -> None:
    from oracle_asyncio import exceptions

    names = [n for n in dir(oracledb) if isinstance(getattr(oracledb, n), type)
             and issubclass(getattr(oracledb, n), Exception)]
    assert len(names) == 10
    assert all(getattr(exceptions, n) is getattr(oracle_asyncio, n) for n in names)


SQL_NAMES = ["abc", "ABC", "a1", "1a", "_a", "a_$#", "a b", " abc ", '"abc"', '"a b"', '"a""b"', '""', '"abc',
             'abc"', ' "abc" ', '"abc" x', "", "  ", "é", "aé", "a.b", "a .b", "a. b", "a.b@c", "a@b.c", "a@", "@a",
             ".a", "a..b", '"a"."b"', "a.b.c.d", '"a.b"', "a@b@c", "a .  b @ c . d", "a\tb", "a\t", '"a\tb"', "ａ",
             "ß", "a-b", '"x" . y', 'x@"y"', "a.@b", '"a"b', 'a"b"', "a@b..c", "a.b.@c", '"a@b"', "a@ ", " . ",
             ".", "@", '"', "a@.b", "a1.2b", "a#.$b", "A" * 200]


def test_sql_name_helpers_agree_with_python_oracledb() -> None:
    for fn in ("is_simple_sql_name", "is_qualified_sql_name"):
        differ = [v for v in SQL_NAMES if getattr(oracle_asyncio, fn)(v) != getattr(oracledb, fn)(v)]
        assert differ == [], fn
    # Where README says they differ: a name may not end in a period here.
    assert oracledb.is_qualified_sql_name("a.") and not oracle_asyncio.is_qualified_sql_name("a.")
    for value, capitalize in (("abc", True), ("aBc", False)):
        assert oracle_asyncio.enquote_name(value, capitalize) == oracledb.enquote_name(value, capitalize)
    assert oracle_asyncio.enquote_literal("it's") == oracledb.enquote_literal("it's")
    with pytest.raises(oracle_asyncio.ProgrammingError) as caught:
        oracle_asyncio.enquote_name('a"b')
    assert caught.value.full_code == "DPY-2074"


def test_sqlalchemy_async_dialect_reads_what_it_needs() -> None:
    oracledb_dialect = pytest.importorskip("sqlalchemy.dialects.oracle.oracledb")
    from sqlalchemy.engine import make_url

    dbapi = oracledb_dialect.OracledbAdaptDBAPI(oracle_asyncio)
    dialect = oracledb_dialect.OracleDialectAsync_oracledb(dbapi=dbapi)
    assert dialect.dbapi_version >= (26, 0, 0) and dialect.has_terminate and dialect.paramstyle == "named"
    assert oracle_asyncio.LOB in dialect.include_set_input_sizes
    url = make_url("oracle+oracledb_async://scott:tiger@db:1521/?service_name=svc&mode=SYSDBA&purity=ATTR_PURITY_NEW")
    _, kwargs = dialect.create_connect_args(url)
    assert kwargs["dsn"] == oracledb.makedsn("db", 1521, service_name="svc")
    assert kwargs["mode"] == oracledb.AUTH_MODE_SYSDBA and kwargs["purity"] == oracledb.PURITY_NEW


def test_error_objects_are_the_modules_error_class_and_pickle() -> None:
    # python-oracledb's test_6801: isinstance(exc.args[0], oracledb._Error), and a pickled
    # error object keeps its message, code, offset and recoverability.
    import pickle

    from oracle_sansio.exceptions import dpy_error

    error = dpy_error(1001).args[0]
    assert isinstance(error, oracle_asyncio._Error)
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, oracle_asyncio._Error)
    assert (again.message, again.code, again.offset, again.isrecoverable, again.context, again.iswarning) == (
        error.message, error.code, error.offset, error.isrecoverable, None, False)
