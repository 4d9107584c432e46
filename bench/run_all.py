"""actorgraph benchmarks: loading, queries, start-up, maps, memory. Prints tables; appends to RESULTS.md.

    python bench/run_all.py            # the full run (minutes; 1M relationships with --million)
    python bench/run_all.py --smoke    # seconds: every benchmark on tiny inputs, so none can rot
    python bench/run_all.py --neo4j --only queries   # one benchmark (here: catalogue queries at 100k)

Every speed-up is a ratio against a baseline measured in the same run (machines here
are noisy). Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "tests")]

import synth  # noqa: E402

from actorgraph.graph import open_engine  # noqa: E402
from actorgraph.graph.engine import Engine, EngineError  # noqa: E402
from actorgraph.graph.falkor_server import cpu_ticks  # noqa: E402
from actorgraph.loaders import load  # noqa: E402

QUESTIONS = (
    ("profile", {"actor": "person:person-1"}),
    ("memberships", {"member": "country:country-1"}),
    ("shared_memberships", {"a": "country:country-1", "b": "country:country-2"}),
    ("co_participants", {"actor": "person:person-1"}),
    ("expert_views", {"about": "country:country-1"}),
    ("neighbourhood", {"actor": "country:country-3", "hops": 1}),
    ("most_connected", {"limit": 10}),
)


#: The benchmark's Neo4j: what a machine like this one would give a database that loads 1M relationships.
NEO4J_HEAP_MB = 8192
NEO4J_PAGECACHE_MB = 2048
#: Per-row writes made, and thrown away, before the per-row baselines are timed.
WARM_UP_ROWS = 100


def latency(call: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds of `repeats` calls, after one warm-up call."""
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)]


