"""Neo4j builds too large for one transaction: staged in batches, switched by a marker (neo4j_staged.py).

On the real test server: a loader killed with SIGKILL at each step of a staged
replacement leaves a graph that readers refuse with the repair command (never half of
it), and that command repairs it; a staged build that fails midway leaves the previous
graph; readers wait for a staged build and then see the new graph whole; a `neo4j://`
(routing) URI builds and reads, with the build's bookmark passed to the reads after it.
Sizes are small (the staging is forced with a tiny transaction budget); the 1M and 10M
replacements on a 1 GB server are measured in bench/neo4j_rebuild.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI_DATA, MINI_SOURCES, REPO, actorgraph

from actorgraph.graph import neo4j_staged, open_engine
from actorgraph.graph.engine import Engine
from actorgraph.graph.nodelink import count_graph
from actorgraph.graph.writes import NodeWrite, RelWrite, Write
from actorgraph.loaders import build_graph, load_dataset

MINI = load_dataset(MINI_DATA, [MINI_SOURCES])
#: Runs a staged build of argv[2] (bench/synth.py output) and kills itself with SIGKILL at step argv[3].
KILLED_BUILD = """
import os, signal, sys
from pathlib import Path
from actorgraph.graph import neo4j_staged, open_engine
from actorgraph.loaders.bulk import build_bulk

uri, data, point = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
neo4j_staged.STAGE_TX_ROWS = 100  # several staging transactions in a small graph
mark, clean = neo4j_staged.StagedBuild.mark, neo4j_staged.clean


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def marking(self, phase):
    mark(self, phase)
    if phase == point:
        die()


def cleaning(session, queries):
    for cypher in queries:
        clean(session, [cypher])
        if point == "deleting" and "WHERE NOT n:" in cypher:
            die()  # the old graph's relationships are gone, its nodes are not
        if point == "tidied" and cypher.startswith("MATCH (n:ActorgraphStaged) CALL (n) { REMOVE"):
            die()  # the new graph is whole, its marker still stands


