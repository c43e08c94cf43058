"""Compile-time and runtime capabilities, and what negotiation makes of them.

Each side sends a compile-capability array (55 bytes from python-oracledb
26.1) and a runtime-capability array in DATA_TYPES, and the server's arrays
arrive in the PROTOCOL reply.  Byte 7 of the compile caps is the TTC field
version: the client lowers its own to the server's (docs/protocol-ttc.md 1.8).
Bit meanings per python-oracledb impl/thin/capabilities.pyx.

Our client advertises only what it implements: no pipelining, vectors,
sessionless transactions, HA readiness or end-user security contexts, so a
server never sends their messages.  Our server advertises real 23ai's arrays,
end of response and explicit request boundaries included when configured
(``ServerConfig``), less what it cannot serve (end-user security contexts, HA
readiness).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from .constants import CompileCap, FieldVersion, RuntimeCap

__all__ = [
    "Capabilities",
    "client_compile_caps",
    "client_runtime_caps",
    "server_compile_caps",
    "server_runtime_caps",
    "FIELD_VERSION_MAX",
    "SERVER_23AI_COMPILE_CAPS",
    "SERVER_23AI_RUNTIME_CAPS",
]

FIELD_VERSION_MAX: Final = int(FieldVersion.V23_4)
COMPILE_CAPS_SIZE: Final = 55
RUNTIME_CAPS_SIZE: Final = 13

# Bits (python-oracledb constants.pxi, TNS_CCAP_*).
_O5LOGON, _O5LOGON_NP, _O7LOGON, _O8_LONG_ID, _O9_LONG_PW = 8, 2, 32, 64, 0x80
_CTB_IMPLICIT_POOL, _CTB_OAUTH_MSG_ON_ERR = 0x08, 0x10
_FAST_BVEC, _END_OF_CALL_STATUS, _IND_RCD = 0x20, 0x01, 0x08
_FAST_SESSION_PROPAGATE, _APP_CTX_PIGGYBACK = 0x10, 0x80
_LOB_UB8_SIZE, _LOB_ENCS, _LOB_PREFETCH_DATA, _LOB_TEMP_SIZE = 0x01, 0x02, 0x04, 0x08
_LOB_PREFETCH_LENGTH, _LOB_12C = 0x40, 0x80
_LOB2_QUASI, _LOB2_2GB_PREFETCH = 0x01, 0x04
_IMPLICIT_RESULTS, _BIG_CHUNK_CLR, _KEEP_OUT_ORDER, _LTXID = 0x10, 0x20, 0x80, 0x08
_ZLNP, _DRCP = 0x04, 0x10
_INBAND_NOTIFICATION, _EXPLICIT_BOUNDARY, _END_OF_RESPONSE = 0x04, 0x40, 0x20
_TOKEN_SUPPORTED = 0x02
_RCAP_COMPAT_81, _RCAP_ZERO_COPY, _RCAP_32K, _RCAP_SESSION_STATE_OPS = 2, 0x01, 0x04, 0x10

#: Real Oracle 23ai compile caps (oracle-nio AuthenticationChallengeMessage.swift,
#: docs/protocol-connect.md 8.1).  Byte 4 = 0xEF keeps go-ora's O5LOGON rules aligned.
SERVER_23AI_COMPILE_CAPS: Final = bytes.fromhex(
    "06 01 01 01 EF 0F 01 18 01 01 01 01 01 01 01 7F FF 03 10 03 03 01 01 FF 01"
    " FF FF 01 0C 01 01 FF 01 06 0C F6 09 7F 05 0F FF 0D 0B 00 1F 00 00 00 00 00 00"
    " 0C 01"
)
#: Real Oracle 23ai runtime caps (same source).
SERVER_23AI_RUNTIME_CAPS: Final = bytes.fromhex("02 01 00 01 18 00 7F 01 00 00 00 00")


def client_compile_caps(*, field_version: int = FIELD_VERSION_MAX, end_of_response: bool = False) -> bytes:
    """The compile caps our client sends in DATA_TYPES."""
    caps = bytearray(COMPILE_CAPS_SIZE)
    caps[CompileCap.SQL_VERSION] = 6
    caps[CompileCap.LOGON_TYPES] = _O5LOGON | _O5LOGON_NP | _O7LOGON | _O8_LONG_ID | _O9_LONG_PW
    caps[CompileCap.FEATURE_BACKPORT] = _CTB_IMPLICIT_POOL | _CTB_OAUTH_MSG_ON_ERR
    caps[CompileCap.FIELD_VERSION] = field_version
    caps[CompileCap.SERVER_DEFINE_CONV] = 1
    caps[CompileCap.DEQUEUE_WITH_SELECTOR] = 1
    caps[CompileCap.TTC1] = _FAST_BVEC | _END_OF_CALL_STATUS | _IND_RCD
    caps[CompileCap.OCI1] = _FAST_SESSION_PROPAGATE | _APP_CTX_PIGGYBACK
    caps[CompileCap.TDS_VERSION] = 3
    caps[CompileCap.RPC_VERSION] = 7
    caps[CompileCap.RPC_SIG] = 3
    caps[CompileCap.DBF_VERSION] = 1
    caps[CompileCap.LOB] = (
        _LOB_UB8_SIZE | _LOB_ENCS | _LOB_PREFETCH_LENGTH | _LOB_TEMP_SIZE | _LOB_12C | _LOB_PREFETCH_DATA
    )
    caps[CompileCap.UB2_DTY] = 1
    caps[CompileCap.LOB2] = _LOB2_QUASI | _LOB2_2GB_PREFETCH
    caps[CompileCap.TTC3] = _IMPLICIT_RESULTS | _BIG_CHUNK_CLR | _KEEP_OUT_ORDER | _LTXID
    caps[CompileCap.TTC2] = _ZLNP
    caps[CompileCap.OCI2] = _DRCP
    caps[CompileCap.CLIENT_FN] = 12
    caps[CompileCap.SESS_SIGNATURE_VERSION] = FieldVersion.V12_2
    caps[CompileCap.TTC4] = _INBAND_NOTIFICATION | (_END_OF_RESPONSE if end_of_response else 0)
    caps[CompileCap.TTC5] = _TOKEN_SUPPORTED
    return bytes(caps)


def client_runtime_caps() -> bytes:
    """The runtime caps our client sends (13 bytes, as python-oracledb 26.1)."""
    caps = bytearray(RUNTIME_CAPS_SIZE)
    caps[RuntimeCap.COMPAT] = _RCAP_COMPAT_81
    caps[RuntimeCap.TTC] = _RCAP_ZERO_COPY | _RCAP_32K
    return bytes(caps)


def server_compile_caps(field_version: int, *, end_of_response: bool = False,
                        request_boundaries: bool = False) -> bytes:
    """Compile caps for our server role: real 23ai's, at the chosen field version.

    TTC4 keeps real 23ai's end-of-response bit (0x20) when end of response was
    negotiated through ACCEPT, and its explicit-boundary bit (0x40) when
    ``request_boundaries``: python-oracledb then sends SESSION_STATE
    piggybacks (with the runtime cap of ``server_runtime_caps``).  The
    end-user security context and HA readiness bytes are zeroed: we do not
    serve those piggybacks.
    """
    caps = bytearray(SERVER_23AI_COMPILE_CAPS)
    caps[CompileCap.FIELD_VERSION] = field_version
    cleared = (0 if end_of_response else _END_OF_RESPONSE) | (0 if request_boundaries else _EXPLICIT_BOUNDARY)
    caps[CompileCap.TTC4] &= ~cleared & 0xFF
    if len(caps) > CompileCap.TTC6:
        caps[CompileCap.TTC6] = 0
    if len(caps) > CompileCap.FEATURE_BACKPORT2:
        caps[CompileCap.FEATURE_BACKPORT2] = 0
    return bytes(caps)


def server_runtime_caps(*, request_boundaries: bool = False) -> bytes:
    """Runtime caps for our server role: 32K strings, and session-state
    operations (0x10, which python-oracledb requires for request boundaries)
    when ``request_boundaries``; real 23ai's other TTC bits stay clear."""
    caps = bytearray(SERVER_23AI_RUNTIME_CAPS)
    caps[RuntimeCap.TTC] = _RCAP_ZERO_COPY | _RCAP_32K | (_RCAP_SESSION_STATE_OPS if request_boundaries else 0)
    return bytes(caps)


