"""Fuzz ServerConnection: arbitrary client bytes in every parked state,
whole and one byte at a time.  Only ProtocolError subclasses may escape, and
a machine that raised refuses further use with LocalProtocolError."""

from __future__ import annotations

import copy

from fuzz._machines import drive, parked
from tests.captures import load_python_oracledb_client


def one_input(data: bytes) -> None:
    """First byte: which parked server; the rest: bytes from the "client"."""
    if not data:
        return
    _, servers = parked()
    template = servers[data[0] % len(servers)]
    body = data[1:4097]
    drive(copy.deepcopy(template), body, max(1, len(body)))
    drive(copy.deepcopy(template), body[:512], 1)


def seeds() -> list[bytes]:
    """Every python-oracledb 26.1 client packet, for each parked state."""
    packets = [raw for session in load_python_oracledb_client().values() for _, raw in session]
    out = []
    for i in range(len(parked()[1])):
        out += [bytes([i]) + p for p in packets]
        out.append(bytes([i]) + b"".join(packets[:6]))
    return out


if __name__ == "__main__":  # pragma: no cover - atheris entry point
    from fuzz._atheris import run

    run(one_input)
