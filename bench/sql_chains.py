"""Cost per term of long flat chains in the embedded server's SQL engine (issue 12, item 14).

    python -m bench.sql_chains            # 1,000 / 5,000 / 25,000 terms
    python -m bench.sql_chains --quick    # 1,000 / 2,000 / 4,000

For each chain shape it prints the microseconds per term of our own work (parse and
translate to sqlite SQL) and of the whole execution (sqlite included), and each size's
cost per term relative to the smallest size: a flat ratio near 1 is linear cost.
sqlite's share is its own: it hoists each distinct constant of an expression with a
linear search, so an AND chain of *distinct* literals grows faster than linearly inside
sqlite (an OR chain of ``col = literal`` is given to it as an IN list, which is linear:
the "OR id=n" shape).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from oracle_asyncio.testing.sql import Database, Session
from oracle_asyncio.testing.sql.syntax.parser import parse
from oracle_asyncio.testing.sql.translate.translator import Translator

SHAPES: dict[str, Callable[[int], str]] = {
    "AND": lambda n: "select count(*) from t where " + " AND ".join(["x = 1"] * n),
    "OR": lambda n: "select count(*) from t where " + " OR ".join(["x = 7"] * (n - 1) + ["x = 1"]),
    "OR id=n": lambda n: "select count(*) from t where " + " OR ".join(f"x = {i}" for i in range(n)),
    "||": lambda n: "select " + " || ".join(["v"] * n) + " from t",
    "+": lambda n: "select " + " + ".join(["x"] * n) + " from t",
}


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _measure(db: Database, session: Session, sql: str) -> tuple[float, float]:
    """(parse + translate seconds, whole execution seconds)."""
    ctx = session._context()

    def ours() -> object:
        stmt = parse(sql)
        return Translator(db.catalog, ctx, {}).select(stmt)  # type: ignore[arg-type]

    def whole() -> object:
        db._parse_cache.clear()
        result = session.execute(sql)
        return list(result.rows or ())

    return _best(ours), _best(whole)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sql_chains", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes")
    sizes = (1000, 2000, 4000) if parser.parse_args(argv).quick else (1000, 5000, 25000)
    db = Database()
    try:
        session = db.session(user="scott", sid=1, serial=1)
        session.execute("create table t (x number, v varchar2(10))")
        session.execute("insert into t values (1, 'a')")
        session.execute("commit")
        print(f"{'chain':8} {'terms':>7} {'ours us/term':>13} {'ratio':>6} {'total us/term':>14} {'ratio':>6}")
        for name, make in SHAPES.items():
            base: tuple[float, float] | None = None
            for n in sizes:
                ours, total = _measure(db, session, make(n))
                per = (ours / n * 1e6, total / n * 1e6)
                base = base or per
                print(f"{name:8} {n:>7} {per[0]:>13.1f} {per[0] / base[0]:>6.2f} {per[1]:>14.1f} "
                      f"{per[1] / base[1]:>6.2f}")
    finally:
        db.close()


if __name__ == "__main__":
    main()
