"""Connect strings (oracle_sansio.dsn_parse / dsn_tree / tnsnames): one vector per
rule of python-oracledb's grammar, each compared with the installed python-oracledb
(``ConnectParams().parse_connect_string(s)`` then ``get_connect_string()``), the
connect order under FAILOVER / LOAD_BALANCE / SOURCE_ROUTE, round trips, and
tnsnames.ora reading.  The vectors are this project's own."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.dsn import parse_dsn
from oracle_sansio.dsn_parse import DsnError, Parsed, ProtocolHook, parse_connect_string
from oracle_sansio.dsn_tree import (Address, AddressList, Description, DescriptionList, build_connect_string,
                                    connect_order)
from oracle_sansio.tnsnames import parse_tnsnames

oracledb = pytest.importorskip("oracledb")

#: (rule, connect string).  ALIAS: python-oracledb looks the text up in tnsnames.ora.
VECTORS: list[tuple[str, str]] = [
    ("host and service", "db1.example.com/sales"),
    ("leading // without protocol", "//db1/sales"),
    ("protocol and port", "TCP://db1:1600/sales"),
    ("tcps, server type and instance", "tcps://db1:2484/sales:SHARED/inst1"),
    ("server type only", "db1/sales:dedicated"),
    ("instance without server type", "db1/sales/inst_2"),
    ("a port applies to the hosts before it", "a1,a2,a3:1700/sales"),
    ("ports per host group", "a1:1701,a2,a3:1703/sales"),
    ("semicolon starts a new address list", "a1,a2:1701;b1:1702/sales"),
    ("IPv6 literal", "[2001:db8::7]:1900/sales"),
    ("IPv6 literal without port", "[::1]/sales"),
    ("retry and keepalive parameters", "db1/sales?retry_count=4&retry_delay=2&expire_time=7&sdu=16384"),
    ("transport timeout in ms", "db1/sales?transport_connect_timeout=1500ms"),
    ("transport timeout in min", "db1/sales?transport_connect_timeout=3min"),
    ("transport timeout in sec with a fraction", "db1/sales?transport_connect_timeout=2.5sec"),
    ("transport timeout bare seconds", "db1/sales?transport_connect_timeout=45"),
    ("security parameters over tcps", 'tcps://db1/sales?ssl_server_dn_match=no&ssl_server_cert_dn="CN=db1,OU=x"'
                                      "&wallet_location=/etc/w&use_sni=yes"),
    ("security parameters over tcp are dropped", "db1/sales?ssl_server_cert_dn=CN=a&wallet_location=/w"),
    ("proxy parameters", "db1/sales?https_proxy=proxy.example.com&https_proxy_port=3128"),
    ("DRCP parameters", "db1/sales:pooled?pool_connection_class=APP1&pool_purity=NEW&pool_boundary=statement"),
    ("failover and load balance parameters", "a1;b1/sales?load_balance=yes&failover=off"),
    ("source route parameter", "a1;b1/sales?source_route=true"),
    ("listener-only parameters kept", "db1/sales?enable=broken&recv_buf_size=65536&send_buf_size=65536"),
    ("unknown parameters dropped", "db1/sales?flavour=vanilla&x=1"),
    ("pyo. parameters", "db1/sales?pyo.stmtcachesize=40&pyo.program=batch"),
    ("spaces around parameters", "db1/sales? retry_count = 2 & retry_delay=3"),
    ("parameter without value ignored", "db1/sales?retry_count=&expire_time=1"),
    ("descriptor with everything",
     "(DESCRIPTION=(FAILOVER=on)(RETRY_COUNT=2)(RETRY_DELAY=5)(CONNECT_TIMEOUT=9)(TRANSPORT_CONNECT_TIMEOUT=2)"
     "(EXPIRE_TIME=3)(SDU=65535)(ADDRESS=(PROTOCOL=TCPS)(HOST=d1)(PORT=2484))"
     "(CONNECT_DATA=(SERVICE_NAME=sales)(SERVER=POOLED)(INSTANCE_NAME=i1)(POOL_CONNECTION_CLASS=c1)"
     "(POOL_PURITY=SELF)(COLOUR=(SHADE=blue)))"
     '(SECURITY=(SSL_SERVER_CERT_DN="CN=d1")(SSL_SERVER_DN_MATCH=ON)(MY_WALLET_DIRECTORY=/w)(FLAVOUR=x)))'),
    ("SID", "(DESCRIPTION=(ADDRESS=(HOST=d1)(PORT=1600))(CONNECT_DATA=(SID=ORCL)))"),
    ("instance name wins over SID in the rebuild",
     "(DESCRIPTION=(ADDRESS=(HOST=d1))(CONNECT_DATA=(SID=ORCL)(INSTANCE_NAME=i)))"),
    ("description list with flags",
     "(DESCRIPTION_LIST=(FAILOVER=no)(LOAD_BALANCE=yes)"
     "(DESCRIPTION=(ADDRESS=(HOST=p1)))(DESCRIPTION=(RETRY_COUNT=1)(ADDRESS=(HOST=s1))(CONNECT_DATA=(SID=X))))"),
    ("address lists with their own flags",
     "(DESCRIPTION=(SOURCE_ROUTE=on)(ADDRESS_LIST=(LOAD_BALANCE=on)(FAILOVER=off)(ADDRESS=(HOST=a))"
     "(ADDRESS=(HOST=b)))(ADDRESS_LIST=(ADDRESS=(HOST=c))))"),
    ("description flags reach the implicit address list",
     "(DESCRIPTION=(LOAD_BALANCE=on)(ADDRESS=(HOST=a))(ADDRESS=(HOST=b)))"),
    ("bare address before an address list", "(DESCRIPTION=(ADDRESS=(HOST=a))(ADDRESS_LIST=(ADDRESS=(HOST=b))))"),
    ("bare address after an address list", "(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(HOST=b)))(ADDRESS=(HOST=a)))"),
    ("proxy in an address", "(DESCRIPTION=(ADDRESS=(HOST=a)(HTTPS_PROXY=px)(HTTPS_PROXY_PORT=80)))"),
    ("bare address as the whole descriptor", "(ADDRESS=(PROTOCOL=tcp)(HOST=a)(PORT=1601))"),
    ("keys are case-insensitive, spaces allowed", "( description = ( address = ( host = a ) ( port = 7 ) ) )"),
    ("quoted value with parentheses", '(DESCRIPTION=(ADDRESS=(HOST=a))(CONNECT_DATA=(SERVICE_NAME="s(1)")))'),
    ("ssl_version", "(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=a))(SECURITY=(SSL_VERSION=tlsv1.3)))"),
    ("missing closing parentheses tolerated", "(DESCRIPTION=(ADDRESS=(HOST=a)(PORT=9)"),
    ("SDU clamped", "(DESCRIPTION=(SDU=100)(ADDRESS=(HOST=a)))"),
    ("bare name is an alias", "sales_db"),
    ("host:port without service is an alias", "db1:1521"),
    ("bad port makes an alias", "db1:x/sales"),
    # errors
    ("text after the descriptor", "(DESCRIPTION=(ADDRESS=(HOST=a))) (X=1)"),
    ("no address", "(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=s)))"),
    ("unknown protocol in a descriptor", "(DESCRIPTION=(ADDRESS=(PROTOCOL=ipc)(HOST=a)))"),
    ("unknown protocol in Easy Connect", "ipc://db1/sales"),
    ("container with a simple value", "(DESCRIPTION=ADDRESS)"),
    ("empty key", "(=x)"),
    ("missing =", "(DESCRIPTION(ADDRESS=(HOST=a)))"),
    ("unterminated quote", '(DESCRIPTION=(ADDRESS=(HOST="a)))'),
    ("unterminated quote in a parameter", 'db1/sales?wallet_location="/w'),
    ("bad server type", "db1/sales:cheap"),
    ("bad purity", "(DESCRIPTION=(ADDRESS=(HOST=a))(CONNECT_DATA=(POOL_PURITY=maybe)))"),
    ("bad ssl_version", "(DESCRIPTION=(ADDRESS=(HOST=a))(SECURITY=(SSL_VERSION=sslv3)))"),
    ("port not a number", "(DESCRIPTION=(ADDRESS=(HOST=a)(PORT=x)))"),
    ("two protocols in one address", "(DESCRIPTION=(ADDRESS=(HOST=a)(PROTOCOL=tcp)(PROTOCOL=tcp)))"),
    ("junk after the service", "db1/sales$"),
    ("junk after the parameters", 'db1/sales?expire_time="1"x'),
    ("of two bad values, python-oracledb's first is reported", "db1/sales?retry_count=on&pool_purity=on"),
]


def _theirs(text: str) -> str:
    p = oracledb.ConnectParams()
    try:
        p.parse_connect_string(text)
    except oracledb.Error as exc:
        code = exc.args[0].full_code
        return "ALIAS" if code == "DPY-4027" else f"ERR {code}"
    return str(p.get_connect_string())


def _ours(text: str) -> str:
    try:
        parsed = parse_connect_string(text)
    except DsnError as exc:
        return f"ERR DPY-{exc.code:04d}"
    if parsed is None:
        return "ALIAS"
    assert isinstance(parsed, Parsed)
    return build_connect_string(parsed.tree)


@pytest.mark.parametrize("rule,text", VECTORS, ids=[rule for rule, _ in VECTORS])
def test_vector_as_python_oracledb(rule: str, text: str) -> None:
    assert _ours(text) == _theirs(text)


def test_every_error_vector_is_an_error() -> None:
    # The list above exercises each python-oracledb error the grammar raises.
    codes = {_ours(t) for _, t in VECTORS if _ours(t).startswith("ERR")}
    assert codes == {"ERR DPY-4018", "ERR DPY-2049", "ERR DPY-4021", "ERR DPY-4017", "ERR DPY-2042",
                     "ERR DPY-4028", "ERR DPY-4022", "ERR DPY-4032"}


def test_registered_protocol_is_handed_over() -> None:
    assert parse_connect_string("config-file://a/b.json?key=x", hooks={"config-file"}) == \
        ProtocolHook("config-file", "a/b.json?key=x")
    with pytest.raises(DsnError) as info:
        parse_connect_string("config-file://a/b.json")
    assert info.value.code == 4021


def test_template_gives_what_the_text_leaves_unsaid() -> None:
    parsed = parse_connect_string("db1/s", template=Description(retry_count=3), address_template={"port": 1600})
    assert isinstance(parsed, Parsed)
    assert build_connect_string(parsed.tree) == (
        "(DESCRIPTION=(RETRY_COUNT=3)(RETRY_DELAY=1)(ADDRESS=(PROTOCOL=tcp)(HOST=db1)(PORT=1600))"
        "(CONNECT_DATA=(SERVICE_NAME=s)))")


def test_deep_nesting_and_long_input_are_refused_or_linear() -> None:
    with pytest.raises(DsnError):
        parse_connect_string("(A=" * 100 + "x" + ")" * 100)
    huge = "(DESCRIPTION=" + "(ADDRESS=(HOST=h)(PORT=1))" * 5000 + ")"
    parsed = parse_connect_string(huge)
    assert isinstance(parsed, Parsed) and len(parsed.tree.addresses) == 5000


def test_parse_dsn_refuses_an_alias() -> None:
    with pytest.raises(DsnError) as info:
        parse_dsn("sales_db")
    assert info.value.code == 4018
    target = parse_dsn("(DESCRIPTION_LIST=(DESCRIPTION=(ADDRESS=(HOST=a)))(DESCRIPTION=(ADDRESS=(HOST=b))))")
    assert [a.host for a in target.addresses] == ["a"] and target.tree is not None
    assert [a.host for a in target.tree.addresses] == ["a", "b"]


# ------------------------------------------------------------------ order


def _reversing(children: Sequence[Any], k: int) -> list[Any]:
    return list(reversed(children))[:k]


def _order(text: str) -> list[list[str]]:
    parsed = parse_connect_string(text)
    assert isinstance(parsed, Parsed)
    return [[a.host for a in addresses] for _, addresses in connect_order(parsed.tree, _reversing)]


def test_connect_order_follows_failover_load_balance_and_source_route() -> None:
    two = "(ADDRESS=(HOST=a))(ADDRESS=(HOST=b))"
    assert _order(f"(DESCRIPTION={two})") == [["a", "b"]]
    assert _order(f"(DESCRIPTION=(LOAD_BALANCE=on){two})") == [["b", "a"]]
    assert _order(f"(DESCRIPTION=(FAILOVER=off){two})") == [["a"]]
    assert _order(f"(DESCRIPTION=(FAILOVER=off)(LOAD_BALANCE=on){two})") == [["b"]]
    lists = "(ADDRESS_LIST=(ADDRESS=(HOST=a)))(ADDRESS_LIST=(ADDRESS=(HOST=b)))"
    assert _order(f"(DESCRIPTION=(SOURCE_ROUTE=on){lists})") == [["a"]]
    assert _order(f"(DESCRIPTION=(LOAD_BALANCE=on){lists})") == [["b", "a"]]
    both = "(DESCRIPTION=(ADDRESS=(HOST=a)))(DESCRIPTION=(ADDRESS=(HOST=b)))"
    assert _order(f"(DESCRIPTION_LIST={both})") == [["a"], ["b"]]
    assert _order(f"(DESCRIPTION_LIST=(LOAD_BALANCE=on){both})") == [["b"], ["a"]]
    assert _order(f"(DESCRIPTION_LIST=(FAILOVER=off){both})") == [["a"]]


# ------------------------------------------------------------------ round trips

_names = st.from_regex(r"[a-z][a-z0-9_.-]{0,8}", fullmatch=True)
_addresses = st.builds(Address, host=_names, port=st.integers(1, 65535), protocol=st.sampled_from(["tcp", "tcps"]),
                       https_proxy=st.none() | _names, https_proxy_port=st.sampled_from([0, 80, 3128]))
# Two addresses or more per list: a list of one without flags is written as a bare
# ADDRESS, which reads back as part of the implicit list (python-oracledb's text too).
_lists = st.builds(AddressList, addresses=st.lists(_addresses, min_size=2, max_size=3).map(tuple),
                   failover=st.booleans(), load_balance=st.booleans(), source_route=st.booleans())
_descriptions = st.builds(
    Description, address_lists=st.lists(_lists, min_size=2, max_size=3).map(tuple),
    failover=st.booleans(), load_balance=st.booleans(), source_route=st.booleans(),
    retry_count=st.integers(0, 5), retry_delay=st.integers(1, 9), expire_time=st.integers(0, 9),
    sdu=st.sampled_from([8192, 512, 65535]), tcp_connect_timeout=st.sampled_from([20.0, 0.5, 7.0, 120.0]),
    service_name=st.none() | _names, sid=st.none() | _names, server_type=st.none() | st.sampled_from(
        ["dedicated", "shared", "pooled"]), cclass=st.none() | _names, purity=st.sampled_from([0, 1, 2]),
    # python-oracledb writes ssl_server_dn_match off by leaving SSL_SERVER_DN_MATCH out,
    # which reads back as on: the one setting its text cannot carry, so not generated.
    ssl_server_cert_dn=st.none() | _names, wallet_location=st.none() | _names)
_trees = st.builds(DescriptionList, descriptions=st.lists(_descriptions, min_size=1, max_size=3).map(tuple),
                   failover=st.booleans(), load_balance=st.booleans(), source_route=st.booleans())


@settings(max_examples=60, deadline=None)
@given(_trees)
def test_build_parse_build_round_trip_agrees_with_python_oracledb(tree: DescriptionList) -> None:
    text = build_connect_string(tree)
    parsed = parse_connect_string(text)
    assert isinstance(parsed, Parsed)
    assert build_connect_string(parsed.tree) == text
    assert _theirs(text) == text


# ------------------------------------------------------------------ tnsnames.ora

TNSNAMES = """\
# sales databases
SALES =
  (DESCRIPTION =
    (ADDRESS = (PROTOCOL = TCP)(HOST = s1)(PORT = 1521))  # primary
    (CONNECT_DATA = (SERVICE_NAME = sales)))

