"""A real headless browser (Debian's Chromium driven by Selenium) on a live server.

Needs ``chromium`` and ``chromium-driver``::

    apt-get install -y chromium chromium-driver

Without them the test FAILS saying so, unless ``HRDKG_SKIP_BROWSER=1`` is set
(then it is skipped).  Screenshots go to ``$HRDKG_ARTEFACTS`` (default: the
test's temporary directory).
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from web_support import ASA, BASE, fixture_store, live_server

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
INSTALL = "apt-get install -y chromium chromium-driver"


def _browser_or_reason() -> str | None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).exists() or shutil.which(Path(p).name))]
    if missing:
        return f"headless browser test needs {', '.join(missing)}: install with `{INSTALL}`"
    return None


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    reason = _browser_or_reason()
    if reason:
        if os.environ.get("HRDKG_SKIP_BROWSER") == "1":
            pytest.skip(reason + " (skipped because HRDKG_SKIP_BROWSER=1)")
        pytest.fail(reason + "; or set HRDKG_SKIP_BROWSER=1 to skip this test", pytrace=False)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=1400,1000"):
        options.add_argument(flag)
    # an explicit chromedriver: Selenium Manager would try to download one
    browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    store_dir = tmp_path_factory.mktemp("browser") / "store"
    fixture_store(store_dir).close()
    with live_server(store_dir) as url:
        yield url


@pytest.fixture()
def artefacts(tmp_path) -> Path:
    folder = Path(os.environ.get("HRDKG_ARTEFACTS", tmp_path)) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait(driver, condition, timeout: float = 20):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def test_home_to_defender_page_and_its_graph(driver, site, artefacts):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver.get(site + "/")
    assert "Human rights defenders" in driver.find_element(By.TAG_NAME, "h1").text
    driver.find_element(By.LINK_TEXT, "Defenders").click()
    wait(driver, lambda d: "/class/HumanRightsDefender" in d.current_url)
    driver.find_element(By.LINK_TEXT, "Åsa Lindqvist-Ørsted").click()
    wait(driver, lambda d: d.current_url.endswith("/id/" + ASA[len(BASE):]))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Åsa Lindqvist-Ørsted"
    assert "woman human rights defender Åsa Lindqvist-Ørsted" in driver.page_source
    # the neighbourhood drawing: nodes drawn, and clicking one opens its page
    wait(driver, lambda d: int(d.find_element(By.ID, "graph").get_attribute("data-nodes") or 0) > 1)
    box = driver.find_element(By.ID, "graph")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    driver.save_screenshot(str(artefacts / "entity.png"))
    target = driver.execute_script("""
        const node = window.hrdkgGraph.nodes().filter(n => n.data('label') === 'Rauf Mammadov')[0]
                  || window.hrdkgGraph.nodes().filter(n => n.id() !== arguments[0])[0];
        const p = node.renderedPosition();
        return {x: p.x, y: p.y, href: node.data('href')};""", ASA)
    size = box.size
    ActionChains(driver).move_to_element_with_offset(
        box, int(target["x"] - size["width"] / 2), int(target["y"] - size["height"] / 2)).click().perform()
    wait(driver, lambda d: d.current_url.endswith(target["href"]))
    assert driver.find_element(By.TAG_NAME, "h1").text


def test_saved_query_runs_in_the_editor(driver, site, artefacts):
    from selenium.webdriver.common.by import By

    driver.get(site + "/editor")
    wait(driver, lambda d: d.execute_script("return !!document.querySelector('.yasqe')"))
    driver.find_element(By.CSS_SELECTOR, "button.run-saved[data-name='courts-by-convictions']").click()
    cells = wait(driver, lambda d: [c for c in d.find_elements(By.CSS_SELECTOR, ".yasr table tbody td")
                                    if "Baku Grave Crimes Court" in c.text])
    assert cells
    driver.save_screenshot(str(artefacts / "editor.png"))
    # result IRIs open our own entity pages
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".yasr table tbody a")]
    assert any(link.startswith(site + "/id/court/") for link in links), links
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] if hasattr(driver, "get_log") else []
    assert not errors, errors
