"""``python -m bench [SCENARIO ...] [--quick] [--rounds N] [--json FILE] [--plot DIR] [--compare BEFORE]``
``python -m bench --report FILE [--compare BEFORE] [--plot DIR]``
``python -m bench --profile [SCENARIO ...]``

Runs issue 14's scenarios with python-oracledb (thin, async API) and
oracle_asyncio, the same function taking either module, interleaved over
rounds, against one embedded server in a child process.  Prints Markdown
tables: cost per operation in client CPU and wall time, ratios (higher is
better), the issue's goal beside each, the server's CPU per operation, and the
machine.  A progress line goes to stderr.  Results: bench/RESULTS.md.

Scenarios: {names}.  None named: all of them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from .plot import PlotUnavailable, require_matplotlib, write_plots
from .profiling import profile
from .report import load_json, render, render_comparison, write_json
from .runner import run
from .scenarios import SCENARIOS
from .stats import checks, summarize


def build_parser() -> argparse.ArgumentParser:
    """The command line's options."""
    parser = argparse.ArgumentParser(
        prog="python -m bench", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(__doc__ or "").format(names=", ".join(SCENARIOS)),
        epilog="\n".join(f"  {s.name:<12} {s.doc}" for s in SCENARIOS.values()))
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="scenarios to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes, one round (CI's smoke test)")
    parser.add_argument("--rounds", type=int, default=None, metavar="N",
                        help="rounds per scenario (default: each scenario's own, 3-5)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="write every number to FILE")
    parser.add_argument("--plot", type=Path, default=None, metavar="DIR",
                        help="write PNG charts to DIR (needs matplotlib: the bench extra)")
    parser.add_argument("--report", type=Path, default=None, metavar="FILE",
                        help="print the tables (and --plot the charts) of a run saved with --json FILE, without running")
    parser.add_argument("--compare", type=Path, default=None, metavar="BEFORE",
                        help="also print before -> now per metric against a run saved with --json BEFORE")
    parser.add_argument("--profile", action="store_true",
                        help="instead of measuring, print where our client's time goes (cProfile, one run each)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; 2 on a usage error (an unknown scenario, --plot without matplotlib)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    unknown = [name for name in args.scenarios if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    if args.rounds is not None and args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.plot is not None:
        try:
            require_matplotlib()  # before the run, not after minutes of it
        except PlotUnavailable as exc:
            parser.error(str(exc))
    names = args.scenarios or list(SCENARIOS)
    if args.profile:
        print(asyncio.run(profile(names, quick=args.quick)))
        return 0
    if args.report is not None:
        results = load_json(args.report)
    else:
        results = asyncio.run(run(names, quick=args.quick, rounds=args.rounds, progress=sys.stderr))
    compiled = bool(results.machine.get("compiled"))
    summaries = summarize(results, compiled)
    found = checks(summaries)
    print(render(results, summaries, found))
    if args.compare is not None:
        before = load_json(args.compare)
        print(f"\nAgainst {args.compare} (commit {before.machine.get('commit')}, {before.machine.get('date')}):\n")
        print(render_comparison(summarize(before, bool(before.machine.get("compiled"))), summaries))
    if args.json is not None and args.report is None:
        write_json(args.json, results, summaries, found)
    if args.plot is not None:
        for path in write_plots(args.plot, summaries):
            print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
