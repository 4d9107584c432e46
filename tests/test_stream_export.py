"""Exports written from a spool (read a page at a time, records given back sorted) are the same bytes as
exports of the whole graph held in memory, on both engines, for every format.

The graph is the article's, plus values chosen to catch what a streamed writer could get
wrong: parallel relationships with and without ids, lists holding the CSV delimiter,
multi-line text, floats, booleans, a property whose values disagree on their type.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import ARTICLE_DATA, SHARED_SOURCES

from actorgraph.graph.nodelink import read_node_link, with_metadata
from actorgraph.graph.spool import InMemory, Spool, read_spool
from actorgraph.loaders import build_graph, load_dataset
from actorgraph.viz.nodelink_json import JSON_CODEC, write_node_link

pytestmark = pytest.mark.skipif(
    not SHARED_SOURCES.is_dir(), reason="the article's text (../shared/sources) is not here"
)

ODD = [
    "CREATE (:Actor:Person {id: 'person:zz-a', name: 'Zz A', aliases: ['x;y', 'z'], score: 1.5, flag: true, "
    "note: 'two\nlines', mixed: 3})",
    "CREATE (:Actor:Person {id: 'person:zz-b', name: 'Zz \"B\" <&>', mixed: 'three', weights: [1.5, 2.5]})",
    "MATCH (a:Actor {id: 'person:zz-a'}), (b:Actor {id: 'person:zz-b'}) "
    "CREATE (a)-[:COOPERATES_WITH {domain: 'trade'}]->(b), (a)-[:COOPERATES_WITH {domain: 'water'}]->(b), "
    "(a)-[:COOPERATES_WITH {id: 'person:zz-a>COOPERATES_WITH>person:zz-b#gas', amount: 2.0}]->(b), "
    "(b)-[:COOPERATES_WITH {id: 'dup', line: 3}]->(a), (a)-[:MEMBER_OF {id: 'dup', line: 4}]->(b)",
]


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def graph(request, tmp_path_factory):
    from conftest import open_test_engine

    engine = open_test_engine(request.param, request, tmp_path_factory.mktemp("stream-home"))
    build_graph(engine, load_dataset(ARTICLE_DATA, [SHARED_SOURCES, ARTICLE_DATA / "sources"]))
    for cypher in ODD:
        engine.run(cypher, write=True)
    yield engine
    engine.close()


@pytest.fixture(scope="module", params=["marshal", "json"])
def spool(graph, request):
    """A spool of the graph: records kept by marshal, or as the JSON export's text."""
    with Spool(**({"codec": JSON_CODEC} if request.param == "json" else {})) as spool:
        read_spool(graph, spool)
        yield spool


def test_the_spool_gives_back_the_sorted_graph(graph, spool):
    data = read_node_link(graph)
    assert list(spool.nodes()) == data["nodes"]
    assert list(spool.links()) == data["links"]
    assert (spool.tally.nodes, spool.tally.links) == (len(data["nodes"]), len(data["links"])) > (100, 100)
    assert spool.parallel() == InMemory(data).parallel() != set()
    assert sorted(spool.tally.source_ids) == sorted(InMemory(data).tally.source_ids) != []


def test_streamed_json_is_the_bytes_json_dump_writes(graph, spool):
    data = read_node_link(graph)
    whole = json.dumps(with_metadata(data, exported_at="2026-01-01T00:00:00Z"), ensure_ascii=False, indent=1) + "\n"
    stream = io.StringIO()
    write_node_link(spool, stream, exported_at="2026-01-01T00:00:00Z")
    assert stream.getvalue() == whole
    assert '"score": 1.5' in whole and '"weights": [\n    1.5,' in whole and "two\\nlines" in whole


