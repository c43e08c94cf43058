"""Limits of the embedded server: killed sessions, statement deadlines, logon
and connection limits (the errors Oracle gives for each), and the marshalling
that lets any thread drive a server whose loop runs elsewhere.

The SQL engine runs each statement synchronously on the server's event loop,
so a runaway statement would hold the loop for good.  :class:`CallGuard` is
what the engine's interrupt hook (``Session.set_interrupt``) asks every few
thousand sqlite steps: it answers ORA-56735 once the call's deadline has
passed and ORA-00028 once the session was killed (a kill from another thread
sets the flag directly, because the loop it would be marshalled to is the
one the statement holds).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from oracle_sansio.error_codes import ora_text

from .sql.errors import OraError

__all__ = [
    "MSG_00028", "MSG_03136", "MSG_56735", "ORA_LISTENER_BUSY", "CallGuard", "LoopControl",
    "killed_error", "time_limit_error",
]

MSG_00028 = ora_text(28)
MSG_03136 = ora_text(3136)
MSG_56735 = ora_text(56735)
#: TNS:listener could not find available handler with matching protocol stack
#: (the listener's answer when the instance has no process left for a new session).
ORA_LISTENER_BUSY = 12516

_R = TypeVar("_R")


def killed_error() -> OraError:
    """ORA-00028, the answer to the first call of a killed session."""
    return OraError(28, MSG_00028)


def time_limit_error() -> OraError:
    """ORA-56735, the answer to a call that outlived ``statement_timeout``."""
    return OraError(56735, MSG_56735)


class CallGuard:
    """One session's running call, as the engine's interrupt hook sees it.

    ``clock`` is the server's (injected) monotonic clock, in seconds.
    """

    __slots__ = ("clock", "deadline", "kill_requested", "fired")

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        #: When the running call must stop (None: no call, or no limit).
        self.deadline: float | None = None
        #: Set (from any thread) by a kill: the running statement stops with ORA-00028.
        self.kill_requested = False
        #: The error the hook last stopped a statement with.
        self.fired: OraError | None = None

    @contextmanager
    def running(self, timeout: float | None) -> Iterator[None]:
        """A call runs inside: its deadline is ``timeout`` seconds from now."""
        self.deadline = None if timeout is None else self.clock() + timeout
        try:
            yield
        finally:
            self.deadline = None

    def check(self) -> OraError | None:
        """The error the running statement must stop with now, if any."""
        if self.kill_requested:
            self.fired = killed_error()
        elif self.deadline is not None and self.clock() >= self.deadline:
            self.fired = time_limit_error()
        else:
            return None
        return self.fired


class LoopControl:
    """Runs a server's control methods on its event loop, from any thread.

    On the loop's own thread (or before the loop runs, or after it stopped)
    the function runs at once; from another thread it is handed to the loop
    and the caller waits for its result, at most ``timeout`` seconds
    (``TimeoutError`` then: the loop is stuck).
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: int | None = None

    def bind(self, loop: asyncio.AbstractEventLoop | None) -> None:
        """The loop the server now runs on (the current thread's), or None once stopped."""
        self._loop = loop
        self._thread = threading.get_ident() if loop is not None else None

    def call(self, fn: Callable[[], _R], timeout: float) -> _R:
        """``fn()`` on the server's loop; its result or exception."""
        loop = self._loop
        if loop is None or self._thread == threading.get_ident() or loop.is_closed() or not loop.is_running():
            return fn()
        done: concurrent.futures.Future[_R] = concurrent.futures.Future()

        def run() -> None:
            if not done.set_running_or_notify_cancel():
                return  # the caller gave up waiting: do nothing late
            try:
                done.set_result(fn())
            except BaseException as exc:  # handed to the calling thread
                done.set_exception(exc)

        loop.call_soon_threadsafe(run)
        try:
            return done.result(timeout)
        except concurrent.futures.TimeoutError:
            done.cancel()
            raise TimeoutError(f"the EmbeddedServer's loop did not run a control call within {timeout} s") from None
