"""Fuzz ClientConnection: arbitrary server bytes in every parked state,
whole and one byte at a time.  Only ProtocolError subclasses may escape, and
a machine that raised refuses further use with LocalProtocolError."""

from __future__ import annotations

from fuzz._machines import clone, drive, parked
from fuzz._seeds import tns_packets
from tests.captures import load_oracle_nio_23ai


def one_input(data: bytes) -> None:
    """First byte: which parked client; the rest: bytes from the "server"."""
    if not data:
        return
    clients, _ = parked()
    template = clients[data[0] % len(clients)]
    body = data[1:4097]
    drive(clone(template), body, max(1, len(body)))
    drive(clone(template), body[:512], 1)


def seeds() -> list[bytes]:
    """Real 23ai replies and captured server packets, for each parked state."""
    nio = list(load_oracle_nio_23ai().values())
    server_side = [p for p in tns_packets() if p[4] in (2, 4, 5, 11, 12)][:40]
    out = []
    for i in range(len(parked()[0])):
        out += [bytes([i]) + p for p in nio + server_side]
    return out


if __name__ == "__main__":  # pragma: no cover - atheris entry point
    from fuzz._atheris import run

    run(one_input)
