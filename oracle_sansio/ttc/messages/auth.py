"""O5LOGON messages: AUTH phase one (118) and two (115) requests, and the
PARAMETER key/value reply (docs/protocol-connect.md 9.2-9.8).

The requests share one layout; pairs are looked up by key, never by position
(node-oracledb, go-ora and OCI order them differently).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import UnexpectedMessageError
from ...limits import DEFAULT_LIMITS, Limits
from ..constants import AuthMode, FunctionCode, MessageType
from ..wire import Reader, Writer
from .function import FunctionHeader

__all__ = ["AuthRequest", "AuthParameters", "AuthPair", "pairs_dict"]

AuthPair = tuple[str, str, int]

#: Keys whose values are secrets: masked in repr.
_SECRET_KEYS = frozenset(
    {"AUTH_SESSKEY", "AUTH_PASSWORD", "AUTH_NEWPASSWORD", "AUTH_PBKDF2_SPEEDY_KEY", "AUTH_TOKEN", "AUTH_SVR_RESPONSE"}
)


def _masked(pairs: tuple[AuthPair, ...]) -> str:
    shown = ", ".join(
        f"({k!r}, {'<masked>' if k in _SECRET_KEYS else repr(v)}, {f})" for k, v, f in pairs
    )
    return f"({shown})"


def pairs_dict(pairs: tuple[AuthPair, ...]) -> dict[str, str]:
    """Pairs by key (the last one wins, as in python-oracledb's dictionary)."""
    return {k: v for k, v, _ in pairs}


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthRequest:
    """An AUTH phase-one or phase-two call (the body after the function header)."""

    phase_two: bool = False
    user: str = ""
    mode: int = AuthMode.LOGON
    pairs: tuple[AuthPair, ...] = ()

    def __repr__(self) -> str:
        return (
            f"AuthRequest(phase_two={self.phase_two}, user={self.user!r}, mode=0x{self.mode:X}, "
            f"pairs={_masked(self.pairs)})"
        )

    @property
    def function_code(self) -> FunctionCode:
        """118 or 115."""
        return FunctionCode.AUTH_PHASE_TWO if self.phase_two else FunctionCode.AUTH_PHASE_ONE

    def encode(self, w: Writer, *, seq: int, token: int | None) -> None:
        """Write header and body."""
        FunctionHeader(code=self.function_code, seq=seq, token=token).encode(w)
        user = self.user.encode()
        w.ub1(1 if user else 0)
        w.ub4(len(user))
        w.ub4(self.mode)
        w.ub1(1)
        w.ub4(len(self.pairs))
        w.ub1(1)
        w.ub1(1)
        if user:
            w.clr(user)
        for key, value, flags in self.pairs:
            w.auth_kv(key, value, flags)

    @classmethod
    def decode_body(cls, r: Reader, header: FunctionHeader, *, limits: Limits = DEFAULT_LIMITS) -> AuthRequest:
        """Read the body of a call whose header was already read (server role)."""
        if header.code not in (FunctionCode.AUTH_PHASE_ONE, FunctionCode.AUTH_PHASE_TWO):
            raise UnexpectedMessageError(f"function {header.code} is not an AUTH call")
        has_user = r.ub1()
        user_len = r.ub4()
        limits.check("user name length", user_len, 1024)
        mode = r.ub4()
        r.ub1()
        count = r.ub4()
        limits.check("auth pair count", count, limits.max_kv_pairs)
        r.ub1()
        r.ub1()
        user = b""
        if has_user and user_len:
            user = r.clr() or b""
        pairs = tuple(r.auth_kv() for _ in range(count))
        return cls(
            phase_two=header.code == FunctionCode.AUTH_PHASE_TWO,
            user=user.decode("utf-8", "replace"),
            mode=mode,
            pairs=pairs,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthParameters:
    """The PARAMETER message answering an AUTH call: ``08 ub2 n`` + n pairs."""

    pairs: tuple[AuthPair, ...] = ()

    def __repr__(self) -> str:
        return f"AuthParameters(pairs={_masked(self.pairs)})"

    def encode(self, w: Writer) -> None:
        """Write the message."""
        w.ub1(MessageType.PARAMETER)
        w.ub2(len(self.pairs))
        for key, value, flags in self.pairs:
            w.auth_kv(key, value, flags)

    @classmethod
    def decode_body(cls, r: Reader, *, limits: Limits = DEFAULT_LIMITS) -> AuthParameters:
        """Read the body after the PARAMETER type byte (client role)."""
        count = r.ub2()
        return cls(pairs=tuple(r.auth_kvs(count)))
