#!/usr/bin/env python3
"""hrdkg at scale, side by side with what a researcher would otherwise use.

    pip install -e '.[test,bench]'     # oxigraph server, rdflib-endpoint
    python bench/bench_scale.py --triples 1e5,1e6 --work /tmp/hrdkg-scale > scale.md

For each size (merged triples; bench/generate.py makes ~207 per statement):

1. **bulk load of a dump**: ``hrdkg restore`` of a generated dump (statement
   graphs; the merged graph is rebuilt) vs pyoxigraph's ``bulk_load`` of the same file;
2. **ingest**: ``hrdkg ingest`` of 100-200 more facts files (gate included) into that store;
3. **saved research queries** (``ontology/queries/*.rq``) p50/p95 on hrdkg's store
   (``graph.query.select``), raw pyoxigraph on the same store directory, raw
   pyoxigraph in memory holding the merged graph, and an rdflib in-memory
   ``Dataset`` holding the merged graph; rows are compared with rdflib's;
4. **HTTP**: the same queries on ``hrdkg serve`` ``/sparql``, ``oxigraph
   serve-read-only`` on the same directory and ``rdflib-endpoint`` on the
   merged graph, sequentially and from 4 concurrent clients;
5. **browser pages** (through ``hrdkg serve``): the most-connected defender's
   entity page, the defenders' class listing, the home page;
6. **export** (turtle, nquads: throughput and the child's peak RSS) and
   whole-store **SHACL validation** (``hrdkg validate``).

Everything is printed as Markdown (with machine, versions and date).  Generated
data and stores are kept in ``--work`` and reused by the next run (delete it to
start afresh).  rdflib runs in a child process with a time budget: a query it
has not finished in time is reported as such, never estimated.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
import pyoxigraph as ox  # noqa: E402

from generate import Generator, write_facts, write_nquads  # noqa: E402

TRIPLES_PER_STATEMENT = 207
H = "https://w3id.org/hrdkg/ontology#"
BIN = Path(sys.executable).parent


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of ``values``."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))]


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:,.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def queries() -> list[tuple[str, str]]:
    """(name, text with explicit PREFIX lines) of every saved query: the same text for every engine."""
    from graph.namespaces import PREFIXES
    from graph.query import saved_queries

    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    return [(q.name, head + q.text) for q in saved_queries()]


def norm(value: str) -> str:
    """A cell compared across engines: numbers by value (``3.50`` = ``3.5``); the parts of
    a ``GROUP_CONCAT`` (``a, b``) in sorted order, since SPARQL leaves their order open."""
    try:
        return f"{float(value):.6g}"
    except ValueError:
        return ", ".join(sorted(value.split(", "))) if ", " in value else value


def rows_key(rows: list[dict[str, str]]) -> list[tuple]:
    return sorted(tuple(sorted((k, norm(v)) for k, v in r.items())) for r in rows)


# ------------------------------------------------------------------ data
def prepare(work: Path, n: int, extra: int) -> dict[str, Any]:
    """Generate the dump and the facts files to ingest (cached in ``work``)."""
    work.mkdir(parents=True, exist_ok=True)
    dump = work / "dump.nq"
    if not dump.exists():
        t0 = time.perf_counter()
        lines = write_nquads(Generator(n), work / "dump.part", merged=False)
        (work / "dump.part").rename(dump)
        log(f"generated {n} statements ({lines:,} quads) in {time.perf_counter() - t0:.0f} s")
    facts = work / "facts"
    if not facts.exists():
        write_facts(Generator(n + extra), work / "facts.part", start=n)
        (work / "facts.part").rename(facts)
    return {"dump": dump, "facts": facts}


_LAUNCHER = r"""
import json, os, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = proc.stderr.read().decode(errors="replace")
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({"seconds": time.perf_counter() - t0, "peak": usage.ru_maxrss // 1024,
                  "rc": os.waitstatus_to_exitcode(status), "err": err[-2000:]}))
"""


def measured(args: list[str]) -> tuple[float, int, int, str]:
    """Run a command; (seconds, its peak RSS in MB, exit code, stderr).

    Through a small launcher process: Linux carries a process's peak RSS over
    fork and exec, so a child started straight from this (large) process
    would report this process's memory as its own."""
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *args], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    r = json.loads(out)
    return r["seconds"], r["peak"], r["rc"], r["err"]


