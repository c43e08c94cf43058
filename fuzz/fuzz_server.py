"""Fuzz ServerConnection: arbitrary client bytes in every parked state,
whole and one byte at a time.  Only ProtocolError subclasses may escape, and
a machine that raised refuses further use with LocalProtocolError."""

from __future__ import annotations

from fuzz._machines import clone, drive, parked
from fuzz._seeds import data_types_vectors
from tests.captures import load_python_oracledb_client


def one_input(data: bytes) -> None:
    """First byte: which parked server; the rest: bytes from the "client"."""
    if not data:
        return
    _, servers = parked()
    template = servers[data[0] % len(servers)]
    body = data[1:4097]
    drive(clone(template), body, max(1, len(body)))
    drive(clone(template), body[:512], 1)


def _lob_requests() -> list[bytes]:
    """LOB_OP calls as our client sends them (python-oracledb's layout), as DATA packets."""
    from oracle_sansio.codecs import OracleType
    from oracle_sansio.tns.packets import Data
    from oracle_sansio.ttc.messages.lob import LobOpRequest, make_locator
    from oracle_sansio.ttc.wire import Writer

    loc = make_locator(1, ora_type=OracleType.CLOB, csfrm=1, temporary=False)
    out = []
    for req in (LobOpRequest.read(loc, 1, 5), LobOpRequest.write(loc, 1, b"abc"), LobOpRequest.trim(loc, 2),
                LobOpRequest.create_temp(OracleType.BLOB, 0, 873), LobOpRequest.is_open(loc)):
        w = Writer()
        req.encode(w, seq=5, token=0)
        out.append(Data(payload=w.getvalue()).encode(large=True))
    return out


def _oci_negotiations(protocol: bytes) -> list[bytes]:
    """python-oracledb's PROTOCOL request, then each OCI / sqlplus DATA_TYPES request."""
    from oracle_sansio.tns.packets import Data

    return [
        protocol + Data(payload=data).encode(large=True)
        for (role, _), (data, _) in data_types_vectors().items()
        if role == "request"
    ]


def seeds() -> list[bytes]:
    """Every python-oracledb 26.1 client packet, LOB_OP calls and the OCI
    negotiations, for each parked state."""
    sync = [raw for _, raw in load_python_oracledb_client()["sync"]]
    packets = [raw for session in load_python_oracledb_client().values() for _, raw in session] + _lob_requests()
    packets += _oci_negotiations(sync[1])
    out = []
    for i in range(len(parked()[1])):
        out += [bytes([i]) + p for p in packets]
        out.append(bytes([i]) + b"".join(packets[:6]))
    return out


if __name__ == "__main__":  # pragma: no cover - atheris entry point
    from fuzz._atheris import run

    run(one_input)
