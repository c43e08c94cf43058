"""From samples to figures: per-operation costs, ranges over rounds, ratios, goals.

Ratios follow the issue's table: ``their cost / our cost`` per operation, which
is our throughput over python-oracledb's, so higher is better; the ``memory``
ratio is ``our bytes / their bytes`` (lower is better).  Each round pairs one run
of each client, so a ratio is taken per round and reported as median [min-max].
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from .measure import OURS, THEIRS, Sample
from .scenarios import SCENARIOS, Goal


@dataclass(frozen=True)
class Record:
    """A sample with where it came from."""

    scenario: str
    round: int
    client: str
    sample: Sample


@dataclass(frozen=True)
class Range:
    """min / median / max of a list of figures."""

    min: float
    median: float
    max: float

    @classmethod
    def of(cls, values: list[float]) -> Range:
        """The range of ``values`` (at least one)."""
        return cls(min(values), statistics.median(values), max(values))


@dataclass(frozen=True)
class ClientFigures:
    """One client's figures for one metric, per operation."""

    cpu: Range  # client process CPU seconds per op
    wall: Range  # wall seconds per op
    server_cpu: Range  # the server process's CPU seconds per op
    bytes: Range | None  # memory metrics only
    #: The server's CPU over all rounds / all ops: its 10 ms ticks make one round's figure coarse.
    server_cpu_mean: float = 0.0

    @property
    def per_cpu_second(self) -> float:
        """Operations per client CPU second (median)."""
        return 1 / self.cpu.median if self.cpu.median > 0 else float("inf")

    @property
    def per_wall_second(self) -> float:
        """Operations per wall second (median)."""
        return 1 / self.wall.median if self.wall.median > 0 else float("inf")


@dataclass(frozen=True)
class Summary:
    """One metric: both clients' figures, the ratios, the goal."""

    scenario: str
    metric: str
    unit: str
    clients: dict[str, ClientFigures]
    ratio_cpu: Range | None
    ratio_wall: Range | None
    goal: str | None
    met: bool | None


@dataclass(frozen=True)
class Check:
    """A figure the issue sets a goal on that is not a ours/theirs ratio (or one it only wants shown)."""

    name: str
    value: float
    goal: str | None
    met: bool | None
    note: str = ""


@dataclass
class Results:
    """Everything one run measured."""

    machine: dict[str, object]
    records: list[Record] = field(default_factory=list)


def _per_op(samples: list[Sample], attr: str) -> list[float]:
    return [getattr(s, attr) / s.ops for s in samples]


def _ratios(theirs: dict[int, float], ours: dict[int, float], memory: bool) -> Range | None:
    rounds = sorted(theirs.keys() & ours.keys())
    if memory:
        values = [ours[r] / theirs[r] for r in rounds if theirs[r] > 0]
    else:
        values = [theirs[r] / ours[r] for r in rounds if ours[r] > 0]
    return Range.of(values) if values else None


def summarize(results: Results, compiled: bool) -> list[Summary]:
    """One summary per metric, in the order the metrics were first measured."""
    by_metric: dict[str, list[Record]] = {}
    for rec in results.records:
        by_metric.setdefault(rec.sample.metric, []).append(rec)
    out = []
    for metric, recs in by_metric.items():
        scenario = SCENARIOS[recs[0].scenario]
        memory = recs[0].sample.bytes is not None
        clients: dict[str, ClientFigures] = {}
        per_round: dict[str, tuple[dict[int, float], dict[int, float]]] = {}
        for client in (THEIRS, OURS):
            mine = [r for r in recs if r.client == client]
            if not mine:
                continue
            samples = [r.sample for r in mine]
            clients[client] = ClientFigures(
                cpu=Range.of(_per_op(samples, "cpu")), wall=Range.of(_per_op(samples, "wall")),
                server_cpu=Range.of(_per_op(samples, "server_cpu")),
                bytes=Range.of([s.bytes for s in samples if s.bytes is not None]) if memory else None,
                server_cpu_mean=sum(s.server_cpu for s in samples) / sum(s.ops for s in samples))
            # Several samples of a metric in one round (cold connects) count as their sum.
            cpu: dict[int, float] = {}
            wall: dict[int, float] = {}
            ops: dict[int, float] = {}
            for r in mine:
                value = r.sample.bytes if r.sample.bytes is not None else r.sample.cpu
                cpu[r.round] = cpu.get(r.round, 0.0) + value
                wall[r.round] = wall.get(r.round, 0.0) + r.sample.wall
                ops[r.round] = ops.get(r.round, 0.0) + r.sample.ops
            per_round[client] = ({k: v / ops[k] for k, v in cpu.items()}, {k: v / ops[k] for k, v in wall.items()})
        ratio_cpu = ratio_wall = None
        if THEIRS in per_round and OURS in per_round:
            ratio_cpu = _ratios(per_round[THEIRS][0], per_round[OURS][0], memory)
            ratio_wall = None if memory else _ratios(per_round[THEIRS][1], per_round[OURS][1], memory)
        goal: Goal | None = scenario.goal(metric)
        out.append(Summary(
            scenario.name, metric, scenario.unit, clients, ratio_cpu, ratio_wall,
            goal.text(compiled) if goal else None,
            goal.met(ratio_cpu.median, compiled) if goal and ratio_cpu else None))
    return out


def _median_cpu(summaries: list[Summary], metric: str, client: str = OURS) -> float | None:
    for s in summaries:
        if s.metric == metric and client in s.clients:
            return s.clients[client].cpu.median
    return None


def checks(summaries: list[Summary]) -> list[Check]:
    """The goals that compare our own figures with each other."""
    out = []
    fetch, async_for = _median_cpu(summaries, "fetch"), _median_cpu(summaries, "async-for")
    if fetch and async_for:
        ratio = fetch / async_for
        out.append(Check("async-for vs our fetchmany (CPU per row, fetchmany / async for)", ratio, ">= 1",
                         ratio >= 1.0, "not slower than our fetchmany"))
    for series in ("max", "waiters"):
        points = sorted(((int(s.metric.split("=")[1]), s.clients[OURS].cpu.median) for s in summaries
                         if s.metric.startswith(f"pool-scale {series}=") and OURS in s.clients))
        if len(points) >= 2 and points[0][1] > 0:
            ratio = points[-1][1] / points[0][1]
            out.append(Check(f"pool-scale {series} {points[0][0]} -> {points[-1][0]} (CPU per op, top / bottom)",
                             ratio, "<= 1.2", ratio <= 1.2))
    for client in (OURS, THEIRS):
        for op in ("bind", "fetch"):
            for kind in ("CLOB", "BLOB"):
                prefix = f"large-lob {op} {kind} "
                per_mb = [s.clients[client].cpu.median for s in summaries
                          if s.metric.startswith(prefix) and client in s.clients]
                if len(per_mb) >= 2 and per_mb[0] > 0:
                    out.append(Check(f"{prefix.strip()} {client} (CPU per MB, largest / smallest)",
                                     per_mb[-1] / per_mb[0], None, None, "flat cost per MB is near 1"))
    return out
