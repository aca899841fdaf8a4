"""Shared by the web tests: a store filled from the hand-made facts files of tests/fixtures/web/.

The fixtures: two public statements about the defender Åsa Lindqvist-Ørsted
(arrested with the journalist Rauf Mammadov, sentenced to 8 years, later
fined AZN 500, both under Article 206 of the Criminal Code of Azerbaijan)
and one **restricted** statement naming Zaur Hidden (and Åsa), which must
never show publicly.
"""
from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.build import build_graph
from graph.facts import load_facts
from graph.store import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures" / "web"
BASE = "https://w3id.org/hrdkg/id/"
ASA = BASE + "person/az/asa-lindqvist-orsted"
RAUF = BASE + "person/az/rauf-mammadov"
ZAUR = BASE + "person/az/zaur-hidden"
COURT = BASE + "court/az/baku-grave-crimes-court"
PUBLIC_STATEMENT = BASE + "statement/web-arrest-2024"
FINE_STATEMENT = BASE + "statement/web-fine-2024"
RESTRICTED_STATEMENT = BASE + "statement/web-restricted-2024"


def fill(store: Store, *, restricted: bool = True) -> Store:
    """Put every fixture statement in ``store`` (restricted ones as restricted,
    or not at all with ``restricted=False``)."""
    for path in sorted(FIXTURES.glob("*.facts.json")):
        facts = load_facts(path)
        if facts.statement.restricted and not restricted:
            continue
        store.put_statement(build_graph(facts), public=not facts.statement.restricted)
    return store


def fixture_store(path: Path | None = None, *, restricted: bool = True) -> Store:
    """A store (in memory, or on disk at ``path``) holding the fixtures
    (without the restricted statement if ``restricted=False``)."""
    return fill(open_store(path), restricted=restricted)


# ----------------------------------------------------------- a live server
_SERVER = textwrap.dedent("""
    import sys
    from webui import create_app
    from webui.server import serve
    app = create_app({"STORE_PATH": sys.argv[1], "QUERY_TIMEOUT": float(sys.argv[3])})
    serve(app, host="127.0.0.1", port=int(sys.argv[2]), threads=4)
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(store_dir: Path, *, query_timeout: float = 30,
                env: dict[str, str] | None = None) -> Iterator[str]:
    """waitress serving the app over ``store_dir`` in a subprocess on a free
    port of 127.0.0.1; yields the base URL and stops the server afterwards."""
    port = free_port()
    with server_process([sys.executable, "-c", _SERVER, str(store_dir), str(port), str(query_timeout)],
                        port, env=env) as url:
        yield url


@contextmanager
def server_process(argv: list[str], port: int, *, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run the server command ``argv`` listening on ``port`` of 127.0.0.1; wait
    until it answers ``/``, yield its base URL, and stop it afterwards."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"the server did not start: {proc.communicate()[0].decode()}") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()  # type: ignore[union-attr]
