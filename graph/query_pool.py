"""A pool of persistent query worker processes, for :mod:`graph.guarded`.

Why persistent: starting ``python -m graph.guarded`` costs ~0.15-0.3 s and
opening a large store read-only tens of milliseconds more, which used to be
paid by every ``/sparql`` query.  A pool worker keeps its read-only store
open across jobs and reopens it only when :func:`graph.store.store_generation`
shows that some process wrote to the directory, so a query always sees data
at least as new as the last write completed before it started.

What stays as it was with one process per query:

* **time limit**: the parent waits for the answer until the deadline, then
  SIGKILLs the worker (pyoxigraph cannot be interrupted; killing frees its
  CPU and memory at once) and starts a replacement; the caller gets
  :class:`QueryTimeout`.
* **memory limit**: the worker lowers its own ``RLIMIT_AS`` (soft limit)
  to the job's limit before it evaluates; an allocation beyond it fails
  there.  A worker that dies (out of memory, a crash in native code) is
  replaced and the caller gets a :class:`~graph.errors.QueryError` saying so.
* **concurrency**: at most ``size`` jobs at once; a caller that finds every
  worker busy for its whole time limit gets :class:`QueryBusy`.

Workers are started with ``subprocess`` (never ``fork``: the web server's
memory and locks stay its own) and speak a framed protocol on their
stdin/stdout.  A frame is ``>II`` (lengths of the JSON header and of the
body) followed by the header and the body.  A worker says hello
(``{"ready": PID}``) once started, then answers one frame per job frame;
a query's time limit starts once its worker is ready (starting Python is
not the query's fault).  A job does not repeat the large fields (the
graph lists) that its worker got with its previous job.

A worker exits at the end of its input, so workers never outlive the
pool: :func:`shutdown` (run at exit) closes their input, and if the parent
is killed the kernel closes it; a worker busy with a query when its parent
dies notices that its parent changed and exits at once.
"""
from __future__ import annotations

import atexit
import json
import os
import selectors
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .childio import send_all
from .errors import QueryError

