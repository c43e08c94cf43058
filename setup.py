"""Build script: the pure wheel by default, an opt-in mypyc-compiled one with ORACLE_SANSIO_MYPYC=1.

All metadata lives in pyproject.toml; this file only adds extension modules when asked to.
``ORACLE_SANSIO_MYPYC=1 pip install .`` compiles the modules listed in :data:`MYPYC_MODULES`
(the in-tree build backend in ``_build/`` asks for mypy as a build requirement then, so the
pure build never needs it).  The compiled modules are the same typed source; the wheel keeps
the ``.py`` files beside the extensions and has no runtime dependency.
"""

from __future__ import annotations

import os

from setuptools import setup

#: The modules compiled by the opt-in build, as paths from the repository root.  The one
#: list: tests/test_compiled.py reads it from here, .ci/compiled builds and tests it.
MYPYC_MODULES = [
    "oracle_sansio/ttc/wire.py",
    "oracle_sansio/ttc/writer.py",
    "oracle_sansio/ttc/messages/rows.py",
    "oracle_sansio/codecs/number.py",
    "oracle_sansio/codecs/datetime.py",
    "oracle_sansio/codecs/floats.py",
    "oracle_sansio/codecs/text.py",
    "oracle_sansio/tns/framer.py",
    "oracle_sansio/tns/packets.py",
    "oracle_sansio/ttc/messages/status.py",
    "oracle_sansio/ttc/messages/describe.py",
    "oracle_sansio/ttc/messages/values.py",
    "oracle_sansio/ttc/messages/execute.py",
    "oracle_sansio/ttc/messages/binds.py",
    "oracle_sansio/connection/_base.py",
    "oracle_sansio/connection/client.py",
    "oracle_sansio/connection/server.py",
    "oracle_sansio/connection/_call.py",
    "oracle_sansio/connection/_client_calls.py",
    "oracle_sansio/connection/_client_reuse.py",
    "oracle_sansio/connection/_client_piggyback.py",
    "oracle_sansio/connection/events.py",
    "oracle_sansio/pool/machine.py",
    "oracle_sansio/pool/_slots.py",
    "oracle_sansio/pool/_waiters.py",
    "oracle_sansio/pool/_rules.py",
    "oracle_sansio/crypto/aes.py",
]


def _ext_modules() -> list[object]:
    if os.environ.get("ORACLE_SANSIO_MYPYC", "") in ("", "0"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError as exc:  # only reached with --no-build-isolation and no mypy installed
        raise SystemExit("ORACLE_SANSIO_MYPYC=1 needs mypy at build time: pip install mypy") from exc
    # One shared library named after the package (not a hash) holds the compiled code.  -O1:
    # measured as fast as -O3 on fetch, select-1, pool and connect (bench/builds.py), and
    # gcc takes about half the time on the 17 MB of C.
    return list(mypycify(MYPYC_MODULES, opt_level="1", debug_level="0", group_name="oracle_sansio"))


setup(ext_modules=_ext_modules())
