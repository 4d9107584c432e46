"""Maps opened in a real headless Chromium, offline: they draw, settle, stay safe."""

from __future__ import annotations

import os

import pytest
from browser import Browser
from conftest import ARTICLE_DATA, REPO, SHARED_SOURCES

from actorgraph.commands.demo import EGO_TITLE, EGO_TYPES
from actorgraph.commands.viz import MAIN_MAP_LABELS
from actorgraph.graph.nodelink import read_node_link
from actorgraph.loaders import build_graph, load_dataset
from actorgraph.queries.resolve import fold, loose, resolve_among
from actorgraph.viz.maps import COMMUNITY_COLOURS, select, short_label, write_map

MEASURE = (REPO / "tests" / "map_measure.js").read_text(encoding="utf-8")
MAIN_TITLE = "Kazakhstan–Uzbekistan relations and Central Asian cooperation"

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
    # links the article does not state as fact (expected, planned, ...) are drawn dashed, and the panel says so
    chosen = select(article_graph, labels=MAIN_MAP_LABELS)
    hedged = sum(link.get("modality", "stated") != "stated" for link in chosen["links"])
    assert browser.evaluate("network.body.data.edges.get().filter(function (e) { return e.dashes; }).length") == hedged
    assert hedged > 0 and "Dashed lines: not stated as fact" in browser.evaluate("document.body.innerText")
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


MAPS = {
    "main": {"title": MAIN_TITLE, "labels": MAIN_MAP_LABELS},
    "mirziyoyev-2-hops": {"focus": "Мирзиёев", "hops": 2},
    "kz-uz": {"title": EGO_TITLE, "focus": ["Kazakhstan", "Uzbekistan"], "hops": 1, "types": EGO_TYPES},
}
SCREENSHOTS = {"main": "map.png", "kz-uz": "map-kz-uz.png"}


@pytest.mark.parametrize("name", list(MAPS))
def test_settled_labels_do_not_overlap_nor_hide_under_the_legend(browser, article_graph, tmp_path, name):
    """The label boxes vis-network drew, read from the page: none overlaps another, none is under the panel."""
    path = tmp_path / f"{name}.html"
    write_map(article_graph, path, **MAPS[name])
    browser.open(path)
    measured = browser.evaluate(MEASURE)
    shown = select(article_graph, **{k: v for k, v in MAPS[name].items() if k != "title"})
    neighbours: dict[str, set[str]] = {node["id"]: set() for node in shown["nodes"]}
    for link in shown["links"]:
        neighbours[link["source"]].add(link["target"])
        neighbours[link["target"]].add(link["source"])
    assert measured["labels"] == len(shown["nodes"])
    # the page's degrees are the data's, so the check covers every well-connected node
    assert measured["degree3"] == sum(len(ids) >= 3 for ids in neighbours.values()) > 0
    assert measured["overlaps"] == [], f"{len(measured['overlaps'])} overlapping labels"
    assert measured["underPanel"] == []
    assert browser.errors() == []
    shot = tmp_path / f"{name}.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 20_000
    if os.environ.get("ACTORGRAPH_UPDATE_SCREENSHOT") == "1" and name in SCREENSHOTS:
        (REPO / "docs").mkdir(exist_ok=True)
        browser.screenshot(REPO / "docs" / SCREENSHOTS[name])


def test_focus_is_marked_and_centred(browser, article_graph, tmp_path):
    path = tmp_path / "focus.html"
    write_map(article_graph, path, **MAPS["mirziyoyev-2-hops"])
    browser.open(path)
    focus = "person:shavkat-mirziyoyev"
    assert browser.evaluate("document.title") == "Shavkat Mirziyoyev and everything within 2 steps"
    assert browser.evaluate(f"network.body.nodes['{focus}'].options.borderWidth") == 5
    centre = browser.evaluate("network.getViewPosition()")
    where = browser.evaluate(f"network.getPositions(['{focus}'])['{focus}']")
    assert abs(centre["x"] - where["x"]) < 1 and abs(centre["y"] - where["y"]) < 1
    others = browser.evaluate(
        "network.body.data.nodes.get().filter(function (n) { return n.borderWidth === 5; }).length"
    )
    assert others == 1