neo4j_staged.StagedBuild.mark = marking
neo4j_staged.clean = cleaning
engine = open_engine("neo4j", uri=uri, password="")
engine.one_transaction_rows = 10
build_bulk(engine, data / "graph.jsonl", [data])
print("finished", flush=True)
"""


@pytest.fixture(scope="module")
def synth_data(tmp_path_factory) -> Path:
    """A synthetic data set of 600 relationships (bench/synth.py), disjoint from the mini one."""
    sys.path.insert(0, str(REPO / "bench"))
    import synth

    folder = tmp_path_factory.mktemp("synth")
    synth.write(600, 5, folder)
    return folder


@pytest.fixture
def neo4j(neo4j_uri) -> Iterator[Engine]:
    from neo4j_fixture import wipe_neo4j

    wipe_neo4j(neo4j_uri)
    engine = open_engine("neo4j", uri=neo4j_uri, password="")
    try:
        yield engine
    finally:
        engine.close()


def leftovers(engine: Engine) -> dict[str, int]:
    """What a staged build leaves while it runs: staged nodes and build markers (none once whole)."""
    staged = f"MATCH (n:{neo4j_staged.STAGED_LABEL}) RETURN count(n) AS n"
    markers = f"SHOW INDEXES YIELD name WHERE name STARTS WITH '{neo4j_staged.BUILD_PREFIX}' RETURN count(*) AS n"
    return {"staged": engine.run(staged, write=True)[0]["n"], "markers": engine.run(markers, write=True)[0]["n"]}


def staged_nodes_written(uri: str, loader: subprocess.Popen[str], timeout: float = 120) -> bool:
    """Wait until the loader has committed some staged nodes; False if it ended first."""
    import neo4j

    deadline = time.monotonic() + timeout
    with neo4j.GraphDatabase.driver(uri, auth=None, notifications_min_severity="OFF") as driver:
        while loader.poll() is None and time.monotonic() < deadline:
            records, _, _ = driver.execute_query(f"MATCH (n:{neo4j_staged.STAGED_LABEL}) RETURN count(n) AS n")
            if records[0]["n"] > 0:
                return True
            time.sleep(0.05)
    return False


def kill_a_staged_build(uri: str, data: Path, point: str) -> None:
    """Run a staged build of `data` in a process that is killed with SIGKILL at `point`."""
    loader = subprocess.Popen(
        [sys.executable, "-c", KILLED_BUILD, uri, str(data), point],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if point == "outside":  # killed from outside, between or inside its staging transactions
        assert staged_nodes_written(uri, loader), loader.communicate()
        loader.send_signal(signal.SIGKILL)
    _, err = loader.communicate(timeout=120)
    assert loader.returncode == -signal.SIGKILL, f"{point}: {err}"


def test_a_loader_killed_in_a_staged_build_leaves_a_graph_refused_until_rebuilt(neo4j, neo4j_uri, synth_data):
    """One graph, killed builds in turn: at each step readers are refused, and `build` repairs it."""
    build_graph(neo4j, MINI)
    old = count_graph(neo4j)
    for point in ("outside", "switched", "deleting", "tidied"):  # each repair path, and the switch itself
        kill_a_staged_build(neo4j_uri, synth_data, point)
        assert leftovers(neo4j)["markers"] >= 1, point
        started = time.monotonic()
        if point == "outside":  # the user's view, once: the command's message and exit status
            refused = actorgraph("stats", "--engine", "neo4j", "--neo4j-uri", neo4j_uri)
            assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
            assert "is incomplete" in refused.stderr and "run `actorgraph build --engine neo4j`" in refused.stderr
        else:
            with pytest.raises(neo4j_staged.GraphIncomplete, match=r"run `actorgraph build --engine neo4j`"):
                count_graph(neo4j)
        assert time.monotonic() - started < 30, point  # told at once, not after waiting for a dead build
        build_graph(neo4j, MINI)  # the repair: clears what the killed build left, then builds
        assert count_graph(neo4j) == old, point
        assert leftovers(neo4j) == {"staged": 0, "markers": 0}, point


def rows_of(engine_rows: list[Write], fail_after: int | None = None) -> Iterator[Write]:
    for number, row in enumerate(engine_rows):
        if fail_after is not None and number == fail_after:
            raise ValueError("the loader found a problem midway")
        yield row


def generated(prefix: str, people: int) -> list[Write]:
    """`people` people who each took part in one event: a graph of any size, ids prefixed."""
    rows: list[Write] = [NodeWrite(f"{prefix}:event", ("Event",), {"id": f"{prefix}:event", "name": "Summit"})]
    for i in range(people):
        rows.append(NodeWrite(f"{prefix}:p{i}", ("Person", "Actor"), {"id": f"{prefix}:p{i}", "name": f"P {i}"}))
    for i in range(people):
        rows.append(
            RelWrite(
                f"{prefix}:r{i}",
                "PARTICIPATED_IN",
                f"{prefix}:p{i}",
                f"{prefix}:event",
                "Person",
                "Event",
                {"id": f"{prefix}:r{i}"},
            )
        )
    return rows


def test_a_staged_build_that_fails_midway_leaves_the_previous_graph(neo4j, monkeypatch):
    monkeypatch.setattr(neo4j_staged, "STAGE_TX_ROWS", 100)
    neo4j.replace_graph_rows(generated("old", 50))
    before = count_graph(neo4j)
    neo4j.one_transaction_rows = 10
    with pytest.raises(ValueError, match="midway"):
        neo4j.replace_graph_rows(rows_of(generated("new", 400), fail_after=700), batch_size=50)
    assert count_graph(neo4j) == before
    assert leftovers(neo4j) == {"staged": 0, "markers": 0}
    neo4j.replace_graph_rows(generated("new", 400), batch_size=50)
    assert count_graph(neo4j)["totals"] == {"nodes": 401, "relationships": 400}
    assert leftovers(neo4j) == {"staged": 0, "markers": 0}


def test_readers_wait_for_a_staged_build_and_then_see_the_new_graph(neo4j, neo4j_uri, monkeypatch):
    monkeypatch.setattr(neo4j_staged, "STAGE_TX_ROWS", 100)
    neo4j.replace_graph_rows(generated("old", 50))
    neo4j.one_transaction_rows = 10
    halfway, go_on = threading.Event(), threading.Event()

    def paused() -> Iterator[Write]:
        for number, row in enumerate(generated("new", 300)):
            if number == 400:  # two staging transactions committed: new nodes stand beside the old
                halfway.set()
                go_on.wait(30)
            yield row

    writer = threading.Thread(target=lambda: neo4j.replace_graph_rows(paused(), batch_size=50))
    writer.start()
    assert halfway.wait(30)
    reader = open_engine("neo4j", uri=neo4j_uri, password="")
    seen: list[dict] = []
    try:
        reading = threading.Thread(target=lambda: seen.append(count_graph(reader)))
        reading.start()
        reading.join(2)
        assert reading.is_alive(), f"a reader read while the build was half done: {seen}"
        go_on.set()
        writer.join(60)
        reading.join(60)
    finally:
        go_on.set()
        reader.close()
    assert seen and seen[0]["totals"] == {"nodes": 301, "relationships": 300}


def test_a_routing_uri_builds_and_reads_with_the_build_bookmark(neo4j_uri, neo4j):
    routed = neo4j_uri.replace("bolt://", "neo4j://")
    engine = open_engine("neo4j", uri=routed, password="")
    try:
        before = set(engine._bookmarks.get_bookmarks())
        build_graph(engine, MINI)
        after = set(engine._bookmarks.get_bookmarks())
        assert after and after != before  # the build's commit is the bookmark reads now wait for
        assert count_graph(engine)["totals"] == {"nodes": 14, "relationships": 29}
    finally:
        engine.close()
    env = {**os.environ, "ACTORGRAPH_NEO4J_URI": routed}
    listed = actorgraph("stats", "--engine", "neo4j", env=env)
    assert listed.returncode == 0, listed.stderr
    written = actorgraph("query", "CREATE (n:Country {id: 'x'})", "--engine", "neo4j", env=env)
    assert written.returncode != 0 and "read-only" in written.stderr
