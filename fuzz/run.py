"""Replay the seed corpus, then mutate inputs at random for a bounded time.

    python -m fuzz.run --seconds 60            # every harness, 60 s in all
    python -m fuzz.run --seconds 600 --only tns

Each harness module ``fuzz/fuzz_<name>.py`` exposes ``one_input(data)`` and
``seeds()``; committed reproducers live in ``fuzz/corpus/<name>/``.  A failing
input is written to ``fuzz/crashes/<name>-<sha1>.bin`` and the run exits 1.
The same harnesses run under atheris (``python fuzz/fuzz_tns.py``) for
coverage-guided campaigns.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import pkgutil
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).parent
_INTERESTING = [0, 1, 2, 0x7F, 0x80, 0xFE, 0xFF, 0xFD, 0x1D, 0x04, 0x06]


def harnesses(only: list[str] | None = None) -> dict[str, ModuleType]:
    """Import every ``fuzz_*`` module (or the ones named in ``only``)."""
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules([str(HERE)]):
        if not info.name.startswith("fuzz_"):
            continue
        name = info.name[5:]
        if only and name not in only:
            continue
        found[name] = importlib.import_module(f"fuzz.{info.name}")
    return found


def corpus(name: str, module: ModuleType) -> list[bytes]:
    """Seeds of a harness plus its committed corpus files."""
    items: list[bytes] = list(module.seeds())
    folder = HERE / "corpus" / name
    if folder.is_dir():
        items.extend(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())
    return items or [b""]


def mutate(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    """One to four random edits: flips, interesting bytes, inserts, deletes, splices."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(7)
        pos = rng.randrange(len(buf) + 1)
        if choice == 0 and buf:
            buf[pos % len(buf)] ^= 1 << rng.randrange(8)
        elif choice == 1 and buf:
            buf[pos % len(buf)] = rng.choice(_INTERESTING)
        elif choice == 2:
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif choice == 3 and buf:
            del buf[pos : pos + rng.randint(1, 16)]
        elif choice == 4:
            other = rng.choice(pool)
            start = rng.randrange(len(other) + 1)
            buf[pos:] = other[start:]
        elif choice == 5:
            del buf[pos:]
        elif choice == 6 and len(buf) > 2:
            # Grow or shrink a length-looking field.
            buf[pos % len(buf)] = (buf[pos % len(buf)] + rng.choice((-1, 1, 16, -16))) & 0xFF
    return bytes(buf[:100_000])


def _check(name: str, fn: Callable[[bytes], None], data: bytes) -> bool:
    try:
        fn(data)
    except Exception:  # noqa: BLE001 - any escape is a finding
        crashes = HERE / "crashes"
        crashes.mkdir(exist_ok=True)
        path = crashes / f"{name}-{hashlib.sha1(data).hexdigest()[:16]}.bin"
        path.write_bytes(data)
        print(f"\n[{name}] FAILURE, input saved to {path}", file=sys.stderr)
        traceback.print_exc()
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    """Run the fuzz loop; returns the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30.0, help="total mutation time, shared by harnesses")
    parser.add_argument("--only", action="append", help="harness name (repeatable)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time based)")
    args = parser.parse_args(argv)
    found = harnesses(args.only)
    if not found:
        print("no harness found", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else time.time_ns() & 0xFFFFFFFF
    rng = random.Random(seed)
    print(f"fuzz: {len(found)} harnesses, {args.seconds:g} s, seed {seed}")
    ok = True
    per_harness = args.seconds / len(found)
    for name, module in found.items():
        pool = corpus(name, module)
        execs = 0
        for item in pool:
            ok &= _check(name, module.one_input, item)
            execs += 1
        deadline = time.monotonic() + per_harness
        while ok and time.monotonic() < deadline:
            for _ in range(50):
                ok &= _check(name, module.one_input, mutate(rng, rng.choice(pool), pool))
                execs += 1
        print(f"  {name:<12} {execs:>9} executions ({len(pool)} seeds replayed)")
        if not ok:
            break
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
