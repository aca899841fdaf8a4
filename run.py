#!/usr/bin/env python3
"""Set up and run hrdkg on a fresh machine with nothing but Python 3.11+.

    python3 run.py demo   # venv + install, ingest data/ into ./demo-store, serve on :8080
    python3 run.py test   # venv + install (with test extras and a headless browser), run pytest

Everything goes into .venv/ beside this file; nothing is installed globally
except, for the tests, Debian's chromium and raptor2-utils
packages when they are missing and we are allowed to install them (root).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def sh(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(map(str, args)), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, env=env)


def ensure_venv(extras: str = "") -> None:
    """Create .venv and install the project (editable) with ``extras``."""
    if sys.version_info < (3, 11):
        sys.exit(f"hrdkg needs Python 3.11 or newer, this is {sys.version.split()[0]}")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    target = f".[{extras}]" if extras else "."
    sh(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)


#: Programs the tests run for real, and the Debian packages that provide them.
TEST_TOOLS = {
    "chromium": ("chromium", "HRDKG_SKIP_BROWSER"),  # Playwright drives Debian's Chromium in the browser tests
    "rapper": ("raptor2-utils", "HRDKG_SKIP_RAPPER"),  # an independent RDF parser checks the exports
}


def ensure_test_tools() -> None:
    """Install the Debian packages the tests need when they are missing (as root)."""
    missing = sorted({pkg for tool, (pkg, skip) in TEST_TOOLS.items()
                      if not shutil.which(tool) and os.environ.get(skip) != "1"})
    if not missing:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        sh("apt-get", "update", "-qq", env=env)
        sh("apt-get", "install", "-y", "-qq", *missing, env=env)
    else:
        print(f"missing test tools: install the Debian packages {' '.join(missing)}, or set "
              "HRDKG_SKIP_BROWSER=1 / HRDKG_SKIP_RAPPER=1 to skip the tests that need them", flush=True)


def demo() -> None:
    ensure_venv()
    store = os.environ.get("HRDKG_STORE", str(ROOT / "demo-store"))
    hrdkg = BIN / "hrdkg"
    sh(hrdkg, "--store", store, "ingest", ROOT / "data")
    sh(hrdkg, "--store", store, "stats")
    port = os.environ.get("PORT", "8080")
    os.execv(str(hrdkg), [str(hrdkg), "--store", store, "serve", "--port", port])


def test() -> None:
    ensure_venv("test")
    ensure_test_tools()
    os.execv(str(PY), [str(PY), "-m", "pytest", "-q", *sys.argv[2:]])


if __name__ == "__main__":
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]]()
