"""The Neo4j engine against a real in-process Neo4j 5: schema, read-only, errors, compose file."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import MINI_DATA, MINI_SOURCES, REPO, actorgraph, export_json
from ruamel.yaml import YAML

from actorgraph.graph import open_engine
from actorgraph.graph.engine import EngineUnavailable, QueryError
from actorgraph.loaders import build_graph


@pytest.fixture
def neo4j(neo4j_uri):
    from neo4j_fixture import wipe_neo4j

    wipe_neo4j(neo4j_uri)
    engine = open_engine("neo4j", uri=neo4j_uri, password="")
    yield engine
    engine.close()


def test_schema_is_idempotent_and_full_text_finds_any_spelling(neo4j, mini_dataset):
    neo4j.ensure_schema()
    neo4j.ensure_schema()
    build_graph(neo4j, mini_dataset)
    constraints = neo4j.run("SHOW CONSTRAINTS YIELD name RETURN name")
    assert {"actorgraph_actor_id", "actorgraph_event_id"} <= {row["name"] for row in constraints}
    hits = neo4j.run(
        "CALL db.index.fulltext.queryNodes('actorgraph_names', $q) YIELD node RETURN node.id AS id", {"q": "Мирзиеев"}
    )
    assert hits[0]["id"] == "person:shavkat-mirziyoyev"


@pytest.mark.parametrize(
    "cypher",
    [
        "CREATE (n:Place {id: 'place:z'})",
        "MERGE (n:Place {id: 'place:z'})",
        "MATCH (n) SET n.x = 1",
        "MATCH (n) DETACH DELETE n",
    ],
)
def test_writes_are_refused_by_neo4j_itself(neo4j, mini_dataset, cypher):
    build_graph(neo4j, mini_dataset)
    with pytest.raises(QueryError, match="read-only"):
        neo4j.run(cypher)
    assert neo4j.run("MATCH (n) RETURN count(n) AS n") == [{"n": len(mini_dataset.nodes)}]


def test_unreachable_server_and_wrong_database_are_one_line_errors(neo4j_uri):
    with pytest.raises(EngineUnavailable, match="cannot reach Neo4j at bolt://127.0.0.1:1") as caught:
        open_engine("neo4j", uri="bolt://127.0.0.1:1", password="s3cret-pass")
    assert "s3cret-pass" not in str(caught.value)
    with pytest.raises(EngineUnavailable, match="no database 'nosuchdb'"):
        open_engine("neo4j", uri=neo4j_uri, password="", database="nosuchdb")
    result = actorgraph(
        "stats",
        "--engine",
        "neo4j",
        "--neo4j-uri",
        "bolt://127.0.0.1:1",
        env={"ACTORGRAPH_NEO4J_PASSWORD": "s3cret-pass"},
    )
    assert result.returncode == 3 and "Traceback" not in result.stderr and "s3cret-pass" not in result.stderr


def test_cli_build_on_neo4j_matches_embedded(neo4j_uri, home):
    data = ["--data", str(MINI_DATA), "--sources", str(MINI_SOURCES)]
    assert actorgraph("build", *data).returncode == 0
    embedded = export_json()
    neo = ["--engine", "neo4j", "--neo4j-uri", neo4j_uri]
    result = actorgraph("build", *data, *neo)
    assert result.returncode == 0, result.stderr
    assert export_json(*neo) == embedded


def test_compose_file_names_what_the_readme_says():
    compose = YAML(typ="safe").load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    service = compose["services"]["neo4j"]
    assert service["image"] == "neo4j:5.26-community"
    assert {"127.0.0.1:7474:7474", "127.0.0.1:7687:7687"} == set(service["ports"])
    assert "healthcheck" in service and "neo4j-data" in compose["volumes"]
    assert "ACTORGRAPH_NEO4J_PASSWORD" in service["environment"]["NEO4J_AUTH"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docker compose up -d" in readme and "actorgraph build --engine neo4j" in readme
    example = (REPO / ".env.example").read_text(encoding="utf-8")
    assert "ACTORGRAPH_NEO4J_PASSWORD=change-me" in example
    if shutil.which("docker"):
        check = subprocess.run(
            ["docker", "compose", "config", "-q"],
            cwd=REPO,
            capture_output=True,
            text=True,
            env={"ACTORGRAPH_NEO4J_PASSWORD": "example-only", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        )
        if "is not a docker command" not in check.stderr and "unknown" not in check.stderr.lower():
            assert check.returncode == 0, check.stderr
