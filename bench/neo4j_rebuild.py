"""Replace a large graph on a Neo4j sized like docker-compose.yml (1 GB heap, 768 MB transaction memory).

    python bench/neo4j_rebuild.py --relationships 1000000            # build A, replace it by B
    python bench/neo4j_rebuild.py --relationships 100000 --baseline  # and the one-transaction way too

Starts the in-process test server (tools/neo4j-test-server) with the docker-compose memory
settings, builds synthetic graph A (bench/synth.py, seed 1) into the empty database, then
replaces it by graph B (seed 2) the way `actorgraph build --engine neo4j` does, while a
reader keeps counting the graph through actorgraph: every count must be all of A or all of
B. `--baseline` first replaces A by B in ONE transaction (what builds did before the staged
path; it ran out of memory at 1M). Prints one Markdown table for bench/RESULTS.md.
Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import threading
import time
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
    """Counts the graph through actorgraph, again and again, and sorts what it saw."""

    def __init__(self, uri: str, known: dict[str, dict]) -> None:
        super().__init__(daemon=True)
        self.uri, self.known = uri, known
        self.seen: dict[str, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        engine = open_engine("neo4j", uri=self.uri, password="")
        try:
            while not self.stop.is_set():
                try:
                    counts = count_graph(engine)
                    name = next((key for key, value in self.known.items() if value == counts), "MIXED")
                except EngineError as exc:  # waited READ_RETRY_S for the build: told to come back
                    name = f"refused: {str(exc)[:60]}"
                self.seen[name] = self.seen.get(name, 0) + 1
        finally:
            engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--relationships", type=int, default=100_000)
    parser.add_argument("--baseline", action="store_true", help="also replace in one transaction (the old way)")
    parser.add_argument("--work", type=Path, help="folder for the synthetic data (kept between runs)")
    args = parser.parse_args()
    from neo4j_fixture import start_server, stop

    work = args.work or Path(tempfile.mkdtemp(prefix="actorgraph-rebuild-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    graph_a = synthetic(work, args.relationships, 1)
    graph_b = synthetic(work, args.relationships, 2)
    print(f"synthetic graphs ready in {time.monotonic() - started:.0f} s", flush=True)
    server_dir = Path(tempfile.mkdtemp(prefix="actorgraph-rebuild-neo4j-"))
    server, uri = start_server(server_dir, heap_mb=HEAP_MB, pagecache_mb=PAGECACHE_MB, tx_memory_mb=TX_MEMORY_MB)
    rows: list[tuple[str, str]] = []
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)
    try:
        engine = open_engine("neo4j", uri=uri, password="")
        seconds = load(engine, graph_a)
        counts_a = count_graph(engine)
        total = counts_a["totals"]
        rows.append(("build A into an empty database", f"{seconds:.1f} s ({args.relationships / seconds:,.0f} rel/s)"))
        print(rows[-1], total, flush=True)
        if args.baseline:
            engine.one_transaction_rows = 10**12
            started = time.monotonic()
            try:
                load(engine, graph_b)
                outcome = "replaced"
            except EngineError as exc:
                outcome = f"FAILED: {str(exc).splitlines()[0][:110]}"
            rows.append(
                ("baseline: replace A by B in one transaction", f"{time.monotonic() - started:.1f} s, {outcome}")
            )
            print(rows[-1], flush=True)
            engine.one_transaction_rows = neo4j_engine_default()
            if outcome == "replaced":  # back to A, so the staged run replaces the same graph
                load(engine, graph_a)
        reader = Reader(uri, {"A": counts_a})
        reader.start()
        seconds = load(engine, graph_b)
        counts_b = count_graph(engine)
        reader.known["B"] = counts_b
        time.sleep(1)
        reader.stop.set()
        reader.join(120)
        leftovers = engine.run(f"MATCH (n:{neo4j_staged.STAGED_LABEL}) RETURN count(n) AS n", write=True)[0]["n"]
        rows.append(
            (
                "replace A by B (staged, batched)",
                f"{seconds:.1f} s ({args.relationships / seconds:,.0f} rel/s); B has "
                f"{counts_b['totals']['nodes']:,} nodes, {counts_b['totals']['relationships']:,} relationships; "
                f"{leftovers} staged nodes left",
            )
        )
        print(rows[-1], flush=True)
        rows.append(("reads during the replacement", ", ".join(f"{k}: {v}" for k, v in sorted(reader.seen.items()))))
        rows.append(("loader peak RSS", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"))
        engine.close()
    finally:
        stop(server)
    print(
        f"\n### Neo4j rebuild, {args.relationships:,} relationships, heap {HEAP_MB} MB, "
        f"transaction memory {TX_MEMORY_MB} MB (commit {commit.stdout.strip()})\n"
    )
    print("| step | result |\n|---|---|")
    for step, result in rows:
        print(f"| {step} | {result} |")


def neo4j_engine_default() -> int:
    from actorgraph.graph.neo4j_engine import ONE_TRANSACTION_ROWS

    return ONE_TRANSACTION_ROWS


if __name__ == "__main__":
    main()
