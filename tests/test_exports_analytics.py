"""Exports that Gephi and neo4j-admin read back, analytics with known answers, map safety in the file."""

from __future__ import annotations

import csv
import json
import re

import networkx as nx
import pytest
from conftest import MINI_DATA, MINI_SOURCES, actorgraph, export_json

from actorgraph.graph import schema
from actorgraph.viz.analytics import compute
from actorgraph.viz.maps import MapError, build_map, select

DATA = ["--data", str(MINI_DATA), "--sources", str(MINI_SOURCES)]
NEO4J_HEADER = re.compile(
    r"^(\w+(:(ID|string|long|double|boolean|string\[\]|long\[\]))?|:LABEL|:START_ID|:END_ID|:TYPE)$"
)


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    """The mini data set built once for the module, in a home the CLI finds through ACTORGRAPH_HOME."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACTORGRAPH_HOME", str(tmp_path_factory.mktemp("exports") / "home"))
        assert actorgraph("build", *DATA).returncode == 0
        yield export_json()


def test_graphml_and_gexf_round_trip_with_labels_types_and_provenance(graph, tmp_path):
    for fmt in ("graphml", "gexf"):
        path = tmp_path / f"g.{fmt}"
        result = actorgraph("export", "-f", fmt, "-o", str(path))
        assert result.returncode == 0, result.stderr
        back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        assert back.number_of_nodes() == len(graph["nodes"])
        assert back.number_of_edges() == len(graph["links"])
        node = back.nodes["person:shavkat-mirziyoyev"]
        assert node["labels"] == "Actor;Leader;Person" and int(node["line"]) == 3 and node["evidence"]
        types = {attrs["relationship"] for _, _, attrs in back.edges(data=True)}
        assert {"LEADS", "MEMBER_OF", "MENTIONED_IN"} <= types
        assert all(attrs.get("evidence_source") for _, _, attrs in back.edges(data=True))


def test_csv_headers_are_neo4j_admin_import_format(graph, tmp_path):
    folder = tmp_path / "import"
    assert actorgraph("export", "-f", "csv", "-o", str(folder)).returncode == 0
    with open(folder / "nodes.csv", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    header = rows[0]
    assert header[:2] == ["id:ID", ":LABEL"]
    assert all(NEO4J_HEADER.match(column) for column in header), header
    assert "line:long" in header and "aliases:string[]" in header and "name:string" in header
    with open(folder / "relationships.csv", encoding="utf-8") as stream:
        rel_rows = list(csv.reader(stream))
    assert rel_rows[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert all(NEO4J_HEADER.match(column) for column in rel_rows[0])
    assert "lines:long[]" in rel_rows[0] and "source:string" in rel_rows[0]
    assert len(rows) - 1 == len(graph["nodes"]) and len(rel_rows) - 1 == len(graph["links"])
    mirziyoyev = next(row for row in rows if row[0] == "person:shavkat-mirziyoyev")
    assert mirziyoyev[1] == "Actor;Leader;Person"
    assert mirziyoyev[header.index("aliases:string[]")].split(";")[:2] == ["Mirziyoyev", "Mirziyoev"]


def test_json_export_is_byte_stable(graph, tmp_path):
    one, two = tmp_path / "1.json", tmp_path / "2.json"
    fixed = {"SOURCE_DATE_EPOCH": "1700000000"}  # the export time, as reproducible builds set it
    assert actorgraph("export", "-o", str(one), env=fixed).returncode == 0
    assert actorgraph("export", "-o", str(two), env=fixed).returncode == 0
    assert one.read_bytes() == two.read_bytes()
    written = json.loads(one.read_text(encoding="utf-8"))
    assert written["graph"].pop("exported_at") == "2023-11-14T22:13:20Z"
    assert written == export_json()


def test_json_export_reads_into_networkx_as_a_directed_multigraph(graph, tmp_path):
    path = tmp_path / "graph.json"
    assert actorgraph("export", "-o", str(path)).returncode == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["directed"] is True and data["multigraph"] is True
    assert data["graph"]["sources"] == ["source:mini"]
    assert (data["graph"]["nodes"], data["graph"]["links"]) == (len(graph["nodes"]), len(graph["links"]))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["graph"]["exported_at"])
    loaded = nx.node_link_graph(data, edges="links")  # the call the README gives
    assert isinstance(loaded, nx.MultiDiGraph)
    assert loaded.number_of_nodes() == len(graph["nodes"]) and loaded.number_of_edges() == len(graph["links"])
    assert loaded.graph["generator"].startswith("actorgraph ")
    keyed = nx.node_link_graph(data, edges="links", key="id")  # edges keyed by relationship id
    leads = ("person:shavkat-mirziyoyev", "country:uzbekistan", "person:shavkat-mirziyoyev>LEADS>country:uzbekistan")
    assert keyed.has_edge(*leads) and keyed.edges[leads]["type"] == "LEADS"


def test_analytics_on_a_star_has_the_centre_on_top():
    nodes = [{"id": "country:hub", "labels": ["Actor", "Country"], "name": "Hub"}]
    nodes += [{"id": f"country:leaf{i}", "labels": ["Actor", "Country"], "name": f"Leaf {i}"} for i in range(6)]
    links = [{"source": "country:hub", "target": f"country:leaf{i}", "type": "COOPERATES_WITH"} for i in range(6)]
    figures = compute({"nodes": nodes, "links": links})
    assert figures.degree["country:hub"] == 6 and figures.betweenness["country:hub"] == pytest.approx(1.0)
    assert figures.articulation_points == ["country:hub"]
    assert len(figures.bridges) == 6
    assert max(figures.pagerank, key=figures.pagerank.get) != "country:hub"  # edges point away from the hub
    assert set(figures.community) == {node["id"] for node in nodes}


def test_analyze_writes_figures_back(graph):
    result = actorgraph("analyze", "--top", "3")
    assert result.returncode == 0, result.stderr
    assert "Most central actors" in result.stdout
    rows = json.loads(
        actorgraph(
            "query", "MATCH (c:Country) RETURN c.id AS id, c.degree AS d, c.community AS k ORDER BY id", "-f", "json"
        ).stdout
    )
    assert all(isinstance(row["d"], int) and row["d"] > 0 and isinstance(row["k"], int) for row in rows)


def test_map_file_is_offline_and_escaped(graph, tmp_path):
    hostile = {
        "nodes": [{"id": "person:x", "labels": ["Actor", "Person"], "name": "<img src=x onerror=alert(1)>"}],
        "links": [],
    }
    page = build_map(hostile, title="<script>alert(1)</script>")
    assert "<img src=x" not in page and "<script>alert(1)" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert "<link" not in page
    for label in ("Actor", "Person"):
        assert label in schema.LABELS
    result = actorgraph("map", "-o", str(tmp_path / "m.html"), "--focus", "Мирзиёев", "--hops", "1")
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stderr
    bad = actorgraph("map", "-o", str(tmp_path / "n.html"), "--labels", "Evil")
    assert bad.returncode == 2 and "unknown label 'Evil'" in bad.stderr and not (tmp_path / "n.html").exists()
    with pytest.raises(MapError, match="no actor"):
        select(graph, focus="Nobody At All")


def test_map_of_a_catalogue_answer(graph, tmp_path):
    from actorgraph.viz.maps import nodes_named_in

    rows = [{"leader": "Shavkat Mirziyoyev", "country": "Uzbekistan", "ids": ["country:kazakhstan"], "n": 3}]
    assert nodes_named_in(graph, rows) == {"person:shavkat-mirziyoyev", "country:uzbekistan", "country:kazakhstan"}
    path = tmp_path / "leaders.html"
    result = actorgraph("map", "-o", str(path), "--query", "leaders")
    assert result.returncode == 0, result.stderr
    assert "(4 nodes" in result.stderr  # two leaders and their two countries in the fixture data
    bad = actorgraph("map", "-o", str(tmp_path / "x.html"), "--query", "profile")
    assert bad.returncode == 2 and "needs -p actor" in bad.stderr
