"""The benchmarks' smoke run (seconds), so they cannot rot; and the synthetic bulk data loads.

No test here asserts a time: benchmarks measure, tests check behaviour.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import REPO, actorgraph

sys.path.insert(0, str(REPO / "bench"))
import synth  # noqa: E402


def bench_servers() -> set[int]:
    """Embedded servers whose home is in a benchmark's work folder."""
    found = set()
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and b"redis-server" in (proc / "cmdline").read_bytes():
                if os.readlink(proc / "cwd").startswith(f"{tempfile.gettempdir()}/actorgraph-bench-"):
                    found.add(int(proc.name))
        except OSError:
            continue
    return found


def test_smoke_run_prints_every_table_and_leaves_no_server():
    before = bench_servers()
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run_all.py"), "--smoke"], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for title in (
        "Load throughput",
        "batch size sweep",
        "Catalogue query latency",
        "Start-up",
        "Maps",
        "Peak memory",
        "into an empty graph",
    ):
        assert title in result.stdout
    # found once: a client the bench opened itself kept a server alive after engine.close()
    assert bench_servers() <= before


def test_synthetic_graph_is_deterministic_and_valid(tmp_path, home):
    first = list(synth.generate(3000, seed=5))
    assert first == list(synth.generate(3000, seed=5))
    assert sum(1 for r in first if r["kind"] == "relation") == 3000
    folder = tmp_path / "s"
    synth.write(3000, 5, folder)
    result = actorgraph("build", "--data", str(folder / "graph.jsonl"), "--sources", str(folder))
    assert result.returncode == 0, result.stderr
    stats = json.loads(actorgraph("stats", "-f", "json").stdout)
    assert stats["totals"]["relationships"] == 3000
    assert stats["totals"]["nodes"] == sum(1 for r in first if r["kind"] == "node")
    degrees = json.loads(
        actorgraph("query", "MATCH (n)-[r]-() RETURN n.id AS id, count(r) AS d ORDER BY d DESC", "-f", "json").stdout
    )
    assert degrees[0]["d"] > 10 * degrees[len(degrees) // 2]["d"], "degrees should be heavy-tailed"


def test_bulk_errors_are_located_and_nothing_is_written(tmp_path, home):
    folder = tmp_path / "s"
    synth.write(200, 1, folder)
    lines = (folder / "graph.jsonl").read_text(encoding="utf-8").splitlines()
    lines[5] = (
        lines[5]
        .replace('"labels": ["Researcher"]', '"labels": ["Warlord"]')
        .replace('"labels": ["Country"]', '"labels": ["Warlord"]')
    )
    lines.insert(7, "{not json")
    (folder / "graph.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = actorgraph("build", "--data", str(folder / "graph.jsonl"), "--sources", str(folder))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "graph.jsonl:6: labels: unknown label 'Warlord'" in result.stderr
    assert "graph.jsonl:8: json: not a JSON record" in result.stderr
    assert json.loads(actorgraph("stats", "-f", "json").stdout)["totals"]["nodes"] == 0
