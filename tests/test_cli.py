"""The `actorgraph` command as a user runs it: real processes, real engine, real files."""

from __future__ import annotations

import csv
import io
import json

from conftest import MINI_DATA, MINI_SOURCES, export_json
from conftest import actorgraph_process as actorgraph  # every command here a real process, as a user runs it

DATA = ["--data", str(MINI_DATA), "--sources", str(MINI_SOURCES)]


def test_help_lists_the_commands():
    result = actorgraph("--help")
    assert result.returncode == 0
    for command in ("build", "validate", "stats", "query", "export", "report"):
        assert command in result.stdout


def test_validate_build_stats_query_export(home):
    valid = actorgraph("validate", *DATA)
    assert valid.returncode == 0 and valid.stdout.startswith("ok: 14 nodes")
    built = actorgraph("build", *DATA)
    assert built.returncode == 0, built.stderr
    assert "built 14 nodes" in built.stdout
    stats = json.loads(actorgraph("stats", "--format", "json").stdout)
    assert stats["labels"]["Country"] == 2 and stats["types"]["LEADS"] == 2
    leaders = actorgraph(
        "query",
        "MATCH (p:Person)-[:LEADS]->(c:Country {id: $country}) RETURN p.name AS name",
        "-p",
        "country=country:uzbekistan",
        "--format",
        "json",
    )
    assert json.loads(leaders.stdout) == [{"name": "Shavkat Mirziyoyev"}]
    table = actorgraph("query", "MATCH (c:Country) RETURN c.name AS name ORDER BY name", "--format", "csv")
    assert list(csv.reader(io.StringIO(table.stdout))) == [["name"], ["Kazakhstan"], ["Uzbekistan"]]
    graph = export_json()
    assert {node["id"] for node in graph["nodes"]} >= {"country:kazakhstan", "person:shavkat-mirziyoyev"}
    assert all({"source", "target", "type"} <= set(link) for link in graph["links"])


def test_rebuild_changes_nothing(home):
    assert actorgraph("build", *DATA).returncode == 0
    first = export_json()
    assert actorgraph("build", *DATA).returncode == 0
    assert export_json() == first


def test_query_is_read_only_unless_write(home):
    assert actorgraph("build", *DATA).returncode == 0
    refused = actorgraph("query", "CREATE (:Place {id: 'place:new', name: 'New'})")
    assert refused.returncode == 1 and "read-only" in refused.stderr and "Traceback" not in refused.stderr
    allowed = actorgraph("query", "CREATE (:Place {id: 'place:new', name: 'New'})", "--write")
    assert allowed.returncode == 0, allowed.stderr
    count = actorgraph("query", "MATCH (p:Place {id: 'place:new'}) RETURN count(p) AS n", "-f", "json")
    assert json.loads(count.stdout) == [{"n": 1}]


def test_bad_parameter_and_bad_cypher_are_one_line_errors(home):
    bad_param = actorgraph("query", "RETURN 1", "-p", "novalue")
    assert bad_param.returncode == 2 and "key=value" in bad_param.stderr
    bad_cypher = actorgraph("query", "MATCH (n RETURN n")
    assert bad_cypher.returncode == 1 and "Traceback" not in bad_cypher.stderr and bad_cypher.stderr.strip()


def test_bad_data_reports_file_line_and_writes_nothing(home, tmp_path):
    assert actorgraph("build", *DATA).returncode == 0
    before = export_json()
    bad = tmp_path / "bad"
    (bad / "demo").mkdir(parents=True)
    for path in (MINI_DATA / "demo").iterdir():
        (bad / "demo" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    broken = (bad / "demo" / "relations.yaml").read_text(encoding="utf-8").replace("type: HELD_IN", "type: HOSTED_BY")
    (bad / "demo" / "relations.yaml").write_text(broken, encoding="utf-8")
    result = actorgraph("build", "--data", str(bad), "--sources", str(MINI_SOURCES), cwd=tmp_path)
    assert result.returncode == 2
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "HOSTED_BY" in text)
    assert f"bad/demo/relations.yaml:{line}: type: unknown relationship type 'HOSTED_BY'" in result.stderr
    assert "Traceback" not in result.stderr
    assert export_json() == before


def test_report_lists_counts_and_uncited_stretches(home):
    result = actorgraph("report", *DATA, "--format", "json", "--min-gap", "1")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["labels"]["Claim"] == 2
    assert report["isolated"] == []
    assert sum(report["per_range"]["source:mini"].values()) > 0


def test_a_neo4j_command_works_without_importing_pandas(neo4j_uri, tmp_path):
    """The command gives the driver no DataFrame support, so it skips pandas (0.3 s of CPU a run)."""
    import subprocess
    import sys

    engine = ["--engine", "neo4j", "--neo4j-uri", neo4j_uri]
    assert actorgraph("build", *DATA, *engine).returncode == 0
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "actorgraph.cli", "stats", "-f", "json", *engine],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["totals"]["nodes"] > 0
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")
    }
    assert "neo4j" in imported
    assert not {"pandas", "numpy"} & imported
