#!/usr/bin/env python3
"""Time the saved queries (``ontology/queries/*.rq``) on pyoxigraph and rdflib; check their rows.

    python bench/compare_queries.py STORE [--baseline REV] [--rdflib FILE.nt] [--only a,b] [--reps 3]

STORE: an Oxigraph store directory (opened read-only) or ``demo`` (``data/`` in memory). Times: p50 ms
after a warm-up (the warm-up alone if over 5 s), wall / CPU of this process. ``--baseline REV``: rows
equal to those of the text at git REV? ``yes`` (same order too), ``ties`` (same ORDER BY keys, equal
keys reordered), ``ORDER``, ``NO``. ``--rdflib FILE``: the text on an rdflib ``Dataset`` holding FILE;
numbers compared by value, GROUP_CONCAT parts sorted; a run over ``--timeout`` s is stopped (lower bound).
"""
from __future__ import annotations

import argparse
import math
import re
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from graph.namespaces import PREFIXES  # noqa: E402
from graph.query import saved_queries  # noqa: E402

Rows = list[dict[str, str]]


def oxigraph_engine(store: str) -> Callable[[str], Rows]:
    """Run a query on the store (read-only) or on the demo data; rows as {variable: value}."""
    if store == "demo":  # the demo statements, ingested as hrdkg does
        from graph.ingest import ingest_paths
        from graph.store import open_store

        ingest_paths(wrapped := open_store(None), [ROOT / "data"])
    db = wrapped.inner if store == "demo" else ox.Store.read_only(store)

    def run(text: str) -> Rows:
        res: Any = db.query(text, prefixes=PREFIXES)
        names = [v.value for v in res.variables]
        return [{n: t.value for n, t in zip(names, s) if t is not None} for s in res]
    return run


def rdflib_engine(path: str) -> Callable[[str], Rows]:
    """Run a query on an rdflib ``Dataset`` holding the N-Triples file ``path``."""
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(path, format="nt")
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

    def run(text: str) -> Rows:
        res: Any = ds.query(head + text)
        return [{str(v): str(row[v]) for v in res.vars if row[v] is not None} for row in res]
    return run


def _alarm(*_: Any) -> None:
    raise TimeoutError


def timed(run: Callable[[str], Rows], text: str, reps: int, limit: float = 0) -> tuple[float, float, Rows]:
    """(wall p50, CPU p50, rows); p50 = inf if a run exceeded ``limit`` seconds (0: none)."""
    wall, cpu, rows = [], [], []  # type: tuple[list[float], list[float], Rows]
    signal.signal(signal.SIGALRM, _alarm)
    try:
        while len(wall) < reps + 1 and not (wall and wall[0] > 5):
            signal.setitimer(signal.ITIMER_REAL, limit)
            t0, c0 = time.perf_counter(), time.process_time()
            rows = run(text)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            signal.setitimer(signal.ITIMER_REAL, 0)
    except TimeoutError:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return math.inf, math.inf, []
    return statistics.median(wall[1:] or wall), statistics.median(cpu[1:] or cpu), rows


def same(new: Rows, old: Rows, order_keys: list[str]) -> str:
    """``yes``, ``ties``, ``ORDER`` or ``NO`` (see the module docstring)."""
    cols = sorted({k for r in new + old for k in r})
    a, b = ([tuple(r.get(c) for c in cols) for r in rows] for rows in (new, old))
    keys = [[tuple(r.get(k) for k in order_keys) for r in rows] for rows in (new, old)]
    return "NO" if Counter(a) != Counter(b) else "yes" if a == b or not order_keys else \
        "ties" if keys[0] == keys[1] else "ORDER"


def loose(rows: Rows) -> Counter:
    """Rows with numbers compared by value and GROUP_CONCAT parts sorted."""
    def cell(v: str) -> str:
        try:
            return f"{float(v):.9g}"
        except ValueError:
            return ", ".join(sorted(v.split(", ")))
    return Counter(frozenset((k, cell(v)) for k, v in r.items()) for r in rows)


def ms(wall: float, cpu: float | None = None) -> str:
    return "timeout" if math.isinf(wall) else f"{wall * 1e3:,.1f}" + (f" / {cpu * 1e3:,.1f}" if cpu else "")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("store", help="Oxigraph store directory (opened read-only) or 'demo'")
    ap.add_argument("--baseline", metavar="REV", help="git revision whose query texts give the reference rows")
    ap.add_argument("--rdflib", metavar="FILE", help="N-Triples file for rdflib (its default graph)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=60.0, help="rdflib: seconds per run before giving up")
    ap.add_argument("--only", default="", help="comma-separated query names")
    args = ap.parse_args(argv)
    suite = [q for q in saved_queries() if not args.only or q.name in args.only.split(",")]
    ox_run = oxigraph_engine(args.store)
    rd_run = rdflib_engine(args.rdflib) if args.rdflib else None
    print("| query | rows | p50 ms wall / cpu | baseline p50 ms wall / cpu | same as baseline "
          "| rdflib p50 ms | same as rdflib | rdflib ÷ pyoxigraph |\n|---|---:|---:|---:|---|---:|---|---:|")
    ratios: list[tuple[float, bool]] = []
    for q in suite:
        keys = re.findall(r"\?(\w+)", (re.findall(r"^ORDER BY (.*)$", q.text, re.M) or [""])[-1])
        wall, cpu, rows = timed(ox_run, q.text, args.reps)
        cells = [q.name, str(len(rows)), ms(wall, cpu)] + ["–"] * 5
        if args.baseline:
            old = subprocess.run(["git", "show", f"{args.baseline}:ontology/queries/{q.name}.rq"], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout
            b_wall, b_cpu, old_rows = timed(ox_run, old, args.reps)
            cells[3:5] = [ms(b_wall, b_cpu), same(rows, old_rows, keys)]
        if rd_run:
            rd, _, rd_rows = timed(rd_run, q.text, args.reps, args.timeout)
            ratios.append((min(rd, args.timeout) / wall, math.isinf(rd)))
            cells[5:8] = [ms(rd), "–" if math.isinf(rd) else "yes" if loose(rows) == loose(rd_rows) else "NO",
                          f"{'≥ ' if math.isinf(rd) else ''}{ratios[-1][0]:.1f}"]
        print("| " + " | ".join(cells) + " |", flush=True)
    if ratios:
        gm, stopped = math.exp(sum(math.log(r) for r, _ in ratios) / len(ratios)), sum(t for _, t in ratios)
        print(f"\nrdflib ÷ pyoxigraph (wall): geometric mean {'≥ ' if stopped else ''}{gm:.1f}×, slowest "
              f"{min(r for r, _ in ratios):.2f}× ({stopped} of {len(ratios)} rdflib runs stopped at {args.timeout:g} s)")


if __name__ == "__main__":
    main()
