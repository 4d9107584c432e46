"""Loading a synthetic graph into an empty Neo4j: the online path against the offline import tool.

    python bench/neo4j_load.py --relationships 1000000 --work /tmp/w             # online + offline
    python bench/neo4j_load.py --relationships 1000000 --work /tmp/w --only offline
    python bench/neo4j_load.py --relationships 100000 --only concurrent,online --batch-size 10000

Every server is the in-process test server (tools/neo4j-test-server) with docker-compose.yml's
memory settings (1 GB heap, 512 MB page cache, 768 MB of transaction memory), fresh for each way:

* **online**: `actorgraph build --engine neo4j` as it is (`build_bulk` into `Neo4jEngine`:
  batched `UNWIND ... CREATE` over Bolt, staged in transactions above 100,000 rows).
* **offline**, end to end: `actorgraph build --offline-import DIR` (the same loader writing
  the CSV folder), `neo4j-admin database import full` (the real tool, `AdminTool` on the test
  server's class path, 1 GB heap), a server started on the imported store (the harness copies
  the store first: the copy is timed on its own and reported), and `actorgraph schema --apply`
  (every index `build` creates, populated: `db.awaitIndexes`). The graph's counts are checked.
* **concurrent**: the online rows sent as `CALL { ... } IN CONCURRENT TRANSACTIONS` queries of
  `--chunk` rows each (nodes, then relationships matched by `id`), auto-commit: what the
  server can do with both cores when it commits batches in parallel. Not atomic: a
  measurement of the option, not a way actorgraph builds.

Prints one Markdown table (wall s, rel/s, CPU s of loader / tool / server). Not a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "tests")]

import synth  # noqa: E402

from actorgraph.graph import open_engine  # noqa: E402
from actorgraph.graph.neo4j_import import ImportFolder  # noqa: E402
from actorgraph.graph.writes import NodeWrite, batches, node_statement, relation_statement  # noqa: E402
from actorgraph.loaders.bulk import _start, build_bulk  # noqa: E402

#: docker-compose.yml's Neo4j memory settings.
HEAP_MB, PAGECACHE_MB, TX_MEMORY_MB = 1024, 512, 768
CLOCK = os.sysconf("SC_CLK_TCK")


def synthetic(folder: Path, relationships: int, seed: int = 1) -> Path:
    """bench/synth.py's graph, written once into `folder`."""
    target = folder / f"synth-{relationships}-{seed}"
    if not (target / "graph.jsonl").exists():
        synth.write(relationships, seed, target)
    return target


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) process `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def server(copy_from: Path | None = None) -> Iterator[tuple[str, int]]:
    """A fresh test server with docker-compose.yml's memory settings; yields its URI and pid."""
    from neo4j_fixture import start_server, stop

    folder = Path(tempfile.mkdtemp(prefix="actorgraph-load-neo4j-"))
    process, uri = start_server(
        folder, copy_from=copy_from, heap_mb=HEAP_MB, pagecache_mb=PAGECACHE_MB, tx_memory_mb=TX_MEMORY_MB
    )
    try:
        yield uri, process.pid
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def counts(uri: str) -> tuple[int, int]:
    engine = open_engine("neo4j", uri=uri, password="")
    try:
        nodes = engine.run("MATCH (n) RETURN count(n) AS n")[0]["n"]
        return nodes, engine.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    finally:
        engine.close()


def online(data: Path, n: int, batch_size: int) -> list[tuple]:
    """`actorgraph build --engine neo4j` into an empty database (what a user runs now)."""
    with server() as (uri, pid):
        engine = open_engine("neo4j", uri=uri, password="")
        try:
            engine.ensure_schema()  # as a build does; a fresh server has none
            loader0, server0, started = own_cpu(), cpu_of(pid), time.monotonic()
            build_bulk(engine, data / "graph.jsonl", [data], batch_size=batch_size)
            wall = time.monotonic() - started
            row = ("online", f"build_bulk, batch {batch_size}", wall, own_cpu() - loader0, 0.0, cpu_of(pid) - server0)
        finally:
            engine.close()
        found = counts(uri)
    return [(*row, found)]


def offline(data: Path, n: int, work: Path) -> list[tuple]:
    """CSV folder, neo4j-admin import, a server on the store, schema --apply: each step timed."""
    from neo4j_fixture import build_java_tool

    rows = []
    folder = work / f"import-{n}"
    loader0, started = own_cpu(), time.monotonic()
    writer = ImportFolder(folder)
    build_bulk(writer, data / "graph.jsonl", [data])
    rows.append(("offline", "1. write the CSV folder", time.monotonic() - started, own_cpu() - loader0, 0.0, 0.0))
    assert writer.plan is not None

    java, classpath = build_java_tool(REPO / "tools" / "neo4j-test-server", "run neo4j-admin")
    store = work / f"store-{n}"
    shutil.rmtree(store, ignore_errors=True)
    (store / "conf").mkdir(parents=True)
    (store / "conf" / "neo4j.conf").write_text("", encoding="utf-8")
    env = {**os.environ, "NEO4J_HOME": str(store), "NEO4J_CONF": str(store / "conf")}
    command = [java, f"-Xmx{HEAP_MB}m", "-cp", classpath, "org.neo4j.cli.AdminTool", *writer.plan.command()[1:]]
    command += ["--max-off-heap-memory=1g", f"--report-file={store / 'import.report'}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, env=env, cwd=store, capture_output=True, text=True)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or "IMPORT DONE" not in done.stdout:
        raise SystemExit(f"neo4j-admin import failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    tool = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rows.append(("offline", "2. neo4j-admin database import full", wall, 0.0, tool, 0.0))

    started = time.monotonic()
    scratch = work / "copy-timing"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(store, scratch)
    copy = time.monotonic() - started
    shutil.rmtree(scratch, ignore_errors=True)

    started = time.monotonic()
    with server(copy_from=store) as (uri, pid):
        start = time.monotonic() - started
        rows.append(
            (
                "offline",
                f"3. start a server on the store (of it, copying the store: {copy:.1f} s)",
                start,
                0.0,
                0.0,
                cpu_of(pid),
            )
        )
        server0, started = cpu_of(pid), time.monotonic()
        engine = open_engine("neo4j", uri=uri, password="")
        try:
            engine.ensure_schema()  # `actorgraph schema --apply`: every index, populated
        finally:
            engine.close()
        rows.append(
            (
                "offline",
                "4. schema --apply (indexes populated)",
                time.monotonic() - started,
                0.0,
                0.0,
                cpu_of(pid) - server0,
            )
        )
        found = counts(uri)
    total = tuple(sum(row[i] for row in rows) for i in range(2, 6))
    rows.append(("offline", "**end to end (1-4)**", *total))
    return [(*row, found) for row in rows]


def concurrent(data: Path, n: int, chunk: int, inner: int) -> list[tuple]:
    """The rows as `CALL { } IN CONCURRENT TRANSACTIONS OF inner ROWS`, `chunk` rows a query."""
    with server() as (uri, pid):
        engine = open_engine("neo4j", uri=uri, password="")
        try:
            engine.ensure_schema()
            driver = engine._driver  # noqa: SLF001 - a measurement of the server, beside actorgraph's path
            loader0, server0, started = own_cpu(), cpu_of(pid), time.monotonic()
            with driver.session(database="neo4j") as session:
                for batch in batches(_start(data / "graph.jsonl", [data], None).rows(), chunk):
                    first = batch[0]
                    if isinstance(first, NodeWrite):
                        inner_cypher = node_statement(first.labels).replace("UNWIND $rows AS r ", "")
                        params = [{"id": row.id, "props": row.props} for row in batch]
                    else:
                        inner_cypher = relation_statement(first.type, first.source_kind, first.target_kind)
                        inner_cypher = inner_cypher.replace("UNWIND $rows AS r ", "")
                        params = [{"id": r.id, "source": r.source, "target": r.target, "props": r.props} for r in batch]
                    cypher = (
                        f"UNWIND $rows AS r CALL (r) {{ {inner_cypher} }} IN CONCURRENT TRANSACTIONS OF {inner} ROWS"
                    )
                    session.run(cypher, {"rows": params}).consume()
            wall = time.monotonic() - started
            row = (
                "concurrent",
                f"chunks of {chunk}, inner {inner}",
                wall,
                own_cpu() - loader0,
                0.0,
                cpu_of(pid) - server0,
            )
        finally:
            engine.close()
        found = counts(uri)
    return [(*row, found)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--relationships", "-n", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, help="folder for the synthetic data and the import (kept)")
    parser.add_argument("--only", default="online,offline", help="ways to run, of online,offline,concurrent")
    parser.add_argument("--batch-size", default="2000", help="rows per UNWIND batch (online); several: 2000,10000")
    parser.add_argument("--chunk", type=int, default=20_000, help="rows per query (concurrent)")
    parser.add_argument("--inner", type=int, default=2000, help="rows per inner transaction (concurrent)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="actorgraph-load-"))
    work.mkdir(parents=True, exist_ok=True)
    data = synthetic(work, args.relationships)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)
    load_before = os.getloadavg()
    rows: list[tuple] = []
    for way in args.only.split(","):
        if way == "online":
            for size in args.batch_size.split(","):
                rows += online(data, args.relationships, int(size))
        elif way == "offline":
            rows += offline(data, args.relationships, work)
        elif way == "concurrent":
            rows += concurrent(data, args.relationships, args.chunk, args.inner)
        else:
            raise SystemExit(f"--only: unknown way {way!r}")
        print(rows[-1], flush=True)
    load_after = os.getloadavg()
    print(
        f"\n### Neo4j loads into an empty database, {args.relationships:,} relationships "
        f"(commit {commit.stdout.strip()}, load average at start {load_before[0]:.1f}, at end {load_after[0]:.1f}, "
        f"1/5/15 min at end {load_after[0]:.1f}/{load_after[1]:.1f}/{load_after[2]:.1f})\n"
    )
    print("| way | step | wall s | rel/s | CPU s: loader / import tool / server | nodes, relationships after |")
    print("|---|---|---|---|---|---|")
    for way, step, wall, loader, tool, server_cpu, found in rows:
        rate = f"{args.relationships / wall:,.0f}" if not step[0].isdigit() else ""
        print(
            f"| {way} | {step} | {wall:.1f} | {rate} | {loader:.1f} / {tool:.1f} / {server_cpu:.1f} | "
            f"{found[0]:,}, {found[1]:,} |"
        )


if __name__ == "__main__":
    main()