def table(title: str, rows: list[dict[str, Any]]) -> str:
    """A Markdown table (printed, and appended to RESULTS.md)."""
    if not rows:
        return f"\n### {title}\n\n(no rows)\n"
    columns = list(rows[0])
    lines = [f"\n### {title}\n", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def synthetic(work: Path, size: int) -> Path:
    """The folder of a synthetic graph with `size` relationships (seed 1), written once per run."""
    folder = work / f"synth-{size}"
    if not (folder / "graph.jsonl").exists():
        synth.write(size, 1, folder)
    return folder


def open_target(kind: str, home: Path, neo4j_uri: str | None) -> Engine:
    return (
        open_engine("embedded", home=home) if kind == "embedded" else open_engine("neo4j", uri=neo4j_uri, password="")
    )


def _per_row_rate(folder: Path, rows: int, write: Callable[[str, dict[str, Any]], Any]) -> float:
    """Write up to `rows` nodes and `rows` relationships with one `write` call each. Rows per second."""
    import json

    records = [json.loads(line) for line in (folder / "graph.jsonl").open(encoding="utf-8")]
    nodes = [r for r in records if r["kind"] == "node"][:rows]
    rels = [r for r in records if r["kind"] == "relation"][:rows]
    start = time.perf_counter()
    for node in nodes:
        write(
            "MERGE (n:Actor {id: $id}) SET n.name = $name, n.line = $line",
            {"id": node["id"], "name": node["name"], "line": node["line"]},
        )
    for rel in rels:
        write(
            "MATCH (a:Actor {id: $a}) MATCH (b:Actor {id: $b}) MERGE (a)-[r:RELATED {id: $id}]->(b) SET r.line = $line",
            {"a": rel["from"], "b": rel["to"], "id": rel["key"], "line": rel["line"]},
        )
    return (len(nodes) + len(rels)) / (time.perf_counter() - start)


def per_row_baseline(engine: Engine, folder: Path, rows: int) -> float:
    """What every user writes first: one query per node and per relationship. Rows per second."""

    def write(cypher: str, params: dict[str, Any]) -> Any:
        return engine.run(cypher, params, write=True)

    engine.replace_graph(iter(()))
    _per_row_rate(folder, WARM_UP_ROWS, write)  # warm-up, as for the batched side
    engine.replace_graph(iter(()))
    return _per_row_rate(folder, rows, write)


def raw_client_baseline(engine: Engine, folder: Path, rows: int) -> float | None:
    """One query per row through the database's own client, no snapshot per write. Rows per second.

    The embedded engine's `run(write=True)` also makes the write durable (a snapshot),
    so this second baseline isolates the cost of one round trip and one query per row.
    Neo4j's driver has no such extra cost: there the two baselines are the same.
    """
    if getattr(engine, "name", "") != "embedded":
        return None
    from falkordb import FalkorDB

    engine.replace_graph(iter(()))
    client = FalkorDB(unix_socket_path=engine.socket_path)
    try:
        graph = client.select_graph("actorgraph")
        _per_row_rate(folder, WARM_UP_ROWS, graph.query)  # warm-up
        engine.replace_graph(iter(()))
        return _per_row_rate(folder, rows, graph.query)
    finally:
        client.connection.close()  # an open client would keep the engine's server running after close()


class LoadRate(NamedTuple):
    relationships_per_s: float
    rows_per_s: float  # nodes and relationships: the unit of the per-row baselines
    relationships: int


def load_rate(engine: Engine, folder: Path, batch_size: int, *, cypher: bool = False) -> LoadRate:
    """Validated, batched, all-or-nothing load, end to end.

    `cypher=True` makes the embedded engine write `UNWIND` batches (what Neo4j runs)
    instead of its binary bulk format, to compare the two in one run.
    """
    if cypher:
        engine.replace_graph_rows = types.MethodType(Engine.replace_graph_rows, engine)  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        report = load(folder / "graph.jsonl", engine, sources=folder, batch_size=batch_size)
        seconds = time.perf_counter() - start
        rows = report.nodes + report.relationships
        return LoadRate(report.relationships / seconds, rows / seconds, report.relationships)
    finally:
        vars(engine).pop("replace_graph_rows", None)


def bench_load(
    sizes: list[int], sweep: list[int], baseline_rows: int, engines: list[str], neo4j_uri: str | None, work: Path
) -> str:
    out = ""
    rows = []
    for kind in engines:
        for size in sizes:
            folder = synthetic(work, size)
            engine = open_target(kind, work / f"home-{kind}-{size}", neo4j_uri)
            try:
                # warm-up: the first load on a server pays one-off costs (Neo4j's JIT compiles
                # its write path: a first 100k load took 17 s, the next 8 s; schema creation),
                # which a long-running server does not pay again; both sides are measured warm,
                # and both write into an empty graph (replacing one is slower on Neo4j: RESULTS.md)
                load_rate(engine, folder, 5000)
                engine.replace_graph(iter(()))
                batched = load_rate(engine, folder, 5000)
                unwind = batched
                if kind == "embedded":
                    engine.replace_graph(iter(()))
                    unwind = load_rate(engine, folder, 5000, cypher=True)
                naive = per_row_baseline(engine, folder, baseline_rows)
                raw = raw_client_baseline(engine, folder, baseline_rows) or naive
            finally:
                engine.close()
            rows.append(
                {
                    "engine": kind,
                    "relationships": size,
                    "batched rel/s": f"{batched.relationships_per_s:,.0f}",
                    "batched rows/s": f"{batched.rows_per_s:,.0f}",
                    "as UNWIND batches, rows/s": f"{unwind.rows_per_s:,.0f}",
                    "per row, durable writes (run(write=True)), rows/s": f"{naive:,.0f}",
                    "ratio": f"{batched.rows_per_s / naive:.1f}x",
                    "per row, raw client, rows/s": f"{raw:,.0f}",
                    "ratio to raw": f"{batched.rows_per_s / raw:.1f}x",
                }
            )
    out += table(
        "Load throughput: batched (embedded: binary bulk format; Neo4j: UNWIND) vs one query per row (same run)", rows
    )
    rows = []
    folder = work / f"synth-{sizes[0]}"
    for kind in engines:
        engine = open_target(kind, work / f"home-sweep-{kind}", neo4j_uri)
        try:
            for batch in sweep:
                engine.replace_graph(iter(()))
                rate = load_rate(engine, folder, batch, cypher=True)
                rows.append({"engine": kind, "batch size": batch, "rel/s": f"{rate.relationships_per_s:,.0f}"})
        finally:
            engine.close()
    return out + table(f"UNWIND batch size sweep at {sizes[0]:,} relationships", rows)


def bench_queries(size: int, repeats: int, engines: list[str], neo4j_uri: str | None, work: Path) -> str:
    from actorgraph.queries.registry import ask

    folder = synthetic(work, size)
    rows = []
    for kind in engines:
        engine = open_target(kind, work / f"home-q-{kind}", neo4j_uri)
        try:
            load(folder / "graph.jsonl", engine, sources=folder, batch_size=5000)
            if kind == "neo4j":
                settle_statistics(neo4j_uri)
            for indexed in (True, False):
                if not indexed:
                    drop_indexes(engine)
                for name, params in QUESTIONS:  # the warm-up call also loads the name index
                    p50, p95 = latency(lambda e=engine, name=name, params=params: ask(e, name, **params), repeats)
                    rows.append(
                        {
                            "engine": kind,
                            "indexes": "yes" if indexed else "no",
                            "question": name,
                            "p50 ms": f"{p50:.1f}",
                            "p95 ms": f"{p95:.1f}",
                        }
                    )
        finally:
            engine.close()
    return table(f"Catalogue query latency at {size:,} relationships ({repeats} runs each)", rows)


def settle_statistics(uri: str | None, timeout_s: float = 120) -> None:
    """Have Neo4j sample its indexes after the load before measuring, as it soon does on its own.

    Right after a bulk load the index samples still describe the empty graph: every
    estimate is 0 rows, and a plan made then (and cached) may scan the id index instead
    of seeking in it. A running database resamples in the background; the benchmark
    measures that steady state rather than the first seconds after a load.
    """
    import neo4j

    with neo4j.GraphDatabase.driver(uri, auth=None) as driver, driver.session() as session:
        session.run("CALL db.resampleOutdatedIndexes()").consume()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            session.run("CALL db.clearQueryCaches()").consume()
            plan = session.run("EXPLAIN MATCH (n:Actor) WHERE n.id = $id RETURN n", {"id": "x"}).consume().plan
            if plan["args"].get("EstimatedRows", 0) > 0.5:
                return
            time.sleep(0.5)
    print(f"warning: Neo4j had not sampled its indexes after {timeout_s:.0f} s", file=sys.stderr)


def drop_indexes(engine: Engine) -> None:
    from actorgraph.graph.schema import KINDS

    if engine.name == "embedded":
        for kind in KINDS:
            try:
                engine.run(f"DROP INDEX FOR (n:{kind}) ON (n.id)", write=True)
            except Exception:  # noqa: BLE001 - an index that was never there
                pass
    else:
        for row in engine.run("SHOW CONSTRAINTS YIELD name RETURN name"):  # first: they own indexes
            engine.run(f"DROP CONSTRAINT {row['name']} IF EXISTS", write=True)
        for row in engine.run("SHOW INDEXES YIELD name, type WHERE type = 'RANGE' RETURN name"):
            engine.run(f"DROP INDEX {row['name']} IF EXISTS", write=True)


def wall(command: list[str], repeats: int, **kwargs: Any) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_startup(repeats: int, work: Path) -> str:
    exe = str(Path(sys.executable).parent / "actorgraph")
    env = {**os.environ, "ACTORGRAPH_HOME": str(work / "home-demo")}
    rows = [
        {
            "what": "python -c 'import actorgraph'",
            "median s": f"{wall([sys.executable, '-c', 'import actorgraph'], repeats):.3f}",
        },
        {"what": "actorgraph --help", "median s": f"{wall([exe, '--help'], repeats):.3f}"},
        {
            "what": "actorgraph demo (the README's main command after installation)",
            "median s": f"{wall([exe, 'demo', '--out', str(work / 'maps')], max(1, repeats // 2), env=env):.3f}",
        },
    ]
    return table(f"Start-up and end-to-end wall time ({repeats} runs, median)", rows)


def synthetic_node_link(nodes: int) -> dict[str, Any]:
    import random

    rng = random.Random(3)
    kinds = ["Country", "Researcher", "Event", "Claim", "Company"]
    data = {
        "nodes": [
            {
                "id": f"x:n{i}",
                "labels": ["Actor", kinds[i % 5]] if i % 5 in (0, 1, 4) else [kinds[i % 5]],
                "name": f"Node {i}",
                "line": 1,
                "evidence": "e",
                "source": "s",
            }
            for i in range(nodes)
        ],
        "links": [],
    }
    for i in range(1, nodes):
        target = rng.randrange(0, i)
        data["links"].append(
            {"source": f"x:n{i}", "target": f"x:n{target}", "type": "PARTNERED_WITH", "line": 1, "evidence": "e"}
        )
    return data


def bench_maps(sizes: list[int], work: Path, browser: bool) -> str:
    from actorgraph.viz.maps import write_map

    rows = []
    opened = None
    if browser:
        try:
            from browser import Browser

            opened = Browser()
        except BaseException as exc:  # noqa: BLE001 - no Chromium here: measure without it
            print(f"(no browser: {exc})")
    try:
        for size in sizes:
            data = synthetic_node_link(size)
            path = work / f"map-{size}.html"
            start = time.perf_counter()
            write_map(data, path, title=f"{size} nodes")
            written = time.perf_counter() - start
            settle = opened.open(path, settle_timeout=120) if opened else float("nan")
            rows.append(
                {
                    "nodes": size,
                    "write s": f"{written:.2f}",
                    "HTML MB": f"{path.stat().st_size / 1e6:.2f}",
                    "settled in Chromium s": f"{settle:.2f}",
                }
            )
    finally:
        if opened:
            opened.close()
    return table("Maps: generation time, size, and time to settle in headless Chromium", rows)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) a process has used so far."""
    return cpu_ticks(pid) / os.sysconf("SC_CLK_TCK")


def bench_million(
    size: int, engines: list[str], neo4j_uri: str | None, work: Path, neo4j_pid: int | None = None
) -> str:
    """The load target at scale: relationships per second into each engine, end to end (checks included).

    Neo4j starts from an empty database (the previous graph deleted in its own
    transaction first): replacing a big graph is a different, slower case, because the
    load's one transaction also deletes the old graph: the second load, which replaces
    the first (what `build` does every time after the first), is timed too. The CPU
    time of the loader and of the server shows which of the two limits the load.
    """
    folder = synthetic(work, size)
    rows = []
    for kind in engines:
        engine = open_target(kind, work / f"home-million-{kind}", neo4j_uri)
        try:
            engine.replace_graph(iter(()))
            server = engine._state["pid"] if kind == "embedded" else neo4j_pid  # type: ignore[attr-defined]
            loader_before = time.process_time()
            server_before = cpu_seconds(server) if server else 0.0
            rate = load_rate(engine, folder, 5000)
            loader_cpu = time.process_time() - loader_before
            server_cpu = cpu_seconds(server) - server_before if server else None
            try:
                replacing: LoadRate | str = load_rate(engine, folder, 5000)
            except EngineError as exc:  # a measured outcome too (Neo4j: the transaction's memory)
                replacing = f"failed: {exc}"
        finally:
            engine.close()
        seconds = rate.relationships / rate.relationships_per_s
        rows.append(
            {
                "engine": kind,
                "relationships": f"{rate.relationships:,}",
                "s": f"{seconds:.1f}",
                "rel/s": f"{rate.relationships_per_s:,.0f}",
                "loader CPU s": f"{loader_cpu:.1f}",
                "server CPU s": "?" if server_cpu is None else f"{server_cpu:.1f}",
                "replacing it: s": (
                    replacing
                    if isinstance(replacing, str)
                    else f"{rate.relationships / replacing.relationships_per_s:.1f}"
                ),
                "replacing it: rel/s": "-" if isinstance(replacing, str) else f"{replacing.relationships_per_s:,.0f}",
            }
        )
    return table(f"Loading {size:,} relationships into an empty graph, then again in its place (loaders.load)", rows)


def bench_memory(size: int, work: Path) -> str:
    """Peak RSS of the loader process and of the embedded server during a load."""
    folder = synthetic(work, size)
    home = work / "home-mem"
    peaks = {"server": 0, "loader": 0}
    done = threading.Event()
    loader_pid: list[int] = []

    def high_water_kb(proc: Path) -> int:
        """The process's peak resident set so far (VmHWM), in KiB."""
        for line in (proc / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    def watch() -> None:
        # Sampled from /proc: RUSAGE_CHILDREN cannot tell the loader from the server it
        # starts and reaps (it reports the larger of the two for both).
        while not done.is_set():
            for proc in Path("/proc").iterdir():
                if proc.name.isdigit():
                    try:
                        if loader_pid and int(proc.name) == loader_pid[0]:
                            peaks["loader"] = max(peaks["loader"], high_water_kb(proc))
                        elif b"redis-server" in (proc / "cmdline").read_bytes() and _serves(proc, home):
                            peaks["server"] = max(peaks["server"], high_water_kb(proc))
                    except OSError:
                        continue
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    start = time.perf_counter()
    loader = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "actorgraph"),
            "build",
            "-q",
            "--data",
            str(folder / "graph.jsonl"),
            "--sources",
            str(folder),
            "--home",
            str(home),
            "--batch-size",
            "5000",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    loader_pid.append(loader.pid)
    _, errors = loader.communicate()
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    if loader.returncode != 0:
        raise SystemExit(f"the {size:,}-relationship load failed: {errors[-2000:]}")
    loader_kb = peaks["loader"]
    return table(
        f"Peak memory of a {size:,}-relationship load (actorgraph build, embedded)",
        [
            {
                "loader peak RSS MB": f"{loader_kb / 1024:.0f}",
                "server peak RSS MB": f"{peaks['server'] / 1024:.0f}",
                "wall s": f"{seconds:.1f}",
                "rel/s": f"{size / seconds:,.0f}",
            }
        ],
    )


