"""Replace a large graph on a Neo4j sized like docker-compose.yml (1 GB heap, 768 MB transaction memory).

    python bench/neo4j_rebuild.py --relationships 1000000            # build A, replace it by B
    python bench/neo4j_rebuild.py --relationships 100000 --baseline  # and the one-transaction way too

Starts the in-process test server (tools/neo4j-test-server) with the docker-compose memory
settings, builds synthetic graph A (bench/synth.py, seed 1) into the empty database, then
replaces it by graph B (seed 2) the way `actorgraph build --engine neo4j` does, while a
reader keeps counting the graph through actorgraph: every count must be all of A or all of
B. `--baseline` then replaces A by B in ONE transaction (what builds did before the staged
path), on a server of its own: a failure there can leave the server needing a restart. Prints one Markdown table for bench/RESULTS.md.
Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "tests")]

import synth  # noqa: E402

from actorgraph.graph import neo4j_staged, open_engine  # noqa: E402
from actorgraph.graph.engine import Engine, EngineError  # noqa: E402
from actorgraph.graph.nodelink import count_graph  # noqa: E402
from actorgraph.loaders.bulk import build_bulk  # noqa: E402

#: docker-compose.yml's Neo4j memory settings.
HEAP_MB, PAGECACHE_MB, TX_MEMORY_MB = 1024, 512, 768


def synthetic(folder: Path, relationships: int, seed: int) -> Path:
    """bench/synth.py's graph of `relationships` for `seed`, written once into `folder`."""
    target = folder / f"synth-{relationships}-{seed}"
    if not (target / "graph.jsonl").exists():
        synth.write(relationships, seed, target)
    return target


def load(engine: Engine, data: Path) -> float:
    """Seconds to replace the engine's graph with `data` through the bulk loader (what `build` runs)."""
    started = time.monotonic()
    build_bulk(engine, data / "graph.jsonl", [data])
    return time.monotonic() - started


class Reader(threading.Thread):
    """Counts the graph through actorgraph, again and again; `seen` sorts the counts once both graphs are known."""

    def __init__(self, uri: str) -> None:
        super().__init__(daemon=True)
        self.uri = uri
        self.results: list[dict | str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        engine = open_engine("neo4j", uri=self.uri, password="")
        try:
            while not self.stop.is_set():
                try:
                    self.results.append(count_graph(engine))
                except EngineError as exc:  # waited READ_RETRY_S for the build: told to come back
                    self.results.append(f"refused: {str(exc)[:60]}")
        finally:
            engine.close()

    def seen(self, known: dict[str, dict]) -> dict[str, int]:
        """How many reads saw each known graph, were refused, or saw neither (MIXED: must stay 0)."""
        tally: dict[str, int] = {}
        for result in self.results:
            if isinstance(result, str):
                name = result
            else:
                name = next((key for key, value in known.items() if value == result), "MIXED")
            tally[name] = tally.get(name, 0) + 1
        return tally


@contextmanager
def fresh_server() -> Iterator[str]:
    """A new test server with docker-compose.yml's memory settings, removed afterwards; yields its URI."""
    from neo4j_fixture import start_server, stop

    folder = Path(tempfile.mkdtemp(prefix="actorgraph-rebuild-neo4j-"))
    server, uri = start_server(folder, heap_mb=HEAP_MB, pagecache_mb=PAGECACHE_MB, tx_memory_mb=TX_MEMORY_MB)
    try:
        yield uri
    finally:
        stop(server)
        shutil.rmtree(folder, ignore_errors=True)


def baseline(graph_a: Path, graph_b: Path, relationships: int) -> list[tuple[str, str]]:
    """Replace A by B in ONE transaction, on a server of its own (a failure can leave it needing a restart)."""
    with fresh_server() as uri:
        engine = open_engine("neo4j", uri=uri, password="")
        rows = []
        try:
            engine.one_transaction_rows = 10**12
            try:
                seconds = load(engine, graph_a)
                into_empty = f"{seconds:.1f} s ({relationships / seconds:,.0f} rel/s)"
            except EngineError as exc:
                return [("baseline: build A into an empty database in one transaction", f"FAILED: {exc}"[:160])]
            rows.append(("baseline: build A into an empty database in one transaction", into_empty))
            print(rows[-1], flush=True)
            started = time.monotonic()
            try:
                load(engine, graph_b)
                outcome = "replaced"
            except EngineError as exc:
                outcome = f"FAILED: {str(exc).splitlines()[0][:110]}"
            seconds = time.monotonic() - started
        finally:
            engine.close()
    return [*rows, ("baseline: replace A by B in one transaction", f"{seconds:.1f} s, {outcome}")]


def staged(graph_a: Path, graph_b: Path, relationships: int) -> list[tuple[str, str]]:
    """Build A into an empty database, then replace it by B while a reader counts the graph."""
    rows = []
    with fresh_server() as uri:
        engine = open_engine("neo4j", uri=uri, password="")
        try:
            seconds = load(engine, graph_a)
            counts_a = count_graph(engine)
            rows.append(("build A into an empty database", f"{seconds:.1f} s ({relationships / seconds:,.0f} rel/s)"))
            print(rows[-1], counts_a["totals"], flush=True)
            reader = Reader(uri)
            reader.start()
            seconds = load(engine, graph_b)
            counts_b = count_graph(engine)
            time.sleep(1)
            reader.stop.set()
            reader.join(120)
            staged_left = engine.run(f"MATCH (n:{neo4j_staged.STAGED_LABEL}) RETURN count(n) AS n", write=True)
            totals = counts_b["totals"]
            rows.append(
                (
                    "replace A by B (staged, batched)",
                    f"{seconds:.1f} s ({relationships / seconds:,.0f} rel/s); B has {totals['nodes']:,} nodes, "
                    f"{totals['relationships']:,} relationships; {staged_left[0]['n']} staged nodes left",
                )
            )
            print(rows[-1], flush=True)
            seen = reader.seen({"A": counts_a, "B": counts_b})
            reads = ", ".join(f"{key}: {value}" for key, value in sorted(seen.items()))
            rows.append(("reads through actorgraph during the replacement", reads))
        finally:
            engine.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--relationships", type=int, default=100_000)
    parser.add_argument("--baseline", action="store_true", help="also replace in one transaction (the old way)")
    parser.add_argument("--work", type=Path, help="folder for the synthetic data (kept between runs)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="actorgraph-rebuild-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    graph_a = synthetic(work, args.relationships, 1)
    graph_b = synthetic(work, args.relationships, 2)
    print(f"synthetic graphs ready in {time.monotonic() - started:.0f} s", flush=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)
    load_before = os.getloadavg()[0]
    rows = staged(graph_a, graph_b, args.relationships)
    rows.append(
        ("loader peak RSS (staged run)", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    )
    if args.baseline:
        rows += baseline(graph_a, graph_b, args.relationships)
        print(rows[-1], flush=True)
    rows.append(("load average (2 cores) at start / end", f"{load_before:.1f} / {os.getloadavg()[0]:.1f}"))
    print(
        f"\n### Neo4j rebuild, {args.relationships:,} relationships, heap {HEAP_MB} MB, "
        f"transaction memory {TX_MEMORY_MB} MB (commit {commit.stdout.strip()})\n"
    )
    print("| step | result |\n|---|---|")
    for step, result in rows:
        print(f"| {step} | {result} |")


if __name__ == "__main__":
    main()
