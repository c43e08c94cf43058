"""Application context: the APP_CONTEXT piggyback (function 154) and the logon's
AUTH_APPCTX_* triples (python-oracledb messages/base.pyx ``_write_app_context_piggyback``,
messages/auth.pyx; docs/protocol-ttc.md 7.6).

The piggyback, one per namespace::

    01  ub4 len(namespace)  ub1 entries-pointer  ub4 n  ub2 flags  00  CLR namespace
    n x ( DLC attribute  DLC value  ub4 0 )

``flags`` is SET (0x01, with entries) or CLEAR (0x02, none: every attribute of the
namespace goes).  At logon each entry is three auth pairs, keys ending in a NUL byte
(python-oracledb: "the server expects it").

Names and values are bounded before anything is read (python-oracledb's client-side
limits: 128 bytes for an attribute, 4000 for a value; a namespace is an identifier, 128
bytes).  Bytes that break these rules raise :class:`AppContextError`, which a server
answers with an ORA error: the piggyback is self-delimiting, so the session goes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Final

from ...errors import DecodeError
from ...limits import DEFAULT_LIMITS, Limits
from ..constants import FunctionCode, MessageType
from ..wire import Reader, Writer
from .function import FunctionHeader

__all__ = ["AppContextChange", "AppContextError", "MAX_NAMESPACE", "MAX_ATTRIBUTE", "MAX_VALUE",
           "LOGON_KEYS", "logon_pairs", "logon_entries"]

#: Longest namespace, attribute name and value, in bytes (UTF-8).
MAX_NAMESPACE: Final = 128
MAX_ATTRIBUTE: Final = 128
MAX_VALUE: Final = 4000

#: The logon's keys for one entry, in the order python-oracledb sends them (NUL included).
LOGON_KEYS: Final = ("AUTH_APPCTX_NSPACE\0", "AUTH_APPCTX_ATTR\0", "AUTH_APPCTX_VALUE\0")


class AppContextError(DecodeError):
    """An application context that breaks the layout or the bounds above.

    ``too_large``: a name, value or count over its bound (Oracle's ORA-28268); else
    the bytes do not follow the layout (ORA-03115).
    """

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


def _text(data: bytes | None, what: str) -> str:
    try:
        return (data or b"").decode()
    except UnicodeDecodeError:
        raise AppContextError(f"application context {what} is not valid UTF-8") from None


def _bounded(r: Reader, what: str, limit: int) -> str:
    """A DLC whose declared length is checked against ``limit`` before its bytes are read."""
    length = r.ub4()
    if length > limit:
        raise AppContextError(f"application context {what} of {length} bytes exceeds {limit}", too_large=True)
    if not length:
        return ""
    data = r.clr() or b""
    if len(data) != length:
        raise AppContextError(f"application context {what} declared {length} bytes but holds {len(data)}")
    return _text(data, what)


@dataclass(frozen=True, slots=True, kw_only=True)
class AppContextChange:
    """One namespace's change: ``values`` set (attribute, value), or the whole namespace cleared."""

    SET: ClassVar[int] = 0x01
    CLEAR: ClassVar[int] = 0x02

    namespace: str
    values: tuple[tuple[str, str], ...] = ()
    cleared: bool = False

    def encode(self, w: Writer, *, seq: int, token: int | None) -> None:
        """Write the piggyback (header type 0x11)."""
        FunctionHeader(code=FunctionCode.SET_KEY_VALUE, seq=seq, token=token,
                       message_type=MessageType.PIGGYBACK).encode(w)
        namespace = self.namespace.encode()
        w.ub1(1)
        w.ub4(len(namespace))
        w.ub1(1 if self.values else 0)
        w.ub4(len(self.values))
        w.ub2(self.CLEAR if self.cleared else self.SET)
        w.ub1(0)
        w.clr(namespace)
        for attribute, value in self.values:
            w.dlc_str(attribute)
            w.dlc_str(value)
            w.ub4(0)

    @classmethod
    def decode_body(cls, r: Reader, *, limits: Limits = DEFAULT_LIMITS) -> AppContextChange:
        """Read the body after the piggyback header (server role).

        Raises:
            AppContextError: a bound exceeded, or bytes that break the layout.
        """
        r.ub1()
        ns_length = r.ub4()
        if ns_length > MAX_NAMESPACE:
            raise AppContextError(f"application context namespace of {ns_length} bytes exceeds {MAX_NAMESPACE}",
                                  too_large=True)
        has_entries = r.ub1()
        count = r.ub4()
        if count > limits.max_kv_pairs:
            raise AppContextError(f"{count} application context entries exceed {limits.max_kv_pairs}",
                                  too_large=True)
        flags = r.ub2()
        r.ub1()
        if flags not in (cls.SET, cls.CLEAR) or (flags == cls.CLEAR) == bool(count) or bool(has_entries) != bool(count):
            raise AppContextError(f"application context flags 0x{flags:X} with {count} entries")
        raw = r.clr() or b""
        if len(raw) != ns_length or not raw:
            raise AppContextError(f"application context namespace declared {ns_length} bytes but holds {len(raw)}")
        namespace = _text(raw, "namespace")
        values: list[tuple[str, str]] = []
        for _ in range(count):
            attribute = _bounded(r, "attribute", MAX_ATTRIBUTE)
            value = _bounded(r, "value", MAX_VALUE)
            r.ub4()
            values.append((attribute, value))
        return cls(namespace=namespace, values=tuple(values), cleared=flags == cls.CLEAR)


def logon_pairs(entries: Sequence[tuple[str, str, str]]) -> list[tuple[str, str, int]]:
    """The logon's auth pairs for ``entries`` (namespace, attribute, value), three per entry."""
    return [(key, text, 0) for entry in entries for key, text in zip(LOGON_KEYS, entry)]


def logon_entries(pairs: Sequence[tuple[str, str, int]]) -> tuple[tuple[str, str, str], ...]:
    """The (namespace, attribute, value) entries among a logon's auth pairs, in order.

    Raises:
        AppContextError: a triple out of order or incomplete, or a name or value over its bound.
    """
    found = [(key, value) for key, value, _ in pairs if key in LOGON_KEYS]
    if len(found) % 3:
        raise AppContextError(f"{len(found)} application context logon pairs are not whole triples")
    entries: list[tuple[str, str, str]] = []
    for i in range(0, len(found), 3):
        keys = tuple(key for key, _ in found[i:i + 3])
        if keys != LOGON_KEYS:
            raise AppContextError(f"application context logon pairs out of order: {keys!r}")
        namespace, attribute, value = (v for _, v in found[i:i + 3])
        for text, what, limit in ((namespace, "namespace", MAX_NAMESPACE), (attribute, "attribute", MAX_ATTRIBUTE),
                                  (value, "value", MAX_VALUE)):
            if len(text.encode()) > limit:
                raise AppContextError(f"application context {what} exceeds {limit} bytes", too_large=True)
        if not namespace:
            raise AppContextError("an application context logon entry without a namespace")
        entries.append((namespace, attribute, value))
    return tuple(entries)
