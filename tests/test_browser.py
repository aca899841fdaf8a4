"""A real headless browser (Debian's Chromium driven by Playwright for Python) on a live server.

Needs Debian's ``chromium`` and the ``playwright`` Python package (a test
extra); Playwright's own browser download is never used::

    apt-get install -y chromium && pip install -e '.[test]'

Without them the tests FAIL saying so, unless ``HRDKG_SKIP_BROWSER=1`` is set
(then they are skipped).  Screenshots go to ``$HRDKG_ARTEFACTS/browser``
(default: the test's temporary directory).
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.build import build_graph
from graph.facts import load_facts
from web_support import ASA, BASE, fixture_store, live_server

CHROMIUM = "/usr/bin/chromium"
INSTALL = "apt-get install -y chromium && pip install -e '.[test]'"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-dev-shm-usage"]
XSS_NAME = "<script>alert(1)</script>"
XSS_TITLE = 'Defender "><img src=x onerror=alert(2)> detained'


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return f"the browser tests need Debian's chromium at {CHROMIUM}: install with `{INSTALL}`"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"the browser tests need the playwright package: install with `{INSTALL}`"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    reason = _missing()
    if reason:
        if os.environ.get("HRDKG_SKIP_BROWSER") == "1":
            pytest.skip(reason + " (skipped because HRDKG_SKIP_BROWSER=1)")
        pytest.fail(reason + "; or set HRDKG_SKIP_BROWSER=1 to skip these tests", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # Debian's Chromium, never a browser downloaded by `playwright install`
        chromium = pw.chromium.launch(executable_path=shutil.which("chromium") or CHROMIUM, args=FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _hostile_statement(folder: Path) -> Path:
    """A public statement about a defender whose name is a script, titled with an attribute injection."""
    text = f"Police detained the defender {XSS_NAME} in Baku on 1 May 2024."
    start = text.index(XSS_NAME)
    facts = {"hrdkg_facts": 1,
             "statement": {"id": "web-xss-2024", "title": XSS_TITLE, "issued": "2024-05-02", "country": "AZ"},
             "entities": [{"id": "x", "type": "HumanRightsDefender", "name": XSS_NAME, "country": "AZ",
                           "evidence": [{"start": start, "end": start + len(XSS_NAME), "quote": XSS_NAME}]}],
             "events": [], "text": text}
    path = folder / "web-xss-2024.facts.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    store = fixture_store(folder / "store")
    store.put_statement(build_graph(load_facts(_hostile_statement(folder))))
    store.close()
    with live_server(folder / "store") as url:
        yield url


@pytest.fixture()
def artefacts(tmp_path) -> Path:
    folder = Path(os.environ.get("HRDKG_ARTEFACTS", tmp_path)) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture()
def page(browser) -> Iterator[object]:
    """A fresh page that records console errors and dialogs (there must be none)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.problems = []  # console errors (CSP violations included) and dialogs
    tab.on("console", lambda msg: tab.problems.append(f"console {msg.type}: {msg.text}")
           if msg.type == "error" else None)
    tab.on("dialog", lambda dialog: (tab.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    try:
        yield tab
    finally:
        context.close()


def test_entity_page_draws_its_neighbourhood_and_a_click_opens_a_node(page, site, artefacts):
    page.goto(site + "/")
    assert "Human rights defenders" in page.inner_text("h1")
    page.click("nav >> text=Defenders")
    page.wait_for_url("**/class/HumanRightsDefender")
    page.click("text=Åsa Lindqvist-Ørsted")
    page.wait_for_url("**/id/" + ASA[len(BASE):])
    assert page.inner_text("h1") == "Åsa Lindqvist-Ørsted"
    # the drawing: Cytoscape sets data-nodes once the nodes are laid out
    page.wait_for_function("() => Number(document.getElementById('graph').dataset.nodes || 0) > 1")
    graph = page.locator("#graph")
    graph.scroll_into_view_if_needed()
    page.screenshot(path=str(artefacts / "entity.png"), full_page=True)
    target = page.evaluate("""(self) => {
        const cy = window.hrdkgGraph;
        const node = cy.nodes().filter(n => n.data('label') === 'Rauf Mammadov')[0]
                  || cy.nodes().filter(n => n.id() !== self)[0];
        const p = node.renderedPosition();
        return {x: p.x, y: p.y, href: node.data('href'), label: node.data('label')};
    }""", ASA)
    box = graph.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])  # a real click on the drawn node
    page.wait_for_url("**" + target["href"])
    assert page.inner_text("h1") == target["label"]
    page.screenshot(path=str(artefacts / "clicked-node.png"))
    assert not page.problems, page.problems


def test_a_saved_query_runs_in_the_editor(page, site, artefacts):
    page.goto(site + "/editor")
    page.wait_for_selector(".yasqe")
    page.click("button.run-saved[data-name='courts-by-convictions']")
    cell = page.locator(".yasr table tbody td", has_text="Baku Grave Crimes Court").first
    cell.wait_for()
    rows = page.locator(".yasr table tbody tr").count()
    assert rows >= 1
    page.screenshot(path=str(artefacts / "editor.png"), full_page=True)
    links = page.eval_on_selector_all(".yasr table tbody a", "as => as.map(a => a.href)")
    assert any(link.startswith(site + "/id/court/") for link in links), links  # IRIs open our entity pages
    assert not page.problems, page.problems


def test_a_defender_named_script_shows_as_text_and_runs_nothing(page, site, artefacts):
    page.goto(site + "/search?q=script")
    page.click(f"text={XSS_NAME}")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == XSS_NAME
    page.wait_for_function("() => Number(document.getElementById('graph').dataset.nodes || 0) >= 1")
    page.goto(site + "/class/Statement")
    assert page.locator("a", has_text=XSS_TITLE).count() == 1
    page.click(f"text={XSS_TITLE}")
    page.wait_for_selector(".statement .text")
    assert XSS_NAME in page.inner_text(".statement .text")
    page.screenshot(path=str(artefacts / "hostile-names.png"), full_page=True)
    assert page.evaluate("() => document.querySelectorAll('main script, main img').length") == 0
    assert not page.problems, page.problems  # no alert() dialog opened, no script blocked by CSP either
