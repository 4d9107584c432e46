"""The explorer's speed on a big graph: start-up, search and node pages over real HTTP.

    python bench/serve.py                    # 100k relationships (about a minute on 2 cores)
    python bench/serve.py -n 10000 -r 50     # quicker

Builds a synthetic graph (bench/synth.py) on the embedded engine, starts the real
`actorgraph serve` process on a free port, and times requests one after another
from this process: search by a name (whole, first word, folded Cyrillic), the node
page (HTML) and the node API (JSON). The baseline is a static file from the same
server in the same run, so the ratio says what the graph work costs.

"Start" is timed from launching the process (a fresh Python, as a user's shell does)
to four moments: the URL is printed; the server answers a static file (it accepts
connections); it answers a request that needs the engine (a node's JSON: the graph
is open and answering); and a search answers (the name index, loaded in the
background, is ready). The engine opens in the background, so the first two come
before it. Nothing here asserts a time; it prints a table (and JSON with --json).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402


def timed_get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def sample_nodes(graph: Path, count: int, seed: int) -> tuple[list[dict], list[str], dict[str, str]]:
    """A random sample of nodes (id, name), the ids of the 20 most connected (the heaviest pages), and each
    hub's commonest relationship type (its longest type page)."""
    from collections import Counter, defaultdict

    nodes = []
    degree: Counter[str] = Counter()
    types: defaultdict[str, Counter[str]] = defaultdict(Counter)
    with graph.open(encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            if record.get("kind") == "node" and "Source" not in record.get("labels", []):
                nodes.append({"id": record["id"], "name": record.get("name") or record["id"]})
            elif record.get("kind") == "relation" and record.get("type") != "MENTIONED_IN":
                for end in (record["from"], record["to"]):
                    degree[end] += 1
                    types[end][record["type"]] += 1
    hubs = [node_id for node_id, _ in degree.most_common(20)]
    commonest = {hub: types[hub].most_common(1)[0][0] for hub in hubs}
    return random.Random(seed).sample(nodes, min(count, len(nodes))), hubs, commonest


def start_server(launch: list[str], env: dict[str, str], probe: str) -> tuple[subprocess.Popen, str, dict]:
    """Launch `actorgraph serve`; seconds from launch until each start-up moment (see the module docstring)."""
    started = time.perf_counter()
    server = subprocess.Popen(launch, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        base = server.stdout.readline().split(": ", 1)[1].strip().rstrip("/") if server.stdout else ""
        moments = {"url_s": time.perf_counter() - started}
        timed_get(base + "/static/explorer.css")
        moments["accepts_s"] = time.perf_counter() - started
        timed_get(base + probe)  # waits for the engine, opened in the background
        moments["engine_s"] = time.perf_counter() - started
        timed_get(base + "/api/search?q=x")  # waits for the name index, loaded in the background
        moments["index_s"] = time.perf_counter() - started
    except BaseException:
        stop(server)
        raise
    return server, base, {k: round(v, 2) for k, v in moments.items()}


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relationships", "-n", type=int, default=100_000)
    parser.add_argument("--requests", "-r", type=int, default=200, help="requests of each kind")
    parser.add_argument("--starts", type=int, default=3, help="launches timed (the last one serves the requests)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="actorgraph-serve-bench-") as tmp:
        root = Path(tmp)
        synth.write(args.relationships, 1, root / "synth")
        graph = root / "synth" / "graph.jsonl"
        cli = [sys.executable, "-m", "actorgraph.cli"]
        home = ["--home", str(root / "home")]
        started = time.perf_counter()
        subprocess.run([*cli, "build", "--data", str(graph), *home, "-q"], check=True)
        build_s = time.perf_counter() - started
        env = {**os.environ, "NO_COLOR": "1"}
        nodes, hubs, commonest = sample_nodes(graph, args.requests, seed=7)
        probe = "/api/node/" + quote(nodes[0]["id"], safe=":")
        launch = [*cli, "serve", "--port", "0", *home, "--data", str(graph), "--sources", str(root / "synth")]
        starts = []
        for _ in range(args.starts - 1):  # extra launches, each stopped at once: start times are noisy
            server, base, start = start_server(launch, env, probe)
            stop(server)
            starts.append(start)
        server, base, start = start_server(launch, env, probe)
        starts.append(start)
        try:
            queries = []
            for i, node in enumerate(nodes):
                name = str(node["name"])
                queries.append(
                    name if i % 3 == 0 else name.split()[0] if i % 3 == 1 else name.lower()[: max(4, len(name) // 2)]
                )
            kinds = {
                "baseline: static file": [base + "/static/explorer.css"] * len(nodes),
                "GET /api/search?q=": [base + "/api/search?q=" + quote(q) for q in queries],
                "GET /search?q= (page)": [base + "/search?q=" + quote(q) for q in queries[: len(queries) // 2]],
                "GET /node/{id} (page)": [base + "/node/" + quote(n["id"], safe=":") for n in nodes],
                "GET /api/node/{id}": [base + "/api/node/" + quote(n["id"], safe=":") for n in nodes],
                "GET /node/{id}, 20 hubs x5": [base + "/node/" + quote(h, safe=":") for h in hubs] * 5,
                "GET /node/{id}?type=T&skip=100, 20 hubs x5": [
                    f"{base}/node/{quote(h, safe=':')}?type={commonest[h]}&skip=100" for h in hubs
                ]
                * 5,
            }
            results = {}
            for kind, urls in kinds.items():
                timed_get(urls[0])  # warm
                times = [timed_get(url) for url in urls]
                results[kind] = {
                    "n": len(times),
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(percentile(times, 0.95), 1),
                    "max_ms": round(max(times), 1),
                }
        finally:
            stop(server)
    baseline = results["baseline: static file"]["p50_ms"] or 0.1
    if args.json:
        print(
            json.dumps(
                {
                    "relationships": args.relationships,
                    "build_s": build_s,
                    "starts": starts,
                    "load_average": os.getloadavg(),
                    **results,
                }
            )
        )
        return
    print(
        f"{args.relationships} relationships: build {build_s:.1f} s; load average now "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; seconds after launch, one launch a line:"
    )
    print(f"{'URL printed':>12} {'accepts':>8} {'engine':>8} {'index':>8}")
    for start in starts:
        print(f"{start['url_s']:>12} {start['accepts_s']:>8} {start['engine_s']:>8} {start['index_s']:>8}")
    print(f"{'request':44} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p50 / baseline':>15}")
    for kind, row in results.items():
        print(
            f"{kind:44} {row['n']:>5} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['max_ms']:>8} "
            f"{row['p50_ms'] / baseline:>15.1f}"
        )


if __name__ == "__main__":
    main()