@dataclass(slots=True)
class Capabilities:
    """What one connection negotiated; filled in as ACCEPT and PROTOCOL arrive."""

    protocol_version: int = 0
    field_version: int = FIELD_VERSION_MAX
    charset_id: int = 873
    ncharset_id: int = 2000
    sdu: int = 8192
    supports_oob: bool = False
    supports_oob_check: bool = False
    supports_fast_auth: bool = False
    end_of_response: bool = False
    max_string_size: int = 4000
    big_chunks: bool = True
    server_compile_caps: bytes = field(default=b"", repr=False)
    server_runtime_caps: bytes = field(default=b"", repr=False)

    @property
    def has_token(self) -> bool:
        """True when every function header carries a ``ub8`` token (fv >= 18)."""
        return self.field_version >= FieldVersion.V23_1_EXT1

    def adjust_for_server_compile_caps(self, caps: bytes) -> None:
        """Lower the field version to the server's; remember the array."""
        self.server_compile_caps = caps
        if len(caps) > CompileCap.FIELD_VERSION and caps[CompileCap.FIELD_VERSION] < self.field_version:
            self.field_version = caps[CompileCap.FIELD_VERSION]

    def adjust_for_client_compile_caps(self, caps: bytes) -> None:
        """Server role: take the client's DATA_TYPES compile caps (field
        version as above).  End of response stays on only if the client asked
        for it with TTC4 0x20: python-oracledb and node-oracledb set the bit
        when ACCEPT offered it, go-ora (TNS 319, TTC4 0x47) never does."""
        self.adjust_for_server_compile_caps(caps)
        if len(caps) <= CompileCap.TTC4 or not caps[CompileCap.TTC4] & _END_OF_RESPONSE:
            self.end_of_response = False

    def adjust_for_server_runtime_caps(self, caps: bytes) -> None:
        """Pick the maximum string size from the server's runtime caps."""
        self.server_runtime_caps = caps
        if len(caps) > RuntimeCap.TTC and caps[RuntimeCap.TTC] & _RCAP_32K:
            self.max_string_size = 32767
        else:
            self.max_string_size = 4000
