"""The facts' source counts stored for `corroborated` (graph/corroboration.py), on both engines.

They are written when a graph is built (one transaction or, on Neo4j, staged) and again
after console writes; `corroborated` answered from them must give the rows, in the
order, that counting at query time gives (`PLAIN`, from test_query_plans.py). Node-link
reads (exports, maps) never show them, and a graph without them is refused, not
answered with nothing.
"""

from __future__ import annotations

import pytest
from conftest import MINI_DATA, MINI_SOURCES
from test_query_plans import PLAIN, _canonical

from actorgraph.graph import corroboration
from actorgraph.graph.engine import EngineError
from actorgraph.graph.nodelink import read_node_link
from actorgraph.loaders import build_graph, load_dataset
from actorgraph.queries.registry import ask

CASES = (
    {"min_sources": None, "limit": 20, "modality": None},
    {"min_sources": 2, "limit": 5, "modality": "all"},
    {"min_sources": 1, "limit": 10_000, "modality": "all"},
    {"min_sources": 1, "limit": 10_000, "modality": "stated"},
    {"min_sources": 1, "limit": 2, "modality": "expected"},
)


def assert_as_plain(engine) -> list[dict]:
    """`corroborated` gives the plain count's rows in its order for every case; the rows of the first."""
    first = None
    for case in CASES:
        params = {**case, "modality": case["modality"] or "stated"}
        plain = engine.run(PLAIN["corroborated"], params)
        fast = ask(engine, "corroborated", **{k: v for k, v in case.items() if v is not None})
        keys = [(r["from"], r["relation"], r["to"], r["source_count"]) for r in fast]
        assert keys == [(r["from"], r["relation"], r["to"], r["source_count"]) for r in plain], case
        assert _canonical(fast) == _canonical(plain), case
        first = fast if first is None else first
    return first


def test_counts_follow_console_writes_and_stay_out_of_node_link_reads(engine):
    build_graph(engine, load_dataset(MINI_DATA, [MINI_SOURCES]))
    before = assert_as_plain(engine)
    assert before and all(row["source_count"] == 1 for row in before)
    fact = engine.run(
        "MATCH (a)-[r:MEMBER_OF]->(b) RETURN a.id AS a, b.id AS b, r.source AS source ORDER BY a, b LIMIT 1"
    )[0]
    # a second source states that fact: it leads the list with two sources
    engine.run(
        "MATCH (a:Actor {id: $a}), (b:Actor {id: $b}) "
        "CREATE (a)-[:MEMBER_OF {id: 'r:second', source: 'source:zz-second', line: 1, evidence: 'x'}]->(b)",
        fact,
        write=True,
    )
    top = assert_as_plain(engine)[0]
    assert top["source_count"] == 2 and top["relation"] == "MEMBER_OF"
    # a rename moves a fact among those with one source; a modality moves it to another list
    last = ask(engine, "corroborated", limit=10_000)[-1]
    engine.run("MATCH (n:Actor {name: $name}) SET n.name = 'AAA renamed'", {"name": last["from"]}, write=True)
    assert ask(engine, "corroborated", limit=10_000)[1]["from"] == "AAA renamed"
    assert_as_plain(engine)
    engine.run("MATCH ()-[r {id: 'r:second'}]->() SET r.modality = 'expected'", write=True)
    expected = ask(engine, "corroborated", modality="expected", limit=10_000)
    assert [row["source_count"] for row in expected if "source:zz-second" in row["sources"]] == [1]
    assert_as_plain(engine)
    engine.run("MATCH ()-[r {id: 'r:second'}]->() DELETE r", write=True)
    assert_as_plain(engine)
    assert ask(engine, "corroborated", min_sources=2) == []
    counted = engine.run(f"MATCH ()-[r]->() WHERE r.{corroboration.RANK} IS NOT NULL RETURN count(r) AS n")[0]["n"]
    assert counted > 10
    graph = read_node_link(engine)
    assert not [link for link in graph["links"] if set(link) & set(corroboration.PROPERTIES)]


def test_only_the_first_facts_are_ranked_and_a_write_ranks_them_anew(engine, monkeypatch):
    """Ranks stop at `RANKED` facts (the largest limit); one that leaves the first ones loses its rank."""
    monkeypatch.setattr(corroboration, "RANKED", 3)
    build_graph(engine, load_dataset(MINI_DATA, [MINI_SOURCES]))
    ranked = (
        f"MATCH (a)-[r]->(b) WHERE r.{corroboration.RANK} IS NOT NULL "
        f"RETURN DISTINCT r.{corroboration.RANK} AS rank, a.name AS from, type(r) AS relation, b.name AS to"
    )
    plain = {"min_sources": None, "limit": 3, "modality": "all"}

    def first_three() -> list[tuple]:
        """The ranked facts (each once), which must be the plain first three."""
        facts = sorted((row["rank"], row["from"], row["relation"], row["to"]) for row in engine.run(ranked))
        assert [rank for rank, *_ in facts] == [0, 1, 2]
        assert [fact for _, *fact in facts] == [
            [row["from"], row["relation"], row["to"]] for row in engine.run(PLAIN["corroborated"], plain)
        ]
        return facts

    before = first_three()
    assert ask(engine, "corroborated", limit=3, modality="all") == engine.run(PLAIN["corroborated"], plain)
    last = engine.run(PLAIN["corroborated"], {**plain, "limit": 100})[-1]
    engine.run("MATCH (n:Actor {name: $name}) SET n.name = 'AAA renamed'", {"name": last["from"]}, write=True)
    after = first_three()  # the old third lost its rank
    assert after[0][1] == "AAA renamed" and after != before
    assert ask(engine, "corroborated", limit=3, modality="all") == engine.run(PLAIN["corroborated"], plain)


def test_a_graph_without_counts_is_refused_not_answered_with_nothing(engine):
    build_graph(engine, load_dataset(MINI_DATA, [MINI_SOURCES]))
    names = ", ".join(f"r.{name}" for name in corroboration.PROPERTIES)
    # as a graph built by an older version or loaded by another tool: no recount after this write
    engine.run(f"MATCH ()-[r]->() REMOVE {names}", write=True, bookkeeping=False)
    with pytest.raises(EngineError, match="actorgraph build"):
        ask(engine, "corroborated")
    engine.run("MATCH (n:Actor) SET n.touched = 1", write=True)  # any other write counts again
    assert_as_plain(engine)


def test_a_staged_neo4j_build_counts_too(request, tmp_path):
    """Above one transaction's rows, Neo4j stages the build and counts in batches after the switch."""
    from conftest import open_test_engine

    engine = open_test_engine("neo4j", request, tmp_path)
    try:
        engine.one_transaction_rows = 1  # every build staged
        build_graph(engine, load_dataset(MINI_DATA, [MINI_SOURCES]))
        assert engine.run("MATCH (n:ActorgraphStaged) RETURN count(n) AS n")[0]["n"] == 0
        assert_as_plain(engine)
    finally:
        engine.close()
