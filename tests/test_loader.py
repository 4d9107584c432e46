"""Loading on real engines: round trip, idempotency, all-or-nothing, verbatim values."""

from __future__ import annotations

import copy

import pytest
from conftest import MINI_DATA, MINI_SOURCES

from actorgraph.graph.nodelink import LINK_SOURCE_KEY, read_node_link
from actorgraph.loaders import build_graph, load_dataset
from actorgraph.loaders.dataset import Dataset, NodeRow
from actorgraph.loaders.statements import dataset_statements

HOSTILE = "it's \"quoted\" `tick` '}) DETACH DELETE n // $param {x} \\ end"


def _graph_equals_dataset(graph: dict, dataset: Dataset) -> None:
    nodes = {node["id"]: node for node in graph["nodes"]}
    assert set(nodes) == {node.id for node in dataset.nodes}
    for row in dataset.nodes:
        stored = nodes[row.id]
        assert sorted(stored["labels"]) == sorted(row.labels)
        for key, value in row.props.items():
            assert stored[key] == value, (row.id, key)
    links = {link["id"]: link for link in graph["links"]}
    assert set(links) == {rel.id for rel in dataset.relations}
    for rel in dataset.relations:
        link = links[rel.id]
        assert (link["source"], link["type"], link["target"]) == (rel.source, rel.type, rel.target)
        for key, value in rel.props.items():
            assert link[LINK_SOURCE_KEY if key == "source" else key] == value, (rel.id, key)


def test_round_trip(engine, mini_dataset):
    counts = build_graph(engine, mini_dataset)
    graph = read_node_link(engine)
    assert counts == {"nodes": len(graph["nodes"]), "relationships": len(graph["links"])}
    _graph_equals_dataset(graph, mini_dataset)
    # every node and relationship carries provenance
    for item in graph["nodes"]:
        assert item["source"] and item["line"] >= 1 and item["evidence"]
    for item in graph["links"]:
        assert item[LINK_SOURCE_KEY] and item["line"] >= 1 and item["evidence"]


def test_second_build_changes_nothing(engine, mini_dataset):
    build_graph(engine, mini_dataset)
    first = read_node_link(engine)
    build_graph(engine, mini_dataset)
    assert read_node_link(engine) == first


def test_failed_load_leaves_previous_graph(engine, mini_dataset):
    build_graph(engine, mini_dataset)
    before = read_node_link(engine)
    bigger = copy.deepcopy(mini_dataset)
    bigger.nodes.append(
        NodeRow(
            "place:nowhere",
            ("Place",),
            {"id": "place:nowhere", "name": "Nowhere", "source": "source:mini", "line": 1, "evidence": "A"},
        )
    )
    bigger.index()

    def failing_midway():
        for number, statement in enumerate(dataset_statements(bigger, batch_size=2)):
            if number == 4:
                raise RuntimeError("injected failure in the middle of a load")
            yield statement

    with pytest.raises(RuntimeError, match="injected"):
        engine.replace_graph(failing_midway())
    assert read_node_link(engine) == before
    # and a statement the engine itself rejects midway
    statements = list(dataset_statements(bigger, batch_size=3))
    statements.insert(3, ("UNWIND $rows AS r RETURN 1 / r.zero", {"rows": [{"zero": "text"}]}))
    with pytest.raises(Exception):  # noqa: B017 - any engine error will do; the graph must stand
        engine.replace_graph(iter(statements))
    assert read_node_link(engine) == before


def test_hostile_values_are_stored_verbatim(engine, mini_dataset):
    dataset = copy.deepcopy(mini_dataset)
    target = next(node for node in dataset.nodes if node.id == "country:kazakhstan")
    target.props["name"] = HOSTILE
    target.props["aliases"] = [HOSTILE, "Қазақстан\u200b", "\u202eevil"]
    build_graph(engine, dataset)
    rows = engine.run("MATCH (n:Actor {name: $name}) RETURN n.id AS id, n.aliases AS aliases", {"name": HOSTILE})
    assert rows == [{"id": "country:kazakhstan", "aliases": [HOSTILE, "Қазақстан\u200b", "\u202eevil"]}]
    assert len(read_node_link(engine)["nodes"]) == len(dataset.nodes)


def test_dataset_is_read_in_a_stable_order():
    first = load_dataset(MINI_DATA, [MINI_SOURCES])
    second = load_dataset(MINI_DATA, [MINI_SOURCES])
    assert [n.id for n in first.nodes] == [n.id for n in second.nodes]
    assert [r.id for r in first.relations] == sorted(r.id for r in first.relations)
    assert any(r.type == "MENTIONED_IN" for r in first.relations)


def test_embedded_bulk_format_and_unwind_batches_build_the_same_graph(tmp_path, mini_dataset):
    """The embedded engine's binary bulk path against the Cypher batches every engine can run."""
    from actorgraph.graph import open_engine
    from actorgraph.graph.engine import Engine
    from actorgraph.loaders.statements import dataset_writes

    dataset = copy.deepcopy(mini_dataset)
    node = next(node for node in dataset.nodes if node.id == "country:kazakhstan")
    node.props.update(
        name=HOSTILE, aliases=[HOSTILE, "Қазақстан\u200b", "\u202eevil", "😀"], year=2019, amount=1.5, count=-(2**62)
    )
    engine = open_engine("embedded", home=tmp_path / "home")
    try:
        engine.replace_graph_rows(dataset_writes(dataset))
        bulk = read_node_link(engine)
        indexes = engine.run("CALL db.indexes() YIELD label, status RETURN label, status")
        Engine.replace_graph_rows(engine, dataset_writes(dataset), batch_size=3)
        assert read_node_link(engine) == bulk
    finally:
        engine.close()
    _graph_equals_dataset(bulk, dataset)
    assert {row["label"] for row in indexes} >= {"Actor", "Source"}
    assert {row["status"] for row in indexes} == {"OPERATIONAL"}