def test_the_json_exports_own_spool_writes_the_same_bytes(graph):
    """`export -f json` spools records as their text and tallies only counts and Source ids."""
    data = read_node_link(graph)
    whole = json.dumps(with_metadata(data, exported_at="2026-01-01T00:00:00Z"), ensure_ascii=False, indent=1) + "\n"
    with Spool(codec=JSON_CODEC, values=False, parallel=False) as lean:
        read_spool(graph, lean)
        stream = io.StringIO()
        write_node_link(lean, stream, exported_at="2026-01-01T00:00:00Z")
        assert lean.tally.node_signatures == lean.tally.link_signatures == {}
    assert stream.getvalue() == whole


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "csv", "ftm"])
def test_every_format_from_the_spool_matches_the_format_from_memory(graph, spool, fmt, tmp_path, monkeypatch):
    from actorgraph.viz.exports import write_export

    if fmt == "ftm":
        pytest.importorskip("followthemoney")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = read_node_link(graph)
    write_export(data, fmt, tmp_path / "memory")
    write_export(spool, fmt, tmp_path / "spool")

    def contents(path: Path) -> dict[str, bytes]:
        if path.is_dir():
            return {file.name: file.read_bytes() for file in sorted(path.iterdir())}
        return {"file": path.read_bytes()}

    memory, streamed = contents(tmp_path / "memory"), contents(tmp_path / "spool")
    assert streamed == memory and all(len(body) > 1000 for body in memory.values())
    if fmt == "csv":  # ';' is in a list item: the other delimiter, and multi-line values
        assert b"x;y|z" in memory["nodes.csv"] and b"mixed:string" in memory["nodes.csv"]
    if fmt in ("graphml", "gexf"):
        assert b"COOPERATES_WITH#gas" in memory["file"] and b"COOPERATES_WITH#2" in memory["file"]


def test_analyze_builds_its_networkx_graph_from_the_stream_as_from_node_link_data(graph):
    from actorgraph.viz.analytics import compute, read_networkx, to_networkx

    streamed, whole = read_networkx(graph), to_networkx(read_node_link(graph))
    assert list(streamed.nodes(data=True)) == list(whole.nodes(data=True))
    assert list(streamed.edges(keys=True, data=True)) == list(whole.edges(keys=True, data=True))
    assert "source:kz-uz-relations" not in streamed and streamed.number_of_edges() > 100
    assert compute(streamed) == compute(whole)


def _canonical(rows) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def test_a_whole_read_in_pages_of_a_few_rows_is_the_read_in_one_query(graph, monkeypatch):
    from actorgraph.graph import falkor_pages
    from actorgraph.graph.nodelink import LINKS_BY_ID, LINKS_CYPHER, NODES_BY_ID, NODES_CYPHER

    monkeypatch.setattr(falkor_pages, "PAGE_NODE_IDS", 1)
    monkeypatch.setattr(falkor_pages, "PAGE_ROWS", 3)  # dozens of pages, each sent before the last is decoded
    for whole, by_node_ids in ((NODES_CYPHER, NODES_BY_ID), (LINKS_CYPHER, LINKS_BY_ID)):
        paged = _canonical(graph.stream_whole(whole, by_node_ids))
        assert paged == _canonical(graph.run(whole)) and len(paged) > 100


def test_a_whole_read_left_half_way_leaves_no_reply_behind(graph, monkeypatch):
    import time

    from actorgraph.graph import falkor_pages
    from actorgraph.graph.nodelink import LINKS_BY_ID, LINKS_CYPHER

    monkeypatch.setattr(falkor_pages, "PAGE_ROWS", 3)
    rows = graph.stream_whole(LINKS_CYPHER, LINKS_BY_ID)
    first = [next(rows) for _ in range(5)]  # the next page has been asked for by now
    rows.close()
    assert len(first) == 5
    if hasattr(graph, "_db"):  # the embedded engine: a reply still coming would answer the next command
        time.sleep(0.5)  # time for it to arrive
        idle = graph._db.connection.connection_pool._available_connections
        assert idle and not any(connection.can_read(timeout=0) for connection in idle)
    assert _canonical(graph.stream_whole(LINKS_CYPHER, LINKS_BY_ID)) == _canonical(graph.run(LINKS_CYPHER))
