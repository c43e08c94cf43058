"""SQLAlchemy's async Oracle dialect on oracle_asyncio: ``oracle+oracle_asyncio://``.

SQLAlchemy's ``oracle+oracledb`` async dialect drives python-oracledb's asyncio API through an
adapter (``OracledbAdaptDBAPI``); oracle_asyncio has the same API, so the same dialect and
adapter serve it.  This module only points them at this package, and is registered as the
``oracle.oracle_asyncio`` entry point of the ``sqlalchemy.dialects`` group (pyproject.toml),
so that ``create_async_engine("oracle+oracle_asyncio://user:pw@host:port/?service_name=S")``
works with no import.  Equivalent without the entry point::

    from sqlalchemy.dialects.oracle.oracledb import OracledbAdaptDBAPI
    create_async_engine("oracle+oracledb://...", module=OracledbAdaptDBAPI(oracle_asyncio))

SQLAlchemy is not a dependency: only SQLAlchemy imports this module.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.oracle.oracledb import OracleDialectAsync_oracledb, OracledbAdaptDBAPI
from sqlalchemy.engine.url import URL

import oracle_asyncio

__all__ = ["OracleDialect_oracle_asyncio", "dialect"]


class OracleDialect_oracle_asyncio(OracleDialectAsync_oracledb):
    """``oracle+oracle_asyncio``: SQLAlchemy's async python-oracledb dialect on oracle_asyncio."""

    driver = "oracle_asyncio"
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> Any:
        """The DBAPI SQLAlchemy drives: oracle_asyncio behind SQLAlchemy's own async adapter."""
        return OracledbAdaptDBAPI(oracle_asyncio)

    @classmethod
    def get_async_dialect_cls(cls, url: URL) -> type[OracleDialect_oracle_asyncio]:
        # The parent answers with python-oracledb's async dialect, which imports oracledb.
        return cls


dialect = OracleDialect_oracle_asyncio
