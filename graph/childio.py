"""Talking to a child process with a deadline: the helpers that both kinds
of guarded child (:mod:`graph.pdfsafe`, :mod:`graph.query_pool`) share."""
from __future__ import annotations

import os
import selectors
import subprocess
import time


def send_all(proc: subprocess.Popen, data: bytes, deadline: float) -> None:
    """Write all of ``data`` to the child's stdin before ``deadline`` (a
    :func:`time.monotonic` time); a child that stops reading cannot block us.

    :raises TimeoutError: if the deadline passes first.
    """
    assert proc.stdin is not None
    fd = proc.stdin.fileno()
    view = memoryview(data)
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_WRITE)
        while view:
            if not sel.select(max(deadline - time.monotonic(), 0)):
                raise TimeoutError
            written = os.write(fd, view[:1 << 16])
            view = view[written:]
