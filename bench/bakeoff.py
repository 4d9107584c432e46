"""Embedded engine bake-off: FalkorDB (today's default) against Ladybug (the maintained Kùzu fork).

    python bench/bakeoff.py [-n 100000] [--repeats 20]

Same synthetic graph (bench/synth.py), same machine, one run: load time, the
whole-graph reads that are FalkorDB's weak spot, point lookups, a reader during a
rebuild from another process, and a kill -9 in the middle of a load. Needs the
`ladybug` package (`pip install ladybug`); it is not a dependency of actorgraph.
Prints Markdown for bench/RESULTS.md. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import synth  # noqa: E402
from run_all import latency, table  # noqa: E402

from actorgraph.graph import open_engine, schema  # noqa: E402
from actorgraph.loaders import load  # noqa: E402
from actorgraph.queries.registry import ask  # noqa: E402

#: Ladybug column types for the schema's property types.
COLUMN_TYPES = {
    "str": "STRING",
    "date": "STRING",
    "int": "INT64",
    "float": "DOUBLE",
    "number": "DOUBLE",
    "bool": "BOOLEAN",
    "list[str]": "STRING[]",
    "list[int]": "INT64[]",
}


# ------------------------------------------------------------------ Ladybug schema
def ladybug_ddl() -> list[str]:
    """Node tables per kind and relationship tables per type, generated from the schema's allow-list.

    Ladybug (like Kùzu) has one table per node: the kind is the table, the finer labels
    (Country, Leader, ...) a `labels` list; a relationship type joins every pair of kinds
    its allowed end labels belong to.
    """
    node_columns = ", ".join(
        f"`{name}` {COLUMN_TYPES[spec.type]}" for name, spec in schema.PROPERTIES.items() if name != "id"
    )
    statements = [
        f"CREATE NODE TABLE {kind}(id STRING, labels STRING[], {node_columns}, PRIMARY KEY(id))"
        for kind in schema.KINDS
    ]
    rel_columns = ", ".join(
        f"`{name}` {COLUMN_TYPES[spec.type]}" for name, spec in schema.PROPERTIES.items() if name != "id"
    )
    for name, spec in schema.RELATIONSHIPS.items():
        pairs = sorted({(schema.LABELS[a].kind, schema.LABELS[b].kind) for a in spec.sources for b in spec.targets})
        ends = ", ".join(f"FROM {a} TO {b}" for a, b in pairs)
        statements.append(f"CREATE REL TABLE {name}({ends}, {rel_columns})")
    return statements


ARROW_TYPES = {
    "str": "string",
    "date": "string",
    "int": "int64",
    "float": "float64",
    "number": "float64",
    "bool": "bool",
    "list[str]": "list<string>",
    "list[int]": "list<int64>",
}


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    simple = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    name = ARROW_TYPES[kind]
    return pa.list_(simple[name[5:-1]]) if name.startswith("list<") else simple[name]


def ladybug_files(graph: Path, folder: Path) -> tuple[dict[str, Path], dict[tuple[str, str, str], Path]]:
    """The JSON Lines graph as one Parquet file per node table and per (type, from kind, to kind).

    Typed from the schema, so a column no row has stays a typed null (Ladybug's COPY
    cannot cast pandas' NaN to a list or text).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    nodes: dict[str, list[dict]] = defaultdict(list)
    rels: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    kinds: dict[str, str] = {}
    with graph.open("rb") as handle:
        for line in handle:
            record = orjson.loads(line)
            if record.pop("kind") == "node":
                kind = schema.kind_of(record["labels"])
                kinds[record["id"]] = kind
                record["labels"] = list(schema.closure(record["labels"]))
                nodes[kind].append(record)
            else:
                start, end, rel_type = record.pop("from"), record.pop("to"), record.pop("type")
                record.pop("key", None)
                rels[(rel_type, kinds[start], kinds[end])].append({"from": start, "to": end, **record})
    columns = [(name, _arrow_type(spec.type)) for name, spec in schema.PROPERTIES.items() if name != "id"]

    def write(rows: list[dict], first: list[tuple[str, Any]], path: Path) -> Path:
        fields = [*first, *columns]
        arrays = [pa.array([row.get(name) for row in rows], type=kind) for name, kind in fields]
        pq.write_table(pa.Table.from_arrays(arrays, names=[name for name, _ in fields]), path)
        return path

    folder.mkdir(parents=True, exist_ok=True)
    node_first = [("id", pa.string()), ("labels", pa.list_(pa.string()))]
    rel_first = [("from", pa.string()), ("to", pa.string())]
    node_files = {kind: write(rows, node_first, folder / f"{kind}.parquet") for kind, rows in nodes.items()}
    rel_files = {key: write(rows, rel_first, folder / f"{'-'.join(key)}.parquet") for key, rows in rels.items()}
    return node_files, rel_files


def ladybug_load(path: Path, graph: Path) -> dict[str, float]:
    import ladybug

    start = time.perf_counter()
    node_files, rel_files = ladybug_files(graph, path.parent / "parquet")
    converted = time.perf_counter() - start
    database = ladybug.Database(str(path))
    connection = ladybug.Connection(database)
    for statement in ladybug_ddl():
        connection.execute(statement)
    start = time.perf_counter()
    for kind, file in node_files.items():
        connection.execute(f"COPY {kind} FROM '{file}'")
    for (rel_type, a, b), file in rel_files.items():
        connection.execute(f"COPY {rel_type} FROM '{file}' (from='{a}', to='{b}')")
    copied = time.perf_counter() - start
    connection.close()
    database.close()
    return {"convert": converted, "copy": copied}


# ------------------------------------------------------------------------- queries
def busiest_country(graph: Path) -> str:
    counts: dict[str, int] = defaultdict(int)
    with graph.open("rb") as handle:
        for line in handle:
            record = orjson.loads(line)
            if record["kind"] == "relation":
                for end in (record["from"], record["to"]):
                    if end.startswith("country:"):
                        counts[end] += 1
    return max(sorted(counts), key=counts.__getitem__)


def falkordb_queries(country: str, leader_country: str) -> dict[str, Any]:
    return {
        "count by type": lambda e: e.run("MATCH ()-[r]->() RETURN type(r) AS t, count(r) AS n"),
        "most_connected": lambda e: ask(e, "most_connected"),
        "2 hops of busiest country": lambda e: e.run(
            "MATCH (c:Actor {id: $id})--(m) WITH DISTINCT m MATCH (m)--(x) RETURN count(DISTINCT x) AS n",
            {"id": country},
        ),
        "profile": lambda e: ask(e, "profile", actor=country),
        "leaders": lambda e: ask(e, "leaders", country=leader_country),
    }


def ladybug_queries(country: str, leader_country: str) -> dict[str, tuple[str, dict]]:
    return {
        "count by type": ("MATCH ()-[r]->() RETURN label(r) AS t, count(*) AS n", {}),
        "most_connected": (
            "MATCH (n:Actor)-[r]-() WHERE label(r) <> 'MENTIONED_IN' "
            "RETURN n.name AS actor, n.id AS id, count(r) AS c ORDER BY c DESC, actor LIMIT 10",
            {},
        ),
        "2 hops of busiest country": (
            "MATCH (c:Actor {id: $id})--(m) WITH DISTINCT m MATCH (m)--(x) RETURN count(DISTINCT x) AS n",
            {"id": country},
        ),
        "profile": (
            "MATCH (a:Actor {id: $id})-[r]-(b) WHERE label(r) <> 'MENTIONED_IN' "
            "RETURN label(r) AS relation, b.name AS other, r.evidence AS evidence, r.line AS line "
            "ORDER BY relation, other",
            {"id": country},
        ),
        "leaders": (
            "MATCH (p:Actor)-[r:LEADS]->(c:Actor {id: $id}) RETURN p.name AS leader, r.start AS start, "
            "r.evidence AS evidence, r.line AS line ORDER BY start, leader",
            {"id": leader_country},
        ),
    }


# ------------------------------------------------------------ concurrency and crash
READER = textwrap.dedent(
    """
    import sys, time, ladybug
    db = ladybug.Database(sys.argv[1], read_only=True)
    conn = ladybug.Connection(db)
    print("reader open", flush=True)
    deadline = time.monotonic() + float(sys.argv[2])
    n = 0
    while time.monotonic() < deadline:
        conn.execute("MATCH (n:Actor) RETURN count(n)")
        n += 1
    print("reads", n, flush=True)
    """
)
WRITER = textwrap.dedent(
    """
    import sys, ladybug
    try:
        db = ladybug.Database(sys.argv[1])
        conn = ladybug.Connection(db)
        conn.execute("CREATE (:Place {id: 'place:new', labels: ['Place'], name: 'New'})")
        print("writer ok", flush=True)
    except Exception as exc:
        print("writer refused:", str(exc).splitlines()[0], flush=True)
    """
)


def ladybug_concurrency(path: Path) -> str:
    """Can a second process write (a rebuild) while a reader process has the database open?"""
    reader = subprocess.Popen([sys.executable, "-c", READER, str(path), "6"], stdout=subprocess.PIPE, text=True)
    assert reader.stdout is not None
    reader.stdout.readline()
    writer = subprocess.run([sys.executable, "-c", WRITER, str(path)], capture_output=True, text=True, timeout=120)
    reader.wait(timeout=60)
    return (writer.stdout.strip() or writer.stderr.strip().splitlines()[-1])[:160]


def ladybug_crash(path: Path, graph: Path) -> str:
    """kill -9 a process replacing the graph in one transaction (delete all, COPY again); what opens after?"""
    script = textwrap.dedent(
        f"""
        import sys
        sys.path[:0] = {[str(HERE), str(HERE.parent / "tests")]!r}
        import bakeoff, ladybug
        nodes, rels = bakeoff.ladybug_files(
            __import__("pathlib").Path({str(graph)!r}), __import__("pathlib").Path({str(path.parent / "parquet")!r})
        )
        db = ladybug.Database({str(path)!r})
        conn = ladybug.Connection(db)
        conn.execute("BEGIN TRANSACTION")
        conn.execute("MATCH (n) DETACH DELETE n")
        print("deleting done", flush=True)
        for kind, file in nodes.items():
            conn.execute(f"COPY {{kind}} FROM '{{file}}'")
        for (t, a, b), file in rels.items():
            conn.execute(f"COPY {{t}} FROM '{{file}}' (from='{{a}}', to='{{b}}')")
        conn.execute("COMMIT")
        print("copied", flush=True)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    proc.stdout.readline()
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    import ladybug

    try:
        database = ladybug.Database(str(path), read_only=True)
        connection = ladybug.Connection(database)
        result = connection.execute("MATCH ()-[r]->() RETURN count(*)")
        count = result.get_next()[0]
        connection.close()
        database.close()
        return f"opens after kill -9 during a rebuild; {count:,} relationships visible"
    except Exception as exc:  # what a user would see
        return f"does not open after kill -9: {str(exc).splitlines()[0][:120]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--relationships", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ag-bakeoff-"))
    folder = work / "synth"
    synth.write(args.relationships, 1, folder)
    graph = folder / "graph.jsonl"
    country = busiest_country(graph)
    leader_country = country
    loads, reads = [], []

    home = work / "falkordb"
    engine = open_engine("embedded", home=home)
    start = time.perf_counter()
    load(graph, engine, sources=folder, batch_size=5000)
    loads.append(
        {"engine": "FalkorDB", "load s": f"{time.perf_counter() - start:.1f}", "note": "GRAPH.BULK, indexes, snapshot"}
    )
    engine.close()
    engine = open_engine("embedded", home=home)  # as every later command sees it: loaded from the snapshot
    for name, call in falkordb_queries(country, leader_country).items():
        p50, p95 = latency(lambda call=call: call(engine), args.repeats)
        reads.append({"question": name, "engine": "FalkorDB", "p50 ms": f"{p50:.1f}", "p95 ms": f"{p95:.1f}"})
    engine.close()

    import ladybug

    path = work / "ladybug.lbdb"
    start = time.perf_counter()
    parts = ladybug_load(path, graph)
    loads.append(
        {
            "engine": "Ladybug",
            "load s": f"{time.perf_counter() - start:.1f}",
            "note": f"JSON Lines -> Parquet {parts['convert']:.1f} s, COPY {parts['copy']:.1f} s",
        }
    )
    database = ladybug.Database(str(path), read_only=True)
    connection = ladybug.Connection(database)
    for name, (cypher, params) in ladybug_queries(country, leader_country).items():

        def call(cypher: str = cypher, params: dict = params) -> list:
            result = connection.execute(cypher, params)
            rows = []
            while result.has_next():
                rows.append(result.get_next())
            return rows

        p50, p95 = latency(call, args.repeats)
        reads.append({"question": name, "engine": "Ladybug", "p50 ms": f"{p50:.1f}", "p95 ms": f"{p95:.1f}"})
    connection.close()
    database.close()
    behaviour = [
        {"test": "a write (rebuild) while another process reads", "Ladybug": ladybug_concurrency(path)},
        {"test": "kill -9 during a rebuild", "Ladybug": ladybug_crash(path, graph)},
    ]
    reads.sort(key=lambda row: (row["question"], row["engine"]))
    print(table(f"Loads at {args.relationships:,} relationships", loads))
    print(table(f"Reads at {args.relationships:,} relationships ({args.repeats} runs each)", reads))
    print(table("Concurrency and crash safety", behaviour))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
