"""Read a PDF's text layer in a child process, with limits on time and memory.

Why a child process: pypdf is pure Python and careful (it caps every
decompressed stream at 75 MB and detects cyclic page trees), but a hostile
or broken PDF can still keep it busy for minutes (millions of text
operators) or make it allocate gigabytes (many large streams).  Python
cannot interrupt C code nor give memory back on demand, so the parser runs
where it can be killed:

* the child sets ``RLIMIT_AS`` (address space) once at start, so an
  allocation beyond the limit fails with ``MemoryError`` inside the child;
* each request runs under an interval timer in the child (a clean
  "took too long" answer, the child lives on), and the parent waits at most
  a little longer than that before it kills the child (the backstop when
  the child is stuck in C code);
* the child answers with JSON only, which the parent checks: nothing the
  PDF contains is ever unpickled or executed in the parent.

Why one *persistent* child per process rather than one per PDF: starting
Python and importing pypdf costs ~0.15 s, which alone would eat the ingest
budget (>= 20 statements/s); a request to a running child costs about a
millisecond more than reading in-process (see ``bench`` figures in the
Trust note).  After a breach the child is killed (time) or exits (memory)
and the next PDF starts a fresh one.

Protocol (stdin/stdout of ``python -m graph.pdfsafe MEGABYTES``): a request
is one JSON line ``{"size": N, "seconds": S, "pages": P, "characters": C}``
followed by N bytes of PDF; the answer is one JSON line, either
``{"pages": [...], "title": ...}`` or ``{"error": CODE, "detail": ...}``.
"""
from __future__ import annotations

import atexit
import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.childio import send_all
from graph.errors import InputError

__all__ = ["PdfLimits", "PdfText", "read_pdf_text", "shutdown"]


@dataclass(frozen=True)
class PdfLimits:
    """How much one PDF may cost to read (keyword-only, all positive)."""

    #: wall-clock seconds for parsing and extracting the text of one PDF
    seconds: float = 30.0
    #: address space of the reading process, in MB (includes Python itself, ~60 MB)
    megabytes: int = 1024
    #: statements are short: a PDF with more pages is refused before extraction
    pages: int = 1000
    #: extracted text longer than this is refused (a "text bomb")
    characters: int = 10_000_000


@dataclass(frozen=True)
class PdfText:
    """The raw text of each page and the document title, as pypdf sees them."""

    pages: tuple[str, ...]
    title: str | None


#: The parent waits this much longer than ``seconds`` before it kills the child.
GRACE_SECONDS = 2.0


def read_pdf_text(raw: bytes, *, path: Path | str, limits: PdfLimits = PdfLimits()) -> PdfText:
    """Extract the text of each page of the PDF ``raw`` in the sandboxed child.

    :raises InputError: (naming ``path``) the PDF is encrypted, unreadable,
        too long, or breaks the time or memory limit.
    """
    with _LOCK:
        answer = _worker(limits.megabytes).ask(raw, limits, path=path)
    if "error" in answer:
        raise InputError(path, _reason(answer, limits))
    return _checked_text(answer, path=path)


def shutdown() -> None:
    """Stop this process's PDF child, if any (also done at exit)."""
    global _WORKER
    with _LOCK:
        if _WORKER is not None:
            _WORKER.close()
            _WORKER = None


def _reason(answer: dict[str, Any], limits: PdfLimits) -> str:
    code, detail = answer.get("error"), str(answer.get("detail", ""))[:300]
    reasons = {
        "encrypted": "encrypted PDF; save an unencrypted copy first",
        "unreadable": f"unreadable PDF: {detail}",
        "pages": f"PDF has {detail} pages; the limit is {limits.pages}",
        "characters": f"PDF text is longer than {limits.characters} characters",
        "time": f"PDF took longer than {limits.seconds:g} s to read",
        "memory": f"PDF needs more than {limits.megabytes} MB to read",
        "crashed": f"the PDF reader crashed ({detail})",
    }
    return reasons.get(str(code), f"unreadable PDF ({code})")


def _checked_text(answer: dict[str, Any], *, path: Path | str) -> PdfText:
    """Trust nothing in the child's answer but its shape."""
    pages, title = answer.get("pages"), answer.get("title")
    if not isinstance(pages, list) or not all(isinstance(p, str) for p in pages) \
            or not (title is None or isinstance(title, str)):
        raise InputError(path, "the PDF reader gave a malformed answer")
    return PdfText(pages=tuple(pages), title=title)


# ------------------------------------------------------------------- parent

_LOCK = threading.Lock()  # one request at a time per process
_WORKER: _Worker | None = None


def _worker(megabytes: int) -> _Worker:
    """This process's child with this memory limit, started if needed.

    A child inherited through ``fork`` belongs to the parent process: its
    pipes are shared, so a forked process starts its own.
    """
    global _WORKER
    current = _WORKER
    if current is not None and (current.pid_owner != os.getpid() or current.megabytes != megabytes
                                or not current.alive()):
        if current.pid_owner == os.getpid():
            current.close()
        current = None
    if current is None:
        current = _WORKER = _Worker(megabytes)
    return current


