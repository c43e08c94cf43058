"""The embedded server's side of application context: what a client sets at logon
(``LoggedOnUser.app_context``) and with its piggybacks (``AppContextChanged``) goes into the
session's store (sql/runtime/appcontext.py), which SYS_CONTEXT reads.

A namespace a client may not set (anything but CLIENTCONTEXT here) is Oracle's ORA-28267,
answered on the round trip that carried it, in place of that round trip's call: the values
of the other namespaces are set, and the session goes on.  A value past the store's bounds
(runtime/appcontext.py) is ORA-28268, answered the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from oracle_sansio.connection.events import AppContextChanged

from .sql import errors
from .sql.errors import OraError
from .sql.runtime import appcontext

__all__ = ["apply_change", "apply_logon"]


def _refused() -> OraError:
    return errors.ora(28267)


def apply_logon(session: object, entries: Iterable[tuple[str, str, str]]) -> OraError | None:
    """Set the logon's (namespace, attribute, value) entries; the error for a namespace the
    client may not set (its entries are not set), else None."""
    error: OraError | None = None
    for namespace, attribute, value in entries:
        if not appcontext.client_may_set(namespace):
            error = _refused()
            continue
        try:
            appcontext.set_context(session, namespace, attribute, value)
        except OraError as exc:  # ORA-28268: the store's bounds
            error = exc
    return error


def apply_change(session: object, change: AppContextChanged) -> OraError | None:
    """Carry out one piggybacked change; the error for a namespace the client may not set, else None."""
    if not appcontext.client_may_set(change.namespace):
        return _refused()
    if change.cleared:
        appcontext.clear_context(session, change.namespace)
    for attribute, value in change.values:
        try:
            appcontext.set_context(session, change.namespace, attribute, value)
        except OraError as exc:  # ORA-28268 past the store's bounds: the values before it stay set
            return exc
    return None