_FRAME = struct.Struct(">II")
#: Any single frame larger than this is a protocol error, not a message.
MAX_FRAME = 1 << 31
#: How long a new worker may take to start (import Python modules) before its first job.
STARTUP_SECONDS = 60.0


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped."""


class QueryBusy(QueryError):
    """Every query worker stayed busy for the whole time limit."""


def timed_out(timeout: float) -> QueryTimeout:
    """The error for a query stopped at its time limit."""
    return QueryTimeout(f"the query was stopped after the time limit of {timeout:g} s; "
                        "make it more selective or add a LIMIT")


def frame(header: dict[str, Any], body: bytes = b"") -> bytes:
    """One message: ``>II`` lengths, the JSON header, the body."""
    head = json.dumps(header).encode("utf-8")
    return _FRAME.pack(len(head), len(body)) + head + body


# ------------------------------------------------------------------- parent
class QueryPool:
    """At most ``size`` worker processes, each answering one job at a time."""

    def __init__(self, size: int, command: list[str], *, sticky: tuple[str, ...] = ()) -> None:
        self.size = size
        self.command = command
        self.sticky = sticky  # fields of a job that are sent again only when they change
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._closed = False
        self.owner = os.getpid()
        self.started = 0  # worker processes started over the pool's life

    @contextmanager
    def slot(self, wait: float) -> Iterator[None]:
        """Hold one of the ``size`` slots for a ``with`` block.

        :raises QueryBusy: if none frees up within ``wait`` seconds.
        """
        if not self._slots.acquire(timeout=wait):
            raise QueryBusy(f"all {self.size} query workers stayed busy for {wait:g} s; try again later")
        try:
            yield
        finally:
            self._slots.release()

    def ask(self, job: dict[str, Any], body: bytes, timeout: float) -> tuple[dict[str, Any], bytes]:
        """Send one job to a free worker; its answer (header, body).

        :raises QueryBusy: no worker freed up within ``timeout``.
        :raises QueryTimeout: no answer within ``timeout`` (the worker was killed and replaced).
        :raises QueryError: the worker died while answering (replaced too).
        """
        with self.slot(timeout):
            worker = self._take(job.get("path"))
            # a large field equal to what this worker got last time is not sent again
            same = [k for k in self.sticky if k in job and k in worker.sent and worker.sent[k] == job[k]]
            message = frame({**{k: v for k, v in job.items() if k not in same}, "same": same}, body)
            worker.sent = {k: job[k] for k in self.sticky if k in job}
            try:
                header, answer = worker.ask(message, timeout)
            except TimeoutError:
                self._drop(worker, kill=True, replace=True)
                raise timed_out(timeout) from None
            except OSError:  # it died: let it finish dying, so that its exit status tells why
                self._drop(worker, kill=False, replace=True)
                cause = "they were shut down" if self._closed else worker.cause_of_death()
                raise QueryError(f"the query worker failed: {cause}") from None
            if header.get("exit"):
                self._drop(worker, kill=False, replace=False)
            else:
                self._give_back(worker)
            return header, answer

    def pids(self) -> list[int]:
        """Process ids of the running workers (idle or busy)."""
        with self._lock:
            return sorted(w.proc.pid for w in [*self._idle, *self._busy])

    def close(self) -> None:
        """Stop every worker: idle ones exit on end of input, busy ones are killed."""
        with self._lock:
            self._closed = True
            idle, busy = self._idle, list(self._busy)
            self._idle = []
        for worker in busy:
            worker.proc.kill()  # its caller sees the death and reaps it
        for worker in idle:
            worker.stop()

    def _take(self, path: str | None) -> _Worker:
        with self._lock:
            if self._closed:
                raise QueryError("the query workers were shut down")
            alive = [w for w in self._idle if w.proc.poll() is None]
            for w in self._idle:
                if w not in alive:
                    w.stop()
            # the last used worker that has this store open (its caches are warm), else the last used
            worker = next((w for w in reversed(alive) if w.path == path), alive[-1] if alive else None)
            self._idle = [w for w in alive if w is not worker]
            if worker is None:
                worker = self._start()
            worker.path = path
            self._busy.add(worker)
            return worker

    def _start(self) -> _Worker:
        self.started += 1
        return _Worker(self.command)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
            if self._closed:
                worker.stop()
            else:
                self._idle.append(worker)

    def _drop(self, worker: _Worker, *, kill: bool, replace: bool) -> None:
        """Reap a worker that was killed or died; start its replacement now,
        so the next query does not wait for Python to start."""
        worker.stop(kill=kill)
        with self._lock:
            self._busy.discard(worker)
            if replace and not self._closed:
                self._idle.append(self._start())


class _Worker:
    """The parent's handle on one worker process."""

    def __init__(self, command: list[str]) -> None:
        # the worker must import this very package, even when the parent found
        # it through a sys.path entry of its own (bench scripts, notebooks)
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        self.stderr = tempfile.TemporaryFile()  # read only to explain a death
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, close_fds=True, env=env)
        self.path: str | None = None
        self.ready = False  # it said hello: Python has started and imported what it needs
        self.sent: dict[str, Any] = {}  # the sticky fields of its last job
        self.last_words = ""  # the end of what it wrote to stderr, once stopped

    def ask(self, message: bytes, timeout: float) -> tuple[dict[str, Any], bytes]:
        """Send a job, wait ``timeout`` seconds for the answer (counted once
        the worker has started: starting is not the query's fault).

        :raises TimeoutError: at the deadline.
        :raises OSError: if the worker died (broken pipe, end of output, garbled answer).
        """
        if not self.ready:
            hello, _ = self._receive(time.monotonic() + STARTUP_SECONDS)
            if hello.get("ready") != self.proc.pid:
                raise ConnectionError("garbled answer")
            self.ready = True
        deadline = time.monotonic() + timeout
        send_all(self.proc, message, deadline)
        return self._receive(deadline)

    def _receive(self, deadline: float) -> tuple[dict[str, Any], bytes]:
        """One frame from the worker (it writes nothing until asked: nothing follows it)."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        data = bytearray()
        need, sizes = _FRAME.size, (0, 0)
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while len(data) < need:
                if not sel.select(max(deadline - time.monotonic(), 0)):
                    raise TimeoutError
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise ConnectionError("the worker closed its output")
                data += chunk
                if need == _FRAME.size and len(data) >= need:
                    sizes = _FRAME.unpack_from(data)
                    if max(sizes) > MAX_FRAME:
                        raise ConnectionError("garbled answer")
                    need += sum(sizes)
        try:
            header = json.loads(data[_FRAME.size:_FRAME.size + sizes[0]])
        except ValueError:
            raise ConnectionError("garbled answer") from None
        return header, bytes(data[_FRAME.size + sizes[0]:])

    def cause_of_death(self) -> str:
        """Why the worker stopped, for the caller (after :meth:`stop`)."""
        code = self.proc.returncode
        last = (self.last_words.strip().splitlines() or [""])[-1]
        # Rust says "memory allocation of N bytes failed" and aborts; the kernel's OOM killer SIGKILLs
        if any(m in self.last_words for m in ("memory allocation of", "MemoryError")) or code == -signal.SIGKILL:
            return "it ran out of memory; make the query more selective or add a LIMIT"
        if code is not None and code < 0:
            return f"it crashed ({signal.Signals(-code).name})"
        return last or f"it exited with status {code}"

    def stop(self, *, kill: bool = False) -> None:
        """End the worker and reap it (no zombie, no ResourceWarning)."""
        if kill:
            self.proc.kill()  # SIGKILL: frees its CPU and memory at once
        try:
            self.proc.communicate(timeout=2)  # closes its input, at which an idle worker exits
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
        if not self.stderr.closed:
            self.stderr.seek(max(self.stderr.seek(0, os.SEEK_END) - 4000, 0))
            self.last_words = self.stderr.read().decode("utf-8", "replace")
            self.stderr.close()


_POOLS: dict[int, QueryPool] = {}
_POOLS_LOCK = threading.Lock()


def pool(size: int) -> QueryPool:
    """This process's pool of ``size`` workers (one per size), created on first use.

    A process made by ``fork`` starts pools of its own: its parent's workers
    answer its parent (the pipes are shared)."""
    with _POOLS_LOCK:
        found = _POOLS.get(size)
        if found is None or found.owner != os.getpid():
            found = _POOLS[size] = QueryPool(size, [sys.executable, "-m", "graph.guarded"],
                                             sticky=("named", "prefixes"))
        return found


def pool_stats() -> dict[str, Any]:
    """Pids of the running workers and how many were started, per pool size."""
    with _POOLS_LOCK:
        pools = dict(_POOLS)
    return {size: {"pids": p.pids(), "started": p.started} for size, p in pools.items()}


def shutdown() -> None:
    """Stop every worker of this process (also run at exit); pools restart on next use."""
    with _POOLS_LOCK:
        pools = [p for p in _POOLS.values() if p.owner == os.getpid()]
        _POOLS.clear()
    for p in pools:
        p.close()


atexit.register(shutdown)


# ------------------------------------------------------------------- worker
def serve_jobs(answer: Callable[[dict[str, Any], bytes], tuple[dict[str, Any], bytes]]) -> None:
    """The worker's loop: say hello (``{"ready": PID}``), then read a job frame and
    write ``answer(job, body)``, until end of input.

    A job's ``same`` lists the fields it did not repeat: they are those of
    the previous job.  An answer whose header has ``"exit": True`` is the
    last: the worker then exits (after running out of memory, its state is
    not to be trusted).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops us
    stdin = sys.stdin.buffer
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the protocol
    _watch_parent()
    out.write(frame({"ready": os.getpid()}))
    out.flush()
    last: dict[str, Any] = {}
    while True:
        sizes = stdin.read(_FRAME.size)
        if len(sizes) < _FRAME.size:
            return
        head_size, body_size = _FRAME.unpack(sizes)
        job = json.loads(stdin.read(head_size))
        job.update({k: last[k] for k in job.pop("same", ())})
        last = job
        body = stdin.read(body_size)
        header, result = answer(job, body)
        out.write(frame(header, result))
        out.flush()
        if header.get("exit"):
            return


def _watch_parent() -> None:
    """Exit at once if the parent dies while a query runs (between queries, end of input does it)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def limit_memory(limit: int | None) -> None:
    """Set the soft address-space limit of this process (None: as high as allowed)."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = hard if limit is None else limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