class _Worker:
    """The parent's handle on one child process."""

    def __init__(self, megabytes: int) -> None:
        self.megabytes = megabytes
        self.pid_owner = os.getpid()
        # the child must import this very package, even when the parent found
        # it through a sys.path entry of its own (bench scripts, notebooks)
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "graph.pdfsafe", str(megabytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            close_fds=True, env=env)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def ask(self, raw: bytes, limits: PdfLimits, *, path: Path | str) -> dict[str, Any]:
        """Send one PDF and wait for the answer; kill the child on a breach."""
        header = {"size": len(raw), "seconds": limits.seconds, "pages": limits.pages,
                  "characters": limits.characters}
        deadline = time.monotonic() + limits.seconds + GRACE_SECONDS
        try:
            send_all(self.proc, json.dumps(header).encode() + b"\n" + raw, deadline)
            line = _receive_line(self.proc, deadline)
        except TimeoutError:
            self.close(kill=True)  # stuck in C code: the child's own timer did not fire
            return {"error": "time"}
        except OSError as exc:  # the child died (killed, or crashed in C code)
            return self._died(exc)
        if not line:
            return self._died(None)
        try:
            answer = json.loads(line)
        except ValueError:
            self.close(kill=True)
            return {"error": "crashed", "detail": "malformed answer"}
        if not isinstance(answer, dict):
            self.close(kill=True)
            return {"error": "crashed", "detail": "malformed answer"}
        if answer.get("error") == "memory":
            self.close()  # the child exits after such an answer; reap it now
        return answer

    def _died(self, exc: OSError | None) -> dict[str, Any]:
        self.close()
        code = self.proc.returncode
        if code is not None and code < 0:
            detail = f"killed by {signal.Signals(-code).name}"
            if -code == signal.SIGKILL:  # the kernel's OOM killer, usually
                return {"error": "memory"}
        else:
            detail = f"exit status {code}" if exc is None else str(exc)
        return {"error": "crashed", "detail": detail}

    def close(self, *, kill: bool = False) -> None:
        """End the child and reap it (no zombie, no ResourceWarning)."""
        if kill:
            self.proc.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=0.5)  # EOF on stdin makes an idle child exit
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _receive_line(proc: subprocess.Popen, deadline: float) -> bytes:
    """Read the child's answer line; empty if it died first."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while True:
            if not sel.select(max(deadline - time.monotonic(), 0)):
                raise TimeoutError
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b""
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                return b"".join(chunks)


atexit.register(shutdown)


# -------------------------------------------------------------------- child

class _OutOfTime(BaseException):
    """Raised by the interval timer; a BaseException so that pypdf's many
    ``except Exception`` recovery paths cannot swallow it."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _OutOfTime


def _extract(raw: bytes, *, pages: int, characters: int) -> dict[str, Any]:
    """Parse one PDF; every failure of the parser becomes an error answer."""
    import io

    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            return {"error": "encrypted"}
        count = len(reader.pages)
        if count > pages:
            return {"error": "pages", "detail": count}
        texts: list[str] = []
        total = 0
        for page in reader.pages:
            texts.append(page.extract_text() or "")
            total += len(texts[-1])
            if total > characters:
                return {"error": "characters"}
        meta = reader.metadata
        title = meta.get("/Title") if meta else None
    except (_OutOfTime, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means "unreadable", by design
        return {"error": "unreadable", "detail": str(exc) or type(exc).__name__}
    return {"pages": texts, "title": str(title) if title is not None else None}


def _serve(megabytes: int) -> None:
    """Answer requests on stdin until EOF (the parent closed or died)."""
    import logging
    import resource
    import warnings

    import pypdf  # noqa: F401 - imported before the limit so it is not counted against a PDF

    warnings.simplefilter("ignore")  # pypdf's complaints about sloppy PDFs are not errors
    logging.disable(logging.CRITICAL)
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _on_alarm)
    # Ctrl-C reaches the whole process group: the parent decides, and closing
    # our stdin is how it tells us to go
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        line = stdin.readline()
        if not line:
            return
        request = json.loads(line)
        raw = stdin.read(request["size"])
        try:
            signal.setitimer(signal.ITIMER_REAL, request["seconds"])
            answer = _extract(raw, pages=request["pages"], characters=request["characters"])
        except _OutOfTime:
            answer = {"error": "time"}
        except MemoryError:
            answer = {"error": "memory"}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        del raw
        stdout.write(json.dumps(answer).encode() + b"\n")
        stdout.flush()
        if answer.get("error") == "memory":
            return  # a fresh child is cheaper than trusting a heap that hit its limit


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
