"""Gephi 0.10 itself reads our GraphML and GEXF: every relationship arrives, dates stay dates.

`tools/gephi-check` loads a file with the real gephi-toolkit (Gephi's own importers, default
import settings, headless) and prints what Gephi kept. Without Java 17 or Maven these tests
skip with the reason, unless ACTORGRAPH_REQUIRE_GEPHI=1 (CI), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import MINI_DATA, MINI_SOURCES, REPO, actorgraph, export_json
from hypothesis import given
from hypothesis import strategies as st
from neo4j_fixture import SHORT_LIVED, build_java_tool

GEPHI_CHECK = REPO / "tools" / "gephi-check"

# Parallel relationships on top of the mini data set: same type and end points (told apart
# by `key`), another type between the same two, and dates at year and month precision.
EXTRA_RELATIONS = """
  - {from: country:kazakhstan, type: COOPERATES_WITH, to: country:uzbekistan, key: trade, domain: trade, start: "2017", end: "2019-02", line: 2, evidence: Astana and Tashkent signed}
  - {from: country:kazakhstan, type: COOPERATES_WITH, to: country:uzbekistan, key: water, domain: water, line: 2, evidence: Astana and Tashkent signed}
  - {from: country:kazakhstan, type: COOPERATES_WITH, to: country:uzbekistan, domain: all fields, line: 2, evidence: Astana and Tashkent signed}
  - {from: country:kazakhstan, type: PARTNERED_WITH, to: country:uzbekistan, line: 2, evidence: Astana and Tashkent signed}
