#!/usr/bin/env python3
"""Measure `hrdkg export`: throughput and peak memory on a large synthetic store.

    python bench/bench_export.py [-n 5000] [--store DIR] [--formats turtle,nquads,...] [--chunk-rows N]

Builds a store of N synthetic statements with bench/generate.py (≈ 210
merged triples each, so 5,000 give ≈ 1 million triples; an existing
``--store`` is reused), then runs each export in its own child process
(`python -m graph --store S export -f FMT -o FILE`), ``--repeat`` times,
and reports the fastest run: wall time, CPU time (user + system, of the
child and its helper processes) and peak resident memory.  A large export
runs helper processes (see ``graph.export.WORKERS``), so the peak is that
of the whole process tree, summed, sampled every 10 ms (and never less than
the largest single process's ``ru_maxrss`` from ``os.wait4``).
Targets: at least 200,000 triples/s, under 300 MB, for 1 million triples.
The machine may be shared: compare CPU seconds as well as wall seconds.
Prints a Markdown table with the machine and the date.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("turtle", "ntriples", "jsonld", "trig", "nquads")


def tree_rss_kib(pid: int) -> int:
    """Resident memory (KiB) of a process and all its descendants, summed."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as children:
                    todo.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue  # gone meanwhile
    return total


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, int, int]:
    """Run a command; returns (wall seconds, CPU seconds, peak RSS in MB, exit code)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            peak[0] = max(peak[0], tree_rss_kib(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err = proc.stderr.read().decode() if proc.stderr else ""  # also waits for the end of its output
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode:
        print(err, file=sys.stderr)
    peak_kib = max(peak[0], usage.ru_maxrss)  # Linux reports KiB
    return seconds, usage.ru_utime + usage.ru_stime, peak_kib // 1024, proc.returncode


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
    ap.add_argument("--workers", type=int, help="override graph.export.WORKERS in the children")
    ap.add_argument("--repeat", type=int, default=2, help="runs per format; the fastest is reported")
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
        if args.workers:
            env["HRDKG_EXPORT_WORKERS"] = str(args.workers)
        base_s, _cpu, base_mb, _ = run_child([sys.executable, "-c", "import graph.cli, graph.export, pyoxigraph"], env)
        print(f"store: {merged:,} merged triples, {quads:,} quads in statement graphs")
        print("\n| format | triples written | seconds | triples/s | CPU seconds | peak RSS (MB) | file (MB) |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for fmt in args.formats.split(","):
            out = Path(tmp) / f"export.{fmt}"
            runs = [run_child([sys.executable, "-m", "graph", "--store", str(store), "--quiet", "export", "-f", fmt,
                               "-o", str(out)], env) for _ in range(max(1, args.repeat))]
            failed = [rc for *_rest, rc in runs if rc]
            if failed:
                print(f"| {fmt} | failed (exit {failed[0]}) | | | | | |")
                continue
            seconds, cpu, _peak, _rc = min(runs)
            peak = max(run[2] for run in runs)
            rows = quads if fmt in ("trig", "nquads") else merged
            print(f"| {fmt} | {rows:,} | {seconds:.1f} | {rows / seconds:,.0f} | {cpu:.1f} | {peak} | "
                  f"{out.stat().st_size / 1e6:.0f} |")
            out.unlink()
        print(f"\nbaseline (interpreter + imports, no export): {base_mb} MB, {base_s:.2f} s")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; date {date.today().isoformat()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
