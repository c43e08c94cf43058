"""EmbeddedServer: an Oracle-speaking server for tests, SQL on sqlite3.

Each accepted socket runs one ``ServerConnection`` (oracle_sansio); the SQL
of each Oracle session runs on its own ``Session`` of a shared ``Database``
(oracle_asyncio.testing.sql), so transactions are isolated as in Oracle.
Use it as an async context manager, or ``threaded()`` from sync code (a
background thread with its own loop), or from the CLI
(``python -m oracle_asyncio.testing``).

Fault injection for tests: ``stall_logons`` (accept TCP, never answer),
``refuse_logons`` (answer logons with an ORA code), ``kill_session(sid)``
(as ALTER SYSTEM KILL SESSION: the call the session is running, or else its
next call of any kind, fails with ORA-00028 and the socket closes; the
protocol machine's ``kill()`` answers that next call, LOB and AUTH calls
included; ``immediate=True`` cuts the socket at once), ``drop_all()``, ``delay_ms`` (delay every response).

Capabilities: ``config`` (``ServerConfig``) advertises real 23ai's by
default, end of response and explicit request boundaries included, so
python-oracledb behaves as against 23ai (its pools send REQUEST_BEGIN/END,
kept in ``SessionRecord.in_request`` / ``requests``);
``ServerConfig(end_of_response=False, request_boundaries=False)`` turns them
off (python-oracledb's asyncio pipelines need ``end_of_response=False``: the
server does not serve pipelines).

Limits: ``max_connections`` (the listener refuses more with ORA-12516),
``logon_timeout`` (ORA-03136 for a socket not logged on in time) and
``statement_timeout`` (ORA-56735; the session lives on).

Threads: every control method (``kill_session``, ``drop_all``,
``reset_database``) is a plain method, safe to call from any thread and from
the server's loop: from another thread it runs on the loop and waits for it,
at most ``control_timeout`` seconds.  ``sessions`` is a snapshot, readable
from any thread.  The fault fields (``stall_logons``, ``refuse_logons``,
``delay_ms``) are plain attributes, safe to set from any thread; they apply
from the next logon or response.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import ssl
import threading
import time
from collections.abc import AsyncIterator, Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field

from oracle_sansio.connection.events import (
    NEED_DATA,
    BreakReceived,
    ClientClosed,
    AppContextChanged,
    CommitRequested,
    ConnectRequested,
    CursorsClosed,
    ExecuteRequested,
    FetchRequested,
    KillDelivered,
    LoggedOnUser,
    LogoffRequested,
    LogonRequested,
    NeedData,
    PasswordChanged,
    PingRequested,
    RequestBoundary,
    RollbackRequested,
    ServerEvent,
    SessionReleased,
    SessionAttributesChanged,
)
from oracle_sansio.connection.server import ServerConfig, ServerConnection
from oracle_sansio.connection.states import ServerState
from oracle_sansio.crypto import Secret
from oracle_sansio.error_codes import ora_text
from oracle_sansio.errors import ProtocolError

from .._transport import trace_packets
from ._tls import TlsConfig, TlsLink, tls_acceptor
from ._tokens import TokenSpec, token_table
from .guards import MSG_03136, ORA_LISTENER_BUSY, CallGuard, LoopControl, time_limit_error
from ._accounts import Passwords
from ._drcp import Broker, DrcpClient, asks_pooled
from ._records import SessionRecord
from ._appctx import apply_change, apply_logon
from . import _statements as statements
from ._statements import Cursor
from .sql.engine import Database, OraError, Session
from .sql.runtime.plsql_memory import DEFAULT_LIMIT as DEFAULT_PLSQL_MEMORY
from .sql.runtime.pkg_misc import seed_random

__all__ = ["EmbeddedServer", "SessionRecord"]

_MSG_1013 = ora_text(1013)
#: The logon refusals ``refuse_logons`` may name with Oracle's text (others get the bare number).
_ORA_MESSAGES = {number: ora_text(number) for number in (1017, 28000, 1045)}


def _refusal_text(number: int, user: str) -> str:
    """The text of a logon refusal; ORA-01045 names the user."""
    text = _ORA_MESSAGES.get(number, f"ORA-{number:05d}")
    return text.format(user=user) if number == 1045 else text


_log = logging.getLogger("oracle_asyncio.testing")

class _Link:
    """One client socket: a ServerConnection plus its SQL session."""

    def __init__(self, server: EmbeddedServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 *, over_cap: bool = False) -> None:
        self.server = server
        self.reader = reader
        self.writer = writer
        self.conn = ServerConnection(server.config, entropy=os.urandom)
        self.session: Session | None = None
        self.record: SessionRecord | None = None
        self.cursors: dict[int, Cursor] = {}
        self.sleeper: asyncio.Task[None] | None = None
        self.busy_deadline: dict[int, float] = {}
        self.closed = False
        #: Accepted beyond ``max_connections``: its CONNECT is refused (ORA-12516).
        self.over_cap = over_cap
        self.guard = CallGuard(server.clock)
        #: Killed (not immediate): the machine answers the next call with ORA-00028.
        self.killed = False
        #: The last answer was sent (ORA-00028, a refusal, a timeout): close after the flush.
        self.closing = False
        self.closer: asyncio.Task[None] | None = None
        self.tls: TlsLink | None = None  # TCPS
        self.pooled = False  # CONNECT asked for (SERVER=POOLED): DRCP (see _drcp.py)
        self.drcp: DrcpClient | None = None
        self.logon_timer: asyncio.TimerHandle | None = None
        #: ORA-28267 for an application context the client may not set: the next call's answer.
        self.context_error: OraError | None = None
        if server.logon_timeout is not None:
            self.logon_timer = asyncio.get_running_loop().call_later(server.logon_timeout, self.logon_timed_out)

    async def run(self) -> None:
        try:
            while not self.closed and not self.closing:
                data = await self.reader.read(65536)
                trace_packets(self, "received", data)
                self.conn.receive_data(data)
                ev: ServerEvent | NeedData = NEED_DATA
                while not self.closing and (ev := self.conn.next_event()) is not NEED_DATA:
                    self.handle(ev)
                if self.tls is not None and self.tls.pending:
                    self.writer = await self.tls.renegotiate(self.conn.data_to_send())
                await self.flush()
                if not data or isinstance(ev, ClientClosed):
                    break
        except (ConnectionError, ssl.SSLError):  # a TLS peer may end its session untidily
            pass
        except ProtocolError as exc:
            # The client sent what this server cannot follow: say so, then drop the session.
            _log.warning("embedded server: closing a session after a protocol error: %s", exc)
        finally:
            self.close()

    async def flush(self) -> None:
        out = self.conn.data_to_send()
        if out and not self.closed:
            trace_packets(self, "sent", out)
            if self.server.delay_ms:
                await asyncio.sleep(self.server.delay_ms / 1000)
            self.writer.write(out)
            with contextlib.suppress(ConnectionError):
                await self.writer.drain()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.logon_timer is not None:
            self.logon_timer.cancel()
        if self.sleeper is not None:
            self.sleeper.cancel()
        if self.session is not None:
            with contextlib.suppress(Exception):
                self.session.close()
        if self.record is not None:
            self.server._sessions.pop(self.record.sid, None)
            self.server._by_sid.pop(self.record.sid, None)
        self.server._links.discard(self)
        self.writer.close()

    # ------------------------------------------------------------- events

    async def flush_and_close(self) -> None:
        await self.flush()
        self.close()

    def finish(self) -> None:
        """The answer just queued is the session's last: send it, then close."""
        self.closing = True
        if self.closer is None:
            self.closer = asyncio.get_running_loop().create_task(self.flush_and_close())

    def kill(self) -> None:
        """ALTER SYSTEM KILL SESSION (not immediate): a call running now fails with
        ORA-00028 at once, else the session's next call of any kind does (the
        protocol machine answers it: ``KillDelivered``); then the socket closes."""
        self.killed = self.guard.kill_requested = True
        if self.record is not None:
            self.record.state = "KILLED"
        if self.sleeper is not None:  # waiting inside a call (a sleep or a lock)
            self.sleeper.cancel()
            self.sleeper = None
        if self.conn.kill():  # that call was open: answered now
            self.finish()

    def answer_error(self, exc: OraError, *, cursor_id: int, position: int = 0, row_count: int = 0,
                     in_transaction: bool | None = None) -> None:
        """End the current call with the statement's error; if the session was
        killed meanwhile (the engine's interrupt hook stopped the statement, or
        it failed by itself), the machine answers ORA-00028 instead and the
        session ends."""
        if self.guard.kill_requested:
            self.killed = self.closing = True
            self.conn.kill()
            return
        self.conn.send_error(exc.code, exc.message, cursor_id=cursor_id, position=position, row_count=row_count,
                             in_transaction=in_transaction)

    def logon_timed_out(self) -> None:
        """``logon_timeout`` passed before the logon completed: ORA-03136 where the
        protocol has an answer pending (a CONNECT or a logon to answer), then close."""
        self.logon_timer = None
        if self.closed or self.session is not None:
            return
        state = self.conn.state
        if state is ServerState.CONNECT_RECEIVED:
            self.conn.refuse(3136)
        elif state is ServerState.LOGON_RECEIVED:
            self.conn.reject_user(3136, MSG_03136)
        _log.info("embedded server: closing a connection not logged on within %s s", self.server.logon_timeout)
        self.finish()

    def handle(self, ev: ServerEvent) -> None:
        conn = self.conn
        srv = self.server
        if self.drcp is not None and self.drcp.released and not isinstance(ev, (ClientClosed, SessionReleased)):
            self.session, self.record = srv._broker.attach(self.drcp, self)  # DRCP: the next call after a release
            self.session.set_interrupt(self.guard.check)
        if isinstance(ev, KillDelivered):
            # The machine answered this killed session's call with ORA-00028: it was its last.
            self.closing = True
        elif isinstance(ev, ConnectRequested):
            if self.over_cap:
                conn.refuse(ORA_LISTENER_BUSY)
                self.closing = True  # as a listener does after refusing
                return
            if srv.stall_logons:
                return
            wanted = (ev.service_name or ev.sid or "").upper()
            self.pooled = asks_pooled(ev.connect_data)
            if self.tls is not None and self.tls.ask_renegotiation():
                conn.resend(renegotiate_tls=True)
            elif wanted == srv.service_name.upper():
                conn.accept()
            else:
                conn.refuse(12505 if ev.sid and not ev.service_name else 12514)
        elif isinstance(ev, LogonRequested):
            verifier = srv._passwords.verifier(ev.user.upper())
            token_user = None
            if ev.token is not None and srv._tokens is not None:
                token_user = srv._tokens.user_for(ev, time.time())
            privileges = srv.database.catalog.privileges
            refusal = srv.refuse_logons or srv._passwords.refusal(token_user or ev.user.upper(), privileges,
                                                                  token=token_user is not None)
            if refusal:
                conn.reject_user(refusal, _refusal_text(refusal, token_user or ev.user.upper()))
            elif (verifier is None and ev.token is None) or (ev.token is not None and token_user is None):
                conn.reject_user()
            else:
                sid = next(srv._sids)
                self.record = SessionRecord(
                    sid=sid, serial=next(srv._serials), user=token_user or ev.user.upper(), program=ev.program,
                    machine=ev.machine, osuser=ev.osuser, terminal=ev.terminal,
                )
                if token_user is not None:
                    conn.accept_token(user=token_user, session_id=sid, serial_number=self.record.serial)
                elif verifier is not None:
                    user = ev.user.upper()
                    conn.accept_user(verifier, session_id=sid, serial_number=self.record.serial,
                                     password_expired=srv._passwords.expired(user, privileges),
                                     proxy_clients=srv._passwords.proxy_clients(user, privileges))
        elif isinstance(ev, LoggedOnUser):
            assert self.record is not None
            proxy = None
            if ev.proxy_client is not None:
                # the machine checked it against proxy_clients: the session is the client's
                proxy, self.record.user = self.record.user, ev.proxy_client
            srv._sessions[self.record.sid] = self.record
            srv._by_sid[self.record.sid] = self
            self.session = srv.database.session(user=self.record.user, sid=self.record.sid, serial=self.record.serial,
                                                open_cursors=srv.config.max_open_cursors)
            self.session.set_interrupt(self.guard.check)
            self.session.proxy_user = proxy
            if ev.alter_session:  # python-oracledb's session time zone (ORA_SDTZ or the client's offset)
                with contextlib.suppress(OraError):
                    self.session.execute(ev.alter_session.rstrip("\x00"))
                self.session.start_zone = self.session.nls.get("TIME_ZONE", self.session.start_zone)
            self.context_error = apply_logon(self.session, ev.app_context)
            edition = dict(ev.parameters).get("AUTH_ORA_EDITION")
            if edition:
                self.session.edition = edition.upper()
            if self.logon_timer is not None:
                self.logon_timer.cancel()
                self.logon_timer = None
            if self.pooled:
                self.drcp = DrcpClient.from_logon(self.record, ev.parameters)
        elif isinstance(ev, SessionReleased):
            if self.drcp is not None and self.session is not None and self.record is not None:
                srv._broker.release(self.drcp, self.session, self.record, end=ev.deauthenticate)
                self.session = self.record = None
        elif isinstance(ev, PasswordChanged):
            # The machine proved the old password; later logons need the new one.
            srv._passwords.changed(ev.user.upper(), ev.verifier, srv.database.catalog.privileges)
        elif isinstance(ev, SessionAttributesChanged):
            if self.session is not None:
                for name, value in ev.values:
                    if name == "current_schema":
                        self.session.schema = value or self.session.user
                    elif hasattr(self.session, name):
                        setattr(self.session, name, value)
        elif isinstance(ev, AppContextChanged):
            if self.session is not None:
                self.context_error = apply_change(self.session, ev) or self.context_error
        elif self.context_error is not None and isinstance(ev, (CommitRequested, RollbackRequested, PingRequested,
                                                                ExecuteRequested, FetchRequested)):
            error, self.context_error = self.context_error, None  # in place of the call (see _appctx.py)
            self.answer_error(error, cursor_id=ev.cursor_id if isinstance(ev, (ExecuteRequested, FetchRequested)) else 0)
        elif isinstance(ev, CursorsClosed):
            for cursor_id in ev.cursor_ids:
                self.cursors.pop(cursor_id, None)
        elif isinstance(ev, RequestBoundary):
            if self.record is not None:
                self.record.requests += ev.begin
                self.record.in_request = ev.begin or (self.record.in_request and not ev.end)
        elif isinstance(ev, (CommitRequested, RollbackRequested, PingRequested, LogoffRequested)):
            session = self.session
            if session is not None and isinstance(ev, CommitRequested):
                session.commit()
            elif session is not None and isinstance(ev, (RollbackRequested, LogoffRequested)):
                session.rollback()
            conn.complete_call(in_transaction=bool(session and session.in_transaction))
            if session is not None and isinstance(ev, LogoffRequested):
                session.close()  # the Oracle session ends here (DROP USER sees it gone: ORA-01940 no more)
        elif isinstance(ev, ExecuteRequested):
            with self.guard.running(srv.statement_timeout):
                self.execute(ev)
        elif isinstance(ev, FetchRequested):
            with self.guard.running(srv.statement_timeout):
                self.fetch(ev.cursor_id, ev.rows)
        elif isinstance(ev, BreakReceived):
            if self.sleeper is not None:
                self.sleeper.cancel()
                self.sleeper = None
                conn.send_error(1013, _MSG_1013)
        elif isinstance(ev, ClientClosed):
            self.closed_by_client = True

    closed_by_client = False

    def execute(self, ev: ExecuteRequested) -> None:
        statements.execute(self, ev)  # _statements.py

    def fetch(self, cursor_id: int, count: int) -> None:
        statements.fetch(self, cursor_id, count)

    def kill_from_sql(self, sid: int, serial: int, *, immediate: bool) -> None:
        """ALTER SYSTEM KILL SESSION 'sid,serial' issued on this session."""
        self.server._kill_from_sql(self, sid, serial, immediate=immediate)
    def retry_busy(self, ev: ExecuteRequested) -> bool:
        """sqlite has one writer: wait for it without blocking the loop, as Oracle
        waits on a locked row, up to ``lock_timeout`` (then ORA-00054).  A break
        cancels the wait (ORA-01013)."""
        loop = asyncio.get_running_loop()
        deadline = self.busy_deadline.setdefault(id(ev), loop.time() + self.server.lock_timeout)
        if loop.time() >= deadline:
            self.busy_deadline.pop(id(ev), None)
            return False

        async def again() -> None:
            await asyncio.sleep(0.02)
            self.sleeper = None
            with self.guard.running(self.server.statement_timeout):
                self.execute(ev)
            await self.flush()
            if self.closing:
                self.close()

        self.sleeper = loop.create_task(again())
        return True

    def sleep(self, seconds: float) -> None:
        limit = self.server.statement_timeout

        async def wait() -> None:
            if limit is not None and seconds > limit:
                await asyncio.sleep(limit)
                self.sleeper = None
                self.conn.send_error(56735, time_limit_error().message)
            else:
                await asyncio.sleep(seconds)
                self.sleeper = None
                self.conn.complete_call()
            await self.flush()

        self.sleeper = asyncio.get_running_loop().create_task(wait())


