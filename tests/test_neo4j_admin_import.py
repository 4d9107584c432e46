"""The CSV export goes through the real `neo4j-admin database import full` whole, then gets its indexes.

The import tool (`org.neo4j.cli.AdminTool`, on the test server's class path) imports an
export with the awkward cases: a multi-line description, list items holding `;`, commas
and quotes, a long beyond 32 bits and a double. A test server started on the imported
store must give back every node, relationship and property exactly; then
`actorgraph schema --apply` must create exactly the indexes `build` creates, and the
README's full-text query must work there.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import MINI_DATA, MINI_SOURCES, actorgraph, export_json

pytestmark = pytest.mark.neo4j

# Awkward values on top of the mini data set (YAML: `|` keeps the line breaks).
EXTRA_NODES = """
  - id: person:jane-roe-2
    labels: [Researcher]
    name: 'Jane "J." Roe, PhD'
    aliases: ["Roe; Jane", "Roe, J.", 'Jane "JR" Roe']
    description: |-
      First line of a description.
      Second line, with a comma; and a semicolon.
    line: 5
    evidence: "An analyst, Jane Roe"
"""
EXTRA_RELATIONS = """
  - {from: country:kazakhstan, type: TRADES_WITH, to: country:uzbekistan, value_usd: 4200000000.5, count: 3000000000, note: 'trade, in "dollars"', line: 2, evidence: Astana and Tashkent signed}
  - {from: person:jane-roe-2, type: AFFILIATED_WITH, to: org:sco, role: "adviser; analyst", line: 5, evidence: "An analyst, Jane Roe"}
"""


@pytest.fixture(scope="module")
def awkward_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini data set with the awkward values added."""
    data = tmp_path_factory.mktemp("awkward") / "data"
    shutil.copytree(MINI_DATA, data)
    with open(data / "demo" / "nodes.yaml", "a", encoding="utf-8") as stream:
        stream.write(EXTRA_NODES)
    with open(data / "demo" / "relations.yaml", "a", encoding="utf-8") as stream:
        stream.write(EXTRA_RELATIONS)
    return data


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, awkward_data: Path) -> tuple[dict, Path, str]:
    """The awkward data set built on the embedded engine and exported as CSV: (graph, folder, message)."""
    root = tmp_path_factory.mktemp("admin-import")
    data = awkward_data
    home = ["--home", str(root / "home")]
    built = actorgraph("build", "--data", str(data), "--sources", str(MINI_SOURCES), "-q", *home)
    assert built.returncode == 0, built.stderr
    folder = root / "import"
    result = actorgraph("export", "-f", "csv", "-o", str(folder), *home)
    assert result.returncode == 0, result.stderr
    return export_json(*home), folder, result.stderr


def admin_import(folder: Path, message: str, store: Path) -> subprocess.CompletedProcess[str]:
    """Run `neo4j-admin database import full` (the real tool) with the command the export printed."""
    from neo4j_fixture import SHORT_LIVED, build_java_tool

    java, classpath = build_java_tool(
        Path(__file__).resolve().parents[1] / "tools" / "neo4j-test-server", "run neo4j-admin"
    )
    printed = next(line for line in message.splitlines() if "neo4j-admin database import full" in line)
    arguments = printed.split("neo4j-admin ", 1)[1].split()
    (store / "conf").mkdir(parents=True)
    (store / "conf" / "neo4j.conf").write_text("", encoding="utf-8")
    env = {**os.environ, "NEO4J_HOME": str(store), "NEO4J_CONF": str(store / "conf")}
    command = [java, "-Xmx512m", *SHORT_LIVED, "-cp", classpath, "org.neo4j.cli.AdminTool", *arguments]
    command += ["--max-off-heap-memory=256m", f"--report-file={store / 'import.report'}"]
    return subprocess.run(command, env=env, cwd=store, capture_output=True, text=True, timeout=300)


