"""Every built-in package routine PL/SQL can call, by qualified name: DBMS_OUTPUT and the first
of DBMS_SESSION / DBMS_APPLICATION_INFO (routines.py), DBMS_LOB (pkg_lob.py), and DBMS_RANDOM,
DBMS_UTILITY, DBMS_TRANSACTION, DBMS_SQL and the rest (pkg_misc.py).  UTL_RAW is SQL functions
only (pkg_raw.py), which PL/SQL reaches through SQL."""

from __future__ import annotations

from typing import Final

from . import pkg_lob, pkg_misc, routines
from .routines import Builtin

__all__ = ["BUILTINS"]

#: Qualified name -> built-in.
BUILTINS: Final[dict[str, Builtin]] = routines.BUILTINS | pkg_lob.BUILTINS | pkg_misc.BUILTINS
