"""Import and build the standard data sets (Archigos, COW, GW, ATOP) with the article; catalogue p95 on that graph.

    python bench/datasets.py --tables DIR [--neo4j | --neo4j-uri bolt://...] [--repeats 30]

DIR holds the four tables as peacesciencer ships them (`archigos.rda`, `cow_states.rda`,
`gw_states.rda`, `atop_alliance.rda`, from its `data/` folder); they are not in this
repository. `--neo4j` starts the in-process Neo4j test server (tests/neo4j_fixture.py) for
the run (2 GB heap). Prints a Markdown table for bench/RESULTS.md.
Peak memory is this process's (import, validation, loader); the engines' servers are
separate processes. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from run_all import latency, open_target, table  # noqa: E402

from actorgraph.config import data_dir, sources_dirs  # noqa: E402
from actorgraph.datasets import convert  # noqa: E402
from actorgraph.loaders import build_graph, load_dataset  # noqa: E402
from actorgraph.queries.registry import ask, catalogue  # noqa: E402

#: The data sets' graph is ~30k records: a 2 GB heap holds its one-transaction load with room to spare.
NEO4J_HEAP_MB = 2048
NEO4J_PAGECACHE_MB = 512
#: Calls of each question before timing it (latency() adds one): Neo4j compiles and JIT-warms a query.
WARM_UP = 5
TABLES = (("cow-states", "cow_states"), ("gw-states", "gw_states"), ("archigos", "archigos"), ("atop", "atop_alliance"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=Path, required=True)
    parser.add_argument("--neo4j-uri", help="a running Neo4j 5 without auth")
    parser.add_argument("--neo4j", action="store_true", help="start the Neo4j test server for the run")
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ag-datasets-"))
    server = None
    if args.neo4j and not args.neo4j_uri:
        from neo4j_fixture import start_server, stop

        server, args.neo4j_uri = start_server(work / "neo4j", heap_mb=NEO4J_HEAP_MB, pagecache_mb=NEO4J_PAGECACHE_MB)
    try:
        run(args, work)
    finally:
        if server is not None:
            stop(server)


def run(args: argparse.Namespace, work: Path) -> None:
    """Import the four tables, validate them with the article, build on each engine and time the catalogue."""
    out = work / "imports"
    steps = []
    rows_in = 0
    start_all = time.perf_counter()
    for name, stem in TABLES:
        start = time.perf_counter()
        convert(name, args.tables / f"{stem}.rda", out, data=data_dir())
        seconds = time.perf_counter() - start
        rows = sum(1 for _ in (out / f"{name}.jsonl").open())
        steps.append({"step": f"import {name}", "s": f"{seconds:.1f}", "records": f"{rows:,}"})
        rows_in += rows
    imported = time.perf_counter() - start_all
    start = time.perf_counter()
    dataset = load_dataset([data_dir(), out], sources_dirs(data_dir()))
    checked = time.perf_counter() - start
    steps.append(
        {
            "step": "validate article + imports",
            "s": f"{checked:.1f}",
            "records": f"{len(dataset.nodes) + len(dataset.relations):,}",
        }
    )
    engines = ["embedded"] + (["neo4j"] if args.neo4j_uri else [])
    answers = []
    for kind in engines:
        engine = open_target(kind, work / f"home-{kind}", args.neo4j_uri)
        try:
            start = time.perf_counter()
            counts = build_graph(engine, dataset)
            built = time.perf_counter() - start
            total = imported + checked + built
            steps.append(
                {
                    "step": f"build ({kind})",
                    "s": f"{built:.1f}",
                    "records": f"{counts['nodes']:,} nodes, {counts['relationships']:,} rels; "
                    f"import + build {total:.1f} s ({counts['relationships'] / total:,.0f} rel/s)",
                }
            )
            for name, question in sorted(catalogue().items()):
                values = {
                    p.name: p.example for p in question.params if p.example and (not p.optional or p.type == "actor")
                }
                for _ in range(WARM_UP):  # a served graph answers many questions: time a warm server
                    ask(engine, name, **values)
                p50, p95 = latency(lambda e=engine, name=name, values=values: ask(e, name, **values), args.repeats)
                answers.append({"engine": kind, "question": name, "p50 ms": f"{p50:.1f}", "p95 ms": f"{p95:.1f}"})
        finally:
            engine.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    steps.append({"step": "peak RSS of this process", "s": "", "records": f"{peak:.0f} MB"})
    print(table("Standard data sets: import and build", steps))
    print(table(f"Catalogue latency on the article + data sets graph ({args.repeats} runs each)", answers))


if __name__ == "__main__":
    main()
