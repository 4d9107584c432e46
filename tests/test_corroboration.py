"""What builds store on nodes for `corroborated` (graph/corroboration.py), on both engines.

The values go in with the nodes of a load held in memory (in one transaction or, on
Neo4j, staged), and are counted again after console writes; graphs without them
(streamed, imported) are answered by counting every fact. `corroborated` visits only the nodes they point to, and
must give the rows, in the order, that counting every fact gives (`PLAIN`, from
test_query_plans.py): on the mini data set, after writes, and on random small graphs
made to hit the edges of the name cut-off (equal names, facts of several sources, other
modalities, facts with no source), where the values counted before the load must equal
the server's own count. Node-link reads never show the values.
"""

from __future__ import annotations

import pytest
from conftest import ENGINES, MINI_DATA, MINI_SOURCES, open_test_engine
from hypothesis import given, settings
from hypothesis import strategies as st
from test_query_plans import PLAIN, _canonical

from actorgraph.graph import corroboration
from actorgraph.graph.nodelink import read_node_link
from actorgraph.graph.writes import NodeWrite, RelWrite
from actorgraph.loaders import build_graph, load_dataset
from actorgraph.queries.registry import ask

CASES = (
    {"min_sources": None, "limit": 20, "modality": None},
    {"min_sources": 2, "limit": 5, "modality": "all"},
    {"min_sources": 1, "limit": 10_000, "modality": "all"},
    {"min_sources": 1, "limit": 10_000, "modality": "stated"},
    {"min_sources": 1, "limit": 2, "modality": "expected"},
    {"min_sources": 0, "limit": 3, "modality": "all"},
)


def assert_as_plain(engine, cases=CASES) -> list[dict]:
    """`corroborated` gives the plain count's rows in its order for every case; the rows of the first."""
    first = None
    for case in cases:
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
        "MATCH (a)-[r:MEMBER_OF]->(b) RETURN a.id AS a, b.id AS b, r.source AS source ORDER BY a, b DESC LIMIT 1"
    )[0]
    # a second source states that fact: it leads the list with two sources
    engine.run(
        "MATCH (a:Actor {id: $a}), (b:Actor {id: $b}) "
        "CREATE (a)-[:MEMBER_OF {id: 'r:second', source: 'source:zz-second', line: 1, evidence: 'x'}]->(b)",
        fact,
        write=True,
    )
    top = assert_as_plain(engine, CASES[:3])[0]
    assert top["source_count"] == 2 and top["relation"] == "MEMBER_OF"
    # a rename moves a fact among those with one source (names are not stored: nothing to count again)
    last = ask(engine, "corroborated", limit=10_000)[-1]
    engine.run("MATCH (n:Actor {name: $name}) SET n.name = 'AAA renamed'", {"name": last["from"]}, write=True)
    assert ask(engine, "corroborated", limit=10_000)[1]["from"] == "AAA renamed"
    assert_as_plain(engine, CASES[:3])
    # a modality set on a relationship moves its fact to another list
    engine.run("MATCH ()-[r {id: 'r:second'}]->() SET r.modality = 'expected'", write=True)
    expected = ask(engine, "corroborated", modality="expected", limit=10_000)
    assert [row["source_count"] for row in expected if "source:zz-second" in row["sources"]] == [1]
    assert_as_plain(engine, CASES[3:])
    engine.run("MATCH ()-[r {id: 'r:second'}]->() DELETE r", write=True)
    assert_as_plain(engine)
    assert ask(engine, "corroborated", min_sources=2) == []
    counted = engine.run(f"MATCH (a) WHERE a.{corroboration.SINGLE} IS NOT NULL RETURN count(a) AS n")[0]["n"]
    starts = engine.run("MATCH (a)-[r]->() WHERE type(r) <> 'MENTIONED_IN' RETURN count(DISTINCT a) AS n")[0]["n"]
    assert counted == starts > 5  # every node that starts a fact has its list
    nodes, _ = read_node_link(engine)
    assert not [node for node in nodes if set(node) & set(corroboration.PROPERTIES)]