"""


def _unavailable(reason: str) -> None:
    if os.environ.get("ACTORGRAPH_REQUIRE_GEPHI") == "1":
        pytest.fail(f"Gephi is required here (ACTORGRAPH_REQUIRE_GEPHI=1) but {reason}", pytrace=False)
    pytest.skip(f"Gephi tests skipped: {reason}")


@pytest.fixture(scope="module")
def gephi() -> list[str]:
    """The command that loads a file in Gephi and prints what it kept (built once with Maven)."""
    java, classpath = build_java_tool(GEPHI_CHECK, "run gephi-toolkit (bash .ci/setup-gephi.sh)", _unavailable)
    return [java, "-Xmx512m", *SHORT_LIVED, "-Djava.awt.headless=true", "-cp", classpath, "actorgraph.GephiCheck"]


def load_in_gephi(gephi: list[str], path: Path) -> dict:
    result = subprocess.run([*gephi, str(path)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def parallel_graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, list[str]]:
    """The mini data set plus parallel relationships, built on the embedded engine."""
    root = tmp_path_factory.mktemp("gephi")
    data = root / "data"
    shutil.copytree(MINI_DATA, data)
    with open(data / "demo" / "relations.yaml", "a", encoding="utf-8") as stream:
        stream.write(EXTRA_RELATIONS)
    home = ["--home", str(root / "home")]
    built = actorgraph("build", "--data", str(data), "--sources", str(MINI_SOURCES), "-q", *home)
    assert built.returncode == 0, built.stderr
    return export_json(*home), home


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_keeps_every_relationship_with_its_type(gephi, parallel_graph, tmp_path, fmt):
    graph, home = parallel_graph
    path = tmp_path / f"graph.{fmt}"
    assert actorgraph("export", "-f", fmt, "-o", str(path), *home).returncode == 0
    loaded = load_in_gephi(gephi, path)
    assert loaded["nodes"] == len(graph["nodes"])
    assert loaded["edges"] == len(graph["links"])  # nothing merged
    assert loaded["directed"] and not loaded["dynamic"]
    expected = Counter((link["source"], link["target"], link["type"]) for link in graph["links"])
    arrived = Counter((e["source"], e["target"], e["attributes"]["relationship"]) for e in loaded["edge_list"])
    assert arrived == expected
    # Gephi's edge type is the relationship type, made distinct only where it must be
    kinds = {e["id"]: e["kind"] for e in loaded["edge_list"]}
    assert kinds["person:shavkat-mirziyoyev>LEADS>country:uzbekistan"] == "LEADS"
    pair = "country:kazakhstan>COOPERATES_WITH>country:uzbekistan"
    assert {kinds[pair], kinds[f"{pair}#trade"], kinds[f"{pair}#water"]} == {
        "COOPERATES_WITH",
        "COOPERATES_WITH#trade",
        "COOPERATES_WITH#water",
    }
    assert kinds["country:kazakhstan>PARTNERED_WITH>country:uzbekistan"] == "PARTNERED_WITH"
    assert all(e["label"] == e["attributes"]["relationship"] for e in loaded["edge_list"])
    # every property arrives, typed: provenance, domains, dates as plain strings
    trade = next(e for e in loaded["edge_list"] if e["id"] == f"{pair}#trade")
    assert trade["attributes"]["line"] == 2 and isinstance(trade["attributes"]["line"], int)
    assert (trade["attributes"]["start"], trade["attributes"]["end"]) == ("2017", "2019-02")
    assert trade["attributes"]["domain"] == "trade" and trade["attributes"]["evidence_source"] == "source:mini"
    columns = {c["title"]: c for c in loaded["edge_columns"] + loaded["node_columns"]}
    assert columns["start"]["type"] == "String" and not columns["start"]["dynamic"]
    assert columns["line"]["type"] == "Long"
    assert not any("networkx" in title for title in columns)
    mirziyoyev = next(n for n in loaded["node_list"] if n["id"] == "person:shavkat-mirziyoyev")
    assert mirziyoyev["label"] == "Shavkat Mirziyoyev"
    assert mirziyoyev["attributes"]["labels"] == "Actor;Leader;Person"
    assert not [issue for issue in loaded["issues"] if not issue.startswith("INFO")]


def test_gephi_reads_the_dynamic_gexf_as_a_timeline(gephi, parallel_graph, tmp_path):
    graph, home = parallel_graph
    path = tmp_path / "timeline.gexf"
    assert actorgraph("export", "-f", "gexf", "--dynamic", "-o", str(path), *home).returncode == 0
    loaded = load_in_gephi(gephi, path)
    assert loaded["dynamic"] and loaded["edges"] == len(graph["links"])
    edges = {e["id"]: e for e in loaded["edge_list"]}
    trade = edges["country:kazakhstan>COOPERATES_WITH>country:uzbekistan#trade"]
    assert trade["intervals"] == [["2017-01-01", "2019-02-28"]]  # a year from its first day, a month to its last
    assert trade["attributes"]["start"] == "2017"  # and the dates as written stay columns
    leads = edges["person:shavkat-mirziyoyev>LEADS>country:uzbekistan"]
    assert leads["intervals"] == [["2016-12-14", None]]  # still in office
    assert not [issue for issue in loaded["issues"] if not issue.startswith("INFO")]


def test_dynamic_is_only_for_gexf(home, tmp_path):
    result = actorgraph("export", "-f", "graphml", "--dynamic", "-o", str(tmp_path / "g.graphml"))
    assert result.returncode == 2
    assert "--dynamic: only for --format gexf" in result.stderr
    assert not (tmp_path / "g.graphml").exists()


@given(
    st.lists(
        st.tuples(
            st.sampled_from("ab"), st.sampled_from("ab"), st.sampled_from(["T", "U"]), st.sampled_from(["", "x", "y"])
        ),
        max_size=12,
    )
)
def test_edge_kinds_are_distinct_per_pair_and_plain_where_nothing_is_parallel(rows):
    from actorgraph.viz.gephi import edge_kinds

    links = [
        {"source": s, "target": t, "type": kind, **({"id": f"{s}>{kind}>{t}#{key}"} if key else {})}
        for s, t, kind, key in rows
    ]
    kinds = edge_kinds(links)
    assert len({(link["source"], link["target"], kind) for link, kind in zip(links, kinds, strict=True)}) == len(links)
    for link, kind in zip(links, kinds, strict=True):
        assert kind.split("#")[0] == link["type"]
        if (
            sum(
                (other["source"], other["target"], other["type"]) == (link["source"], link["target"], link["type"])
                for other in links
            )
            == 1
        ):
            assert kind == link["type"]


def test_interval_days_at_the_precision_known():
    from actorgraph.viz.gephi import first_day, last_day

    assert (first_day("2019"), last_day("2019")) == ("2019-01-01", "2019-12-31")
    assert (first_day("2020-02"), last_day("2020-02")) == ("2020-02-01", "2020-02-29")
    assert (first_day("2021-12-06"), last_day("2021-12-06")) == ("2021-12-06", "2021-12-06")
    assert first_day("around 2019") is None and last_day(None) is None


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_markup_and_control_characters_stay_well_formed(fmt):
    import io

    import networkx as nx

    from actorgraph.viz import gephi

    data = {
        "nodes": [
            {
                "id": "person:x",
                "labels": ["Actor", "Person"],
                "name": "A <b>\"&'</b>\x01 name",
                "aliases": ["a;b", "c"],
            },
            {"id": "country:y", "labels": ["Actor", "Country"], "name": "Y\nZ"},
        ],
        "links": [{"source": "person:x", "target": "country:y", "type": "NATIONAL_OF", "note": "<x>\x0b"}],
    }
    stream = io.StringIO()
    (gephi.write_graphml if fmt == "graphml" else gephi.write_gexf)(data, stream)
    path = io.BytesIO(stream.getvalue().encode("utf-8"))
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.nodes["person:x"]["name"] == "A <b>\"&'</b>\ufffd name"
    assert back.nodes["person:x"]["aliases"] == "a;b;c" and back.nodes["country:y"]["name"] == "Y\nZ"
    assert next(iter(back.edges(data=True)))[2]["note"] == "<x>\ufffd"


@given(
    st.text(
        alphabet=st.characters(codec=None, exclude_categories=["Cs"]) | st.sampled_from("&<>\"'\n\r\t\x00\x0b\ufffe")
    )
)
def test_attribute_values_and_element_text_are_what_the_xml_escapes_write(text):
    """The quick path (no character needs more than quotes) writes what the full escape writes."""
    from xml.sax.saxutils import escape, quoteattr

    from actorgraph.viz.gephi import NOT_XML, _attr, _content

    assert _attr(text) == quoteattr(NOT_XML.sub("\ufffd", text))
    assert _content(text) == escape(NOT_XML.sub("\ufffd", text))
