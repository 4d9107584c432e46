"""Readers in other processes see one whole graph or the other while builds replace it.

Builds alternate between the mini data set and a reduced copy (no MEMBER_OF lines);
two reader processes query node count, relationship count and a checksum of all ids
in a bounded loop. Every signature they see must be one of the two full graphs, on
both engines.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from conftest import MINI_DATA, MINI_SOURCES, actorgraph

SIGNATURE = (
    "MATCH (n) WITH count(n) AS nodes, collect(n.id) AS ids "
    "OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS rels, ids"
)
READER = """
import hashlib, json, os, sys, time
from actorgraph.graph import open_engine
name, opts = sys.argv[1], json.loads(sys.argv[2])
engine = open_engine(name, **opts)
seen = set()
end = time.monotonic() + float(sys.argv[3])
stop_file = sys.argv[4] if len(sys.argv) > 4 else None  # the test's writer is done when it appears
while True:  # at least one read, then until the time is up or the writer is done
    row = engine.run({query!r})[0]
    digest = hashlib.sha256("\\n".join(sorted(row["ids"])).encode()).hexdigest()[:16]
    seen.add(f"{{row['nodes']}}/{{row['rels']}}/{{digest}}")
    if len(sys.argv) > 5:
        open(sys.argv[5], "a").close()  # reading: the test's writer may start
    if time.monotonic() >= end or (stop_file and os.path.exists(stop_file)):
        break
engine.close()
print(json.dumps(sorted(seen)))
"""


def wait_until_reading(ready: list[Path], readers: list[subprocess.Popen[str]]) -> None:
    """Wait until every reader has read once, so the writes that follow overlap the reads."""
    deadline = time.monotonic() + 60
    while not all(path.exists() for path in ready):
        assert all(reader.poll() is None for reader in readers), "a reader exited before it read"
        assert time.monotonic() < deadline, "the readers did not start reading within 60 s"
        time.sleep(0.02)


def reduced_copy(root: Path) -> Path:
    folder = root / "reduced" / "demo"
    folder.mkdir(parents=True)
    for path in (MINI_DATA / "demo").iterdir():
        text = path.read_text(encoding="utf-8")
        if path.name == "relations.yaml":
            text = "\n".join(line for line in text.splitlines() if "MEMBER_OF" not in line) + "\n"
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder.parent


def signature(engine_args: list[str]) -> str:
    result = actorgraph("query", SIGNATURE, "-f", "json", *engine_args)
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout)[0]
    import hashlib

    digest = hashlib.sha256("\n".join(sorted(row["ids"])).encode()).hexdigest()[:16]
    return f"{row['nodes']}/{row['rels']}/{digest}"


def test_readers_see_one_whole_graph_or_the_other(engine_name, engine_cli_args, tmp_path):
    full = ["--data", str(MINI_DATA), "--sources", str(MINI_SOURCES)]
    small = ["--data", str(reduced_copy(tmp_path)), "--sources", str(MINI_SOURCES)]
    assert actorgraph("build", *small, *engine_cli_args).returncode == 0
    small_sig = signature(engine_cli_args)
    assert actorgraph("build", *full, *engine_cli_args).returncode == 0
    full_sig = signature(engine_cli_args)
    assert small_sig != full_sig
    if engine_name == "embedded":
        opts = {"home": engine_cli_args[engine_cli_args.index("--home") + 1]}
    else:
        opts = {"uri": engine_cli_args[engine_cli_args.index("--neo4j-uri") + 1], "password": ""}
    script = textwrap.dedent(READER.format(query=SIGNATURE))
    done = tmp_path / "builds-done"  # the readers read until the builds are over (at most 60 s)
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", script, engine_name, json.dumps(opts), "60", str(done), str(ready)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for ready in (tmp_path / "reading-1", tmp_path / "reading-2")
    ]
    wait_until_reading([tmp_path / "reading-1", tmp_path / "reading-2"], readers)
    for round_ in range(6):
        data = small if round_ % 2 == 0 else full
        built = actorgraph("build", *data, "-q", *engine_cli_args)
        assert built.returncode == 0, built.stderr
    done.touch()
    for reader in readers:
        out, err = reader.communicate(timeout=60)
        assert reader.returncode == 0, err
        seen = set(json.loads(out))
        assert seen, "a reader saw nothing"
        assert seen <= {small_sig, full_sig}, f"a reader saw a partial graph: {seen - {small_sig, full_sig}}"


def _swap_statements(people: int) -> list[tuple[str, dict]]:
    """A loader-shaped graph: a chain of `people` places (nodes and PART_OF links)."""
    rows = [{"id": f"place:p{i}", "props": {"name": f"Place {i}"}} for i in range(people)]
    links = [{"a": f"place:p{i}", "b": f"place:p{i + 1}"} for i in range(people - 1)]
    return [
        ("UNWIND $rows AS r MERGE (n:Place {id: r.id}) SET n += r.props", {"rows": rows}),
        ("UNWIND $rows AS r MATCH (a:Place {id: r.a}), (b:Place {id: r.b}) MERGE (a)-[:PART_OF]->(b)", {"rows": links}),
    ]


def test_hundreds_of_swaps_under_readers_keep_the_embedded_server_up(home, tmp_path):
    """Found here: FalkorDB crashed (SIGSEGV) when RENAME overwrote a graph a reader was
    traversing; without the DEL+RENAME transaction this fails within a few hundred swaps.

    A fixed number of swaps, with the readers reading until the writer is done (not for a
    fixed time, which a busy machine filled with too few swaps)."""
    from actorgraph.graph import open_engine

    swaps_wanted = 150
    done = tmp_path / "writer-done"
    writer = open_engine("embedded", home=home)
    try:
        writer.replace_graph(_swap_statements(50))
        script = textwrap.dedent(READER.format(query=SIGNATURE))
        readers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    script,
                    "embedded",
                    json.dumps({"home": str(home)}),
                    "300",
                    str(done),
                    str(ready),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            # two readers and the writer: the machine's two cores and the server stay busy
            for ready in (tmp_path / "reading-1", tmp_path / "reading-2")
        ]
        wait_until_reading([tmp_path / "reading-1", tmp_path / "reading-2"], readers)
        swaps = 0
        while swaps < swaps_wanted and all(reader.poll() is None for reader in readers):
            writer.replace_graph(_swap_statements(80 if swaps % 2 else 50))
            swaps += 1
        done.touch()
        for reader in readers:
            out, err = reader.communicate(timeout=60)
            assert reader.returncode == 0, err
            seen = {tuple(entry.split("/")[:2]) for entry in json.loads(out)}
            assert seen, "a reader read nothing while the graph was swapped"
            assert seen <= {("50", "49"), ("80", "79")}
        assert swaps == swaps_wanted, f"the readers stopped after {swaps} swaps"
        assert writer.run("MATCH (n) RETURN count(n) AS n")[0]["n"] in (50, 80)
    finally:
        writer.close()
