"""Every DPY message template we raise is python-oracledb 26.1's, word for word
(users match on them), checked against the installed package."""

from __future__ import annotations

import pytest

from oracle_sansio.exceptions import DPY_MESSAGES, dpy_error

oracledb_errors = pytest.importorskip("oracledb.errors")


@pytest.mark.parametrize("code", sorted(DPY_MESSAGES))
def test_template_matches_python_oracledb(code: int) -> None:
    assert DPY_MESSAGES[code] == oracledb_errors.ERR_MESSAGE_FORMATS[code]


def test_error_class_follows_the_code_range() -> None:
    import oracledb

    for code, cls in ((1001, oracledb.InterfaceError), (2027, oracledb.ProgrammingError),
                      (3001, oracledb.NotSupportedError), (4005, oracledb.DatabaseError),
                      (6005, oracledb.OperationalError)):
        ours = dpy_error(code, feature="f", driver_type="thick", connection_id="x", alias="a",
                         deprecated_name="pool", new_name="pool_alias")
        assert type(ours).__name__ == cls.__name__
        assert ours.full_code == f"DPY-{code}"