hr, hr.example.com = hr1/hr_svc
this line has no equals sign and is skipped
  (stray) = ignored
EZ=ez1:1600/ez?retry_count=2
IFILE = "more.ora"
BROKEN = (DESCRIPTION=(ADDRESS=(HOST=b)))(extra)
"""
MORE = "FROM_INCLUDE = (DESCRIPTION=(ADDRESS=(HOST=inc))(CONNECT_DATA=(SID=I)))\nsales = s2/sales2\n"


def _loader(files: dict[str, str]) -> Any:
    def load(written: str, including: str) -> tuple[str, str]:
        name = os.path.join(os.path.dirname(including), written)
        if name not in files:
            raise DsnError("missing", code=4026, fields={"file_name": name})
        return name, files[name]
    return load


def test_tnsnames_aliases_as_python_oracledb(tmp_path: Path) -> None:
    (tmp_path / "tnsnames.ora").write_text(TNSNAMES)
    (tmp_path / "more.ora").write_text(MORE)
    ours = parse_tnsnames(TNSNAMES, str(tmp_path / "tnsnames.ora"), _loader({str(tmp_path / "more.ora"): MORE}))
    theirs = oracledb.ConnectParams(config_dir=str(tmp_path))
    assert sorted(ours) == sorted(theirs.get_network_service_names())
    for name, entry in ours.items():
        assert _ours(entry.value) == _theirs_in(tmp_path, name), name
    # The include comes after SALES, so its "sales" wins, as in python-oracledb.
    assert ours["SALES"].value == "s2/sales2" and ours["SALES"].file_name.endswith("more.ora")
    assert (ours["HR"].line, ours["BROKEN"].line, ours["FROM_INCLUDE"].line) == (7, 12, 1)


def _theirs_in(config_dir: Path, alias: str) -> str:
    p = oracledb.ConnectParams(config_dir=str(config_dir))
    try:
        p.parse_connect_string(alias)
    except oracledb.Error as exc:
        return f"ERR {exc.args[0].full_code}"
    return str(p.get_connect_string())


def test_ifile_cycle_and_missing_loader() -> None:
    files = {"/c/a.ora": "IFILE=b.ora\nA=a/s\n", "/c/b.ora": "IFILE=/c/a.ora\n"}
    with pytest.raises(DsnError) as info:
        parse_tnsnames(files["/c/a.ora"], "/c/a.ora", _loader(files))
    assert info.value.code == 4030 and "b.ora" in str(info.value)
    with pytest.raises(DsnError) as info:
        parse_tnsnames("IFILE=x.ora\n", "/c/t.ora")
    assert info.value.code == 4026 and "line 1" in str(info.value)


_ez_params = st.dictionaries(
    st.sampled_from(["retry_count", "retry_delay", "expire_time", "sdu", "transport_connect_timeout",
                     "ssl_server_dn_match", "https_proxy", "pool_connection_class", "pool_purity", "load_balance",
                     "enable", "unknown"]),
    st.sampled_from(["1", "2", "on", "off", "250ms", "new", "self", "broken", "x"]), max_size=4)


@settings(max_examples=80, deadline=None)
@given(protocol=st.sampled_from(["", "tcp://", "TCPS://", "//"]),
       groups=st.lists(st.lists(st.tuples(_names, st.none() | st.integers(1, 65535)), min_size=1, max_size=3),
                       min_size=1, max_size=2),
       service=st.none() | _names, server=st.none() | st.sampled_from(["dedicated", "POOLED"]),
       instance=st.none() | _names, params=_ez_params)
def test_generated_easy_connect_agrees_with_python_oracledb(protocol: str, groups: list[list[tuple[str, int | None]]],
                                                            service: str | None, server: str | None,
                                                            instance: str | None, params: dict[str, str]) -> None:
    hosts = ";".join(",".join(h if p is None else f"{h}:{p}" for h, p in group) for group in groups)
    text = f"{protocol}{hosts}/{service or ''}"
    if service and server:
        text += f":{server}"
    if instance:
        text += f"/{instance}"
    if params:
        text += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    assert _ours(text) == _theirs(text)
