"""``oracledb.defaults`` equivalents (re-exported as ``oracle_asyncio.defaults``)."""

from __future__ import annotations

import os

__all__ = ["defaults"]


class _Defaults:
    """``oracledb.defaults`` equivalents."""

    fetch_decimals = False
    fetch_lobs = True
    arraysize = 100
    prefetchrows = 2
    #: tnsnames.ora's directory: ``$TNS_ADMIN``, else ``$ORACLE_HOME/network/admin`` (read at import).
    config_dir: str | None = os.environ.get("TNS_ADMIN") or (
        os.path.join(os.environ["ORACLE_HOME"], "network", "admin") if "ORACLE_HOME" in os.environ else None)


defaults = _Defaults()