def test_the_export_says_which_import_options_its_files_need(exported):
    graph, folder, message = exported
    assert f"--nodes={folder / 'nodes.csv'}" in message
    assert "--multiline-fields=true" in message  # the description spans two lines
    assert "--array-delimiter=U+007C" in message  # "Roe; Jane" holds the default delimiter
    header = (folder / "relationships.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "count:long" in header and "value_usd:double" in header and "lines:long[]" in header
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~umask  # not mkdtemp's 0700
    for name in ("nodes.csv", "relationships.csv"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o666 & ~umask


def test_neo4j_admin_imports_every_property_and_schema_apply_adds_builds_indexes(exported, neo4j_uri, tmp_path):
    import neo4j
    from neo4j_fixture import start_server, stop, wipe_neo4j

    graph, folder, message = exported
    store = tmp_path / "store"
    imported = admin_import(folder, message, store)
    assert imported.returncode == 0, imported.stdout[-3000:] + imported.stderr[-3000:]
    assert "IMPORT DONE" in imported.stdout
    server, uri = start_server(tmp_path / "server", copy_from=store)
    try:
        with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
            nodes = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").records
            links = driver.execute_query(
                "MATCH (a)-[r]->(b) RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS props"
            ).records
        expected_nodes = {node["id"]: node for node in graph["nodes"]}
        assert len(nodes) == len(expected_nodes)
        for record in nodes:
            props = dict(record["props"])
            node = {"id": props.pop("id"), "labels": sorted(record["labels"]), **props}
            assert node == expected_nodes[node["id"]]
        expected_links = {link["id"]: link for link in graph["links"]}
        assert len(links) == len(expected_links)
        for record in links:
            props = dict(record["props"])
            props["evidence_source"] = props.pop("source")
            link = {"source": record["source"], "target": record["target"], "type": record["type"], **props}
            assert link == expected_links[link["id"]]
        jane = expected_nodes["person:jane-roe-2"]
        assert jane["aliases"][0] == "Roe; Jane" and "\n" in jane["description"]  # the cases really were there

        # item 5: the imported store has no actorgraph index until `schema --apply` gives it build's
        engine = ["--engine", "neo4j", "--neo4j-uri", uri]
        applied = actorgraph("schema", "--apply", *engine)
        assert applied.returncode == 0, applied.stderr
        wipe_neo4j(neo4j_uri)
        rebuilt = actorgraph(
            "build", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES), "-q", "--engine", "neo4j",
            "--neo4j-uri", neo4j_uri,
        )  # fmt: skip
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert indexes(uri) == indexes(neo4j_uri)
        assert actorgraph("schema", "--apply", *engine).returncode == 0  # idempotent
        assert indexes(uri) == indexes(neo4j_uri)
        found = actorgraph(
            "query",
            "CALL db.index.fulltext.queryNodes('actorgraph_names', 'Мирзиеев~') YIELD node, score "
            "RETURN node.id AS id ORDER BY score DESC LIMIT 1",
            "-f",
            "json",
            *engine,
        )
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout) == [{"id": "person:shavkat-mirziyoyev"}]
    finally:
        stop(server)


def indexes(uri: str) -> list[tuple]:
    """actorgraph's indexes on a server: name, kind, labels, properties (not the generation markers)."""
    import neo4j

    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        rows = driver.execute_query(
            "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state "
            "WHERE name STARTS WITH 'actorgraph_' AND NOT name STARTS WITH 'actorgraph_generation' "
            "RETURN name, type, labelsOrTypes, properties, state ORDER BY name"
        ).records
    return [tuple(row.values()) for row in rows]


def test_csv_export_refuses_a_folder_with_other_files(home, tmp_path):
    assert actorgraph("build", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES), "-q").returncode == 0
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    result = actorgraph("export", "-f", "csv", "-o", str(folder))
    assert result.returncode == 2 and "holds other files (notes.txt)" in result.stderr
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt"]
    again = tmp_path / "again"
    assert actorgraph("export", "-f", "csv", "-o", str(again)).returncode == 0
    assert actorgraph("export", "-f", "csv", "-o", str(again)).returncode == 0  # an earlier export is replaced