def test_a_graph_without_counts_is_answered_by_counting_every_fact(engine):
    build_graph(engine, load_dataset(MINI_DATA, [MINI_SOURCES]))
    assert corroboration.has_counts(engine.run)
    names = ", ".join(f"a.{name}" for name in corroboration.PROPERTIES)
    # as a streamed graph, an older one or an import (a node-only write counts nothing again)
    engine.run(f"MATCH (a) REMOVE {names}", write=True)
    assert corroboration.uncounted(engine.run)
    assert_as_plain(engine)  # the `{{^corroboration}}` form
    # a write that changes a fact leaves an uncounted graph uncounted (no whole-graph pass per console write)
    engine.run("MATCH ()-[r:MEMBER_OF]->() WITH r LIMIT 1 SET r.modality = 'expected'", write=True)
    assert corroboration.uncounted(engine.run)
    engine.count_stored()  # what `actorgraph schema --apply` does
    assert corroboration.has_counts(engine.run)
    assert_as_plain(engine)


def test_a_staged_neo4j_build_counts_too(request, tmp_path):
    """Above one transaction's rows, Neo4j stages the build and sets the counts before the switch."""
    engine = open_test_engine("neo4j", request, tmp_path)
    try:
        engine.one_transaction_rows = 1  # every build staged
        build_graph(engine, load_dataset(MINI_DATA, [MINI_SOURCES]))
        assert engine.run("MATCH (n:ActorgraphStaged) RETURN count(n) AS n")[0]["n"] == 0
        assert_as_plain(engine)
    finally:
        engine.close()


#: Few names, so that several nodes share one; None for a node without a name.
NAMES = st.sampled_from(["A", "B", "B", "C", "Ä", None])
FACT = st.tuples(
    st.integers(0, 6),  # from
    st.integers(0, 6),  # to
    st.sampled_from(["ALLIED_WITH", "BORDERS"]),
    st.sampled_from(["source:one", "source:two", "source:three", None]),
    st.sampled_from([None, "stated", "expected"]),
)
RANDOM_CASES = (
    {"min_sources": None, "limit": 1, "modality": "all"},
    {"min_sources": None, "limit": 3, "modality": None},
    {"min_sources": 1, "limit": 2, "modality": "expected"},
    {"min_sources": 2, "limit": 2, "modality": "all"},
    {"min_sources": 0, "limit": 4, "modality": "all"},
)


def stored_values(engine) -> dict[str, tuple]:
    """Each node's stored values (the list as a set: its order means nothing)."""
    rows = engine.run(
        f"MATCH (a) WHERE a.{corroboration.SINGLE} IS NOT NULL "
        f"RETURN a.id AS id, a.{corroboration.SOURCES} AS sources, a.{corroboration.SINGLE} AS single"
    )
    return {row["id"]: (row["sources"], frozenset(row["single"])) for row in rows}


#: Examples per engine: a Neo4j example (two loads, thirty questions, a recount) takes 2-3 s.
RANDOM_EXAMPLES = {"embedded": 25, "neo4j": 2}


@pytest.mark.parametrize("kind", ENGINES)
def test_random_graphs_give_the_plain_rows(kind, request, tmp_path):
    """Loaded as rows (counted as they pass) or counted by the server, any small graph answers as the plain count."""
    engine = open_test_engine(kind, request, tmp_path)

    @settings(max_examples=RANDOM_EXAMPLES[kind], deadline=None)
    @given(names=st.lists(NAMES, min_size=7, max_size=7), facts=st.lists(FACT, max_size=14))
    def check(names, facts):
        rows = [
            NodeWrite(f"country:{i}", ("Actor", "Country"), {"id": f"country:{i}", "name": name})
            for i, name in enumerate(names)
        ]
        rows += [
            RelWrite(
                f"r:{i}",
                t,
                f"country:{a}",
                f"country:{b}",
                "Country",
                "Country",
                {"id": f"r:{i}", "source": s, "modality": m},
            )
            for i, (a, b, t, s, m) in enumerate(facts)
        ]
        for row in rows:  # what loaders never write: properties without a value
            row.props = {key: value for key, value in row.props.items() if value is not None}
        engine.replace_graph_rows(rows)  # as a streamed load: no counts, every fact counted at query time
        assert not stored_values(engine)
        assert_as_plain(engine, RANDOM_CASES)
        engine.replace_graph_rows(list(corroboration.with_counts(rows)))  # as a load held in memory
        counted_before = stored_values(engine)
        assert counted_before or not [f for f in facts if f[3]]
        assert_as_plain(engine, RANDOM_CASES)
        engine.count_stored()  # the server's count (after console writes and imports) stores the same
        assert stored_values(engine) == counted_before
        assert_as_plain(engine, RANDOM_CASES)

    try:
        check()
    finally:
        engine.close()
