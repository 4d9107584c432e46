"""Bulk JSON Lines loading: the read-ahead thread, folders of files, and all-or-nothing writes."""

from __future__ import annotations

import json
import sys
import threading
import time

import pytest
from conftest import REPO, actorgraph

from actorgraph.loaders.bulk import build_bulk, prefetch, validate_bulk

sys.path.insert(0, str(REPO / "bench"))
import synth  # noqa: E402


def test_prefetch_keeps_order_and_hands_over_errors():
    assert list(prefetch(iter(range(1000)), depth=3)) == list(range(1000))

    def failing():
        yield 1
        raise ValueError("bad line")

    seen = []
    with pytest.raises(ValueError, match="bad line"):
        for item in prefetch(failing()):
            seen.append(item)
    assert seen == [1]


def test_prefetch_stops_its_thread_when_the_consumer_gives_up():
    produced = []

    def endless():
        n = 0
        while True:
            produced.append(n)
            yield n
            n += 1

    reader = prefetch(endless(), depth=2)
    assert next(reader) == 0
    reader.close()  # what happens when the engine raises mid-load
    time.sleep(0.3)
    count = len(produced)
    assert not any(t.name == "actorgraph-bulk-reader" for t in threading.enumerate())
    time.sleep(0.2)
    assert len(produced) == count, "the reader kept reading after the load stopped"
    assert count <= 5, "read-ahead is bounded"


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


def test_a_failure_while_writing_keeps_the_previous_graph(tmp_path):
    from actorgraph.graph import open_engine

    folder = tmp_path / "s"
    synth.write(600, 3, folder)
    index = validate_bulk(folder / "graph.jsonl", [folder])
    engine = open_engine("embedded", home=tmp_path / "home")
    try:
        build_bulk(engine, index, batch_size=100)
        before = engine.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
        assert before == 600
        # the file changes under the loader after validation: a later batch fails to write
        lines = (folder / "graph.jsonl").read_text(encoding="utf-8").splitlines()
        broken = json.loads(lines[-1])
        broken["to"] = "nowhere:at-all"
        lines[-1] = json.dumps(broken)
        (folder / "graph.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(KeyError):
            build_bulk(engine, index, batch_size=100)
        assert engine.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"] == before
    finally:
        engine.close()