def hrdkg(store: Path, *args: str) -> tuple[float, int, int, str]:
    """Run ``hrdkg --store STORE ARGS``; (seconds, peak RSS MB, exit code, stderr)."""
    return measured([sys.executable, "-m", "graph", "--store", str(store), "--quiet", *args])


def load_and_ingest(work: Path, files: dict[str, Any]) -> dict[str, Any]:
    store = work / "store"
    shutil.rmtree(store, ignore_errors=True)
    quads = sum(1 for _ in open(files["dump"], "rb"))
    restore_s, restore_mb, rc, err = hrdkg(store, "restore", str(files["dump"]))
    if rc:
        sys.exit(f"restore failed: {err}")
    raw_dir = work / "raw-bulk"
    shutil.rmtree(raw_dir, ignore_errors=True)
    code = ("import pyoxigraph as ox, sys; s = ox.Store(sys.argv[1]); "
            "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS); s.flush()")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(raw_dir), str(files["dump"])], check=True)
    raw_s = time.perf_counter() - t0
    shutil.rmtree(raw_dir, ignore_errors=True)
    n_facts = len(list(files["facts"].glob("*.facts.json")))
    ingest_s, ingest_mb, rc, err = hrdkg(store, "ingest", str(files["facts"]))
    if rc:
        sys.exit(f"ingest failed: {err}")
    merged = work / "merged.nt"
    code = ("import pyoxigraph as ox, sys; s = ox.Store.read_only(sys.argv[1]); "
            "s.dump(output=sys.argv[2], format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()); "
            "print(len(s))")
    total = int(subprocess.run([sys.executable, "-c", code, str(store), str(merged)], check=True,
                               capture_output=True, text=True).stdout)
    triples = sum(1 for _ in open(merged, "rb"))
    data = {"store": store, "merged": merged, "quads": quads, "restore_s": restore_s, "restore_mb": restore_mb,
            "raw_bulk_s": raw_s, "ingest_n": n_facts, "ingest_s": ingest_s, "ingest_mb": ingest_mb,
            "triples": triples, "store_quads": total}
    (work / "data.json").write_text(json.dumps(data, default=str), encoding="utf-8")
    return data


def phase(work: Path, name: str, resume: bool, compute: Any) -> Any:
    """Run one part of the bench, or with ``resume`` take what a previous run saved of it."""
    saved = work / f"part-{name}.json"
    if resume and saved.exists():
        log(f"{name}: reusing {saved}")
        return json.loads(saved.read_text(encoding="utf-8"))
    result = compute()
    saved.write_text(json.dumps(result), encoding="utf-8")
    return result


def cached_data(work: Path) -> dict[str, Any]:
    """What :func:`load_and_ingest` measured last time in ``work`` (to re-run other parts alone)."""
    if not (work / "data.json").exists():  # a run from before data.json was written: count again
        store = ox.Store.read_only(str(work / "store"))
        data = {"store": work / "store", "merged": work / "merged.nt", "store_quads": len(store),
                "triples": sum(1 for _ in open(work / "merged.nt", "rb")),
                "ingest_n": len(list((work / "facts").glob("*.facts.json")))}
        del store
        return data
    data = json.loads((work / "data.json").read_text(encoding="utf-8"))
    for key in ("store", "merged"):
        data[key] = Path(data[key])
    return data


# ------------------------------------------------------------- queries
def time_engines(engines: dict[str, Any], suite: list[tuple[str, str]], reps: int) -> dict[str, dict[str, Any]]:
    """p50/p95 of each engine's ``run(text)`` (which returns rows): one warm-up each, then
    ``reps`` rounds in which the engines take turns, so that drift hits them alike."""
    out: dict[str, dict[str, Any]] = {e: {} for e in engines}
    for name, text in suite:
        t0 = time.perf_counter()
        rows = {e: run(text) for e, run in engines.items()}
        slow = time.perf_counter() - t0 > 3 * len(engines)  # > 3 s a run: fewer runs keep the bench short
        times: dict[str, list[float]] = {e: [] for e in engines}
        for _ in range(min(reps, 2) if slow else reps):
            for e, run in engines.items():
                t0 = time.perf_counter()
                run(text)
                times[e].append(time.perf_counter() - t0)
        for e in engines:
            out[e][name] = {"p50": statistics.median(times[e]), "p95": pct(times[e], 0.95), "rows": rows[e]}
    return out


