"""Application context: the values a session's SYS_CONTEXT(namespace, attribute) reads.

One store per session, ``(NAMESPACE, ATTRIBUTE) -> value`` with both names upper-cased (Oracle
compares them case-insensitively), kept here keyed by the session object and gone with it.
Clients set it at logon (python-oracledb ``appcontext=``) and with ``set_app_context`` /
``clear_app_context`` (testing/_appctx.py); PL/SQL with DBMS_SESSION.SET_CONTEXT /
CLEAR_CONTEXT.  USERENV is not stored: runtime/userenv.py answers it from the session.

A client may set only CLIENTCONTEXT (Oracle also lets it set contexts created ACCESSED GLOBALLY
or INITIALIZED EXTERNALLY, which this server has no CREATE CONTEXT for); other namespaces are
ORA-28267 (:func:`client_may_set`).  DBMS_SESSION.SET_CONTEXT may likewise set only
CLIENTCONTEXT: Oracle allows any other namespace only from the package its CREATE CONTEXT ...
USING names, so every other one is ORA-01031 (runtime/pkg_misc.py).

The store is bounded on both paths: names and values by the protocol's limits (the same bounds
the piggyback parser applies, oracle_sansio/ttc/messages/appctx.py) and at most
:data:`MAX_ENTRIES` entries a session, each over-limit set Oracle's ORA-28268 ("exceeded the
maximum allowed size for Context information in a session").
"""

from __future__ import annotations

import weakref
from typing import Final

from oracle_sansio.ttc.messages.appctx import MAX_ATTRIBUTE, MAX_NAMESPACE, MAX_VALUE

from .. import errors
from ..types.numbers import num
from .userenv import USERENV_KEYS, SessionFacts, userenv

__all__ = ["CLIENT_NAMESPACE", "DEFAULT_LENGTH", "MAX_ENTRIES", "client_may_set", "clear_context", "context_value", "contexts",
           "set_context", "sys_context"]

#: The namespace every client may set.
CLIENT_NAMESPACE: Final = "CLIENTCONTEXT"
#: SYS_CONTEXT's result is cut to this many bytes unless its third argument (1..4000) says otherwise.
DEFAULT_LENGTH: Final = 256
_MAX_LENGTH: Final = 4000
#: Entries one session's store may hold (all namespaces): bounds the memory a client or a
#: PL/SQL loop can make the server keep.
MAX_ENTRIES: Final = 10_000

_STORES: weakref.WeakKeyDictionary[object, dict[tuple[str, str], str]] = weakref.WeakKeyDictionary()


def contexts(session: object) -> dict[tuple[str, str], str]:
    """``session``'s store, made at its first use."""
    found = _STORES.get(session)
    if found is None:
        found = _STORES[session] = {}
    return found


def context_value(session: object, namespace: str, attribute: str) -> str | None:
    """The value ``namespace.attribute`` holds in ``session`` (None: not set)."""
    found = _STORES.get(session)
    return None if found is None else found.get((namespace.upper(), attribute.upper()))


def set_context(session: object, namespace: str, attribute: str, value: str | None) -> None:
    """Set one value (None removes it, as Oracle's NULL value); ORA-28268 for a name or value
    over the protocol's bounds or a new entry past :data:`MAX_ENTRIES`."""
    key = (namespace.upper(), attribute.upper())
    store = contexts(session)
    if value is None:
        store.pop(key, None)
        return
    for text, limit in ((namespace, MAX_NAMESPACE), (attribute, MAX_ATTRIBUTE), (value, MAX_VALUE)):
        if len(text) > limit or len(text.encode()) > limit:  # the length first: no encoding of a huge text
            raise errors.ora(28268)
    if key not in store and len(store) >= MAX_ENTRIES:
        raise errors.ora(28268)
    store[key] = value


def clear_context(session: object, namespace: str, attribute: str | None = None) -> None:
    """Remove ``attribute`` of ``namespace``, or every attribute of it (None)."""
    store = contexts(session)
    ns, attr = namespace.upper(), None if attribute is None else attribute.upper()
    for key in [k for k in store if k[0] == ns and (attr is None or k[1] == attr)]:
        del store[key]


def client_may_set(namespace: str) -> bool:
    """Whether a client (logon or piggyback) may set ``namespace`` (else Oracle's ORA-28267)."""
    return namespace.upper() == CLIENT_NAMESPACE


def sys_context(session: SessionFacts, namespace: object, attribute: object, length: object = None) -> str | None:
    """SYS_CONTEXT(namespace, attribute[, length]) evaluated for each row (arguments may be binds
    or columns): USERENV from the session (ORA-02003 for a key it does not have), any other
    namespace from the store; the result is cut to ``length`` bytes (default 256)."""
    if namespace is None or attribute is None:
        return None
    ns, attr = str(namespace).upper(), str(attribute).upper()
    if ns == "USERENV":
        if attr not in USERENV_KEYS:
            raise errors.ora(2003)
        value = userenv(session, attr)
    else:
        value = context_value(session, ns, attr)
    if value is None:
        return None
    limit = _length(length)
    data = value.encode()
    return value if len(data) <= limit else data[:limit].decode("utf-8", "ignore")


def _length(length: object) -> int:
    # Oracle ignores a length outside 1..4000 and uses the default.
    n = num(length)
    return int(n) if n is not None and 1 <= n <= _MAX_LENGTH else DEFAULT_LENGTH
