"""Bulk JSON Lines loading: folders of files, records out of order, and all-or-nothing writes."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import REPO, actorgraph, export_json

from actorgraph.graph.nodelink import read_node_link
from actorgraph.loaders import load

sys.path.insert(0, str(REPO / "bench"))
import synth  # noqa: E402


def _split(folder, tmp_path):
    """The synthetic graph as two files: nodes in one, relations in the other."""
    lines = (folder / "graph.jsonl").read_text(encoding="utf-8").splitlines()
    data = tmp_path / "data"
    data.mkdir()
    (data / "a-relations.jsonl").write_text(
        "\n".join(line for line in lines if '"kind": "relation"' in line) + "\n", encoding="utf-8"
    )
    (data / "b-nodes.ndjson").write_text(
        "\n".join(line for line in lines if '"kind": "node"' in line) + "\n", encoding="utf-8"
    )
    return data


def test_a_folder_of_files_loads_with_references_across_files(tmp_path, home):
    folder = tmp_path / "s"
    synth.write(1500, 2, folder)
    data = _split(folder, tmp_path)
    result = actorgraph("validate", "--data", str(data), "--sources", str(folder))
    assert result.returncode == 0, result.stderr
    assert "1500 relationships in 2 files" in result.stdout
    result = actorgraph("build", "--data", str(data), "--sources", str(folder))
    assert result.returncode == 0, result.stderr
    stats = json.loads(actorgraph("stats", "-f", "json").stdout)
    assert stats["totals"]["relationships"] == 1500
    one = json.loads(
        actorgraph(
            "query",
            "MATCH (a)-[r]->(b) WHERE r.id ENDS WITH '#7' RETURN a.id AS a, type(r) AS t, b.id AS b, r.line AS line",
            "-f",
            "json",
        ).stdout
    )
    record = next(r for r in synth.generate(1500, 2) if r.get("key") == "7")
    assert one == [{"a": record["from"], "t": record["type"], "b": record["to"], "line": record["line"]}]


def _count(engine):
    return engine.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]


def _load_synthetic(engine, tmp_path):
    """Load a 600-relationship synthetic graph into `engine`; return (engine, the graph's folder)."""
    folder = tmp_path / "s"
    synth.write(600, 3, folder)
    load(folder / "graph.jsonl", engine, sources=folder)
    return engine, folder


@pytest.fixture
def loaded(engine, tmp_path):
    """Each engine, holding a synthetic graph."""
    return _load_synthetic(engine, tmp_path)


@pytest.fixture
def loaded_embedded(tmp_path):
    """The embedded engine, holding a synthetic graph."""
    from actorgraph.graph import open_engine

    engine = open_engine("embedded", home=tmp_path / "home")
    try:
        yield _load_synthetic(engine, tmp_path)
    finally:
        engine.close()


def _change_line(folder, pick, **changes) -> int:
    """Change fields of one record of the folder's graph.jsonl (`pick(lines)` chooses it); return its line."""
    path = folder / "graph.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = pick(lines)
    lines[index] = json.dumps({**json.loads(lines[index]), **changes})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 1


def test_a_problem_found_while_writing_keeps_the_previous_graph(loaded):
    """Checking and writing are one pass: a bad last line is found after most rows went to the engine.

    On Neo4j the DataError raised while the load's transaction is open must roll it back.
    """
    from actorgraph.graph.embedded import STAGING_PREFIX
    from actorgraph.loaders import DataError

    engine, folder = loaded
    before = read_node_link(engine)
    assert len(before["links"]) == 600
    line = _change_line(folder, lambda lines: len(lines) - 1, to="nowhere:at-all")
    with pytest.raises(DataError) as caught:
        load(folder / "graph.jsonl", engine, sources=folder)
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == ["to: no node has id 'nowhere:at-all'"]
    assert caught.value.problems[0].line == line
    assert read_node_link(engine) == before
    if engine.name == "embedded":
        assert not list(engine._db.connection.scan_iter(match=f"{STAGING_PREFIX}*")), (
            "the staged half-load was left behind"
        )


def test_a_value_the_engine_cannot_store_late_in_the_file_keeps_the_previous_graph(loaded_embedded):
    """A NUL (which FalkorDB cannot store), late in the file: refused at its line, the old graph stands."""
    from actorgraph.loaders import DataError

    engine, folder = loaded_embedded
    before = read_node_link(engine)
    line = _change_line(
        folder, lambda lines: max(i for i, text in enumerate(lines) if '"kind": "node"' in text), name="bad\x00name"
    )
    with pytest.raises(DataError) as caught:
        load(folder / "graph.jsonl", engine, sources=folder)
    assert [(p.line, p.field) for p in caught.value.problems] == [(line, "name")]
    assert "NUL" in caught.value.problems[0].message
    assert read_node_link(engine) == before


def test_records_before_what_they_refer_to_are_loaded_after_the_pass(tmp_path, home):
    """Relationships before their nodes and nodes before their Source, in one file, still load."""
    folder = tmp_path / "s"
    synth.write(800, 4, folder)
    lines = (folder / "graph.jsonl").read_text(encoding="utf-8").splitlines()
    source = [line for line in lines if '"labels": ["Source"]' in line]
    nodes = [line for line in lines if '"kind": "node"' in line and line not in source]
    relations = [line for line in lines if '"kind": "relation"' in line]
    # every other relationship first, then the nodes, the Source last of all
    shuffled = relations[::2] + nodes + relations[1::2] + source
    bad = json.loads(relations[0])
    bad["from"] = "person:nobody"
    shuffled.insert(3, json.dumps(bad))
    data = tmp_path / "mixed.jsonl"
    data.write_text("\n".join(shuffled) + "\n", encoding="utf-8")
    result = actorgraph("build", "--data", str(data), "--sources", str(folder))
    assert result.returncode == 2
    assert "mixed.jsonl:4: from: no node has id 'person:nobody'" in result.stderr
    assert "1 problem(s)" in result.stderr
    del shuffled[3]
    data.write_text("\n".join(shuffled) + "\n", encoding="utf-8")
    result = actorgraph("build", "--data", str(data), "--sources", str(folder))
    assert result.returncode == 0, result.stderr
    expected_folder = tmp_path / "home-ordered"
    ordered = actorgraph(
        "build", "--data", str(folder / "graph.jsonl"), "--sources", str(folder), "--home", str(expected_folder)
    )
    assert ordered.returncode == 0, ordered.stderr
    mixed = export_json()
    straight = export_json("--home", str(expected_folder))
    assert mixed == straight
    assert len(mixed["links"]) == 800
