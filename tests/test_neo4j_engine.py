"""The Neo4j engine against a real in-process Neo4j 5: round-trips, schema, read-only,
all-or-nothing loads, hostile strings, connection errors, and the compose file."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI_DATA, MINI_SOURCES, REPO, actorgraph, export_json
from ruamel.yaml import YAML

from actorgraph.graph import open_engine
from actorgraph.graph.engine import EngineUnavailable, Node, QueryError, Relationship, Statement
from actorgraph.graph.engine import Path as GraphPath
from actorgraph.graph.neo4j_engine import GENERATION_PREFIX, schema_statements
from actorgraph.loaders import build_graph

#: Loader-shaped statements (the form the loaders build), run unchanged by the engine.
NODES = "UNWIND $rows AS r MERGE (n:Actor {id: r.id}) SET n:Person:Leader SET n += r.props"
EVENTS = "UNWIND $rows AS r MERGE (n:Event {id: r.id}) SET n += r.props"
LINKS = (
    "UNWIND $rows AS r MATCH (a:Actor {id: r.from}) MATCH (b:Event {id: r.to}) "
    "MERGE (a)-[x:PARTICIPATED_IN {id: r.id}]->(b) SET x += r.props"
)
HOSTILE = [
    'O\'Brien "the" `backtick` \\ back\\slash',
    "'}) MATCH (n) DETACH DELETE n //",
    "$rows {id: 'x'} :Label",
    "line one\nline two\r\n\ttabbed",
    "<script>alert(1)</script> &amp; <b>",
    "Қазақстан — Өзбекстан, Мирзиёев; عربي; 中文; 🇰🇿🇺🇿",
    "\u200b\u202e reversed \ufeff",
    " leading and trailing spaces ",
    "x" * 10_000,
]


@pytest.fixture
def neo4j(neo4j_uri):
    from neo4j_fixture import wipe_neo4j

    wipe_neo4j(neo4j_uri)
    engine = open_engine("neo4j", uri=neo4j_uri, password="")
    yield engine
    engine.close()


def graph_statements(prefix: str, people: int, *, extra: list[Statement] | None = None) -> list[Statement]:
    """A small loader-shaped graph: `people` leaders who took part in one event."""
    rows = [{"id": f"person:{prefix}-{i}", "props": {"name": f"{prefix} {i}", "line": i}} for i in range(people)]
    event = [{"id": f"event:{prefix}", "props": {"name": f"{prefix} summit", "date": "2021-12-06"}}]
    links = [
        {"from": row["id"], "to": event[0]["id"], "id": f"{row['id']}-at", "props": {"role": "host"}} for row in rows
    ]
    return [(NODES, {"rows": rows}), (EVENTS, {"rows": event}), *(extra or []), (LINKS, {"rows": links})]


def snapshot(engine) -> tuple[list, list]:
    """Every node (id, labels, properties) and relationship (ends, type, properties), sorted."""
    nodes = engine.run("MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id")
    rels = engine.run(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS props ORDER BY a, t, b"
    )
    return [(n["id"], sorted(n["labels"]), n["props"]) for n in nodes], [
        (r["a"], r["t"], r["b"], r["props"]) for r in rels
    ]


def test_parameters_and_values_round_trip(neo4j):
    value = {"s": "Астана", "i": 2021, "f": 0.5, "b": True, "n": None, "l": ["a", "b"], "m": {"k": [1, 2]}}
    rows = neo4j.run("RETURN $s AS s, $i AS i, $f AS f, $b AS b, $n AS n, $l AS l, $m AS m", value)
    assert rows == [value]
    rows = neo4j.run(
        "RETURN date($d) AS d, datetime($t) AS t, duration('P1Y2M') AS p",
        {"d": "2021-12-06", "t": "2021-12-06T10:00:00Z"},
    )
    assert rows[0]["d"] == "2021-12-06" and rows[0]["p"] == "P1Y2M"
    assert isinstance(rows[0]["t"], str) and rows[0]["t"].startswith("2021-12-06T10:00:00")


def test_nodes_relationships_and_paths_become_engine_types(neo4j):
    neo4j.replace_graph(graph_statements("kz", 2))
    rows = neo4j.run(
        "MATCH p = (a:Actor {id: $id})-[r:PARTICIPATED_IN]->(e:Event) "
        "RETURN a, r, p, elementId(a) AS a_id, elementId(e) AS e_id",
        {"id": "person:kz-1"},
    )
    assert len(rows) == 1
    row = rows[0]
    assert isinstance(row["a"], Node) and row["a"].labels == ["Actor", "Leader", "Person"]
    assert row["a"]["name"] == "kz 1" and row["a"].get("line") == 1
    assert isinstance(row["r"], Relationship) and row["r"].type == "PARTICIPATED_IN"
    assert (row["r"].start, row["r"].end) == (row["a_id"], row["e_id"]) and row["r"]["role"] == "host"
    assert isinstance(row["p"], GraphPath) and [n["id"] for n in row["p"].nodes] == ["person:kz-1", "event:kz"]
    assert neo4j.labels() == ["Actor", "Event", "Leader", "Person"]
    assert neo4j.relationship_types() == ["PARTICIPATED_IN"]


def test_replace_graph_swaps_the_whole_graph_and_reports_progress(neo4j):
    neo4j.replace_graph(graph_statements("old", 3))
    seen: list[int] = []
    neo4j.replace_graph(graph_statements("new", 5), progress=seen.append)
    nodes, rels = snapshot(neo4j)
    assert [n[0] for n in nodes] == ["event:new", *(f"person:new-{i}" for i in range(5))]
    assert len(rels) == 5 and seen == [5, 1, 5]
    assert neo4j.labels() == ["Actor", "Event", "Leader", "Person"]


@pytest.mark.parametrize(
    "failure",
    [
        # a Cypher error in the middle: the engine has already deleted and rewritten part of the graph
        (
            "UNWIND $rows AS r MERGE (n:Actor {id: r.id}) SET n.x = 1 / r.zero",
            {"rows": [{"id": "person:z", "zero": 0}]},
        ),
        # a value Neo4j cannot store as a property (a map)
        (
            "UNWIND $rows AS r CREATE (n:Actor {id: r.id}) SET n.x = r.map",
            {"rows": [{"id": "person:z", "map": {"a": 1}}]},
        ),
    ],
    ids=["division-by-zero", "unstorable-value"],
)
def test_a_statement_failing_midway_leaves_the_previous_graph(neo4j, failure):
    neo4j.replace_graph(graph_statements("old", 3))
    before = snapshot(neo4j)
    with pytest.raises(QueryError):
        neo4j.replace_graph(graph_statements("new", 4, extra=[failure]))
    assert snapshot(neo4j) == before
    assert neo4j.labels() == ["Actor", "Event", "Leader", "Person"]


def test_an_interrupted_load_leaves_the_previous_graph(neo4j):
    neo4j.replace_graph(graph_statements("old", 3))
    before = snapshot(neo4j)

    def interrupted() -> Iterator[Statement]:
        yield from graph_statements("new", 4)[:2]
        raise KeyboardInterrupt  # the user pressed Ctrl-C while the loader was producing batches

    with pytest.raises(KeyboardInterrupt):
        neo4j.replace_graph(interrupted())
    assert snapshot(neo4j) == before


#: One read that counts the nodes, spends about two seconds on arithmetic, then counts
#: them again. Neo4j reads are READ COMMITTED: a load committed in between makes the
#: two counts differ unless the engine notices and reads again.
COUNT_TWICE = (
    "MATCH (n) WITH count(n) AS first "
    "UNWIND range(1, $spin) AS i WITH first, sum(i % 7) AS busy "
    "MATCH (m) RETURN first, count(m) AS second"
)


def test_a_read_that_straddles_a_load_commit_is_read_again(neo4j):
    neo4j.replace_graph(graph_statements("old", 3))  # 4 nodes
    spin = 1
    while True:  # size the busy part to take about 2 s on this machine
        started = time.monotonic()
        neo4j.run(COUNT_TWICE, {"spin": spin})
        if time.monotonic() - started > 2 or spin > 10**9:
            break
        spin *= 4
    results: list[dict] = []
    reader = threading.Thread(target=lambda: results.extend(neo4j.run(COUNT_TWICE, {"spin": spin})))
    reader.start()
    time.sleep(0.3)  # the reader has counted the old graph and is busy
    neo4j.replace_graph(graph_statements("new", 5))  # 6 nodes, committed while the reader is busy
    committed_at = time.monotonic()
    reader.join()
    assert time.monotonic() - committed_at > 0.5, "the reader finished before the load committed; cannot test"
    assert results == [{"first": 6, "second": 6}]
    markers = [
        row["name"]
        for row in neo4j.run("SHOW INDEXES YIELD name RETURN name")
        if row["name"].startswith(GENERATION_PREFIX)
    ]
    assert len(markers) == 1, markers  # the older generation's marker is gone


def test_ensure_schema_creates_what_it_says_and_is_idempotent(neo4j):
    neo4j.ensure_schema()
    first = neo4j.run("SHOW INDEXES YIELD name, type, state RETURN name, type, state ORDER BY name")
    neo4j.ensure_schema()
    assert neo4j.run("SHOW INDEXES YIELD name, type, state RETURN name, type, state ORDER BY name") == first
    ours = {
        row["name"]: row
        for row in first
        if row["name"].startswith("actorgraph") and not row["name"].startswith(GENERATION_PREFIX)
    }
    assert len(ours) == len(schema_statements())
    assert all(row["state"] == "ONLINE" for row in ours.values())
    assert ours["actorgraph_names"]["type"] == "FULLTEXT"
    assert ours["actorgraph_actor_id"]["type"] == "RANGE"
    # it creates only what is missing, and does create what went missing
    neo4j.run("DROP INDEX actorgraph_event_id", write=True)
    neo4j.run("DROP INDEX actorgraph_claim_stance", write=True)
    neo4j.ensure_schema()
    assert neo4j.run("SHOW INDEXES YIELD name, type, state RETURN name, type, state ORDER BY name") == first


def test_ensure_schema_replaces_the_id_constraints_of_earlier_versions(neo4j):
    """Earlier versions made `id` unique per kind; replacing a graph under those constraints was quadratic."""
    neo4j.ensure_schema()
    neo4j.run("DROP INDEX actorgraph_event_id", write=True)
    neo4j.run("CREATE CONSTRAINT actorgraph_event_id FOR (n:Event) REQUIRE n.id IS UNIQUE", write=True)
    neo4j.ensure_schema()
    assert neo4j.run("SHOW CONSTRAINTS YIELD name RETURN name") == []
    index = neo4j.run("SHOW INDEXES YIELD name, type, owningConstraint WHERE name = 'actorgraph_event_id' RETURN *")
    assert index == [{"name": "actorgraph_event_id", "type": "RANGE", "owningConstraint": None}]


def test_lookups_by_id_use_the_id_index(neo4j):
    neo4j.replace_graph(graph_statements("kz", 3))
    from neo4j import GraphDatabase

    with GraphDatabase.driver(neo4j.uri, auth=None) as driver:
        summary = driver.execute_query("PROFILE MATCH (n:Actor {id: $id}) RETURN n", id="person:kz-2").summary
    operators = []
    todo = [summary.profile]
    while todo:
        step = todo.pop()
        operators.append(step["operatorType"].split("@")[0])
        todo.extend(step.get("children", []))
    assert "NodeIndexSeek" in operators, operators


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_strings_are_stored_verbatim(neo4j, text):
    rows = [{"id": "person:hostile", "props": {"name": text, "aliases": [text, text[::-1]], "evidence": text}}]
    neo4j.replace_graph([(NODES, {"rows": rows})])
    found = neo4j.run(
        "MATCH (n:Actor) WHERE n.name = $text RETURN n.name AS name, n.aliases AS aliases", {"text": text}
    )
    assert found == [{"name": text, "aliases": [text, text[::-1]]}]
    assert neo4j.run("MATCH (n) RETURN count(n) AS n") == [{"n": 1}]


def test_schema_is_idempotent_and_full_text_finds_any_spelling(neo4j, mini_dataset):
    neo4j.ensure_schema()
    neo4j.ensure_schema()
    build_graph(neo4j, mini_dataset)
    indexes = neo4j.run("SHOW INDEXES YIELD name RETURN name")
    assert {"actorgraph_actor_id", "actorgraph_event_id"} <= {row["name"] for row in indexes}
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


@pytest.fixture(scope="module")
def auth_neo4j_uri(neo4j_uri: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second real server that requires a password (its `neo4j` user keeps the initial one)."""
    from neo4j_fixture import start_server, stop

    process, uri = start_server(Path(tmp_path_factory.mktemp("neo4j-auth")), auth=True)
    try:
        yield uri
    finally:
        stop(process)


def test_wrong_or_missing_password_is_a_one_line_error_without_the_password(auth_neo4j_uri):
    with pytest.raises(EngineUnavailable) as caught:
        open_engine("neo4j", uri=auth_neo4j_uri, user="neo4j", password="s3cret-wrong")
    message = str(caught.value)
    assert auth_neo4j_uri in message and "wrong user or password" in message
    assert "s3cret-wrong" not in message and "\n" not in message and caught.value.exit_code == 3
    with pytest.raises(EngineUnavailable, match="requires a password"):
        open_engine("neo4j", uri=auth_neo4j_uri, password="")
    with pytest.raises(EngineUnavailable, match="must be changed first"):
        open_engine("neo4j", uri=auth_neo4j_uri, user="neo4j", password="neo4j")
    result = actorgraph("stats", "--engine", "neo4j", "--neo4j-uri", auth_neo4j_uri, "--neo4j-password", "s3cret-wrong")
    assert result.returncode == 3, result.stderr
    assert auth_neo4j_uri in result.stderr and "s3cret-wrong" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


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
