"""`actorgraph serve` driven in a real headless Chromium: search, node pages, sources, questions, Cypher.

One server (a real `actorgraph serve` process on a free port, over the mini data set
with one hostile name) and one browser serve the whole module.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import Browser
from conftest import MINI_SOURCES, actorgraph
from test_serve import XSS, engine_servers, hostile_data


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("explorer")
    data = hostile_data(root / "data")
    home = root / "home"
    built = actorgraph("build", "--data", str(data), "--sources", str(MINI_SOURCES), "--home", str(home), "-q")
    assert built.returncode == 0, built.stderr
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("ACTORGRAPH_NEO4J_PASSWORD", None)
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "actorgraph.cli", "serve", "--port", "0", "--home", str(home), "--data", str(data),
         "--sources", str(MINI_SOURCES)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("actorgraph explorer: http://127.0.0.1:"), line + (
            proc.stderr.read() if proc.poll() else ""
        )
        base = line.split(": ", 1)[1].strip().rstrip("/")
        import urllib.request

        with urllib.request.urlopen(base + "/api/search?q=x", timeout=10) as response:
            assert response.status == 200
        print(f"server answered {time.monotonic() - started:.2f} s after start")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    # SIGTERM stops the explorer cleanly: its embedded engine's server is gone too
    assert proc.returncode == 0 and engine_servers(home) == []


@pytest.fixture(scope="module")
def browser():
    opened = Browser(offline=False)
    yield opened
    opened.close()


@pytest.fixture
def page(browser, server):
    browser.events.clear()
    yield browser
    assert browser.errors() == []
    assert browser.dialogs() == []
    assert [url for url in browser.requests() if not url.startswith((server, "data:"))] == []


def shot(browser, tmp_path, name):
    """A screenshot to look at: in the test's folder, or in $ACTORGRAPH_SCREENSHOTS if set."""
    folder = Path(os.environ.get("ACTORGRAPH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"explorer-{name}.png"
    browser.screenshot(path)
    assert path.stat().st_size > 5_000


NETWORK_READY = "document.querySelector('.network-box') && document.querySelector('.network-box').dataset.ready === '1'"


def test_search_a_cyrillic_name_open_the_node_and_its_neighbours(page, server, tmp_path):
    page.goto(server + "/")
    page.type_text("#q", "Мирзиёев")
    page.wait_for("document.querySelectorAll('#q-names option').length > 0")  # name completion answered
    assert page.evaluate("document.querySelector('#q-names option').value") == "Shavkat Mirziyoyev"
    before = page.evaluate("location.href")
    page.press_enter()
    page.wait_for(f"location.href !== '{before}' && document.readyState === 'complete'")
    assert "/search?q=" in page.evaluate("location.href")
    assert "Leader" in page.evaluate("document.querySelector('main').innerText")
    page.click_and_wait("ul.results a")
    assert page.evaluate("location.pathname") == "/node/person:shavkat-mirziyoyev"
    assert page.evaluate("document.querySelector('h1').innerText").startswith("Shavkat Mirziyoyev")
    assert "Шавкат Мирзиёев" in page.evaluate("document.querySelector('table.names').innerText")
    page.wait_for(NETWORK_READY)
    # click a neighbour in the network: its own neighbours join the picture
    before_nodes = page.evaluate("actorgraphNetworks[0].body.data.nodes.length")
    where = page.evaluate(
        "(function () { var n = actorgraphNetworks[0], box = document.querySelector('.network');"
        " box.scrollIntoView({block: 'center'}); var r = box.getBoundingClientRect();"
        " var p = n.canvasToDOM(n.getPosition('country:uzbekistan')); return {x: r.left + p.x, y: r.top + p.y}; })()"
    )
    page.mouse_click(where["x"], where["y"])
    page.wait_for("document.querySelector('.network-box').dataset.expanded === 'country:uzbekistan'")
    page.wait_for(f"actorgraphNetworks[0].body.data.nodes.length > {before_nodes}")
    assert page.evaluate("actorgraphNetworks[0].body.data.nodes.get('org:sco') !== null")
    # the year filter hides what is dated outside it
    dated = page.evaluate("actorgraphNetworks[0].body.data.nodes.length")
    page.type_text(".year-from", "2030")
    page.wait_for(f"actorgraphNetworks[0].body.data.nodes.length < {dated}")
    shot(page, tmp_path, "node")
    # follow a neighbour from the relationships
    page.click_and_wait("a.neighbour[href='/node/country:uzbekistan']")
    assert page.evaluate("document.querySelector('h1').innerText").startswith("Uzbekistan")


def test_an_evidence_link_opens_the_source_at_its_line(page, server, tmp_path):
    page.goto(server + "/node/person:shavkat-mirziyoyev")
    url = page.click_and_wait("p.provenance a.evidence")
    assert "/source/source:mini?line=3" in url and url.endswith("#L3")
    assert page.evaluate("document.querySelector(':target').id") == "L3"
    assert (
        page.evaluate("document.querySelector(':target mark').textContent")
        == "President Mirziyoyev (Мирзиёев) leads Uzbekistan"
    )
    assert page.evaluate("getComputedStyle(document.querySelector(':target')).backgroundColor") == "rgb(255, 230, 128)"
    assert page.evaluate("document.querySelectorAll('li.near').length") == 4  # two lines either side
    shot(page, tmp_path, "source")


def test_a_catalogue_question_a_cypher_query_and_a_refused_write(page, server, tmp_path):
    page.goto(server + "/ask/shared_memberships")
    page.type_text("input[name=a]", "Казахстан")
    page.wait_for("document.querySelectorAll('#names-a option').length > 0")
    page.type_text("input[name=b]", "Өзбекстан")
    page.click_and_wait("form.ask button")
    assert "Shanghai Cooperation Organisation" in page.evaluate("document.querySelector('table.answer').innerText")
    page.wait_for(NETWORK_READY)
    assert page.evaluate("actorgraphNetworks[0].body.data.nodes.length") >= 3
    shot(page, tmp_path, "question")

    page.goto(server + "/cypher")
    page.type_text(
        "textarea[name=q]", "MATCH (p:Leader)-[r:LEADS]->(c:Country) RETURN p.name AS leader, c.name AS country, c"
    )
    page.click_and_wait("form.cypher button")
    assert "Shavkat Mirziyoyev" in page.evaluate("document.querySelector('table.answer').innerText")
    page.wait_for(NETWORK_READY)
    shot(page, tmp_path, "cypher")
    page.goto(server + "/cypher")
    page.type_text("textarea[name=q]", "MATCH (n) DETACH DELETE n")
    page.click_and_wait("form.cypher button")
    assert "read-only" in page.evaluate("document.querySelector('.problem').innerText")
    page.goto(server + "/node/country:uzbekistan")  # still there
    assert page.evaluate("document.querySelector('h1').innerText").startswith("Uzbekistan")


def test_hostile_names_render_as_text_on_every_page(page, server):
    for path in (
        "/search?q=onerror",
        "/node/person:john-doe",
        "/node/claim:john-doe-declaration",
        "/node/agreement:2021-kz-uz-allied-relations",
        "/ask/expert_views?run=1",
        "/cypher?q=" + quote("MATCH (p:Researcher) RETURN p.name AS name, p"),
        "/search?q=" + quote(XSS),
    ):
        page.goto(server + path)
        if page.evaluate("document.querySelector('.network-box') !== null"):
            page.wait_for(NETWORK_READY)
        assert page.evaluate("window.__xss") is None, path
        assert page.evaluate("document.querySelectorAll('img').length") == 0, path
        assert XSS in page.evaluate("document.body.innerText"), path
