"""AsyncConnection and connect_async: python-oracledb's asyncio connection API
over ``ClientConnection`` (first slice: logon, cursors, transactions, ping,
end-to-end attributes, call timeouts)."""

from __future__ import annotations

from typing import Any

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.crypto.secret import Secret
from oracle_sansio.exceptions import dpy_error
from oracle_sansio.params import ClientParams, split_proxy

from ._appctx import check_namespace, check_values
from ._not_built import NotBuiltConnection
from ._session import Session, attach
from .cursor import AsyncCursor
from ._defaults import uint32
from .dbtypes import DB_TYPE_BLOB, DB_TYPE_CLOB, DB_TYPE_NCLOB, DbType
from .lob import AsyncLOB, create_temporary

__all__ = ["AsyncConnection"]


class AsyncConnection(NotBuiltConnection):
    """One session (python-oracledb ``AsyncConnection``)."""

    def __init__(self, session: Session, params: ClientParams, dsn: str) -> None:
        self._session = session
        attach(self, session)
        self._params = params
        self._dsn = dsn
        self._autocommit = False
        self._current_schema: str | None = None

    def __repr__(self) -> str:
        # python-oracledb's text: the class named by its package (never a submodule),
        # the user and connect string while connected.
        cls = type(self)
        module = cls.__module__
        if module.partition(".")[0] == __name__.partition(".")[0]:
            module = __name__.partition(".")[0]
        name = f"{module}.{cls.__qualname__}"
        session = self._session
        if session.closed or session.released:
            return f"<{name} disconnected>"
        if self._params.user is None:
            return f"<{name} to externally identified user>"
        return f"<{name} to {self._params.user}@{self._dsn}>"

    # ----------------------------------------------------------- attributes

    @property
    def _conn(self) -> ClientConnection:
        return self._session.machine

    def _verify(self) -> None:
        self._session.verify()

    def _fact(self, name: str, key: str | None = None) -> Any:
        self._verify()
        session = self._conn.session
        if session is None:
            return None
        if key is not None:
            return dict(session.parameters).get(key)
        return getattr(session, name)

    thin = property(lambda self: self._verified(True), doc="Always True.")
    dsn = property(lambda self: self._verified(self._dsn), doc="The connect string.")
    username = property(lambda self: self._verified(self._params.user), doc="The user name.")
    version = property(lambda self: self._fact("version_string") or "", doc="The server version, e.g. 23.5.0.24.7.")
    session_id = property(lambda self: self._fact("session_id") or 0, doc="The session id (SID).")
    serial_num = property(lambda self: self._fact("serial_number") or 0, doc="The session serial number.")
    service_name = property(lambda self: self._fact("service_name"), doc="The service logged on to.")
    instance_name = property(lambda self: self._fact("instance_name"), doc="The instance name.")
    db_name = property(lambda self: self._fact("db_name"), doc="The database name.")
    db_domain = property(lambda self: self._fact("", "AUTH_SC_DB_DOMAIN"), doc="The database domain.")
    max_open_cursors = property(lambda self: self._fact("max_open_cursors"), doc="OPEN_CURSORS.")
    max_identifier_length = property(lambda self: self._fact("max_identifier_length"),
                                     doc="Longest identifier the server accepts.")
    sdu = property(lambda self: self._verified(self._conn.caps.sdu), doc="The SDU agreed with the server.")
    warning = property(lambda self: self._verified(None), doc="The last warning (none are reported yet).")

    def _verified(self, value: Any) -> Any:
        self._verify()
        return value

    @property
    def protocol(self) -> str:
        """tcps when the session runs over TLS, else tcp."""
        self._verify()
        link = self._session.transport.transport
        return "tcps" if link is not None and link.get_extra_info("ssl_object") is not None else "tcp"

    @property
    def host(self) -> str:
        """The host connected to."""
        self._verify()
        return self._params.address.host if self._params.address else self._params.target.addresses[0].host

    @property
    def port(self) -> int:
        """The port connected to."""
        self._verify()
        return self._params.address.port if self._params.address else self._params.target.addresses[0].port

    @property
    def autocommit(self) -> bool:
        """Commit after each execute (default False)."""
        self._verify()
        return self._autocommit

    @autocommit.setter
    def autocommit(self, value: bool) -> None:
        self._verify()
        self._autocommit = bool(value)

    @property
    def stmtcachesize(self) -> int:
        """Statements kept parsed on the server and re-executed without SQL text (LRU)."""
        self._verify()
        return self._session.cache.size

    @stmtcachesize.setter
    def stmtcachesize(self, value: int) -> None:
        self._verify()
        self._session.cache.size = uint32(value)

    @property
    def current_schema(self) -> str | None:
        """The schema unqualified names resolve in (None until set; the server is told
        with the next round trip, as python-oracledb's SET_SCHEMA piggyback)."""
        self._verify()
        return self._current_schema

    @current_schema.setter
    def current_schema(self, value: str) -> None:
        self._verify()
        self._current_schema = value
        self._conn.set_current_schema(value)

    @property
    def transaction_in_progress(self) -> bool:
        """True while the server reports an open transaction."""
        self._verify()
        return self._conn.in_transaction

    @property
    def call_timeout(self) -> int:
        """Milliseconds a round trip may take (0 = no limit); DPY-4024 when exceeded.

        The call is then broken and the server's answer awaited for at most
        min(call_timeout, 1 s) more; without an answer the connection is closed.
        """
        self._verify()
        return self._session.call_timeout_ms

    @call_timeout.setter
    def call_timeout(self, value: int) -> None:
        self._verify()
        self._session.call_timeout_ms = int(value)

    def _set_attribute(self, name: str, value: str | None) -> None:
        self._check_open()
        self._conn.set_attributes(**{name: value})

    def set_app_context(self, namespace: str, **values: str) -> None:
        """Set application context values of ``namespace`` (python-oracledb's); they go with
        the next round trip, as DBMS_SESSION.SET_CONTEXT would without a round trip of its own.
        ValueError: an empty namespace, no values, an attribute over 128 bytes or a value over
        4000.  A namespace the client may not set fails the next round trip (ORA-28267)."""
        self._verify()
        self._conn.set_app_context(check_namespace(namespace), check_values(values))

    def clear_app_context(self, namespace: str) -> None:
        """Clear every application context value of ``namespace`` with the next round trip
        (as DBMS_SESSION.CLEAR_ALL_CONTEXT would). ValueError: an empty namespace."""
        self._verify()
        self._conn.set_app_context(check_namespace(namespace), None)

    @staticmethod
    def _write_only(name: str, wire: str) -> property:
        def get(self: AsyncConnection) -> None:
            raise AttributeError(f"{name} is not readable")

        def put(self: AsyncConnection, value: str | None) -> None:
            self._set_attribute(wire, value)

        return property(get, put, doc=f"{name} (write-only; sent with the next round trip).")

    module = _write_only("module", "module")
    action = _write_only("action", "action")
    client_identifier = _write_only("client_identifier", "client_identifier")
    clientinfo = _write_only("clientinfo", "client_info")
    dbop = _write_only("dbop", "dbop")

    @property
    def econtext_id(self) -> None:
        """Write-only; python-oracledb thin does not support it either (DPY-3001)."""
        raise AttributeError("econtext_id is not readable")

    @econtext_id.setter
    def econtext_id(self, value: str) -> None:
        self._verify()
        raise dpy_error(3001, feature="setting the execution context id", driver_type="thick")

    db_unique_name = property(lambda self: self._fact("", "AUTH_SC_REAL_DBUNIQUE_NAME"),
                              doc="The database's unique name.")
    edition = property(lambda self: self._verified(self._params.edition),
                       doc="The edition the session logged on in (``edition=``; None: the database default).")
    proxy_user = property(lambda self: self._verified(split_proxy(self._params.user, self._params.proxy_user)[1]),
                          doc="The user this session is for when another logged on for it (``main[client]``).")

    @property
    def ltxid(self) -> bytes:
        """The logical transaction id the server last sent (b"" if none)."""
        self._verify()
        return self._conn.ltxid

    def _stored(name: str, doc: str) -> property:  # type: ignore[misc]  # a helper run at class creation
        key = "_" + name

        def get(self: AsyncConnection) -> Any:
            self._verify()
            return self.__dict__.get(key)

        def put(self: AsyncConnection, value: Any) -> None:
            self._verify()
            self.__dict__[key] = value

        return property(get, put, doc=doc)

    tag = _stored("tag", "The session tag (kept on the connection; tagging itself is not supported).")
    external_name = _stored("external_name", "External name of the session (kept on the connection, as thin).")
    internal_name = _stored("internal_name", "Internal name of the session (kept on the connection, as thin).")
    inputtypehandler = _stored("inputtypehandler",
                               "Called as handler(cursor, value, arraysize) to choose a bind's variable.")
    outputtypehandler = _stored("outputtypehandler",
                                "Called as handler(cursor, metadata) to choose a column's fetch variable.")

    @property
    def transaction_priority(self) -> None:
        """Sessionless-transaction priority: not supported (None, as python-oracledb before one is set)."""
        self._verify()
        return None

    # -------------------------------------------------------------- calls

    def _check_open(self) -> None:
        self._session.check_open()

    def cursor(self, scrollable: bool = False) -> AsyncCursor:
        """A new cursor (``scrollable=True``: NotSupportedError DPY-3001, not built yet).
        On a session that died (killed, network) the cursor is made and its calls
        fail, as python-oracledb's; DPY-1001 once the connection is closed or released."""
        session = self._session
        if session.dead is None or session.pool_closed:
            session.check_open()
        else:
            session.verify()
        return AsyncCursor(self, scrollable, session=session)

    async def commit(self) -> None:
        """Commit the transaction."""
        await self._session.call(self._conn.commit)

    async def rollback(self) -> None:
        """Roll the transaction back."""
        await self._session.call(self._conn.rollback)

    async def ping(self) -> None:
        """One round trip to the server."""
        await self._session.call(self._conn.ping)

    async def changepassword(self, old_password: str, new_password: str) -> None:
        """Change the logged-on user's password (ORA-28008 when ``old_password`` is wrong)."""
        old, new = Secret(old_password), Secret(new_password)
        await self._session.call(lambda: self._conn.change_password(old, new))

    def cancel(self) -> None:
        """Interrupt the call in flight (a break); it then fails with ORA-01013."""
        self._session.send_break()

    def is_healthy(self) -> bool:
        """No round trip: the socket is attached and no fatal error is pending."""
        return self._session.healthy()

    def terminate(self) -> None:
        """Cut the connection at once: no rollback, no logoff (python-oracledb 26
        ``terminate()``, for clean-up when the event loop is gone).  A pooled session
        is dropped from its pool, so no slot leaks."""
        self._verify()
        session = self._session
        session.cut()
        if session.on_terminate is not None:
            session.on_terminate()

    async def close(self) -> None:
        """Roll back, log off and close the socket (DPY-1001 if already closed).

        A pooled connection goes back to its pool instead."""
        session = self._session
        if session.give_back is not None:
            if session.pool_closed:
                # python-oracledb: the first close() of a session its pool closed is a no-op.
                if session.user_closed or session.released:
                    raise dpy_error(1001)
                session.user_closed = True
                return
            await session.give_back()
            return
        await session.close()

    async def createlob(self, lob_type: DbType, data: str | bytes | None = None) -> AsyncLOB:
        """A temporary LOB of ``lob_type`` (DB_TYPE_CLOB/NCLOB/BLOB), optionally written.

        It is freed (piggybacked on a later call) when closed or collected.

        Raises:
            TypeError: ``lob_type`` is not one of those three (python-oracledb's text).
        """
        self._verify()
        if lob_type not in (DB_TYPE_CLOB, DB_TYPE_NCLOB, DB_TYPE_BLOB):
            raise TypeError("parameter should be one of oracledb.DB_TYPE_CLOB, "
                            "oracledb.DB_TYPE_BLOB or oracledb.DB_TYPE_NCLOB")
        return await create_temporary(self._session, lob_type, data)

    # SQL shortcuts: each runs on a cursor of its own, closed afterwards (python-oracledb 26.1).

    async def execute(self, statement: str, parameters: Any = None) -> None:
        """Execute a statement."""
        with self.cursor() as cursor:
            await cursor.execute(statement, parameters)

    async def executemany(self, statement: str | None, parameters: Any) -> None:
        """Execute a statement once per row of ``parameters`` (or ``parameters`` times)."""
        with self.cursor() as cursor:
            await cursor.executemany(statement, parameters)

    async def fetchall(self, statement: str, parameters: Any = None, arraysize: int | None = None,
                       rowfactory: Any = None, *, fetch_lobs: bool | None = None,
                       fetch_decimals: bool | None = None) -> list[Any]:
        """Execute a query and return all rows (prefetching ``arraysize`` rows)."""
        with self.cursor() as cursor:
            if arraysize is not None:
                cursor.arraysize = arraysize
            cursor.prefetchrows = cursor.arraysize
            await cursor.execute(statement, parameters, fetch_lobs=fetch_lobs, fetch_decimals=fetch_decimals)
            cursor.rowfactory = rowfactory
            return await cursor.fetchall()

    async def fetchmany(self, statement: str, parameters: Any = None, num_rows: int | None = None,
                        rowfactory: Any = None, *, fetch_lobs: bool | None = None,
                        fetch_decimals: bool | None = None) -> list[Any]:
        """Execute a query and return up to ``num_rows`` rows (default ``arraysize``) in one round trip."""
        with self.cursor() as cursor:
            if num_rows is None:
                num_rows = cursor.arraysize
            elif num_rows <= 0:
                return []
            cursor.arraysize = cursor.prefetchrows = num_rows
            await cursor.execute(statement, parameters, fetch_lobs=fetch_lobs, fetch_decimals=fetch_decimals)
            cursor.rowfactory = rowfactory
            return await cursor.fetchmany(num_rows)

    async def fetchone(self, statement: str, parameters: Any = None, rowfactory: Any = None, *,
                       fetch_lobs: bool | None = None, fetch_decimals: bool | None = None) -> Any:
        """Execute a query and return its first row (or None)."""
        with self.cursor() as cursor:
            cursor.prefetchrows = cursor.arraysize = 1
            await cursor.execute(statement, parameters, fetch_lobs=fetch_lobs, fetch_decimals=fetch_decimals)
            cursor.rowfactory = rowfactory
            return await cursor.fetchone()

    async def callproc(self, name: str, parameters: list[Any] | tuple[Any, ...] | None = None,
                       keyword_parameters: dict[str, Any] | None = None) -> list[Any]:
        """Call a PL/SQL procedure; returns the parameters with OUT values filled in."""
        with self.cursor() as cursor:
            return await cursor.callproc(name, parameters, keyword_parameters)

    async def callfunc(self, name: str, return_type: Any, parameters: list[Any] | tuple[Any, ...] | None = None,
                       keyword_parameters: dict[str, Any] | None = None) -> Any:
        """Call a PL/SQL function and return its value."""
        with self.cursor() as cursor:
            return await cursor.callfunc(name, return_type, parameters, keyword_parameters)

    async def __aenter__(self) -> AsyncConnection:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if not self._session.closed and not self._session.released:
            await self.close()