@dataclass
class EmbeddedServer:
    """An Oracle-speaking server on ``host:port`` (port 0 picks a free one)."""

    #: user -> password; each password is wrapped in a ``Secret`` at once (never shown).
    users: Mapping[str, str | Secret[str]] = field(default_factory=lambda: {"scott": "tiger"})
    service_name: str = "FREEPDB1"
    host: str = "127.0.0.1"
    port: int = 0
    verifier: str = "12c"
    config: ServerConfig = field(default_factory=ServerConfig)
    #: Faults (see the module docstring).
    stall_logons: bool = False
    refuse_logons: int = 0
    delay_ms: int = 0
    #: How long DML waits for another session's uncommitted writes (sqlite has a
    #: single writer) before failing with ORA-00054.
    lock_timeout: float = 5.0
    #: Users whose password has expired: their logons fail ORA-28001 until one
    #: sets a new password (python-oracledb ``newpassword=``).
    expired_users: frozenset[str] = frozenset()
    #: Users holding the DBA role: they read DBA_ views and v$session and use every
    #: schema's objects; everyone else sees only its own schema (ORA-00942 for others').
    #: None: a server with a single user (the default scott) makes it the admin, a
    #: server with several users has none.
    admins: Collection[str] | None = None
    #: Sockets served at once; the listener refuses more with ORA-12516 (None: no cap).
    max_connections: int | None = 250
    #: Seconds a socket may take to log on; then ORA-03136 and the socket closes (None: no limit).
    logon_timeout: float | None = 5.0
    #: Seconds a call (execute or fetch) may run; then ORA-56735 and the session lives on (None: no limit).
    statement_timeout: float | None = None
    #: Bytes one top-level PL/SQL call may hold (collections, strings, BULK COLLECT, estimated);
    #: then ORA-04030 and the session lives on.
    plsql_memory: int = DEFAULT_PLSQL_MEMORY
    #: The monotonic clock (seconds) ``statement_timeout`` is measured with while SQL runs
    #: (tests inject one; a ``dbms_session.sleep`` waits on the loop's own clock).
    clock: Callable[[], float] = time.monotonic
    #: Seconds a control method called from another thread waits for the server's loop.
    control_timeout: float = 10.0
    #: Serve TCPS: an ``ssl.SSLContext`` (server side) or a :class:`TlsConfig` (certificate,
    #: key, client CAs for mutual TLS, renegotiation); ``dsn`` becomes ``tcps://localhost:...``.
    tls: ssl.SSLContext | TlsConfig | None = None
    #: Token logons (``access_token``) accepted: token -> user (OAuth 2.0), or token ->
    #: (user, PEM public key) for an OCI IAM token whose signature is checked.
    tokens: Mapping[str, TokenSpec] | None = field(default=None, repr=False)
    #: DBMS_RANDOM's seed: every session's generator starts from it, so a run's random values repeat
    #: (None: each session draws a fresh seed).
    random_seed: int | None = None

    def __post_init__(self) -> None:
        self._tokens = token_table(self.tokens)
        secrets: dict[str, Secret[str]] = {user: password if isinstance(password, Secret) else Secret(password)
                                           for user, password in self.users.items()}
        self.users = secrets
        #: The one owner of passwords (as verifiers): _accounts.py.
        self._passwords = Passwords(secrets, kind=self.verifier, expired=self.expired_users)
        self._sids = itertools.count(10)
        self._serials = itertools.count(101)
        self._sessions: dict[int, SessionRecord] = {}
        #: The socket of each logged-on session; one dict lookup, so readable from any thread.
        self._by_sid: dict[int, _Link] = {}
        self._links: set[_Link] = set()
        self._server: asyncio.AbstractServer | None = None
        self._database: Database | None = None
        self._control = LoopControl()
        self._broker: Broker[_Link] = Broker(self._sessions, self._by_sid, self._new_session)  # DRCP (_drcp.py)

    @property
    def database(self) -> Database:
        """The SQL database (exists while the server runs)."""
        if self._database is None:
            raise RuntimeError("the EmbeddedServer is not running")
        return self._database

    # ----------------------------------------------------------- properties

    @property
    def dsn(self) -> str:
        """Easy Connect string for clients (``tcps://`` and the name ``localhost`` with ``tls``)."""
        if self.tls is not None:
            host = "localhost" if self.host == "127.0.0.1" else self.host
            return f"tcps://{host}:{self.port}/{self.service_name}"
        return f"{self.host}:{self.port}/{self.service_name}"

    @property
    def sessions(self) -> list[SessionRecord]:
        """Live sessions (killed ones show ``state == "KILLED"`` until their next call).

        A snapshot copied in one step, so readable from any thread, even while the
        loop runs a statement (sqlite lets other threads run meanwhile)."""
        return list(self._sessions.values())

    def _session_rows(self) -> list[tuple[object, ...]]:
        return [
            (s.sid, s.serial, s.user, s.program, s.machine, s.osuser, s.terminal, s.state)
            for s in self._sessions.values()
        ]

    # ------------------------------------------------------------ lifecycle

    def _open_database(self) -> Database:
        admins = self.admins if self.admins is not None else (list(self.users) if len(self.users) == 1 else [])
        token_users = self._tokens.users() if self._tokens is not None else frozenset()
        database = Database(users={*(u.upper() for u in self.users), *token_users}, admins=admins)
        database.sessions_provider = self._session_rows
        database.plsql_memory = self.plsql_memory
        seed_random(database, self.random_seed)
        database.password_sink = self._passwords.set
        database.password_check = self._passwords.matches
        self._passwords.reset()  # users made by SQL go with the database they were made in
        return database

    async def start(self) -> None:
        """Open the database and start listening."""
        self._database = self._open_database()
        accept = self._accept if self.tls is None else tls_acceptor(self.tls, self._accept)
        self._server = await asyncio.start_server(accept, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        self._control.bind(asyncio.get_running_loop())

    async def stop(self) -> None:
        """Close every session, stop listening and remove the database."""
        if self._server is not None:
            self._server.close()
        self._drop_all()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
        if self._database is not None:
            self._database.close()
            self._database = None
        self._control.bind(None)

    async def __aenter__(self) -> EmbeddedServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      tls: TlsLink | None = None) -> None:
        cap = self.max_connections
        over_cap = cap is not None and sum(not link.over_cap for link in self._links) >= cap
        link = _Link(self, reader, writer, over_cap=over_cap)
        self._links.add(link)
        link.tls = tls
        if tls is None or await tls.handshake():
            await link.run()
        else:
            link.close()

    # --------------------------------------------------------------- faults

    def _new_session(self, user: str) -> tuple[Session, SessionRecord]:
        record = SessionRecord(sid=next(self._sids), serial=next(self._serials), user=user)
        return self.database.session(user=user, sid=record.sid, serial=record.serial,
                                     open_cursors=self.config.max_open_cursors), record

    def _link_of(self, sid: int) -> _Link | None:
        return self._by_sid.get(sid)

    def kill_session(self, sid: int, *, immediate: bool = False) -> bool:
        """Kill session ``sid`` as ALTER SYSTEM KILL SESSION does: the call it runs,
        or else its next call, fails with ORA-00028, then its socket closes.
        ``immediate``: cut the socket now (the client sees DPY-4011).
        False if there is no such session.  Safe from any thread."""
        link = self._link_of(sid)
        if link is not None and not immediate:
            # The loop may be busy running this very session's statement: the engine's
            # interrupt hook reads this flag directly, which frees the loop for the rest.
            link.guard.kill_requested = True

        def kill() -> bool:
            # True also when that statement already ended the session with ORA-00028.
            return self._kill(sid, immediate) or (link is not None and link.killed)

        return self._control.call(kill, self.control_timeout)

    def _kill(self, sid: int, immediate: bool) -> bool:
        link = self._link_of(sid)
        if link is None or link.closed:
            return False
        if immediate:
            link.close()
        else:
            link.kill()
        return True

    def _kill_from_sql(self, by: _Link, sid: int, serial: int, *, immediate: bool) -> None:
        """ALTER SYSTEM KILL SESSION 'sid,serial' issued on ``by``."""
        target = self._link_of(sid)
        if target is None or target.record is None or target.record.serial != serial or target.closed:
            raise OraError(30, "ORA-00030: User session ID does not exist.")
        if target is by:
            raise OraError(27, "ORA-00027: cannot kill current session")
        self._kill(sid, immediate)

    def drop_all(self) -> None:
        """Close every client socket (as a network failure would).  Safe from any thread."""
        self._control.call(self._drop_all, self.control_timeout)

    def _drop_all(self) -> None:
        for link in list(self._links):
            link.close()
        self._broker.close_all()

    def reset_database(self) -> None:
        """Close every client socket and start over with an empty database (users
        and service stay).  The ``embedded_fresh_server`` fixture calls it before
        each test.  Safe from any thread."""

        def reset() -> None:
            self._drop_all()
            old, self._database = self._database, self._open_database()
            if old is not None:
                old.close()

        self._control.call(reset, self.control_timeout)

    # ---------------------------------------------------------- thread mode

    @contextlib.contextmanager
    def threaded(self) -> Iterator[EmbeddedServer]:
        """Run on a background thread with its own loop (for sync clients)."""
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self.start())
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        thread = threading.Thread(target=run, name="EmbeddedServer", daemon=True)
        thread.start()
        if not ready.wait(30):
            raise RuntimeError("EmbeddedServer did not start")
        self._loop = loop
        try:
            yield self
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(30)

    def call_threadsafe(self, fn: Callable[[], object]) -> None:
        """Run ``fn()`` on the server's loop (thread mode), without waiting for it."""
        self._loop.call_soon_threadsafe(fn)


@contextlib.asynccontextmanager
async def serving(**kwargs: object) -> AsyncIterator[EmbeddedServer]:
    """``async with serving(users=...) as server:`` shorthand."""
    server = EmbeddedServer(**kwargs)  # type: ignore[arg-type]
    async with server:
        yield server
