"""Stored degrees (graph/degrees.py): counted by the bulk load, or by Cypher a range of node ids at a time,
and either way equal to one count over the whole graph."""

from __future__ import annotations

import random

import pytest
from conftest import open_test_engine

from actorgraph.graph import degrees
from actorgraph.graph.degrees import DEGREE_PROPERTY
from actorgraph.graph.writes import NodeWrite, RelWrite

#: The definition (degrees.py), counted over the whole graph in one query: out (MENTIONED_IN left out) plus in.
WHOLE_COUNT = """
CALL {
  MATCH (n:Actor)-[r]->() WHERE type(r) <> 'MENTIONED_IN' RETURN n, count(r) AS c
  UNION ALL
  MATCH (n:Actor)<-[r]-() RETURN n, count(r) AS c
}
RETURN n.id AS id, toInteger(sum(c)) AS degree
"""
#: Range width for the tests: the graph's node ids span many ranges.
WIDTH = 7


def rows(seed: int = 3) -> list[NodeWrite | RelWrite]:
    """Actors, claims and a source; parallel relationships, claims ABOUT actors, actors MENTIONED_IN the source."""
    rng = random.Random(seed)
    source = NodeWrite("source:s", ("Source",), {"id": "source:s", "name": "S"})
    people = [
        NodeWrite(f"person:p{i}", ("Actor", "Person"), {"id": f"person:p{i}", "name": f"P{i}"}) for i in range(30)
    ]
    claims = [NodeWrite(f"claim:c{i}", ("Claim",), {"id": f"claim:c{i}", "name": f"C{i}"}) for i in range(10)]
    alone = NodeWrite("person:alone", ("Actor", "Person"), {"id": "person:alone", "name": "Alone"})
    out: list[NodeWrite | RelWrite] = [source, *people, *claims, alone]
    rels: list[tuple[str, NodeWrite, NodeWrite]] = []
    for _ in range(80):
        a, b = rng.sample(people, 2)
        rels.append(("COOPERATES_WITH", a, b))
    rels += [("COOPERATES_WITH", people[0], people[1])] * 3  # parallel: each counts
    rels += [("MENTIONED_IN", person, source) for person in people[::2]]
    rels += [("MADE", rng.choice(people), claim) for claim in claims]
    rels += [("ABOUT", claim, rng.choice(people)) for claim in claims]
    for i, (kind, a, b) in enumerate(rels):
        out.append(RelWrite(f"r:{i}", kind, a.id, b.id, a.labels[0], b.labels[0], {"id": f"r:{i}", "line": i + 1}))
    return out


def stored(engine) -> dict[str, int]:
    return {
        row["id"]: row["d"]
        for row in engine.run(
            f"MATCH (n:Actor) WHERE n.{DEGREE_PROPERTY} IS NOT NULL RETURN n.id AS id, n.{DEGREE_PROPERTY} AS d"
        )
    }


def whole(engine) -> dict[str, int]:
    return {row["id"]: row["degree"] for row in engine.run(WHOLE_COUNT)}


@pytest.fixture
def built(tmp_path, request, monkeypatch):
    """The embedded engine with `rows()` bulk-loaded, and ranged counts WIDTH node ids wide."""
    monkeypatch.setattr(degrees, "RANGE_NODE_IDS", WIDTH)
    engine = open_test_engine("embedded", request, tmp_path / "home")
    engine.replace_graph_rows(iter(rows()))
    yield engine
    engine.close()


def test_the_bulk_load_stores_the_whole_graph_count(built):
    counts = whole(built)
    assert stored(built) == counts
    assert counts["person:p0"] >= 3 and "person:alone" not in counts  # parallel ones counted; none stored for none


def test_counting_a_range_at_a_time_gives_the_whole_graph_count(built):
    """Cleared and counted again through the ranged Cypher, over many ranges that together cover every node id."""
    seen: list[dict] = []
    write = built._writer(built._graph)

    def recording(cypher, params):
        if params:
            seen.append(params)
        return write(cypher, params)

    built.run(f"MATCH (n:Actor) SET n.{DEGREE_PROPERTY} = 999", write=True)
    degrees.store_degrees(recording, fresh=False)
    assert stored(built) == whole(built)
    last = built.run("MATCH (n) RETURN max(id(n)) AS last")[0]["last"]
    ranges = sorted({(p["first"], p["stop"]) for p in seen})
    assert len(ranges) > 3 and ranges[0][0] == 0 and ranges[-1][1] > last
    assert all(stop - first == WIDTH for first, stop in ranges)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))


def test_a_graph_built_from_statements_and_writes_count_by_ranges(built):
    """`replace_graph` (Cypher statements) and `run(write=True)` count through the ranges too."""
    built.run("MATCH (a:Actor {id: 'person:p0'})-[r:COOPERATES_WITH]->(b:Actor {id: 'person:p1'}) DELETE r", write=True)
    built.run(
        "MATCH (a:Actor {id: 'person:alone'}), (b:Actor {id: 'person:p5'}) CREATE (a)-[:COOPERATES_WITH {id: 'r:x'}]->(b)",
        write=True,
    )
    assert stored(built) == whole(built) and stored(built)["person:alone"] == 1
    built.run("MATCH ()-[r {id: 'r:x'}]->() DELETE r", write=True)
    assert "person:alone" not in stored(built) and stored(built) == whole(built)
    built.replace_graph(
        [
            (
                "UNWIND range(0, 40) AS i CREATE (:Actor:Person {id: 'person:q' + toString(i), name: 'Q'})",
                {},
            ),
            (
                "MATCH (a:Actor), (b:Actor) WHERE a.id < b.id AND (toInteger(substring(a.id, 8)) + toInteger(substring(b.id, 8))) % 5 = 0 "
                "CREATE (a)-[:COOPERATES_WITH {id: a.id + b.id}]->(b)",
                {},
            ),
        ]
    )
    assert stored(built) and stored(built) == whole(built)
