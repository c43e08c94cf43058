"""A client and a server machine wired together in memory (h11's ConnectionPair)."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import NEED_DATA, ClientEvent, ServerEvent
from oracle_sansio.connection.server import ServerConfig, ServerConnection
from oracle_sansio.crypto import Secret, Verifier, make_verifier
from oracle_sansio.dsn import parse_dsn
from oracle_sansio.params import ClientParams


def counter_entropy(seed: bytes) -> Callable[[int], bytes]:
    """Deterministic "random" bytes for tests."""
    counter = itertools.count()

    def draw(n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += hashlib.sha256(seed + next(counter).to_bytes(8, "big")).digest()
        return out[:n]

    return draw


_VERIFIERS: dict[tuple[str, int], Verifier] = {}


def verifier_for(password: str, verifier_type: int = 0x4815) -> Verifier:
    """A cached verifier (PBKDF2 at 4096 rounds costs milliseconds)."""
    key = (password, verifier_type)
    if key not in _VERIFIERS:
        salt = b"\x11" * (16 if verifier_type == 0x4815 else 10)
        _VERIFIERS[key] = make_verifier(Secret(password), salt=salt, verifier_type=verifier_type)
    return _VERIFIERS[key]


def client_params(password: str = "tiger", *, user: str = "scott", dsn: str = "127.0.0.1:1521/FREEPDB1") -> ClientParams:
    return ClientParams(user=user, password=Secret(password), target=parse_dsn(dsn), connection_id="dGVzdA==")


class Pair:
    """Shuttles bytes between a client and a server machine until both need data."""

    def __init__(
        self,
        client: ClientConnection | None = None,
        server: ServerConnection | None = None,
        *,
        config: ServerConfig = ServerConfig(),
    ) -> None:
        self.client = client or ClientConnection(client_params(), entropy=counter_entropy(b"client"))
        self.server = server or ServerConnection(config, entropy=counter_entropy(b"server"))
        self.client_events: list[ClientEvent] = []
        self.server_events: list[ServerEvent] = []

    def pump(self, on_server: Callable[[ServerEvent], None] | None = None) -> None:
        """Move bytes both ways and collect events until nothing moves."""
        for _ in range(10_000):
            moved = False
            out = self.client.data_to_send()
            if out:
                self.server.receive_data(out)
                moved = True
            while (sev := self.server.next_event()) is not NEED_DATA:
                self.server_events.append(sev)
                if on_server is not None:
                    on_server(sev)
                moved = True
            back = self.server.data_to_send()
            if back:
                self.client.receive_data(back)
                moved = True
            while (cev := self.client.next_event()) is not NEED_DATA:
                self.client_events.append(cev)
                moved = True
            if not moved:
                return
        raise AssertionError("pair did not settle")
