"""Maps opened in a real headless Chromium, offline: they draw, settle, stay safe."""

from __future__ import annotations

import os

import pytest
from browser import Browser
from conftest import ARTICLE_DATA, REPO, SHARED_SOURCES

from actorgraph.commands.viz import MAIN_MAP_LABELS
from actorgraph.graph.nodelink import read_node_link
from actorgraph.loaders import build_graph, load_dataset
from actorgraph.viz.maps import select, write_map

XSS_NAME = '<img src=x onerror="window.__xss=1;alert(1)">'
XSS_TITLE = "</title><script>window.__xss=2</script>"


@pytest.fixture(scope="module")
def browser():
    opened = Browser()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def article_graph(tmp_path_factory):
    from actorgraph.graph import open_engine

    if not (SHARED_SOURCES / "000_1c9682e6c6472fdb.txt").is_file():
        pytest.skip("the article's text is not here")
    engine = open_engine("embedded", home=tmp_path_factory.mktemp("browser-home"))
    try:
        build_graph(engine, load_dataset(ARTICLE_DATA, [SHARED_SOURCES]))
        return read_node_link(engine)
    finally:
        engine.close()


def test_article_map_draws_offline_and_settles(browser, article_graph, tmp_path):
    path = tmp_path / "article.html"
    shown = write_map(
        article_graph,
        path,
        title="Kazakhstan–Uzbekistan relations and Central Asian cooperation",
        labels=MAIN_MAP_LABELS,
    )
    seconds = browser.open(path)
    assert seconds < 30
    assert browser.evaluate("network.body.data.nodes.length") == shown["nodes"]
    assert browser.evaluate("network.body.data.edges.length") == shown["edges"]
    legend = browser.evaluate("document.getElementById('legend').innerText")
    assert "Country" in legend and "Agreement" in legend and "Claim" not in legend
    assert browser.errors() == []
    assert [url for url in browser.requests() if not url.startswith(("file://", "data:"))] == []
    # search finds a node by part of its name
    browser.evaluate(
        "var s=document.getElementById('search'); s.value='mirziyo'; s.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}))"
    )
    assert browser.evaluate("network.getSelectedNodes()") == ["person:shavkat-mirziyoyev"]
    browser.evaluate("network.unselectAll(); network.fit()")
    shot = tmp_path / "article.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 20_000
    if os.environ.get("ACTORGRAPH_UPDATE_SCREENSHOT") == "1":
        (REPO / "docs").mkdir(exist_ok=True)
        browser.screenshot(REPO / "docs" / "map.png")


def test_ego_map_of_kazakhstan_and_uzbekistan(browser, article_graph, tmp_path):
    path = tmp_path / "ego.html"
    shown = write_map(
        article_graph,
        path,
        focus="Өзбекстан",
        hops=1,
        types=["COOPERATES_WITH", "PARTY_TO", "TRADES_WITH", "INVESTED_IN", "MEMBER_OF", "PARTICIPATED_IN"],
    )
    browser.open(path)
    ids = set(browser.evaluate("network.body.data.nodes.getIds()"))
    expected = {
        node["id"]
        for node in select(
            article_graph,
            focus="Uzbekistan",
            hops=1,
            types=["COOPERATES_WITH", "PARTY_TO", "TRADES_WITH", "INVESTED_IN", "MEMBER_OF", "PARTICIPATED_IN"],
        )["nodes"]
    }
    assert ids == expected and len(ids) == shown["nodes"]
    assert {"country:uzbekistan", "country:kazakhstan", "org:sco"} <= ids


def test_hostile_names_stay_text(browser, tmp_path):
    data = {
        "nodes": [
            {
                "id": "person:x",
                "labels": ["Actor", "Person"],
                "name": XSS_NAME,
                "evidence": "<script>window.__xss=3</script>",
                "line": 1,
                "source": "s",
            },
            {
                "id": "country:y",
                "labels": ["Actor", "Country"],
                "name": "Y \" ' ` } $ // \u202e \u200b 🙂",
                "line": 2,
                "source": "s",
                "evidence": "e",
            },
        ],
        "links": [
            {
                "source": "person:x",
                "target": "country:y",
                "type": "NATIONAL_OF",
                "evidence": "<b onmouseover=alert(2)>x</b>",
                "line": 1,
                "evidence_source": "s",
            }
        ],
    }
    path = tmp_path / "xss.html"
    write_map(data, path, title=XSS_TITLE)
    browser.open(path)
    assert browser.evaluate("window.__xss") is None
    assert browser.dialogs() == []
    assert browser.evaluate("document.title") == XSS_TITLE
    assert browser.evaluate("document.getElementById('map-title').textContent") == XSS_TITLE
    assert browser.evaluate("network.body.data.nodes.get('person:x').label") == XSS_NAME
    # hovering shows the tooltip, built as text
    browser.evaluate("var t = network.body.data.nodes.get('person:x').title; document.body.appendChild(t); 0")
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert browser.evaluate("window.__xss") is None
