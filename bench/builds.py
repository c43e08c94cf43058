"""The pure and the compiled build side by side, with python-oracledb in the same run.

    python -m bench.builds --python pure=.venv-pure/bin/python --python compiled=.venv-mypyc/bin/python

Each ``--python`` is an interpreter with the package installed (not editable; for the compiled
one, ``ORACLE_SANSIO_MYPYC=1 pip install .``) and python-oracledb.  One embedded server runs in
a child process of this interpreter; every client runs in a child process of its own
interpreter, run by path (``bench/`` is its ``sys.path[0]``, so it imports the installed
package, never the checkout), interleaved over rounds.  Printed: the client's CPU per unit
(per query, per row, per acquire + release, per connect + logon + close), min and median over rounds, and the ratios
python-oracledb / ours (above 1: ours is cheaper) and pure / each build.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

USER, PASSWORD = "scott", "tiger"
#: workload -> (units per measurement, measurements per child: the best is kept)
WORKLOADS = {"select-1": (2_000, 3), "fetch": (100_000, 2), "pool": (20_000, 3), "connect": (100, 3)}


async def _client(lib: Any, workload: str, dsn: str, units: int, reps: int) -> float:
    """Best CPU seconds per unit of ``workload`` over ``reps`` measurements."""
    best = float("inf")
    if workload == "pool":
        pool = lib.create_pool_async(user=USER, password=PASSWORD, dsn=dsn, min=1, max=1)
        for _ in range(200):
            await pool.release(await pool.acquire())
        for _ in range(reps):
            start = time.process_time()
            for _ in range(units):
                await pool.release(await pool.acquire())
            best = min(best, (time.process_time() - start) / units)
        await pool.close(force=True)
        return best
    if workload == "connect":  # connect + logon + close, warm (the first logon is not counted)
        await (await lib.connect_async(user=USER, password=PASSWORD, dsn=dsn)).close()
        for _ in range(reps):
            start = time.process_time()
            for _ in range(units):
                await (await lib.connect_async(user=USER, password=PASSWORD, dsn=dsn)).close()
            best = min(best, (time.process_time() - start) / units)
        return best
    conn = await lib.connect_async(user=USER, password=PASSWORD, dsn=dsn)
    cur = conn.cursor()
    cur.arraysize = 1000
    if workload == "select-1":
        for _ in range(200):
            await cur.execute("select 1 from dual")
            await cur.fetchone()
        for _ in range(reps):
            start = time.process_time()
            for _ in range(units):
                await cur.execute("select 1 from dual")
                await cur.fetchone()
            best = min(best, (time.process_time() - start) / units)
    else:
        for _ in range(reps + 1):  # the first warms up
            start = time.process_time()
            await cur.execute("select n, s, d, f from bench_builds")
            got = 0
            while batch := await cur.fetchmany():
                got += len(batch)
            if got != units:
                raise RuntimeError(f"fetched {got} of {units} rows")
            best = min(best, (time.process_time() - start) / units)
    await conn.close()
    return best


def _child(argv: list[str]) -> None:
    lib_name, workload, dsn, units, reps = argv[0], argv[1], argv[2], int(argv[3]), int(argv[4])
    if lib_name == "oracledb":
        import oracledb as lib
    else:
        import oracle_asyncio as lib  # type: ignore[no-redef]
        import oracle_sansio.ttc.wire as wire

        print(f"wire from {wire.__file__}", file=sys.stderr)
    print(asyncio.run(_client(lib, workload, dsn, units, reps)))


async def _fill(dsn: str, rows: int) -> None:
    import oracle_asyncio

    conn = await oracle_asyncio.connect_async(user=USER, password=PASSWORD, dsn=dsn)
    cur = conn.cursor()
    await cur.execute("create table bench_builds (n number, s varchar2(30), d date, f binary_double)")
    await cur.execute(f"insert into bench_builds select level * 7, 'row ' || to_char(level), date '2020-01-01' + level,"
                      f" cast(level as binary_double) / 3 from dual connect by level <= {rows}")
    await conn.commit()
    await conn.close()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["--child"]:
        _child(args_in[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", action="append", required=True, metavar="NAME=PATH")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0, help="units per measurement, scaled (a smoke test: 0.01)")
    args = parser.parse_args(args_in)
    sizes = {w: (max(1, int(units * args.scale)), reps) for w, (units, reps) in WORKLOADS.items()}
    builds = dict(spec.split("=", 1) for spec in args.python)
    clients = {"python-oracledb": (next(iter(builds.values())), "oracledb")}
    clients.update({name: (python, "ours") for name, python in builds.items()})
    server = subprocess.Popen([sys.executable, "-m", "oracle_asyncio.testing", "--user", USER, "--password", PASSWORD],
                              stdout=subprocess.PIPE, text=True)
    results: dict[tuple[str, str], list[float]] = {(w, c): [] for w in WORKLOADS for c in clients}
    child_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    try:
        assert server.stdout is not None
        dsn = server.stdout.readline().split()[0].removeprefix("dsn=")
        asyncio.run(_fill(dsn, sizes["fetch"][0]))
        for round_ in range(args.rounds):
            for workload, (units, reps) in sizes.items():
                for client, (python, lib) in clients.items():
                    done = subprocess.run(
                        [python, str(Path(__file__).resolve()), "--child", lib, workload, dsn, str(units), str(reps)],
                        capture_output=True, text=True, env=child_env, timeout=600, check=True,
                    )
                    if round_ == 0 and lib == "ours":
                        print(f"{client}: {done.stderr.strip()}")
                    results[workload, client].append(float(done.stdout.split()[-1]))
            print(f"round {round_ + 1} of {args.rounds} done", flush=True)
    finally:
        server.terminate()
        server.wait(10)
    first = next(iter(builds))
    for workload in WORKLOADS:
        print(f"{workload}: client CPU us per unit, min / median; ratios per round (min-max, median)")
        theirs = results[workload, "python-oracledb"]
        for client in clients:
            ours = results[workload, client]
            vs_them = [t / o for t, o in zip(theirs, ours)]
            vs_first = [f / o for f, o in zip(results[workload, first], ours)]
            line = (f"  {client:16} {min(ours) * 1e6:8.2f} / {statistics.median(ours) * 1e6:8.2f}"
                    f"   python-oracledb/this {min(vs_them):.2f}-{max(vs_them):.2f} ({statistics.median(vs_them):.2f})")
            if client in builds:
                line += f"   {first}/this {min(vs_first):.2f}-{max(vs_first):.2f} ({statistics.median(vs_first):.2f})"
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
