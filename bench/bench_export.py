#!/usr/bin/env python3
"""Measure `hrdkg export`: throughput and peak memory on a large synthetic store.

    python bench/bench_export.py [-n 5000] [--store DIR] [--formats turtle,nquads,...] [--chunk-rows N]

Builds a store of N synthetic statements with bench/generate.py (≈ 210
merged triples each, so 5,000 give ≈ 1 million triples; an existing
``--store`` is reused), then runs each export in its own child process
(`python -m graph --store S export -f FMT -o FILE`) and reads the child's
peak resident memory (``ru_maxrss`` from ``os.wait4``) and wall time.
Target (issue 5): exporting 1 million triples stays under 300 MB.
Prints a Markdown table with the machine and the date.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("turtle", "ntriples", "jsonld", "trig", "nquads")


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Run a command; returns (seconds, peak RSS in MB, exit code)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode:
        print(err, file=sys.stderr)
    return seconds, usage.ru_maxrss // 1024, proc.returncode  # Linux reports KiB


def count_triples(store: Path) -> tuple[int, int]:
    """(merged triples, quads in statement graphs), counted in a child so the parent stays small."""
    code = ("import pyoxigraph as ox, sys; s = ox.Store(sys.argv[1]); "
            "d = sum(1 for _ in s.quads_for_pattern(None, None, None, ox.DefaultGraph())); "
            "print(d, len(s) - d)")
    out = subprocess.run([sys.executable, "-c", code, str(store)], capture_output=True, text=True, check=True)
    merged, quads = out.stdout.split()
    return int(merged), int(quads)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=5000, help="synthetic statements (5000 ≈ 1 M triples)")
    ap.add_argument("--store", type=Path, help="store directory to reuse or create")
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--chunk-rows", type=int, help="override graph.export.CHUNK_ROWS in the children")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hrdkg-bench-export-") as tmp:
        store = args.store or Path(tmp) / "store"
        if not store.exists():
            # in its own process: the generator's bulk load takes GBs, and a child forked from a
            # big parent would report the parent's pages in its ru_maxrss
            t0 = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "-n", str(args.n),
                            "--store", str(store)], check=True, stdout=subprocess.DEVNULL)
            print(f"generated {args.n} statements into {store} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        merged, quads = count_triples(store)
        env = dict(os.environ)
        if args.chunk_rows:
            env["HRDKG_EXPORT_CHUNK_ROWS"] = str(args.chunk_rows)
        base_s, base_mb, _ = run_child([sys.executable, "-c", "import graph.cli, graph.export, pyoxigraph"], env)
        print(f"store: {merged:,} merged triples, {quads:,} quads in statement graphs")
        print("\n| format | triples written | seconds | triples/s | peak RSS (MB) | file (MB) |")
        print("|---|---:|---:|---:|---:|---:|")
        for fmt in args.formats.split(","):
            out = Path(tmp) / f"export.{fmt}"
            seconds, peak, rc = run_child(
                [sys.executable, "-m", "graph", "--store", str(store), "--quiet", "export", "-f", fmt,
                 "-o", str(out)], env)
            if rc:
                print(f"| {fmt} | failed (exit {rc}) | | | | |")
                continue
            rows = quads if fmt in ("trig", "nquads") else merged
            print(f"| {fmt} | {rows:,} | {seconds:.1f} | {rows / seconds:,.0f} | {peak} | "
                  f"{out.stat().st_size / 1e6:.0f} |")
            out.unlink()
        print(f"\nbaseline (interpreter + imports, no export): {base_mb} MB")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; date {date.today().isoformat()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