def test_legend_find_size_colour_year_and_kind_filters(browser, article_graph, tmp_path):
    path = tmp_path / "main.html"
    write_map(article_graph, path, **MAPS["main"])
    browser.open(path)
    legend = browser.evaluate("document.getElementById('legend').innerText")
    assert "Agreement: box" in legend and "Place: triangle pointing down" in legend and "Country: star" in legend
    assert "triangleDown" not in legend and browser.evaluate("document.querySelectorAll('#legend svg').length") >= 5
    shows = browser.evaluate("document.getElementById('shows').innerText")
    assert "141 nodes" in shows or "nodes (" in shows
    # long names: at most two short lines on the canvas, the whole name first in the tooltip
    treaty = "agreement:2021-kz-uz-declaration-on-allied-relations"
    label = browser.evaluate(f"network.body.data.nodes.get('{treaty}').label")
    assert len(label.split("\n")) <= 2 and all(len(line) <= 22 for line in label.split("\n"))
    full = next(n["name"] for n in article_graph["nodes"] if n["id"] == treaty)
    assert browser.evaluate(f"network.body.data.nodes.get('{treaty}').title.firstChild.textContent") == full

    # Find: the page folds spellings exactly as the resolver does, for every spelling of every node
    spellings = sorted(
        {
            str(s)
            for n in article_graph["nodes"]
            for s in (n.get("name"), n.get("name_kk"), n.get("name_ru"), *(n.get("aliases") or []))
            if s
        }
    )
    import json

    page_keys = browser.evaluate(
        f"JSON.stringify({json.dumps(spellings)}.map(function (s) {{ return [actorgraphFold(s), actorgraphLoose(s)]; }}))"
    )
    assert json.loads(page_keys) == [[fold(s), loose(s)] for s in spellings]
    for typed in ("Мирзиёев", "Мирзиеев", "mirziyoev", "Mirziyoyev", "МИРЗИЁЕВ", "Өзбекстан", "Tashkent"):
        browser.evaluate(
            f"var s=document.getElementById('search'); s.value={json.dumps(typed)}; document.getElementById('search-go').click()"
        )
        expected = resolve_among(article_graph["nodes"], typed).id
        assert browser.evaluate("network.getSelectedNodes()") == [expected], typed

    # size by PageRank and colour by community, from the panel
    browser.evaluate(
        "var s=document.getElementById('size-by'); s.value='pagerank'; s.dispatchEvent(new Event('change'))"
    )
    sizes = browser.evaluate("network.body.data.nodes.get().map(function (n) { return n.size; })")
    assert len(set(sizes)) > 10
    browser.evaluate(
        "var s=document.getElementById('colour-by'); s.value='community'; s.dispatchEvent(new Event('change'))"
    )
    colours = set(browser.evaluate("network.body.data.nodes.get().map(function (n) { return n.color.background; })"))
    assert colours <= set(COMMUNITY_COLOURS) and len(colours) > 2
    assert browser.evaluate("document.getElementById('communities').hidden") is False

    # years: things dated before 2022 leave the map; undated ones stay
    browser.evaluate("var f=document.getElementById('year-from'); f.value='2022'; f.dispatchEvent(new Event('input'))")
    shown = set(browser.evaluate("network.body.data.nodes.getIds()"))
    expected = {n["id"] for n in select(article_graph, labels=MAIN_MAP_LABELS, year_from=2022)["nodes"]}
    assert shown == expected and len(shown) < 141
    # kinds: unticking Agreement hides every agreement
    browser.evaluate("var box=document.querySelector('#legend input[aria-label=\"Show Agreement\"]'); box.click()")
    assert not [i for i in browser.evaluate("network.body.data.nodes.getIds()") if i.startswith("agreement:")]
    # relationship types: unticking MEMBER_OF hides those lines
    assert "MEMBER_OF" in browser.evaluate("network.body.data.edges.get().map(function (e) { return e.label; })")
    browser.evaluate("document.querySelector('#types input[aria-label=\"Show MEMBER_OF\"]').click()")
    assert "MEMBER_OF" not in browser.evaluate("network.body.data.edges.get().map(function (e) { return e.label; })")
    assert browser.errors() == []


def test_ego_map_of_kazakhstan_and_uzbekistan(browser, article_graph, tmp_path):
    path = tmp_path / "ego.html"
    shown = write_map(
        article_graph,
        path,
        focus="Өзбекстан",
        hops=1,
        types=["COOPERATES_WITH", "PARTY_TO", "TRADES_WITH", "INVESTED_IN", "MEMBER_OF", "PARTICIPATED_IN"],
    )
    assert shown["nodes"] > 10
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
    assert browser.evaluate("network.body.data.nodes.get('person:x').label") == short_label(XSS_NAME)
    assert browser.evaluate("network.body.data.nodes.get('person:x').title.firstChild.textContent") == XSS_NAME
    # hovering shows the tooltip, built as text
    browser.evaluate("var t = network.body.data.nodes.get('person:x').title; document.body.appendChild(t); 0")
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert browser.evaluate("window.__xss") is None
