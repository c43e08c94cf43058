"""Every DPY message template we raise is python-oracledb 26.1's, word for word
(users match on them), checked against the installed package."""

from __future__ import annotations

from typing import Any

import pytest

from oracle_sansio.error_codes import DPY_MESSAGES, ORA_AS_DPY, DpyCode
from oracle_sansio.exceptions import dpy_error

oracledb_errors = pytest.importorskip("oracledb.errors")


@pytest.mark.parametrize("code", sorted(DPY_MESSAGES))
def test_template_matches_python_oracledb(code: int) -> None:
    assert DPY_MESSAGES[code] == oracledb_errors.ERR_MESSAGE_FORMATS[code]


@pytest.mark.parametrize("code", list(DpyCode))
def test_names_are_python_oracledb_s(code: DpyCode) -> None:
    prefix = "WRN_" if code >= 7000 else "ERR_"
    assert getattr(oracledb_errors, prefix + code.name) == code


def test_ora_to_dpy_cross_references_are_python_oracledb_s() -> None:
    theirs = oracledb_errors.ERR_ORACLE_ERROR_XREF
    for ora, mapped in ORA_AS_DPY.items():
        dpy = mapped[0] if isinstance(mapped, tuple) else mapped
        entry = theirs[ora]
        assert (entry if isinstance(entry, int) else entry[0]) == dpy, ora
    # python-oracledb maps more ORA numbers than this project raises; every one it maps
    # to a code in the catalogue is mapped here too.
    assert {ora for ora, entry in theirs.items()
            if (entry if isinstance(entry, int) else entry[0]) in DpyCode.__members__.values()} <= set(ORA_AS_DPY)


def test_error_class_follows_the_code_range() -> None:
    import oracledb

    for code, cls in ((1001, oracledb.InterfaceError), (2027, oracledb.ProgrammingError),
                      (3001, oracledb.NotSupportedError), (4005, oracledb.DatabaseError),
                      (6005, oracledb.OperationalError)):
        ours = dpy_error(code, feature="f", driver_type="thick", connection_id="x", alias="a",
                         deprecated_name="pool", new_name="pool_alias")
        assert type(ours).__name__ == cls.__name__
        assert ours.full_code == f"DPY-{code}"


# Codes from every rule of python-oracledb's _Error adjustments: plain, integrity,
# operational, interface, recoverable, session-dead (-> DPY-4011), mapped to other
# DPY codes (with and without template arguments), user-defined (no Help line).
ORA_CASES = [
    (942, 'ORA-00942: table or view "SCOTT"."NOPE" does not exist'),
    (1, "ORA-00001: unique constraint (SCOTT.PK) violated"),
    (1400, 'ORA-01400: cannot insert NULL into ("SCOTT"."T"."ID")'),
    (1013, "ORA-01013: user requested cancel of current operation"),
    (1033, "ORA-01033: ORACLE initialization or shutdown in progress"),
    (3113, "ORA-03113: end-of-file on communication channel"),
    (28, "ORA-00028: your session has been killed"),
    (1005, "ORA-01005: null password given; logon denied"),
    (1756, "ORA-01756: quoted string not properly terminated"),
    (24422, "ORA-24422: error occurred while trying to destroy the Session Pool"),
    (22165, "ORA-22165: given index [7] must be in the range of [0] to [3]"),
    (24344, "ORA-24344: success with compilation error"),
    (20001, "ORA-20001: application says no"),
    (21000, "ORA-21000: error number argument to raise_application_error of 1 is out of range"),
    (1017, "ORA-01017: invalid credential or not authorized; logon denied"),
]


@pytest.mark.parametrize(("code", "message"), ORA_CASES)
def test_ora_errors_match_python_oracledb(code: int, message: str) -> None:
    """Message (Help line, DPY prefix), full_code, class, isrecoverable and
    is_session_dead as python-oracledb thin builds them from a server error."""
    from oracle_sansio.exceptions import ora_error

    theirs = oracledb_errors._Error(message, code=code, offset=3)
    ours = ora_error(code, message, offset=3)
    info = ours.args[0]
    assert (info.message, info.full_code, info.code, info.offset) == (
        theirs.message, theirs.full_code, theirs.code, theirs.offset)
    assert (info.isrecoverable, info.is_session_dead) == (theirs.isrecoverable, theirs.is_session_dead)
    expected_class = theirs.exc_type.__name__ if theirs.exc_type.__name__ != "Warning" else "DatabaseError"
    assert type(ours).__name__ == expected_class


@pytest.mark.parametrize("code", [1001, 3010, 4011, 4024, 6005])
def test_dpy_errors_with_a_cause_match_python_oracledb(code: int) -> None:
    args: dict[str, Any] = {"timeout": 5, "connection_id": "abc"}
    theirs = oracledb_errors._create_exception(code, "cause text", **args)
    ours = dpy_error(code, "cause text", **args)
    assert ours.args[0].message == theirs.args[0].message
    assert ours.full_code == theirs.args[0].full_code and type(ours).__name__ == type(theirs).__name__
    assert ours.args[0].is_session_dead == theirs.args[0].is_session_dead