def in_process_queries(data: dict[str, Any], suite: list[tuple[str, str]], reps: int) -> dict[str, Any]:
    from graph.namespaces import PREFIXES
    from graph.query import select
    from graph.store import open_store

    def raw(engine: ox.Store):
        def run(text: str) -> list[dict[str, str]]:
            res = engine.query(text, prefixes=PREFIXES)
            names = [v.value for v in res.variables]
            return [{n: t.value for n in names if (t := row[n]) is not None} for row in res]
        return run

    store = open_store(data["store"])
    mem = ox.Store()
    t0 = time.perf_counter()
    mem.bulk_load(path=str(data["merged"]), format=ox.RdfFormat.N_TRIPLES)
    log(f"pyoxigraph in-memory load: {time.perf_counter() - t0:.1f} s")
    engines = {"hrdkg": lambda q: select(store, q), "raw-disk": raw(store.inner), "raw-memory": raw(mem)}
    results = time_engines(engines, suite, reps)
    results["_pages"] = library_pages(store, most_connected_defender_cached(data, store.inner), reps * 2)
    store.close()
    return results


#: The pages measured: label → path under the server (the entity page's path is added at run time).
PAGES = {"home page `/`": "/",
         "class listing `/class/HumanRightsDefender`": "/class/HumanRightsDefender",
         "largest listing, filtered `/class/Event?type=Arrest&sort=date`": "/class/Event?type=Arrest&sort=date",
         "search `/search?q=court`": "/search?q=court"}
ENTITY_PAGE = "entity page, most-connected defender"


def library_pages(store: Any, entity: str, reps: int) -> dict[str, Any]:
    """What the browser's pages cost in the library alone, on an open store (no HTTP, no store opening).
    ``first`` is the first call (listings and counts computed, then remembered), p50/p95 the calls after it."""
    from graph import browse, catalog

    work = {"home page `/`": lambda: catalog.overview(store),
            "class listing `/class/HumanRightsDefender`": lambda: catalog.list_class(store, "HumanRightsDefender"),
            "largest listing, filtered `/class/Event?type=Arrest&sort=date`":
                lambda: catalog.list_class(store, "Event", filters={"type": "Arrest"}, sort="date"),
            "search `/search?q=court`": lambda: catalog.search(store, "court"),
            ENTITY_PAGE: lambda: browse.describe(store, entity, values_limit=50)}
    out = {}
    for label, fn in work.items():
        t0 = time.perf_counter()
        fn()
        first = time.perf_counter() - t0
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        out[label] = {"p50": statistics.median(times), "p95": pct(times, 0.95), "first": first}
    return out


_RDFLIB_CHILD = r"""
import json, os, select, signal, sys, time
from rdflib import Dataset
ds = Dataset()
t0 = time.perf_counter()
ds.parse(sys.argv[1], format="nt")
print(json.dumps({"loaded": time.perf_counter() - t0, "triples": len(ds)}), flush=True)
reps, limit = int(sys.argv[2]), float(sys.argv[3])
for line in sys.stdin:
    name, text = json.loads(line)
    # each query in a forked copy of this process: one that overruns is killed, the data stays loaded
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        def run():
            res = ds.query(text)
            return [{str(v): str(row[v]) for v in res.vars if row[v] is not None} for row in res]
        times = []
        t0 = time.perf_counter(); rows = run(); first = time.perf_counter() - t0
        times.append(first)
        for _ in range(reps - 1 if first < 5 else 0):
            t0 = time.perf_counter(); run(); times.append(time.perf_counter() - t0)
        with os.fdopen(w, "w") as fh:
            fh.write(json.dumps({"name": name, "times": times, "rows": rows}))
        os._exit(0)
    os.close(w)
    chunks, deadline = [], time.monotonic() + limit + 10
    while True:
        ready, _, _ = select.select([r], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            chunks = None
            break
        data = os.read(r, 1 << 20)
        if not data:
            break
        chunks.append(data)
    os.close(r)
    os.waitpid(pid, 0)
    if chunks is None:
        print(json.dumps({"name": name, "timeout": limit}), flush=True)
    else:
        print(b"".join(chunks).decode(), flush=True)
"""


