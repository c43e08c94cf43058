"""``python -m oracle_asyncio demo``: the project's main job (an embedded
server, a pool and hundreds of concurrent acquire / query / release tasks;
``--dsn`` for a real database).

``python -m oracle_asyncio decode`` decodes the real packets of an Oracle 23ai
logon (recorded by oracle-nio, Apache-2.0, from an Oracle 23ai Free server; see
tests/vectors/captures/SOURCES.md) with the sans-I/O framer, then runs one
O5LOGON 12c exchange between our client and server roles.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import assert_never

from oracle_sansio import __version__
from oracle_sansio.crypto import (
    AuthAccepted,
    Secret,
    client_auth_response,
    make_verifier,
    server_challenge,
    server_check_response,
    verify_server_response,
)
from oracle_sansio.tns import Accept, Connect, Control, Data, DataFlag, Marker, PacketReader, Redirect, Refuse, Resend

from .testing.demo import run_demo

# The 23ai ACCEPT followed by its LOGOFF reply (oracle-nio
# Sources/OracleMockServer/Messages/{Connect,Close}Message.swift @ 08bcddc5).
_SAMPLE = bytes.fromhex(
    "00 3D 00 00 02 00 00 00 01 3F 00 01 00 00 00 00 01 00 00 00 00 3D C5 00"
    " 00 00 00 00 00 00 00 00 00 00 20 00 00 00 20 00 00 12 00 00 00 74 99 CA"
    " F8 4C 3F 33 75 35 68 16 09 63 2C D5 ED"
    " 00 00 00 0F 06 00 00 00 20 00 09 01 01 00 1D"
)


def demo() -> int:
    """Print the version and what the framer makes of a real 23ai exchange."""
    print(f"oracle_sansio {__version__} (pure Python, standard library only)")
    reader = PacketReader()
    reader.receive_data(_SAMPLE)
    while (packet := reader.next_packet()) is not None:
        match packet:
            case Accept():
                print(
                    f"ACCEPT  version {packet.version}, SDU {packet.sdu}, TDU {packet.tdu}, "
                    f"flags2 0x{packet.flags2:08X}"
                )
                reader.large = packet.version >= 315
            case Data():
                eor = " END_OF_RESPONSE" if packet.data_flags & DataFlag.END_OF_RESPONSE else ""
                print(f"DATA    flags 0x{packet.data_flags:04X}{eor}, TTC bytes {packet.payload.hex(' ')}")
            case Connect() | Refuse() | Redirect() | Resend() | Marker() | Control():
                print(f"{type(packet).__name__}")
            case _:
                assert_never(packet)
    _o5logon()
    return 0


def _o5logon() -> None:
    """One O5LOGON 12c exchange between our client and server roles."""
    password = Secret("tiger")
    verifier = make_verifier(password, salt=os.urandom(16))
    challenge = server_challenge(verifier, server_key=os.urandom(32), csk_salt=os.urandom(16))
    reply = client_auth_response(
        password=password,
        verifier_type=challenge.verifier_type,
        sesskey_hex=challenge.sesskey_hex,
        vfr_data_hex=challenge.vfr_data_hex,
        csk_salt_hex=challenge.csk_salt_hex,
        vgen_count=challenge.vgen_count,
        sder_count=challenge.sder_count,
        client_key=os.urandom(32),
        speedy_salt=os.urandom(16),
        password_salt=os.urandom(16),
    )
    result = server_check_response(
        challenge,
        sesskey_hex=reply.sesskey_hex,
        password_hex=reply.password_hex,
        speedy_key_hex=reply.speedy_key_hex,
        response_salt=os.urandom(16),
    )
    proven = isinstance(result, AuthAccepted) and verify_server_response(
        reply.combo_key, result.svr_response_hex
    )
    print(f"O5LOGON 12c (verifier 0x{challenge.verifier_type:04X}): server accepted the client, "
          f"client verified the server: {proven}; password shown as {password}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m oracle_asyncio")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("decode", help="decode a recorded 23ai exchange and run an O5LOGON")
    run = sub.add_parser("demo", help="embedded server + concurrent sessions (or --dsn for a real database)")
    run.add_argument("--dsn", help="a real database instead of the embedded server")
    run.add_argument("--user", default="scott")
    run.add_argument("--password", default="tiger")
    run.add_argument("--sessions", type=int, default=8)
    run.add_argument("--tasks", type=int, default=400)
    args = parser.parse_args(argv)
    if args.command == "decode":
        return demo()
    if args.command == "demo":
        print(f"oracle_asyncio {__version__} (pure Python, standard library only)")
        asyncio.run(run_demo(dsn=args.dsn, user=args.user, password=args.password, sessions=args.sessions,
                             tasks=args.tasks))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
