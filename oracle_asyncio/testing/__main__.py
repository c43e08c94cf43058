"""``python -m oracle_asyncio.testing --user scott --password tiger [--port N] [--service S]``
``[--max-connections N] [--logon-timeout S] [--statement-timeout S]``
``[--no-end-of-response] [--no-request-boundaries]``
``[--tls-cert PEM [--tls-key PEM] [--tls-client-ca PEM]]`` (TCPS; the DSN printed is ``tcps://...``)

Runs the embedded server in the foreground, prints one line with the DSN and
stops cleanly on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from oracle_sansio.connection.server import ServerConfig

from ._tls import TlsConfig
from .server import EmbeddedServer


def server_from_args(args: argparse.Namespace) -> EmbeddedServer:
    """The EmbeddedServer the command line asks for (not started)."""
    return EmbeddedServer(
        users={args.user: args.password}, service_name=args.service, host=args.host, port=args.port,
        verifier=args.verifier, max_connections=args.max_connections or None,
        logon_timeout=args.logon_timeout or None, statement_timeout=args.statement_timeout or None,
        config=ServerConfig(end_of_response=not args.no_end_of_response,
                            request_boundaries=not args.no_request_boundaries),
        tls=TlsConfig(cert=args.tls_cert, key=args.tls_key, client_ca=args.tls_client_ca) if args.tls_cert else None,
    )


async def _serve(args: argparse.Namespace) -> None:
    server = server_from_args(args)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        print(f"dsn={server.dsn} user={args.user}", flush=True)
        await stop.wait()


def build_parser() -> argparse.ArgumentParser:
    """The command line's options."""
    parser = argparse.ArgumentParser(prog="python -m oracle_asyncio.testing", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--user", default="scott")
    parser.add_argument("--password", default="tiger")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--service", default="FREEPDB1")
    parser.add_argument("--verifier", choices=("12c", "11g"), default="12c")
    parser.add_argument("--max-connections", type=int, default=250, metavar="N",
                        help="sockets served at once; more are refused with ORA-12516 (0: no cap; default 250)")
    parser.add_argument("--logon-timeout", type=float, default=5.0, metavar="SECONDS",
                        help="time to log on before ORA-03136 and the socket closes (0: none; default 5)")
    parser.add_argument("--statement-timeout", type=float, default=0.0, metavar="SECONDS",
                        help="time a call may run before ORA-56735 (0: none, the default)")
    parser.add_argument("--no-end-of-response", action="store_true",
                        help="do not offer 23ai end of response (responses then end at their ERROR or STATUS)")
    parser.add_argument("--no-request-boundaries", action="store_true",
                        help="do not offer 23ai explicit request boundaries (python-oracledb pools then send no "
                             "REQUEST_BEGIN/END and no ROLLBACK on release)")
    parser.add_argument("--tls-cert", metavar="PEM", help="serve TCPS with this certificate chain")
    parser.add_argument("--tls-key", metavar="PEM", help="the certificate's private key (default: in --tls-cert)")
    parser.add_argument("--tls-client-ca", metavar="PEM",
                        help="require client certificates signed by these CAs (mutual TLS)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    asyncio.run(_serve(build_parser().parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
