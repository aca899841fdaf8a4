#!/usr/bin/env python3
"""Measure `hrdkg ingest` end to end (read, extract, build, SHACL gate, store).

    python bench/bench_ingest.py [--corpus ../shared/corpus/dev] [-n 500]

Builds a folder of N statements by varying the dev corpus (each copy gets
its own file name, so its own statement id, and its dates shifted by whole
years so that copies are different statements), ingests it into a fresh
on-disk store in one `hrdkg ingest` process, and prints statements per
second with the machine and the date.  Target (issue 3): ≥ 20 statements/s.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf"}


def make_corpus(source: Path, target: Path, n: int) -> int:
    """Copy statements from ``source`` into ``target`` until there are ``n``."""
    originals = sorted(p for p in source.iterdir() if p.suffix.lower() in SUFFIXES)
    if not originals:
        sys.exit(f"no statements in {source}")
    for i in range(n):
        src = originals[i % len(originals)]
        shift = i // len(originals)
        dst = target / f"{src.stem}-v{i:04d}{src.suffix}"
        if src.suffix.lower() == ".pdf" or shift == 0:
            shutil.copy(src, dst)
        else:
            text = src.read_text(encoding="utf-8")
            text = re.sub(r"\b(19|20)(\d\d)\b", lambda m: str(int(m.group(0)) - shift), text)
            dst.write_text(text, encoding="utf-8")
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    ap.add_argument("-n", type=int, default=500)
    ap.add_argument("--stages", type=int, default=0, metavar="N",
                    help="also time each stage in one process over N statements")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hrdkg-bench-") as tmp:
        folder = Path(tmp) / "statements"
        folder.mkdir()
        make_corpus(args.corpus, folder, args.n)
        store = Path(tmp) / "store"
        hrdkg = [sys.executable, "-m", "graph", "--store", str(store), "--quiet"]
        t0 = time.perf_counter()
        run = subprocess.run([*hrdkg, "ingest", str(folder)], capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - t0
        rejected = run.stderr.count("REJECTED")
        stats = subprocess.run([*hrdkg, "stats"], capture_output=True, text=True, cwd=ROOT).stdout
    print(f"hrdkg ingest, {args.n} statements from {args.corpus.name}: {seconds:.1f} s, "
          f"{args.n / seconds:.1f} statements/s ({rejected} rejected)")
    print(stats.strip())
    if args.stages:
        print(stage_costs(args.corpus, args.stages))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; date {date.today().isoformat()}; "
          f"1-minute load average {os.getloadavg()[0]:.1f} (other processes slow every figure down)")
    return 0


def stage_costs(corpus: Path, n: int) -> str:
    """CPU per statement of each stage, in this process, over ``n`` statements:
    what the end-to-end figure is made of (workers read..validate; the main
    process writes)."""
    sys.path.insert(0, str(ROOT))
    from graph.build import build_graph
    from graph.extract import extract
    from graph.read import read_document
    from graph.store import ntriples, open_store
    from graph.validate import validate_graph

    with tempfile.TemporaryDirectory(prefix="hrdkg-stages-") as tmp:
        folder = Path(tmp) / "statements"
        folder.mkdir()
        make_corpus(corpus, folder, n)
        paths = sorted(folder.iterdir())
        validate_graph(build_graph(extract(read_document(paths[0]))))  # warm caches
        spent = dict.fromkeys(("read", "extract", "build", "validate", "serialise", "write"), 0.0)
        store = open_store(Path(tmp) / "store")
        for path in paths:
            clock = time.process_time()
            doc = read_document(path)
            spent["read"] += (now := time.process_time()) - clock
            facts = extract(doc, statement_id=path.stem)
            spent["extract"] += (clock := time.process_time()) - now
            graph = build_graph(facts)
            spent["build"] += (now := time.process_time()) - clock
            validate_graph(graph)
            spent["validate"] += (clock := time.process_time()) - now
            body = ntriples(graph)
            spent["serialise"] += (now := time.process_time()) - clock
            store.put_ntriples(str(graph.identifier), body)
            spent["write"] += time.process_time() - now
    parts = ", ".join(f"{stage} {1000 * s / n:.1f}" for stage, s in spent.items())
    return f"CPU ms per statement ({n} statements, one process): {parts}"


if __name__ == "__main__":
    sys.exit(main())
