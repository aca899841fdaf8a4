"""Extraction throughput: statements per second, extraction alone.

Builds a folder of N statements (default 500) by varying the dev corpus
(names, dates and amounts shifted so that no two files are alike), reads
them all, then times :func:`graph.extract.extract` over the documents.

    python bench/bench_extract.py [--n 500] [--corpus ../shared/corpus/dev] [--out bench/out/statements]

Prints statements/s with the machine and the date.  Target: >= 100/s.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.extract import extract  # noqa: E402
from graph.read import read_document  # noqa: E402

FIRST = ["Amina", "Dilnoza", "Karim", "Lucia", "Omar", "Selin", "Tamar", "Yusuf", "Zara", "Nadia"]
LAST = ["Rahimova", "Okafor", "Delgado", "Haddad", "Petrova", "Nguyen", "Mensah", "Kowalski", "Sato"]


def make_corpus(corpus: Path, out: Path, n: int, seed: int = 7) -> list[Path]:
    """Write ``n`` statements varied from those in ``corpus`` into ``out``."""
    rng = random.Random(seed)
    sources = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md", ".html", ".pdf"))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    paths = []
    for i in range(n):
        src = sources[i % len(sources)]
        dest = out / f"{src.stem}-{i:04d}{src.suffix}"
        if src.suffix == ".pdf":
            shutil.copyfile(src, dest)  # binary: keep as is
        else:
            text = src.read_text(encoding="utf-8")
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            text = re.sub(r"\b(20\d\d)\b", lambda m: str(int(m.group(1)) - rng.randint(0, 3)), text)
            text = re.sub(r"\b(\d{1,3}),000\b", lambda m: f"{int(m.group(1)) + rng.randint(1, 9)},000", text)
            text = text.replace("human rights defender ", f"human rights defender {name}, colleague of ", 1)
            dest.write_text(text, encoding="utf-8")
        paths.append(dest)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "statements")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="also time extraction spread over this many processes (default: all CPUs)")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    paths = make_corpus(args.corpus, args.out, args.n)
    t0 = time.perf_counter()
    docs = [read_document(p) for p in paths]
    t_read = time.perf_counter() - t0
    extract(docs[0])  # warm caches (compiled patterns, country tables)
    t0 = time.perf_counter()
    c0 = time.process_time()
    events = 0
    for doc in docs:
        events += len(extract(doc).events)
    t_extract = time.perf_counter() - t0
    cpu_extract = time.process_time() - c0
    chars = sum(len(d.text) for d in docs)
    print(f"date       {dt.datetime.now().isoformat(timespec='seconds')}")
    print(f"machine    {platform.node()} · {platform.processor() or platform.machine()} · "
          f"{os.cpu_count()} CPUs · Python {platform.python_version()} · {platform.platform()}")
    # other processes on the machine slow every figure down: say how busy it was
    print(f"load       {os.getloadavg()[0]:.1f} (1-minute load average at the end of the run)")
    print(f"statements {len(docs)} ({chars / len(docs):.0f} chars on average), {events} events")
    print(f"reading    {len(docs) / t_read:8.1f} statements/s  ({t_read:.2f} s)")
    print(f"extraction {len(docs) / t_extract:8.1f} statements/s  ({t_extract:.2f} s, "
          f"{1000 * t_extract / len(docs):.2f} ms per statement, 1 process)  target >= 100/s")
    print(f"           {1000 * cpu_extract / len(docs):8.2f} ms CPU per statement (less sensitive to other load)")
    if args.workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        chunks = [docs[i::args.workers] for i in range(args.workers)]
        with ProcessPoolExecutor(args.workers) as pool:
            list(pool.map(_extract_all, [[d] for d in docs[:args.workers]]))  # start and warm the workers
            t0 = time.perf_counter()
            list(pool.map(_extract_all, chunks))
            t_par = time.perf_counter() - t0
        print(f"extraction {len(docs) / t_par:8.1f} statements/s  ({t_par:.2f} s, {args.workers} processes)")
    return 0


def _extract_all(docs) -> int:
    return sum(len(extract(d).events) for d in docs)


if __name__ == "__main__":
    sys.exit(main())
