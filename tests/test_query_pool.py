"""The pool of persistent query workers (graph.query_pool) behind graph.guarded.run_guarded.

Real worker processes over real stores on disk.  Each test uses a pool
size of its own (pools are per size, per process), so the pids it sees are
those of its own workers.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from graph.errors import QueryError
from graph.guarded import Limits, QueryBusy, QueryTimeout, admin_dataset, public_dataset, run_guarded
from graph.query_pool import pool_stats, shutdown
from graph.store import SharedStore
from web_support import ASA, PUBLIC_STATEMENT, RESTRICTED_STATEMENT, ZAUR, fill, fixture_store
from webui import create_app

ROOT = Path(__file__).resolve().parent.parent
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
#: sorts 255^3 rows: needs gigabytes
GREEDY = ("SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a ?c ?f ?i WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } "
          "ORDER BY ?a ?c ?f ?i } }")
STATEMENTS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a hrd:Statement }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture
def disk(tmp_path: Path) -> Path:
    """A store on disk holding the public web fixtures only."""
    path = tmp_path / "store"
    fixture_store(path, restricted=False).close()
    return path


def public(path: Path, query: str):
    """The public dataset of ``query``, listed from the store as it is now."""
    with SharedStore(path).reader() as store:
        return public_dataset(query, store.public_graphs())


def ask(path: Path, query: str, *, workers: int, dataset=None, **limits):
    result = run_guarded(path, query, dataset=dataset or public(path, query),
                         limits=Limits(workers=workers, **limits))
    return json.loads(result.body), result.worker


def values(answer: dict, name: str) -> list[str]:
    return sorted(row[name]["value"] for row in answer["results"]["bindings"] if name in row)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:  # a zombie is dead too
        return fh.read().split(") ")[-1][0] != "Z"


def cpu_ticks(pid: int) -> int:
    """User CPU time the process has used, in clock ticks."""
    with open(f"/proc/{pid}/stat") as fh:
        return int(fh.read().split(") ")[-1].split()[11])


def wait_dead(pids: list[int], seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


# ------------------------------------------------------------------ reuse
def test_repeated_queries_reuse_one_worker(disk):
    answers = [ask(disk, STATEMENTS, workers=3) for _ in range(5)]
    assert {values(a, "n")[0] for a, _ in answers} == {"2"}
    pids = {pid for _, pid in answers}
    assert len(pids) == 1
    assert pool_stats()[3] == {"pids": sorted(pids), "started": 1}


def test_queries_at_once_use_several_workers_and_no_more(disk):
    results: list[int] = []

    def one() -> None:
        results.append(ask(disk, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", workers=2)[1])

    threads = [threading.Thread(target=one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6 and len(set(results)) <= 2
    assert len(pool_stats()[2]["pids"]) <= 2


def test_a_worker_keeps_the_graph_list_it_got_last_only_while_it_is_the_same(disk):
    """Graph lists are not sent again while they do not change: a changed one is used at once."""
    from graph.guarded import Dataset

    fine = PUBLIC_STATEMENT.replace("arrest", "fine")
    pids = set()
    for named in [(PUBLIC_STATEMENT,), (PUBLIC_STATEMENT,), (fine,), (PUBLIC_STATEMENT, fine), (fine,)]:
        answer, pid = ask(disk, GRAPHS, workers=10, dataset=Dataset(("",), named))
        assert values(answer, "g") == sorted(named)
        pids.add(pid)
    assert len(pids) == 1


# ---------------------------------------------------------------- time limit
def test_a_timeout_kills_only_that_worker_and_the_next_query_answers(disk):
    _, first = ask(disk, STATEMENTS, workers=5)
    outcome: list[BaseException] = []

    def heavy() -> None:
        try:
            ask(disk, HEAVY, workers=5, timeout=2)
        except QueryError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(0.5)  # the heavy query holds the first worker now
    answer, second = ask(disk, STATEMENTS, workers=5)
    assert values(answer, "n") == ["2"] and second != first
    thread.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], QueryTimeout), outcome
    assert "time limit of 2 s" in str(outcome[0])
    assert not alive(first)  # SIGKILLed and reaped
    assert alive(second) and second in pool_stats()[5]["pids"]  # the other worker lives on
    assert len(pool_stats()[5]["pids"]) == 2  # the killed one was replaced
    assert values(ask(disk, STATEMENTS, workers=5)[0], "n") == ["2"]


def test_busy_workers_make_a_query_wait_then_give_up(disk):
    thread = threading.Thread(target=lambda: pytest.raises(QueryTimeout, ask, disk, HEAVY, workers=1, timeout=3))
    thread.start()
    time.sleep(0.5)
    with pytest.raises(QueryBusy, match="busy"):
        ask(disk, STATEMENTS, workers=1, timeout=1)
    thread.join(30)
    assert values(ask(disk, STATEMENTS, workers=1)[0], "n") == ["2"]


# ------------------------------------------------------- freshness and secrecy
def test_a_write_by_another_process_is_visible_to_the_next_query(disk):
    before, pid = ask(disk, STATEMENTS, workers=6)
    assert values(before, "n") == ["2"]
    done = subprocess.run([sys.executable, "-m", "graph", "--store", str(disk), "ingest",
                           str(ROOT / "data" / "kz-toregozhina-2025-08-05.facts.json")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    after, same = ask(disk, STATEMENTS, workers=6)
    assert values(after, "n") == ["3"]
    assert same == pid  # the worker reopened its store; it was not restarted


def test_a_restricted_statement_never_becomes_visible(disk):
    # the dataset is listed while every statement is public, so every graph
    # is allowed: the worker must still not show a graph written afterwards
    stale = {q: public(disk, q) for q in (GRAPHS, f"ASK {{ <{ZAUR}> ?p ?o }}")}
    assert values(ask(disk, GRAPHS, workers=6, dataset=stale[GRAPHS])[0], "g") == sorted(
        [PUBLIC_STATEMENT, PUBLIC_STATEMENT.replace("arrest", "fine")])
    with SharedStore(disk).lease() as store:  # the restricted statement arrives
        fill(store)
    for query, dataset in [(GRAPHS, stale[GRAPHS]), (GRAPHS, public(disk, GRAPHS)),
                           (f"SELECT ?g WHERE {{ GRAPH ?g {{ <{ZAUR}> ?p ?o }} }}", None),
                           (f"SELECT * FROM NAMED <{RESTRICTED_STATEMENT}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", None)]:
        answer = ask(disk, query, workers=6, dataset=dataset)[0]
        assert RESTRICTED_STATEMENT not in values(answer, "g"), query
    query = f"ASK {{ <{ZAUR}> ?p ?o }}"
    assert ask(disk, query, workers=6, dataset=stale[query])[0]["boolean"] is False
    # the administrator sees it
    with SharedStore(disk).reader() as store:
        admin = admin_dataset(GRAPHS, store.statement_graphs(), store.restricted_graphs())
    assert RESTRICTED_STATEMENT in values(ask(disk, GRAPHS, workers=6, dataset=admin)[0], "g")


def test_the_web_app_lists_graphs_once_per_store_version(disk, monkeypatch):
    from graph.store import Store

    calls: list[int] = []
    original = Store.public_graphs
    monkeypatch.setattr(Store, "public_graphs", lambda self: calls.append(1) or original(self))
    client = create_app({"STORE_PATH": str(disk), "QUERY_WORKERS": 6}).test_client()
    for _ in range(3):
        assert client.get("/sparql", query_string={"query": GRAPHS}).status_code == 200
        assert client.get("/sparql", query_string={"query": STATEMENTS}).status_code == 200
    assert len(calls) == 1  # remembered; and a query without GRAPH needs no list
    with SharedStore(disk).lease() as store:
        fill(store)
    graphs = client.get("/sparql", query_string={"query": GRAPHS}).get_json()
    assert len(calls) == 2
    assert RESTRICTED_STATEMENT not in values(graphs, "g") and len(values(graphs, "g")) == 2
    assert client.get("/sparql", query_string={"query": f"ASK {{ <{ASA}> ?p ?o }}"}).get_json()["boolean"] is True


# --------------------------------------------------------------- failures
def test_the_memory_cap_is_reported_and_the_worker_replaced(disk):
    with pytest.raises(QueryError, match="ran out of memory"):
        ask(disk, GREEDY, workers=7, memory=1024 ** 3, timeout=60)
    assert len(pool_stats()[7]["pids"]) == 1  # replaced
    assert values(ask(disk, STATEMENTS, workers=7, memory=1024 ** 3)[0], "n") == ["2"]


def test_a_crashed_worker_is_a_clear_error_and_is_replaced(disk):
    _, pid = ask(disk, STATEMENTS, workers=8)
    killer = threading.Timer(0.5, os.kill, (pid, signal.SIGSEGV))
    killer.start()
    with pytest.raises(QueryError, match=r"crashed \(SIGSEGV\)"):
        ask(disk, HEAVY, workers=8, timeout=20)
    killer.join()
    answer, new = ask(disk, STATEMENTS, workers=8)
    assert values(answer, "n") == ["2"] and new != pid


def test_a_missing_store_is_a_query_error(tmp_path):
    with pytest.raises(QueryError, match="no store there"):
        ask(tmp_path / "nothing", STATEMENTS, workers=8, dataset=public_dataset(STATEMENTS, []))


# ---------------------------------------------------------- no orphans
def test_shutdown_stops_every_worker(disk):
    _, pid = ask(disk, STATEMENTS, workers=9)
    shutdown()
    assert not alive(pid) and pool_stats() == {}
    answer, new = ask(disk, STATEMENTS, workers=9)  # a pool starts again on demand
    assert values(answer, "n") == ["2"] and new != pid


_PARENT = textwrap.dedent("""
    import sys, threading, time
    from pathlib import Path
    from graph.guarded import Limits, public_dataset, run_guarded
    path, how = Path(sys.argv[1]), sys.argv[2]
    def ask(query, timeout=60):
        return run_guarded(path, query, dataset=public_dataset(query, []), limits=Limits(workers=2, timeout=timeout))
    print(ask("ASK { ?s ?p ?o }").worker, flush=True)
    if how == "busy":  # the worker is stuck in a long query when we die
        threading.Thread(target=ask, args=(sys.argv[3],), daemon=True).start()
        time.sleep(1)
    if how == "exit":
        sys.exit(0)
    time.sleep(600)
""")


@pytest.mark.parametrize("how", ["exit", "idle", "busy"])
def test_no_worker_outlives_its_parent(disk, how):
    """A normal exit stops the pool (atexit); a SIGKILLed parent's workers exit by themselves,
    an idle one at the end of its input, a busy one when it sees its parent gone."""
    proc = subprocess.Popen([sys.executable, "-c", _PARENT, str(disk), how, HEAVY], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        pid = int(proc.stdout.readline())  # type: ignore[union-attr]
        if how == "busy":
            time.sleep(1.5)
            assert cpu_ticks(pid) > 0  # it is working on the long query
        if how != "exit":
            proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        assert wait_dead([pid]) == []
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()  # type: ignore[union-attr]