def test_build_offline_import_gives_neo4j_the_graph_an_online_build_gives(awkward_data, exported, neo4j_uri, tmp_path):
    """`build --offline-import` + neo4j-admin + `schema --apply`: the same graph, byte for byte, as `build`."""
    from neo4j_fixture import start_server, stop, wipe_neo4j

    folder = tmp_path / "offline"
    built = actorgraph(
        "build", "--data", str(awkward_data), "--sources", str(MINI_SOURCES), "--offline-import", str(folder)
    )
    assert built.returncode == 0, built.stderr
    assert "Neo4j is unchanged until you import it" in built.stdout
    assert "--multiline-fields=true" in built.stdout  # the description spans two lines
    header = (folder / "relationships.header.csv").read_text(encoding="utf-8")
    assert "count:long" in header and "value_usd:double" in header and "lines:long[]" in header
    store = tmp_path / "store"
    imported = admin_import(folder, built.stdout, store)
    assert imported.returncode == 0, imported.stdout[-3000:] + imported.stderr[-3000:]
    server, uri = start_server(tmp_path / "server", copy_from=store)
    try:
        engine = ["--engine", "neo4j", "--neo4j-uri", uri]
        applied = actorgraph("schema", "--apply", *engine)
        assert applied.returncode == 0, applied.stderr
        wipe_neo4j(neo4j_uri)
        online = actorgraph(
            "build", "--data", str(awkward_data), "--sources", str(MINI_SOURCES), "-q", "--engine", "neo4j",
            "--neo4j-uri", neo4j_uri,
        )  # fmt: skip
        assert online.returncode == 0, online.stderr
        offline_graph = export_json(*engine)
        assert offline_graph == export_json("--engine", "neo4j", "--neo4j-uri", neo4j_uri)
        assert offline_graph["nodes"] == exported[0]["nodes"]  # and what the embedded engine holds
        jane = next(node for node in offline_graph["nodes"] if node["id"] == "person:jane-roe-2")
        assert jane["aliases"][0] == "Roe; Jane" and "\n" in jane["description"]  # the cases really were there
        assert indexes(uri) == indexes(neo4j_uri)
        # and the counts `corroborated` reads: the same answer as on the online build
        answers = [actorgraph("ask", "corroborated", "-p", "modality=all", "-f", "json", *engine)]
        answers.append(
            actorgraph("ask", "corroborated", "-p", "modality=all", "-f", "json", *engine[:2], "--neo4j-uri", neo4j_uri)
        )
        assert (
            answers[0].returncode == 0
            and answers[0].stdout == answers[1].stdout
            and '"source_count"' in answers[0].stdout
        )
    finally:
        stop(server)


def test_offline_import_keeps_the_previous_folder_on_bad_data_and_refuses_other_files(awkward_data, tmp_path):
    folder = tmp_path / "offline"
    assert (
        actorgraph(
            "build", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES), "-q", "--offline-import", str(folder)
        ).returncode
        == 0
    )
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    bad = tmp_path / "bad"
    shutil.copytree(awkward_data, bad)
    with open(bad / "demo" / "relations.yaml", "a", encoding="utf-8") as stream:
        stream.write("  - {from: person:nobody, type: LEADS, to: country:kazakhstan, line: 1, evidence: Astana}\n")
    failed = actorgraph("build", "--data", str(bad), "--sources", str(MINI_SOURCES), "--offline-import", str(folder))
    assert failed.returncode == 2 and "person:nobody" in failed.stderr
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []  # no staging left
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    refused = actorgraph(
        "build", "--data", str(MINI_DATA), "--sources", str(MINI_SOURCES), "--offline-import", str(folder)
    )
    assert refused.returncode == 2 and "holds other files (notes.txt)" in refused.stderr
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_the_docker_compose_steps_printed_are_the_ones_the_readme_gives(tmp_path):
    from actorgraph.graph.neo4j_import import ImportPlan, next_steps

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    plan = ImportPlan(tmp_path / "import" / "actorgraph", 1, 1, multiline=False)
    steps = next_steps(plan, here=tmp_path).splitlines()
    assert "  docker compose stop neo4j" in steps and "  docker compose up -d --wait" in steps
    command = next(line for line in steps if "neo4j-admin" in line).split()
    assert command[:5] == ["docker", "compose", "run", "--rm", "neo4j"]
    for word in command:
        assert word in readme, word  # the README's route is the one `build --offline-import` prints
    elsewhere = next_steps(ImportPlan(tmp_path / "out", 1, 1, multiline=True), here=tmp_path)
    assert f"--nodes={tmp_path / 'out' / 'nodes.header.csv'}," in elsewhere and "--multiline-fields=true" in elsewhere
    assert "docker compose run" not in elsewhere