def bench_ten_million(work: Path, repeats: int = 5) -> str:
    """Issue #18's scale point on the embedded engine: 10M relationships built, then the catalogue's latency there."""
    from actorgraph.queries.registry import ask

    size = 10_000_000
    loaded = bench_memory(size, work)
    print(loaded, flush=True)  # the load alone takes minutes: show it before the queries
    start = time.perf_counter()
    engine = open_target("embedded", work / "home-mem", None)  # the home bench_memory built, read as users do
    reopened = time.perf_counter() - start
    rows = [{"question": "(open: the server loads graph.rdb)", "p50 ms": f"{reopened * 1000:.0f}", "p95 ms": ""}]
    try:
        for name, params in QUESTIONS:
            p50, p95 = latency(lambda e=engine, name=name, params=params: ask(e, name, **params), repeats)
            rows.append({"question": name, "p50 ms": f"{p50:.1f}", "p95 ms": f"{p95:.1f}"})
    finally:
        engine.close()
    return loaded + table(f"Catalogue latency at {size:,} relationships, embedded ({repeats} runs each)", rows)


def _serves(proc: Path, home: Path) -> bool:
    """Whether a redis-server process keeps its data in `home` (its working directory)."""
    try:
        return Path(os.readlink(proc / "cwd")) == home.resolve()
    except OSError:
        return False


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "?"
    )
    return f"{os.cpu_count()} cores, {int(memory) / 1e6:.0f} GB RAM, {cpu}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny inputs, seconds; results are not recorded")
    parser.add_argument(
        "--million", action="store_true", help="also load 1,000,000 relationships and measure peak memory"
    )
    parser.add_argument(
        "--ten-million",
        action="store_true",
        help="only: build 10,000,000 relationships on the embedded engine (time, rel/s, peak RSS) and time the catalogue there",
    )
    parser.add_argument("--neo4j", action="store_true", help="also measure Neo4j (starts the in-process test server)")
    parser.add_argument(
        "--only",
        choices=("load", "queries", "startup", "maps", "million", "memory"),
        help="run one benchmark (million, memory: the 1M loads without --smoke)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="actorgraph-bench-"))
    engines = ["embedded"]
    neo4j_uri = None
    server = None
    neo4j_pid = None
    if args.neo4j:
        from neo4j_fixture import start_server, stop

        # sized for a million-relationship load in one transaction (the tests' server has 1 GB)
        server, neo4j_uri = start_server(work / "neo4j", heap_mb=NEO4J_HEAP_MB, pagecache_mb=NEO4J_PAGECACHE_MB)
        neo4j_pid = server.pid
        engines.append("neo4j")
    try:
        if args.smoke:
            benches = {
                "load": lambda: bench_load([2_000], [500], 200, engines, neo4j_uri, work),
                "queries": lambda: bench_queries(2_000, 3, engines, neo4j_uri, work),
                "startup": lambda: bench_startup(1, work),
                "maps": lambda: bench_maps([200], work, browser=False),
                "memory": lambda: bench_memory(2_000, work),
                "million": lambda: bench_million(2_000, engines, neo4j_uri, work, neo4j_pid),
            }
        else:
            benches = {
                "load": lambda: bench_load(
                    [10_000, 100_000], [100, 500, 1000, 2000, 5000, 10000], 2_000, engines, neo4j_uri, work
                ),
                "queries": lambda: bench_queries(100_000, 30, engines, neo4j_uri, work),
                "startup": lambda: bench_startup(5, work),
                "maps": lambda: bench_maps([1_000, 10_000], work, browser=True),
            }
            if args.ten_million:
                benches = {"ten-million": lambda: bench_ten_million(work)}
            if args.million or args.only in ("memory", "million"):
                benches["million"] = lambda: bench_million(1_000_000, engines, neo4j_uri, work, neo4j_pid)
                benches["memory"] = lambda: bench_memory(1_000_000, work)
        sections = []
        for name, run in benches.items():
            if args.only in (None, name):
                sections.append(run())
                print(sections[-1], flush=True)  # as it comes: a full run takes 20 minutes
    finally:
        if server is not None:
            stop(server)
    report = "".join(sections)
    if not args.smoke:
        neo4j = (
            f"\n\nNeo4j: the in-process test server (tools/neo4j-test-server), Java heap {NEO4J_HEAP_MB} MB, "
            f"page cache {NEO4J_PAGECACHE_MB} MB"
            if args.neo4j
            else ""
        )
        header = f"\n## {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n\nMachine: {machine()}{neo4j}\n\nCommand: `python bench/run_all.py{' --neo4j' if args.neo4j else ''}{' --million' if args.million else ''}{' --ten-million' if args.ten_million else ''}{f' --only {args.only}' if args.only else ''}`\n"
        with open(HERE / "RESULTS.md", "a", encoding="utf-8") as stream:
            stream.write(header + report)


if __name__ == "__main__":
    main()
