"""The printed report (Markdown tables, pasted as is into bench/RESULTS.md) and the JSON dump."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from .measure import OURS, THEIRS, Sample
from .stats import Check, Range, Record, Results, Summary


def fmt_time(seconds: float) -> str:
    """``12.3 us``, ``4.56 ms`` or ``1.23 s``."""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


def fmt_bytes(count: float) -> str:
    """``14.8 KB`` (10**3 bytes)."""
    return f"{count / 1000:.1f} KB"


def _value(s: Summary, client: str) -> str:
    figures = s.clients.get(client)
    if figures is None:
        return "-"
    if figures.bytes is not None:
        return fmt_bytes(figures.bytes.median)
    return fmt_time(figures.cpu.median)


def _ratio(r: Range | None) -> str:
    if r is None:
        return "-"
    return f"{r.median:.2f}" if r.min == r.max else f"{r.median:.2f} [{r.min:.2f}-{r.max:.2f}]"


def _met(met: bool | None) -> str:
    return "-" if met is None else ("yes" if met else "**no**")


def _span(r: Range) -> str:
    return f"{fmt_time(r.min)} / {fmt_time(r.median)} / {fmt_time(r.max)}"


def render(results: Results, summaries: list[Summary], found: list[Check]) -> str:
    """The whole report as Markdown."""
    m = results.machine
    lines = [
        f"date {m['date']}; commit {m['commit']}; {'compiled (mypyc)' if m.get('compiled') else 'pure'} build",
        f"machine: {m['cpus']} CPUs, {m['cpu_model']}; {m['python']}; {m['platform']}; "
        f"python-oracledb {m['oracledb']}",
        f"load average at start {m['load_average_start']}, at end {m.get('load_average_end')}; "
        f"run took {m.get('seconds')} s",
        "",
        "Ratio = python-oracledb's cost / ours per operation (our throughput over theirs: higher is better),",
        "per client CPU second (the server runs in another process) and per wall second; memory is",
        "our bytes / theirs (lower is better). Median over rounds [min-max].",
        "",
        f"| metric | unit | {OURS} CPU/op | {THEIRS} CPU/op | ratio CPU | ratio wall | goal | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in summaries:
        lines.append(f"| {s.metric} | {s.unit} | {_value(s, OURS)} | {_value(s, THEIRS)} | {_ratio(s.ratio_cpu)} "
                     f"| {_ratio(s.ratio_wall)} | {s.goal or '-'} | {_met(s.met)} |")
    if found:
        lines += ["", "| check | value | goal | met |", "|---|---|---|---|"]
        for c in found:
            note = f" ({c.note})" if c.note else ""
            lines.append(f"| {c.name}{note} | {c.value:.2f} | {c.goal or '-'} | {_met(c.met)} |")
    lines += [
        "",
        "Per operation, min / median / max over rounds; throughput from the medians; the server's CPU",
        "per operation over all rounds (read from /proc/PID/stat in 10 ms ticks).",
        "",
        "| metric | client | client CPU/op | wall/op | per CPU s | per wall s | server CPU/op |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in summaries:
        for client, f in s.clients.items():
            if f.bytes is not None:
                b = f.bytes
                lines.append(f"| {s.metric} | {client} | {fmt_bytes(b.min)} / {fmt_bytes(b.median)} / "
                             f"{fmt_bytes(b.max)} | - | - | - | - |")
                continue
            lines.append(f"| {s.metric} | {client} | {_span(f.cpu)} | {_span(f.wall)} | {f.per_cpu_second:,.1f} "
                         f"| {f.per_wall_second:,.1f} | {fmt_time(f.server_cpu_mean)} |")
    return "\n".join(lines)


def render_comparison(before: list[Summary], now: list[Summary]) -> str:
    """Before -> now per metric: the CPU ratio, and our CPU per operation with its speed-up."""
    earlier = {s.metric: s for s in before}
    lines = ["| metric | ratio CPU before | now | ours CPU/op before | now | ours: before / now |",
             "|---|---|---|---|---|---|"]
    for s in now:
        b = earlier.get(s.metric)
        if b is None or OURS not in s.clients or OURS not in b.clients:
            continue
        old, new = b.clients[OURS], s.clients[OURS]
        if new.bytes is not None and old.bytes is not None:
            shown, was, speedup = fmt_bytes(new.bytes.median), fmt_bytes(old.bytes.median), (
                old.bytes.median / new.bytes.median if new.bytes.median else float("inf"))
        else:
            shown, was, speedup = fmt_time(new.cpu.median), fmt_time(old.cpu.median), (
                old.cpu.median / new.cpu.median if new.cpu.median else float("inf"))
        lines.append(f"| {s.metric} | {_ratio(b.ratio_cpu)} | {_ratio(s.ratio_cpu)} | {was} | {shown} "
                     f"| {speedup:.2f} |")
    return "\n".join(lines)


def to_json(results: Results, summaries: list[Summary], found: list[Check]) -> dict[str, object]:
    """Every number of the run: machine facts, summaries, checks and the raw samples."""
    return {
        "machine": results.machine,
        "summaries": [dataclasses.asdict(s) for s in summaries],
        "checks": [dataclasses.asdict(c) for c in found],
        "samples": [dataclasses.asdict(r) for r in results.records],
    }


def load_json(path: Path) -> Results:
    """The machine facts and samples of a run saved by :func:`write_json`."""
    data = json.loads(path.read_text())
    records = [Record(r["scenario"], r["round"], r["client"], Sample(**r["sample"])) for r in data["samples"]]
    return Results(dict(data["machine"]), records)


def write_json(path: Path, results: Results, summaries: list[Summary], found: list[Check]) -> None:
    """Write :func:`to_json` to ``path``."""
    path.write_text(json.dumps(to_json(results, summaries, found), indent=1) + "\n")
