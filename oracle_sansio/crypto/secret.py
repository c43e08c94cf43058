"""A wrapper that keeps passwords and key material out of logs and tracebacks.

``Secret`` holds a ``str`` or ``bytes`` value and shows only a mask when it is
printed, formatted, repr'd or included in a dataclass repr.  The value comes
out through :meth:`Secret.expose`, which only the crypto code and the wire
encoders are meant to call, so a grep for ``expose(`` lists every place a
secret can leave its box.

Equality uses :func:`hmac.compare_digest` so that comparing two secrets does
not leak, through timing, how long their common prefix is.  The hash is a
constant per value type: equal secrets hash equal, and the hash says nothing
about the value.  Copying returns the same object (it is immutable) and
pickling is refused, so a secret cannot be written out by accident.
"""

from __future__ import annotations

import hmac
from typing import Any, Final, Generic, NoReturn, TypeVar

__all__ = ["Secret"]

T = TypeVar("T", str, bytes)

_MASK: Final = "********"


class Secret(Generic[T]):
    """An immutable ``str`` or ``bytes`` value that never shows itself."""

    __slots__ = ("_value",)

    _value: T

    def __init__(self, value: T) -> None:
        if not isinstance(value, (str, bytes)):
            raise TypeError(f"Secret holds str or bytes, not {type(value).__name__}")
        # object.__setattr__ because __setattr__ below refuses every write.
        object.__setattr__(self, "_value", value)

    def expose(self) -> T:
        """Return the wrapped value; call only where it must go on the wire or into a cipher."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({_MASK!r})"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, format_spec: str) -> str:
        # f"{secret}" and format() go through here, not through __str__.
        return format(_MASK, format_spec)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        mine: str | bytes = self._value
        theirs: str | bytes = other._value
        if type(mine) is not type(theirs):
            return False
        # compare_digest rejects non-ASCII str, so compare the UTF-8 bytes.
        if isinstance(mine, str):
            mine = mine.encode("utf-8", "surrogatepass")
        if isinstance(theirs, str):
            theirs = theirs.encode("utf-8", "surrogatepass")
        return hmac.compare_digest(mine, theirs)

    def __hash__(self) -> int:
        return hash((Secret, type(self._value)))

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Secret is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Secret is immutable")

    def __copy__(self) -> Secret[T]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Secret[T]:
        return self

    def __reduce_ex__(self, protocol: Any) -> NoReturn:
        raise TypeError("Secret cannot be pickled")