def rdflib_queries(data: dict[str, Any], suite: list[tuple[str, str]], reps: int, per_query: float,
                   budget: float) -> dict[str, Any]:
    """rdflib in a child that loads the merged graph once and runs each query in a fork of
    itself: a run still going after ``per_query`` seconds (+10 s for the repeats) is killed
    and reported as such; no query is started after ``budget`` seconds."""
    proc = subprocess.Popen([sys.executable, "-c", _RDFLIB_CHILD, str(data["merged"]), str(reps), str(per_query)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    head = json.loads(proc.stdout.readline())  # type: ignore[union-attr]
    out: dict[str, Any] = {"_load": head["loaded"]}
    deadline = time.monotonic() + budget
    for name, text in suite:
        if time.monotonic() > deadline:
            break
        proc.stdin.write(json.dumps([name, text]) + "\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
        r = json.loads(proc.stdout.readline())  # type: ignore[union-attr]
        if "timeout" in r:
            log(f"rdflib: {name} still running after {per_query:g} s: stopped")
            out[name] = {"timeout": per_query}
        else:
            out[name] = {"p50": statistics.median(r["times"]), "p95": pct(r["times"], 0.95), "rows": r["rows"],
                         "runs": len(r["times"]), "first": r["times"][0]}
    proc.stdin.close()  # type: ignore[union-attr]
    proc.wait()
    proc.stdout.close()  # type: ignore[union-attr]
    return out


# ---------------------------------------------------------------- HTTP
class Server:
    """A server in a child process, ready when ``probe`` answers."""

    def __init__(self, args: list[str], probe: str, *, wait: float = 600) -> None:
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + wait
        while True:
            try:
                if httpx.get(probe, timeout=5).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{args[0]} did not start")
            time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_queries(endpoint: str, suite: list[tuple[str, str]], reps: int, timeout: float) -> dict[str, Any]:
    """Sequential p50/p95 per query, then 4 clients each running the suite once."""
    client = httpx.Client(timeout=timeout)

    def ask(text: str) -> float | None:
        t0 = time.perf_counter()
        try:
            r = client.post(endpoint, data={"query": text}, headers={"Accept": "application/sparql-results+json"})
            r.raise_for_status()
            r.json()
        except (httpx.HTTPError, ValueError):
            return None
        return time.perf_counter() - t0

    seq: dict[str, Any] = {}
    for name, text in suite:
        if ask(text) is None:
            seq[name] = None
            continue
        times = [ask(text) for _ in range(reps)]
        ok = [t for t in times if t is not None]
        seq[name] = {"p50": statistics.median(ok), "p95": pct(ok, 0.95)} if len(ok) == len(times) else None
    runnable = [(n, t) for n, t in suite if seq.get(n) is not None]
    latencies: list[float] = []
    failures = 0
    t0 = time.perf_counter()

    def one_client(offset: int) -> None:
        nonlocal failures
        mine = runnable[offset:] + runnable[:offset]  # not all four on the same query at once
        for _, text in mine:
            t = ask(text)
            if t is None:
                failures += 1
            else:
                latencies.append(t)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one_client, [i * max(1, len(runnable) // 4) for i in range(4)]))
    wall = time.perf_counter() - t0
    client.close()
    conc = {"p50": statistics.median(latencies) if latencies else None,
            "p95": pct(latencies, 0.95) if latencies else None,
            "qps": len(latencies) / wall if wall else None, "failures": failures, "queries": len(runnable)}
    return {"seq": seq, "conc": conc}


def most_connected_defender(s: ox.Store) -> str:
    q = f"""SELECT ?d (COUNT(*) AS ?n) WHERE {{ ?d a <{H}HumanRightsDefender> . {{ ?d ?p ?o }} UNION {{ ?x ?q ?d }} }}
            GROUP BY ?d ORDER BY DESC(?n) LIMIT 1"""
    row = next(iter(s.query(q)))
    return row["d"].value


def pages(base: str, entity: str, reps: int) -> dict[str, Any]:
    """p50/p95 of each page over sequential requests; ``first`` is its first request to the server."""
    paths = {**PAGES, ENTITY_PAGE: "/id/" + entity.split("/id/", 1)[1]}
    out = {}
    with httpx.Client(timeout=900) as client:  # a first request at 10^7 computes listings for minutes
        for label, path in paths.items():
            t0 = time.perf_counter()
            r = client.get(base + path)
            first = time.perf_counter() - t0
            if r.status_code != 200:
                out[label] = {"error": r.status_code}
                continue
            times = []
            for _ in range(reps if r.elapsed.total_seconds() < 2 else 3):  # a slow page: 3 runs are enough
                t0 = time.perf_counter()
                client.get(base + path).raise_for_status()
                times.append(time.perf_counter() - t0)
            out[label] = {"p50": statistics.median(times), "p95": pct(times, 0.95), "bytes": len(r.content),
                          "first": first}
    return out


def endpoints(data: dict[str, Any], suite: list[tuple[str, str]], reps: int, page_reps: int,
              skip_rdflib: bool, rd: dict[str, Any]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log("hrdkg serve")
    srv = Server([sys.executable, "-m", "graph", "--store", str(data["store"]), "--quiet", "serve", "--port", str(port),
                  "--result-limit", "10000000", "--query-timeout", "300"], base + "/sparql?format=ttl")
    try:
        results["hrdkg /sparql"] = http_queries(base + "/sparql", suite, reps, 300)
        results["_pages"] = pages(base, most_connected_defender_cached(data), page_reps)
    finally:
        srv.stop()
    log("oxigraph serve-read-only")
    port = free_port()
    srv = Server([str(BIN / "oxigraph"), "serve-read-only", "--location", str(data["store"]),
                  "--bind", f"127.0.0.1:{port}"], f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
    try:
        results["oxigraph serve"] = http_queries(f"http://127.0.0.1:{port}/query", suite, reps, 300)
    finally:
        srv.stop()
    if skip_rdflib or not (BIN / "rdflib-endpoint").exists():
        results["rdflib-endpoint"] = None
        return results
    log("rdflib-endpoint (loading the merged graph)")
    port = free_port()
    t0 = time.perf_counter()
    srv = Server([str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(port), str(data["merged"])],
                 f"http://127.0.0.1:{port}/?query=" + urllib.parse.quote("ASK {}"), wait=1800)
    log(f"rdflib-endpoint ready after {time.perf_counter() - t0:.0f} s")
    try:
        # a query rdflib cannot finish in 20 s would keep the one-at-a-time server busy long
        # after the client gave up, and every later request would time out behind it
        quick = [(n, t) for n, t in suite if rd.get(n, {}).get("first", 1e9) < 20]
        results["rdflib-endpoint"] = http_queries(f"http://127.0.0.1:{port}/", quick, max(1, reps // 2), 60)
    finally:
        srv.stop()
    return results


_DEFENDER: dict[str, str] = {}


def most_connected_defender_cached(data: dict[str, Any], inner: ox.Store | None = None) -> str:
    key = str(data["store"])
    if key not in _DEFENDER:
        _DEFENDER[key] = most_connected_defender(inner if inner is not None else ox.Store.read_only(key))
    return _DEFENDER[key]


# -------------------------------------------------------- export, validate
def export_and_validate(data: dict[str, Any], work: Path, validate: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fmt in ("turtle", "nquads"):
        target = work / f"export.{fmt}"
        seconds, peak, rc, _ = hrdkg(data["store"], "export", "-f", fmt, "-o", str(target))
        rows = data["store_quads"] - data["triples"] if fmt == "nquads" else data["triples"]
        out[fmt] = None if rc else {"seconds": seconds, "rate": rows / seconds, "peak": peak, "rows": rows}
        target.unlink(missing_ok=True)
    if not validate:
        out["validate"] = None
        return out
    seconds, peak, rc, _ = hrdkg(data["store"], "validate")
    out["validate"] = {"seconds": seconds, "peak": peak, "conforms": rc == 0}
    return out


# --------------------------------------------------------------- report
def report(size: int, n: int, data: dict[str, Any], q: dict[str, Any], rd: dict[str, Any], http: dict[str, Any],
           ex: dict[str, Any], suite: list[tuple[str, str]], reps: int) -> str:
    L: list[str] = []
    L.append(f"### ≈ 10^{round(math.log10(size))} triples: {data['triples']:,} merged triples, "
             f"{data['store_quads'] - data['triples']:,} quads in statement graphs, "
             f"{n + data['ingest_n']:,} statements\n")
    L.append("**Loading**\n")
    L.append("| what | amount | seconds | rate | peak RSS (MB) |\n|---|---:|---:|---:|---:|")
    L.append(f"| `hrdkg restore` of a dump (bulk load + merged graph rebuilt) | {data['quads']:,} quads | "
             f"{data['restore_s']:.1f} | {data['quads'] / data['restore_s']:,.0f} quads/s | {data['restore_mb']} |")
    L.append(f"| raw pyoxigraph `bulk_load` of the same dump (no merged graph) | {data['quads']:,} quads | "
             f"{data['raw_bulk_s']:.1f} | {data['quads'] / data['raw_bulk_s']:,.0f} quads/s | |")
    L.append(f"| `hrdkg ingest` of facts files into that store (SHACL gate, one transaction each) | "
             f"{data['ingest_n']} statements | {data['ingest_s']:.1f} | "
             f"**{data['ingest_n'] / data['ingest_s']:.1f} statements/s** | {data['ingest_mb']} |")
    L.append("")
    L.append(f"**Saved research queries** (`ontology/queries/*.rq`), in process, p50 / p95 in ms over {reps} runs "
             "(2 for a query whose warm-up takes > 3 s) after a warm-up, the engines taking turns (rdflib: 3 runs, 1 when a run takes > 5 s). *hrdkg* = `graph.query.select` on the "
             "on-disk store; *raw disk* = pyoxigraph's own `query` on the same directory; *raw memory* = "
             "pyoxigraph in-memory store holding the merged graph; *rdflib* = `rdflib.Dataset` in memory holding "
             f"the merged graph (loaded in {rd.get('_load') or 0:.0f} s). Rows: same rows as rdflib (numbers "
             "compared by value, order ignored).\n")
    L.append("| query | rows | hrdkg p50 / p95 | raw disk p50 | raw memory p50 | rdflib p50 | hrdkg ÷ raw disk | "
             "hrdkg ÷ raw memory | rdflib ÷ hrdkg | same rows |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    vs_disk, vs_mem, speedups, slower, wrong, timeouts = [], [], [], [], [], []
    for name, _ in suite:
        h, d, m, r = q["hrdkg"][name], q["raw-disk"][name], q["raw-memory"][name], rd.get(name)
        vs_disk.append(h["p50"] / d["p50"])
        vs_mem.append(h["p50"] / m["p50"])
        same, speed = "–", "–"
        if r is None:
            rdcell = "not run" if rd.get("_skipped") else "not run (budget)"
        elif "timeout" in r:
            rdcell = f"> {r['timeout'] * 1000:,.0f} (stopped)"
            speedups.append(r["timeout"] / h["p50"])  # a lower bound
            speed = f"> {speedups[-1]:,.0f}"
            timeouts.append(name)
        else:
            rdcell = ms(r["p50"])
            speedups.append(r["p50"] / h["p50"])
            speed = f"{speedups[-1]:,.1f}"
            if r["p50"] < h["p50"]:
                slower.append(name)
            ok = rows_key(h["rows"]) == rows_key(r["rows"])
            same = "yes" if ok else "**no**"
            if not ok:
                wrong.append(name)
        L.append(f"| {name} | {len(h['rows']):,} | {ms(h['p50'])} / {ms(h['p95'])} | {ms(d['p50'])} | "
                 f"{ms(m['p50'])} | {rdcell} | {vs_disk[-1]:.2f} | {vs_mem[-1]:.2f} | {speed} | {same} |")
    bound = "≥ " if timeouts else ""
    overall = f"**{bound}{geomean(speedups):.1f}×**" if speedups else "–"
    L.append(f"| **geometric mean** | | | | | | **{geomean(vs_disk):.2f}** | **{geomean(vs_mem):.2f}** | "
             f"{overall} | |")
    L.append("")
    L.append(f"Worst hrdkg ÷ raw disk: {max(vs_disk):.2f}; worst hrdkg ÷ raw memory: {max(vs_mem):.2f}. "
             f"Queries slower on hrdkg than on rdflib: {', '.join(slower) or 'none'}. "
             f"Queries whose rows differ from rdflib's: {', '.join(wrong) or 'none'}. "
             f"rdflib queries stopped at the {rd.get(timeouts[0], {}).get('timeout', 0) if timeouts else 0:g} s "
             f"limit (their speed-up is a lower bound, rows not compared): {', '.join(timeouts) or 'none'}.\n")
    L.append("**HTTP endpoints**, the same queries (explicit PREFIX lines), JSON results, 127.0.0.1. "
             f"Sequential: p50 per query in ms (hrdkg and oxigraph: {reps} runs after a warm-up; rdflib-endpoint: "
             f"{max(1, reps // 2)}, 60 s client timeout, only the queries rdflib finished in process within 20 s). "
             "Concurrent: 4 clients each run the whole suite once.\n")
    names = ["hrdkg /sparql", "oxigraph serve", "rdflib-endpoint"]
    L.append("| query | " + " | ".join(names) + " | hrdkg ÷ oxigraph |")
    L.append("|---|" + "---:|" * (len(names) + 1))
    ratios = []
    for name, _ in suite:
        cells = []
        for server in names:
            res = http.get(server)
            if res is None:
                cells.append("not run")
                continue
            if name not in res["seq"]:
                cells.append("skipped (rdflib > 20 s)")
                continue
            s = res["seq"][name]
            cells.append(ms(s["p50"]) if s else "failed/timeout")
        hs, os_ = http["hrdkg /sparql"]["seq"].get(name), http["oxigraph serve"]["seq"].get(name)
        ratio = hs["p50"] / os_["p50"] if hs and os_ else None
        if ratio:
            ratios.append(ratio)
        L.append(f"| {name} | " + " | ".join(cells) + f" | {ratio:.1f} |" if ratio else f"| {name} | "
                 + " | ".join(cells) + " | – |")
    L.append(f"| **geometric mean** | | | | **{geomean(ratios):.1f}** |")
    L.append("")
    L.append("| 4 concurrent clients | requests | p50 ms | p95 ms | queries/s | failed |\n|---|---:|---:|---:|---:|---:|")
    for server in names:
        res = http.get(server)
        if res is None:
            L.append(f"| {server} | not run | | | | |")
            continue
        c = res["conc"]
        L.append(f"| {server} | {c['queries'] * 4} | {ms(c['p50'])} | {ms(c['p95'])} | "
                 f"{c['qps'] or 0:.1f} | {c['failures']} |")
    L.append("")
    L.append(f"**Browser pages** through `hrdkg serve` (waitress, 4 threads), p50 / p95 over sequential requests "
             f"after the first; *first* is the first request after the server started, which computes the "
             f"listings and counts that later requests reuse until the store changes "
             f"(most-connected defender: <{most_connected_defender_cached(data)}>):\n")
    L.append("| page | HTTP p50 ms | HTTP p95 ms | HTTP first ms | KB | library only p50 / p95 / first ms (open store, no HTTP) |")
    L.append("|---|---:|---:|---:|---:|---:|")
    for label, r in http["_pages"].items():
        lib = q["_pages"].get(label, {})
        libcell = f"{ms(lib['p50'])} / {ms(lib['p95'])} / {ms(lib.get('first'))}" if "p50" in lib \
            else lib.get("error", "–")
        if "error" in r:
            L.append(f"| {label} | HTTP {r['error']} | | | | {libcell} |")
        else:
            L.append(f"| {label} | {ms(r['p50'])} | {ms(r['p95'])} | {ms(r.get('first'))} | "
                     f"{r['bytes'] / 1000:.0f} | {libcell} |")
    L.append("")
    L += report_export(ex, data, n)
    return "\n".join(L)


def report_export(ex: dict[str, Any], data: dict[str, Any], n: int) -> list[str]:
    L = ["**Export and validation** (each in its own `hrdkg` process; peak RSS of that process):\n",
         "| what | rows | seconds | rows/s | peak RSS (MB) |", "|---|---:|---:|---:|---:|"]
    for fmt in ("turtle", "nquads"):
        e = ex[fmt]
        L.append(f"| `hrdkg export -f {fmt}` | {e['rows']:,} | {e['seconds']:.1f} | {e['rate']:,.0f} | {e['peak']} |"
                 if e else f"| export {fmt} | failed | | | |")
    v = ex["validate"]
    if v is None:
        L += ["| `hrdkg validate` | not run (--skip-validate) | | | |", ""]
        return L
    L.append(f"| `hrdkg validate` (every statement graph; conforms: {'yes' if v['conforms'] else 'no'}) | "
             f"{n + data['ingest_n']:,} statements | {v['seconds']:.1f} | "
             f"{(n + data['ingest_n']) / v['seconds']:.0f} statements/s | {v['peak']} |")
    L.append("")
    return L


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = subprocess.run([str(BIN / "oxigraph"), "--version"], capture_output=True, text=True).stdout.strip()
    found = []
    for name in ("pyoxigraph", "rdflib", "rdflib-endpoint", "pyshacl", "flask", "waitress", "httpx"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} not installed")
    return f"{out} (server), " + ", ".join(found)


def main() -> int:
    import signal

    # a SIGTERM (timeout, Ctrl-C in a job) unwinds through the ``finally`` blocks that stop the servers
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", default="1e5,1e6", help="sizes in merged triples, comma-separated")
    ap.add_argument("--work", type=Path, default=Path("/tmp/hrdkg-scale"), help="where data and stores are kept")
    ap.add_argument("--reps", type=int, default=5, help="timed runs per query (after a warm-up)")
    ap.add_argument("--rdflib-budget", type=float, default=900, help="seconds rdflib may take per size")
    ap.add_argument("--rdflib-timeout", type=float, default=60, help="seconds one rdflib query run may take")
    ap.add_argument("--skip-rdflib-endpoint", action="store_true")
    ap.add_argument("--skip-rdflib", action="store_true",
                    help="no rdflib at all (in process and endpoint): at 10^7 it needs tens of GB and hours")
    ap.add_argument("--skip-validate", action="store_true", help="no whole-store SHACL validation")
    ap.add_argument("--skip-queries", default="", metavar="NAMES",
                    help="saved queries left out, comma-separated (e.g. provenance at 10^7: 500k rows a run)")
    ap.add_argument("--resume", action="store_true",
                    help="reuse the store and the parts a previous (interrupted) run saved in --work")
    ap.add_argument("--only-export", action="store_true",
                    help="re-measure only export and validation, on the stores a previous run left in --work")
    args = ap.parse_args()
    skipped = {name.strip() for name in args.skip_queries.split(",") if name.strip()}
    suite = [(name, text) for name, text in queries() if name not in skipped]
    started = time.perf_counter()
    print(f"Command: `python {' '.join(sys.argv)}`\n")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1e9:.0f} GB RAM, "
          f"{platform.platform()}, Python {platform.python_version()}; {versions()}. Date {date.today().isoformat()}.\n")
    for size in (int(float(s)) for s in args.triples.split(",")):
        t_size = time.perf_counter()
        n = round(size / TRIPLES_PER_STATEMENT)
        extra = 100 if size < 500_000 else 200
        work = args.work / f"n{n}"
        log(f"size {size:,}: {n} statements (+{extra} ingested)")
        if args.only_export:
            data = cached_data(work)
            ex = export_and_validate(data, work)
            again = work / "restore-check"
            shutil.rmtree(again, ignore_errors=True)
            seconds, peak, _, _ = hrdkg(again, "restore", str(work / "dump.nq"))
            shutil.rmtree(again, ignore_errors=True)
            print(f"#### {data['triples']:,} merged triples\n")
            print(f"`hrdkg restore` of the dump again: {seconds:.1f} s, peak RSS {peak} MB\n")
            print("\n".join(report_export(ex, data, n)))
            continue
        files = prepare(work, n, extra)
        data = cached_data(work) if args.resume and (work / "data.json").exists() else load_and_ingest(work, files)
        log(f"loaded: {data['triples']:,} merged triples; ingest {data['ingest_n'] / data['ingest_s']:.1f}/s")
        q = phase(work, "queries", args.resume, lambda: in_process_queries(data, suite, args.reps))
        log("in-process queries done; rdflib next")
        rd = {"_skipped": True} if args.skip_rdflib else phase(
            work, "rdflib", args.resume, lambda: rdflib_queries(data, suite, 3, args.rdflib_timeout, args.rdflib_budget))
        log("rdflib done; HTTP next")
        http = phase(work, "http", args.resume,
                     lambda: endpoints(data, suite, args.reps, 20, args.skip_rdflib_endpoint or args.skip_rdflib, rd))
        log("HTTP done; export and validate next")
        ex = phase(work, "export", args.resume, lambda: export_and_validate(data, work, not args.skip_validate))
        print(report(size, n, data, q, rd, http, ex, suite, args.reps))
        print(f"(this size took {(time.perf_counter() - t_size) / 60:.1f} min)\n", flush=True)
    log(f"total {(time.perf_counter() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
